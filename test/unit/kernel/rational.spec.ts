/**
 * Goal: Rational is exact arithmetic over bigint, always in normal form, so that rules built on it never
 * round and two equal values always look the same. Method: worked examples (signs, normal form, floor and
 * ceil on both sides of zero, printing and parsing), the invalid inputs (zero denominators, division by
 * zero, malformed text), then fast-check properties: the field laws, normal form after every operation,
 * compare as a total order agreeing with subtraction, floor and ceil bracketing the value.
 */
import fc from 'fast-check';
import { AssertionFailed } from '../../../src/kernel/assert.js';
import {
  ONE,
  ZERO,
  add,
  ceil,
  compare,
  divide,
  equals,
  floor,
  gcd,
  isZero,
  max,
  min,
  multiply,
  negate,
  parseRational,
  rational,
  sign,
  subtract,
  sum,
  toString,
  type Rational,
} from '../../../src/kernel/money/rational.js';

const r = (n: bigint, d: bigint = 1n): Rational => rational(n, d);

const nonZeroBigint = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).filter((value) => value !== 0n);
const anyBigint = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n });
const anyRational = fc.tuple(anyBigint, nonZeroBigint).map(([n, d]) => rational(n, d));
const nonZeroRational = anyRational.filter((value) => !isZero(value));

function isNormal(value: Rational): boolean {
  return value.denominator > 0n && gcd(value.numerator, value.denominator) === 1n;
}

describe('rational: worked examples', () => {
  it('normalises sign and common factors', () => {
    expect(r(6n, 8n)).toEqual({ numerator: 3n, denominator: 4n });
    expect(r(6n, -8n)).toEqual({ numerator: -3n, denominator: 4n });
    expect(r(-6n, -8n)).toEqual({ numerator: 3n, denominator: 4n });
    expect(r(0n, -5n)).toEqual({ numerator: 0n, denominator: 1n });
    expect(r(7n)).toEqual({ numerator: 7n, denominator: 1n });
  });

  it('adds, subtracts, multiplies and divides exactly', () => {
    expect(add(r(1n, 3n), r(1n, 6n))).toEqual(r(1n, 2n));
    expect(subtract(r(1n, 3n), r(1n, 2n))).toEqual(r(-1n, 6n));
    expect(multiply(r(2n, 3n), r(9n, 4n))).toEqual(r(3n, 2n));
    expect(divide(r(2n, 3n), r(-4n, 9n))).toEqual(r(-3n, 2n));
    expect(add(r(1n, 10n), r(2n, 10n))).toEqual(r(3n, 10n));
    expect(sum([r(1n, 2n), r(1n, 3n), r(1n, 6n)])).toEqual(ONE);
    expect(sum([])).toEqual(ZERO);
  });

  it('a third of a hundred stays a third: 100/3 * 3 = 100', () => {
    expect(multiply(divide(r(100n), r(3n)), r(3n))).toEqual(r(100n));
  });

  it('compares by cross-multiplication, also past 2^53', () => {
    const big = 2n ** 80n;
    expect(compare(r(big + 1n, big), r(big, big - 1n))).toBe(-1);
    expect(compare(r(2n, 3n), r(4n, 6n))).toBe(0);
    expect(compare(r(-1n, 2n), r(-1n, 3n))).toBe(-1);
    expect(min(r(1n, 2n), r(1n, 3n))).toEqual(r(1n, 3n));
    expect(max(r(1n, 2n), r(1n, 3n))).toEqual(r(1n, 2n));
    expect(sign(r(-1n, 9n))).toBe(-1);
    expect(sign(ZERO)).toBe(0);
    expect(equals(r(2n, 4n), r(1n, 2n))).toBe(true);
  });

  it('floor goes towards minus infinity and ceil towards plus infinity', () => {
    expect(floor(r(7n, 2n))).toBe(3n);
    expect(floor(r(-7n, 2n))).toBe(-4n);
    expect(floor(r(-6n, 2n))).toBe(-3n);
    expect(floor(r(1n, 3n))).toBe(0n);
    expect(floor(r(-1n, 3n))).toBe(-1n);
    expect(ceil(r(7n, 2n))).toBe(4n);
    expect(ceil(r(-7n, 2n))).toBe(-3n);
    expect(ceil(r(4n))).toBe(4n);
  });

  it('prints n/d, always with the denominator, and reads back only normal forms', () => {
    expect(toString(r(-3n, 4n))).toBe('-3/4');
    expect(toString(ZERO)).toBe('0/1');
    expect(toString(r(5n))).toBe('5/1');
    expect(parseRational('-3/4')).toEqual(r(-3n, 4n));
    expect(parseRational('0/1')).toEqual(ZERO);
    for (const text of ['6/8', '3/-4', '0/2', '-0/1', '1/0', '01/2', '1', '1.5/2', ' 1/2', '1/2 ', '+1/2', '']) {
      expect(parseRational(text)).toBeNull();
    }
  });

  it('refuses a zero denominator and division by zero', () => {
    expect(() => r(1n, 0n)).toThrow(AssertionFailed);
    expect(() => divide(ONE, ZERO)).toThrow(AssertionFailed);
  });

  it('negates without leaving a negative zero', () => {
    expect(negate(ZERO)).toEqual(ZERO);
    expect(negate(r(2n, 3n))).toEqual(r(-2n, 3n));
  });
});

describe('rational: properties', () => {
  it('every operation returns a normal form', () => {
    fc.assert(
      fc.property(anyRational, nonZeroRational, (a, b) =>
        [add(a, b), subtract(a, b), multiply(a, b), divide(a, b), negate(a), min(a, b), max(a, b)].every(isNormal),
      ),
    );
  });

  it('equal values have equal fields: x/y built from scaled parts is the same value', () => {
    fc.assert(
      fc.property(anyBigint, nonZeroBigint, nonZeroBigint, (n, d, k) => {
        expect(rational(n * k, d * k)).toEqual(rational(n, d));
      }),
    );
  });

  it('addition and multiplication are commutative and associative, with identities and inverses', () => {
    fc.assert(
      fc.property(anyRational, anyRational, anyRational, (a, b, c) => {
        expect(add(a, b)).toEqual(add(b, a));
        expect(multiply(a, b)).toEqual(multiply(b, a));
        expect(add(add(a, b), c)).toEqual(add(a, add(b, c)));
        expect(multiply(multiply(a, b), c)).toEqual(multiply(a, multiply(b, c)));
        expect(add(a, ZERO)).toEqual(a);
        expect(multiply(a, ONE)).toEqual(a);
        expect(add(a, negate(a))).toEqual(ZERO);
        expect(subtract(a, b)).toEqual(add(a, negate(b)));
      }),
    );
  });

  it('multiplication distributes over addition, and division undoes multiplication', () => {
    fc.assert(
      fc.property(anyRational, anyRational, anyRational, nonZeroRational, (a, b, c, d) => {
        expect(multiply(a, add(b, c))).toEqual(add(multiply(a, b), multiply(a, c)));
        expect(multiply(divide(a, d), d)).toEqual(a);
        expect(multiply(d, divide(ONE, d))).toEqual(ONE);
      }),
    );
  });

  it('compare is a total order that agrees with the sign of the difference', () => {
    fc.assert(
      fc.property(anyRational, anyRational, anyRational, (a, b, c) => {
        expect(compare(a, b)).toBe(sign(subtract(a, b)));
        expect(compare(a, b)).toBe(-compare(b, a) || 0);
        expect(compare(a, a)).toBe(0);
        if (compare(a, b) <= 0 && compare(b, c) <= 0) expect(compare(a, c)).toBeLessThanOrEqual(0);
        expect(compare(a, b) === 0).toBe(equals(a, b));
        // The order is compatible with addition.
        expect(compare(add(a, c), add(b, c))).toBe(compare(a, b));
      }),
    );
  });

  it('min and max pick one of their arguments, in order', () => {
    fc.assert(
      fc.property(anyRational, anyRational, (a, b) => {
        const low = min(a, b);
        const high = max(a, b);
        expect(compare(low, high)).toBeLessThanOrEqual(0);
        expect([low, high].sort((x, y) => compare(x, y))).toEqual([a, b].sort((x, y) => compare(x, y)));
      }),
    );
  });

  it('floor(x) <= x < floor(x) + 1 and ceil(x) - 1 < x <= ceil(x)', () => {
    fc.assert(
      fc.property(anyRational, (a) => {
        const f = rational(floor(a));
        const c = rational(ceil(a));
        expect(compare(f, a)).toBeLessThanOrEqual(0);
        expect(compare(a, add(f, ONE))).toBe(-1);
        expect(compare(a, c)).toBeLessThanOrEqual(0);
        expect(compare(subtract(c, ONE), a)).toBe(-1);
      }),
    );
  });

  it('toString and parseRational round-trip', () => {
    fc.assert(
      fc.property(anyRational, (a) => {
        expect(parseRational(toString(a))).toEqual(a);
      }),
    );
  });
});
