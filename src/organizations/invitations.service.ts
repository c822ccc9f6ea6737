import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../kernel/principal.js';
import type { AppConfig } from '../kernel/config/app-config.js';
import { APP_CONFIG } from '../kernel/config/config.module.js';
import { runInTransaction } from '../kernel/database/run-in-transaction.js';
import { conflict, DomainError, forbidden, notFound, validationFailed } from '../kernel/errors/domain-error.js';
import { hashSecret, newSecret } from '../auth/auth-secrets.js';
import { AuthService, requireSession, type AuthSession } from '../auth/auth.service.js';
import { EMAIL_SENDER, type EmailSender } from '../kernel/email-sender.js';
import type { InvitationRecord, MembershipRecord } from './organizations.records.js';
import { OrganizationsRepository } from './organizations.repository.js';
import { normalizeRoles, OrganizationsService } from './organizations.service.js';
import { isPlausibleEmail, normalizeEmail } from '../auth/rules/credentials.js';

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
  ) {}

  async invite(
    principal: Principal,
    input: { organizationId: string; email: string; roles: readonly string[] },
  ): Promise<InvitationRecord> {
    await this.organizations.requireRole(principal, input.organizationId, ['ADMIN']);
    const email = normalizeEmail(input.email);
    if (!isPlausibleEmail(email)) throw validationFailed('INVALID_EMAIL', 'This is not an email address');
    const roles = normalizeRoles(input.roles);
    const token = newSecret();
    const invitation = await runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const organization = await this.organizations.requireOrganization(manager, input.organizationId);
      const invitation = await this.repository.insertInvitation(manager, {
        id: randomUUID(),
        organizationId: organization.id,
        email,
        roles,
        invitedBy: requireSession(principal).personId,
        expiresAt: new Date(Date.now() + this.config.auth.invitationTtlSeconds * 1000),
        tokenHash: hashSecret(token),
      });
      await this.organizations.audit(
        manager,
        principal,
        organization.id,
        'INVITATION_CREATED',
        'INVITATION',
        invitation.id,
        null,
        {
          email,
          roles,
          expiresAt: invitation.expiresAt.toISOString(),
        },
      );
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
      if (invitation === null) throw notFound('INVITATION_NOT_FOUND', 'No such invitation', { invitationId });
      await this.organizations.requireRole(principal, invitation.organizationId, ['ADMIN'], manager);
      if (invitation.acceptedAt !== null || invitation.revokedAt !== null) {
        throw conflict('INVITATION_CLOSED', 'The invitation was already accepted or revoked', { invitationId });
      }
      const revoked = await this.repository.closeInvitation(manager, invitation.id, 'REVOKED');
      await this.organizations.audit(
        manager,
        principal,
        invitation.organizationId,
        'INVITATION_REVOKED',
        'INVITATION',
        invitation.id,
        { email: invitation.email },
        null,
      );
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
    const refused = (reason: string, message: string) => new DomainError('UNAUTHENTICATED', message, { reason });
    if (!INVITATION_TOKEN.test(input.token)) throw refused('INVALID_INVITATION', 'The invitation token is not valid');
    const tokenHash = hashSecret(input.token);
    const preview = await this.repository.lockInvitationByHash(this.dataSource.manager, tokenHash);
    if (preview === null) throw refused('INVALID_INVITATION', 'The invitation token is not valid');
    const existing = await this.repository.findPersonByEmail(this.dataSource.manager, preview.email);
    let passwordHash: string | null = null;
    if (existing === null) {
      if (input.name === null || input.name.trim() === '') {
        throw validationFailed('NAME_REQUIRED', 'A new member gives a name to register with');
      }
      passwordHash = await this.auth.hashPassword(input.password, { email: preview.email, name: input.name });
    } else if (!(await this.auth.verifyPassword(existing.id, input.password))) {
      throw refused('INVALID_CREDENTIALS', 'The password is wrong for the invited address');
    }
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const invitation = await this.repository.lockInvitationByHash(manager, tokenHash);
      if (invitation === null) throw refused('INVALID_INVITATION', 'The invitation token is not valid');
      if (invitation.acceptedAt !== null) throw refused('INVITATION_USED', 'The invitation was already accepted');
      if (invitation.revokedAt !== null) throw refused('INVITATION_REVOKED', 'The invitation was revoked');
      if (invitation.expiresAt <= new Date()) throw refused('INVITATION_EXPIRED', 'The invitation has expired');
      const person =
        existing ??
        (await this.auth.createPerson(manager, {
          email: invitation.email,
          name: (input.name ?? '').trim(),
          passwordHash: passwordHash ?? '',
        }));
      if (person.status !== 'ACTIVE') throw forbidden('PERSON_DISABLED', 'This person is disabled');
      const actor = { kind: 'PERSON' as const, personId: person.id, sessionId: '', roles: new Map() };
      await this.repository.closeInvitation(manager, invitation.id, { acceptedBy: person.id });
      const membership = await this.organizations.addMember(manager, actor, {
        organizationId: invitation.organizationId,
        personId: person.id,
        roles: invitation.roles,
      });
      await this.organizations.audit(
        manager,
        actor,
        invitation.organizationId,
        'INVITATION_ACCEPTED',
        'INVITATION',
        invitation.id,
        null,
        {
          personId: person.id,
        },
      );
      return { membership, session: await this.auth.startSession(manager, person) };
    });
  }
}
