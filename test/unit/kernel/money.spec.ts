/**
 * Goal: amounts cross the API only as canonical decimal strings within int64, both through
 * parseMinorUnits and the Money GraphQL scalar. Method: worked examples at the edges, the scalar's three
 * entry points, and a fast-check round-trip property over the whole int64 range.
 */
import fc from 'fast-check';
import { Kind, type ValueNode } from 'graphql';
import { DomainError } from '../../../src/kernel/errors/domain-error.js';
import { INT64_MAX, INT64_MIN, bigintFromColumn, parseMinorUnits } from '../../../src/kernel/money/minor-units.js';
import { MoneyScalar } from '../../../src/kernel/money/money.scalar.js';

function reasonOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) {
      expect(error.code).toBe('VALIDATION_FAILED');
      return error.details.reason;
    }
    throw error;
  }
  return undefined;
}

describe('parseMinorUnits', () => {
  it.each([
    ['0', 0n],
    ['1', 1n],
    ['-1', -1n],
    ['1250', 1250n],
    ['9223372036854775807', INT64_MAX],
    ['-9223372036854775808', INT64_MIN],
  ])('accepts %j', (text, value) => {
    expect(parseMinorUnits(text)).toBe(value);
  });

  it.each(['1.5', '01', '00', '+1', '1e3', ' 1', '1 ', '', '-', '0x10', '1_000', '١٢', 'abc'])(
    'refuses %j: INVALID_AMOUNT',
    (text) => {
      expect(reasonOf(() => parseMinorUnits(text))).toBe('INVALID_AMOUNT');
    },
  );

  it.each([
    '9223372036854775808',
    '-9223372036854775809',
    '9999999999999999999',
    '12345678901234567890',
    '-1' + '0'.repeat(40),
  ])('refuses %j: AMOUNT_OUT_OF_RANGE', (text) => {
    expect(reasonOf(() => parseMinorUnits(text))).toBe('AMOUNT_OUT_OF_RANGE');
  });

  it('abbreviates a long input in the message', () => {
    try {
      parseMinorUnits('x'.repeat(100));
      throw new Error('expected a refusal');
    } catch (error) {
      expect((error as Error).message).toContain(`${'x'.repeat(40)}…`);
      expect((error as Error).message).not.toContain('x'.repeat(41));
    }
  });

  it('round-trips every int64 (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: INT64_MIN, max: INT64_MAX }), (value) => {
        expect(parseMinorUnits(value.toString())).toBe(value);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses every integer outside int64 (property)', () => {
    const outside = fc.oneof(
      fc.bigInt({ min: INT64_MAX + 1n, max: 10n ** 19n - 1n }),
      fc.bigInt({ min: -(10n ** 19n) + 1n, max: INT64_MIN - 1n }),
    );
    fc.assert(
      fc.property(outside, (value) => {
        expect(reasonOf(() => parseMinorUnits(value.toString()))).toBe('AMOUNT_OUT_OF_RANGE');
      }),
      { numRuns: 100 },
    );
  });
});

describe('bigintFromColumn', () => {
  it('converts strings, numbers and bigints, and refuses anything else', () => {
    expect(bigintFromColumn('42')).toBe(42n);
    expect(bigintFromColumn(42)).toBe(42n);
    expect(bigintFromColumn(42n)).toBe(42n);
    expect(() => bigintFromColumn(null)).toThrow(TypeError);
  });
});

describe('MoneyScalar', () => {
  it('serializes a bigint as its decimal string, and refuses anything else', () => {
    expect(MoneyScalar.serialize(1250n)).toBe('1250');
    expect(MoneyScalar.serialize(INT64_MIN)).toBe('-9223372036854775808');
    expect(() => MoneyScalar.serialize(1250)).toThrow(TypeError);
    expect(() => MoneyScalar.serialize('1250')).toThrow(TypeError);
  });

  it('parses a string variable, and refuses numbers', () => {
    expect(MoneyScalar.parseValue('1250')).toBe(1250n);
    expect(reasonOf(() => MoneyScalar.parseValue(1250))).toBe('INVALID_AMOUNT');
    expect(reasonOf(() => MoneyScalar.parseValue(12.5))).toBe('INVALID_AMOUNT');
    expect(reasonOf(() => MoneyScalar.parseValue(null))).toBe('INVALID_AMOUNT');
    expect(reasonOf(() => MoneyScalar.parseValue('1.5'))).toBe('INVALID_AMOUNT');
  });

  it('parses a string literal, and refuses an IntValue or FloatValue literal', () => {
    const literal = (node: ValueNode) => MoneyScalar.parseLiteral(node, undefined);
    expect(literal({ kind: Kind.STRING, value: '-7' })).toBe(-7n);
    expect(reasonOf(() => literal({ kind: Kind.INT, value: '1250' }))).toBe('INVALID_AMOUNT');
    expect(reasonOf(() => literal({ kind: Kind.FLOAT, value: '12.5' }))).toBe('INVALID_AMOUNT');
    expect(reasonOf(() => literal({ kind: Kind.STRING, value: '9223372036854775808' }))).toBe('AMOUNT_OUT_OF_RANGE');
  });
});
