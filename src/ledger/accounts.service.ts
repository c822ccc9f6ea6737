import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { runInTransaction } from '../kernel/database/run-in-transaction.js';
import type { Principal } from '../kernel/principal.js';
import { AuditService } from '../kernel/audit/audit.service.js';
import { DomainError } from '../kernel/errors/domain-error.js';
import { requireUuid } from '../kernel/ids.js';
import { LEDGER_ACCESS, type LedgerAccess } from './ledger-access.port.js';
import { LEDGER_ERRORS } from './ledger.errors.js';
import type { AccountChangeKind, AccountChangeRecord, AccountRecord, UnitRecord } from './ledger.records.js';
import { LedgerRepository } from './ledger.repository.js';
import { decideLimits, decideStatusChange, type StatusTarget, type TermsDecision } from './rules/account-terms.js';
import type { AccountKind, UnitKind } from './rules/ledger-model.js';

export interface NewUnit {
  readonly code: string;
  readonly name: string;
  readonly kind: UnitKind;
  readonly scale: number;
  readonly issuerId: string;
}

export interface NewAccount {
  readonly id: string | null;
  readonly unitCode: string;
  readonly holderId: string;
  readonly name: string;
  readonly kind: AccountKind;
  readonly creditLimit: bigint;
  readonly upperLimit: bigint | null;
}

const STATUS_CHANGE: Record<StatusTarget, AccountChangeKind> = {
  FROZEN: 'FROZEN',
  UNFROZEN: 'UNFROZEN',
  CLOSED: 'CLOSED',
};

/** Units of account and the life of accounts: opening, limits, freezing, closing, and reading them. */
@Injectable()
export class AccountsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(LedgerRepository) private readonly repository: LedgerRepository,
    @Inject(LEDGER_ACCESS) private readonly access: LedgerAccess,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** Creates a unit; creating the same unit again returns it, a different one under the code is a CONFLICT. */
  async createUnit(principal: Principal, unit: NewUnit): Promise<UnitRecord> {
    this.access.assertMayCreateUnit(principal, unit.issuerId);
    if (unit.kind === 'HOURS' && unit.scale !== 0) {
      throw new DomainError(
        LEDGER_ERRORS.HOURS_IN_MINUTES,
        'Hours are kept in whole minutes: an HOURS unit has scale 0',
      );
    }
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      await this.repository.insertUnit(manager, unit);
      const [stored] = await this.repository.findUnits(manager, [unit.code]);
      if (stored === undefined) throw new Error(`unit ${unit.code} vanished`);
      const same =
        stored.name === unit.name &&
        stored.kind === unit.kind &&
        stored.scale === unit.scale &&
        stored.issuerId === unit.issuerId;
      if (!same)
        throw new DomainError(LEDGER_ERRORS.UNIT_EXISTS, `Unit ${unit.code} already exists with other terms`, {
          code: unit.code,
        });
      return stored;
    });
  }

  async unit(code: string): Promise<UnitRecord> {
    const [unit] = await this.repository.findUnits(this.dataSource.manager, [code]);
    if (unit === undefined)
      throw new DomainError(LEDGER_ERRORS.UNIT_NOT_FOUND, `Unit ${code} does not exist`, { code });
    return unit;
  }

  async units(): Promise<UnitRecord[]> {
    return this.repository.listUnits(this.dataSource.manager);
  }

  /** Opens an account; with a client-chosen id, opening the same account again returns it. */
  async openAccount(principal: Principal, input: NewAccount): Promise<AccountRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', (manager) =>
      this.openAccountIn(manager, principal, input),
    );
  }

  /**
   * Opens an account inside the caller's database transaction (a workflow step that opens a fund, a lease's
   * account or a member's hours account together with its own rows); the same rules and replay as openAccount.
   */
  async openAccountIn(manager: EntityManager, principal: Principal, input: NewAccount): Promise<AccountRecord> {
    const holderId = requireUuid(input.holderId, 'holderId');
    const [unit] = await this.repository.findUnits(manager, [input.unitCode]);
    if (unit === undefined) {
      throw new DomainError(LEDGER_ERRORS.UNIT_NOT_FOUND, `Unit ${input.unitCode} does not exist`, {
        unitCode: input.unitCode,
      });
    }
    await this.access.assertMayOpenAccount(manager, principal, {
      holderId,
      issuerId: unit.issuerId,
      creditLimit: input.creditLimit,
    });
    const account: AccountRecord = {
      id: input.id === null ? randomUUID() : requireUuid(input.id, 'id'),
      unitCode: input.unitCode,
      holderId,
      issuerId: unit.issuerId,
      name: input.name,
      kind: input.kind,
      status: 'ACTIVE',
      creditLimit: input.creditLimit,
      upperLimit: input.upperLimit,
      debitsPosted: 0n,
      creditsPosted: 0n,
      debitsPending: 0n,
      creditsPending: 0n,
      version: 1n,
      openedAt: new Date(),
    };
    if (await this.repository.insertAccount(manager, account, 'Opened')) {
      const opened = await this.requireAccount(manager, account.id);
      await this.audit.record(manager, {
        actor: principal,
        action: 'ACCOUNT_OPENED',
        organizationId: opened.issuerId,
        relatedPartyId: opened.holderId === opened.issuerId ? null : opened.holderId,
        subject: { type: 'ACCOUNT', id: opened.id },
        after: { ...termsOf(opened), holderId: opened.holderId, unitCode: opened.unitCode, name: opened.name },
      });
      return opened;
    }
    const existing = await this.requireAccount(manager, account.id);
    const [opening] = (await this.repository.listAccountChanges(manager, account.id, 2n, 1)) as [AccountChangeRecord?];
    const same =
      existing.unitCode === input.unitCode &&
      existing.holderId === holderId &&
      existing.name === input.name &&
      existing.kind === input.kind &&
      opening?.creditLimit === input.creditLimit &&
      opening.upperLimit === input.upperLimit;
    if (!same) {
      throw new DomainError(
        LEDGER_ERRORS.EXISTS_WITH_DIFFERENT_CONTENT,
        `Account ${account.id} already exists with other terms`,
        {
          id: account.id,
        },
      );
    }
    return existing;
  }

  /** Sets the credit line and upper limit; the change is audited with who made it. */
  async setLimits(
    principal: Principal,
    accountId: string,
    creditLimit: bigint,
    upperLimit: bigint | null,
    reason: string,
  ): Promise<AccountRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', (manager) =>
      this.setLimitsIn(manager, principal, accountId, creditLimit, upperLimit, reason),
    );
  }

  /** Sets the limits inside the caller's database transaction (a workflow step, such as a passed motion). */
  async setLimitsIn(
    manager: EntityManager,
    principal: Principal,
    accountId: string,
    creditLimit: bigint,
    upperLimit: bigint | null,
    reason: string,
  ): Promise<AccountRecord> {
    return this.changeTerms(
      manager,
      principal,
      accountId,
      'LIMITS_SET',
      reason,
      (account) => this.access.assertMaySetLimits(principal, account),
      (account) => decideLimits(account, creditLimit, upperLimit),
    );
  }

  async changeStatus(
    principal: Principal,
    accountId: string,
    target: StatusTarget,
    reason: string,
  ): Promise<AccountRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', (manager) =>
      this.changeTerms(
        manager,
        principal,
        accountId,
        STATUS_CHANGE[target],
        reason,
        (account) => this.access.assertMayChangeStatus(principal, account, target),
        (account) => decideStatusChange(account, target),
      ),
    );
  }

  private async changeTerms(
    manager: EntityManager,
    principal: Principal,
    accountId: string,
    change: AccountChangeKind,
    reason: string,
    authorize: (account: AccountRecord) => void,
    decide: (account: AccountRecord) => TermsDecision<AccountRecord>,
  ): Promise<AccountRecord> {
    const account = await this.requireAccount(manager, accountId, true);
    authorize(account);
    const decision = decide(account);
    switch (decision.outcome) {
      case 'UNCHANGED':
        return account;
      case 'REFUSED':
        throw DomainError.fromRefusal(decision.refusal);
      case 'CHANGED': {
        const updated = await this.repository.updateAccountTerms(manager, decision.next, change, reason);
        await this.audit.record(manager, {
          actor: principal,
          action:
            account.creditLimit !== updated.creditLimit || account.upperLimit !== updated.upperLimit
              ? 'CREDIT_LINE_CHANGED'
              : `ACCOUNT_${updated.status === 'ACTIVE' ? 'UNFROZEN' : updated.status}`,
          organizationId: updated.issuerId,
          relatedPartyId: updated.holderId === updated.issuerId ? null : updated.holderId,
          subject: { type: 'ACCOUNT', id: updated.id },
          before: termsOf(account),
          after: { ...termsOf(updated), reason },
        });
        return updated;
      }
    }
  }

  /** An account the caller may see at least at the given level (FORBIDDEN otherwise). */
  async account(principal: Principal, id: string, level: 'BALANCE' | 'DETAIL' = 'BALANCE'): Promise<AccountRecord> {
    const account = await this.requireAccount(this.dataSource.manager, id);
    const [granted] = await this.access.accessTo(principal, [account]);
    if (granted === 'NONE' || (level === 'DETAIL' && granted !== 'DETAIL')) {
      throw new DomainError(
        LEDGER_ERRORS.ACCOUNT_NOT_VISIBLE,
        `You may not see ${level === 'DETAIL' ? 'the history of ' : ''}account ${account.id}`,
        {
          accountId: account.id,
        },
      );
    }
    return account;
  }

  /** The account if the caller may see it, else null (a counterparty's account may be private). */
  async visibleAccount(principal: Principal, id: string): Promise<AccountRecord | null> {
    const account = await this.repository.findAccount(this.dataSource.manager, id);
    if (account === null) return null;
    const [granted] = await this.access.accessTo(principal, [account]);
    return granted === 'NONE' ? null : account;
  }

  /** The accounts the caller may see, filtered further by holder and unit. */
  async accounts(
    principal: Principal,
    filter: { holderId: string | null; unitCode: string | null; afterId: string | null; limit: number },
  ): Promise<AccountRecord[]> {
    const holderId = filter.holderId === null ? null : requireUuid(filter.holderId, 'holderId');
    const scope = await this.access.accountScope(principal);
    return this.repository.listAccounts(this.dataSource.manager, { ...filter, holderId, scope });
  }

  async accountChanges(
    principal: Principal,
    accountId: string,
    beforeVersion: bigint | null,
    limit: number,
  ): Promise<AccountChangeRecord[]> {
    await this.account(principal, accountId, 'DETAIL');
    return this.repository.listAccountChanges(this.dataSource.manager, accountId, beforeVersion, limit);
  }

  /**
   * The accounts of these ids as the caller's transaction sees them, in id order, for a module's own workflow
   * over accounts it keeps (a fund's balance, a member's hours; the module has checked the caller's right to
   * its records). With `lock`, locked until the transaction ends: for a workflow that computes what to move
   * from the positions it read (a redistribution run), so that nothing moves in between.
   */
  async accountsIn(
    manager: EntityManager,
    ids: readonly string[],
    options: { lock: boolean } = { lock: false },
  ): Promise<AccountRecord[]> {
    return this.repository.findManyAccounts(manager, ids, options.lock);
  }

  /** Every account of a unit and kind held by these holders (a policy's account set), in id order. */
  async accountsOfHoldersIn(
    manager: EntityManager,
    filter: { holderIds: readonly string[]; unitCode: string; kind: string },
  ): Promise<AccountRecord[]> {
    return this.repository.findAccountsOfHolders(manager, filter);
  }

  /**
   * Posted debits and credits of each account with an effective instant in [from, to): a period's flows (net
   * inflow, minutes given in a time bank). Accounts that did not move are absent.
   */
  async flowsIn(
    manager: EntityManager,
    accountIds: readonly string[],
    period: { from: Date; to: Date },
  ): Promise<{ accountId: string; debits: bigint; credits: bigint }[]> {
    return this.repository.sumFlows(manager, accountIds, period.from, period.to);
  }

  async requireAccount(manager: EntityManager, id: string, lock = false): Promise<AccountRecord> {
    const accountId = requireUuid(id, 'accountId');
    const account = await this.repository.findAccount(manager, accountId, lock);
    if (account === null) {
      throw new DomainError(LEDGER_ERRORS.ACCOUNT_NOT_FOUND, `Account ${id} does not exist`, { accountId });
    }
    return account;
  }
}

/** What the audit log keeps of an account's terms. */
function termsOf(account: AccountRecord): Record<string, string | null> {
  return {
    status: account.status,
    creditLimit: account.creditLimit.toString(),
    upperLimit: account.upperLimit?.toString() ?? null,
  };
}
