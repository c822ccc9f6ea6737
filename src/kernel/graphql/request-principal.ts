import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { assert } from '../assert.js';
import { DomainError } from '../errors/domain-error.js';
import { KERNEL_ERRORS } from '../errors/kernel.errors.js';
import type { PersonPrincipal, Principal } from '../principal.js';

/** Marks an operation that anyone may call without signing in (register, log in, refresh, accept an invite). */
export const PUBLIC_OPERATION = 'access:public';
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_OPERATION, true);

/** Where the guard leaves the caller on the request. */
export interface RequestWithPrincipal {
  principal?: Principal;
  headers: Record<string, string | string[] | undefined>;
  ip?: string;
}

export function requestOf(context: ExecutionContext): RequestWithPrincipal {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req: RequestWithPrincipal }>().req;
  }
  return context.switchToHttp().getRequest<RequestWithPrincipal>();
}

/** The signed-in caller of a protected operation (the guard has refused the request without one). */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = requestOf(context).principal;
  assert(principal !== undefined, 'a protected operation always has a principal');
  return principal;
});

/** The person behind a principal (FORBIDDEN for API tokens, which cannot act as a person). */
export function requirePerson(principal: Principal): PersonPrincipal {
  if (principal.kind !== 'PERSON') {
    throw new DomainError(KERNEL_ERRORS.PERSON_REQUIRED, 'This operation needs a person signed in, not an API token');
  }
  return principal;
}
