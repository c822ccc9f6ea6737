import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type {
  FederationMembershipRecord,
  FederationMembershipStatus,
  InvitationRecord,
  MembershipRecord,
  MembershipStatus,
  OrganizationKind,
  OrganizationRecord,
} from './organizations.records.js';
import type { BalanceVisibility, HolderVisibility } from './rules/access-rules.js';
import type { FederationEdge } from './rules/federation-graph.js';

type Row = Record<string, unknown>;

const MEMBERSHIP_SELECT = `
  SELECT m.id, m.organization_id, m.person_id, m.status, m.joined_at, m.ended_at,
         coalesce((SELECT array_agg(r.role ORDER BY r.role) FROM membership_role r WHERE r.membership_id = m.id),
                  '{}') AS roles
  FROM membership m`;

const ORGANIZATION_COLUMNS = 'id, kind, name, slug, description, balance_visibility, created_at';
const INVITATION_COLUMNS =
  'id, organization_id, email, roles, invited_by, created_at, expires_at, accepted_at, revoked_at';
const FEDERATION_MEMBERSHIP_COLUMNS = 'id, federation_id, member_id, status, requested_at, decided_at, ended_at';

/** All of the organisations module's SQL. Every method runs on the caller's manager. */
@Injectable()
export class OrganizationsRepository {
  // Organisations

  async slugTaken(manager: EntityManager, slug: string): Promise<boolean> {
    const rows: Row[] = await manager.query(`SELECT 1 FROM organization WHERE slug = $1`, [slug]);
    return rows.length > 0;
  }

  /** Inserts the organisation; its party (the id it holds accounts under) exists already. */
  async insertOrganization(
    manager: EntityManager,
    organization: Omit<OrganizationRecord, 'createdAt'>,
  ): Promise<OrganizationRecord> {
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
}

function one<T>(rows: readonly T[]): T {
  const row = rows[0];
  if (row === undefined) throw new Error('expected one row');
  return row;
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
