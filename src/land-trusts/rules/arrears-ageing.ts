/**
 * Rule: how long what is owed has been overdue, in the buckets a bookkeeper closes the month with.
 *
 * - A charge with something outstanding is overdue from the day after it fell due (its due date, or the
 *   date a deferral moved it to): on `asOf`, days late = asOf − due date. Not yet due (a deferral, or a due
 *   date after asOf): NOT_DUE, which is owed but not in arrears.
 * - Buckets by days late: CURRENT 0 to 29, DAYS_30 30 to 59, DAYS_60 60 to 89, DAYS_90_PLUS 90 and more.
 *   (Due today is CURRENT with 0 days: owed, and not yet late by a month.)
 * - The lease's age is its oldest outstanding due charge's days late; its arrears are everything outstanding
 *   that is due (all buckets but NOT_DUE).
 *
 * Why: a trust usually acts on 60 or 90 days (a call, a payment plan, a hardship review), and a deferral
 * granted as relief must not make a household look late. SQL twin: none (computed from charges, reliefs and
 * payments, each of which the database keeps append-only).
 */
import { dayNumber } from './calendar.js';

export type AgeingBucket = 'NOT_DUE' | 'CURRENT' | 'DAYS_30' | 'DAYS_60' | 'DAYS_90_PLUS';

export const AGEING_BUCKETS: readonly AgeingBucket[] = ['NOT_DUE', 'CURRENT', 'DAYS_30', 'DAYS_60', 'DAYS_90_PLUS'];

export interface AgeableCharge {
  readonly outstandingMinor: bigint;
  /** The due date in force: the original, or the one a deferral moved it to. */
  readonly dueOn: string;
}

export interface Ageing {
  readonly buckets: Readonly<Record<AgeingBucket, bigint>>;
  /** Σ of every bucket but NOT_DUE. */
  readonly overdueMinor: bigint;
  /** Days late of the oldest outstanding charge that is due; null when nothing is. */
  readonly daysLate: number | null;
}

export function bucketOf(dueOn: string, asOf: string): { bucket: AgeingBucket; daysLate: number | null } {
  const late = dayNumber(asOf) - dayNumber(dueOn);
  if (late < 0) return { bucket: 'NOT_DUE', daysLate: null };
  if (late < 30) return { bucket: 'CURRENT', daysLate: late };
  if (late < 60) return { bucket: 'DAYS_30', daysLate: late };
  if (late < 90) return { bucket: 'DAYS_60', daysLate: late };
  return { bucket: 'DAYS_90_PLUS', daysLate: late };
}

export function ageArrears(charges: readonly AgeableCharge[], asOf: string): Ageing {
  const buckets: Record<AgeingBucket, bigint> = {
    NOT_DUE: 0n,
    CURRENT: 0n,
    DAYS_30: 0n,
    DAYS_60: 0n,
    DAYS_90_PLUS: 0n,
  };
  let daysLate: number | null = null;
  for (const charge of charges) {
    if (charge.outstandingMinor <= 0n) continue;
    const placed = bucketOf(charge.dueOn, asOf);
    buckets[placed.bucket] += charge.outstandingMinor;
    if (placed.daysLate !== null && (daysLate === null || placed.daysLate > daysLate)) daysLate = placed.daysLate;
  }
  const overdueMinor = buckets.CURRENT + buckets.DAYS_30 + buckets.DAYS_60 + buckets.DAYS_90_PLUS;
  return { buckets, overdueMinor, daysLate };
}
