/**
 * Goal: postTransaction moves value exactly and atomically, refuses bad input with a typed error that
 * changes nothing, and treats its id as an idempotency key. Method: the real service over HTTP on its own
 * PostgreSQL database; after every test the books-balance check runs.
 */
import { randomUUID } from 'node:crypto';
import { without } from '../../support/databases.js';
import type { TestApp } from '../setup/test-app.js';
import { CWC, useTestApp } from '../setup/use-test-app.js';
import { POST_TRANSACTION, account, transfer } from './ledger-fixtures.js';

describe('postTransaction', () => {
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

  it('posts a balanced transaction and updates both accounts', async () => {
    const data = await app.ok(POST_TRANSACTION, {
      input: transfer(alice, bob, '250', { memo: 'bread', kind: 'TRADE' }),
    });
    expect(data.postTransaction.replayed).toBe(false);
    expect(data.postTransaction.transaction).toMatchObject({
      status: 'POSTED',
      operation: 'TRANSFER',
      kind: 'TRADE',
      memo: 'bread',
    });
    expect(await account(app, alice)).toMatchObject({
      balance: '-250',
      availableBalance: '-250',
      debitCapacity: '750',
      version: '2',
    });
    expect(await account(app, bob)).toMatchObject({ balance: '250', version: '2' });
  });

  it('refuses a debit past the credit limit with INSUFFICIENT_FUNDS and changes nothing', async () => {
    const before = await app.snapshot();
    const response = await app.graphql(POST_TRANSACTION, { input: transfer(alice, bob, '1001') });
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
      details: { reason: 'CREDIT_LIMIT_EXCEEDED', accountId: alice },
    });
    // The refusal is recorded against the id (so a retry cannot become a surprise payment), nothing else.
    expect(without(await app.snapshot(), 'transaction_outcome')).toEqual(without(before, 'transaction_outcome'));
  });

  it('replays the same id with the same content, and refuses it with other content', async () => {
    const input = transfer(alice, bob, '100');
    const first = await app.ok(POST_TRANSACTION, { input });
    const again = await app.ok(POST_TRANSACTION, { input });
    expect(again.postTransaction.replayed).toBe(true);
    expect(again.postTransaction.transaction.sequence).toBe(first.postTransaction.transaction.sequence);
    const conflicting = await app.graphql(POST_TRANSACTION, { input: { ...input, memo: 'other' } });
    expect(conflicting.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'EXISTS_WITH_DIFFERENT_CONTENT' },
    });
    expect((await account(app, bob)).balance).toBe('100');
  });

  it('keeps a refused id refused even after the state would allow it', async () => {
    const input = transfer(bob, alice, '50');
    const refused = await app.graphql(POST_TRANSACTION, { input });
    expect(refused.errors?.[0]?.extensions.details.reason).toBe('CREDIT_LIMIT_EXCEEDED');
    await app.ok(POST_TRANSACTION, { input: transfer(alice, bob, '500') });
    const retried = await app.graphql(POST_TRANSACTION, { input });
    expect(retried.errors?.[0]?.extensions).toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
      details: { reason: 'CREDIT_LIMIT_EXCEEDED', replayed: true },
    });
    const other = await app.graphql(POST_TRANSACTION, { input: { ...input, memo: 'changed' } });
    expect(other.errors?.[0]?.extensions.details.reason).toBe('ID_ALREADY_FAILED');
    expect((await account(app, bob)).balance).toBe('500');
  });

  it('never overdraws under 50 concurrent debits racing against one credit limit', async () => {
    const requests = Array.from({ length: 50 }, () =>
      app.graphql(POST_TRANSACTION, { input: transfer(alice, bob, '30') }),
    );
    const responses = await Promise.all(requests);
    const posted = responses.filter((response) => response.errors === undefined).length;
    const refused = responses.filter(
      (response) => response.errors?.[0]?.extensions.details.reason === 'CREDIT_LIMIT_EXCEEDED',
    );
    expect(posted).toBe(33);
    expect(refused).toHaveLength(17);
    expect(await account(app, alice)).toMatchObject({ balance: String(-30 * 33), version: String(1 + 33) });
  });

  it('does not deadlock on concurrent transfers in both directions', async () => {
    await app.ok(POST_TRANSACTION, { input: transfer(alice, bob, '500') });
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        app.graphql(POST_TRANSACTION, {
          input: index % 2 === 0 ? transfer(alice, bob, '1') : transfer(bob, alice, '1'),
        }),
      ),
    );
    expect(responses.every((response) => response.errors === undefined)).toBe(true);
    expect((await account(app, bob)).balance).toBe('500');
  });

  it('answers an unknown id with NOT_FOUND', async () => {
    const response = await app.graphql(POST_TRANSACTION, { input: transfer(alice, randomUUID(), '1') });
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      details: { reason: 'ACCOUNT_NOT_FOUND' },
    });
  });
});
