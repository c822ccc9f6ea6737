/**
 * Rule: when scheduled work runs next. One-off work runs once, at its instant. Recurring work follows a cron
 * expression (five fields, or six with seconds first; in UTC), and after downtime either catches up EACH
 * missed occurrence, in order (charges due per period), or only the LATEST (a check whose earlier runs
 * would tell nothing new). Every occurrence has an id derived from the work, its key and its instant: the
 * job that runs it carries that id, so an occurrence is handed to the job queue once, whoever ticks.
 * The SQL twins: the primary keys of `scheduled_work` and `scheduled_occurrence` and the unique
 * (work, key, run_at) of occurrences.
 */
import cronParser from 'cron-parser';
import { uuidV5 } from '../ids.js';

export type CatchUp = 'EACH' | 'LATEST';

const OCCURRENCE_NAMESPACE = '2d7a9e4b-6c1f-4a8d-b3e5-7f9a0c1d2e3b';

/** Whether a cron expression is one the scheduler runs (five or six fields, each occurrence in the future). */
export function isValidCron(cron: string): boolean {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) return false;
  try {
    cronParser.parseExpression(cron, { utc: true }).next();
    return true;
  } catch {
    return false;
  }
}

/** The first occurrence of `cron` strictly after `after`. */
export function nextOccurrence(cron: string, after: Date): Date {
  return cronParser.parseExpression(cron, { utc: true, currentDate: after }).next().toDate();
}

/**
 * The occurrence recurring work runs when it is found due at `now` with its next occurrence at `runAt`:
 * that one (EACH), or the latest occurrence up to now (LATEST: the missed ones before it skipped).
 */
export function dueOccurrence(cron: string, catchUp: CatchUp, runAt: Date, now: Date): Date {
  if (catchUp === 'EACH' || runAt >= now) return runAt;
  const latest = cronParser
    .parseExpression(cron, { utc: true, currentDate: new Date(now.getTime() + 1) })
    .prev()
    .toDate();
  return latest > runAt ? latest : runAt;
}

/** The occurrence after the one just run, `ran`: due at once if it too was missed (EACH catches up). */
export function followingOccurrence(cron: string, ran: Date): Date {
  return nextOccurrence(cron, ran);
}

export function occurrenceId(work: string, key: string, runAt: Date): string {
  return uuidV5(JSON.stringify([work, key, runAt.toISOString()]), OCCURRENCE_NAMESPACE);
}
