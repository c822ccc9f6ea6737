/**
 * Goal: a charge splits between the trust's income and its stewardship reserve exactly: the parts sum to the
 * charge, each is its exact share rounded down or up, and the one leftover unit goes by largest remainder
 * (a tie to the income). Method: worked examples and fast-check properties over amounts and shares,
 * including the negative space (negative amounts, shares out of range).
 */
import fc from 'fast-check';
import { AssertionFailed } from '../../../src/kernel/assert.js';
import { splitCharge } from '../../../src/land-trusts/rules/split-charge.js';

describe('splitCharge', () => {
  it('splits worked examples', () => {
    expect(splitCharge(100000n, 2500)).toEqual({ incomeMinor: 75000n, reserveMinor: 25000n });
    expect(splitCharge(130000n, 3333)).toEqual({ incomeMinor: 86671n, reserveMinor: 43329n });
    // 1 × 0.5 each: a tie, to the income.
    expect(splitCharge(1n, 5000)).toEqual({ incomeMinor: 1n, reserveMinor: 0n });
    // 3 × 0.6667 = 2.0001 reserve, 0.9999 income: the unit to the larger remainder (income).
    expect(splitCharge(3n, 6667)).toEqual({ incomeMinor: 1n, reserveMinor: 2n });
    expect(splitCharge(0n, 2500)).toEqual({ incomeMinor: 0n, reserveMinor: 0n });
    expect(splitCharge(99n, 0)).toEqual({ incomeMinor: 99n, reserveMinor: 0n });
    expect(splitCharge(99n, 10000)).toEqual({ incomeMinor: 0n, reserveMinor: 99n });
  });

  it('sums to the charge, each part within a unit of its exact share, the leftover by largest remainder', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 18n }), fc.integer({ min: 0, max: 10_000 }), (amount, points) => {
        const { incomeMinor, reserveMinor } = splitCharge(amount, points);
        expect(incomeMinor + reserveMinor).toBe(amount);
        const exact = amount * BigInt(points);
        const floor = exact / 10_000n;
        expect(reserveMinor === floor || reserveMinor === floor + 1n).toBe(true);
        if (reserveMinor === floor + 1n) {
          // The reserve took the unit only with the larger remainder.
          const incomeRemainder = (amount * BigInt(10_000 - points)) % 10_000n;
          expect(exact % 10_000n).toBeGreaterThan(incomeRemainder);
        }
      }),
    );
  });

  it('refuses a negative charge and a share outside 0 to 10 000 points', () => {
    expect(() => splitCharge(-1n, 100)).toThrow(AssertionFailed);
    expect(() => splitCharge(1n, -1)).toThrow(AssertionFailed);
    expect(() => splitCharge(1n, 10_001)).toThrow(AssertionFailed);
    expect(() => splitCharge(1n, 0.5)).toThrow(AssertionFailed);
  });
});
