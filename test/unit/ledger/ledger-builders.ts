/**
 * Builders shared by the ledger rule specs: accounts, requests and ledger states as plain values, plus
 * `nextState`, which folds a batch plan back into a state the way the database would (positions, referenced
 * transactions, outcomes), so that a test can run one batch after another.
 */
import { randomUUID } from 'node:crypto';
import {
  applyBatch,
  type BatchPlan,
  type ItemResult,
  type LedgerState,
  type PreparedRequest,
} from '../../../src/ledger/rules/apply-batch.js';
import { checkRequest, type CheckedRequest } from '../../../src/ledger/rules/check-request.js';
import { contentHash } from '../../../src/ledger/rules/content-hash.js';
import type {
  AccountPosition,
  EntryDraft,
  ExpireHoldRequest,
  LedgerRequest,
  MetadataEntry,
  PostHoldRequest,
  ReferencedTransaction,
  ReversalRequest,
  Side,
  StoredOutcome,
  TransferRequest,
  VoidHoldRequest,
} from '../../../src/ledger/rules/ledger-model.js';

export const UNIT = 'CWC';
export const NOW = new Date('2030-01-01T00:00:00.000Z');

export function uuid(): string {
  return randomUUID();
}

export function account(overrides: Partial<AccountPosition> = {}): AccountPosition {
  return {
    id: uuid(),
    unitCode: UNIT,
    status: 'ACTIVE',
    creditLimit: 0n,
    upperLimit: null,
    debitsPosted: 0n,
    creditsPosted: 0n,
    debitsPending: 0n,
    creditsPending: 0n,
    version: 0n,
    ...overrides,
  };
}

export function makeState(
  accounts: readonly AccountPosition[],
  options: {
    units?: readonly string[];
    referenced?: readonly ReferencedTransaction[];
    outcomes?: ReadonlyMap<string, StoredOutcome>;
  } = {},
): LedgerState {
  return {
    accounts: new Map(accounts.map((a) => [a.id, a])),
    units: new Set(options.units ?? [UNIT]),
    referenced: new Map((options.referenced ?? []).map((t) => [t.id, t])),
    outcomes: options.outcomes ?? new Map(),
  };
}

export function entry(accountId: string, side: Side, amount: bigint): EntryDraft {
  return { accountId, side, amount };
}

export function transferReq(
  entries: readonly EntryDraft[],
  overrides: Partial<Omit<TransferRequest, 'type'>> = {},
): TransferRequest {
  return {
    type: 'TRANSFER',
    id: uuid(),
    memo: '',
    metadata: [],
    unitCode: UNIT,
    kind: 'PAYMENT',
    entries,
    effectiveAt: null,
    hold: null,
    ...overrides,
  };
}

/** A two-entry transfer: `from` is debited, `to` credited. */
export function pay(from: string, to: string, amount: bigint, overrides: Partial<Omit<TransferRequest, 'type'>> = {}) {
  return transferReq([entry(from, 'DEBIT', amount), entry(to, 'CREDIT', amount)], overrides);
}

export function holdReq(
  entries: readonly EntryDraft[],
  timeoutSeconds: number | null = null,
  overrides: Partial<Omit<TransferRequest, 'type'>> = {},
): TransferRequest {
  return transferReq(entries, { hold: { timeoutSeconds }, ...overrides });
}

export function postHoldReq(holdId: string, amount: bigint | null = null, id = uuid()): PostHoldRequest {
  return { type: 'POST_HOLD', id, memo: '', metadata: [], holdId, amount };
}

export function voidHoldReq(holdId: string, id = uuid()): VoidHoldRequest {
  return { type: 'VOID_HOLD', id, memo: '', metadata: [], holdId };
}

export function expireHoldReq(holdId: string, id = uuid()): ExpireHoldRequest {
  return { type: 'EXPIRE_HOLD', id, memo: '', metadata: [], holdId };
}

export function reversalReq(transactionId: string, id = uuid()): ReversalRequest {
  return { type: 'REVERSAL', id, memo: '', metadata: [], transactionId };
}

/** Who the unit tests' requests come from. */
export const RECORDED_BY = 'person:00000000-0000-4000-8000-000000000001';

export function prep(request: CheckedRequest): PreparedRequest {
  return { request, contentHash: contentHash(request), recordedBy: RECORDED_BY };
}

/** Metadata as a request carries it, from a key map. */
export function meta(record: Readonly<Record<string, string>>): MetadataEntry[] {
  return Object.entries(record).map(([key, value]) => ({ key, value }));
}

/**
 * A batch decided as the ledger service decides it: each request's shape is checked first, the well-formed
 * ones are applied in order, and every request gets its result in order.
 */
export function decideBatch(requests: readonly LedgerRequest[], state: LedgerState, now: Date): BatchPlan {
  const checks = requests.map(checkRequest);
  const plan = applyBatch(
    checks.flatMap((check) => (check.ok ? [prep(check.request)] : [])),
    state,
    now,
  );
  let next = 0;
  const results = checks.map((check): ItemResult => {
    if (!check.ok) return { status: 'REFUSED', refusal: check.refusal, replayed: false };
    const result = plan.results[next++];
    if (result === undefined) throw new Error('every admitted request has a result');
    return result;
  });
  return { ...plan, results };
}

/** The state after a batch's plan is written, as the database would hold it. */
export function nextState(state: LedgerState, plan: BatchPlan): LedgerState {
  const accounts = new Map(state.accounts);
  for (const position of plan.accounts) accounts.set(position.id, position);
  const referenced = new Map(state.referenced);
  for (const tx of plan.transactions) {
    if (tx.referencesId !== null) {
      const target = referenced.get(tx.referencesId);
      if (target !== undefined) referenced.set(target.id, { ...target, referencedBy: tx.id });
    }
    referenced.set(tx.id, {
      id: tx.id,
      unitCode: tx.unitCode,
      operation: tx.operation,
      kind: tx.kind,
      entries: tx.entries.map(({ accountId, side, amount }) => ({ accountId, side, amount })),
      expiresAt: tx.expiresAt,
      authority: tx.authority,
      referencedBy: null,
    });
  }
  const outcomes = new Map(state.outcomes);
  for (const outcome of plan.outcomes) {
    outcomes.set(outcome.id, { contentHash: outcome.contentHash, refusal: outcome.refusal });
  }
  return { accounts, units: state.units, referenced, outcomes };
}

/** Final positions of every account: the plan's changed accounts over the untouched ones. */
export function finalAccounts(state: LedgerState, plan: BatchPlan): Map<string, AccountPosition> {
  const merged = new Map(state.accounts);
  for (const position of plan.accounts) merged.set(position.id, position);
  return merged;
}
