import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '../kernel/errors/domain-error.js';
import { hashSecret, newSecret } from '../kernel/secrets.js';
import { AUTH_ERRORS } from './auth.errors.js';
import type { ApiScope, ApiTokenRecord } from './auth.records.js';
import { AuthRepository } from './auth.repository.js';
import { formatApiToken } from './rules/credentials.js';

/**
 * Organisation API tokens for integrations (a co-op's till posting sales): scoped, shown once when issued,
 * stored as a hash, revocable, optionally expiring. Who may issue and revoke them is the organisations
 * module's to decide (an organisation's admins); these are the mechanics, in the caller's transaction.
 */
@Injectable()
export class ApiTokensService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AuthRepository) private readonly repository: AuthRepository,
  ) {}

  /** Refuses an expiry that is not in the future (checked before anything is written). */
  checkExpiry(expiresAt: Date | null, now: Date): void {
    if (expiresAt !== null && expiresAt <= now) {
      throw new DomainError(AUTH_ERRORS.EXPIRY_IN_THE_PAST, 'expiresAt must be in the future');
    }
  }

  /** A new token and its secret, which is returned here once and stored only as a hash. */
  async issue(
    manager: EntityManager,
    input: {
      organizationId: string;
      name: string;
      scopes: readonly ApiScope[];
      createdBy: string;
      expiresAt: Date | null;
    },
  ): Promise<{ token: string; apiToken: ApiTokenRecord }> {
    const secret = { id: randomUUID(), secret: newSecret() };
    const apiToken = await this.repository.insertApiToken(manager, {
      id: secret.id,
      organizationId: input.organizationId,
      name: input.name,
      scopes: [...new Set(input.scopes)].sort(),
      createdBy: input.createdBy,
      expiresAt: input.expiresAt,
      tokenHash: hashSecret(secret.secret),
    });
    return { token: formatApiToken(secret), apiToken };
  }

  /** The token, locked for a change in the caller's transaction. */
  async lock(manager: EntityManager, tokenId: string): Promise<ApiTokenRecord> {
    const token = await this.repository.findApiToken(manager, tokenId, true);
    if (token === null) throw new DomainError(AUTH_ERRORS.API_TOKEN_NOT_FOUND, 'No such API token', { tokenId });
    return token;
  }

  async revoke(manager: EntityManager, token: ApiTokenRecord): Promise<ApiTokenRecord> {
    if (token.revokedAt !== null) {
      throw new DomainError(AUTH_ERRORS.API_TOKEN_REVOKED, 'The token was already revoked', { tokenId: token.id });
    }
    return this.repository.revokeApiToken(manager, token.id);
  }

  async tokensOf(organizationId: string): Promise<ApiTokenRecord[]> {
    return this.repository.listApiTokens(this.dataSource.manager, organizationId);
  }
}
