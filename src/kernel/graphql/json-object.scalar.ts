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

function toObject(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DomainError(KERNEL_ERRORS.INVALID_JSON_OBJECT, 'Expected a JSON object');
  }
  return value as Record<string, unknown>;
}
