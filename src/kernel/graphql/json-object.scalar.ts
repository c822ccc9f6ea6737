import { GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';
import { DomainError } from '../errors/domain-error.js';
import { KERNEL_ERRORS } from '../errors/kernel.errors.js';

/**
 * Parameters whose shape belongs to another module (a motion's effect, an approval request's action): a
 * JSON object, checked by the module that owns its kind. Amounts inside are decimal strings of minor units,
 * as everywhere else.
 */
export const JsonObjectScalar = new GraphQLScalarType<Record<string, unknown>, Record<string, unknown>>({
  name: 'JSONObject',
  description: 'A JSON object (not a list or a scalar); amounts inside it are decimal strings of minor units.',
  serialize(value) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new TypeError('JSONObject must be produced from an object');
    }
    return value as Record<string, unknown>;
  },
  parseValue: toObject,
  parseLiteral(ast, variables) {
    return toObject(ast.kind === Kind.OBJECT ? valueFromASTUntyped(ast, variables) : null);
  },
});

/** Parameters are small: deeper or larger is refused here, before anything walks them recursively. */
export const MAX_JSON_DEPTH = 16;
export const MAX_JSON_VALUES = 10_000;

function toObject(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DomainError(KERNEL_ERRORS.INVALID_JSON_OBJECT, 'Expected a JSON object');
  }
  // Breadth first, without recursion: a hostile document cannot exhaust the stack here.
  let level: unknown[] = [value];
  let values = 0;
  for (let depth = 1; level.length > 0; depth += 1) {
    if (depth > MAX_JSON_DEPTH) {
      throw new DomainError(KERNEL_ERRORS.INVALID_JSON_OBJECT, `A JSON object nests at most ${MAX_JSON_DEPTH} levels`);
    }
    const next: unknown[] = [];
    for (const item of level) {
      const children = Array.isArray(item) ? item : Object.values(item as Record<string, unknown>);
      values += children.length;
      for (const child of children) if (child !== null && typeof child === 'object') next.push(child);
    }
    if (values > MAX_JSON_VALUES) {
      throw new DomainError(KERNEL_ERRORS.INVALID_JSON_OBJECT, `A JSON object holds at most ${MAX_JSON_VALUES} values`);
    }
    level = next;
  }
  return value as Record<string, unknown>;
}
