import type { EntityManager } from 'typeorm';
import type { Principal } from '../kernel/principal.js';
import type { AccountRecord, UnitRecord } from './ledger.records.js';
import type { Authority, LedgerRequest, Refusal, Side } from './rules/ledger-model.js';

/**
 * The ledger's door, as a port: who may do what is decided by the organisations that hold accounts and
 * issue units, a module above this one. It provides LEDGER_ACCESS; the ledger only asks.
 */
export const LEDGER_ACCESS = Symbol('LEDGER_ACCESS');

/** BALANCE shows an account's figures; DETAIL adds its history, changes and transactions. */
export type AccessLevel = 'NONE' | 'BALANCE' | 'DETAIL';

/** The accounts a caller may list: by holder, plus every account of the units it stewards. */
export interface AccountScope {
  readonly holderIds: readonly string[];
  readonly issuerIds: readonly string[];
}

/** What a batch touches, as the write path sees it after locking: enough to decide who may move value. */
export interface BatchView {
  account(id: string): Pick<AccountRecord, 'holderId' | 'issuerId'> | undefined;
  referenced(
    id: string,
  ):
    | { readonly entries: readonly { accountId: string; side: Side }[]; readonly authority: Authority | null }
    | undefined;
}

/**
 * A FORBIDDEN refusal when the caller may not make the request, else null. Runs inside the batch's database
 * transaction, once the accounts are locked; a refused request is left out of the batch, its neighbours go on.
 */
export type RequestAuthorizer = (request: LedgerRequest, view: BatchView) => Refusal | null;

export interface LedgerAccess {
  assertMayCreateUnit(principal: Principal, issuerId: string): void;
  /** Reads what it needs (does the holder exist?) in the caller's database transaction. */
  assertMayOpenAccount(
    manager: EntityManager,
    principal: Principal,
    account: { holderId: string; issuerId: string; creditLimit: bigint },
  ): Promise<void>;
  assertMaySetLimits(principal: Principal, account: AccountRecord): void;
  assertMayChangeStatus(principal: Principal, account: AccountRecord, target: 'FROZEN' | 'UNFROZEN' | 'CLOSED'): void;
  requestAuthorizer(principal: Principal): RequestAuthorizer;
  accessTo(principal: Principal, accounts: readonly AccountRecord[]): Promise<AccessLevel[]>;
  accountScope(principal: Principal): Promise<AccountScope>;
  /** Whether the caller may see a unit's totals (the members of its issuer may). */
  mayReadTrialBalance(principal: Principal, unit: UnitRecord): boolean;
}
