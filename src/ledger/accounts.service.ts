import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { runInTransaction } from '../database/run-in-transaction.js';
import { conflict, notFound, validationFailed } from '../errors/domain-error.js';
import { refusalError } from './ledger.errors.js';
import type { AccountChangeKind, AccountChangeRecord, AccountRecord, UnitRecord } from './ledger.records.js';
import { LedgerRepository } from './ledger.repository.js';
import { decideLimits, decideStatusChange, type StatusTarget, type TermsDecision } from './rules/account-terms.js';
import { isUuid } from './rules/check-request.js';
import type { AccountKind, UnitKind } from './rules/ledger-model.js';

export interface NewUnit {
  readonly code: string;
  readonly name: string;
  readonly kind: UnitKind;
  readonly scale: number;
  readonly issuer: string | null;
}

export interface NewAccount {
  readonly id: string | null;
  readonly unitCode: string;
  readonly holder: string;
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
  ) {}

  /** Creates a unit; creating the same unit again returns it, a different one under the code is a CONFLICT. */
  async createUnit(unit: NewUnit): Promise<UnitRecord> {
    if (unit.kind === 'HOURS' && unit.scale !== 0) {
      throw validationFailed('HOURS_IN_MINUTES', 'Hours are kept in whole minutes: an HOURS unit has scale 0');
    }
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      await this.repository.insertUnit(manager, unit);
      const [stored] = await this.repository.findUnits(manager, [unit.code]);
      if (stored === undefined) throw new Error(`unit ${unit.code} vanished`);
      const same =
        stored.name === unit.name &&
        stored.kind === unit.kind &&
        stored.scale === unit.scale &&
        stored.issuer === unit.issuer;
      if (!same)
        throw conflict('UNIT_EXISTS', `Unit ${unit.code} already exists with other terms`, { code: unit.code });
      return stored;
    });
  }

  async unit(code: string): Promise<UnitRecord> {
    const [unit] = await this.repository.findUnits(this.dataSource.manager, [code]);
    if (unit === undefined) throw notFound('UNIT_NOT_FOUND', `Unit ${code} does not exist`, { code });
    return unit;
  }

  async units(): Promise<UnitRecord[]> {
    return this.repository.listUnits(this.dataSource.manager);
  }

  /** Opens an account; with a client-chosen id, opening the same account again returns it. */
  async openAccount(input: NewAccount): Promise<AccountRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const [unit] = await this.repository.findUnits(manager, [input.unitCode]);
      if (unit === undefined) {
        throw notFound('UNIT_NOT_FOUND', `Unit ${input.unitCode} does not exist`, { unitCode: input.unitCode });
      }
      const account: AccountRecord = {
        id: input.id === null ? randomUUID() : requireUuid(input.id, 'id'),
        unitCode: input.unitCode,
        holder: input.holder,
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
        return this.requireAccount(manager, account.id);
      }
      const existing = await this.requireAccount(manager, account.id);
      const [opening] = (await this.repository.listAccountChanges(manager, account.id, 2n, 1)) as [
        AccountChangeRecord?,
      ];
      const same =
        existing.unitCode === input.unitCode &&
        existing.holder === input.holder &&
        existing.name === input.name &&
        existing.kind === input.kind &&
        opening?.creditLimit === input.creditLimit &&
        opening.upperLimit === input.upperLimit;
      if (!same) {
        throw conflict('EXISTS_WITH_DIFFERENT_CONTENT', `Account ${account.id} already exists with other terms`, {
          id: account.id,
        });
      }
      return existing;
    });
  }

  async setLimits(
    accountId: string,
    creditLimit: bigint,
    upperLimit: bigint | null,
    reason: string,
  ): Promise<AccountRecord> {
    return this.changeTerms(accountId, 'LIMITS_SET', reason, (account) =>
      decideLimits(account, creditLimit, upperLimit),
    );
  }

  async changeStatus(accountId: string, target: StatusTarget, reason: string): Promise<AccountRecord> {
    return this.changeTerms(accountId, STATUS_CHANGE[target], reason, (account) => decideStatusChange(account, target));
  }

  private async changeTerms(
    accountId: string,
    change: AccountChangeKind,
    reason: string,
    decide: (account: AccountRecord) => TermsDecision<AccountRecord>,
  ): Promise<AccountRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const account = await this.requireAccount(manager, accountId, true);
      const decision = decide(account);
      switch (decision.outcome) {
        case 'UNCHANGED':
          return account;
        case 'REFUSED':
          throw refusalError(decision.refusal);
        case 'CHANGED':
          return this.repository.updateAccountTerms(manager, decision.next, change, reason);
      }
    });
  }

  async account(id: string): Promise<AccountRecord> {
    return this.requireAccount(this.dataSource.manager, id);
  }

  async accountsByIds(ids: readonly string[]): Promise<AccountRecord[]> {
    return this.repository.findAccounts(this.dataSource.manager, ids.filter(isUuid));
  }

  async accounts(filter: {
    holder: string | null;
    unitCode: string | null;
    afterId: string | null;
    limit: number;
  }): Promise<AccountRecord[]> {
    return this.repository.listAccounts(this.dataSource.manager, filter);
  }

  async accountChanges(accountId: string, beforeVersion: bigint | null, limit: number): Promise<AccountChangeRecord[]> {
    await this.requireAccount(this.dataSource.manager, accountId);
    return this.repository.listAccountChanges(this.dataSource.manager, accountId, beforeVersion, limit);
  }

  async requireAccount(manager: EntityManager, id: string, lock = false): Promise<AccountRecord> {
    const accountId = requireUuid(id, 'accountId');
    const account = await this.repository.findAccount(manager, accountId, lock);
    if (account === null) throw notFound('ACCOUNT_NOT_FOUND', `Account ${id} does not exist`, { accountId });
    return account;
  }
}

/** A UUID in the canonical lower case, or a VALIDATION_FAILED naming the field. */
export function requireUuid(id: string, field: string): string {
  const lower = id.toLowerCase();
  if (!isUuid(lower)) throw validationFailed('INVALID_ID', `${field} must be a UUID`, { field });
  return lower;
}
