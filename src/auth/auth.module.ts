import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { DomainModule } from '../kernel/domain-module.js';
import { ApiTokensService } from './api-tokens.service.js';
import { AccessTokenSigner } from './access-token-signer.js';
import { AUTH_ERRORS } from './auth.errors.js';
import { AuthRepository } from './auth.repository.js';
import { AuthResolver } from './auth.resolver.js';
import { AuthService } from './auth.service.js';
import { AuthenticationGuard } from './authentication.guard.js';
import { PasswordHasher } from './password-hasher.js';

/**
 * Identity and sign-in: persons, sessions, refresh tokens, organisation API tokens, passwords, the login
 * throttle, and the door every operation passes: the authentication guard (deny by default), which leaves
 * the caller's principal on the request.
 */
@Module({
  providers: [
    AuthRepository,
    PasswordHasher,
    AccessTokenSigner,
    AuthService,
    ApiTokensService,
    { provide: APP_GUARD, useClass: AuthenticationGuard },
    AuthResolver,
  ],
  exports: [AuthService, ApiTokensService],
})
export class AuthModule {}

export const AUTH: DomainModule = {
  name: 'auth',
  module: AuthModule,
  resolvers: [AuthResolver],
  reasons: AUTH_ERRORS,
  tables: ['party', 'person', 'auth_session', 'refresh_token', 'api_token', 'login_throttle'],
  invariants: [],
};
