/**
 * Goal: the JSONObject scalar takes a JSON object and nothing else, and refuses one nested or sized past its
 * limits before anything walks it recursively (so a hostile document cannot exhaust the stack).
 * Method: worked examples through parseValue and parseLiteral, and documents deeper than any stack survives.
 */
import { parseValue } from 'graphql';
import { DomainError } from '../../../src/kernel/errors/domain-error.js';
import { JsonObjectScalar, MAX_JSON_DEPTH, MAX_JSON_VALUES } from '../../../src/kernel/graphql/json-object.scalar.js';

const nested = (depth: number): Record<string, unknown> => {
  let value: Record<string, unknown> = {};
  for (let level = 1; level < depth; level += 1) value = { a: value };
  return value;
};

describe('JSONObject', () => {
  it('takes objects, from variables and from literals', () => {
    expect(JsonObjectScalar.parseValue({ a: [1, { b: 'x' }] })).toEqual({ a: [1, { b: 'x' }] });
    expect(JsonObjectScalar.parseLiteral(parseValue('{ amount: "1250", list: [1, 2] }'), {})).toEqual({
      amount: '1250',
      list: [1, 2],
    });
  });

  it('refuses lists, scalars and null', () => {
    for (const value of [[], 'x', 1, null, true]) {
      expect(() => JsonObjectScalar.parseValue(value)).toThrow(DomainError);
    }
    expect(() => JsonObjectScalar.parseLiteral(parseValue('[1]'), {})).toThrow(DomainError);
  });

  it(`takes ${MAX_JSON_DEPTH} levels and refuses one more, however deep it goes`, () => {
    expect(JsonObjectScalar.parseValue(nested(MAX_JSON_DEPTH))).toEqual(nested(MAX_JSON_DEPTH));
    expect(() => JsonObjectScalar.parseValue(nested(MAX_JSON_DEPTH + 1))).toThrow(DomainError);
    expect(() => JsonObjectScalar.parseValue(nested(200_000))).toThrow(/nests at most/);
  });

  it(`refuses more than ${MAX_JSON_VALUES} values`, () => {
    expect(() => JsonObjectScalar.parseValue({ list: Array.from({ length: MAX_JSON_VALUES + 1 }, () => 0) })).toThrow(
      /at most/,
    );
  });
});
