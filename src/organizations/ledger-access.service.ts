import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuthService } from '../auth/auth.service.js';
import { DomainError } from '../kernel/errors/domain-error.js';
import { rolesIn, type Principal } from '../kernel/principal.js';
import type { AccessLevel, AccountScope, LedgerAccess, RequestAuthorizer } from '../ledger/ledger-access.port.js';
import { refusal, type AccountRecord, type Authority, type UnitRecord } from '../ledger/ledger.records.js';
import { ORGANIZATIONS_ERRORS } from './organizations.errors.js';
import { OrganizationsRepository } from './organizations.repository.js';
import {
  accessLevel,
  decideOpenAccount,
  findBatchRefusal,
  mayChangeStatus,
  mayCreateUnit,
  maySetCreditLines,
  mayStewardUnit,
} from './rules/access-rules.js';

/** The ledger's door (LEDGER_ACCESS): the rules of rules/access-rules.ts, with what they need loaded. */
@Injectable()
export class LedgerAccessService implements LedgerAccess {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OrganizationsRepository) private readonly repository: OrganizationsRepository,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  assertMayCreateUnit(principal: Principal, issuerId: string): void {
    if (!mayCreateUnit(principal, issuerId)) {
      throw new DomainError(
        ORGANIZATIONS_ERRORS.ROLE_REQUIRED,
        'Only a TREASURER or ADMIN of the issuing organisation may create its units',
        { organizationId: issuerId },
      );
    }
  }

  async assertMayOpenAccount(
    manager: EntityManager,
    principal: Principal,
    account: { holderId: string; issuerId: string; creditLimit: bigint },
  ): Promise<void> {
    switch (decideOpenAccount(principal, account)) {
      case 'ALLOWED':
        return;
      case 'ALLOWED_IF_HOLDER_EXISTS':
        if (!(await this.auth.partyExists(manager, account.holderId))) {
          throw new DomainError(
            ORGANIZATIONS_ERRORS.HOLDER_NOT_FOUND,
            `No person or organisation has the id ${account.holderId}`,
            { holderId: account.holderId },
          );
        }
        return;
      case 'NEEDS_CREDIT_LINE_ROLE':
        throw new DomainError(
          ORGANIZATIONS_ERRORS.ROLE_REQUIRED,
          "Only a TREASURER of the unit's issuer may open an account with a credit line",
        );
      case 'NOT_HOLDER':
        throw new DomainError(
          ORGANIZATIONS_ERRORS.NOT_ACCOUNT_HOLDER,
          'You may open accounts for yourself or for an organisation where you are TREASURER or ADMIN',
          { holderId: account.holderId },
        );
    }
  }

  assertMaySetLimits(principal: Principal, account: AccountRecord): void {
    if (!maySetCreditLines(principal, account.issuerId)) {
      throw new DomainError(
        ORGANIZATIONS_ERRORS.ROLE_REQUIRED,
        "Only a TREASURER of the unit's issuer may set an account's limits",
        { accountId: account.id },
      );
    }
  }

  assertMayChangeStatus(principal: Principal, account: AccountRecord, target: 'FROZEN' | 'UNFROZEN' | 'CLOSED'): void {
    if (!mayChangeStatus(principal, account, target)) {
      throw new DomainError(ORGANIZATIONS_ERRORS.ROLE_REQUIRED, `You may not set account ${account.id} to ${target}`, {
        accountId: account.id,
      });
    }
  }

  requestAuthorizer(principal: Principal): RequestAuthorizer {
    return (request, view) => {
      const found = findBatchRefusal(principal, [request], view);
      if (found === null) return null;
      switch (found.reason) {
        case 'SYSTEM_OPERATION':
          return refusal(ORGANIZATIONS_ERRORS.SYSTEM_OPERATION, 'Only the ledger itself expires holds', {
            transactionId: found.requestId,
            accountId: found.accountId,
          });
        case 'WORKFLOW_HOLD': {
          const holdId = request.type === 'POST_HOLD' || request.type === 'VOID_HOLD' ? request.holdId : '';
          return refusal(
            ORGANIZATIONS_ERRORS.WORKFLOW_HOLD,
            `Hold ${holdId} belongs to a workflow: only its own steps post or void it`,
            { transactionId: found.requestId, holdId, ...authorityDetails(view.referenced(holdId)?.authority ?? null) },
          );
        }
        case 'NOT_ACCOUNT_HOLDER':
          return refusal(
            ORGANIZATIONS_ERRORS.NOT_ACCOUNT_HOLDER,
            `You may not move value out of account ${found.accountId}`,
            { transactionId: found.requestId, accountId: found.accountId },
          );
      }
    };
  }

  async accessTo(principal: Principal, accounts: readonly AccountRecord[]): Promise<AccessLevel[]> {
    const direct = accounts.map((account) => accessLevel(principal, account, undefined));
    const undecided = accounts.filter((_, index) => direct[index] !== 'DETAIL').map((account) => account.holderId);
    if (undecided.length === 0) return direct;
    const visibility = await this.repository.holderVisibility(this.dataSource.manager, [...new Set(undecided)]);
    return accounts.map((account) => accessLevel(principal, account, visibility.get(account.holderId)));
  }

  async accountScope(principal: Principal): Promise<AccountScope> {
    switch (principal.kind) {
      case 'API_TOKEN': {
        const visible = await this.repository.organizationsVisibleTo(this.dataSource.manager, []);
        const own = principal.scopes.size > 0 ? [principal.organizationId] : [];
        return { holderIds: [...own, ...visible], issuerIds: [] };
      }
      case 'PERSON':
      case 'SYSTEM': {
        const memberOf = principal.kind === 'PERSON' ? [...principal.roles.keys()] : [...principal.grant.organizations];
        const visible = await this.repository.organizationsVisibleTo(this.dataSource.manager, memberOf);
        const own = principal.kind === 'PERSON' ? [principal.personId] : [];
        return {
          holderIds: [...new Set([...own, ...memberOf, ...visible])],
          issuerIds: memberOf.filter((organizationId) => mayStewardUnit(principal, organizationId)),
        };
      }
    }
  }

  mayReadTrialBalance(principal: Principal, unit: UnitRecord): boolean {
    return rolesIn(principal, unit.issuerId).size > 0;
  }
}

/** The authority a refusal names, as flat details (`authorityKind`, `authorityId`). */
function authorityDetails(authority: Authority | null): { authorityKind: string | null; authorityId: string | null } {
  return { authorityKind: authority?.kind ?? null, authorityId: authority?.id ?? null };
}
