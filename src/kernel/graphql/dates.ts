import { DomainError } from '../errors/domain-error.js';
import { KERNEL_ERRORS } from '../errors/kernel.errors.js';

/**
 * Dates clients send must be real and within what PostgreSQL's timestamptz stores (and people mean): years
 * 1 to 9999. JavaScript accepts far wider dates, which the database would refuse with an internal error.
 * The DateTime scalar lets a string that names no instant through as an Invalid Date, so that the refusal
 * can name the field.
 */
const FIRST_YEAR = new Date('0001-01-01T00:00:00.000Z').getTime();
const LAST_YEAR_END = new Date('9999-12-31T23:59:59.999Z').getTime();

export function isStorableDate(date: Date): boolean {
  const time = date.getTime();
  return !Number.isNaN(time) && time >= FIRST_YEAR && time <= LAST_YEAR_END;
}

export function requireStorableDate(date: Date, field: string): Date {
  if (!isStorableDate(date)) {
    throw new DomainError(
      KERNEL_ERRORS.INVALID_DATE,
      `${field} must be a valid date-time between the years 1 and 9999`,
      {
        field,
      },
    );
  }
  return date;
}
