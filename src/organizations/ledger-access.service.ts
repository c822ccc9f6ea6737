import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../kernel/principal.js';
import { forbidden, notFound } from '../kernel/errors/domain-error.js';
import type { AccessLevel, AccountScope, LedgerAccess, RequestAuthorizer } from '../ledger/ledger-access.port.js';
import type { AccountRecord, UnitRecord } from '../ledger/ledger.records.js';
import { auditActor } from './audit.js';
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
import { rolesIn } from '../kernel/principal.js';

/** The ledger's door (LEDGER_ACCESS): the rules of rules/access-rules.ts, with what they need loaded. */
@Injectable()
export class LedgerAccessService implements LedgerAccess {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OrganizationsRepository) private readonly repository: OrganizationsRepository,
  ) {}

  assertMayCreateUnit(principal: Principal, issuerId: string): void {
    if (!mayCreateUnit(principal, issuerId)) {
      throw forbidden('ROLE_REQUIRED', 'Only a TREASURER or ADMIN of the issuing organisation may create its units', {
        organizationId: issuerId,
      });
    }
  }

  async assertMayOpenAccount(
    principal: Principal,
    account: { holderId: string; issuerId: string; creditLimit: bigint },
  ): Promise<void> {
    switch (decideOpenAccount(principal, account)) {
      case 'ALLOWED':
        return;
      case 'ALLOWED_IF_HOLDER_EXISTS':
        if (!(await this.repository.partyExists(this.dataSource.manager, account.holderId))) {
          throw notFound('HOLDER_NOT_FOUND', `No person or organisation has the id ${account.holderId}`, {
            holderId: account.holderId,
          });
        }
        return;
      case 'NEEDS_CREDIT_LINE_ROLE':
        throw forbidden(
          'ROLE_REQUIRED',
          "Only a TREASURER of the unit's issuer may open an account with a credit line",
        );
      case 'NOT_HOLDER':
        throw forbidden(
          'NOT_ACCOUNT_HOLDER',
          'You may open accounts for yourself or for an organisation where you are TREASURER or ADMIN',
          { holderId: account.holderId },
        );
    }
  }

  assertMaySetLimits(principal: Principal, account: AccountRecord): void {
    if (!maySetCreditLines(principal, account.issuerId)) {
      throw forbidden('ROLE_REQUIRED', "Only a TREASURER of the unit's issuer may set an account's limits", {
        accountId: account.id,
      });
    }
  }

  assertMayChangeStatus(principal: Principal, account: AccountRecord, target: 'FROZEN' | 'UNFROZEN' | 'CLOSED'): void {
    if (!mayChangeStatus(principal, account, target)) {
      throw forbidden('ROLE_REQUIRED', `You may not set account ${account.id} to ${target}`, { accountId: account.id });
    }
  }

  requestAuthorizer(principal: Principal): RequestAuthorizer {
    return (request, view) => {
      const refusal = findBatchRefusal(principal, [request], view);
      if (refusal === null) return null;
      return {
        code: 'FORBIDDEN',
        reason: refusal.reason,
        message:
          refusal.reason === 'SYSTEM_OPERATION'
            ? 'Only the ledger itself expires holds'
            : `You may not move value out of account ${refusal.accountId}`,
        details: { transactionId: refusal.requestId, accountId: refusal.accountId },
      };
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
    if (principal.kind === 'API_TOKEN') {
      const visible = await this.repository.organizationsVisibleTo(this.dataSource.manager, []);
      const own = principal.scopes.size > 0 ? [principal.organizationId] : [];
      return { holderIds: [...own, ...visible], issuerIds: [] };
    }
    const memberOf = [...principal.roles.keys()];
    const visible = await this.repository.organizationsVisibleTo(this.dataSource.manager, memberOf);
    return {
      holderIds: [...new Set([principal.personId, ...memberOf, ...visible])],
      issuerIds: memberOf.filter((organizationId) => mayStewardUnit(principal, organizationId)),
    };
  }

  mayReadTrialBalance(principal: Principal, unit: UnitRecord): boolean {
    return rolesIn(principal, unit.issuerId).size > 0;
  }

  async recordAccountOpened(manager: EntityManager, principal: Principal, account: AccountRecord): Promise<void> {
    await this.repository.insertAuditEvent(manager, {
      ...auditActor(principal),
      organizationId: account.issuerId,
      relatedOrganizationId:
        account.holderId === account.issuerId ? null : await this.organizationOrNull(manager, account.holderId),
      action: 'ACCOUNT_OPENED',
      subjectType: 'ACCOUNT',
      subjectId: account.id,
      before: null,
      after: { ...termsOf(account), holderId: account.holderId, unitCode: account.unitCode, name: account.name },
    });
  }

  async recordTermsChange(
    manager: EntityManager,
    principal: Principal,
    change: { before: AccountRecord; after: AccountRecord; reason: string },
  ): Promise<void> {
    const { before, after } = change;
    const limitsChanged = before.creditLimit !== after.creditLimit || before.upperLimit !== after.upperLimit;
    await this.repository.insertAuditEvent(manager, {
      ...auditActor(principal),
      organizationId: after.issuerId,
      relatedOrganizationId:
        after.holderId === after.issuerId ? null : await this.organizationOrNull(manager, after.holderId),
      action: limitsChanged
        ? 'CREDIT_LINE_CHANGED'
        : `ACCOUNT_${after.status === 'ACTIVE' ? 'UNFROZEN' : after.status}`,
      subjectType: 'ACCOUNT',
      subjectId: after.id,
      before: termsOf(before),
      after: { ...termsOf(after), reason: change.reason },
    });
  }

  private async organizationOrNull(manager: EntityManager, partyId: string): Promise<string | null> {
    return (await this.repository.findOrganization(manager, partyId)) === null ? null : partyId;
  }
}

function termsOf(account: AccountRecord): Record<string, string | null> {
  return {
    status: account.status,
    creditLimit: account.creditLimit.toString(),
    upperLimit: account.upperLimit?.toString() ?? null,
  };
}
