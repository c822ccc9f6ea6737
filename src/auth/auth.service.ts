import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../kernel/principal.js';
import type { AppConfig } from '../kernel/config/app-config.js';
import { APP_CONFIG } from '../kernel/config/config.module.js';
import { Coalescer } from '../kernel/database/coalescer.js';
import { runInTransaction } from '../kernel/database/run-in-transaction.js';
import { DomainError } from '../kernel/errors/domain-error.js';
import { requirePerson } from '../kernel/graphql/request-principal.js';
import { AUTH_ERRORS } from './auth.errors.js';
import { hashSecret, newSecret, secretMatches } from '../kernel/secrets.js';
import { AccessTokenSigner } from './access-token-signer.js';
import { PasswordHasher } from './password-hasher.js';
import type { PersonRecord } from './auth.records.js';
import { AuthRepository } from './auth.repository.js';
import {
  formatRefreshToken,
  isPlausibleEmail,
  normalizeEmail,
  parseApiToken,
  parseRefreshToken,
  passwordProblem,
} from './rules/credentials.js';
import { assessLogin, recordFailure, type ThrottlePolicy } from './rules/login-throttle.js';

export interface AuthSession {
  readonly person: PersonRecord;
  readonly sessionId: string;
  readonly accessToken: string;
  readonly accessTokenExpiresAt: Date;
  readonly refreshToken: string;
  readonly refreshTokenExpiresAt: Date;
}

/** A client address is allowed many more failures than one email: several people may share it. */
const ADDRESS_POLICY_FACTOR = 5;
const THROTTLE_WINDOW_SECONDS = 15 * 60;

/**
 * Signing in and out: registration, login (throttled), refresh-token rotation with reuse detection,
 * logout, password change, and turning a bearer token into the request's principal.
 */
@Injectable()
export class AuthService {
  private readonly sessionLookups: Coalescer<
    { sessionId: string; personId: string },
    { organizationId: string; roles: string[] }[] | null
  >;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AuthRepository) private readonly repository: AuthRepository,
    @Inject(PasswordHasher) private readonly passwords: PasswordHasher,
    @Inject(AccessTokenSigner) private readonly signer: AccessTokenSigner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    // Every authenticated request checks that its session is still live (so that logout is immediate);
    // concurrent checks share one query, each session asked once however many requests carry it.
    this.sessionLookups = new Coalescer(async (sessions) => {
      const sessionIds = [...new Set(sessions.map((session) => session.sessionId))];
      const live = await this.repository.loadLiveSessions(this.dataSource.manager, sessionIds);
      return sessions.map((session) => {
        const found = live.get(session.sessionId);
        return found?.personId === session.personId ? found.memberships : null;
      });
    }, config.coalescing);
  }

  async register(input: { email: string; name: string; password: string }): Promise<AuthSession> {
    const email = this.checkedEmail(input.email);
    this.checkPassword(input.password, { email, name: input.name });
    const passwordHash = await this.passwords.hash(input.password);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const person = await this.createPerson(manager, { email, name: input.name, passwordHash });
      return this.startSession(manager, person);
    });
  }

  /** Creates a person; the email must be free (compared without case). */
  async createPerson(
    manager: EntityManager,
    person: { email: string; name: string; passwordHash: string },
  ): Promise<PersonRecord> {
    if ((await this.repository.findPersonByEmail(manager, person.email)) !== null) {
      throw new DomainError(AUTH_ERRORS.EMAIL_TAKEN, 'A person with this email address is already registered');
    }
    return this.repository.insertPerson(manager, { id: randomUUID(), ...person });
  }

  async hashPassword(password: string, context: { email: string; name: string }): Promise<string> {
    this.checkPassword(password, context);
    return this.passwords.hash(password);
  }

  async login(input: { email: string; password: string }, clientAddress: string): Promise<AuthSession> {
    const email = normalizeEmail(input.email);
    const keys = [`email:${email}`, `address:${clientAddress}`];
    const delayMs = await this.admitLoginAttempt(keys);
    if (delayMs > 0) await sleep(delayMs);
    const person = await this.repository.findPersonByEmail(this.dataSource.manager, email);
    const valid = await this.passwords.verify(person?.passwordHash ?? null, input.password);
    if (person === null || !valid || person.status !== 'ACTIVE') {
      await this.recordLoginFailure(keys);
      throw new DomainError(AUTH_ERRORS.INVALID_CREDENTIALS, 'The email address or password is wrong');
    }
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      await this.repository.clearThrottle(manager, `email:${email}`);
      return this.startSession(manager, person);
    });
  }

  /**
   * Exchanges a refresh token for a new pair. Each refresh token works once: presenting one that was
   * already exchanged means it leaked (or a client raced itself), so the whole session is revoked.
   */
  async refresh(refreshToken: string): Promise<AuthSession> {
    const parsed = parseRefreshToken(refreshToken);
    if (parsed === null) throw new DomainError(AUTH_ERRORS.INVALID_REFRESH_TOKEN, 'The refresh token is not valid');
    const outcome = await runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const stored = await this.repository.lockRefreshToken(manager, parsed.id);
      if (stored === null || !secretMatches(parsed.secret, stored.tokenHash)) {
        return new DomainError(AUTH_ERRORS.INVALID_REFRESH_TOKEN, 'The refresh token is not valid');
      }
      if (stored.sessionEnded)
        return new DomainError(AUTH_ERRORS.SESSION_REVOKED, 'The session has ended: log in again');
      if (stored.rotatedAt !== null) {
        await this.repository.revokeSession(manager, stored.sessionId, 'REFRESH_TOKEN_REUSED');
        return new DomainError(
          AUTH_ERRORS.REFRESH_TOKEN_REUSED,
          'This refresh token was already used; the session is revoked for safety: log in again',
        );
      }
      await this.repository.markRefreshTokenRotated(manager, stored.id);
      const [person] = await this.repository.findPersons(manager, [stored.personId]);
      if (person === undefined) throw new Error(`person ${stored.personId} of a session vanished`);
      return this.continueSession(manager, person, stored.sessionId);
    });
    // A refusal that revoked the session must commit before it is reported.
    if (outcome instanceof DomainError) throw outcome;
    return outcome;
  }

  async logout(principal: Principal): Promise<void> {
    const person = requirePerson(principal);
    await this.repository.revokeSession(this.dataSource.manager, person.sessionId, 'LOGOUT');
  }

  /** Changes the password and ends every other session of the person. */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string): Promise<number> {
    const { personId, sessionId } = requirePerson(principal);
    const stored = await this.repository.findPersonWithHash(this.dataSource.manager, personId);
    if (stored === null) throw new Error(`person ${personId} of a live session vanished`);
    if (!(await this.passwords.verify(stored.passwordHash, currentPassword))) {
      throw new DomainError(AUTH_ERRORS.INVALID_CREDENTIALS, 'The current password is wrong');
    }
    const passwordHash = await this.hashPassword(newPassword, stored);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      await this.repository.setPasswordHash(manager, personId, passwordHash);
      return this.repository.revokeOtherSessions(manager, personId, sessionId, 'PASSWORD_CHANGED');
    });
  }

  /** The principal behind an Authorization header's bearer token; UNAUTHENTICATED if it is not valid now. */
  async authenticate(bearer: string): Promise<Principal> {
    if (bearer.startsWith('cwl_')) return this.authenticateApiToken(bearer);
    const claims = await this.signer.verify(bearer);
    const memberships = await this.sessionLookups.submit(claims);
    if (memberships === null) throw new DomainError(AUTH_ERRORS.SESSION_REVOKED, 'The session has ended: log in again');
    return {
      kind: 'PERSON',
      personId: claims.personId,
      sessionId: claims.sessionId,
      roles: new Map(memberships.map((membership) => [membership.organizationId, new Set(membership.roles)])),
    };
  }

  /** Gives an organisation its party: the id under which it, like a person, may hold accounts. */
  async registerOrganizationParty(manager: EntityManager, organizationId: string): Promise<void> {
    await this.repository.insertParty(manager, organizationId, 'ORGANIZATION');
  }

  /** Whether a person or an organisation has this id. */
  /** In the caller's transaction: a workflow that opens an account must not wait for a second connection. */
  async partyExists(manager: EntityManager, id: string): Promise<boolean> {
    return this.repository.partyExists(manager, id);
  }

  async persons(ids: readonly string[]): Promise<PersonRecord[]> {
    return this.repository.findPersons(this.dataSource.manager, ids);
  }

  /** The person registered with this address (compared without case), if any. */
  async personByEmail(manager: EntityManager, email: string): Promise<PersonRecord | null> {
    const found = await this.repository.findPersonByEmail(manager, email);
    return found === null
      ? null
      : { id: found.id, name: found.name, email: found.email, status: found.status, createdAt: found.createdAt };
  }

  /** Verifies a person's password (accepting an invitation as an existing person). */
  async verifyPassword(personId: string, password: string): Promise<boolean> {
    const stored = await this.repository.findPersonWithHash(this.dataSource.manager, personId);
    return this.passwords.verify(stored?.passwordHash ?? null, password);
  }

  async startSession(manager: EntityManager, person: PersonRecord): Promise<AuthSession> {
    const sessionId = randomUUID();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.auth.refreshTokenTtlSeconds * 1000);
    await this.repository.insertSession(manager, { id: sessionId, personId: person.id, expiresAt });
    return this.continueSession(manager, person, sessionId, expiresAt);
  }

  private async continueSession(
    manager: EntityManager,
    person: PersonRecord,
    sessionId: string,
    sessionExpiresAt?: Date,
  ): Promise<AuthSession> {
    const now = new Date();
    const refresh = { id: randomUUID(), secret: newSecret() };
    await this.repository.insertRefreshToken(manager, {
      id: refresh.id,
      sessionId,
      tokenHash: hashSecret(refresh.secret),
    });
    const access = await this.signer.sign({ personId: person.id, sessionId }, now);
    return {
      person,
      sessionId,
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: formatRefreshToken(refresh),
      refreshTokenExpiresAt:
        sessionExpiresAt ?? new Date(now.getTime() + this.config.auth.refreshTokenTtlSeconds * 1000),
    };
  }

  private async authenticateApiToken(bearer: string): Promise<Principal> {
    const parsed = parseApiToken(bearer);
    const stored = parsed === null ? null : await this.repository.findLiveApiToken(this.dataSource.manager, parsed.id);
    if (parsed === null || stored === null || !secretMatches(parsed.secret, stored.tokenHash)) {
      throw new DomainError(AUTH_ERRORS.INVALID_TOKEN, 'The API token is not valid (revoked, expired or unknown)');
    }
    return {
      kind: 'API_TOKEN',
      tokenId: stored.token.id,
      organizationId: stored.token.organizationId,
      scopes: new Set(stored.token.scopes),
    };
  }

  private async admitLoginAttempt(keys: readonly string[]): Promise<number> {
    const states = await this.repository.lockThrottles(this.dataSource.manager, keys);
    const now = new Date();
    let delayMs = 0;
    for (const key of keys) {
      const verdict = assessLogin(states.get(key) ?? null, now, this.policyFor(key));
      if (!verdict.allowed) {
        throw new DomainError(AUTH_ERRORS.TOO_MANY_FAILED_LOGINS, 'Too many failed logins: try again later', {
          retryAfterSeconds: verdict.retryAfterSeconds,
        });
      }
      delayMs = Math.max(delayMs, verdict.delayMs);
    }
    return delayMs;
  }

  private async recordLoginFailure(keys: readonly string[]): Promise<void> {
    await runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const states = await this.repository.lockThrottles(manager, keys);
      const now = new Date();
      for (const key of keys) {
        await this.repository.saveThrottle(
          manager,
          key,
          recordFailure(states.get(key) ?? null, now, this.policyFor(key)),
        );
      }
    });
  }

  private policyFor(key: string): ThrottlePolicy {
    const factor = key.startsWith('address:') ? ADDRESS_POLICY_FACTOR : 1;
    return {
      windowSeconds: THROTTLE_WINDOW_SECONDS,
      slowAfter: this.config.auth.loginSlowAfter * factor,
      lockAfter: this.config.auth.loginLockAfter * factor,
      lockSeconds: this.config.auth.loginLockSeconds,
      baseDelayMs: 250,
      maxDelayMs: 4000,
    };
  }

  /** An email address as it is stored (trimmed, lower case), or INVALID_EMAIL. */
  checkedEmail(raw: string): string {
    const email = normalizeEmail(raw);
    if (!isPlausibleEmail(email)) throw new DomainError(AUTH_ERRORS.INVALID_EMAIL, 'This is not an email address');
    return email;
  }

  private checkPassword(password: string, context: { email: string; name: string }): void {
    const problem = passwordProblem(password, context);
    if (problem !== null) throw new DomainError(AUTH_ERRORS.WEAK_PASSWORD, `The password is refused: ${problem}`);
  }
}
