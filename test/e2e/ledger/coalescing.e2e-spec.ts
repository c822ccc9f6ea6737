/**
 * Goal: concurrent single mutations travel together in batches, and each caller still gets exactly its own
 * answer: refusals (funds, rights) stay with their own request, duplicates of one id apply once.
 * Method: bursts of concurrent postTransaction calls over HTTP against one service; the coalescer's counters
 * show that batches formed; the books-balance check runs after every test.
 */
import { randomUUID } from 'node:crypto';
import { LedgerService } from '../../../src/ledger/ledger.service.js';
import type { TestApp } from '../setup/test-app.js';
import { CWC, useTestApp } from '../setup/use-test-app.js';
import { POST_TRANSACTION, account, transfer } from './ledger-fixtures.js';

describe('coalescing of concurrent mutations', () => {
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

  it('answers each of 100 concurrent debits on its own: 33 fit the credit line, 67 are refused', async () => {
    const before = app.app.get(LedgerService).coalescingStats();
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => app.graphql(POST_TRANSACTION, { input: transfer(alice, bob, '30') })),
    );
    const applied = responses.filter((response) => response.errors === undefined);
    const refused = responses.filter((response) => response.errors !== undefined);
    expect(applied).toHaveLength(33);
    expect(refused.map((response) => response.errors?.[0]?.extensions.details.reason)).toEqual(
      refused.map(() => 'CREDIT_LIMIT_EXCEEDED'),
    );
    expect((await account(app, alice)).balance).toBe('-990');
    const after = app.app.get(LedgerService).coalescingStats();
    expect(after.requests - before.requests).toBe(100);
    expect(after.batches - before.batches).toBeLessThan(100);
  });

  it('refuses a stranger’s request in a burst without failing its neighbours', async () => {
    const stranger = await app.register(`stranger-${randomUUID()}@test.example`);
    const burst = Array.from({ length: 20 }, (_, index) =>
      index === 7
        ? app.graphql(POST_TRANSACTION, { input: transfer(alice, bob, '5') }, { token: stranger })
        : app.graphql(POST_TRANSACTION, { input: transfer(alice, bob, '5') }),
    );
    const responses = await Promise.all(burst);
    responses.forEach((response, index) => {
      if (index === 7) expect(response.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
      else expect(response.errors).toBeUndefined();
    });
    expect((await account(app, bob)).balance).toBe('95');
  });

  it('applies one id once when it arrives many times at the same moment', async () => {
    const input = transfer(alice, bob, '40');
    const responses = await Promise.all(Array.from({ length: 12 }, () => app.ok(POST_TRANSACTION, { input })));
    const ids = new Set(responses.map((data) => data.postTransaction.transaction.id as string));
    expect(ids).toEqual(new Set([input.id]));
    expect(responses.filter((data) => data.postTransaction.replayed === false)).toHaveLength(1);
    expect((await account(app, bob)).balance).toBe('40');
  });
});
