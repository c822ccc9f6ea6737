import { GraphQLScalarType, Kind } from 'graphql';
import { DomainError } from '../errors/domain-error.js';
import { KERNEL_ERRORS } from '../errors/kernel.errors.js';
import { parseMinorUnits } from './minor-units.js';

/** Money in GraphQL: a decimal string of minor units (a bigint in TypeScript). Numbers are refused. */
export const MoneyScalar = new GraphQLScalarType<bigint, string>({
  name: 'Money',
  description:
    'A whole number of minor units of an account\'s unit (cents, minutes), as a decimal string such as "1250". ' +
    'Strings keep every digit: GraphQL Int is 32-bit and JSON numbers round past 2^53.',
  serialize(value) {
    if (typeof value !== 'bigint') throw new TypeError('Money must be produced from a bigint');
    return value.toString();
  },
  parseValue(value) {
    if (typeof value !== 'string') {
      throw new DomainError(KERNEL_ERRORS.INVALID_AMOUNT, 'Money must be sent as a string of digits, such as "1250"');
    }
    return parseMinorUnits(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) {
      throw new DomainError(KERNEL_ERRORS.INVALID_AMOUNT, 'Money must be sent as a string of digits, such as "1250"');
    }
    return parseMinorUnits(ast.value);
  },
});
