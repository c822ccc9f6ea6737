/**
 * Pledges: a promise to give an amount once or every period. A recurring ledger pledge is collected once per
 * period: the first period when it is made (as the person who pledged, which proves they may pay from the
 * account), then by the scheduler at the start of each period (Mondays 06:00 UTC, or the 1st of the month),
 * each missed period caught up. A period is named by the day it starts; the contribution's id derives from
 * the pledge and the period, so a collection run twice (a crash, two processes) pays once. SQL twin:
 * fund_contribution_pledge_once UNIQUE (pledge_id, pledge_period).
 */
import { dateOf, weekStartOf } from './calendar.js';

export type PledgePeriod = 'ONCE' | 'WEEKLY' | 'MONTHLY';

export const PLEDGE_CRON: Record<Exclude<PledgePeriod, 'ONCE'>, string> = {
  WEEKLY: '0 6 * * 1',
  MONTHLY: '0 6 1 * *',
};

const DAY_MS = 86_400_000;

/** The first day of the period holding the instant. */
export function periodStart(period: PledgePeriod, instant: Date): string {
  const day = dateOf(instant);
  switch (period) {
    case 'ONCE':
      return day;
    case 'WEEKLY':
      return weekStartOf(day);
    case 'MONTHLY':
      return `${day.slice(0, 8)}01`;
  }
}

/** A period as a whole number (days since 1970-01-01 of its first day), as stored with the contribution. */
export function periodNumber(period: PledgePeriod, instant: Date): number {
  return Math.round(Date.parse(`${periodStart(period, instant)}T00:00:00Z`) / DAY_MS);
}
