/**
 * Periods of a run and of a policy's cadence, in UTC. A run covers [start, end): its flows are the entries
 * effective in it. A cadence names the period that has just ended when its occurrence falls due: MONTHLY
 * runs at 00:00 UTC on the 1st for the month before, WEEKLY at 00:00 UTC on Monday for the week before.
 *
 * SQL twin: `redistribution_run_period_ordered` (end after start).
 */
import type { Cadence } from './policy-document.js';

/** Cron expressions (UTC) of the scheduler, per cadence. */
export const CADENCE_CRON: Readonly<Record<Cadence, string>> = {
  MONTHLY: '0 0 1 * *',
  WEEKLY: '0 0 * * 1',
};

/** The longest period a run covers: a little over a year. */
export const MAX_PERIOD_MS = 367 * 24 * 60 * 60 * 1000;

export interface Period {
  readonly start: Date;
  readonly end: Date;
}

/** The period that ends at `end` (an occurrence of the cadence). */
export function periodEndingAt(cadence: Cadence, end: Date): Period {
  if (cadence === 'WEEKLY') return { start: new Date(end.getTime() - 7 * 24 * 60 * 60 * 1000), end };
  return { start: new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - 1, 1)), end };
}

/** Null when the period is well formed and over by `now`; else what is wrong with it. */
export function periodProblem(period: Period, now: Date): string | null {
  if (period.end.getTime() <= period.start.getTime()) return 'the period ends after it starts';
  if (period.end.getTime() - period.start.getTime() > MAX_PERIOD_MS) return 'a period is at most 367 days';
  if (period.end.getTime() > now.getTime()) return 'the period has not ended yet';
  return null;
}
