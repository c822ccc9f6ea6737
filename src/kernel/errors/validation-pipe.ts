import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError } from './domain-error.js';
import { KERNEL_ERRORS } from './kernel.errors.js';

/** class-validator failures become VALIDATION_FAILED / INVALID_INPUT, naming each field and its problem. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    forbidUnknownValues: false,
    exceptionFactory: (errors: ValidationError[]) => {
      const fields = flatten(errors, '');
      return new DomainError(
        KERNEL_ERRORS.INVALID_INPUT,
        fields.map((field) => `${field.path}: ${field.problems.join(', ')}`).join('; '),
        {
          fields,
        },
      );
    },
  });
}

function flatten(errors: readonly ValidationError[], prefix: string): { path: string; problems: string[] }[] {
  return errors.flatMap((error) => {
    const path = prefix === '' ? error.property : `${prefix}.${error.property}`;
    const own = error.constraints === undefined ? [] : [{ path, problems: Object.values(error.constraints) }];
    return [...own, ...flatten(error.children ?? [], path)];
  });
}
