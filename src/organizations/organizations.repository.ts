import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryPrepared, type PreparedStatement } from '../kernel/database/prepared-statement.js';
import { bigintFromColumn } from '../kernel/money/minor-units.js';
import type {
  ApiTokenRecord,
  AuditEventRecord,
  FederationMembershipRecord,
  FederationMembershipStatus,
  InvitationRecord,
  MembershipRecord,
  MembershipStatus,
  NewAuditEvent,
  OrganizationKind,
  OrganizationRecord,
  PersonRecord,
} from './organizations.records.js';
import type { ApiScope, BalanceVisibility, HolderVisibility } from './rules/access-rules.js';
import type { FederationEdge } from './rules/federation-graph.js';
import type { ThrottleState } from '../auth/rules/login-throttle.js';

type Row = Record<string, unknown>;

const MEMBERSHIP_SELECT = `
  SELECT m.id, m.organization_id, m.person_id, m.status, m.joined_at, m.ended_at,
         coalesce((SELECT array_agg(r.role ORDER BY r.role) FROM membership_role r WHERE r.membership_id = m.id),
                  '{}') AS roles
  FROM membership m`;

/** Run by every authenticated request: prepared, so that it is planned once per connection. */
const LIVE_SESSION_ROLES: PreparedStatement = {
  name: 'live_session_roles',
  text: `SELECT s.id AS session_id, s.person_id, coalesce((
           SELECT json_agg(json_build_object('organizationId', m.organization_id,
                    'roles', (SELECT coalesce(array_agg(r.role), '{}') FROM membership_role r WHERE r.membership_id = m.id)))
           FROM membership m WHERE m.person_id = p.id AND m.status = 'ACTIVE'), '[]') AS memberships
         FROM auth_session s JOIN person p ON p.id = s.person_id
         WHERE s.id = ANY($1::uuid[]) AND s.revoked_at IS NULL AND s.expires_at > clock_timestamp()
           AND p.status = 'ACTIVE'`,
};

const ORGANIZATION_COLUMNS = 'id, kind, name, slug, description, balance_visibility, created_at';
const PERSON_COLUMNS = 'id, name, email, status, created_at';
const INVITATION_COLUMNS =
  'id, organization_id, email, roles, invited_by, created_at, expires_at, accepted_at, revoked_at';
const API_TOKEN_COLUMNS = 'id, organization_id, name, scopes, created_by, created_at, expires_at, revoked_at';
const FEDERATION_MEMBERSHIP_COLUMNS = 'id, federation_id, member_id, status, requested_at, decided_at, ended_at';

export interface RefreshTokenRow {
  readonly id: string;
  readonly sessionId: string;
  readonly tokenHash: Buffer;
  readonly rotatedAt: Date | null;
  readonly personId: string;
  /** The session is over (revoked or expired) or its person disabled. */
  readonly sessionEnded: boolean;
}

/** All of the organisations module's SQL. Every method runs on the caller's manager. */
@Injectable()
export class OrganizationsRepository {
  // Persons

  async insertPerson(
    manager: EntityManager,
    person: { id: string; name: string; email: string; passwordHash: string },
  ): Promise<PersonRecord> {
    await manager.query(`INSERT INTO party (id, kind) VALUES ($1, 'PERSON')`, [person.id]);
    const rows: Row[] = await manager.query(
      `INSERT INTO person (id, name, email, password_hash) VALUES ($1, $2, $3, $4) RETURNING ${PERSON_COLUMNS}`,
      [person.id, person.name, person.email, person.passwordHash],
    );
    return toPerson(one(rows));
  }

  async findPersonByEmail(
    manager: EntityManager,
    email: string,
  ): Promise<(PersonRecord & { passwordHash: string }) | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${PERSON_COLUMNS}, password_hash FROM person WHERE lower(email) = lower($1)`,
      [email],
    );
    const row = rows[0];
    return row === undefined ? null : { ...toPerson(row), passwordHash: String(row['password_hash']) };
  }

  async findPersonWithHash(
    manager: EntityManager,
    id: string,
    lock = false,
  ): Promise<(PersonRecord & { passwordHash: string }) | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${PERSON_COLUMNS}, password_hash FROM person WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    const row = rows[0];
    return row === undefined ? null : { ...toPerson(row), passwordHash: String(row['password_hash']) };
  }

  async findPersons(manager: EntityManager, ids: readonly string[]): Promise<PersonRecord[]> {
    const rows: Row[] = await manager.query(`SELECT ${PERSON_COLUMNS} FROM person WHERE id = ANY($1::uuid[])`, [ids]);
    return rows.map(toPerson);
  }

  async setPasswordHash(manager: EntityManager, personId: string, passwordHash: string): Promise<void> {
    await manager.query(
      `WITH updated AS (UPDATE person SET password_hash = $2, password_changed_at = clock_timestamp()
       WHERE id = $1 RETURNING id) SELECT id FROM updated`,
      [personId, passwordHash],
    );
  }

  async partyExists(manager: EntityManager, id: string): Promise<boolean> {
    const rows: Row[] = await manager.query(`SELECT 1 FROM party WHERE id = $1`, [id]);
    return rows.length === 1;
  }

  // Sessions and refresh tokens

  async insertSession(
    manager: EntityManager,
    session: { id: string; personId: string; expiresAt: Date },
  ): Promise<void> {
    await manager.query(`INSERT INTO auth_session (id, person_id, expires_at) VALUES ($1, $2, $3)`, [
      session.id,
      session.personId,
      session.expiresAt,
    ]);
  }

  async insertRefreshToken(
    manager: EntityManager,
    token: { id: string; sessionId: string; tokenHash: Buffer },
  ): Promise<void> {
    await manager.query(`INSERT INTO refresh_token (id, session_id, token_hash) VALUES ($1, $2, $3)`, [
      token.id,
      token.sessionId,
      token.tokenHash,
    ]);
  }

  /** The token with its session, locked so that two refreshes with one token are decided one after the other. */
  async lockRefreshToken(manager: EntityManager, id: string): Promise<RefreshTokenRow | null> {
    const rows: Row[] = await manager.query(
      `SELECT t.id, t.session_id, t.token_hash, t.rotated_at, s.person_id,
              (s.revoked_at IS NOT NULL OR s.expires_at <= clock_timestamp() OR p.status <> 'ACTIVE') AS session_ended
       FROM refresh_token t JOIN auth_session s ON s.id = t.session_id JOIN person p ON p.id = s.person_id
       WHERE t.id = $1 FOR UPDATE OF t, s`,
      [id],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return {
      id: String(row['id']),
      sessionId: String(row['session_id']),
      tokenHash: row['token_hash'] as Buffer,
      rotatedAt: (row['rotated_at'] as Date | null) ?? null,
      personId: String(row['person_id']),
      sessionEnded: row['session_ended'] === true,
    };
  }

  async markRefreshTokenRotated(manager: EntityManager, id: string): Promise<void> {
    await manager.query(
      `WITH updated AS (UPDATE refresh_token SET rotated_at = clock_timestamp() WHERE id = $1 RETURNING id)
       SELECT id FROM updated`,
      [id],
    );
  }

  async revokeSession(manager: EntityManager, sessionId: string, reason: string): Promise<void> {
    await manager.query(
      `WITH updated AS (UPDATE auth_session SET revoked_at = clock_timestamp(), revoke_reason = $2
       WHERE id = $1 AND revoked_at IS NULL RETURNING id) SELECT id FROM updated`,
      [sessionId, reason],
    );
  }

  async revokeOtherSessions(
    manager: EntityManager,
    personId: string,
    keepSessionId: string,
    reason: string,
  ): Promise<number> {
    const rows: Row[] = await manager.query(
      `WITH updated AS (UPDATE auth_session SET revoked_at = clock_timestamp(), revoke_reason = $3
       WHERE person_id = $1 AND id <> $2 AND revoked_at IS NULL RETURNING id) SELECT id FROM updated`,
      [personId, keepSessionId, reason],
    );
    return rows.length;
  }

  /**
   * Each live session (not revoked, not expired, of an active person) among `sessionIds`, with its person and
   * the person's active memberships and their roles, in one query; a session that is not live is absent.
   */
  async loadLiveSessions(
    manager: EntityManager,
    sessionIds: readonly string[],
  ): Promise<Map<string, { personId: string; memberships: { organizationId: string; roles: string[] }[] }>> {
    const rows = await queryPrepared(manager, LIVE_SESSION_ROLES, [sessionIds]);
    return new Map(
      rows.map((row) => [
        String(row['session_id']),
        {
          personId: String(row['person_id']),
          memberships: row['memberships'] as { organizationId: string; roles: string[] }[],
        },
      ]),
    );
  }

  // API tokens

  async insertApiToken(
    manager: EntityManager,
    token: Omit<ApiTokenRecord, 'createdAt' | 'revokedAt'> & { tokenHash: Buffer },
  ): Promise<ApiTokenRecord> {
    const rows: Row[] = await manager.query(
      `INSERT INTO api_token (id, organization_id, name, scopes, token_hash, created_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${API_TOKEN_COLUMNS}`,
      [token.id, token.organizationId, token.name, token.scopes, token.tokenHash, token.createdBy, token.expiresAt],
    );
    return toApiToken(one(rows));
  }

  /** A usable token (not revoked, not expired) with its hash, or null. */
  async findLiveApiToken(
    manager: EntityManager,
    id: string,
  ): Promise<{ token: ApiTokenRecord; tokenHash: Buffer } | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${API_TOKEN_COLUMNS}, token_hash FROM api_token
       WHERE id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > clock_timestamp())`,
      [id],
    );
    const row = rows[0];
    return row === undefined ? null : { token: toApiToken(row), tokenHash: row['token_hash'] as Buffer };
  }

  async findApiToken(manager: EntityManager, id: string, lock = false): Promise<ApiTokenRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${API_TOKEN_COLUMNS} FROM api_token WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] === undefined ? null : toApiToken(rows[0]);
  }

  async listApiTokens(manager: EntityManager, organizationId: string): Promise<ApiTokenRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${API_TOKEN_COLUMNS} FROM api_token WHERE organization_id = $1 ORDER BY created_at, id`,
      [organizationId],
    );
    return rows.map(toApiToken);
  }

  async revokeApiToken(manager: EntityManager, id: string): Promise<ApiTokenRecord> {
    const rows: Row[] = await manager.query(
      `WITH updated AS (UPDATE api_token SET revoked_at = clock_timestamp() WHERE id = $1 RETURNING ${API_TOKEN_COLUMNS})
       SELECT * FROM updated`,
      [id],
    );
    return toApiToken(one(rows));
  }

  // Organisations

  async insertOrganization(
    manager: EntityManager,
    organization: Omit<OrganizationRecord, 'createdAt'>,
  ): Promise<OrganizationRecord | null> {
    const taken: Row[] = await manager.query(`SELECT 1 FROM organization WHERE slug = $1`, [organization.slug]);
    if (taken.length > 0) return null;
    await manager.query(`INSERT INTO party (id, kind) VALUES ($1, 'ORGANIZATION')`, [organization.id]);
    const rows: Row[] = await manager.query(
      `INSERT INTO organization (id, kind, name, slug, description, balance_visibility)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${ORGANIZATION_COLUMNS}`,
      [
        organization.id,
        organization.kind,
        organization.name,
        organization.slug,
        organization.description,
        organization.balanceVisibility,
      ],
    );
    return toOrganization(one(rows));
  }

  async findOrganization(manager: EntityManager, id: string, lock = false): Promise<OrganizationRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${ORGANIZATION_COLUMNS} FROM organization WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] === undefined ? null : toOrganization(rows[0]);
  }

  async findOrganizations(manager: EntityManager, ids: readonly string[]): Promise<OrganizationRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${ORGANIZATION_COLUMNS} FROM organization WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map(toOrganization);
  }

  async findOrganizationBySlug(manager: EntityManager, slug: string): Promise<OrganizationRecord | null> {
    const rows: Row[] = await manager.query(`SELECT ${ORGANIZATION_COLUMNS} FROM organization WHERE slug = $1`, [slug]);
    return rows[0] === undefined ? null : toOrganization(rows[0]);
  }

  async listOrganizations(
    manager: EntityManager,
    filter: { kind: OrganizationKind | null; afterSlug: string | null; limit: number },
  ): Promise<OrganizationRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${ORGANIZATION_COLUMNS} FROM organization
       WHERE ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR slug > $2) ORDER BY slug LIMIT $3`,
      [filter.kind, filter.afterSlug, filter.limit],
    );
    return rows.map(toOrganization);
  }

  async updateOrganization(
    manager: EntityManager,
    organization: Pick<OrganizationRecord, 'id' | 'name' | 'description' | 'balanceVisibility'>,
  ): Promise<OrganizationRecord> {
    const rows: Row[] = await manager.query(
      `WITH updated AS (UPDATE organization SET name = $2, description = $3, balance_visibility = $4
       WHERE id = $1 RETURNING ${ORGANIZATION_COLUMNS}) SELECT * FROM updated`,
      [organization.id, organization.name, organization.description, organization.balanceVisibility],
    );
    return toOrganization(one(rows));
  }

  // Memberships

  async insertMembership(
    manager: EntityManager,
    membership: { id: string; organizationId: string; personId: string; roles: readonly string[] },
  ): Promise<MembershipRecord> {
    await manager.query(
      `INSERT INTO membership (id, organization_id, person_id, status) VALUES ($1, $2, $3, 'ACTIVE')`,
      [membership.id, membership.organizationId, membership.personId],
    );
    await this.setRoles(manager, membership.id, membership.roles);
    return one(await this.membershipsWhere(manager, 'm.id = $1', [membership.id]));
  }

  async setRoles(manager: EntityManager, membershipId: string, roles: readonly string[]): Promise<void> {
    await manager.query(`DELETE FROM membership_role WHERE membership_id = $1`, [membershipId]);
    await manager.query(`INSERT INTO membership_role (membership_id, role) SELECT $1, unnest($2::text[])`, [
      membershipId,
      roles,
    ]);
  }

  async findMembership(manager: EntityManager, id: string): Promise<MembershipRecord | null> {
    const [membership] = await this.membershipsWhere(manager, 'm.id = $1', [id]);
    return membership ?? null;
  }

  async findActiveMembership(
    manager: EntityManager,
    organizationId: string,
    personId: string,
  ): Promise<MembershipRecord | null> {
    const [membership] = await this.membershipsWhere(
      manager,
      `m.organization_id = $1 AND m.person_id = $2 AND m.status = 'ACTIVE'`,
      [organizationId, personId],
    );
    return membership ?? null;
  }

  async listMemberships(
    manager: EntityManager,
    filter: { organizationId: string | null; personId: string | null; includeEnded: boolean },
  ): Promise<MembershipRecord[]> {
    return this.membershipsWhere(
      manager,
      `($1::uuid IS NULL OR m.organization_id = $1) AND ($2::uuid IS NULL OR m.person_id = $2)
       AND ($3 OR m.status = 'ACTIVE') ORDER BY m.joined_at, m.id`,
      [filter.organizationId, filter.personId, filter.includeEnded],
    );
  }

  async countActiveAdmins(manager: EntityManager, organizationId: string): Promise<number> {
    const rows: Row[] = await manager.query(
      `SELECT count(*) AS admins FROM membership m JOIN membership_role r ON r.membership_id = m.id
       WHERE m.organization_id = $1 AND m.status = 'ACTIVE' AND r.role = 'ADMIN'`,
      [organizationId],
    );
    return Number(one(rows)['admins']);
  }

  async endMembership(
    manager: EntityManager,
    membershipId: string,
    status: Exclude<MembershipStatus, 'ACTIVE'>,
    endedBy: string,
  ): Promise<MembershipRecord> {
    await manager.query(
      `WITH updated AS (UPDATE membership SET status = $2, ended_at = clock_timestamp(), ended_by = $3
       WHERE id = $1 AND status = 'ACTIVE' RETURNING id) SELECT id FROM updated`,
      [membershipId, status, endedBy],
    );
    return one(await this.membershipsWhere(manager, 'm.id = $1', [membershipId]));
  }

  private async membershipsWhere(manager: EntityManager, where: string, parameters: unknown[]) {
    const rows: Row[] = await manager.query(`${MEMBERSHIP_SELECT} WHERE ${where}`, parameters);
    return rows.map(toMembership);
  }

  // Federations

  /** Serialises every change of the federation graph (the trigger takes the same lock). */
  async lockFederationGraph(manager: EntityManager): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(7263540101)`);
  }

  async activeFederationEdges(manager: EntityManager): Promise<FederationEdge[]> {
    const rows: Row[] = await manager.query(
      `SELECT member_id, federation_id FROM federation_membership WHERE status = 'ACTIVE'`,
    );
    return rows.map((row) => ({ memberId: String(row['member_id']), federationId: String(row['federation_id']) }));
  }

  async insertFederationMembership(
    manager: EntityManager,
    membership: { id: string; federationId: string; memberId: string },
  ): Promise<FederationMembershipRecord> {
    const rows: Row[] = await manager.query(
      `INSERT INTO federation_membership (id, federation_id, member_id, status) VALUES ($1, $2, $3, 'PENDING')
       RETURNING ${FEDERATION_MEMBERSHIP_COLUMNS}`,
      [membership.id, membership.federationId, membership.memberId],
    );
    return toFederationMembership(one(rows));
  }

  async findOpenFederationMembership(
    manager: EntityManager,
    federationId: string,
    memberId: string,
  ): Promise<FederationMembershipRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${FEDERATION_MEMBERSHIP_COLUMNS} FROM federation_membership
       WHERE federation_id = $1 AND member_id = $2 AND status IN ('PENDING', 'ACTIVE')`,
      [federationId, memberId],
    );
    return rows[0] === undefined ? null : toFederationMembership(rows[0]);
  }

  async findFederationMembership(
    manager: EntityManager,
    id: string,
    lock = false,
  ): Promise<FederationMembershipRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${FEDERATION_MEMBERSHIP_COLUMNS} FROM federation_membership WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] === undefined ? null : toFederationMembership(rows[0]);
  }

  async setFederationMembershipStatus(
    manager: EntityManager,
    id: string,
    status: Exclude<FederationMembershipStatus, 'PENDING'>,
  ): Promise<FederationMembershipRecord> {
    const rows: Row[] = await manager.query(
      `WITH updated AS (UPDATE federation_membership SET status = $2,
         decided_at = CASE WHEN $2 IN ('ACTIVE', 'DECLINED') THEN clock_timestamp() ELSE decided_at END,
         ended_at = CASE WHEN $2 = 'ENDED' THEN clock_timestamp() ELSE ended_at END
       WHERE id = $1 RETURNING ${FEDERATION_MEMBERSHIP_COLUMNS}) SELECT * FROM updated`,
      [id, status],
    );
    return toFederationMembership(one(rows));
  }

  async listFederationMemberships(
    manager: EntityManager,
    filter: { federationId: string | null; memberId: string | null; includeClosed: boolean },
  ): Promise<FederationMembershipRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${FEDERATION_MEMBERSHIP_COLUMNS} FROM federation_membership
       WHERE ($1::uuid IS NULL OR federation_id = $1) AND ($2::uuid IS NULL OR member_id = $2)
         AND ($3 OR status IN ('PENDING', 'ACTIVE'))
       ORDER BY requested_at, id`,
      [filter.federationId, filter.memberId, filter.includeClosed],
    );
    return rows.map(toFederationMembership);
  }

  /** For each organisation: its balance visibility and every federation above it. */
  async holderVisibility(manager: EntityManager, ids: readonly string[]): Promise<Map<string, HolderVisibility>> {
    const rows: Row[] = await manager.query(
      `WITH RECURSIVE above (organization_id, federation_id) AS (
         SELECT member_id, federation_id FROM federation_membership
         WHERE member_id = ANY($1::uuid[]) AND status = 'ACTIVE'
         UNION
         SELECT a.organization_id, f.federation_id FROM above a
         JOIN federation_membership f ON f.member_id = a.federation_id AND f.status = 'ACTIVE'
       )
       SELECT o.id, o.balance_visibility,
              coalesce((SELECT array_agg(a.federation_id::text) FROM above a WHERE a.organization_id = o.id), '{}') AS federations
       FROM organization o WHERE o.id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(
      rows.map((row): [string, HolderVisibility] => [
        String(row['id']),
        {
          visibility: row['balance_visibility'] as BalanceVisibility,
          federationIds: (row['federations'] as string[]).map(String),
        },
      ]),
    );
  }

  /** Organisations whose figures these organisations' members may see: public ones, and FEDERATION ones below. */
  async organizationsVisibleTo(manager: EntityManager, memberOf: readonly string[]): Promise<string[]> {
    const rows: Row[] = await manager.query(
      `WITH RECURSIVE below (id) AS (
         SELECT member_id FROM federation_membership WHERE federation_id = ANY($1::uuid[]) AND status = 'ACTIVE'
         UNION
         SELECT f.member_id FROM federation_membership f JOIN below b ON f.federation_id = b.id AND f.status = 'ACTIVE'
       )
       SELECT id FROM organization WHERE balance_visibility = 'PUBLIC'
       UNION
       SELECT o.id FROM below b JOIN organization o ON o.id = b.id WHERE o.balance_visibility = 'FEDERATION'`,
      [memberOf],
    );
    return rows.map((row) => String(row['id']));
  }

  // Invitations

  async insertInvitation(
    manager: EntityManager,
    invitation: Omit<InvitationRecord, 'createdAt' | 'acceptedAt' | 'revokedAt'> & { tokenHash: Buffer },
  ): Promise<InvitationRecord> {
    const rows: Row[] = await manager.query(
      `INSERT INTO invitation (id, organization_id, email, roles, token_hash, invited_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${INVITATION_COLUMNS}`,
      [
        invitation.id,
        invitation.organizationId,
        invitation.email,
        invitation.roles,
        invitation.tokenHash,
        invitation.invitedBy,
        invitation.expiresAt,
      ],
    );
    return toInvitation(one(rows));
  }

  async lockInvitationByHash(manager: EntityManager, tokenHash: Buffer): Promise<InvitationRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${INVITATION_COLUMNS} FROM invitation WHERE token_hash = $1 FOR UPDATE`,
      [tokenHash],
    );
    return rows[0] === undefined ? null : toInvitation(rows[0]);
  }

  async findInvitation(manager: EntityManager, id: string, lock = false): Promise<InvitationRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${INVITATION_COLUMNS} FROM invitation WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] === undefined ? null : toInvitation(rows[0]);
  }

  async listInvitations(manager: EntityManager, organizationId: string): Promise<InvitationRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${INVITATION_COLUMNS} FROM invitation WHERE organization_id = $1 ORDER BY created_at, id`,
      [organizationId],
    );
    return rows.map(toInvitation);
  }

  async closeInvitation(
    manager: EntityManager,
    id: string,
    outcome: { acceptedBy: string } | 'REVOKED',
  ): Promise<InvitationRecord> {
    const rows: Row[] =
      outcome === 'REVOKED'
        ? await manager.query(
            `WITH updated AS (UPDATE invitation SET revoked_at = clock_timestamp() WHERE id = $1
             RETURNING ${INVITATION_COLUMNS}) SELECT * FROM updated`,
            [id],
          )
        : await manager.query(
            `WITH updated AS (UPDATE invitation SET accepted_at = clock_timestamp(), accepted_by = $2 WHERE id = $1
             RETURNING ${INVITATION_COLUMNS}) SELECT * FROM updated`,
            [id, outcome.acceptedBy],
          );
    return toInvitation(one(rows));
  }

  // Login throttle

  async lockThrottles(manager: EntityManager, keys: readonly string[]): Promise<Map<string, ThrottleState>> {
    const rows: Row[] = await manager.query(
      `SELECT key, failures, window_started_at, locked_until FROM login_throttle
       WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE`,
      [keys],
    );
    return new Map(
      rows.map((row): [string, ThrottleState] => [
        String(row['key']),
        {
          failures: Number(row['failures']),
          windowStartedAt: row['window_started_at'] as Date,
          lockedUntil: (row['locked_until'] as Date | null) ?? null,
        },
      ]),
    );
  }

  async saveThrottle(manager: EntityManager, key: string, state: ThrottleState): Promise<void> {
    await manager.query(
      `INSERT INTO login_throttle (key, failures, window_started_at, locked_until) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO UPDATE SET failures = $2, window_started_at = $3, locked_until = $4`,
      [key, state.failures, state.windowStartedAt, state.lockedUntil],
    );
  }

  async clearThrottle(manager: EntityManager, key: string): Promise<void> {
    await manager.query(`DELETE FROM login_throttle WHERE key = $1`, [key]);
  }

  // Audit

  async insertAuditEvent(manager: EntityManager, event: NewAuditEvent): Promise<void> {
    await manager.query(
      `INSERT INTO audit_event (actor_person_id, actor_api_token_id, organization_id, related_organization_id,
         action, subject_type, subject_id, before, after)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        event.actorPersonId,
        event.actorApiTokenId,
        event.organizationId,
        event.relatedOrganizationId,
        event.action,
        event.subjectType,
        event.subjectId,
        event.before === null ? null : JSON.stringify(event.before),
        event.after === null ? null : JSON.stringify(event.after),
      ],
    );
  }

  async listAuditEvents(
    manager: EntityManager,
    organizationId: string,
    beforeId: bigint | null,
    limit: number,
  ): Promise<AuditEventRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT id, occurred_at, actor_person_id, actor_api_token_id, organization_id, related_organization_id,
              action, subject_type, subject_id, before, after
       FROM audit_event
       WHERE (organization_id = $1 OR related_organization_id = $1) AND ($2::bigint IS NULL OR id < $2)
       ORDER BY id DESC LIMIT $3`,
      [organizationId, beforeId?.toString() ?? null, limit],
    );
    return rows.map((row): AuditEventRecord => ({
      id: bigintFromColumn(row['id']),
      occurredAt: row['occurred_at'] as Date,
      actorPersonId: nullableText(row['actor_person_id']),
      actorApiTokenId: nullableText(row['actor_api_token_id']),
      organizationId: String(row['organization_id']),
      relatedOrganizationId: nullableText(row['related_organization_id']),
      action: String(row['action']),
      subjectType: String(row['subject_type']),
      subjectId: String(row['subject_id']),
      before: row['before'] ?? null,
      after: row['after'] ?? null,
    }));
  }
}

function one<T>(rows: readonly T[]): T {
  const row = rows[0];
  if (row === undefined) throw new Error('expected one row');
  return row;
}

function nullableText(value: unknown): string | null {
  return value === null || value === undefined ? null : (value as string);
}

function toPerson(row: Row): PersonRecord {
  return {
    id: String(row['id']),
    name: String(row['name']),
    email: String(row['email']),
    status: row['status'] as PersonRecord['status'],
    createdAt: row['created_at'] as Date,
  };
}

function toOrganization(row: Row): OrganizationRecord {
  return {
    id: String(row['id']),
    kind: row['kind'] as OrganizationKind,
    name: String(row['name']),
    slug: String(row['slug']),
    description: String(row['description']),
    balanceVisibility: row['balance_visibility'] as BalanceVisibility,
    createdAt: row['created_at'] as Date,
  };
}

function toMembership(row: Row): MembershipRecord {
  return {
    id: String(row['id']),
    organizationId: String(row['organization_id']),
    personId: String(row['person_id']),
    status: row['status'] as MembershipStatus,
    roles: (row['roles'] as string[]).map(String),
    joinedAt: row['joined_at'] as Date,
    endedAt: (row['ended_at'] as Date | null) ?? null,
  };
}

function toFederationMembership(row: Row): FederationMembershipRecord {
  return {
    id: String(row['id']),
    federationId: String(row['federation_id']),
    memberId: String(row['member_id']),
    status: row['status'] as FederationMembershipStatus,
    requestedAt: row['requested_at'] as Date,
    decidedAt: (row['decided_at'] as Date | null) ?? null,
    endedAt: (row['ended_at'] as Date | null) ?? null,
  };
}

function toInvitation(row: Row): InvitationRecord {
  return {
    id: String(row['id']),
    organizationId: String(row['organization_id']),
    email: String(row['email']),
    roles: (row['roles'] as string[]).map(String),
    invitedBy: String(row['invited_by']),
    createdAt: row['created_at'] as Date,
    expiresAt: row['expires_at'] as Date,
    acceptedAt: (row['accepted_at'] as Date | null) ?? null,
    revokedAt: (row['revoked_at'] as Date | null) ?? null,
  };
}

function toApiToken(row: Row): ApiTokenRecord {
  return {
    id: String(row['id']),
    organizationId: String(row['organization_id']),
    name: String(row['name']),
    scopes: (row['scopes'] as string[]).map((scope) => scope as ApiScope),
    createdBy: String(row['created_by']),
    createdAt: row['created_at'] as Date,
    expiresAt: (row['expires_at'] as Date | null) ?? null,
    revokedAt: (row['revoked_at'] as Date | null) ?? null,
  };
}
