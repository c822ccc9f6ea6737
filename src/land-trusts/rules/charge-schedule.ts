/**
 * Rule: which ground-lease charges fall due, when, and for how much.
 *
 * - A lease runs from its first day (`startsOn`) to its last day, inclusive: the earlier of its end date and
 *   the last day a steward's termination gives it (none: open-ended).
 * - Charges are per calendar month (the period, `YYYY-MM`), from the month the lease starts to the month of
 *   its last day. A period falls due on the lease's due day of that month (1 to 28), moved to the lease's
 *   first day if it starts later in the month, and to its last day if it ends earlier: a charge is never due
 *   before the lease begins nor after it ends.
 * - Proration: each day of the month the lease runs is charged the fee in force that day divided by the
 *   days of that month; the period's charge is that exact sum, rounded once to the nearest minor unit (a
 *   half rounds up). A full month under one fee is exactly the fee; a lease that starts on the 16th of a
 *   30-day month pays 15/30 of it. A fee change effective mid-month prorates the two fees by their days.
 * - The reserve share of a period is the one in force on its due date.
 * - Fee versions: the first takes effect on the lease's first day; a later version takes effect on its day
 *   (versions are kept, never replaced). A version effective after the lease's last day charges nothing.
 * - A period is due when its due date is on or before the day the schedule is asked for (`upTo`); each
 *   period has one charge, whose id is derived from the lease and the period (the service's stepId), so
 *   listing the due periods again (a second run, a second process, a catch-up) finds the same charges.
 *
 * Why: the household must be able to check every cent; the trust must charge each month once, including
 * the months the scheduler missed. SQL twins: UNIQUE (lease_id, period) and the CHECKs of
 * `ground_lease_charge`; `ground_lease_fee` PRIMARY KEY (lease_id, effective_on).
 */
import { assert } from '../../kernel/assert.js';
import {
  addDays,
  dayNumber,
  dayOfPeriod,
  firstDayOf,
  lastDayOf,
  maxDate,
  minDate,
  nextPeriod,
  periodOf,
} from './calendar.js';

export interface FeeVersion {
  /** The day it takes effect. */
  readonly effectiveOn: string;
  readonly feeMinor: bigint;
  /** The stewardship reserve's share of each charge, in basis points (0 to 10 000). */
  readonly reserveSharePoints: number;
}

export interface LeaseTerms {
  readonly startsOn: string;
  /** Last day, inclusive: the earlier of the end date and the termination's last day; null when open-ended. */
  readonly lastDay: string | null;
  /** 1 to 28. */
  readonly dueDay: number;
  /** Sorted by effectiveOn; the first effective on startsOn. */
  readonly fees: readonly FeeVersion[];
}

export interface ScheduledCharge {
  readonly period: string;
  readonly dueOn: string;
  readonly amountMinor: bigint;
  readonly reserveSharePoints: number;
  /** Days of the month the lease runs in this period, and the month's length (for the statement). */
  readonly daysCharged: number;
  readonly daysInPeriod: number;
}

/** The most periods one call lists: 100 years of months. */
export const MAX_PERIODS = 1200;

/** The fee version in force on `day` (the latest effective on or before it). */
export function feeOn(fees: readonly FeeVersion[], day: string): FeeVersion {
  let found: FeeVersion | undefined;
  for (const fee of fees) {
    if (fee.effectiveOn <= day) found = fee;
    else break;
  }
  assert(found !== undefined, `a fee is in force on ${day}`);
  return found;
}

/** The charge of one period, or null when the lease does not run in it. */
export function chargeFor(terms: LeaseTerms, period: string): ScheduledCharge | null {
  const first = maxDate(firstDayOf(period), terms.startsOn);
  const last = terms.lastDay === null ? lastDayOf(period) : minDate(lastDayOf(period), terms.lastDay);
  if (first > last) return null;
  const daysInPeriod = dayNumber(lastDayOf(period)) - dayNumber(firstDayOf(period)) + 1;
  // Σ fee(day) over the days run, over the month's days: summed as an integer numerator, rounded once.
  let numerator = 0n;
  let day = first;
  while (day <= last) {
    const fee = feeOn(terms.fees, day);
    const following = terms.fees.find((version) => version.effectiveOn > day);
    const segmentEnd = following === undefined ? last : minDate(last, addDays(following.effectiveOn, -1));
    const days = dayNumber(segmentEnd) - dayNumber(day) + 1;
    numerator += fee.feeMinor * BigInt(days);
    day = addDays(segmentEnd, 1);
  }
  const denominator = BigInt(daysInPeriod);
  const amountMinor = (2n * numerator + denominator) / (2n * denominator);
  const dueOn = minDate(maxDate(dayOfPeriod(period, terms.dueDay), first), last);
  return {
    period,
    dueOn,
    amountMinor,
    reserveSharePoints: feeOn(terms.fees, dueOn).reserveSharePoints,
    daysCharged: dayNumber(last) - dayNumber(first) + 1,
    daysInPeriod,
  };
}

/**
 * Every charge due on or before `upTo`, after period `after` (exclusive; null: from the lease's start), in
 * period order, at most `limit`.
 */
export function dueCharges(
  terms: LeaseTerms,
  options: { upTo: string; after: string | null; limit?: number },
): ScheduledCharge[] {
  assertTerms(terms);
  const charges: ScheduledCharge[] = [];
  const limit = options.limit ?? MAX_PERIODS;
  let period = options.after === null ? periodOf(terms.startsOn) : nextPeriod(options.after);
  if (period < periodOf(terms.startsOn)) period = periodOf(terms.startsOn);
  const lastPeriod = periodOf(terms.lastDay === null ? options.upTo : minDate(terms.lastDay, options.upTo));
  while (period <= lastPeriod && charges.length < limit) {
    const charge = chargeFor(terms, period);
    if (charge !== null && charge.dueOn <= options.upTo) charges.push(charge);
    else if (charge !== null) break;
    period = nextPeriod(period);
  }
  return charges;
}

function assertTerms(terms: LeaseTerms): void {
  assert(terms.dueDay >= 1 && terms.dueDay <= 28, 'a due day is 1 to 28');
  assert(terms.fees.length > 0 && terms.fees[0]?.effectiveOn === terms.startsOn, 'the first fee starts with the lease');
  assert(terms.lastDay === null || terms.lastDay >= terms.startsOn, 'a lease ends on or after its first day');
  for (let index = 1; index < terms.fees.length; index += 1) {
    assert(
      (terms.fees[index - 1]?.effectiveOn ?? '') < (terms.fees[index]?.effectiveOn ?? ''),
      'fee versions are in order',
    );
  }
}
