import { DomainError } from '../errors/domain-error.js';
import { KERNEL_ERRORS } from '../errors/kernel.errors.js';

/**
 * Amounts are whole numbers of a unit's minor unit (cents, minutes), held as bigint and sent as decimal
 * strings: GraphQL's Int is 32-bit and JSON numbers lose precision past 2^53.
 */
export const INT64_MAX = 9_223_372_036_854_775_807n;
export const INT64_MIN = -9_223_372_036_854_775_808n;

/** A canonical decimal integer: no leading zeros, no plus sign, no "-0". */
const INTEGER_PATTERN = /^(0|-?[1-9]\d*)$/;

/** int64 has at most 19 digits; a longer canonical integer is out of range without being parsed. */
const MAX_INT64_DIGITS = 19;

/** Parses a canonical decimal integer string within the signed 64-bit range. */
export function parseMinorUnits(text: string): bigint {
  if (!INTEGER_PATTERN.test(text)) {
    throw new DomainError(
      KERNEL_ERRORS.INVALID_AMOUNT,
      `Expected a whole number of minor units as a decimal string (like "1250"), got "${abbreviate(text)}"`,
    );
  }
  const digits = text.startsWith('-') ? text.length - 1 : text.length;
  const value = digits > MAX_INT64_DIGITS ? null : BigInt(text);
  if (value === null || value > INT64_MAX || value < INT64_MIN) {
    throw new DomainError(KERNEL_ERRORS.AMOUNT_OUT_OF_RANGE, 'Amount is outside the signed 64-bit range');
  }
  return value;
}

/** node-postgres returns int8 and numeric columns as strings; this is the one place they become bigint. */
export function bigintFromColumn(value: unknown): bigint {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return BigInt(value);
  throw new TypeError(`Expected an integer column value, got ${typeof value}`);
}

function abbreviate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
