/**
 * Goal: reverseTransaction corrects a posted transaction with a new REVERSAL that moves the same amounts back,
 * once; it refuses holds, unknown ids and reversals the accounts can no longer afford, changing nothing; its
 * id is an idempotency key. Method: the real service over HTTP on its own PostgreSQL database; refusals are
 * proven harmless with app.snapshot(); after every test the books-balance check runs.
 */
import { randomUUID } from 'node:crypto';
import { without, type DatabaseSnapshot } from '../../support/databases.js';
import type { TestApp } from '../setup/test-app.js';
import { CWC, useTestApp } from '../setup/use-test-app.js';
import {
  PLACE_HOLD,
  POST_HOLD,
  POST_TRANSACTION,
  REVERSE_TRANSACTION,
  TRANSACTION_FIELDS,
  account,
  transfer,
} from './ledger-fixtures.js';

const TRANSACTION = `query($id: ID!) { transaction(id: $id) { ${TRANSACTION_FIELDS} } }`;

/** Everything but the count of recorded outcomes (a refusal is recorded against its id) is unchanged. */
function expectUnchangedButOutcomes(before: DatabaseSnapshot, after: DatabaseSnapshot): void {
  expect(without(after, 'transaction_outcome')).toEqual(without(before, 'transaction_outcome'));
}

describe('reverseTransaction', () => {
  let app: TestApp;
  let alice: string;
  let bob: string;
  let carol: string;

  useTestApp(
    {
      units: [CWC],
      accounts: { alice: { creditLimit: '1000' }, bob: {}, carol: {} },
    },
    (fixture) =>
      ({
        app,
        accounts: { alice, bob, carol },
      } = fixture),
  );

  async function post(input: Record<string, unknown>): Promise<{ id: string }> {
    return (await app.ok(POST_TRANSACTION, { input })).postTransaction.transaction;
  }

  it('creates a REVERSAL with the sides swapped and restores the balances', async () => {
    const original = await post(transfer(alice, bob, '250', { kind: 'TRADE', memo: 'bread' }));
    const reversalId = randomUUID();
    const data = await app.ok(REVERSE_TRANSACTION, {
      input: {
        id: reversalId,
        transactionId: original.id,
        memo: 'wrong order',
        metadata: [{ key: 'ticket', value: 'T-1' }],
      },
    });
    expect(data.reverseTransaction.replayed).toBe(false);
    expect(data.reverseTransaction.transaction).toMatchObject({
      id: reversalId,
      operation: 'REVERSAL',
      status: 'POSTED',
      kind: 'TRADE',
      memo: 'wrong order',
      metadata: [{ key: 'ticket', value: 'T-1' }],
      referencesId: original.id,
      referencedById: null,
    });
    expect(data.reverseTransaction.transaction.entries).toEqual([
      expect.objectContaining({ accountId: alice, side: 'CREDIT', amount: '250', pending: false, balanceAfter: '0' }),
      expect.objectContaining({ accountId: bob, side: 'DEBIT', amount: '250', pending: false, balanceAfter: '0' }),
    ]);
    const reread = (await app.ok(TRANSACTION, { id: original.id })).transaction;
    expect(reread).toMatchObject({ referencedById: reversalId, status: 'POSTED', operation: 'TRANSFER' });
    expect(await account(app, alice)).toMatchObject({
      balance: '0',
      debitsPosted: '250',
      creditsPosted: '250',
      version: '3',
    });
    expect(await account(app, bob)).toMatchObject({
      balance: '0',
      debitsPosted: '250',
      creditsPosted: '250',
      version: '3',
    });
  });

  it('refuses to reverse twice with ALREADY_REVERSED and changes nothing', async () => {
    const original = await post(transfer(alice, bob, '100'));
    const firstId = randomUUID();
    await app.ok(REVERSE_TRANSACTION, { input: { id: firstId, transactionId: original.id } });
    const before = await app.snapshot();
    const response = await app.graphql(REVERSE_TRANSACTION, {
      input: { id: randomUUID(), transactionId: original.id },
    });
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'ALREADY_REVERSED', transactionId: original.id, reversedBy: firstId },
    });
    expectUnchangedButOutcomes(before, await app.snapshot());
  });

  it('refuses to reverse a hold with NOT_REVERSIBLE and changes nothing', async () => {
    const hold = (await app.ok(PLACE_HOLD, { input: transfer(alice, bob, '100') })).placeHold.transaction;
    const before = await app.snapshot();
    const response = await app.graphql(REVERSE_TRANSACTION, { input: { id: randomUUID(), transactionId: hold.id } });
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { reason: 'NOT_REVERSIBLE', transactionId: hold.id, operation: 'HOLD' },
    });
    expectUnchangedButOutcomes(before, await app.snapshot());
  });

  it('reverses the posting of a hold (a POST_HOLD is a posted transaction)', async () => {
    const hold = (await app.ok(PLACE_HOLD, { input: transfer(alice, bob, '100') })).placeHold.transaction;
    const posting = (await app.ok(POST_HOLD, { input: { id: randomUUID(), holdId: hold.id } })).postHold.transaction;
    await app.ok(REVERSE_TRANSACTION, { input: { id: randomUUID(), transactionId: posting.id } });
    expect((await account(app, alice)).balance).toBe('0');
    expect((await account(app, bob)).balance).toBe('0');
  });

  it('answers an unknown id with NOT_FOUND TRANSACTION_NOT_FOUND and changes nothing', async () => {
    await post(transfer(alice, bob, '100'));
    const unknown = randomUUID();
    const before = await app.snapshot();
    const response = await app.graphql(REVERSE_TRANSACTION, { input: { id: randomUUID(), transactionId: unknown } });
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      details: { reason: 'TRANSACTION_NOT_FOUND', transactionId: unknown },
    });
    expectUnchangedButOutcomes(before, await app.snapshot());
  });

  it('refuses with INSUFFICIENT_FUNDS when the recipient has since spent the money', async () => {
    const original = await post(transfer(alice, bob, '100'));
    await post(transfer(bob, carol, '80'));
    const before = await app.snapshot();
    const response = await app.graphql(REVERSE_TRANSACTION, {
      input: { id: randomUUID(), transactionId: original.id },
    });
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
      details: { reason: 'CREDIT_LIMIT_EXCEEDED', accountId: bob },
    });
    expectUnchangedButOutcomes(before, await app.snapshot());
    expect(await account(app, bob)).toMatchObject({ balance: '20', creditLimit: '0' });
    expect((await app.ok(TRANSACTION, { id: original.id })).transaction.referencedById).toBeNull();
  });

  it('replays the same reversal id with replayed=true and moves nothing more', async () => {
    const original = await post(transfer(alice, bob, '100'));
    const input = { id: randomUUID(), transactionId: original.id, memo: 'undo' };
    const first = await app.ok(REVERSE_TRANSACTION, { input });
    const before = await app.snapshot();
    const again = await app.ok(REVERSE_TRANSACTION, { input });
    expect(again.reverseTransaction.replayed).toBe(true);
    expect(again.reverseTransaction.transaction).toEqual(first.reverseTransaction.transaction);
    expect(await app.snapshot()).toEqual(before);
    const conflicting = await app.graphql(REVERSE_TRANSACTION, { input: { ...input, memo: 'other' } });
    expect(conflicting.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'EXISTS_WITH_DIFFERENT_CONTENT' },
    });
    expect((await account(app, bob)).balance).toBe('0');
  });
});
