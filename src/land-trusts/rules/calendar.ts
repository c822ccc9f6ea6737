/**
 * Rule: the calendar of leases. Lease dates are calendar days (`YYYY-MM-DD`, no time, no zone) and charge
 * periods are calendar months (`YYYY-MM`); a day is counted as its number since 1970-01-01 (UTC), so that
 * day arithmetic is integer arithmetic and no time zone or daylight-saving change can move a due date.
 * Why: a ground lease is a contract over days; instants would make "the 1st of the month" depend on where
 * the server runs. SQL twin: the `date` columns of the land-trusts migration and their CHECKs.
 */

const DAY_MS = 86_400_000;
const DATE_FORM = /^(\d{4})-(\d{2})-(\d{2})$/;
const PERIOD_FORM = /^(\d{4})-(\d{2})$/;

/** Whether `text` is a real calendar day between the years 1900 and 9999, as `YYYY-MM-DD`. */
export function isCalendarDate(text: string): boolean {
  const match = DATE_FORM.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

export function isPeriod(text: string): boolean {
  const match = PERIOD_FORM.exec(text);
  return match !== null && Number(match[1]) >= 1900 && Number(match[2]) >= 1 && Number(match[2]) <= 12;
}

/** Days since 1970-01-01 of a calendar day (`YYYY-MM-DD`, assumed valid). */
export function dayNumber(date: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

/** The calendar day of a day number. */
export function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar day (UTC) an instant falls on. */
export function dateOfInstant(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return dateOf(dayNumber(date) + days);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The period (`YYYY-MM`) a day falls in. */
export function periodOf(date: string): string {
  return date.slice(0, 7);
}

export function firstDayOf(period: string): string {
  return `${period}-01`;
}

export function lastDayOf(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return `${period}-${String(daysInMonth(year, month)).padStart(2, '0')}`;
}

export function nextPeriod(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return month === 12
    ? `${String(year + 1).padStart(4, '0')}-01`
    : `${period.slice(0, 4)}-${String(month + 1).padStart(2, '0')}`;
}

/** Day `day` of a period, or its last day when the month is shorter. */
export function dayOfPeriod(period: string, day: number): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return `${period}-${String(Math.min(day, daysInMonth(year, month))).padStart(2, '0')}`;
}

export function minDate(a: string, b: string): string {
  return a <= b ? a : b;
}

export function maxDate(a: string, b: string): string {
  return a >= b ? a : b;
}
