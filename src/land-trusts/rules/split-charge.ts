/**
 * Rule: a charge is split between the trust's income and its stewardship reserve, exactly. The reserve's
 * share is given in basis points (0 to 10 000). Each part's exact share is amount × points / 10 000; both
 * parts take the floor, and the minor unit left over (at most one) goes to the part with the larger
 * remainder; on a tie (both exactly half) to the income, by name ("income" before "reserve"), so the split
 * depends on nothing but the amount and the share. The parts always sum to the amount.
 * Why: the reserve is the trust's promise to the next generation of homes; a rounding that leaks a cent a
 * month either way is a promise broken in the books. SQL twin: `ground_lease_charge_split_whole` CHECK
 * (income + reserve = amount) and `ground_lease_fee_reserve_share_range`.
 */
import { assert } from '../../kernel/assert.js';

export const BASIS_POINTS = 10_000n;

export interface ChargeSplit {
  readonly incomeMinor: bigint;
  readonly reserveMinor: bigint;
}

export function splitCharge(amountMinor: bigint, reserveSharePoints: number): ChargeSplit {
  assert(amountMinor >= 0n, 'a charge is zero or more');
  assert(
    Number.isInteger(reserveSharePoints) && reserveSharePoints >= 0 && reserveSharePoints <= 10_000,
    'a share is 0 to 10 000 points',
  );
  const points = BigInt(reserveSharePoints);
  const reserveExact = amountMinor * points;
  const incomeExact = amountMinor * (BASIS_POINTS - points);
  let reserveMinor = reserveExact / BASIS_POINTS;
  let incomeMinor = incomeExact / BASIS_POINTS;
  const left = amountMinor - reserveMinor - incomeMinor;
  if (left > 0n) {
    // Largest remainder; the tie goes to the income (by name).
    if (reserveExact % BASIS_POINTS > incomeExact % BASIS_POINTS) reserveMinor += left;
    else incomeMinor += left;
  }
  assert(incomeMinor + reserveMinor === amountMinor, 'the parts of a charge sum to the charge');
  return { incomeMinor, reserveMinor };
}
