import { GraphQLScalarType, Kind } from 'graphql';
import { DomainError } from '../errors/domain-error.js';
import { KERNEL_ERRORS } from '../errors/kernel.errors.js';
import { INT64_MAX } from '../money/minor-units.js';

/** Counters and positions that outgrow 32 bits (sequence numbers, versions), as decimal strings. */
export const Int64Scalar = new GraphQLScalarType<bigint, string>({
  name: 'Int64',
  description: 'A non-negative 64-bit integer (a sequence number or version), as a decimal string.',
  serialize(value) {
    if (typeof value !== 'bigint') throw new TypeError('Int64 must be produced from a bigint');
    return value.toString();
  },
  parseValue(value) {
    return parseInt64(value);
  },
  parseLiteral(ast) {
    return parseInt64(ast.kind === Kind.STRING ? ast.value : undefined);
  },
});

function parseInt64(value: unknown): bigint {
  if (typeof value !== 'string' || !/^(0|[1-9]\d{0,18})$/.test(value) || BigInt(value) > INT64_MAX) {
    throw new DomainError(KERNEL_ERRORS.INVALID_INT64, 'Expected a non-negative 64-bit integer as a decimal string');
  }
  return BigInt(value);
}
