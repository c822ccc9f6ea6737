import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../kernel/principal.js';
import type { AppConfig } from '../kernel/config/app-config.js';
import { APP_CONFIG } from '../kernel/config/config.module.js';
import { runInTransaction } from '../kernel/database/run-in-transaction.js';
import { DomainError } from '../kernel/errors/domain-error.js';
import { requirePerson } from '../kernel/graphql/request-principal.js';
import { AuditService } from '../kernel/audit/audit.service.js';
import { hashSecret, newSecret } from '../kernel/secrets.js';
import { AUTH_ERRORS } from '../auth/auth.errors.js';
import { AuthService, type AuthSession } from '../auth/auth.service.js';
import { ORGANIZATIONS_ERRORS } from './organizations.errors.js';
import { EMAIL_SENDER, type EmailSender } from '../kernel/email-sender.js';
import type { InvitationRecord, MembershipRecord } from './organizations.records.js';
import { OrganizationsRepository } from './organizations.repository.js';
import { normalizeRoles, OrganizationsService } from './organizations.service.js';

const INVITATION_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Invitations: an admin invites an email address with roles; the message carries a single-use token that
 * expires. Accepting creates the membership, and the person too when the address is new. The token is
 * stored only as a hash.
 */
@Injectable()
export class InvitationsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OrganizationsRepository) private readonly repository: OrganizationsRepository,
    @Inject(OrganizationsService) private readonly organizations: OrganizationsService,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(EMAIL_SENDER) private readonly email: EmailSender,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async invite(
    principal: Principal,
    input: { organizationId: string; email: string; roles: readonly string[] },
  ): Promise<InvitationRecord> {
    await this.organizations.requireRole(principal, input.organizationId, ['ADMIN']);
    const email = this.auth.checkedEmail(input.email);
    const roles = normalizeRoles(input.roles);
    const token = newSecret();
    const invitation = await runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const organization = await this.organizations.requireOrganization(manager, input.organizationId);
      const invitation = await this.repository.insertInvitation(manager, {
        id: randomUUID(),
        organizationId: organization.id,
        email,
        roles,
        invitedBy: requirePerson(principal).personId,
        expiresAt: new Date(Date.now() + this.config.auth.invitationTtlSeconds * 1000),
        tokenHash: hashSecret(token),
      });
      await this.audit.record(manager, {
        actor: principal,
        action: 'INVITATION_CREATED',
        organizationId: organization.id,
        subject: { type: 'INVITATION', id: invitation.id },
        after: { email, roles, expiresAt: invitation.expiresAt.toISOString() },
      });
      return { invitation, organizationName: organization.name };
    });
    await this.email.send({
      to: email,
      subject: `You are invited to join ${invitation.organizationName}`,
      text:
        `You are invited to join ${invitation.organizationName} as ${roles.join(', ')}.\n` +
        `Accept before ${invitation.invitation.expiresAt.toISOString()}: ${this.config.auth.invitationUrl}${token}\n` +
        `(invitation token: ${token})`,
    });
    return invitation.invitation;
  }

  async revoke(principal: Principal, invitationId: string): Promise<InvitationRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const invitation = await this.repository.findInvitation(manager, invitationId, true);
      if (invitation === null) {
        throw new DomainError(ORGANIZATIONS_ERRORS.INVITATION_NOT_FOUND, 'No such invitation', { invitationId });
      }
      await this.organizations.requireRole(principal, invitation.organizationId, ['ADMIN'], manager);
      if (invitation.acceptedAt !== null || invitation.revokedAt !== null) {
        throw new DomainError(
          ORGANIZATIONS_ERRORS.INVITATION_CLOSED,
          'The invitation was already accepted or revoked',
          { invitationId },
        );
      }
      const revoked = await this.repository.closeInvitation(manager, invitation.id, 'REVOKED');
      await this.audit.record(manager, {
        actor: principal,
        action: 'INVITATION_REVOKED',
        organizationId: invitation.organizationId,
        subject: { type: 'INVITATION', id: invitation.id },
        before: { email: invitation.email },
      });
      return revoked;
    });
  }

  async invitations(principal: Principal, organizationId: string): Promise<InvitationRecord[]> {
    await this.organizations.requireRole(principal, organizationId, ['ADMIN']);
    return this.repository.listInvitations(this.dataSource.manager, organizationId);
  }

  /**
   * Accepts an invitation: a new address registers with a name and password; a known address proves it is
   * that person with the password. Either way the caller is signed in. The token works once.
   */
  async accept(input: {
    token: string;
    name: string | null;
    password: string;
  }): Promise<{ membership: MembershipRecord; session: AuthSession }> {
    const invalid = () => new DomainError(ORGANIZATIONS_ERRORS.INVALID_INVITATION, 'The invitation token is not valid');
    if (!INVITATION_TOKEN.test(input.token)) throw invalid();
    const tokenHash = hashSecret(input.token);
    const preview = await this.repository.lockInvitationByHash(this.dataSource.manager, tokenHash);
    if (preview === null) throw invalid();
    const existing = await this.auth.personByEmail(this.dataSource.manager, preview.email);
    let passwordHash: string | null = null;
    if (existing === null) {
      if (input.name === null || input.name.trim() === '') {
        throw new DomainError(ORGANIZATIONS_ERRORS.NAME_REQUIRED, 'A new member gives a name to register with');
      }
      passwordHash = await this.auth.hashPassword(input.password, { email: preview.email, name: input.name });
    } else if (!(await this.auth.verifyPassword(existing.id, input.password))) {
      throw new DomainError(AUTH_ERRORS.INVALID_CREDENTIALS, 'The password is wrong for the invited address');
    }
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const invitation = await this.repository.lockInvitationByHash(manager, tokenHash);
      if (invitation === null) throw invalid();
      if (invitation.acceptedAt !== null) {
        throw new DomainError(ORGANIZATIONS_ERRORS.INVITATION_USED, 'The invitation was already accepted');
      }
      if (invitation.revokedAt !== null) {
        throw new DomainError(ORGANIZATIONS_ERRORS.INVITATION_REVOKED, 'The invitation was revoked');
      }
      if (invitation.expiresAt <= new Date()) {
        throw new DomainError(ORGANIZATIONS_ERRORS.INVITATION_EXPIRED, 'The invitation has expired');
      }
      const person =
        existing ??
        (await this.auth.createPerson(manager, {
          email: invitation.email,
          name: (input.name ?? '').trim(),
          passwordHash: passwordHash ?? '',
        }));
      if (person.status !== 'ACTIVE') throw new DomainError(AUTH_ERRORS.PERSON_DISABLED, 'This person is disabled');
      // The person accepting acts in their new session.
      const session = await this.auth.startSession(manager, person);
      const actor = { kind: 'PERSON' as const, personId: person.id, sessionId: session.sessionId, roles: new Map() };
      await this.repository.closeInvitation(manager, invitation.id, { acceptedBy: person.id });
      const membership = await this.organizations.addMember(manager, actor, {
        organizationId: invitation.organizationId,
        personId: person.id,
        roles: invitation.roles,
      });
      await this.audit.record(manager, {
        actor,
        action: 'INVITATION_ACCEPTED',
        organizationId: invitation.organizationId,
        subject: { type: 'INVITATION', id: invitation.id },
        after: { personId: person.id },
      });
      return { membership, session };
    });
  }
}
