/**
 * Exact fractions over bigint, for rules whose answer is a share of something (a supermajority threshold,
 * what each voter's share paid towards a funded proposal). A Rational is always in normal form: the
 * denominator is positive and shares no factor with the numerator, and zero is 0/1, so two equal values
 * have equal fields and one printed form ("n/d", always with the denominator, even 5/1).
 *
 * Nothing here rounds. `floor` and `ceil` name their direction. Dividing by zero, or a zero denominator, is
 * a bug in the caller: it fails an assertion. Normalising costs a gcd per operation; code that does
 * millions of operations on one common denominator (the Method of Equal Shares) keeps integers itself and
 * builds Rationals only for what it reports.
 */
import { assert } from '../assert.js';

export interface Rational {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

export const ZERO: Rational = Object.freeze({ numerator: 0n, denominator: 1n });
export const ONE: Rational = Object.freeze({ numerator: 1n, denominator: 1n });

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

/** The greatest common divisor of |a| and |b| (gcd(0, 0) = 0). */
export function gcd(a: bigint, b: bigint): bigint {
  let x = abs(a);
  let y = abs(b);
  while (y !== 0n) {
    const rest = x % y;
    x = y;
    y = rest;
  }
  return x;
}

/** numerator/denominator in normal form. */
export function rational(numerator: bigint, denominator: bigint = 1n): Rational {
  assert(denominator !== 0n, 'a rational number needs a non-zero denominator');
  if (numerator === 0n) return ZERO;
  const sign = denominator < 0n ? -1n : 1n;
  const divisor = gcd(numerator, denominator);
  return { numerator: (sign * numerator) / divisor, denominator: (sign * denominator) / divisor };
}

export function add(a: Rational, b: Rational): Rational {
  if (a.denominator === b.denominator) return rational(a.numerator + b.numerator, a.denominator);
  return rational(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator);
}

export function subtract(a: Rational, b: Rational): Rational {
  return add(a, negate(b));
}

export function negate(a: Rational): Rational {
  return a.numerator === 0n ? ZERO : { numerator: -a.numerator, denominator: a.denominator };
}

export function multiply(a: Rational, b: Rational): Rational {
  return rational(a.numerator * b.numerator, a.denominator * b.denominator);
}

export function divide(a: Rational, b: Rational): Rational {
  assert(b.numerator !== 0n, 'division by zero');
  return rational(a.numerator * b.denominator, a.denominator * b.numerator);
}

/** -1, 0 or 1 as a is below, equal to, or above b (exact: cross-multiplied, denominators being positive). */
export function compare(a: Rational, b: Rational): -1 | 0 | 1 {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function equals(a: Rational, b: Rational): boolean {
  return a.numerator === b.numerator && a.denominator === b.denominator;
}

export function sign(a: Rational): -1 | 0 | 1 {
  return a.numerator < 0n ? -1 : a.numerator > 0n ? 1 : 0;
}

export function min(a: Rational, b: Rational): Rational {
  return compare(a, b) <= 0 ? a : b;
}

export function max(a: Rational, b: Rational): Rational {
  return compare(a, b) >= 0 ? a : b;
}

/** The greatest integer not above a (towards minus infinity, unlike bigint division). */
export function floor(a: Rational): bigint {
  const quotient = a.numerator / a.denominator;
  return a.numerator < 0n && quotient * a.denominator !== a.numerator ? quotient - 1n : quotient;
}

/** The least integer not below a. */
export function ceil(a: Rational): bigint {
  return -floor(negate(a));
}

export function isZero(a: Rational): boolean {
  return a.numerator === 0n;
}

export function sum(values: Iterable<Rational>): Rational {
  let total = ZERO;
  for (const value of values) total = add(total, value);
  return total;
}

/** "n/d" in normal form, e.g. "-3/4", "0/1", "5/1". */
export function toString(a: Rational): string {
  return `${a.numerator}/${a.denominator}`;
}

const RATIONAL_PATTERN = /^(0|-?[1-9]\d*)\/([1-9]\d*)$/;

/** Reads what `toString` wrote; anything else (not in normal form, signs on the denominator…) is null. */
export function parseRational(text: string): Rational | null {
  const match = RATIONAL_PATTERN.exec(text);
  if (match === null) return null;
  const value = { numerator: BigInt(match[1] as string), denominator: BigInt(match[2] as string) };
  const normal = rational(value.numerator, value.denominator);
  return equals(normal, value) ? normal : null;
}
