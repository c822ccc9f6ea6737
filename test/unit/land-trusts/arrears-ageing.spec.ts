/**
 * Goal: what is owed is aged from its due date in force into NOT_DUE, CURRENT (0-29 days), DAYS_30, DAYS_60
 * and DAYS_90_PLUS, the buckets sum to what is owed, and the lease's age is its oldest due charge's. Method:
 * worked examples at each boundary, then fast-check properties over random charges and days.
 */
import fc from 'fast-check';
import { ageArrears, bucketOf } from '../../../src/land-trusts/rules/arrears-ageing.js';
import { addDays } from '../../../src/land-trusts/rules/calendar.js';

describe('arrears ageing', () => {
  it('places the boundaries', () => {
    expect(bucketOf('2025-03-01', '2025-02-28')).toEqual({ bucket: 'NOT_DUE', daysLate: null });
    expect(bucketOf('2025-03-01', '2025-03-01')).toEqual({ bucket: 'CURRENT', daysLate: 0 });
    expect(bucketOf('2025-03-01', '2025-03-30')).toEqual({ bucket: 'CURRENT', daysLate: 29 });
    expect(bucketOf('2025-03-01', '2025-03-31')).toEqual({ bucket: 'DAYS_30', daysLate: 30 });
    expect(bucketOf('2025-03-01', '2025-04-30')).toEqual({ bucket: 'DAYS_60', daysLate: 60 });
    expect(bucketOf('2025-03-01', '2025-05-29')).toEqual({ bucket: 'DAYS_60', daysLate: 89 });
    expect(bucketOf('2025-03-01', '2025-05-30')).toEqual({ bucket: 'DAYS_90_PLUS', daysLate: 90 });
  });

  it('ages a lease: paid charges count nothing, a deferral is not overdue', () => {
    const ageing = ageArrears(
      [
        { outstandingMinor: 0n, dueOn: '2024-01-01' },
        { outstandingMinor: 100n, dueOn: '2025-01-01' },
        { outstandingMinor: 50n, dueOn: '2025-03-01' },
        { outstandingMinor: 70n, dueOn: '2025-06-01' },
      ],
      '2025-04-15',
    );
    expect(ageing).toEqual({
      buckets: { NOT_DUE: 70n, CURRENT: 0n, DAYS_30: 50n, DAYS_60: 0n, DAYS_90_PLUS: 100n },
      overdueMinor: 150n,
      daysLate: 104,
    });
    expect(ageArrears([], '2025-01-01')).toEqual({
      buckets: { NOT_DUE: 0n, CURRENT: 0n, DAYS_30: 0n, DAYS_60: 0n, DAYS_90_PLUS: 0n },
      overdueMinor: 0n,
      daysLate: null,
    });
  });

  it('sums its buckets to what is owed, and dates the oldest due charge', () => {
    const charges = fc.array(
      fc.record({
        outstandingMinor: fc.bigInt({ min: 0n, max: 10n ** 9n }),
        offset: fc.integer({ min: -200, max: 400 }),
      }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(charges, (drawn) => {
        const asOf = '2025-06-30';
        const lines = drawn.map((line) => ({
          outstandingMinor: line.outstandingMinor,
          dueOn: addDays(asOf, -line.offset),
        }));
        const ageing = ageArrears(lines, asOf);
        const owed = lines.reduce((sum, line) => sum + line.outstandingMinor, 0n);
        const { NOT_DUE, CURRENT, DAYS_30, DAYS_60, DAYS_90_PLUS } = ageing.buckets;
        expect(NOT_DUE + CURRENT + DAYS_30 + DAYS_60 + DAYS_90_PLUS).toBe(owed);
        expect(ageing.overdueMinor).toBe(owed - NOT_DUE);
        const late = drawn.filter((line) => line.outstandingMinor > 0n && line.offset >= 0).map((line) => line.offset);
        expect(ageing.daysLate).toBe(late.length === 0 ? null : Math.max(...late));
      }),
    );
  });
});
