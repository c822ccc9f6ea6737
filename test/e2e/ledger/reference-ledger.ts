/**
 * A small in-memory reference ledger for the model-based e2e test: the documented semantics (README "The
 * ledger in brief" and "Errors", ../shared/DESIGN.md "Ledger semantics") re-stated as plainly as possible,
 * one unit, bigint amounts. It shares no code with src/ledger/rules on purpose: the test compares the real
 * service against this independent statement of what it should do.
 *
 * What it models:
 * - accounts: status ACTIVE/FROZEN, creditLimit, upperLimit, posted and pending counters, a version that
 *   advances by one with every entry and every real change of terms;
 * - requests with a client-chosen id: transfer (2 or more entries), hold (with an optional timeout), post a
 *   hold (in full, or in part for a two-entry hold), void a hold, reverse a posted transaction;
 * - the ledger's own expiry of holds whose timeout has passed (the test says when a hold is due: `markDue`);
 * - setAccountLimits, freeze, unfreeze.
 *
 * Idempotency: the same id with the same content replays the first outcome (a refusal too, marked replayed);
 * the same id with other content is CONFLICT — ID_ALREADY_FAILED if the first outcome was a refusal, else
 * EXISTS_WITH_DIFFERENT_CONTENT. Refusals of the request's shape come first and are not remembered against
 * the id; every other refusal depends on the ledger's state and is remembered.
 *
 * Precedence of refusals: shape; id (replay or conflict); the referenced hold or transaction; the unit;
 * each entry's account in entry order (missing, frozen); each entry's limit in entry order.
 */

export type Side = 'DEBIT' | 'CREDIT';
export type Operation = 'TRANSFER' | 'HOLD' | 'POST_HOLD' | 'VOID_HOLD' | 'EXPIRE_HOLD' | 'REVERSAL';

export interface Leg {
  readonly accountId: string;
  readonly side: Side;
  readonly amount: bigint;
}

/** A request as the client sends it; every field is part of its content. */
export type LedgerCall =
  | {
      readonly type: 'TRANSFER';
      readonly id: string;
      readonly unitCode: string;
      readonly memo: string;
      readonly legs: readonly Leg[];
      /** null: posted at once; otherwise a hold, with its timeout in seconds (null: never expires). */
      readonly hold: { readonly timeoutSeconds: number | null } | null;
    }
  | {
      readonly type: 'POST_HOLD';
      readonly id: string;
      readonly holdId: string;
      readonly memo: string;
      /** null posts the whole hold. */
      readonly amount: bigint | null;
    }
  | { readonly type: 'VOID_HOLD'; readonly id: string; readonly holdId: string; readonly memo: string }
  | { readonly type: 'REVERSAL'; readonly id: string; readonly transactionId: string; readonly memo: string };

export interface RefAccount {
  readonly id: string;
  status: 'ACTIVE' | 'FROZEN';
  creditLimit: bigint;
  upperLimit: bigint | null;
  debitsPosted: bigint;
  creditsPosted: bigint;
  debitsPending: bigint;
  creditsPending: bigint;
  version: bigint;
}

export interface RefEntry {
  readonly accountId: string;
  readonly side: Side;
  readonly amount: bigint;
  readonly pending: boolean;
  readonly accountVersion: bigint;
  readonly balanceAfter: bigint;
}

export interface RefTransaction {
  readonly id: string;
  readonly operation: Operation;
  readonly referencesId: string | null;
  readonly entries: readonly RefEntry[];
  /** The transaction that resolved this hold, or reversed this posted transaction. */
  referencedBy: { readonly id: string; readonly operation: Operation } | null;
  /** A hold whose timeout has passed (the test says so): it can no longer be posted or voided. */
  due: boolean;
}

export interface Refusal {
  readonly ok: false;
  readonly code: string;
  readonly reason: string;
  readonly replayed: boolean;
  /** The account the refusal is about, for account and limit refusals; null otherwise. */
  readonly accountId: string | null;
}

export type Outcome = { readonly ok: true; readonly replayed: boolean; readonly transaction: RefTransaction } | Refusal;

export type TermsOutcome = { readonly ok: true; readonly account: RefAccount } | Refusal;

export function balanceOf(account: RefAccount): bigint {
  return account.creditsPosted - account.debitsPosted;
}

export function availableBalanceOf(account: RefAccount): bigint {
  return balanceOf(account) - account.debitsPending;
}

/** Operations after which a transaction counts as posted and so may be reversed. */
const REVERSIBLE: readonly Operation[] = ['TRANSFER', 'POST_HOLD', 'REVERSAL'];

function refusal(code: string, reason: string, accountId: string | null = null): Refusal {
  return { ok: false, code, reason, replayed: false, accountId };
}

function other(side: Side): Side {
  return side === 'DEBIT' ? 'CREDIT' : 'DEBIT';
}

/** The content of a request, the same for two sends exactly when the client sent the same thing. */
function contentOf(call: LedgerCall): string {
  return JSON.stringify(call, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value));
}

export class ReferenceLedger {
  readonly accounts = new Map<string, RefAccount>();
  /** Every transaction the ledger accepted, by id (expiries under `expiry:<holdId>`). */
  readonly transactions = new Map<string, RefTransaction>();
  /** One outcome per id: the first content seen and what became of it. */
  private readonly outcomes = new Map<string, { content: string; outcome: Outcome }>();

  constructor(readonly unitCode: string) {}

  openAccount(id: string, creditLimit: bigint, upperLimit: bigint | null): RefAccount {
    const account: RefAccount = {
      id,
      status: 'ACTIVE',
      creditLimit,
      upperLimit,
      debitsPosted: 0n,
      creditsPosted: 0n,
      debitsPending: 0n,
      creditsPending: 0n,
      version: 1n,
    };
    this.accounts.set(id, account);
    return account;
  }

  // ── Terms ────────────────────────────────────────────────────────────────────────────────────────

  /** Limits may be set below the current position; setting the same limits again changes nothing. */
  setAccountLimits(accountId: string, creditLimit: bigint, upperLimit: bigint | null): TermsOutcome {
    const account = this.accounts.get(accountId);
    if (account === undefined) return refusal('NOT_FOUND', 'ACCOUNT_NOT_FOUND', accountId);
    if (creditLimit < 0n || (upperLimit !== null && upperLimit < 0n)) {
      return refusal('VALIDATION_FAILED', 'LIMIT_NEGATIVE', accountId);
    }
    if (account.creditLimit !== creditLimit || account.upperLimit !== upperLimit) {
      account.creditLimit = creditLimit;
      account.upperLimit = upperLimit;
      account.version += 1n;
    }
    return { ok: true, account };
  }

  /** ACTIVE ⇄ FROZEN; asking for the status an account already has changes nothing. */
  setFrozen(accountId: string, frozen: boolean): TermsOutcome {
    const account = this.accounts.get(accountId);
    if (account === undefined) return refusal('NOT_FOUND', 'ACCOUNT_NOT_FOUND', accountId);
    const status = frozen ? 'FROZEN' : 'ACTIVE';
    if (account.status !== status) {
      account.status = status;
      account.version += 1n;
    }
    return { ok: true, account };
  }

  // ── Requests with an id ──────────────────────────────────────────────────────────────────────────

  submit(call: LedgerCall): Outcome {
    const shapeProblem = this.shapeProblem(call);
    if (shapeProblem !== null) return shapeProblem;

    const content = contentOf(call);
    const earlier = this.outcomes.get(call.id);
    if (earlier !== undefined) {
      if (earlier.content !== content) {
        return refusal('CONFLICT', earlier.outcome.ok ? 'EXISTS_WITH_DIFFERENT_CONTENT' : 'ID_ALREADY_FAILED');
      }
      return { ...earlier.outcome, replayed: true };
    }

    const outcome = this.decide(call);
    this.outcomes.set(call.id, { content, outcome });
    return outcome;
  }

  /** Problems of the request itself, whatever the ledger holds. */
  private shapeProblem(call: LedgerCall): Refusal | null {
    if (call.type === 'POST_HOLD' && call.amount !== null && call.amount <= 0n) {
      return refusal('VALIDATION_FAILED', 'AMOUNT_NOT_POSITIVE');
    }
    if (call.type !== 'TRANSFER') return null;
    if (call.legs.length < 2) return refusal('VALIDATION_FAILED', 'TOO_FEW_ENTRIES');
    const seen = new Set<string>();
    for (const leg of call.legs) {
      if (leg.amount <= 0n) return refusal('VALIDATION_FAILED', 'AMOUNT_NOT_POSITIVE');
      if (seen.has(leg.accountId)) return refusal('VALIDATION_FAILED', 'SAME_ACCOUNT_TWICE');
      seen.add(leg.accountId);
    }
    const total = (side: Side) =>
      call.legs.filter((leg) => leg.side === side).reduce((sum, leg) => sum + leg.amount, 0n);
    if (total('DEBIT') === 0n || total('CREDIT') === 0n) return refusal('VALIDATION_FAILED', 'ONE_SIDED');
    if (total('DEBIT') !== total('CREDIT')) return refusal('VALIDATION_FAILED', 'UNBALANCED');
    return null;
  }

  private decide(call: LedgerCall): Outcome {
    switch (call.type) {
      case 'TRANSFER':
        if (call.unitCode !== this.unitCode) return refusal('NOT_FOUND', 'UNIT_NOT_FOUND');
        return this.move(call.id, call.hold === null ? 'TRANSFER' : 'HOLD', null, call.legs);
      case 'REVERSAL': {
        const original = this.transactions.get(call.transactionId);
        if (original === undefined) return refusal('NOT_FOUND', 'TRANSACTION_NOT_FOUND');
        if (!REVERSIBLE.includes(original.operation)) return refusal('VALIDATION_FAILED', 'NOT_REVERSIBLE');
        if (original.referencedBy !== null) return refusal('CONFLICT', 'ALREADY_REVERSED');
        const legs = original.entries.map((entry) => ({ ...entry, side: other(entry.side) }));
        return this.move(call.id, 'REVERSAL', original, legs);
      }
      case 'POST_HOLD':
      case 'VOID_HOLD': {
        const hold = this.transactions.get(call.holdId);
        if (hold === undefined) return refusal('NOT_FOUND', 'HOLD_NOT_FOUND');
        if (hold.operation !== 'HOLD') return refusal('VALIDATION_FAILED', 'NOT_A_HOLD');
        if (hold.referencedBy !== null) return refusal('CONFLICT', 'HOLD_ALREADY_RESOLVED');
        if (hold.due) return refusal('CONFLICT', 'HOLD_EXPIRED');
        if (call.type === 'VOID_HOLD') return { ok: true, replayed: false, transaction: this.release(call.id, hold) };
        return this.postHold(call.id, hold, call.amount);
      }
    }
  }

  /**
   * New value moving, posted or held: every account must exist and be active (entry order), then no entry
   * may take its account past a limit (entry order): a debit below −creditLimit counting pending debits, a
   * credit above upperLimit counting pending credits.
   */
  private move(id: string, operation: Operation, original: RefTransaction | null, legs: readonly Leg[]): Outcome {
    for (const leg of legs) {
      const account = this.accounts.get(leg.accountId);
      if (account === undefined) return refusal('NOT_FOUND', 'ACCOUNT_NOT_FOUND', leg.accountId);
      if (account.status === 'FROZEN') return refusal('CONFLICT', 'ACCOUNT_FROZEN', leg.accountId);
    }
    const pending = operation === 'HOLD';
    for (const leg of legs) {
      const account = this.accounts.get(leg.accountId)!;
      if (leg.side === 'DEBIT' && availableBalanceOf(account) - leg.amount < -account.creditLimit) {
        return refusal('INSUFFICIENT_FUNDS', 'CREDIT_LIMIT_EXCEEDED', leg.accountId);
      }
      if (
        leg.side === 'CREDIT' &&
        account.upperLimit !== null &&
        balanceOf(account) + account.creditsPending + leg.amount > account.upperLimit
      ) {
        return refusal('CONFLICT', 'UPPER_LIMIT_EXCEEDED', leg.accountId);
      }
    }
    const entries = legs.map((leg) =>
      this.book(leg.accountId, leg.side, pending ? 0n : leg.amount, pending ? leg.amount : 0n, pending, leg.amount),
    );
    const transaction = this.record(id, operation, original, entries);
    return { ok: true, replayed: false, transaction };
  }

  /** Posting a hold never fails on a limit (it adds no exposure), but needs its accounts active. */
  private postHold(id: string, hold: RefTransaction, amount: bigint | null): Outcome {
    if (amount !== null) {
      if (hold.entries.length !== 2) return refusal('VALIDATION_FAILED', 'PARTIAL_POST_NEEDS_TWO_ENTRIES');
      if (amount > hold.entries[0]!.amount) return refusal('VALIDATION_FAILED', 'AMOUNT_EXCEEDS_HOLD');
    }
    for (const entry of hold.entries) {
      if (this.accounts.get(entry.accountId)!.status === 'FROZEN') {
        return refusal('CONFLICT', 'ACCOUNT_FROZEN', entry.accountId);
      }
    }
    const entries = hold.entries.map((entry) => {
      const posted = amount ?? entry.amount;
      return this.book(entry.accountId, entry.side, posted, -entry.amount, false, posted);
    });
    return { ok: true, replayed: false, transaction: this.record(id, 'POST_HOLD', hold, entries) };
  }

  /** Voiding or expiring only gives back what was set aside: allowed on a frozen account. */
  private release(id: string, hold: RefTransaction, operation: 'VOID_HOLD' | 'EXPIRE_HOLD' = 'VOID_HOLD') {
    const entries = hold.entries.map((entry) =>
      this.book(entry.accountId, entry.side, 0n, -entry.amount, true, entry.amount),
    );
    return this.record(id, operation, hold, entries);
  }

  /** Adds to one side of an account (posted and pending deltas) and returns the entry that did it. */
  private book(
    accountId: string,
    side: Side,
    postedDelta: bigint,
    pendingDelta: bigint,
    pending: boolean,
    amount: bigint,
  ): RefEntry {
    const account = this.accounts.get(accountId)!;
    if (side === 'DEBIT') {
      account.debitsPosted += postedDelta;
      account.debitsPending += pendingDelta;
    } else {
      account.creditsPosted += postedDelta;
      account.creditsPending += pendingDelta;
    }
    account.version += 1n;
    return { accountId, side, amount, pending, accountVersion: account.version, balanceAfter: balanceOf(account) };
  }

  private record(
    id: string,
    operation: Operation,
    original: RefTransaction | null,
    entries: readonly RefEntry[],
  ): RefTransaction {
    const transaction: RefTransaction = {
      id,
      operation,
      referencesId: original?.id ?? null,
      entries,
      referencedBy: null,
      due: false,
    };
    if (original !== null) original.referencedBy = { id, operation };
    this.transactions.set(id, transaction);
    return transaction;
  }

  // ── Time ─────────────────────────────────────────────────────────────────────────────────────────

  /** The test's clock: this hold's timeout has passed. */
  markDue(holdId: string): void {
    const hold = this.transactions.get(holdId);
    if (hold !== undefined && hold.operation === 'HOLD') hold.due = true;
  }

  isOpenHold(holdId: string): boolean {
    const hold = this.transactions.get(holdId);
    return hold !== undefined && hold.operation === 'HOLD' && hold.referencedBy === null;
  }

  isDue(holdId: string): boolean {
    return this.transactions.get(holdId)?.due ?? false;
  }

  /** The ledger's sweep: every open hold past its timeout expires; returns how many did. */
  expireDueHolds(): number {
    const due = [...this.transactions.values()].filter(
      (transaction) => transaction.operation === 'HOLD' && transaction.due && transaction.referencedBy === null,
    );
    for (const hold of due) this.release(`expiry:${hold.id}`, hold, 'EXPIRE_HOLD');
    return due.length;
  }
}

/** A transaction's status as the API shows it. */
export function statusOf(transaction: RefTransaction): 'POSTED' | 'PENDING' | 'VOIDED' | 'EXPIRED' {
  const operation = transaction.operation === 'HOLD' ? transaction.referencedBy?.operation : transaction.operation;
  if (operation === undefined) return 'PENDING';
  if (operation === 'VOID_HOLD') return 'VOIDED';
  if (operation === 'EXPIRE_HOLD') return 'EXPIRED';
  return 'POSTED';
}
