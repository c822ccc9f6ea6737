import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import type { DomainModule } from '../kernel/domain-module.js';
import { LEDGER_ACCESS } from '../ledger/ledger-access.port.js';
import { AccountHolderResolver } from './account-holder.resolver.js';
import { InvitationsService } from './invitations.service.js';
import { LedgerAccessService } from './ledger-access.service.js';
import {
  FederationMembershipResolver,
  MembershipResolver,
  OrganizationResolver,
  ViewerMembershipsResolver,
} from './organization.resolver.js';
import { ORGANIZATIONS_ERRORS } from './organizations.errors.js';
import { OrganizationsRepository } from './organizations.repository.js';
import { OrganizationsService } from './organizations.service.js';

/** The module's SQL, shared by the two modules below and by nothing else. */
@Module({ providers: [OrganizationsRepository], exports: [OrganizationsRepository] })
class OrganizationsRepositoryModule {}

/**
 * The rules of who may do what with the ledger, provided through its port (LEDGER_ACCESS). Only the port
 * is global: the ledger, below this module, asks for it without importing anything above it.
 */
@Global()
@Module({
  imports: [AuthModule, OrganizationsRepositoryModule],
  providers: [LedgerAccessService, { provide: LEDGER_ACCESS, useExisting: LedgerAccessService }],
  exports: [LEDGER_ACCESS],
})
class LedgerAccessModule {}

/** Organisations, federations, memberships, roles and invitations. */
@Module({
  imports: [AuthModule, OrganizationsRepositoryModule, LedgerAccessModule],
  providers: [
    OrganizationsService,
    InvitationsService,
    OrganizationResolver,
    MembershipResolver,
    FederationMembershipResolver,
    ViewerMembershipsResolver,
    AccountHolderResolver,
  ],
  exports: [OrganizationsService],
})
export class OrganizationsModule {}

export const ORGANIZATIONS: DomainModule = {
  name: 'organizations',
  module: OrganizationsModule,
  resolvers: [
    OrganizationResolver,
    MembershipResolver,
    FederationMembershipResolver,
    ViewerMembershipsResolver,
    AccountHolderResolver,
  ],
  reasons: ORGANIZATIONS_ERRORS,
  tables: ['organization', 'role', 'membership', 'membership_role', 'federation_membership', 'invitation'],
  invariants: [],
};
