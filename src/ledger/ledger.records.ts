import type {
  AccountKind,
  AccountPosition,
  Authority,
  Metadata,
  Operation,
  Side,
  TransactionStatus,
  UnitKind,
} from './rules/ledger-model.js';

/** Rows as the repository returns them, with amounts already bigint. */
export interface UnitRecord {
  readonly code: string;
  readonly name: string;
  readonly kind: UnitKind;
  readonly scale: number;
  /** The organisation that issues the unit and sets the credit lines of its accounts. */
  readonly issuerId: string;
  readonly createdAt: Date;
}

export interface AccountRecord extends AccountPosition {
  /** A party: a person or an organisation. */
  readonly holderId: string;
  /** The issuer of the account's unit. */
  readonly issuerId: string;
  readonly name: string;
  readonly kind: AccountKind;
  readonly openedAt: Date;
}

export type AccountChangeKind = 'OPENED' | 'LIMITS_SET' | 'FROZEN' | 'UNFROZEN' | 'CLOSED';

export interface AccountChangeRecord {
  readonly accountId: string;
  readonly version: bigint;
  readonly change: AccountChangeKind;
  readonly status: AccountPosition['status'];
  readonly creditLimit: bigint;
  readonly upperLimit: bigint | null;
  readonly reason: string;
  readonly changedAt: Date;
}

export interface EntryRecord {
  readonly index: number;
  readonly accountId: string;
  readonly side: Side;
  readonly amount: bigint;
  readonly pending: boolean;
  readonly accountVersion: bigint;
  readonly balanceAfter: bigint;
}

export interface TransactionRecord {
  readonly id: string;
  readonly sequence: bigint;
  readonly unitCode: string;
  readonly operation: Operation;
  readonly status: TransactionStatus;
  readonly kind: string;
  readonly memo: string;
  readonly metadata: Metadata;
  readonly referencesId: string | null;
  readonly referencedById: string | null;
  /** What authorised it, when a module's workflow step wrote it. */
  readonly authority: Authority | null;
  /** Who recorded it: `person:<id>`, `api-token:<id>` or `system:<actor>` (null before this was kept). */
  readonly recordedBy: string | null;
  readonly expiresAt: Date | null;
  readonly effectiveAt: Date;
  readonly recordedAt: Date;
  readonly entries: readonly EntryRecord[];
}

export interface HistoryEntryRecord {
  readonly transactionId: string;
  readonly sequence: bigint;
  readonly operation: Operation;
  readonly kind: string;
  readonly memo: string;
  readonly side: Side;
  readonly amount: bigint;
  readonly pending: boolean;
  readonly accountVersion: bigint;
  readonly balanceAfter: bigint;
  readonly effectiveAt: Date;
  readonly recordedAt: Date;
}

export interface TrialBalanceRecord {
  readonly unitCode: string;
  readonly accountCount: number;
  readonly debitsPosted: bigint;
  readonly creditsPosted: bigint;
  readonly debitsPending: bigint;
  readonly creditsPending: bigint;
}

/** The ledger's vocabulary, for the modules that move value through it. */
export type {
  AccountKind,
  Authority,
  LedgerRequest,
  MetadataEntry,
  Refusal,
  Side,
  TransactionStatus,
  UnitKind,
} from './rules/ledger-model.js';
export { refusal } from './rules/ledger-model.js';
export { MAX_ENTRY_AMOUNT } from './rules/ledger-limits.js';
