/**
 * Goal: the ledger's read side tells the truth: an account's history (newest first, balance after each
 * entry, pending entries marked, cursor pages that cover everything once, recorded-time filters), the balance
 * at a past time on the recorded and the effective basis, the trial balance per unit, account listing with
 * pages, and a transaction with its entries, their accounts and the transactions it references; page sizes
 * and cursors are validated. Method: the real service over HTTP on its own PostgreSQL database; times come
 * from the recordedAt of the transactions the API returned; after every test the books-balance check runs.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestApp } from '../setup/test-app.js';
import { CWC, useTestApp } from '../setup/use-test-app.js';
import {
  PLACE_HOLD,
  POST_HOLD,
  POST_TRANSACTION,
  REVERSE_TRANSACTION,
  VOID_HOLD,
  createOrganization,
  createUnit,
  openAccount,
  transfer,
} from './ledger-fixtures.js';

const HISTORY = `query($accountId: ID!, $first: Int, $after: String, $from: DateTime, $to: DateTime) {
  accountHistory(accountId: $accountId, first: $first, after: $after, from: $from, to: $to) {
    edges { cursor node { transactionId sequence operation kind memo side amount pending accountVersion balanceAfter
      effectiveAt recordedAt } }
    pageInfo { hasNextPage endCursor } } }`;

const BALANCE_AS_OF = `query($accountId: ID!, $at: DateTime!, $basis: BalanceBasis) {
  balanceAsOf(accountId: $accountId, at: $at, basis: $basis) { accountId at basis balance } }`;

const TRIAL_BALANCE = `query($unitCodes: [String!]) { trialBalance(unitCodes: $unitCodes) {
  unitCode accountCount debitsPosted creditsPosted debitsPending creditsPending sumOfBalances balanced } }`;

const ACCOUNTS = `query($holderId: ID, $unitCode: String, $first: Int, $after: String) {
  accounts(holderId: $holderId, unitCode: $unitCode, first: $first, after: $after) {
    edges { cursor node { id holderId unitCode } } pageInfo { hasNextPage endCursor } } }`;

interface HistoryNode {
  transactionId: string;
  operation: string;
  side: string;
  amount: string;
  pending: boolean;
  accountVersion: string;
  balanceAfter: string;
  recordedAt: string;
}
interface HistoryPage {
  accountHistory: {
    edges: { cursor: string; node: HistoryNode }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}
interface PostedTransaction {
  id: string;
  recordedAt: string;
  effectiveAt: string;
}

describe('ledger queries', () => {
  let app: TestApp;
  let alice: string;
  let bob: string;
  /** Cooperatives the steward runs: one holds the paged accounts, the other holds none. */
  let pagesCoop: string;
  let emptyCoop: string;

  useTestApp(
    {
      once: async (started) => {
        pagesCoop = await createOrganization(started, 'pages-coop');
        emptyCoop = await createOrganization(started, 'empty-coop');
      },
      units: [CWC],
      accounts: { alice: { creditLimit: '1000' }, bob: {} },
    },
    (fixture) =>
      ({
        app,
        accounts: { alice, bob },
      } = fixture),
  );

  async function post(input: Record<string, unknown>): Promise<PostedTransaction> {
    return (await app.ok(POST_TRANSACTION, { input })).postTransaction.transaction as PostedTransaction;
  }

  /** Posts one after another, a little apart, so that each has its own recorded time. */
  async function postApart(inputs: Record<string, unknown>[]): Promise<PostedTransaction[]> {
    const posted: PostedTransaction[] = [];
    for (const input of inputs) {
      if (posted.length > 0) await sleep(20);
      posted.push(await post(input));
    }
    return posted;
  }

  async function history(variables: Record<string, unknown>): Promise<HistoryPage['accountHistory']> {
    return (await app.ok<HistoryPage>(HISTORY, variables)).accountHistory;
  }

  describe('accountHistory', () => {
    it('lists entries newest first, each with the balance it left', async () => {
      const [t1, t2, t3] = await postApart([
        transfer(alice, bob, '100'),
        transfer(bob, alice, '30'),
        transfer(alice, bob, '50'),
      ]);
      const page = await history({ accountId: bob });
      expect(page.pageInfo).toEqual({ hasNextPage: false, endCursor: page.edges.at(-1)?.cursor });
      expect(page.edges.map((edge) => edge.node)).toEqual([
        expect.objectContaining({
          transactionId: t3!.id,
          operation: 'TRANSFER',
          side: 'CREDIT',
          amount: '50',
          accountVersion: '4',
          balanceAfter: '120',
          pending: false,
        }),
        expect.objectContaining({
          transactionId: t2!.id,
          operation: 'TRANSFER',
          side: 'DEBIT',
          amount: '30',
          accountVersion: '3',
          balanceAfter: '70',
          pending: false,
        }),
        expect.objectContaining({
          transactionId: t1!.id,
          operation: 'TRANSFER',
          side: 'CREDIT',
          amount: '100',
          accountVersion: '2',
          balanceAfter: '100',
          pending: false,
        }),
      ]);
      expect(page.edges[0]?.node.recordedAt).toBe(t3!.recordedAt);
      const aliceHistory = await history({ accountId: alice });
      expect(aliceHistory.edges.map((edge) => edge.node.balanceAfter)).toEqual(['-120', '-70', '-100']);
    });

    it('pages with first/after through every entry exactly once', async () => {
      const posted: string[] = [];
      for (let index = 1; index <= 5; index += 1) posted.push((await post(transfer(alice, bob, String(index)))).id);
      const seen: string[] = [];
      const hasNext: boolean[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 10; pages += 1) {
        const page = await history({ accountId: bob, first: 2, after });
        seen.push(...page.edges.map((edge) => edge.node.transactionId));
        hasNext.push(page.pageInfo.hasNextPage);
        expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(hasNext).toEqual([true, true, false]);
      expect(seen).toEqual([...posted].reverse());
    });

    it('filters on recorded time: from is inclusive, to is exclusive', async () => {
      const [t1, t2, t3] = await postApart([
        transfer(alice, bob, '1'),
        transfer(alice, bob, '2'),
        transfer(alice, bob, '3'),
      ]);
      const ids = async (variables: Record<string, unknown>) =>
        (await history({ accountId: bob, ...variables })).edges.map((edge) => edge.node.transactionId);
      expect(await ids({ from: t2!.recordedAt })).toEqual([t3!.id, t2!.id]);
      expect(await ids({ to: t2!.recordedAt })).toEqual([t1!.id]);
      expect(await ids({ from: t1!.recordedAt, to: t3!.recordedAt })).toEqual([t2!.id, t1!.id]);
      expect(await ids({ from: new Date(Date.parse(t3!.recordedAt) + 1).toISOString() })).toEqual([]);
    });

    it('shows holds and their release as pending entries that leave the posted balance alone', async () => {
      await post(transfer(alice, bob, '100'));
      const hold = (await app.ok(PLACE_HOLD, { input: transfer(bob, alice, '40') })).placeHold.transaction;
      const voiding = (await app.ok(VOID_HOLD, { input: { id: randomUUID(), holdId: hold.id } })).voidHold.transaction;
      const hold2 = (await app.ok(PLACE_HOLD, { input: transfer(bob, alice, '25') })).placeHold.transaction;
      const posting = (await app.ok(POST_HOLD, { input: { id: randomUUID(), holdId: hold2.id } })).postHold.transaction;
      const page = await history({ accountId: bob });
      expect(page.edges.map((edge) => edge.node)).toEqual([
        expect.objectContaining({
          transactionId: posting.id,
          operation: 'POST_HOLD',
          pending: false,
          amount: '25',
          balanceAfter: '75',
        }),
        expect.objectContaining({
          transactionId: hold2.id,
          operation: 'HOLD',
          pending: true,
          amount: '25',
          balanceAfter: '100',
        }),
        expect.objectContaining({
          transactionId: voiding.id,
          operation: 'VOID_HOLD',
          pending: true,
          amount: '40',
          balanceAfter: '100',
        }),
        expect.objectContaining({
          transactionId: hold.id,
          operation: 'HOLD',
          pending: true,
          amount: '40',
          balanceAfter: '100',
        }),
        expect.objectContaining({ operation: 'TRANSFER', pending: false, amount: '100', balanceAfter: '100' }),
      ]);
    });

    it('refuses a garbage cursor, or a cursor from another list, with INVALID_CURSOR', async () => {
      await post(transfer(alice, bob, '1'));
      for (const after of ['garbage', 'aGlzdG9yeTp4', Buffer.from(`account:${alice}`).toString('base64url')]) {
        const response = await app.graphql(HISTORY, { accountId: bob, after });
        expect(response.errors?.[0]?.extensions).toMatchObject({
          code: 'VALIDATION_FAILED',
          details: { reason: 'INVALID_CURSOR' },
        });
      }
      const accounts = await app.graphql(ACCOUNTS, { after: 'garbage' });
      expect(accounts.errors?.[0]?.extensions).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { reason: 'INVALID_CURSOR' },
      });
    });

    it.each([0, 201, -1])('refuses first: %d with VALIDATION_FAILED', async (first) => {
      const historyResponse = await app.graphql(HISTORY, { accountId: bob, first });
      expect(historyResponse.errors?.[0]?.extensions).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { reason: 'INVALID_INPUT' },
      });
      const accountsResponse = await app.graphql(ACCOUNTS, { first });
      expect(accountsResponse.errors?.[0]?.extensions).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { reason: 'INVALID_INPUT' },
      });
    });

    it('accepts first: 200, the largest page', async () => {
      await post(transfer(alice, bob, '1'));
      expect((await history({ accountId: bob, first: 200 })).edges).toHaveLength(1);
    });
  });

  describe('balanceAsOf', () => {
    it('on the RECORDED basis gives the balance at a time between two transactions', async () => {
      const [t1, t2] = await postApart([transfer(alice, bob, '100'), transfer(alice, bob, '50')]);
      const between = new Date((Date.parse(t1!.recordedAt) + Date.parse(t2!.recordedAt)) / 2).toISOString();
      const balanceAt = async (at: string) =>
        (await app.ok(BALANCE_AS_OF, { accountId: bob, at, basis: 'RECORDED' })).balanceAsOf;
      expect(await balanceAt(between)).toMatchObject({ accountId: bob, basis: 'RECORDED', balance: '100' });
      expect((await balanceAt(t1!.recordedAt)).balance).toBe('100');
      expect((await balanceAt(new Date(Date.parse(t1!.recordedAt) - 1).toISOString())).balance).toBe('0');
      expect((await balanceAt(t2!.recordedAt)).balance).toBe('150');
      // RECORDED is the default basis.
      expect((await app.ok(BALANCE_AS_OF, { accountId: alice, at: between })).balanceAsOf).toMatchObject({
        basis: 'RECORDED',
        balance: '-100',
      });
    });

    it('on the EFFECTIVE basis counts a backdated transaction at its effective time', async () => {
      const backdated = await post(transfer(alice, bob, '70', { effectiveAt: '2020-06-01T00:00:00.000Z' }));
      expect(backdated.effectiveAt).toBe('2020-06-01T00:00:00.000Z');
      await sleep(20);
      await post(transfer(alice, bob, '5'));
      const balanceAt = async (at: string, basis: string) =>
        (await app.ok(BALANCE_AS_OF, { accountId: bob, at, basis })).balanceAsOf.balance as string;
      expect(await balanceAt('2020-05-31T23:59:59.999Z', 'EFFECTIVE')).toBe('0');
      expect(await balanceAt('2020-06-01T00:00:00.000Z', 'EFFECTIVE')).toBe('70');
      expect(await balanceAt('2021-01-01T00:00:00.000Z', 'EFFECTIVE')).toBe('70');
      expect(await balanceAt('2021-01-01T00:00:00.000Z', 'RECORDED')).toBe('0');
      expect(await balanceAt(backdated.recordedAt, 'RECORDED')).toBe('70');
      const now = new Date(Date.now() + 60_000).toISOString();
      expect(await balanceAt(now, 'EFFECTIVE')).toBe('75');
      expect(await balanceAt(now, 'RECORDED')).toBe('75');
    });

    it('does not count holds', async () => {
      await post(transfer(alice, bob, '100'));
      await app.ok(PLACE_HOLD, { input: transfer(bob, alice, '40') });
      const at = new Date(Date.now() + 60_000).toISOString();
      for (const basis of ['RECORDED', 'EFFECTIVE']) {
        expect((await app.ok(BALANCE_AS_OF, { accountId: bob, at, basis })).balanceAsOf.balance).toBe('100');
      }
    });
  });

  describe('trialBalance', () => {
    it('shows per unit that debits equal credits, with the right totals', async () => {
      await createUnit(app, 'HRS', 'HOURS', 0);
      const ann = await openAccount(app, { unitCode: 'HRS', creditLimit: '600' });
      const ben = await openAccount(app, { unitCode: 'HRS' });
      await openAccount(app, { unitCode: 'HRS' });
      await post(transfer(alice, bob, '100'));
      await post(transfer(bob, alice, '30'));
      await app.ok(PLACE_HOLD, { input: transfer(alice, bob, '25') });
      await post({ ...transfer(ann, ben, '90'), unitCode: 'HRS' });

      const all = (await app.ok(TRIAL_BALANCE, {})).trialBalance;
      expect(all).toEqual([
        {
          unitCode: 'CWC',
          accountCount: 2,
          debitsPosted: '130',
          creditsPosted: '130',
          debitsPending: '25',
          creditsPending: '25',
          sumOfBalances: '0',
          balanced: true,
        },
        {
          unitCode: 'HRS',
          accountCount: 3,
          debitsPosted: '90',
          creditsPosted: '90',
          debitsPending: '0',
          creditsPending: '0',
          sumOfBalances: '0',
          balanced: true,
        },
      ]);
      const one = (await app.ok(TRIAL_BALANCE, { unitCodes: ['HRS'] })).trialBalance;
      expect(one).toEqual([all[1]]);
    });
  });

  describe('accounts', () => {
    it('lists by holder and unit in id order, page by page', async () => {
      await createUnit(app, 'HRS', 'HOURS', 0);
      const mine: string[] = [];
      for (let index = 0; index < 5; index += 1) mine.push(await openAccount(app, { holderId: pagesCoop }));
      const otherUnit = await openAccount(app, { holderId: pagesCoop, unitCode: 'HRS' });
      type Page = {
        accounts: {
          edges: { cursor: string; node: { id: string; holderId: string; unitCode: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      };
      const seen: string[] = [];
      const hasNext: boolean[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 10; pages += 1) {
        const page: Page = await app.ok<Page>(ACCOUNTS, { holderId: pagesCoop, unitCode: 'CWC', first: 2, after });
        for (const { node } of page.accounts.edges) {
          expect(node).toMatchObject({ holderId: pagesCoop, unitCode: 'CWC' });
          seen.push(node.id);
        }
        hasNext.push(page.accounts.pageInfo.hasNextPage);
        if (!page.accounts.pageInfo.hasNextPage) break;
        after = page.accounts.pageInfo.endCursor;
      }
      expect(hasNext).toEqual([true, true, false]);
      expect(seen).toEqual([...mine].sort());

      const byHolder = await app.ok<Page>(ACCOUNTS, { holderId: pagesCoop, first: 200 });
      expect(byHolder.accounts.edges.map((edge) => edge.node.id).sort()).toEqual([...mine, otherUnit].sort());
      const byUnit = await app.ok<Page>(ACCOUNTS, { unitCode: 'HRS' });
      expect(byUnit.accounts.edges.map((edge) => edge.node.id)).toEqual([otherUnit]);
      const none = await app.ok<Page>(ACCOUNTS, { holderId: emptyCoop });
      expect(none.accounts).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
    });
  });

  describe('transaction', () => {
    const TRANSACTION_GRAPH = `query($id: ID!) { transaction(id: $id) {
      id operation referencesId referencedById
      references { id operation } referencedBy { id operation references { id } }
      entries { index accountId side amount account { id balance } } } }`;

    it('returns entries, their accounts, and the transactions it references and is referenced by', async () => {
      const original = await post(transfer(alice, bob, '100'));
      const reversalId = randomUUID();
      await app.ok(REVERSE_TRANSACTION, { input: { id: reversalId, transactionId: original.id } });
      await post(transfer(alice, bob, '10'));

      const data = (await app.ok(TRANSACTION_GRAPH, { id: original.id })).transaction;
      expect(data).toEqual({
        id: original.id,
        operation: 'TRANSFER',
        referencesId: null,
        referencedById: reversalId,
        references: null,
        referencedBy: { id: reversalId, operation: 'REVERSAL', references: { id: original.id } },
        entries: [
          { index: 0, accountId: alice, side: 'DEBIT', amount: '100', account: { id: alice, balance: '-10' } },
          { index: 1, accountId: bob, side: 'CREDIT', amount: '100', account: { id: bob, balance: '10' } },
        ],
      });
      const reversal = (await app.ok(TRANSACTION_GRAPH, { id: reversalId })).transaction;
      expect(reversal).toMatchObject({
        operation: 'REVERSAL',
        referencesId: original.id,
        references: { id: original.id, operation: 'TRANSFER' },
        referencedBy: null,
      });
    });

    it('answers an unknown id with NOT_FOUND TRANSACTION_NOT_FOUND', async () => {
      const response = await app.graphql(TRANSACTION_GRAPH, { id: randomUUID() });
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'NOT_FOUND',
        details: { reason: 'TRANSACTION_NOT_FOUND' },
      });
    });
  });
});
