/**
 * Goal: a member's statement counts every minute once, in the month it took effect (a correction in the
 * month it was made), and its running balance ends at the sum of everything; CSV fields are quoted and
 * defused. Method: a worked example across months, then fast-check properties: the order of movements does
 * not matter, and the last balance equals given − received ± corrections.
 */
import fc from 'fast-check';
import { buildStatement, csvField, toCsv, type Movement } from '../../../src/timebank/rules/statements.js';

describe('statements', () => {
  it('groups by month and carries the balance', () => {
    const movements: Movement[] = [
      { at: new Date('2026-01-05T10:00:00Z'), side: 'GIVEN', minutes: 60n, correction: false },
      { at: new Date('2026-01-20T10:00:00Z'), side: 'RECEIVED', minutes: 30n, correction: false },
      { at: new Date('2026-03-02T10:00:00Z'), side: 'GIVEN', minutes: 60n, correction: true },
    ];
    expect(buildStatement(movements)).toEqual([
      { month: '2026-01', given: 60n, received: 30n, corrections: 0n, balance: 30n },
      { month: '2026-03', given: 0n, received: 0n, corrections: -60n, balance: -30n },
    ]);
  });

  it('is independent of order and ends at the total', () => {
    const movement = fc.record({
      at: fc.date({ min: new Date('2025-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }),
      side: fc.constantFrom('GIVEN' as const, 'RECEIVED' as const),
      minutes: fc.bigInt({ min: 1n, max: 10080n }),
      correction: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(movement, { maxLength: 60 }), (movements) => {
        const forward = buildStatement(movements);
        expect(buildStatement([...movements].reverse())).toEqual(forward);
        const total = movements.reduce(
          (sum, m) => sum + (m.side === 'GIVEN' ? m.minutes : -m.minutes) * (m.correction ? -1n : 1n),
          0n,
        );
        expect(forward.at(-1)?.balance ?? 0n).toBe(total);
        expect(forward.map((line) => line.month)).toEqual([...forward.map((line) => line.month)].sort());
      }),
    );
  });

  it('writes CSV that spreadsheets read safely', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField(-30n)).toBe('-30');
    expect(toCsv(['month', 'minutes'], [['2026-01', 30n]])).toBe('month,minutes\r\n2026-01,30\r\n');
  });
});
