/**
 * Weeks and months of a strike, in UTC calendar dates ('YYYY-MM-DD'). A week starts on Monday; a month is
 * named by its first day. SQL twins: stipend_rule_from_monday, stipend_batch_week_monday,
 * escrow_deposit_month_first.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Whether the text is a real calendar date in the form YYYY-MM-DD. */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (match === null) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

export function dateOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return dateOf(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
}

/** The Monday of the week holding the day. */
export function weekStartOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

export function isMonday(day: string): boolean {
  return isCalendarDate(day) && weekStartOf(day) === day;
}

/** The Monday after the week holding the instant: when a change of rules takes effect. */
export function nextWeekStart(instant: Date): string {
  return addDays(weekStartOf(dateOf(instant)), 7);
}

export function isFirstOfMonth(day: string): boolean {
  return isCalendarDate(day) && day.endsWith('-01');
}

/** The year a day falls in, as its first and last day. */
export function yearOf(day: string): { first: string; last: string } {
  const year = day.slice(0, 4);
  return { first: `${year}-01-01`, last: `${year}-12-31` };
}
