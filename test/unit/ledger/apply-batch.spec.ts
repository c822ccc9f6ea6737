/**
 * Goal: applyBatch decides an ordered batch in memory with the ledger's invariants intact (double entry,
 * limits, gapless versions, one outcome per id) and the documented order of precedence for refusals.
 * Method: worked examples over hand-built states (multi-batch flows fold each plan back with `nextState`),
 * then fast-check properties over random batches of transfers, holds, resolutions, reversals and repeats.
 */
import fc from 'fast-check';
import type { BatchPlan, ItemResult, LedgerState } from '../../../src/ledger/rules/apply-batch.js';
import { contentHash } from '../../../src/ledger/rules/content-hash.js';
import { expiryTransactionId } from '../../../src/ledger/rules/content-hash.js';
import {
  availableBalanceOf,
  balanceOf,
  type AccountPosition,
  type EntryDraft,
  type LedgerRequest,
  type NewTransaction,
  type Refusal,
} from '../../../src/ledger/rules/ledger-model.js';
import {
  NOW,
  UNIT,
  account,
  entry,
  expireHoldReq,
  finalAccounts,
  holdReq,
  makeState,
  decideBatch,
  meta,
  nextState,
  pay,
  postHoldReq,
  reversalReq,
  transferReq,
  uuid,
  voidHoldReq,
} from './ledger-builders.js';

function run(state: LedgerState, requests: readonly LedgerRequest[], now = NOW): BatchPlan {
  return decideBatch(requests, state, now);
}

function applied(result: ItemResult | undefined): NewTransaction {
  if (result?.status !== 'APPLIED') throw new Error(`expected APPLIED, got ${JSON.stringify(result, jsonBigint)}`);
  return result.transaction;
}

function refusalOf(result: ItemResult | undefined): Refusal & { replayed: boolean } {
  if (result?.status !== 'REFUSED') throw new Error(`expected REFUSED, got ${JSON.stringify(result, jsonBigint)}`);
  return { ...result.refusal, replayed: result.replayed };
}

function jsonBigint(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

function positionIn(plan: BatchPlan, id: string): AccountPosition {
  const found = plan.accounts.find((a) => a.id === id);
  if (found === undefined) throw new Error(`account ${id} not changed by the plan`);
  return found;
}

/** Two members (A may go 1000 below zero) and a plain state with them. */
function twoMembers(overridesA: Partial<AccountPosition> = {}, overridesB: Partial<AccountPosition> = {}) {
  const a = account({ creditLimit: 1000n, ...overridesA });
  const b = account({ creditLimit: 1000n, ...overridesB });
  return { a, b, state: makeState([a, b]) };
}

describe('applyBatch: transfers', () => {
  it('posts a balanced transfer, moving both accounts and advancing each version by one', () => {
    const { a, b, state } = twoMembers({ version: 4n });
    const request = pay(a.id, b.id, 250n, { memo: 'bread', metadata: meta({ ref: 'x1' }) });
    const plan = run(state, [request]);

    const tx = applied(plan.results[0]);
    expect(tx).toMatchObject({
      id: request.id,
      unitCode: UNIT,
      operation: 'TRANSFER',
      kind: 'PAYMENT',
      memo: 'bread',
      metadata: { ref: 'x1' },
      referencesId: null,
      expiresAt: null,
      effectiveAt: NOW,
      recordedAt: NOW,
    });
    expect(tx.entries).toEqual([
      {
        index: 0,
        accountId: a.id,
        side: 'DEBIT',
        amount: 250n,
        pending: false,
        accountVersion: 5n,
        balanceAfter: -250n,
      },
      {
        index: 1,
        accountId: b.id,
        side: 'CREDIT',
        amount: 250n,
        pending: false,
        accountVersion: 1n,
        balanceAfter: 250n,
      },
    ]);
    expect(positionIn(plan, a.id)).toMatchObject({ debitsPosted: 250n, version: 5n });
    expect(positionIn(plan, b.id)).toMatchObject({ creditsPosted: 250n, version: 1n });
    expect(plan.transactions).toEqual([tx]);
    expect(plan.outcomes).toEqual([{ id: request.id, contentHash: contentHash(request), refusal: null }]);
    expect(plan.holdsOpened).toEqual([]);
    expect(plan.holdsClosed).toEqual([]);
  });

  it('keeps the client effectiveAt when given', () => {
    const { a, b, state } = twoMembers();
    const effectiveAt = new Date('2029-12-01T00:00:00Z');
    const tx = applied(run(state, [pay(a.id, b.id, 1n, { effectiveAt })]).results[0]);
    expect(tx.effectiveAt).toEqual(effectiveAt);
    expect(tx.recordedAt).toEqual(NOW);
  });

  it('lets later items see earlier ones: the second payment past the limit is refused', () => {
    const { a, b, state } = twoMembers({ creditLimit: 100n });
    const plan = run(state, [pay(a.id, b.id, 60n), pay(a.id, b.id, 60n), pay(a.id, b.id, 40n)]);
    expect(plan.results.map((r) => r.status)).toEqual(['APPLIED', 'REFUSED', 'APPLIED']);
    expect(refusalOf(plan.results[1])).toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
      reason: 'CREDIT_LIMIT_EXCEEDED',
      details: { accountId: a.id, entryIndex: 0, creditLimit: '100' },
    });
    expect(positionIn(plan, a.id)).toMatchObject({ debitsPosted: 100n, version: 2n });
  });

  it('refuses a credit past the upper limit, counting pending credits', () => {
    const { a, b, state } = twoMembers({}, { upperLimit: 100n, creditsPending: 30n, debitsPosted: 0n });
    const plan = run(state, [pay(a.id, b.id, 71n), pay(a.id, b.id, 70n)]);
    expect(refusalOf(plan.results[0])).toMatchObject({
      code: 'CONFLICT',
      reason: 'UPPER_LIMIT_EXCEEDED',
      details: { accountId: b.id, entryIndex: 1, upperLimit: '100' },
    });
    applied(plan.results[1]);
  });

  it('refuses a counter that would pass int64 with OVERFLOW', () => {
    const a = account({ creditLimit: 0n, creditsPosted: 9_223_372_036_854_775_000n });
    const b = account({ creditsPosted: 9_223_372_036_854_775_000n });
    const plan = run(makeState([a, b]), [pay(a.id, b.id, 1000n)]);
    expect(refusalOf(plan.results[0])).toMatchObject({
      code: 'CONFLICT',
      reason: 'OVERFLOW',
      details: { accountId: b.id },
    });
  });

  it('never changes the state it was given', () => {
    const { a, b, state } = twoMembers();
    const before = new Map(state.accounts);
    run(state, [pay(a.id, b.id, 10n)]);
    expect(new Map(state.accounts)).toEqual(before);
    expect(state.outcomes.size).toBe(0);
    expect(state.referenced.size).toBe(0);
  });
});

describe('applyBatch: idempotency', () => {
  it('replays the same request in the same batch', () => {
    const { a, b, state } = twoMembers();
    const request = pay(a.id, b.id, 10n);
    const plan = run(state, [request, request]);
    expect(plan.results[0]?.status).toBe('APPLIED');
    expect(plan.results[1]).toEqual({ status: 'REPLAYED', transactionId: request.id });
    expect(plan.transactions).toHaveLength(1);
    expect(plan.outcomes).toHaveLength(1);
    expect(positionIn(plan, a.id).debitsPosted).toBe(10n);
  });

  it('replays a request decided in an earlier batch', () => {
    const { a, b, state } = twoMembers();
    const request = pay(a.id, b.id, 10n);
    const after = nextState(state, run(state, [request]));
    const plan = run(after, [request]);
    expect(plan.results).toEqual([{ status: 'REPLAYED', transactionId: request.id }]);
    expect(plan.accounts).toEqual([]);
    expect(plan.outcomes).toEqual([]);
  });

  it('refuses the same id with different content: EXISTS_WITH_DIFFERENT_CONTENT', () => {
    const { a, b, state } = twoMembers();
    const request = pay(a.id, b.id, 10n);
    const changed = { ...request, memo: 'other' };
    const plan = run(state, [request, changed]);
    expect(refusalOf(plan.results[1])).toEqual({
      code: 'CONFLICT',
      reason: 'EXISTS_WITH_DIFFERENT_CONTENT',
      message: expect.any(String),
      details: { id: request.id },
      replayed: false,
    });
    expect(plan.outcomes).toHaveLength(1);
  });

  it('records a state-dependent refusal and replays it (replayed=true) in the same batch', () => {
    const { a, b, state } = twoMembers({ creditLimit: 5n });
    const request = pay(a.id, b.id, 10n);
    const plan = run(state, [request, request]);
    const first = refusalOf(plan.results[0]);
    expect(first).toMatchObject({ reason: 'CREDIT_LIMIT_EXCEEDED', replayed: false });
    const second = refusalOf(plan.results[1]);
    expect(second).toEqual({ ...first, replayed: true });
    expect(plan.outcomes).toEqual([
      {
        id: request.id,
        contentHash: contentHash(request),
        refusal: expect.objectContaining({ reason: 'CREDIT_LIMIT_EXCEEDED' }),
      },
    ]);
    expect(plan.accounts).toEqual([]);
  });

  it('a refused id stays refused even when the retry would now succeed', () => {
    const { a, b, state } = twoMembers({ creditLimit: 5n });
    const request = pay(a.id, b.id, 10n);
    const after = nextState(state, run(state, [request]));
    const richer = { ...after, accounts: new Map(after.accounts).set(a.id, { ...a, creditLimit: 1000n }) };
    expect(refusalOf(run(richer, [request]).results[0])).toMatchObject({
      reason: 'CREDIT_LIMIT_EXCEEDED',
      replayed: true,
    });
  });

  it('a different request under a refused id is ID_ALREADY_FAILED', () => {
    const { a, b, state } = twoMembers({ creditLimit: 5n });
    const request = pay(a.id, b.id, 10n);
    const smaller = pay(a.id, b.id, 1n, { id: request.id });
    const plan = run(state, [request, smaller]);
    expect(refusalOf(plan.results[1])).toMatchObject({
      code: 'CONFLICT',
      reason: 'ID_ALREADY_FAILED',
      details: { id: request.id },
      replayed: false,
    });
    expect(plan.transactions).toEqual([]);
  });

  it('does not record shape refusals: the id may be reused once the request is fixed', () => {
    const { a, b, state } = twoMembers();
    const broken = transferReq([entry(a.id, 'DEBIT', 10n), entry(b.id, 'CREDIT', 9n)]);
    const fixed = pay(a.id, b.id, 10n, { id: broken.id });
    const plan = run(state, [broken, fixed]);
    expect(refusalOf(plan.results[0])).toMatchObject({
      code: 'VALIDATION_FAILED',
      reason: 'UNBALANCED',
      replayed: false,
    });
    applied(plan.results[1]);
    expect(plan.outcomes.map((o) => o.refusal)).toEqual([null]);
  });

  it('checks shape before idempotency: a malformed retry of an applied id is a shape refusal', () => {
    const { a, b, state } = twoMembers();
    const request = pay(a.id, b.id, 10n);
    const plan = run(state, [request, { ...request, kind: 'lower' }]);
    expect(refusalOf(plan.results[1]).reason).toBe('INVALID_KIND');
  });
});

describe('applyBatch: holds', () => {
  function withHold(entries: (a: string, b: string, c: string) => EntryDraft[], timeoutSeconds: number | null = null) {
    const a = account({ creditLimit: 1000n, version: 2n });
    const b = account({ creditLimit: 1000n });
    const c = account({ creditLimit: 1000n });
    const state = makeState([a, b, c]);
    const hold = holdReq(entries(a.id, b.id, c.id), timeoutSeconds);
    const plan = run(state, [hold]);
    return { a, b, c, hold, plan, state: nextState(state, plan) };
  }
  const twoEntry = (a: string, b: string): EntryDraft[] => [entry(a, 'DEBIT', 100n), entry(b, 'CREDIT', 100n)];

  it('placing a hold moves only pending counters and opens the hold', () => {
    const { a, b, hold, plan } = withHold(twoEntry, 60);
    const tx = applied(plan.results[0]);
    expect(tx.operation).toBe('HOLD');
    expect(tx.expiresAt).toEqual(new Date(NOW.getTime() + 60_000));
    expect(tx.entries.every((e) => e.pending)).toBe(true);
    expect(tx.entries.map((e) => e.balanceAfter)).toEqual([0n, 0n]);
    expect(positionIn(plan, a.id)).toMatchObject({ debitsPending: 100n, debitsPosted: 0n, version: 3n });
    expect(positionIn(plan, b.id)).toMatchObject({ creditsPending: 100n, creditsPosted: 0n, version: 1n });
    expect(plan.holdsOpened).toEqual([{ transactionId: hold.id, expiresAt: tx.expiresAt }]);
  });

  it('a hold with no timeout never expires by itself', () => {
    const { plan, hold } = withHold(twoEntry, null);
    expect(plan.holdsOpened).toEqual([{ transactionId: hold.id, expiresAt: null }]);
  });

  it('held debits count against the credit limit', () => {
    const a = account({ creditLimit: 100n });
    const b = account();
    const plan = run(makeState([a, b]), [
      holdReq([entry(a.id, 'DEBIT', 80n), entry(b.id, 'CREDIT', 80n)]),
      pay(a.id, b.id, 21n),
    ]);
    applied(plan.results[0]);
    expect(refusalOf(plan.results[1]).reason).toBe('CREDIT_LIMIT_EXCEEDED');
  });

  it('posts a hold in full', () => {
    const { a, b, hold, state } = withHold(twoEntry);
    const post = postHoldReq(hold.id);
    const plan = run(state, [post]);
    const tx = applied(plan.results[0]);
    expect(tx).toMatchObject({ operation: 'POST_HOLD', referencesId: hold.id, kind: 'PAYMENT', expiresAt: null });
    expect(tx.entries.map((e) => [e.side, e.amount, e.pending])).toEqual([
      ['DEBIT', 100n, false],
      ['CREDIT', 100n, false],
    ]);
    expect(positionIn(plan, a.id)).toMatchObject({ debitsPosted: 100n, debitsPending: 0n, version: 4n });
    expect(positionIn(plan, b.id)).toMatchObject({ creditsPosted: 100n, creditsPending: 0n, version: 2n });
    expect(plan.holdsClosed).toEqual([hold.id]);
  });

  it('posts a two-entry hold in part: the posted amount moves and the rest is released', () => {
    const { a, b, hold, state } = withHold(twoEntry);
    const plan = run(state, [postHoldReq(hold.id, 30n)]);
    const tx = applied(plan.results[0]);
    expect(tx.entries.map((e) => e.amount)).toEqual([30n, 30n]);
    expect(tx.entries.map((e) => e.balanceAfter)).toEqual([-30n, 30n]);
    expect(positionIn(plan, a.id)).toMatchObject({ debitsPosted: 30n, debitsPending: 0n, creditsPending: 0n });
    expect(positionIn(plan, b.id)).toMatchObject({ creditsPosted: 30n, creditsPending: 0n, debitsPending: 0n });
  });

  it('posting exactly the held amount in part equals posting in full', () => {
    const { a, hold, state } = withHold(twoEntry);
    const plan = run(state, [postHoldReq(hold.id, 100n)]);
    expect(positionIn(plan, a.id)).toMatchObject({ debitsPosted: 100n, debitsPending: 0n });
  });

  it('refuses posting more than the hold: AMOUNT_EXCEEDS_HOLD, recorded', () => {
    const { hold, state } = withHold(twoEntry);
    const post = postHoldReq(hold.id, 101n);
    const plan = run(state, [post]);
    expect(refusalOf(plan.results[0])).toMatchObject({
      code: 'VALIDATION_FAILED',
      reason: 'AMOUNT_EXCEEDS_HOLD',
      details: { holdId: hold.id, heldAmount: '100' },
    });
    expect(plan.outcomes.map((o) => o.id)).toEqual([post.id]);
  });

  it('refuses a partial post of a three-entry hold: PARTIAL_POST_NEEDS_TWO_ENTRIES; full post works', () => {
    const three = (a: string, b: string, c: string): EntryDraft[] => [
      entry(a, 'DEBIT', 100n),
      entry(b, 'CREDIT', 60n),
      entry(c, 'CREDIT', 40n),
    ];
    const { hold, state } = withHold(three);
    const plan = run(state, [postHoldReq(hold.id, 10n), postHoldReq(hold.id)]);
    expect(refusalOf(plan.results[0])).toMatchObject({
      reason: 'PARTIAL_POST_NEEDS_TWO_ENTRIES',
      details: { holdId: hold.id, entryCount: 3 },
    });
    expect(applied(plan.results[1]).entries.map((e) => e.amount)).toEqual([100n, 60n, 40n]);
  });

  it('voids a hold, releasing what was set aside', () => {
    const { a, b, hold, state } = withHold(twoEntry);
    const plan = run(state, [voidHoldReq(hold.id)]);
    const tx = applied(plan.results[0]);
    expect(tx).toMatchObject({ operation: 'VOID_HOLD', referencesId: hold.id });
    expect(tx.entries.every((e) => e.pending)).toBe(true);
    expect(positionIn(plan, a.id)).toMatchObject({ debitsPending: 0n, debitsPosted: 0n, version: 4n });
    expect(positionIn(plan, b.id)).toMatchObject({ creditsPending: 0n, creditsPosted: 0n, version: 2n });
    expect(plan.holdsClosed).toEqual([hold.id]);
  });

  it('refuses a second resolution: HOLD_ALREADY_RESOLVED, in the same batch and in a later one', () => {
    const { hold, state } = withHold(twoEntry);
    const post = postHoldReq(hold.id);
    const plan = run(state, [post, voidHoldReq(hold.id)]);
    expect(refusalOf(plan.results[1])).toMatchObject({
      code: 'CONFLICT',
      reason: 'HOLD_ALREADY_RESOLVED',
      details: { holdId: hold.id, resolvedBy: post.id },
    });
    const later = run(nextState(state, plan), [postHoldReq(hold.id)]);
    expect(refusalOf(later.results[0]).reason).toBe('HOLD_ALREADY_RESOLVED');
  });

  it('refuses posting or voiding once now >= expiresAt: HOLD_EXPIRED', () => {
    const { hold, state } = withHold(twoEntry, 60);
    const expiry = new Date(NOW.getTime() + 60_000);
    applied(run(state, [postHoldReq(hold.id)], new Date(expiry.getTime() - 1)).results[0]);
    const plan = run(state, [postHoldReq(hold.id), voidHoldReq(hold.id)], expiry);
    expect(refusalOf(plan.results[0])).toMatchObject({
      code: 'CONFLICT',
      reason: 'HOLD_EXPIRED',
      details: { holdId: hold.id, expiredAt: expiry.toISOString() },
    });
    expect(refusalOf(plan.results[1]).reason).toBe('HOLD_EXPIRED');
  });

  it('expires a hold only once it is due; an early expiry is refused and never recorded', () => {
    const { a, b, hold, state } = withHold(twoEntry, 60);
    const expireId = expiryTransactionId(hold.id);
    const early = run(state, [expireHoldReq(hold.id, expireId)], new Date(NOW.getTime() + 59_999));
    expect(refusalOf(early.results[0])).toMatchObject({ code: 'CONFLICT', reason: 'HOLD_NOT_EXPIRED' });
    expect(early.outcomes).toEqual([]);
    expect(early.accounts).toEqual([]);

    const due = run(nextState(state, early), [expireHoldReq(hold.id, expireId)], new Date(NOW.getTime() + 60_000));
    const tx = applied(due.results[0]);
    expect(tx).toMatchObject({ id: expireId, operation: 'EXPIRE_HOLD', referencesId: hold.id });
    expect(positionIn(due, a.id).debitsPending).toBe(0n);
    expect(positionIn(due, b.id).creditsPending).toBe(0n);
    expect(due.holdsClosed).toEqual([hold.id]);
  });

  it('never expires a hold without a timeout', () => {
    const { hold, state } = withHold(twoEntry, null);
    const plan = run(state, [expireHoldReq(hold.id)], new Date('2100-01-01T00:00:00Z'));
    expect(refusalOf(plan.results[0]).reason).toBe('HOLD_NOT_EXPIRED');
    expect(plan.outcomes).toEqual([]);
  });

  it('refuses resolving a transaction that is not a hold: NOT_A_HOLD', () => {
    const { a, b, state } = twoMembers();
    const payment = pay(a.id, b.id, 5n);
    const plan = run(state, [payment, postHoldReq(payment.id), voidHoldReq(payment.id)]);
    expect(refusalOf(plan.results[1])).toMatchObject({ code: 'VALIDATION_FAILED', reason: 'NOT_A_HOLD' });
    expect(refusalOf(plan.results[2]).reason).toBe('NOT_A_HOLD');
  });

  it('refuses an unknown hold: HOLD_NOT_FOUND (recorded for post/void, not for expiry)', () => {
    const { state } = twoMembers();
    const missing = uuid();
    const plan = run(state, [postHoldReq(missing), voidHoldReq(missing), expireHoldReq(missing)]);
    for (const result of plan.results) {
      expect(refusalOf(result)).toMatchObject({
        code: 'NOT_FOUND',
        reason: 'HOLD_NOT_FOUND',
        details: { holdId: missing },
      });
    }
    expect(plan.outcomes).toHaveLength(2);
  });

  it('on a frozen account, posting is refused (ACCOUNT_FROZEN) but voiding is allowed', () => {
    const { a, hold, state } = withHold(twoEntry);
    const accounts = new Map(state.accounts);
    const current = accounts.get(a.id);
    if (current === undefined) throw new Error('missing account');
    accounts.set(a.id, { ...current, status: 'FROZEN' });
    const frozen = { ...state, accounts };
    const plan = run(frozen, [postHoldReq(hold.id), voidHoldReq(hold.id)]);
    expect(refusalOf(plan.results[0])).toMatchObject({
      code: 'CONFLICT',
      reason: 'ACCOUNT_FROZEN',
      details: { accountId: a.id, entryIndex: 0 },
    });
    applied(plan.results[1]);
    expect(positionIn(plan, a.id)).toMatchObject({ status: 'FROZEN', debitsPending: 0n });
  });

  it('posting never fails on a limit lowered after the hold was placed', () => {
    const { a, hold, state } = withHold(twoEntry);
    const accounts = new Map(state.accounts);
    const current = accounts.get(a.id);
    if (current === undefined) throw new Error('missing account');
    accounts.set(a.id, { ...current, creditLimit: 0n });
    applied(run({ ...state, accounts }, [postHoldReq(hold.id)]).results[0]);
  });
});

describe('applyBatch: reversals', () => {
  it('reverses a transfer by swapping sides, and refuses a second reversal: ALREADY_REVERSED', () => {
    const { a, b, state } = twoMembers();
    const payment = pay(a.id, b.id, 70n, { kind: 'WAGES' });
    const reversal = reversalReq(payment.id);
    const plan = run(state, [payment, reversal, reversalReq(payment.id)]);
    const tx = applied(plan.results[1]);
    expect(tx).toMatchObject({ operation: 'REVERSAL', referencesId: payment.id, kind: 'WAGES', unitCode: UNIT });
    expect(tx.entries.map((e) => [e.accountId, e.side, e.amount])).toEqual([
      [a.id, 'CREDIT', 70n],
      [b.id, 'DEBIT', 70n],
    ]);
    expect(refusalOf(plan.results[2])).toMatchObject({
      code: 'CONFLICT',
      reason: 'ALREADY_REVERSED',
      details: { transactionId: payment.id, reversedBy: reversal.id },
    });
    expect(balanceOf(positionIn(plan, a.id))).toBe(0n);
    expect(balanceOf(positionIn(plan, b.id))).toBe(0n);
    expect(plan.holdsClosed).toEqual([]);
  });

  it('refuses reversing a hold: NOT_REVERSIBLE', () => {
    const { a, b, state } = twoMembers();
    const hold = holdReq([entry(a.id, 'DEBIT', 5n), entry(b.id, 'CREDIT', 5n)]);
    const plan = run(state, [hold, reversalReq(hold.id)]);
    expect(refusalOf(plan.results[1])).toMatchObject({
      code: 'VALIDATION_FAILED',
      reason: 'NOT_REVERSIBLE',
      details: { transactionId: hold.id, operation: 'HOLD' },
    });
  });

  it('refuses reversing an unknown transaction: TRANSACTION_NOT_FOUND', () => {
    const { state } = twoMembers();
    expect(refusalOf(run(state, [reversalReq(uuid())]).results[0])).toMatchObject({
      code: 'NOT_FOUND',
      reason: 'TRANSACTION_NOT_FOUND',
    });
  });

  it('refuses a reversal that would take the original recipient past its credit limit', () => {
    const a = account({ creditLimit: 100n });
    const b = account({ creditLimit: 0n });
    const c = account();
    const first = pay(a.id, b.id, 100n);
    const plan = run(makeState([a, b, c]), [first, pay(b.id, c.id, 100n), reversalReq(first.id)]);
    expect(plan.results.map((r) => r.status)).toEqual(['APPLIED', 'APPLIED', 'REFUSED']);
    expect(refusalOf(plan.results[2])).toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
      reason: 'CREDIT_LIMIT_EXCEEDED',
      details: { accountId: b.id, entryIndex: 1 },
    });
  });
});

describe('applyBatch: order of precedence', () => {
  it('an unknown unit is refused before any account is looked at', () => {
    const plan = run(makeState([]), [pay(uuid(), uuid(), 1n, { unitCode: 'NOPE' })]);
    expect(refusalOf(plan.results[0])).toMatchObject({
      code: 'NOT_FOUND',
      reason: 'UNIT_NOT_FOUND',
      details: { unitCode: 'NOPE' },
    });
  });

  it('account problems are reported in entry order', () => {
    const missing = uuid();
    const other = account({ unitCode: 'HRS' });
    const closed = account({ status: 'CLOSED' });
    const frozen = account({ status: 'FROZEN' });
    const ok = account({ creditLimit: 1000n });
    const state = makeState([other, closed, frozen, ok], { units: [UNIT, 'HRS'] });
    const problems = [
      { id: missing, code: 'NOT_FOUND', reason: 'ACCOUNT_NOT_FOUND', extra: {} },
      {
        id: other.id,
        code: 'VALIDATION_FAILED',
        reason: 'UNIT_MISMATCH',
        extra: { accountUnit: 'HRS', transactionUnit: UNIT },
      },
      { id: closed.id, code: 'CONFLICT', reason: 'ACCOUNT_CLOSED', extra: {} },
      { id: frozen.id, code: 'CONFLICT', reason: 'ACCOUNT_FROZEN', extra: {} },
    ];
    for (let first = 0; first < problems.length; first += 1) {
      const order = [...problems.slice(first), ...problems.slice(0, first)];
      const request = transferReq([entry(ok.id, 'DEBIT', 4n), ...order.map((p) => entry(p.id, 'CREDIT', 1n))]);
      const expected = order[0];
      if (expected === undefined) throw new Error('no problem');
      expect(refusalOf(run(state, [request]).results[0])).toMatchObject({
        code: expected.code,
        reason: expected.reason,
        details: { accountId: expected.id, entryIndex: 1, ...expected.extra },
      });
    }
  });

  it('account status is checked for every entry before any limit', () => {
    const poor = account({ creditLimit: 0n });
    const frozen = account({ status: 'FROZEN' });
    const plan = run(makeState([poor, frozen]), [pay(poor.id, frozen.id, 10n)]);
    expect(refusalOf(plan.results[0]).reason).toBe('ACCOUNT_FROZEN');
  });

  it('a limit lowered below the position blocks further debits but credits still work', () => {
    const a = account({ creditLimit: 50n, debitsPosted: 100n, version: 3n });
    const b = account({ creditLimit: 1000n });
    const plan = run(makeState([a, b]), [pay(a.id, b.id, 1n), pay(b.id, a.id, 10n)]);
    expect(refusalOf(plan.results[0]).reason).toBe('CREDIT_LIMIT_EXCEEDED');
    applied(plan.results[1]);
    expect(positionIn(plan, a.id)).toMatchObject({ creditsPosted: 10n, debitsPosted: 100n, version: 4n });
  });

  it('an upper limit lowered below the position blocks credits but debits still work', () => {
    const a = account({ upperLimit: 10n, creditsPosted: 100n });
    const b = account({ creditLimit: 1000n });
    const plan = run(makeState([a, b]), [pay(b.id, a.id, 1n), pay(a.id, b.id, 10n)]);
    expect(refusalOf(plan.results[0]).reason).toBe('UPPER_LIMIT_EXCEEDED');
    applied(plan.results[1]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties over random batches.

const POOL_SIZE = 5;

type ItemSpec =
  | {
      readonly t: 'transfer';
      readonly accounts: readonly number[];
      readonly debitCount: number;
      readonly debitAmounts: readonly number[];
      readonly weights: readonly number[];
      readonly hold: null | { readonly timeout: number | null };
    }
  | { readonly t: 'post'; readonly ref: number; readonly amount: number | null }
  | { readonly t: 'void'; readonly ref: number }
  | { readonly t: 'expire'; readonly ref: number }
  | { readonly t: 'reverse'; readonly ref: number }
  | { readonly t: 'repeat'; readonly ref: number };

const transferSpec = fc.record({
  t: fc.constant('transfer' as const),
  accounts: fc.uniqueArray(fc.integer({ min: 0, max: POOL_SIZE - 1 }), { minLength: 2, maxLength: 4 }),
  debitCount: fc.integer({ min: 1, max: 3 }),
  debitAmounts: fc.array(fc.integer({ min: 4, max: 400 }), { minLength: 3, maxLength: 3 }),
  weights: fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 3, maxLength: 3 }),
  hold: fc.option(fc.record({ timeout: fc.option(fc.integer({ min: 1, max: 120 })) }), { freq: 3 }),
});

const itemSpec: fc.Arbitrary<ItemSpec> = fc.oneof(
  { weight: 6, arbitrary: transferSpec },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('post' as const),
      ref: fc.nat(),
      amount: fc.option(fc.integer({ min: 1, max: 500 })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('void' as const), ref: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('expire' as const), ref: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('reverse' as const), ref: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('repeat' as const), ref: fc.nat() }) },
);

const poolSpec = fc.array(
  fc.record({
    creditLimit: fc.integer({ min: 0, max: 600 }),
    upperLimit: fc.option(fc.integer({ min: 0, max: 900 })),
    version: fc.integer({ min: 0, max: 20 }),
  }),
  { minLength: POOL_SIZE, maxLength: POOL_SIZE },
);

const scenario = fc.record({
  pool: poolSpec,
  items: fc.array(itemSpec, { minLength: 1, maxLength: 20 }),
  elapsedSeconds: fc.integer({ min: 0, max: 200 }),
});

/** Balanced entries over the chosen accounts: some debits, credits splitting the debit total by weight. */
function balancedEntries(ids: readonly string[], spec: Extract<ItemSpec, { t: 'transfer' }>): EntryDraft[] {
  const n = ids.length;
  const debitCount = Math.min(spec.debitCount, n - 1);
  const debits = ids.slice(0, debitCount).map((id, i) => entry(id, 'DEBIT', BigInt(spec.debitAmounts[i] ?? 4)));
  const total = debits.reduce((sum, e) => sum + e.amount, 0n);
  const creditIds = ids.slice(debitCount);
  const weights = creditIds.map((_, i) => BigInt(spec.weights[i] ?? 1));
  const weightSum = weights.reduce((s, w) => s + w, 0n);
  const spare = total - BigInt(creditIds.length); // every credit gets at least 1
  let given = 0n;
  const credits = creditIds.map((id, i) => {
    const last = i === creditIds.length - 1;
    const amount = last ? total - given : 1n + (spare * (weights[i] ?? 1n)) / weightSum;
    given += amount;
    return entry(id, 'CREDIT', amount);
  });
  return [...debits, ...credits];
}

interface Scenario {
  readonly state: LedgerState;
  readonly requests: LedgerRequest[];
  readonly now: Date;
}

/** Builds a start state (all positions at zero, hence within limits) and the batch's requests. */
function buildScenario(input: {
  pool: readonly { creditLimit: number; upperLimit: number | null; version: number }[];
  items: readonly ItemSpec[];
  elapsedSeconds: number;
}): Scenario {
  const pool = input.pool.map((p) =>
    account({
      creditLimit: BigInt(p.creditLimit),
      upperLimit: p.upperLimit === null ? null : BigInt(p.upperLimit),
      version: BigInt(p.version),
    }),
  );
  const requests: LedgerRequest[] = [];
  const earlier = (ref: number): LedgerRequest | undefined => requests[ref % Math.max(requests.length, 1)];
  for (const item of input.items) {
    if (item.t === 'transfer') {
      const ids = item.accounts.map((i) => pool[i]?.id ?? uuid());
      const entries = balancedEntries(ids, item);
      requests.push(transferReq(entries, { hold: item.hold === null ? null : { timeoutSeconds: item.hold.timeout } }));
      continue;
    }
    const target = earlier(item.ref);
    if (target === undefined) continue;
    switch (item.t) {
      case 'post':
        requests.push(postHoldReq(target.id, item.amount === null ? null : BigInt(item.amount)));
        break;
      case 'void':
        requests.push(voidHoldReq(target.id));
        break;
      case 'expire':
        requests.push(expireHoldReq(target.id, expiryTransactionId(target.id)));
        break;
      case 'reverse':
        requests.push(reversalReq(target.id));
        break;
      case 'repeat':
        requests.push(target);
        break;
    }
  }
  // Holds are placed at NOW inside the batch; the batch runs at NOW + elapsed, so some are already due.
  return { state: makeState(pool), requests, now: new Date(NOW.getTime() + input.elapsedSeconds * 1000) };
}

/** Runs the batch and returns its plan with every account's final position. */
function runScenario(s: Scenario): { plan: BatchPlan; final: Map<string, AccountPosition> } {
  const plan = decideBatch(s.requests, s.state, s.now);
  return { plan, final: finalAccounts(s.state, plan) };
}

describe('applyBatch: properties', () => {
  it('conserves value: posted balances sum to zero and pending debits equal pending credits', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const s = buildScenario(input);
        const { plan, final } = runScenario(s);
        let balanceSum = 0n;
        let pendingDebits = 0n;
        let pendingCredits = 0n;
        for (const a of final.values()) {
          balanceSum += a.creditsPosted - a.debitsPosted;
          pendingDebits += a.debitsPending;
          pendingCredits += a.creditsPending;
          expect(a.debitsPending >= 0n && a.creditsPending >= 0n).toBe(true);
        }
        expect(balanceSum).toBe(0n);
        expect(pendingDebits).toBe(pendingCredits);
        for (const tx of plan.transactions) {
          const debits = tx.entries.filter((e) => e.side === 'DEBIT').reduce((sum, e) => sum + e.amount, 0n);
          const credits = tx.entries.filter((e) => e.side === 'CREDIT').reduce((sum, e) => sum + e.amount, 0n);
          expect(debits).toBe(credits);
        }
        // A second batch resolving every open hold leaves nothing pending and still sums to zero.
        // (Holds with a timeout are expired, the others voided, well after every timeout.)
        const after = nextState(s.state, plan);
        const resolve = plan.holdsOpened.map((h) =>
          h.expiresAt === null
            ? voidHoldReq(h.transactionId)
            : expireHoldReq(h.transactionId, expiryTransactionId(h.transactionId)),
        );
        const second = decideBatch(resolve, after, new Date(s.now.getTime() + 1_000_000));
        const settled = finalAccounts(after, second);
        const stillOpen = second.results.filter((r) => r.status === 'APPLIED').length;
        const openBefore =
          plan.holdsOpened.length -
          plan.holdsClosed.filter((id) => plan.holdsOpened.some((h) => h.transactionId === id)).length;
        expect(stillOpen).toBe(openBefore);
        for (const a of settled.values()) {
          expect(a.debitsPending).toBe(0n);
          expect(a.creditsPending).toBe(0n);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps every account within its credit and upper limits (start states within limits)', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const s = buildScenario(input);
        const { final } = runScenario(s);
        for (const a of final.values()) {
          expect(availableBalanceOf(a) >= -a.creditLimit).toBe(true);
          if (a.upperLimit !== null) expect(balanceOf(a) + a.creditsPending <= a.upperLimit).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never lets an account that starts past a limit move further past it', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: POOL_SIZE, maxLength: POOL_SIZE }),
        (input, over) => {
          const s = buildScenario(input);
          // Start every pool account below its credit limit by `over` (a limit lowered after the fact),
          // balanced by one big outside account so that value is still conserved.
          const accounts = [...s.state.accounts.values()].map((a, i) => ({
            ...a,
            upperLimit: null,
            debitsPosted: a.creditLimit + BigInt(over[i] ?? 0),
          }));
          const outside = account({ creditsPosted: accounts.reduce((sum, a) => sum + a.debitsPosted, 0n) });
          const state = makeState([...accounts, outside]);
          const plan = decideBatch(s.requests, state, s.now);
          for (const a of finalAccounts(state, plan).values()) {
            const before = state.accounts.get(a.id);
            if (before === undefined) throw new Error('unknown account');
            const startAvailable = availableBalanceOf(before);
            const floor = startAvailable < -before.creditLimit ? startAvailable : -a.creditLimit;
            expect(availableBalanceOf(a) >= floor).toBe(true);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('is deterministic: the same input gives a deep-equal plan', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const s = buildScenario(input);
        expect(decideBatch(s.requests, s.state, s.now)).toEqual(decideBatch(s.requests, s.state, s.now));
      }),
      { numRuns: 100 },
    );
  });

  it('advances versions by exactly one per entry, with consecutive accountVersion per account', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const s = buildScenario(input);
        const { plan, final } = runScenario(s);
        const expectedNext = new Map<string, bigint>();
        for (const [id, a] of s.state.accounts) expectedNext.set(id, a.version + 1n);
        for (const tx of plan.transactions) {
          for (const e of tx.entries) {
            expect(e.accountVersion).toBe(expectedNext.get(e.accountId));
            expectedNext.set(e.accountId, e.accountVersion + 1n);
          }
        }
        for (const [id, a] of final) expect(a.version + 1n).toBe(expectedNext.get(id));
        // plan.accounts lists exactly the accounts with entries, each once.
        const touched = new Set(plan.transactions.flatMap((tx) => tx.entries.map((e) => e.accountId)));
        expect(new Set(plan.accounts.map((a) => a.id))).toEqual(touched);
        expect(plan.accounts).toHaveLength(touched.size);
      }),
      { numRuns: 200 },
    );
  });

  it('gives one outcome per id: plan.transactions are the APPLIED results in order, outcomes are unique', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const s = buildScenario(input);
        const { plan } = runScenario(s);
        expect(plan.results).toHaveLength(s.requests.length);
        const appliedTxs = plan.results.flatMap((r) => (r.status === 'APPLIED' ? [r.transaction] : []));
        expect(plan.transactions).toEqual(appliedTxs);
        const ids = plan.outcomes.map((o) => o.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const [i, r] of plan.results.entries()) {
          const request = s.requests[i];
          if (request === undefined) throw new Error('missing request');
          const firstIndex = s.requests.findIndex((q) => q.id === request.id);
          if (r.status === 'REPLAYED') expect(plan.results[firstIndex]?.status).toBe('APPLIED');
          if (r.status === 'REFUSED' && r.replayed) {
            expect(firstIndex).toBeLessThan(i);
            expect(plan.results[firstIndex]).toEqual({ ...r, replayed: false });
          }
          if (r.status === 'REFUSED' && request.type === 'EXPIRE_HOLD' && !r.replayed) {
            expect(plan.outcomes.some((o) => o.id === request.id)).toBe(false);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
