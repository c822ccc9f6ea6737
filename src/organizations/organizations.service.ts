import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ApiTokensService } from '../auth/api-tokens.service.js';
import type { ApiScope, ApiTokenRecord } from '../auth/auth.records.js';
import { AuthService } from '../auth/auth.service.js';
import type { AuditEventRecord } from '../kernel/audit/audit.records.js';
import { AuditService } from '../kernel/audit/audit.service.js';
import { runInTransaction } from '../kernel/database/run-in-transaction.js';
import { DomainError } from '../kernel/errors/domain-error.js';
import { requirePerson } from '../kernel/graphql/request-principal.js';
import { requireUuid } from '../kernel/ids.js';
import { hasAnyRole, type Principal } from '../kernel/principal.js';
import { ORGANIZATIONS_ERRORS } from './organizations.errors.js';
import type {
  FederationMembershipRecord,
  MembershipRecord,
  OrganizationKind,
  OrganizationRecord,
} from './organizations.records.js';
import { OrganizationsRepository } from './organizations.repository.js';
import { ROLES, type BalanceVisibility } from './rules/access-rules.js';
import { wouldCreateCycle } from './rules/federation-graph.js';

/**
 * Organisations, their members and roles, and federations of them. Admins manage; every change of a
 * membership, a role, a federation tie or a setting is written to the audit log in the same transaction.
 */
@Injectable()
export class OrganizationsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OrganizationsRepository) private readonly repository: OrganizationsRepository,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(ApiTokensService) private readonly apiTokens: ApiTokensService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** Creates an organisation; its creator becomes its first ADMIN (and MEMBER). */
  async createOrganization(
    principal: Principal,
    input: {
      kind: OrganizationKind;
      name: string;
      slug: string;
      description: string;
      balanceVisibility: BalanceVisibility;
    },
  ): Promise<OrganizationRecord> {
    const { personId } = requirePerson(principal);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      if (await this.repository.slugTaken(manager, input.slug)) {
        throw new DomainError(ORGANIZATIONS_ERRORS.SLUG_TAKEN, `The slug ${input.slug} is taken`, { slug: input.slug });
      }
      const id = randomUUID();
      await this.auth.registerOrganizationParty(manager, id);
      const organization = await this.repository.insertOrganization(manager, { id, ...input });
      const membership = await this.repository.insertMembership(manager, {
        id: randomUUID(),
        organizationId: organization.id,
        personId,
        roles: ['ADMIN', 'MEMBER'],
      });
      await this.audit.record(manager, {
        actor: principal,
        action: 'ORGANIZATION_CREATED',
        organizationId: organization.id,
        subject: { type: 'ORGANIZATION', id: organization.id },
        after: { ...input },
      });
      await this.auditMembership(manager, principal, 'MEMBERSHIP_CREATED', null, membership);
      return organization;
    });
  }

  async updateOrganization(
    principal: Principal,
    input: { organizationId: string; name?: string; description?: string; balanceVisibility?: BalanceVisibility },
  ): Promise<OrganizationRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const current = await this.requireOrganization(manager, input.organizationId, true);
      await this.requireRole(principal, current.id, ['ADMIN'], manager);
      const updated = await this.repository.updateOrganization(manager, {
        id: current.id,
        name: input.name ?? current.name,
        description: input.description ?? current.description,
        balanceVisibility: input.balanceVisibility ?? current.balanceVisibility,
      });
      await this.audit.record(manager, {
        actor: principal,
        action: 'ORGANIZATION_UPDATED',
        organizationId: current.id,
        subject: { type: 'ORGANIZATION', id: current.id },
        before: settingsOf(current),
        after: settingsOf(updated),
      });
      return updated;
    });
  }

  async organization(idOrSlug: { id?: string | null; slug?: string | null }): Promise<OrganizationRecord> {
    const manager = this.dataSource.manager;
    const found =
      idOrSlug.id !== undefined && idOrSlug.id !== null
        ? await this.repository.findOrganization(manager, requireUuid(idOrSlug.id, 'id'))
        : await this.repository.findOrganizationBySlug(manager, idOrSlug.slug ?? '');
    if (found === null) throw new DomainError(ORGANIZATIONS_ERRORS.ORGANIZATION_NOT_FOUND, 'No such organisation');
    return found;
  }

  async organizations(filter: { kind: OrganizationKind | null; afterSlug: string | null; limit: number }) {
    return this.repository.listOrganizations(this.dataSource.manager, filter);
  }

  async organizationsByIds(ids: readonly string[]): Promise<OrganizationRecord[]> {
    return this.repository.findOrganizations(this.dataSource.manager, ids);
  }

  /** Memberships of an organisation, for its members (ended ones too, for its admins). */
  async memberships(principal: Principal, organizationId: string, includeEnded: boolean): Promise<MembershipRecord[]> {
    await this.requireRole(principal, organizationId, includeEnded ? ['ADMIN'] : ROLES);
    return this.repository.listMemberships(this.dataSource.manager, { organizationId, personId: null, includeEnded });
  }

  /**
   * The active members of an organisation, read in the caller's transaction, for a module that has already
   * decided the caller may know them (an assembly fixing who may vote on a motion).
   */
  async activeMembers(manager: EntityManager, organizationId: string): Promise<MembershipRecord[]> {
    return this.repository.listMemberships(manager, { organizationId, personId: null, includeEnded: false });
  }

  /** Every federation an organisation belongs to, directly or through other federations. */
  async federationsAbove(organizationIds: readonly string[]): Promise<Map<string, readonly string[]>> {
    const visibility = await this.repository.holderVisibility(this.dataSource.manager, organizationIds);
    return new Map([...visibility].map(([id, holder]) => [id, holder.federationIds]));
  }

  async myMemberships(principal: Principal): Promise<MembershipRecord[]> {
    const { personId } = requirePerson(principal);
    return this.repository.listMemberships(this.dataSource.manager, {
      organizationId: null,
      personId,
      includeEnded: false,
    });
  }

  /** Sets a member's roles (MEMBER is always among them). An organisation always keeps an ADMIN. */
  async setMemberRoles(
    principal: Principal,
    membershipId: string,
    roles: readonly string[],
  ): Promise<MembershipRecord> {
    const wanted = normalizeRoles(roles);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const before = await this.requireActiveMembership(manager, membershipId);
      await this.requireRole(principal, before.organizationId, ['ADMIN'], manager);
      await this.repository.findOrganization(manager, before.organizationId, true);
      if (before.roles.includes('ADMIN') && !wanted.includes('ADMIN')) {
        await this.requireAnotherAdmin(manager, before.organizationId);
      }
      await this.repository.setRoles(manager, before.id, wanted);
      const after = await this.requireActiveMembership(manager, membershipId);
      await this.auditMembership(manager, principal, 'MEMBERSHIP_ROLES_CHANGED', before, after);
      return after;
    });
  }

  /** Ends a membership: by its person (LEFT) or by an admin (REMOVED). The row stays, as history. */
  async endMembership(principal: Principal, membershipId: string): Promise<MembershipRecord> {
    const { personId } = requirePerson(principal);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const before = await this.requireActiveMembership(manager, membershipId);
      const leaving = before.personId === personId;
      if (!leaving) await this.requireRole(principal, before.organizationId, ['ADMIN'], manager);
      await this.repository.findOrganization(manager, before.organizationId, true);
      if (before.roles.includes('ADMIN')) await this.requireAnotherAdmin(manager, before.organizationId);
      const after = await this.repository.endMembership(manager, before.id, leaving ? 'LEFT' : 'REMOVED', personId);
      await this.auditMembership(manager, principal, leaving ? 'MEMBERSHIP_LEFT' : 'MEMBERSHIP_REMOVED', before, after);
      return after;
    });
  }

  /** Adds a person as a member (accepting an invitation); the caller has already checked the right to. */
  async addMember(
    manager: EntityManager,
    principal: Principal,
    input: { organizationId: string; personId: string; roles: readonly string[] },
  ): Promise<MembershipRecord> {
    const existing = await this.repository.findActiveMembership(manager, input.organizationId, input.personId);
    if (existing !== null) {
      const roles = normalizeRoles([...existing.roles, ...input.roles]);
      if (roles.length === existing.roles.length) return existing;
      await this.repository.setRoles(manager, existing.id, roles);
      const after = await this.requireActiveMembership(manager, existing.id);
      await this.auditMembership(manager, principal, 'MEMBERSHIP_ROLES_CHANGED', existing, after);
      return after;
    }
    const membership = await this.repository.insertMembership(manager, {
      id: randomUUID(),
      organizationId: input.organizationId,
      personId: input.personId,
      roles: normalizeRoles(input.roles),
    });
    await this.auditMembership(manager, principal, 'MEMBERSHIP_CREATED', null, membership);
    return membership;
  }

  // Federations

  /** An organisation's admin asks to join a federation; the federation's admins decide. */
  async requestFederationMembership(
    principal: Principal,
    input: { organizationId: string; federationId: string },
  ): Promise<FederationMembershipRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      await this.requireRole(principal, input.organizationId, ['ADMIN'], manager);
      const federation = await this.requireOrganization(manager, input.federationId);
      if (federation.kind !== 'FEDERATION') {
        throw new DomainError(ORGANIZATIONS_ERRORS.NOT_A_FEDERATION, `${federation.name} is not a federation`, {
          federationId: federation.id,
        });
      }
      await this.repository.lockFederationGraph(manager);
      if (wouldCreateCycle(await this.repository.activeFederationEdges(manager), input.organizationId, federation.id)) {
        throw new DomainError(
          ORGANIZATIONS_ERRORS.FEDERATION_CYCLE,
          'Joining would make the federation a member of itself',
          input,
        );
      }
      if ((await this.repository.findOpenFederationMembership(manager, federation.id, input.organizationId)) !== null) {
        throw new DomainError(
          ORGANIZATIONS_ERRORS.ALREADY_REQUESTED,
          'The organisation is already a member of this federation, or has asked',
          input,
        );
      }
      const membership = await this.repository.insertFederationMembership(manager, {
        id: randomUUID(),
        federationId: federation.id,
        memberId: input.organizationId,
      });
      await this.auditFederation(manager, principal, 'FEDERATION_MEMBERSHIP_REQUESTED', null, membership);
      return membership;
    });
  }

  /** A federation's admin admits or declines a pending request. */
  async decideFederationMembership(
    principal: Principal,
    id: string,
    admit: boolean,
  ): Promise<FederationMembershipRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      await this.repository.lockFederationGraph(manager);
      const before = await this.requireFederationMembership(manager, id);
      await this.requireRole(principal, before.federationId, ['ADMIN'], manager);
      if (before.status !== 'PENDING') {
        throw new DomainError(ORGANIZATIONS_ERRORS.NOT_PENDING, `The request is ${before.status}, not PENDING`, { id });
      }
      if (
        admit &&
        wouldCreateCycle(await this.repository.activeFederationEdges(manager), before.memberId, before.federationId)
      ) {
        throw new DomainError(
          ORGANIZATIONS_ERRORS.FEDERATION_CYCLE,
          'Admitting would make the federation a member of itself',
          { id },
        );
      }
      const after = await this.repository.setFederationMembershipStatus(manager, id, admit ? 'ACTIVE' : 'DECLINED');
      await this.auditFederation(
        manager,
        principal,
        admit ? 'FEDERATION_MEMBER_ADMITTED' : 'FEDERATION_MEMBER_DECLINED',
        before,
        after,
      );
      return after;
    });
  }

  /** Either side's admin ends an active federation membership (or withdraws a pending request). */
  async endFederationMembership(principal: Principal, id: string): Promise<FederationMembershipRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      await this.repository.lockFederationGraph(manager);
      const before = await this.requireFederationMembership(manager, id);
      if (
        !(await this.holdsRole(manager, principal, before.federationId, ['ADMIN'])) &&
        !(await this.holdsRole(manager, principal, before.memberId, ['ADMIN']))
      ) {
        throw new DomainError(
          ORGANIZATIONS_ERRORS.ROLE_REQUIRED,
          'Only an ADMIN of the federation or of the member may end the membership',
          {
            id,
          },
        );
      }
      if (before.status !== 'ACTIVE' && before.status !== 'PENDING') {
        throw new DomainError(ORGANIZATIONS_ERRORS.NOT_ACTIVE, `The membership is ${before.status}`, { id });
      }
      const after = await this.repository.setFederationMembershipStatus(manager, id, 'ENDED');
      await this.auditFederation(manager, principal, 'FEDERATION_MEMBERSHIP_ENDED', before, after);
      return after;
    });
  }

  async federationMemberships(filter: { federationId: string | null; memberId: string | null }) {
    return this.repository.listFederationMemberships(this.dataSource.manager, { ...filter, includeClosed: false });
  }

  // API tokens

  /** Issues an API token of an organisation (ADMIN); its secret is returned this once. */
  async createApiToken(
    principal: Principal,
    input: { organizationId: string; name: string; scopes: readonly ApiScope[]; expiresAt: Date | null },
  ): Promise<{ token: string; apiToken: ApiTokenRecord }> {
    const { personId } = requirePerson(principal);
    await this.requireRole(principal, input.organizationId, ['ADMIN']);
    this.apiTokens.checkExpiry(input.expiresAt, new Date());
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      await this.requireOrganization(manager, input.organizationId);
      const issued = await this.apiTokens.issue(manager, { ...input, createdBy: personId });
      await this.audit.record(manager, {
        actor: principal,
        action: 'API_TOKEN_CREATED',
        organizationId: input.organizationId,
        subject: { type: 'API_TOKEN', id: issued.apiToken.id },
        after: {
          name: issued.apiToken.name,
          scopes: issued.apiToken.scopes,
          expiresAt: issued.apiToken.expiresAt?.toISOString() ?? null,
        },
      });
      return issued;
    });
  }

  async revokeApiToken(principal: Principal, tokenId: string): Promise<ApiTokenRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const token = await this.apiTokens.lock(manager, tokenId);
      await this.requireRole(principal, token.organizationId, ['ADMIN'], manager);
      const revoked = await this.apiTokens.revoke(manager, token);
      await this.audit.record(manager, {
        actor: principal,
        action: 'API_TOKEN_REVOKED',
        organizationId: token.organizationId,
        subject: { type: 'API_TOKEN', id: token.id },
        before: { name: token.name },
      });
      return revoked;
    });
  }

  /** An organisation's API tokens, revoked ones included (ADMIN). */
  async apiTokensOf(principal: Principal, organizationId: string): Promise<ApiTokenRecord[]> {
    await this.requireRole(principal, organizationId, ['ADMIN']);
    return this.apiTokens.tokensOf(organizationId);
  }

  /** The audit log of an organisation (what happened to it or was done by it), newest first; for its admins. */
  async auditLog(
    principal: Principal,
    organizationId: string,
    beforeId: bigint | null,
    limit: number,
  ): Promise<AuditEventRecord[]> {
    await this.requireRole(principal, organizationId, ['ADMIN']);
    return this.audit.list(organizationId, beforeId, limit);
  }

  /**
   * Refuses (FORBIDDEN) unless the caller, a person, holds one of the roles now. Read from the database at
   * the moment of the check, not from the request's start: a request that has just created an organisation
   * or lost a role is judged by what is true now.
   */
  async requireRole(
    principal: Principal,
    organizationId: string,
    roles: readonly string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    if (principal.kind !== 'SYSTEM') requirePerson(principal);
    if (!(await this.holdsRole(manager, principal, organizationId, roles))) {
      throw new DomainError(
        ORGANIZATIONS_ERRORS.ROLE_REQUIRED,
        `This needs one of the roles ${roles.join(', ')} in the organisation`,
        {
          organizationId,
          roles,
        },
      );
    }
  }

  private async holdsRole(
    manager: EntityManager,
    principal: Principal,
    organizationId: string,
    roles: readonly string[],
  ): Promise<boolean> {
    if (principal.kind === 'SYSTEM') return hasAnyRole(principal, organizationId, roles);
    if (principal.kind !== 'PERSON') return false;
    const membership = await this.repository.findActiveMembership(manager, organizationId, principal.personId);
    return membership !== null && roles.some((role) => membership.roles.includes(role));
  }

  async requireOrganization(manager: EntityManager, id: string, lock = false): Promise<OrganizationRecord> {
    const organization = await this.repository.findOrganization(manager, id, lock);
    if (organization === null) {
      throw new DomainError(ORGANIZATIONS_ERRORS.ORGANIZATION_NOT_FOUND, `Organisation ${id} does not exist`, { id });
    }
    return organization;
  }

  private async auditMembership(
    manager: EntityManager,
    principal: Principal,
    action: string,
    before: MembershipRecord | null,
    after: MembershipRecord,
  ): Promise<void> {
    await this.audit.record(manager, {
      actor: principal,
      action,
      organizationId: after.organizationId,
      subject: { type: 'MEMBERSHIP', id: after.id },
      before: before && membershipView(before),
      after: membershipView(after),
    });
  }

  private async auditFederation(
    manager: EntityManager,
    principal: Principal,
    action: string,
    before: FederationMembershipRecord | null,
    after: FederationMembershipRecord,
  ): Promise<void> {
    const view = (record: FederationMembershipRecord) => ({
      federationId: record.federationId,
      memberId: record.memberId,
      status: record.status,
    });
    await this.audit.record(manager, {
      actor: principal,
      action,
      organizationId: after.federationId,
      relatedPartyId: after.memberId,
      subject: { type: 'FEDERATION_MEMBERSHIP', id: after.id },
      before: before && view(before),
      after: view(after),
    });
  }

  private async requireActiveMembership(manager: EntityManager, id: string): Promise<MembershipRecord> {
    const membership = await this.repository.findMembership(manager, id);
    if (membership === null) {
      throw new DomainError(ORGANIZATIONS_ERRORS.MEMBERSHIP_NOT_FOUND, `Membership ${id} does not exist`, { id });
    }
    if (membership.status !== 'ACTIVE') {
      throw new DomainError(ORGANIZATIONS_ERRORS.MEMBERSHIP_ENDED, `Membership ${id} has ended`, { id });
    }
    return membership;
  }

  private async requireFederationMembership(manager: EntityManager, id: string): Promise<FederationMembershipRecord> {
    const membership = await this.repository.findFederationMembership(manager, id, true);
    if (membership === null) {
      throw new DomainError(
        ORGANIZATIONS_ERRORS.FEDERATION_MEMBERSHIP_NOT_FOUND,
        `Federation membership ${id} does not exist`,
        { id },
      );
    }
    return membership;
  }

  private async requireAnotherAdmin(manager: EntityManager, organizationId: string): Promise<void> {
    if ((await this.repository.countActiveAdmins(manager, organizationId)) <= 1) {
      throw new DomainError(
        ORGANIZATIONS_ERRORS.LAST_ADMIN,
        'An organisation keeps at least one ADMIN: name another first',
        { organizationId },
      );
    }
  }
}

/** Roles as stored: known ones only, MEMBER always included, in a stable order. */
export function normalizeRoles(roles: readonly string[]): string[] {
  const unknown = roles.filter((role) => !(ROLES as readonly string[]).includes(role));
  if (unknown.length > 0)
    throw new DomainError(ORGANIZATIONS_ERRORS.UNKNOWN_ROLE, `Unknown roles: ${unknown.join(', ')}`, {
      roles: unknown,
    });
  return ROLES.filter((role) => role === 'MEMBER' || roles.includes(role));
}

function membershipView(membership: MembershipRecord) {
  return { personId: membership.personId, status: membership.status, roles: membership.roles };
}

function settingsOf(organization: OrganizationRecord) {
  return {
    name: organization.name,
    description: organization.description,
    balanceVisibility: organization.balanceVisibility,
  };
}
