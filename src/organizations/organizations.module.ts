import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AppConfig } from '../kernel/config/app-config.js';
import { APP_CONFIG } from '../kernel/config/config.module.js';
import { LEDGER_ACCESS } from '../ledger/ledger-access.port.js';
import { AccountHolderResolver } from './account-holder.resolver.js';
import { ApiTokensService } from '../auth/api-tokens.service.js';
import { AccessTokenSigner } from '../auth/auth-secrets.js';
import { PasswordHasher } from '../auth/password-hasher.js';
import { AuthResolver } from '../auth/auth.resolver.js';
import { AuthService } from '../auth/auth.service.js';
import { AuthenticationGuard } from '../auth/authentication.guard.js';
import { EMAIL_SENDER, LogEmailSender, OutboxEmailSender } from '../kernel/email-sender.js';
import { InvitationsService } from './invitations.service.js';
import { LedgerAccessService } from './ledger-access.service.js';
import { FederationMembershipResolver, MembershipResolver, OrganizationResolver } from './organization.resolver.js';
import { OrganizationsRepository } from './organizations.repository.js';
import { OrganizationsService } from './organizations.service.js';

/**
 * Persons, organisations, federations, memberships and roles; signing in; and the door every operation
 * passes: the authentication guard (deny by default) and the ledger's access port (LEDGER_ACCESS).
 * Global, so that the ledger below can ask for LEDGER_ACCESS without importing this module.
 */
@Global()
@Module({
  providers: [
    OrganizationsRepository,
    PasswordHasher,
    AccessTokenSigner,
    AuthService,
    OrganizationsService,
    InvitationsService,
    ApiTokensService,
    LedgerAccessService,
    { provide: LEDGER_ACCESS, useExisting: LedgerAccessService },
    {
      provide: EMAIL_SENDER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.auth.emailDelivery === 'memory' ? new OutboxEmailSender() : new LogEmailSender(),
    },
    { provide: APP_GUARD, useClass: AuthenticationGuard },
    AuthResolver,
    OrganizationResolver,
    MembershipResolver,
    FederationMembershipResolver,
    AccountHolderResolver,
  ],
  exports: [LEDGER_ACCESS, AuthService, OrganizationsService, EMAIL_SENDER, OrganizationsRepository],
})
export class OrganizationsModule {}

/** Every resolver of the module, for generating schema.graphql without a database. */
export const ORGANIZATIONS_RESOLVERS = [
  AuthResolver,
  OrganizationResolver,
  MembershipResolver,
  FederationMembershipResolver,
  AccountHolderResolver,
];
