/**
 * Rule: an ordered batch of ledger requests is decided in memory, one item after another, each item seeing
 * the effects of those before it; a refused item changes nothing and never fails its neighbours. Every item
 * has passed the shape check already (check-request.ts, before the database is touched).
 *
 * For each item, in this order of precedence (the first that applies is the answer):
 *   1. (the shape, checked before: VALIDATION_FAILED, not recorded against the id);
 *   2. idempotency: an id already decided replays its outcome when the content is the same, and is a
 *      CONFLICT (EXISTS_WITH_DIFFERENT_CONTENT, ID_ALREADY_FAILED) when it is not;
 *   3. the referenced hold or transaction: missing, not a hold, already resolved or reversed, expired;
 *   4. the unit, then each entry's account in entry order: missing, other unit, closed, frozen;
 *   5. each entry's limit in entry order: credit limit (holds counted), upper limit, counter overflow.
 * Refusals from 3 to 5 depend on the ledger's state and are recorded: the id stays refused, so that a retry
 * can never become a surprise payment later. Limits are checked only where exposure grows: posting or
 * voiding a hold never fails on a limit, and a limit lowered below the position only blocks new debits.
 * The SQL twins: `account_guard` (limits, statuses, versions), `entry_balanced`, and the unique keys on
 * `transaction_outcome.id` and `ledger_transaction.references_id`.
 */
import { INT64_MAX } from '../../kernel/money/minor-units.js';
import { LEDGER_ERRORS } from '../ledger.errors.js';
import type { CheckedRequest } from './check-request.js';
import {
  availableBalanceOf,
  balanceOf,
  type AccountPosition,
  type EntryDraft,
  type ExpireHoldRequest,
  type LedgerRequest,
  metadataOf,
  refusal,
  type NewEntry,
  type NewTransaction,
  type PostHoldRequest,
  type ReferencedTransaction,
  type Refusal,
  type ReversalRequest,
  type StoredOutcome,
  type TransferRequest,
  type VoidHoldRequest,
} from './ledger-model.js';

export interface PreparedRequest {
  readonly request: CheckedRequest;
  readonly contentHash: string;
  /** Who asks: `person:<id>`, `api-token:<id>` or `system:<actor>`, recorded with what it writes. */
  readonly recordedBy: string;
}

/** A transaction as the rules build it; its provenance is added from the request that asked for it. */
type TransactionDraft = Omit<NewTransaction, 'authority' | 'recordedBy'>;

export interface LedgerState {
  readonly accounts: ReadonlyMap<string, AccountPosition>;
  readonly units: ReadonlySet<string>;
  readonly referenced: ReadonlyMap<string, ReferencedTransaction>;
  readonly outcomes: ReadonlyMap<string, StoredOutcome>;
}

export type ItemResult =
  | { readonly status: 'APPLIED'; readonly transaction: NewTransaction }
  | { readonly status: 'REPLAYED'; readonly transactionId: string }
  | { readonly status: 'REFUSED'; readonly refusal: Refusal; readonly replayed: boolean };

export interface NewOutcome {
  readonly id: string;
  readonly contentHash: string;
  readonly refusal: Refusal | null;
}

export interface OpenedHold {
  readonly transactionId: string;
  readonly expiresAt: Date | null;
}

/** Everything the batch writes, plus one result per item in request order. */
export interface BatchPlan {
  readonly results: readonly ItemResult[];
  readonly transactions: readonly NewTransaction[];
  readonly outcomes: readonly NewOutcome[];
  /** Final positions of the accounts the batch changed, each once. */
  readonly accounts: readonly AccountPosition[];
  readonly holdsOpened: readonly OpenedHold[];
  readonly holdsClosed: readonly string[];
}

type Decision =
  | { readonly refusal: Refusal }
  | { readonly transaction: TransactionDraft; readonly positions: readonly AccountPosition[] };

export function applyBatch(items: readonly PreparedRequest[], state: LedgerState, now: Date): BatchPlan {
  const ledger = new BatchLedger(state, now);
  const results = items.map((item) => ledger.apply(item));
  return {
    results,
    transactions: ledger.transactions,
    outcomes: ledger.newOutcomes,
    accounts: [...ledger.changedAccounts].map((id) => ledger.account(id)),
    holdsOpened: ledger.holdsOpened,
    holdsClosed: ledger.holdsClosed,
  };
}

class BatchLedger {
  readonly transactions: NewTransaction[] = [];
  readonly newOutcomes: NewOutcome[] = [];
  readonly holdsOpened: OpenedHold[] = [];
  readonly holdsClosed: string[] = [];
  readonly changedAccounts = new Set<string>();
  private readonly accounts: Map<string, AccountPosition>;
  private readonly referenced: Map<string, ReferencedTransaction>;
  private readonly outcomes: Map<string, StoredOutcome>;

  constructor(
    private readonly state: LedgerState,
    private readonly now: Date,
  ) {
    this.accounts = new Map(state.accounts);
    this.referenced = new Map(state.referenced);
    this.outcomes = new Map(state.outcomes);
  }

  account(id: string): AccountPosition {
    const account = this.accounts.get(id);
    if (account === undefined) throw new Error(`account ${id} is not loaded`);
    return account;
  }

  apply({ request, contentHash, recordedBy }: PreparedRequest): ItemResult {
    const existing = this.outcomes.get(request.id);
    if (existing !== undefined) return replay(request.id, existing, contentHash);

    const decision = this.decide(request);
    if ('refusal' in decision) {
      // An expiry is the ledger's own act: if it cannot happen now, a later sweep must still be able to try.
      if (request.type !== 'EXPIRE_HOLD') this.record({ id: request.id, contentHash, refusal: decision.refusal });
      return { status: 'REFUSED', refusal: decision.refusal, replayed: false };
    }
    const transaction: NewTransaction = { ...decision.transaction, authority: request.authority ?? null, recordedBy };
    this.commit(request, transaction, decision.positions);
    this.record({ id: request.id, contentHash, refusal: null });
    return { status: 'APPLIED', transaction };
  }

  private record(outcome: NewOutcome): void {
    this.outcomes.set(outcome.id, { contentHash: outcome.contentHash, refusal: outcome.refusal });
    this.newOutcomes.push(outcome);
  }

  private decide(request: LedgerRequest): Decision {
    switch (request.type) {
      case 'TRANSFER':
        return this.decideTransfer(request);
      case 'POST_HOLD':
        return this.decidePostHold(request);
      case 'VOID_HOLD':
      case 'EXPIRE_HOLD':
        return this.decideRelease(request);
      case 'REVERSAL':
        return this.decideReversal(request);
    }
  }

  private decideTransfer(request: TransferRequest): Decision {
    if (!this.state.units.has(request.unitCode)) {
      return refuse(LEDGER_ERRORS.UNIT_NOT_FOUND, `Unit ${request.unitCode} does not exist`, {
        unitCode: request.unitCode,
      });
    }
    const held = request.hold !== null;
    const timeout = request.hold?.timeoutSeconds ?? null;
    return this.buildMovement(request.entries, request.unitCode, held, (entries) => ({
      id: request.id,
      unitCode: request.unitCode,
      operation: held ? 'HOLD' : 'TRANSFER',
      kind: request.kind,
      memo: request.memo,
      metadata: metadataOf(request.metadata),
      referencesId: null,
      expiresAt: timeout === null ? null : new Date(this.now.getTime() + timeout * 1000),
      effectiveAt: request.effectiveAt ?? this.now,
      recordedAt: this.now,
      entries,
    }));
  }

  private decideReversal(request: ReversalRequest): Decision {
    const original = this.referenced.get(request.transactionId);
    if (original === undefined) {
      return refuse(LEDGER_ERRORS.TRANSACTION_NOT_FOUND, `Transaction ${request.transactionId} does not exist`, {
        transactionId: request.transactionId,
      });
    }
    if (original.operation === 'HOLD' || original.operation === 'VOID_HOLD' || original.operation === 'EXPIRE_HOLD') {
      return refuse(LEDGER_ERRORS.NOT_REVERSIBLE, 'Only posted transactions are reversed; a hold is voided', {
        transactionId: original.id,
        operation: original.operation,
      });
    }
    if (original.referencedBy !== null) {
      return refuse(LEDGER_ERRORS.ALREADY_REVERSED, `Transaction ${original.id} has already been reversed`, {
        transactionId: original.id,
        reversedBy: original.referencedBy,
      });
    }
    const swapped: EntryDraft[] = original.entries.map((entry) => ({
      accountId: entry.accountId,
      side: entry.side === 'DEBIT' ? 'CREDIT' : 'DEBIT',
      amount: entry.amount,
    }));
    return this.buildMovement(swapped, original.unitCode, false, (entries) => ({
      id: request.id,
      unitCode: original.unitCode,
      operation: 'REVERSAL',
      kind: original.kind,
      memo: request.memo,
      metadata: metadataOf(request.metadata),
      referencesId: original.id,
      expiresAt: null,
      effectiveAt: this.now,
      recordedAt: this.now,
      entries,
    }));
  }

  /** Checks accounts and limits for new value moving (posted or held), and builds the entries. */
  private buildMovement(
    drafts: readonly EntryDraft[],
    unitCode: string,
    held: boolean,
    build: (entries: NewEntry[]) => TransactionDraft,
  ): Decision {
    for (const [entryIndex, draft] of drafts.entries()) {
      const account = this.accounts.get(draft.accountId);
      if (account === undefined) {
        return refuse(LEDGER_ERRORS.ACCOUNT_NOT_FOUND, `Account ${draft.accountId} does not exist`, {
          accountId: draft.accountId,
          entryIndex,
        });
      }
      if (account.unitCode !== unitCode) {
        return refuse(LEDGER_ERRORS.UNIT_MISMATCH, `Account ${account.id} is in ${account.unitCode}, not ${unitCode}`, {
          accountId: account.id,
          entryIndex,
          accountUnit: account.unitCode,
          transactionUnit: unitCode,
        });
      }
      const statusRefusal = refuseInactive(account, entryIndex);
      if (statusRefusal !== null) return statusRefusal;
    }
    const entries: NewEntry[] = [];
    const positions: AccountPosition[] = [];
    for (const [entryIndex, draft] of drafts.entries()) {
      const account = this.account(draft.accountId);
      const next = advance(move(account, draft.side, draft.amount, held));
      const limitRefusal = checkLimits(next, draft.side, entryIndex);
      if (limitRefusal !== null) return limitRefusal;
      positions.push(next);
      entries.push({
        index: entryIndex,
        accountId: account.id,
        side: draft.side,
        amount: draft.amount,
        pending: held,
        accountVersion: next.version,
        balanceAfter: balanceOf(next),
      });
    }
    return { transaction: build(entries), positions };
  }

  private findOpenHold(holdId: string, checkExpiry: boolean): ReferencedTransaction | Refusal {
    const hold = this.referenced.get(holdId);
    if (hold === undefined) return refusal(LEDGER_ERRORS.HOLD_NOT_FOUND, `Hold ${holdId} does not exist`, { holdId });
    if (hold.operation !== 'HOLD') {
      return refusal(LEDGER_ERRORS.NOT_A_HOLD, `Transaction ${holdId} is not a hold`, { holdId });
    }
    if (hold.referencedBy !== null) {
      return refusal(LEDGER_ERRORS.HOLD_ALREADY_RESOLVED, `Hold ${holdId} has already been resolved`, {
        holdId,
        resolvedBy: hold.referencedBy,
      });
    }
    if (checkExpiry && hold.expiresAt !== null && hold.expiresAt.getTime() <= this.now.getTime()) {
      return refusal(LEDGER_ERRORS.HOLD_EXPIRED, `Hold ${holdId} expired at ${hold.expiresAt.toISOString()}`, {
        holdId,
        expiredAt: hold.expiresAt.toISOString(),
      });
    }
    return hold;
  }

  private decidePostHold(request: PostHoldRequest): Decision {
    const hold = this.findOpenHold(request.holdId, true);
    if ('reason' in hold) return { refusal: hold };
    if (request.amount !== null) {
      if (hold.entries.length !== 2) {
        return refuse(
          LEDGER_ERRORS.PARTIAL_POST_NEEDS_TWO_ENTRIES,
          'Only a hold of exactly two entries can be posted in part; post it in full or void it',
          { holdId: hold.id, entryCount: hold.entries.length },
        );
      }
      const held = hold.entries[0]?.amount ?? 0n;
      if (request.amount > held) {
        return refuse(LEDGER_ERRORS.AMOUNT_EXCEEDS_HOLD, 'A hold cannot be posted for more than it holds', {
          holdId: hold.id,
          heldAmount: held.toString(),
        });
      }
    }
    for (const [entryIndex, entry] of hold.entries.entries()) {
      const statusRefusal = refuseInactive(this.account(entry.accountId), entryIndex);
      if (statusRefusal !== null) return statusRefusal;
    }
    const positions: AccountPosition[] = [];
    const entries = hold.entries.map((entry, index): NewEntry => {
      const posted = request.amount ?? entry.amount;
      const next = advance(
        release(move(this.account(entry.accountId), entry.side, posted, false), entry.side, entry.amount),
      );
      positions.push(next);
      return {
        index,
        accountId: entry.accountId,
        side: entry.side,
        amount: posted,
        pending: false,
        accountVersion: next.version,
        balanceAfter: balanceOf(next),
      };
    });
    return { transaction: this.resolution(request, hold, 'POST_HOLD', entries), positions };
  }

  private decideRelease(request: VoidHoldRequest | ExpireHoldRequest): Decision {
    const expiring = request.type === 'EXPIRE_HOLD';
    const hold = this.findOpenHold(request.holdId, !expiring);
    if ('reason' in hold) return { refusal: hold };
    if (expiring && (hold.expiresAt === null || hold.expiresAt.getTime() > this.now.getTime())) {
      return refuse(LEDGER_ERRORS.HOLD_NOT_EXPIRED, `Hold ${hold.id} has not expired`, { holdId: hold.id });
    }
    // Voiding only releases what was set aside, so it is allowed on a frozen account.
    const positions: AccountPosition[] = [];
    const entries = hold.entries.map((entry, index): NewEntry => {
      const next = advance(release(this.account(entry.accountId), entry.side, entry.amount));
      positions.push(next);
      return {
        index,
        accountId: entry.accountId,
        side: entry.side,
        amount: entry.amount,
        pending: true,
        accountVersion: next.version,
        balanceAfter: balanceOf(next),
      };
    });
    return { transaction: this.resolution(request, hold, expiring ? 'EXPIRE_HOLD' : 'VOID_HOLD', entries), positions };
  }

  private resolution(
    request: PostHoldRequest | VoidHoldRequest | ExpireHoldRequest,
    hold: ReferencedTransaction,
    operation: 'POST_HOLD' | 'VOID_HOLD' | 'EXPIRE_HOLD',
    entries: NewEntry[],
  ): TransactionDraft {
    return {
      id: request.id,
      unitCode: hold.unitCode,
      operation,
      kind: hold.kind,
      memo: request.memo,
      metadata: metadataOf(request.metadata),
      referencesId: hold.id,
      expiresAt: null,
      effectiveAt: this.now,
      recordedAt: this.now,
      entries,
    };
  }

  /** Makes an accepted transaction part of the batch's state, for the items after it. */
  private commit(request: LedgerRequest, transaction: NewTransaction, positions: readonly AccountPosition[]): void {
    for (const position of positions) {
      this.accounts.set(position.id, position);
      this.changedAccounts.add(position.id);
    }
    const referencedId = transaction.referencesId;
    if (referencedId !== null) {
      const referenced = this.referenced.get(referencedId);
      if (referenced !== undefined) this.referenced.set(referencedId, { ...referenced, referencedBy: transaction.id });
      if (request.type !== 'REVERSAL') this.holdsClosed.push(referencedId);
    }
    if (transaction.operation === 'HOLD') {
      this.holdsOpened.push({ transactionId: transaction.id, expiresAt: transaction.expiresAt });
    }
    this.referenced.set(transaction.id, {
      id: transaction.id,
      unitCode: transaction.unitCode,
      operation: transaction.operation,
      kind: transaction.kind,
      entries: transaction.entries.map(({ accountId, side, amount }) => ({ accountId, side, amount })),
      expiresAt: transaction.expiresAt,
      authority: transaction.authority,
      referencedBy: null,
    });
    this.transactions.push(transaction);
  }
}

function replay(id: string, existing: StoredOutcome, contentHash: string): ItemResult {
  if (existing.contentHash !== contentHash) {
    const failed = existing.refusal !== null;
    return {
      status: 'REFUSED',
      replayed: false,
      refusal: failed
        ? refusal(
            LEDGER_ERRORS.ID_ALREADY_FAILED,
            `Transaction id ${id} was already refused; a new request needs a new id`,
            { id },
          )
        : refusal(
            LEDGER_ERRORS.EXISTS_WITH_DIFFERENT_CONTENT,
            `Transaction id ${id} already exists with different content`,
            {
              id,
            },
          ),
    };
  }
  if (existing.refusal !== null) return { status: 'REFUSED', refusal: existing.refusal, replayed: true };
  return { status: 'REPLAYED', transactionId: id };
}

function refuse(reason: Parameters<typeof refusal>[0], message: string, details: Refusal['details']): Decision {
  return { refusal: refusal(reason, message, details) };
}

function refuseInactive(account: AccountPosition, entryIndex: number): Decision | null {
  if (account.status === 'CLOSED') {
    return refuse(LEDGER_ERRORS.ACCOUNT_CLOSED, `Account ${account.id} is closed`, {
      accountId: account.id,
      entryIndex,
    });
  }
  if (account.status === 'FROZEN') {
    return refuse(LEDGER_ERRORS.ACCOUNT_FROZEN, `Account ${account.id} is frozen`, {
      accountId: account.id,
      entryIndex,
    });
  }
  return null;
}

/** Adds an amount to one side of an account, posted or pending. */
export function move(
  account: AccountPosition,
  side: 'DEBIT' | 'CREDIT',
  amount: bigint,
  held: boolean,
): AccountPosition {
  if (side === 'DEBIT') {
    return held
      ? { ...account, debitsPending: account.debitsPending + amount }
      : { ...account, debitsPosted: account.debitsPosted + amount };
  }
  return held
    ? { ...account, creditsPending: account.creditsPending + amount }
    : { ...account, creditsPosted: account.creditsPosted + amount };
}

/** Takes a held amount off an account's pending side. */
export function release(account: AccountPosition, side: 'DEBIT' | 'CREDIT', amount: bigint): AccountPosition {
  return side === 'DEBIT'
    ? { ...account, debitsPending: account.debitsPending - amount }
    : { ...account, creditsPending: account.creditsPending - amount };
}

/** Every entry advances its account's version by exactly one: versions are gapless. */
function advance(account: AccountPosition): AccountPosition {
  return { ...account, version: account.version + 1n };
}

/** Refuses a position that takes on new exposure past a limit, or a counter past int64. */
export function checkLimits(next: AccountPosition, side: 'DEBIT' | 'CREDIT', entryIndex: number): Decision | null {
  const counters = [next.debitsPosted, next.creditsPosted, next.debitsPending, next.creditsPending];
  if (counters.some((counter) => counter > INT64_MAX)) {
    return refuse(LEDGER_ERRORS.OVERFLOW, `Account ${next.id} cannot hold more movement`, {
      accountId: next.id,
      entryIndex,
    });
  }
  if (side === 'DEBIT' && availableBalanceOf(next) < -next.creditLimit) {
    return refuse(LEDGER_ERRORS.CREDIT_LIMIT_EXCEEDED, `Account ${next.id} would go past its credit limit`, {
      accountId: next.id,
      entryIndex,
      creditLimit: next.creditLimit.toString(),
    });
  }
  if (side === 'CREDIT' && next.upperLimit !== null && balanceOf(next) + next.creditsPending > next.upperLimit) {
    return refuse(LEDGER_ERRORS.UPPER_LIMIT_EXCEEDED, `Account ${next.id} would go past its upper limit`, {
      accountId: next.id,
      entryIndex,
      upperLimit: next.upperLimit.toString(),
    });
  }
  return null;
}
