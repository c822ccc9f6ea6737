/**
 * Goal: a hold sets value aside (pending) and counts against the credit limit; it is resolved exactly once —
 * posted in full or in part, voided, or expired by the ledger — and a second resolution of any kind is a
 * CONFLICT that changes nothing; resolutions are idempotent by their own id. Method: the real service over
 * HTTP on its own PostgreSQL database; the expiry sweep is called directly through LedgerService, and once
 * through the scheduler of an app started with a short SCHEDULER_TICK_MS; after every test the
 * books-balance check runs.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { LedgerService } from '../../../src/ledger/ledger.service.js';
import { without, type DatabaseSnapshot } from '../../support/databases.js';
import { TestApp } from '../setup/test-app.js';
import { CWC, useTestApp } from '../setup/use-test-app.js';
import {
  PLACE_HOLD,
  POST_HOLD,
  POST_TRANSACTION,
  TRANSACTION_FIELDS,
  VOID_HOLD,
  account,
  createUnit,
  openAccount,
  transfer,
} from './ledger-fixtures.js';

const TRANSACTION = `query($id: ID!) { transaction(id: $id) { ${TRANSACTION_FIELDS} } }`;

interface TransactionView {
  id: string;
  operation: string;
  status: string;
  referencesId: string | null;
  referencedById: string | null;
  expiresAt: string | null;
  entries: { accountId: string; side: string; amount: string; pending: boolean; balanceAfter: string }[];
}

/** Everything but the count of recorded outcomes (a refusal is recorded against its id) is unchanged. */
function expectUnchangedButOutcomes(before: DatabaseSnapshot, after: DatabaseSnapshot): void {
  expect(without(after, 'transaction_outcome')).toEqual(without(before, 'transaction_outcome'));
}

async function transactionById(app: TestApp, id: string): Promise<TransactionView> {
  return (await app.ok<{ transaction: TransactionView }>(TRANSACTION, { id })).transaction;
}

async function placeHold(app: TestApp, input: Record<string, unknown>): Promise<TransactionView> {
  return (await app.ok<{ placeHold: { transaction: TransactionView } }>(PLACE_HOLD, { input })).placeHold.transaction;
}

describe('holds', () => {
  let app: TestApp;
  let alice: string;
  let bob: string;

  useTestApp(
    {
      units: [CWC],
      accounts: { alice: { creditLimit: '1000' }, bob: {} },
    },
    (fixture) =>
      ({
        app,
        accounts: { alice, bob },
      } = fixture),
  );

  it('places a hold: pending amounts move, posted balances do not, status PENDING', async () => {
    const hold = await placeHold(app, transfer(alice, bob, '100'));
    expect(hold).toMatchObject({ operation: 'HOLD', status: 'PENDING', referencedById: null, expiresAt: null });
    expect(hold.entries.every((entry) => entry.pending)).toBe(true);
    expect(await account(app, alice)).toMatchObject({
      balance: '0',
      debitsPending: '100',
      creditsPending: '0',
      availableBalance: '-100',
      debitCapacity: '900',
      version: '2',
    });
    expect(await account(app, bob)).toMatchObject({
      balance: '0',
      debitsPending: '0',
      creditsPending: '100',
      availableBalance: '0',
      version: '2',
    });
  });

  it('posts a hold in full: the hold becomes POSTED and points at the posting transaction', async () => {
    const hold = await placeHold(app, transfer(alice, bob, '100'));
    const postId = randomUUID();
    const data = await app.ok(POST_HOLD, { input: { id: postId, holdId: hold.id } });
    expect(data.postHold.replayed).toBe(false);
    expect(data.postHold.transaction).toMatchObject({
      id: postId,
      operation: 'POST_HOLD',
      status: 'POSTED',
      referencesId: hold.id,
    });
    expect(data.postHold.transaction.entries).toEqual([
      expect.objectContaining({ accountId: alice, side: 'DEBIT', amount: '100', pending: false, balanceAfter: '-100' }),
      expect.objectContaining({ accountId: bob, side: 'CREDIT', amount: '100', pending: false, balanceAfter: '100' }),
    ]);
    expect(await transactionById(app, hold.id)).toMatchObject({ status: 'POSTED', referencedById: postId });
    expect(await account(app, alice)).toMatchObject({ balance: '-100', debitsPending: '0', availableBalance: '-100' });
    expect(await account(app, bob)).toMatchObject({ balance: '100', creditsPending: '0' });
  });

  it('posts a two-entry hold in part: only that amount moves and the whole hold is released', async () => {
    const hold = await placeHold(app, transfer(alice, bob, '100'));
    const data = await app.ok(POST_HOLD, { input: { id: randomUUID(), holdId: hold.id, amount: '60' } });
    expect(data.postHold.transaction.entries.map((entry: { amount: string }) => entry.amount)).toEqual(['60', '60']);
    expect(await account(app, alice)).toMatchObject({
      balance: '-60',
      debitsPosted: '60',
      debitsPending: '0',
      availableBalance: '-60',
      debitCapacity: '940',
    });
    expect(await account(app, bob)).toMatchObject({ balance: '60', creditsPosted: '60', creditsPending: '0' });
    expect((await transactionById(app, hold.id)).status).toBe('POSTED');
  });

  it('refuses to post more than the hold holds with AMOUNT_EXCEEDS_HOLD and changes nothing', async () => {
    const hold = await placeHold(app, transfer(alice, bob, '100'));
    const before = await app.snapshot();
    const response = await app.graphql(POST_HOLD, { input: { id: randomUUID(), holdId: hold.id, amount: '101' } });
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { reason: 'AMOUNT_EXCEEDS_HOLD', holdId: hold.id, heldAmount: '100' },
    });
    expectUnchangedButOutcomes(before, await app.snapshot());
    expect((await transactionById(app, hold.id)).status).toBe('PENDING');
  });

  it('voids a hold: status VOIDED, nothing posted, pending released', async () => {
    const hold = await placeHold(app, transfer(alice, bob, '100'));
    const voidId = randomUUID();
    const data = await app.ok(VOID_HOLD, { input: { id: voidId, holdId: hold.id, memo: 'cancelled' } });
    expect(data.voidHold.transaction).toMatchObject({ id: voidId, operation: 'VOID_HOLD', referencesId: hold.id });
    expect(await transactionById(app, hold.id)).toMatchObject({ status: 'VOIDED', referencedById: voidId });
    for (const id of [alice, bob]) {
      expect(await account(app, id)).toMatchObject({
        balance: '0',
        debitsPosted: '0',
        creditsPosted: '0',
        debitsPending: '0',
        creditsPending: '0',
        availableBalance: '0',
      });
    }
  });

  const resolutions = {
    'post in full': (holdId: string) => ({ document: POST_HOLD, input: { id: randomUUID(), holdId } }),
    'post in part': (holdId: string) => ({ document: POST_HOLD, input: { id: randomUUID(), holdId, amount: '10' } }),
    void: (holdId: string) => ({ document: VOID_HOLD, input: { id: randomUUID(), holdId } }),
  };
  const pairs = Object.keys(resolutions).flatMap((first) => Object.keys(resolutions).map((second) => [first, second]));

  it.each(pairs)(
    'after a hold is resolved (%s), a second resolution (%s) is HOLD_ALREADY_RESOLVED',
    async (first, second) => {
      const hold = await placeHold(app, transfer(alice, bob, '100'));
      const firstRequest = resolutions[first as keyof typeof resolutions](hold.id);
      await app.ok(firstRequest.document, { input: firstRequest.input });
      const resolvedBy = firstRequest.input.id;
      const before = await app.snapshot();
      const secondRequest = resolutions[second as keyof typeof resolutions](hold.id);
      const response = await app.graphql(secondRequest.document, { input: secondRequest.input });
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'CONFLICT',
        details: { reason: 'HOLD_ALREADY_RESOLVED', holdId: hold.id, resolvedBy },
      });
      expectUnchangedButOutcomes(before, await app.snapshot());
      expect((await transactionById(app, hold.id)).referencedById).toBe(resolvedBy);
    },
  );

  it('replays postHold with the same id and content', async () => {
    const hold = await placeHold(app, transfer(alice, bob, '100'));
    const input = { id: randomUUID(), holdId: hold.id, amount: '40' };
    const first = await app.ok(POST_HOLD, { input });
    const before = await app.snapshot();
    const again = await app.ok(POST_HOLD, { input });
    expect(again.postHold.replayed).toBe(true);
    expect(again.postHold.transaction).toEqual(first.postHold.transaction);
    expect(await app.snapshot()).toEqual(before);
    expect((await account(app, bob)).balance).toBe('40');
  });

  it('refuses a resolution after the timeout with HOLD_EXPIRED; the sweep then expires the hold', async () => {
    const hold = await placeHold(app, { ...transfer(alice, bob, '100'), timeoutSeconds: 1 });
    expect(hold.expiresAt).not.toBeNull();
    await sleep(1200);
    const before = await app.snapshot();
    const response = await app.graphql(POST_HOLD, { input: { id: randomUUID(), holdId: hold.id } });
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'HOLD_EXPIRED', holdId: hold.id },
    });
    const voided = await app.graphql(VOID_HOLD, { input: { id: randomUUID(), holdId: hold.id } });
    expect(voided.errors?.[0]?.extensions.details.reason).toBe('HOLD_EXPIRED');
    expectUnchangedButOutcomes(before, await app.snapshot());

    expect(await app.app.get(LedgerService).expireDueHolds()).toBe(1);
    const expired = await transactionById(app, hold.id);
    expect(expired.status).toBe('EXPIRED');
    expect(expired.referencedById).not.toBeNull();
    expect((await transactionById(app, expired.referencedById!)).operation).toBe('EXPIRE_HOLD');
    expect(await account(app, alice)).toMatchObject({ balance: '0', debitsPending: '0', availableBalance: '0' });
    expect(await account(app, bob)).toMatchObject({ balance: '0', creditsPending: '0' });
    // Nothing is left to expire.
    expect(await app.app.get(LedgerService).expireDueHolds()).toBe(0);
  });

  it('leaves holds that are not yet due, or have no timeout, to the sweep', async () => {
    const later = await placeHold(app, { ...transfer(alice, bob, '100'), timeoutSeconds: 3600 });
    const never = await placeHold(app, transfer(alice, bob, '50'));
    expect(await app.app.get(LedgerService).expireDueHolds()).toBe(0);
    expect((await transactionById(app, later.id)).status).toBe('PENDING');
    expect((await transactionById(app, never.id)).status).toBe('PENDING');
    expect((await account(app, alice)).debitsPending).toBe('150');
  });

  it('counts a hold against the credit limit', async () => {
    await placeHold(app, transfer(alice, bob, '1000'));
    expect(await account(app, alice)).toMatchObject({ balance: '0', debitCapacity: '0' });
    const before = await app.snapshot();
    const response = await app.graphql(POST_TRANSACTION, { input: transfer(alice, bob, '1') });
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
      details: { reason: 'CREDIT_LIMIT_EXCEEDED', accountId: alice },
    });
    const another = await app.graphql(PLACE_HOLD, { input: transfer(alice, bob, '1') });
    expect(another.errors?.[0]?.extensions.details.reason).toBe('CREDIT_LIMIT_EXCEEDED');
    expectUnchangedButOutcomes(before, await app.snapshot());
  });

  it('resolves a hold exactly once under 20 concurrent postHold/voidHold requests', async () => {
    const hold = await placeHold(app, transfer(alice, bob, '100'));
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        index % 2 === 0
          ? app.graphql(POST_HOLD, { input: { id: randomUUID(), holdId: hold.id } })
          : app.graphql(VOID_HOLD, { input: { id: randomUUID(), holdId: hold.id } }),
      ),
    );
    const succeeded = responses.filter((response) => response.errors === undefined);
    const refused = responses.filter(
      (response) => response.errors?.[0]?.extensions.details.reason === 'HOLD_ALREADY_RESOLVED',
    );
    expect(succeeded).toHaveLength(1);
    expect(refused).toHaveLength(19);
    const winner = succeeded[0]!.data as Record<string, { transaction: TransactionView }>;
    const resolution = (winner['postHold'] ?? winner['voidHold'])!.transaction;
    const resolved = await transactionById(app, hold.id);
    expect(resolved.referencedById).toBe(resolution.id);
    const posted = resolution.operation === 'POST_HOLD';
    expect(resolved.status).toBe(posted ? 'POSTED' : 'VOIDED');
    expect(await account(app, alice)).toMatchObject({
      balance: posted ? '-100' : '0',
      debitsPending: '0',
      version: '3',
    });
    expect(await account(app, bob)).toMatchObject({ balance: posted ? '100' : '0', creditsPending: '0', version: '3' });
  });
});

describe('hold expiry scheduler', () => {
  it('expires a due hold by itself, at the second it falls due, when the scheduler ticks', async () => {
    const app = await TestApp.start({ SCHEDULER_TICK_MS: '200', CLOCK: 'system' });
    try {
      await createUnit(app);
      const alice = await openAccount(app, { creditLimit: '1000' });
      const bob = await openAccount(app);
      const hold = await placeHold(app, { ...transfer(alice, bob, '100'), timeoutSeconds: 1 });
      let status = hold.status;
      for (const deadline = Date.now() + 20_000; status !== 'EXPIRED' && Date.now() < deadline;) {
        await sleep(100);
        status = (await transactionById(app, hold.id)).status;
      }
      expect(status).toBe('EXPIRED');
      expect(await account(app, alice)).toMatchObject({ balance: '0', debitsPending: '0' });
      expect(await account(app, bob)).toMatchObject({ balance: '0', creditsPending: '0' });
      await app.assertBooksBalance();
    } finally {
      await app.close();
    }
  });
});
