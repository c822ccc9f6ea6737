/**
 * Apportionment: turning exact shares of a whole into whole minor units that add up to the whole.
 *
 * Rule: `total` minor units are shared among parts in proportion to their weights (bigint ≥ 0). A part of
 * weight 0 gets 0; when every weight is 0 nobody gets anything (the caller keeps the total). Otherwise the
 * parts always sum exactly to `total`, and the answer depends only on the set of (key, weight) pairs, never
 * on their order: every choice between equals is made by the key (ascending, by code unit).
 *
 * Methods (as named in a policy):
 * - LARGEST_REMAINDER (Hamilton): each part gets the floor of its exact quota total·w/W; the minor units left
 *   (fewer than the number of parts) go one each to the largest remainders, ties by key. Stays within quota
 *   (floor or ceiling of the exact share). Known paradox: Alabama — a larger total can give a part less
 *   (shares 6, 6, 2: 10 gives 4, 4, 2; 11 gives 5, 5, 1), shown in test/unit/redistribution/apportion.spec.ts.
 *   Also the population paradox.
 * - DHONDT (Jefferson): divisor method, rounding down: unit after unit goes to the highest w/(a+1). Never a
 *   part gets less when the total grows (house monotone); may exceed the upper quota (favours large weights).
 * - SAINTE_LAGUE (Webster): divisor method, rounding to nearest: highest w/(2a+1). House monotone; may leave
 *   quota both ways, though rarely.
 *
 * The divisor methods are computed without handing out millions of units one by one: start from the
 * allocation at the divisor W/total (floor or nearest of the exact quota), which is off by fewer units than
 * there are parts, then add (or, for Sainte-Laguë, remove) one unit at a time by priority. That gives the
 * same allocation as the unit-by-unit procedure (a divisor method's allocation depends only on the divisor).
 *
 * No SQL twin: amounts are stored per line and their sum checked by the run's CHECK-free total in
 * redistribution.service.ts (assert) and by the ledger's balance invariants.
 */
import { assert } from '../../kernel/assert.js';
import { rational, type Rational } from '../../kernel/money/rational.js';

export const APPORTIONMENT_METHODS = ['LARGEST_REMAINDER', 'DHONDT', 'SAINTE_LAGUE'] as const;
export type ApportionmentMethod = (typeof APPORTIONMENT_METHODS)[number];

export interface WeightedPart {
  /** Stable key (an account id): the tie-break, and what the result is keyed by. */
  readonly key: string;
  readonly weight: bigint;
}

export interface Apportioned {
  readonly key: string;
  readonly weight: bigint;
  /** The exact share total·w/W, before rounding. */
  readonly exact: Rational;
  readonly amount: bigint;
}

function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Shares `total` among `parts` by `method`; returned in key order. Keys are distinct, weights ≥ 0. */
export function apportion(total: bigint, parts: readonly WeightedPart[], method: ApportionmentMethod): Apportioned[] {
  assert(total >= 0n, 'the total to apportion is zero or more');
  const sorted = [...parts].sort((a, b) => byKey(a.key, b.key));
  for (let index = 0; index < sorted.length; index += 1) {
    const part = sorted[index];
    assert(part !== undefined && part.weight >= 0n, 'weights are zero or more');
    assert(index === 0 || sorted[index - 1]?.key !== part.key, 'keys are distinct');
  }
  const weightSum = sorted.reduce((sum, part) => sum + part.weight, 0n);
  if (weightSum === 0n || total === 0n) {
    return sorted.map((part) => ({
      key: part.key,
      weight: part.weight,
      exact: rational(0n),
      amount: 0n,
    }));
  }
  let amounts: bigint[];
  switch (method) {
    case 'LARGEST_REMAINDER':
      amounts = largestRemainder(total, sorted, weightSum);
      break;
    case 'DHONDT':
      amounts = divisorMethod(total, sorted, weightSum, 'DOWN');
      break;
    case 'SAINTE_LAGUE':
      amounts = divisorMethod(total, sorted, weightSum, 'NEAREST');
      break;
  }
  const result = sorted.map((part, index) => ({
    key: part.key,
    weight: part.weight,
    exact: rational(total * part.weight, weightSum),
    amount: amounts[index] ?? 0n,
  }));
  assert(result.reduce((sum, part) => sum + part.amount, 0n) === total, 'the apportioned parts sum to the whole');
  return result;
}

function largestRemainder(total: bigint, parts: readonly WeightedPart[], weightSum: bigint): bigint[] {
  const amounts = parts.map((part) => (total * part.weight) / weightSum);
  const remainders = parts.map((part) => (total * part.weight) % weightSum);
  let left = total - amounts.reduce((sum, amount) => sum + amount, 0n);
  const order = parts
    .map((_, index) => index)
    .filter((index) => parts[index]!.weight > 0n)
    .sort((a, b) => {
      const ra = remainders[a]!;
      const rb = remainders[b]!;
      return ra > rb ? -1 : ra < rb ? 1 : a - b;
    });
  for (const index of order) {
    if (left === 0n) break;
    amounts[index] = amounts[index]! + 1n;
    left -= 1n;
  }
  assert(left === 0n, 'fewer units are left than there are parts');
  return amounts;
}

/**
 * A divisor method. Priority of giving part i its next unit: w/(a+1) (DOWN) or w/(a+½) = 2w/(2a+1)
 * (NEAREST); of taking one back: w/a or 2w/(2a−1). Compared exactly by cross-multiplication; ties by key.
 */
function divisorMethod(
  total: bigint,
  parts: readonly WeightedPart[],
  weightSum: bigint,
  rounding: 'DOWN' | 'NEAREST',
): bigint[] {
  const amounts = parts.map((part) => {
    const scaled = total * part.weight;
    if (rounding === 'DOWN') return scaled / weightSum;
    // Nearest, halves up: floor(q + 1/2) = floor((2·scaled + W) / 2W).
    return (2n * scaled + weightSum) / (2n * weightSum);
  });
  let sum = amounts.reduce((acc, amount) => acc + amount, 0n);
  // Priority as a fraction num/den: the weight over the signpost.
  const addPriority = (index: number): [bigint, bigint] => {
    const weight = parts[index]!.weight;
    const amount = amounts[index]!;
    return rounding === 'DOWN' ? [weight, amount + 1n] : [2n * weight, 2n * amount + 1n];
  };
  const removePriority = (index: number): [bigint, bigint] => {
    const weight = parts[index]!.weight;
    const amount = amounts[index]!;
    return rounding === 'DOWN' ? [weight, amount] : [2n * weight, 2n * amount - 1n];
  };
  const eligible = parts.map((_, index) => index).filter((index) => parts[index]!.weight > 0n);
  if (sum < total) {
    // Highest priority first; equal priorities: lower key first.
    const heap = new Heap((a, b) => {
      const [na, da] = addPriority(a);
      const [nb, db] = addPriority(b);
      const left = na * db;
      const right = nb * da;
      return left > right ? true : left < right ? false : a < b;
    });
    for (const index of eligible) heap.push(index);
    while (sum < total) {
      const index = heap.pop();
      assert(index !== undefined, 'a part with weight takes the next unit');
      amounts[index] = amounts[index]! + 1n;
      sum += 1n;
      heap.push(index);
    }
  } else if (sum > total) {
    // Lowest priority gives back first; equal priorities: higher key first (mirror of adding).
    const heap = new Heap((a, b) => {
      const [na, da] = removePriority(a);
      const [nb, db] = removePriority(b);
      const left = na * db;
      const right = nb * da;
      return left < right ? true : left > right ? false : a > b;
    });
    for (const index of eligible) if (amounts[index]! > 0n) heap.push(index);
    while (sum > total) {
      const index = heap.pop();
      assert(index !== undefined, 'a part holding units gives one back');
      amounts[index] = amounts[index]! - 1n;
      sum -= 1n;
      if (amounts[index] > 0n) heap.push(index);
    }
  }
  return amounts;
}

/** A binary heap of indexes, `before(a, b)` true when a comes out first. */
class Heap {
  private readonly items: number[] = [];

  constructor(private readonly before: (a: number, b: number) => boolean) {}

  push(item: number): void {
    const items = this.items;
    items.push(item);
    let at = items.length - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.before(items[at]!, items[parent]!)) break;
      [items[at], items[parent]] = [items[parent]!, items[at]!];
      at = parent;
    }
  }

  pop(): number | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let at = 0;
      for (;;) {
        const left = 2 * at + 1;
        const right = left + 1;
        let best = at;
        if (left < items.length && this.before(items[left]!, items[best]!)) best = left;
        if (right < items.length && this.before(items[right]!, items[best]!)) best = right;
        if (best === at) break;
        [items[at], items[best]] = [items[best]!, items[at]!];
        at = best;
      }
    }
    return top;
  }
}
