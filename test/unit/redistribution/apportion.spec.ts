/**
 * Goal: every apportionment method turns exact shares into minor units that sum exactly to the whole, is
 * independent of the order of its input, deterministic, never negative, and gives what the hand-computed
 * tables say, paradoxes included. Method: worked tables (Hamilton, D'Hondt, Sainte-Laguë on the same
 * votes; the Alabama paradox of largest remainder, and house monotonicity of the divisor methods on the same
 * case), then fast-check properties over random weights and totals: conservation, bounds, order
 * independence, zero weights get zero, quota (largest remainder), house monotonicity (divisor methods),
 * and agreement of the divisor methods with a naive unit-by-unit reference.
 */
import fc from 'fast-check';
import {
  APPORTIONMENT_METHODS,
  apportion,
  type ApportionmentMethod,
  type WeightedPart,
} from '../../../src/redistribution/rules/apportion.js';

const amounts = (total: bigint, weights: bigint[], method: ApportionmentMethod) =>
  apportion(
    total,
    weights.map((weight, index) => ({ key: String.fromCharCode(97 + index), weight })),
    method,
  ).map((part) => part.amount);

/** Unit by unit, as the textbooks do it: highest priority next, ties by key. */
function naiveDivisor(total: bigint, parts: WeightedPart[], method: 'DHONDT' | 'SAINTE_LAGUE'): Map<string, bigint> {
  const sorted = [...parts].sort((a, b) => (a.key < b.key ? -1 : 1));
  const given = sorted.map(() => 0n);
  if (sorted.every((part) => part.weight === 0n)) return new Map(sorted.map((part) => [part.key, 0n]));
  for (let unit = 0n; unit < total; unit += 1n) {
    let best = -1;
    for (let index = 0; index < sorted.length; index += 1) {
      if (sorted[index]!.weight === 0n) continue;
      if (best === -1) {
        best = index;
        continue;
      }
      const den = (i: number) => (method === 'DHONDT' ? given[i]! + 1n : 2n * given[i]! + 1n);
      if (sorted[index]!.weight * den(best) > sorted[best]!.weight * den(index)) best = index;
    }
    given[best] = given[best]! + 1n;
  }
  return new Map(sorted.map((part, index) => [part.key, given[index]!]));
}

const partsArb = fc
  .uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), fc.bigInt({ min: 0n, max: 10_000n })), {
    minLength: 1,
    maxLength: 12,
    selector: ([key]) => key,
  })
  .map((pairs) => pairs.map(([key, weight]) => ({ key, weight })));
const methodArb = fc.constantFrom(...APPORTIONMENT_METHODS);

describe('apportion: hand-computed tables', () => {
  it('votes 47 000, 16 000, 15 800, 12 000, 6 100, 3 100 for 10 seats', () => {
    const votes = [47_000n, 16_000n, 15_800n, 12_000n, 6_100n, 3_100n];
    expect(amounts(10n, votes, 'LARGEST_REMAINDER')).toEqual([5n, 2n, 1n, 1n, 1n, 0n]);
    expect(amounts(10n, votes, 'DHONDT')).toEqual([5n, 2n, 2n, 1n, 0n, 0n]);
    expect(amounts(10n, votes, 'SAINTE_LAGUE')).toEqual([4n, 2n, 2n, 1n, 1n, 0n]);
  });

  it('shows the Alabama paradox of largest remainder (6, 6, 2: 10 → 4, 4, 2; 11 → 5, 5, 1)', () => {
    expect(amounts(10n, [6n, 6n, 2n], 'LARGEST_REMAINDER')).toEqual([4n, 4n, 2n]);
    expect(amounts(11n, [6n, 6n, 2n], 'LARGEST_REMAINDER')).toEqual([5n, 5n, 1n]);
  });

  it('the divisor methods do not show it on the same case', () => {
    for (const method of ['DHONDT', 'SAINTE_LAGUE'] as const) {
      const ten = amounts(10n, [6n, 6n, 2n], method);
      const eleven = amounts(11n, [6n, 6n, 2n], method);
      ten.forEach((amount, index) => expect(eleven[index]!).toBeGreaterThanOrEqual(amount));
    }
    expect(amounts(10n, [6n, 6n, 2n], 'DHONDT')).toEqual([5n, 4n, 1n]);
    expect(amounts(11n, [6n, 6n, 2n], 'DHONDT')).toEqual([5n, 5n, 1n]);
  });

  it("shows D'Hondt leaving the upper quota, which largest remainder never does", () => {
    // One part of weight 60 and forty of weight 1, 10 units: the large part's quota is 6; both divisor methods give it 10.
    const weights = [60n, ...Array.from({ length: 40 }, () => 1n)];
    expect(amounts(10n, weights, 'DHONDT')[0]).toBe(10n);
    expect(amounts(10n, weights, 'LARGEST_REMAINDER')[0]).toBe(6n);
    expect(amounts(10n, weights, 'SAINTE_LAGUE')[0]).toBe(10n);
  });

  it('shows the population paradox of largest remainder: a part growing faster than another loses a unit to it', () => {
    // A grows 500 → 503 (+0.6%), B 220 → 221 (+0.45%), C 140 → 220: A loses a unit, B gains one.
    expect(amounts(10n, [500n, 220n, 140n], 'LARGEST_REMAINDER')).toEqual([6n, 2n, 2n]);
    expect(amounts(10n, [503n, 221n, 220n], 'LARGEST_REMAINDER')).toEqual([5n, 3n, 2n]);
  });

  it('breaks ties by key, whatever the order given', () => {
    const forward = apportion(
      1n,
      [
        { key: 'b', weight: 1n },
        { key: 'a', weight: 1n },
      ],
      'LARGEST_REMAINDER',
    );
    expect(forward.map((part) => [part.key, part.amount])).toEqual([
      ['a', 1n],
      ['b', 0n],
    ]);
  });

  it('gives nothing when every weight is zero, and exact shares as rationals', () => {
    expect(amounts(100n, [0n, 0n], 'DHONDT')).toEqual([0n, 0n]);
    const [first] = apportion(
      10n,
      [
        { key: 'a', weight: 1n },
        { key: 'b', weight: 2n },
      ],
      'LARGEST_REMAINDER',
    );
    expect(first?.exact).toEqual({ numerator: 10n, denominator: 3n });
  });

  it('handles totals far beyond what unit-by-unit could (10^15 minor units)', () => {
    const total = 1_000_000_000_000_000n;
    for (const method of APPORTIONMENT_METHODS) {
      const parts = amounts(total, [3n, 7n, 11n], method);
      expect(parts.reduce((a, b) => a + b, 0n)).toBe(total);
    }
  });
});

describe('apportion: properties', () => {
  it('parts sum exactly to the whole, never negative, zero weight gets zero', () => {
    fc.assert(
      fc.property(partsArb, fc.bigInt({ min: 0n, max: 10n ** 12n }), methodArb, (parts, total, method) => {
        const result = apportion(total, parts, method);
        const weightSum = parts.reduce((sum, part) => sum + part.weight, 0n);
        const sum = result.reduce((acc, part) => acc + part.amount, 0n);
        expect(sum).toBe(weightSum === 0n ? 0n : total);
        for (const part of result) {
          expect(part.amount).toBeGreaterThanOrEqual(0n);
          if (part.weight === 0n) expect(part.amount).toBe(0n);
        }
      }),
    );
  });

  it('does not depend on the order of the parts, and is deterministic', () => {
    fc.assert(
      fc.property(
        partsArb,
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        methodArb,
        fc.integer(),
        (parts, total, method, seed) => {
          const shuffled = [...parts].sort(
            (a, b) => ((a.key.length * 31 + seed) % 7) - ((b.key.length * 31 + seed) % 7),
          );
          const reversed = [...parts].reverse();
          const expected = apportion(total, parts, method);
          expect(apportion(total, shuffled, method)).toEqual(expected);
          expect(apportion(total, reversed, method)).toEqual(expected);
          expect(apportion(total, parts, method)).toEqual(expected);
        },
      ),
    );
  });

  it('largest remainder stays within quota (floor or ceiling of the exact share)', () => {
    fc.assert(
      fc.property(partsArb, fc.bigInt({ min: 0n, max: 10n ** 9n }), (parts, total) => {
        for (const part of apportion(total, parts, 'LARGEST_REMAINDER')) {
          const low = part.exact.numerator / part.exact.denominator;
          expect(part.amount >= low && part.amount <= low + 1n).toBe(true);
        }
      }),
    );
  });

  it('the divisor methods agree with the unit-by-unit reference and are house monotone', () => {
    fc.assert(
      fc.property(
        partsArb,
        fc.bigInt({ min: 0n, max: 60n }),
        fc.constantFrom('DHONDT' as const, 'SAINTE_LAGUE' as const),
        (parts, total, method) => {
          const reference = naiveDivisor(total, parts, method);
          const result = apportion(total, parts, method);
          const next = apportion(total + 1n, parts, method);
          // Ties may be resolved differently only between parts of equal priority: compare the multisets.
          const byWeight = (entries: [bigint, bigint][]) => entries.map(([w, a]) => `${w}:${a}`).sort();
          expect(byWeight(result.map((part) => [part.weight, part.amount]))).toEqual(
            byWeight(result.map((part) => [part.weight, reference.get(part.key) ?? 0n])),
          );
          result.forEach((part, index) => expect(next[index]!.amount).toBeGreaterThanOrEqual(part.amount));
        },
      ),
    );
  });
});
