import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryPrepared, type PreparedStatement } from '../kernel/database/prepared-statement.js';
import type { ApiScope, ApiTokenRecord, PersonRecord } from './auth.records.js';
import type { ThrottleState } from './rules/login-throttle.js';

type Row = Record<string, unknown>;

/**
 * Run by every authenticated request: prepared, so that it is planned once per connection. It reads the
 * session's person together with that person's active memberships and roles (the organisations module's
 * tables, read-only): the principal carries its roles, and one query per request is the budget.
 */
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

const PERSON_COLUMNS = 'id, name, email, status, created_at';
const API_TOKEN_COLUMNS = 'id, organization_id, name, scopes, created_by, created_at, expires_at, revoked_at';

export interface RefreshTokenRow {
  readonly id: string;
  readonly sessionId: string;
  readonly tokenHash: Buffer;
  readonly rotatedAt: Date | null;
  readonly personId: string;
  /** The session is over (revoked or expired) or its person disabled. */
  readonly sessionEnded: boolean;
}

/** The SQL of identity and sign-in: persons, sessions, refresh tokens, API tokens, the login throttle. */
@Injectable()
export class AuthRepository {
  // Persons

  /** A person is a party (persons and organisations share one id space: either may hold an account). */

  async insertPerson(
    manager: EntityManager,
    person: { id: string; name: string; email: string; passwordHash: string },
  ): Promise<PersonRecord> {
    await this.insertParty(manager, person.id, 'PERSON');
    const rows: Row[] = await manager.query(
      `INSERT INTO person (id, name, email, password_hash) VALUES ($1, $2, $3, $4) RETURNING ${PERSON_COLUMNS}`,
      [person.id, person.name, person.email, person.passwordHash],
    );
    return toPerson(one(rows));
  }

  async insertParty(manager: EntityManager, id: string, kind: 'PERSON' | 'ORGANIZATION'): Promise<void> {
    await manager.query(`INSERT INTO party (id, kind) VALUES ($1, $2)`, [id, kind]);
  }

  async partyExists(manager: EntityManager, id: string): Promise<boolean> {
    const rows: Row[] = await manager.query(`SELECT 1 FROM party WHERE id = $1`, [id]);
    return rows.length === 1;
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
}

function one<T>(rows: readonly T[]): T {
  const row = rows[0];
  if (row === undefined) throw new Error('expected one row');
  return row;
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
