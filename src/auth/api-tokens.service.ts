import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../kernel/principal.js';
import { runInTransaction } from '../kernel/database/run-in-transaction.js';
import { conflict, notFound, validationFailed } from '../kernel/errors/domain-error.js';
import { hashSecret, newSecret } from './auth-secrets.js';
import { requireSession } from './auth.service.js';
import type { ApiTokenRecord } from '../organizations/organizations.records.js';
import { OrganizationsRepository } from '../organizations/organizations.repository.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import type { ApiScope } from '../organizations/rules/access-rules.js';
import { formatApiToken } from './rules/credentials.js';

/**
 * Organisation API tokens for integrations (a co-op's till posting sales): scoped, shown once at creation,
 * stored as a hash, revocable, optionally expiring. Managed by the organisation's admins.
 */
@Injectable()
export class ApiTokensService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OrganizationsRepository) private readonly repository: OrganizationsRepository,
    @Inject(OrganizationsService) private readonly organizations: OrganizationsService,
  ) {}

  async create(
    principal: Principal,
    input: { organizationId: string; name: string; scopes: readonly ApiScope[]; expiresAt: Date | null },
  ): Promise<{ token: string; apiToken: ApiTokenRecord }> {
    const { personId } = requireSession(principal);
    await this.organizations.requireRole(principal, input.organizationId, ['ADMIN']);
    if (input.expiresAt !== null && input.expiresAt <= new Date()) {
      throw validationFailed('EXPIRY_IN_THE_PAST', 'expiresAt must be in the future');
    }
    const secret = { id: randomUUID(), secret: newSecret() };
    const scopes = [...new Set(input.scopes)].sort();
    const apiToken = await runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      await this.organizations.requireOrganization(manager, input.organizationId);
      const created = await this.repository.insertApiToken(manager, {
        id: secret.id,
        organizationId: input.organizationId,
        name: input.name,
        scopes,
        createdBy: personId,
        expiresAt: input.expiresAt,
        tokenHash: hashSecret(secret.secret),
      });
      await this.organizations.audit(
        manager,
        principal,
        input.organizationId,
        'API_TOKEN_CREATED',
        'API_TOKEN',
        created.id,
        null,
        {
          name: created.name,
          scopes,
          expiresAt: created.expiresAt?.toISOString() ?? null,
        },
      );
      return created;
    });
    return { token: formatApiToken(secret), apiToken };
  }

  async revoke(principal: Principal, tokenId: string): Promise<ApiTokenRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const token = await this.repository.findApiToken(manager, tokenId, true);
      if (token === null) throw notFound('API_TOKEN_NOT_FOUND', 'No such API token', { tokenId });
      await this.organizations.requireRole(principal, token.organizationId, ['ADMIN'], manager);
      if (token.revokedAt !== null) throw conflict('API_TOKEN_REVOKED', 'The token was already revoked', { tokenId });
      const revoked = await this.repository.revokeApiToken(manager, token.id);
      await this.organizations.audit(
        manager,
        principal,
        token.organizationId,
        'API_TOKEN_REVOKED',
        'API_TOKEN',
        token.id,
        { name: token.name },
        null,
      );
      return revoked;
    });
  }

  async list(principal: Principal, organizationId: string): Promise<ApiTokenRecord[]> {
    await this.organizations.requireRole(principal, organizationId, ['ADMIN']);
    return this.repository.listApiTokens(this.dataSource.manager, organizationId);
  }
}
