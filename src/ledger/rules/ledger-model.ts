/**
 * The ledger's vocabulary as plain values: what the rules read and what they decide. No framework types,
 * so that every rule is a pure function over these.
 */
import type { ErrorReason } from '../../kernel/errors/domain-error.js';

export type Side = 'DEBIT' | 'CREDIT';
export type AccountStatus = 'ACTIVE' | 'FROZEN' | 'CLOSED';
export type AccountKind = 'MEMBER' | 'FUND' | 'RESERVE' | 'CLEARING' | 'ISSUANCE' | 'EXTERNAL';
export type UnitKind = 'HOURS' | 'CREDIT' | 'CURRENCY';
export type Operation = 'TRANSFER' | 'HOLD' | 'POST_HOLD' | 'VOID_HOLD' | 'EXPIRE_HOLD' | 'REVERSAL';

export interface AccountPosition {
  readonly id: string;
  readonly unitCode: string;
  readonly status: AccountStatus;
  readonly creditLimit: bigint;
  readonly upperLimit: bigint | null;
  readonly debitsPosted: bigint;
  readonly creditsPosted: bigint;
  readonly debitsPending: bigint;
  readonly creditsPending: bigint;
  readonly version: bigint;
}

export interface EntryDraft {
  readonly accountId: string;
  readonly side: Side;
  readonly amount: bigint;
}

/** Metadata as stored with a transaction: at most one value per key. */
export type Metadata = Readonly<Record<string, string>>;

/** Metadata as a client sends it: key-value pairs, each key at most once (checked with the request's shape). */
export interface MetadataEntry {
  readonly key: string;
  readonly value: string;
}

/**
 * What authorised a transaction, as the module that gives it meaning names it: a passed motion, an approval
 * request, a redistribution run, a schedule occurrence, a time log, an invoice. Opaque to the ledger.
 */
export interface Authority {
  /** Such as MOTION or LEASE_CHARGE: A-Z, 0-9 and _, starting with a letter. */
  readonly kind: string;
  readonly id: string;
}

interface RequestBase {
  readonly id: string;
  readonly memo: string;
  readonly metadata: readonly MetadataEntry[];
  /** Set by the modules whose workflow steps move value; never taken from a client. Absent: none. */
  readonly authority?: Authority | null;
}

/** A new transaction: posted at once, or held (pending) until posted, voided or expired. */
export interface TransferRequest extends RequestBase {
  readonly type: 'TRANSFER';
  readonly unitCode: string;
  readonly kind: string;
  readonly entries: readonly EntryDraft[];
  readonly effectiveAt: Date | null;
  /** Present for a hold; timeoutSeconds null means it never expires by itself. */
  readonly hold: { readonly timeoutSeconds: number | null } | null;
}

export interface PostHoldRequest extends RequestBase {
  readonly type: 'POST_HOLD';
  readonly holdId: string;
  /** Null posts the hold in full. */
  readonly amount: bigint | null;
}

export interface VoidHoldRequest extends RequestBase {
  readonly type: 'VOID_HOLD';
  readonly holdId: string;
}

export interface ExpireHoldRequest extends RequestBase {
  readonly type: 'EXPIRE_HOLD';
  readonly holdId: string;
}

export interface ReversalRequest extends RequestBase {
  readonly type: 'REVERSAL';
  readonly transactionId: string;
}

export type LedgerRequest = TransferRequest | PostHoldRequest | VoidHoldRequest | ExpireHoldRequest | ReversalRequest;

/** The id of the transaction a request refers to (the hold to resolve or the transaction to reverse). */
export function referencedId(request: LedgerRequest): string | null {
  switch (request.type) {
    case 'TRANSFER':
      return null;
    case 'POST_HOLD':
    case 'VOID_HOLD':
    case 'EXPIRE_HOLD':
      return request.holdId;
    case 'REVERSAL':
      return request.transactionId;
  }
}

export interface StoredEntry {
  readonly accountId: string;
  readonly side: Side;
  readonly amount: bigint;
}

/** What the rules need to know of an existing transaction that a request refers to. */
export interface ReferencedTransaction {
  readonly id: string;
  readonly unitCode: string;
  readonly operation: Operation;
  readonly kind: string;
  readonly entries: readonly StoredEntry[];
  readonly expiresAt: Date | null;
  /** What authorised it: a hold a workflow placed is resolved by that workflow's steps only. */
  readonly authority: Authority | null;
  /** The transaction that resolved (hold) or reversed (posted) it, if any. */
  readonly referencedBy: string | null;
}

/** FORBIDDEN comes from the caller's rights, never from the ledger's state: it is not kept against the id. */
export type RefusalCode = 'VALIDATION_FAILED' | 'NOT_FOUND' | 'CONFLICT' | 'INSUFFICIENT_FUNDS' | 'FORBIDDEN';

/** A refusal as stored and replayed: plain JSON, made from a declared reason. */
export interface Refusal {
  readonly code: RefusalCode;
  readonly reason: string;
  readonly message: string;
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
}

export function refusal(
  reason: ErrorReason<string, RefusalCode>,
  message: string,
  details: Refusal['details'] = {},
): Refusal {
  return { code: reason.code, reason: reason.reason, message, details };
}

/** The metadata of a request whose shape was checked (each key once), as stored. */
export function metadataOf(entries: readonly MetadataEntry[]): Metadata {
  return Object.fromEntries(entries.map(({ key, value }) => [key, value]));
}

export interface StoredOutcome {
  readonly contentHash: string;
  readonly refusal: Refusal | null;
}

export interface NewEntry {
  readonly index: number;
  readonly accountId: string;
  readonly side: Side;
  readonly amount: bigint;
  readonly pending: boolean;
  readonly accountVersion: bigint;
  readonly balanceAfter: bigint;
}

export interface NewTransaction {
  readonly id: string;
  readonly unitCode: string;
  readonly authority: Authority | null;
  /** Who recorded it: `person:<id>`, `api-token:<id>` or `system:<actor>`. */
  readonly recordedBy: string;
  readonly operation: Operation;
  readonly kind: string;
  readonly memo: string;
  readonly metadata: Metadata;
  readonly referencesId: string | null;
  readonly expiresAt: Date | null;
  readonly effectiveAt: Date;
  readonly recordedAt: Date;
  readonly entries: readonly NewEntry[];
}

export function balanceOf(account: Pick<AccountPosition, 'creditsPosted' | 'debitsPosted'>): bigint {
  return account.creditsPosted - account.debitsPosted;
}

/** What the account may still use: its balance less what holds have set aside. */
export function availableBalanceOf(
  account: Pick<AccountPosition, 'creditsPosted' | 'debitsPosted' | 'debitsPending'>,
): bigint {
  return balanceOf(account) - account.debitsPending;
}

export type TransactionStatus = 'POSTED' | 'PENDING' | 'VOIDED' | 'EXPIRED';

/**
 * A transaction's status is derived, never stored (history is immutable): a hold is PENDING until the
 * transaction that resolves it says POSTED, VOIDED or EXPIRED; releases carry the status they caused.
 */
export function transactionStatus(operation: Operation, resolvedByOperation: Operation | null): TransactionStatus {
  switch (operation) {
    case 'TRANSFER':
    case 'POST_HOLD':
    case 'REVERSAL':
      return 'POSTED';
    case 'VOID_HOLD':
      return 'VOIDED';
    case 'EXPIRE_HOLD':
      return 'EXPIRED';
    case 'HOLD':
      if (resolvedByOperation === 'POST_HOLD') return 'POSTED';
      if (resolvedByOperation === 'VOID_HOLD') return 'VOIDED';
      if (resolvedByOperation === 'EXPIRE_HOLD') return 'EXPIRED';
      return 'PENDING';
  }
}
