/**
 * Goal: the rules around the money that are not arithmetic of stipends: the public report never shows a
 * figure for fewer than five people (small groups merged into OTHER, itself withheld when small); the draw
 * caps refuse exactly what would pass them; the review queue is ordered by priority then age then id; an
 * escrow release gives each tenant what they hold (less what is withheld, never below zero) or everything to
 * the landlord; calendar helpers find Mondays and months. Method: worked examples and fast-check properties
 * (no shown group under five, totals conserved, caps monotone, order independence).
 */
import fc from 'fast-check';
import {
  addDays,
  isCalendarDate,
  isFirstOfMonth,
  isMonday,
  nextWeekStart,
  weekStartOf,
} from '../../../src/strike-funds/rules/calendar.js';
import { releaseShares } from '../../../src/strike-funds/rules/escrow.js';
import {
  checkDrawCaps,
  compareQueued,
  drawPriority,
  drawStatusAfter,
} from '../../../src/strike-funds/rules/hardship-draws.js';
import { countShown, MIN_GROUP, OTHER, suppressSmallGroups } from '../../../src/strike-funds/rules/public-report.js';

describe('suppressSmallGroups', () => {
  it('merges groups under five into OTHER, and withholds OTHER when it is small too', () => {
    expect(
      suppressSmallGroups([
        { label: 'RENT', people: 6, amount: 600n },
        { label: 'FOOD', people: 2, amount: 20n },
        { label: 'MEDICAL', people: 1, amount: 10n },
      ]),
    ).toEqual([
      { label: 'RENT', people: 6, amount: 600n },
      { label: OTHER, people: null, amount: null },
    ]);
    expect(
      suppressSmallGroups([
        { label: 'FOOD', people: 3, amount: 30n },
        { label: 'MEDICAL', people: 4, amount: 40n },
      ]),
    ).toEqual([{ label: OTHER, people: 7, amount: 70n }]);
    expect(countShown(4)).toBeNull();
    expect(countShown(5)).toBe(5);
  });

  it('never shows a figure for fewer than five people, and loses no money when OTHER is shown', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({
            label: fc.constantFrom('RENT', 'FOOD', 'MEDICAL', 'UTILITIES', 'CHILDCARE', 'TRANSPORT'),
            people: fc.integer({ min: 0, max: 20 }),
            amount: fc.bigInt({ min: 0n, max: 100_000n }),
          }),
          { selector: (group) => group.label },
        ),
        (groups) => {
          const shown = suppressSmallGroups(groups);
          for (const group of shown) if (group.people !== null) expect(group.people).toBeGreaterThanOrEqual(MIN_GROUP);
          if (shown.every((group) => group.amount !== null)) {
            const total = groups.reduce((sum, group) => sum + group.amount, 0n);
            expect(shown.reduce((sum, group) => sum + (group.amount ?? 0n), 0n)).toBe(total);
          }
          expect(suppressSmallGroups([...groups].reverse())).toEqual(shown);
        },
      ),
    );
  });
});

describe('hardship draws', () => {
  it('refuses exactly the draws that would pass a cap, the strike cap first', () => {
    expect(
      checkDrawCaps({ amount: 100n, strikeCap: 300n, takenInStrike: 200n, yearCap: 1000n, takenInYear: 0n }),
    ).toBeNull();
    expect(checkDrawCaps({ amount: 101n, strikeCap: 300n, takenInStrike: 200n, yearCap: 1000n, takenInYear: 0n })).toBe(
      'STRIKE_CAP',
    );
    expect(checkDrawCaps({ amount: 101n, strikeCap: null, takenInStrike: 0n, yearCap: 1000n, takenInYear: 900n })).toBe(
      'YEAR_CAP',
    );
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10_000n }),
        fc.bigInt({ min: 0n, max: 10_000n }),
        fc.bigInt({ min: 1n, max: 10_000n }),
        fc.bigInt({ min: 0n, max: 10_000n }),
        (amount, taken, cap, more) => {
          const breach = checkDrawCaps({
            amount,
            strikeCap: null,
            takenInStrike: 0n,
            yearCap: cap,
            takenInYear: taken,
          });
          expect(breach === null).toBe(taken + amount <= cap);
          if (breach !== null) {
            expect(
              checkDrawCaps({
                amount: amount + more,
                strikeCap: null,
                takenInStrike: 0n,
                yearCap: cap,
                takenInYear: taken,
              }),
            ).toBe('YEAR_CAP');
          }
        },
      ),
    );
  });

  it('orders the queue by priority, then age, then id, whatever the input order', () => {
    expect(drawPriority({ evictionNotice: true, shutOffNotice: false, dependants: 2 })).toBe(110);
    expect(drawPriority({ evictionNotice: false, shutOffNotice: true, dependants: 30 })).toBe(100);
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({ id: fc.uuid(), priority: fc.integer({ min: 0, max: 200 }), at: fc.integer({ min: 0, max: 50 }) }),
          { selector: (draw) => draw.id },
        ),
        (rows) => {
          const draws = rows.map((row) => ({ id: row.id, priority: row.priority, createdAt: new Date(row.at * 1000) }));
          const sorted = [...draws].sort(compareQueued);
          expect([...draws].reverse().sort(compareQueued)).toEqual(sorted);
          for (let index = 1; index < sorted.length; index += 1) {
            expect(sorted[index - 1]!.priority).toBeGreaterThanOrEqual(sorted[index]!.priority);
          }
        },
      ),
    );
    expect(drawStatusAfter('APPROVED')).toBe('PAID');
    expect(drawStatusAfter('EXPIRED')).toBe('EXPIRED');
  });
});

describe('releaseShares', () => {
  it('returns what each tenant holds less what is withheld, or all of it to the landlord', () => {
    const holdings = [
      { tenantId: 'b', accountId: 'B', held: 500n },
      { tenantId: 'a', accountId: 'A', held: 100n },
      { tenantId: 'c', accountId: 'C', held: 0n },
    ];
    expect(releaseShares(holdings, 'TO_TENANTS', 150n)).toEqual([
      { tenantId: 'a', accountId: 'A', held: 100n, paid: 0n },
      { tenantId: 'b', accountId: 'B', held: 500n, paid: 350n },
    ]);
    expect(releaseShares(holdings, 'TO_LANDLORD', 0n).map((share) => share.paid)).toEqual([100n, 500n]);
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 1_000_000n }), { maxLength: 30 }),
        fc.bigInt({ min: 0n, max: 10_000n }),
        (amounts, withheld) => {
          const rows = amounts.map((held, index) => ({ tenantId: `t${index}`, accountId: `a${index}`, held }));
          for (const share of releaseShares(rows, 'TO_TENANTS', withheld)) {
            expect(share.paid).toBe(share.held > withheld ? share.held - withheld : 0n);
          }
          const total = releaseShares(rows, 'TO_LANDLORD', 0n).reduce((sum, share) => sum + share.paid, 0n);
          expect(total).toBe(amounts.reduce((sum, held) => sum + held, 0n));
        },
      ),
    );
  });
});

describe('calendar', () => {
  it('finds Mondays, next weeks and first days of months', () => {
    expect(weekStartOf('2027-03-07')).toBe('2027-03-01');
    expect(weekStartOf('2027-03-01')).toBe('2027-03-01');
    expect(isMonday('2027-03-01')).toBe(true);
    expect(isMonday('2027-03-02')).toBe(false);
    expect(nextWeekStart(new Date('2027-03-03T23:00:00Z'))).toBe('2027-03-08');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(isFirstOfMonth('2027-02-01')).toBe(true);
    expect(isCalendarDate('2027-02-30')).toBe(false);
    expect(isCalendarDate('27-02-01')).toBe(false);
  });
});
