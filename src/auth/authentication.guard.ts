import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PUBLIC_OPERATION, requestOf, type RequestWithPrincipal } from '../kernel/graphql/request-principal.js';
import type { Principal } from '../kernel/principal.js';
import { DomainError } from '../kernel/errors/domain-error.js';
import { AUTH_ERRORS } from './auth.errors.js';
import { AuthService } from './auth.service.js';

/** Remembers, per request, the outcome of authenticating it (several root fields share one request). */
const AUTHENTICATION = Symbol('authentication');
type Authenticated = RequestWithPrincipal & { [AUTHENTICATION]?: Promise<Principal | DomainError | null> };

/**
 * Deny by default: every operation needs a valid bearer token (a person's access token or an
 * organisation's API token) unless it is marked @Public(). What the caller may then do is decided by the
 * services, from the principal this guard leaves on the request.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_OPERATION, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = requestOf(context) as Authenticated;
    request[AUTHENTICATION] ??= this.authenticate(request);
    const outcome = await request[AUTHENTICATION];
    if (outcome instanceof DomainError) {
      if (isPublic === true) return true;
      throw outcome;
    }
    if (outcome !== null) request.principal = outcome;
    if (isPublic === true || outcome !== null) return true;
    throw new DomainError(AUTH_ERRORS.MISSING_TOKEN, 'Sign in: send "Authorization: Bearer <token>"');
  }

  private async authenticate(request: RequestWithPrincipal): Promise<Principal | DomainError | null> {
    const header = request.headers['authorization'];
    if (header === undefined || header === '') return null;
    const match = typeof header === 'string' ? /^Bearer ([\x21-\x7e]{1,2048})$/.exec(header) : null;
    if (match === null)
      return new DomainError(AUTH_ERRORS.INVALID_TOKEN, 'The Authorization header must be "Bearer <token>"');
    try {
      return await this.auth.authenticate(match[1] as string);
    } catch (error) {
      if (error instanceof DomainError) return error;
      throw error;
    }
  }
}
