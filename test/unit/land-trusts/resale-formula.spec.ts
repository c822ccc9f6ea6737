/**
 * Goal: the resale price follows the trust's formula (a share of the appraised increase, or an index per
 * year), is never above the appraised value, rounds down, and explains each step; malformed formulas are
 * refused with a named problem. Method: worked examples of both formulas and of each problem, then
 * fast-check properties: bounds, monotonicity in the appraisal and the share, and an index that did not
 * move leaving the price at the purchase price (when the appraisal allows).
 */
import fc from 'fast-check';
import { AssertionFailed } from '../../../src/kernel/assert.js';
import {
  checkFormula,
  checkResale,
  formulaFrom,
  resalePrice,
  type ResaleFormula,
} from '../../../src/land-trusts/rules/resale-formula.js';

const share = (sharePoints: number): ResaleFormula => ({ kind: 'APPRECIATION_SHARE', sharePoints });
const sale = (purchase: bigint, appraised: bigint, purchaseYear = 2015, saleYear = 2025) => ({
  purchasePriceMinor: purchase,
  purchaseYear,
  appraisedValueMinor: appraised,
  saleYear,
});

describe('resale formula: worked examples', () => {
  it('adds the seller share of the appraised increase, rounded down', () => {
    const result = resalePrice(share(2500), sale(20_000_000n, 30_000_003n));
    expect(result).toMatchObject({
      formulaPriceMinor: 22_500_000n,
      resalePriceMinor: 22_500_000n,
      cappedByAppraisal: false,
    });
    expect(result.steps).toHaveLength(5);
  });

  it('is the appraised value when the market fell', () => {
    expect(resalePrice(share(2500), sale(20_000_000n, 18_000_000n))).toMatchObject({
      formulaPriceMinor: 20_000_000n,
      resalePriceMinor: 18_000_000n,
      cappedByAppraisal: true,
    });
  });

  it('moves the purchase price by the index, capped by the appraisal', () => {
    const indexed: ResaleFormula = {
      kind: 'INDEXED',
      indexes: [
        { year: 2015, value: '200' },
        { year: 2025, value: '250.5' },
      ],
    };
    expect(resalePrice(indexed, sale(20_000_000n, 40_000_000n))).toMatchObject({ resalePriceMinor: 25_050_000n });
    expect(resalePrice(indexed, sale(20_000_000n, 21_000_000n))).toMatchObject({
      resalePriceMinor: 21_000_000n,
      cappedByAppraisal: true,
    });
    expect(checkResale(indexed, sale(1n, 1n, 2014, 2025))).toBe('INDEX_MISSING_FOR_YEAR');
  });

  it('names what is wrong with a formula', () => {
    expect(checkFormula(share(10_001))).toBe('SHARE_OUT_OF_RANGE');
    expect(checkFormula({ kind: 'INDEXED', indexes: [] })).toBe('NO_INDEXES');
    expect(checkFormula({ kind: 'INDEXED', indexes: [{ year: 2020, value: '0' }] })).toBe('INDEX_NOT_POSITIVE');
    expect(checkFormula({ kind: 'INDEXED', indexes: [{ year: 2020, value: '1e3' }] })).toBe('INDEX_NOT_POSITIVE');
    expect(
      checkFormula({
        kind: 'INDEXED',
        indexes: [
          { year: 2020, value: '1' },
          { year: 2020, value: '2' },
        ],
      }),
    ).toBe('INDEX_YEAR_REPEATED');
    expect(formulaFrom({ kind: 'APPRECIATION_SHARE', sharePoints: null, indexes: null })).toBe(
      'FIELDS_DO_NOT_FIT_KIND',
    );
    expect(formulaFrom({ kind: 'INDEXED', sharePoints: 10, indexes: [{ year: 2020, value: '1' }] })).toBe(
      'FIELDS_DO_NOT_FIT_KIND',
    );
    expect(formulaFrom({ kind: 'APPRECIATION_SHARE', sharePoints: 100, indexes: null })).toEqual(share(100));
    expect(() => resalePrice(share(-1), sale(1n, 1n))).toThrow(AssertionFailed);
  });
});

describe('resale formula: properties', () => {
  const money = fc.bigInt({ min: 0n, max: 10n ** 12n });
  it('lies between the lower of purchase and appraisal and the appraisal, and grows with the appraisal and the share', () => {
    fc.assert(
      fc.property(
        money,
        money,
        money,
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (purchase, a, b, s1, s2) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          const [lowShare, highShare] = s1 <= s2 ? [s1, s2] : [s2, s1];
          const price = resalePrice(share(lowShare), sale(purchase, low)).resalePriceMinor;
          expect(price).toBeLessThanOrEqual(low);
          expect(price).toBeGreaterThanOrEqual(purchase < low ? purchase : low);
          expect(resalePrice(share(lowShare), sale(purchase, high)).resalePriceMinor).toBeGreaterThanOrEqual(price);
          expect(resalePrice(share(highShare), sale(purchase, low)).resalePriceMinor).toBeGreaterThanOrEqual(price);
        },
      ),
    );
  });

  it('an index that did not move keeps the purchase price (within the appraisal)', () => {
    fc.assert(
      fc.property(money, money, fc.integer({ min: 1, max: 10_000 }), (purchase, appraised, value) => {
        const indexed: ResaleFormula = {
          kind: 'INDEXED',
          indexes: [
            { year: 2015, value: String(value) },
            { year: 2025, value: String(value) },
          ],
        };
        const price = resalePrice(indexed, sale(purchase, appraised)).resalePriceMinor;
        expect(price).toBe(purchase <= appraised ? purchase : appraised);
      }),
    );
  });
});
