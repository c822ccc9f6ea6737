/**
 * Goal: a workflow step and its ledger transaction commit together or not at all, and a step run twice (after
 * a crash, or in two processes at once) pays once; what a step writes names its authority and the system
 * actor that wrote it, both readable over GraphQL from the transaction and back; a group of one authority's
 * transactions commits all or none, and verifies. Method: a step defined here as an institution module
 * would write one: its own row (a table of this test's own) and a ledger transfer with a step-derived id,
 * in one database transaction, by a system actor granted the paying account. Failure is injected after
 * the ledger write, before commit; the concurrent case runs the step from two applications on one database
 * (two pools, as two server processes). Everything is read back through GraphQL and the tables; the books
 * check runs after every test.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { runInTransaction } from '../../../src/kernel/database/run-in-transaction.js';
import { DomainError } from '../../../src/kernel/errors/domain-error.js';
import { stepId } from '../../../src/kernel/ids.js';
import { systemPrincipal } from '../../../src/kernel/principal.js';
import type { LedgerRequest } from '../../../src/ledger/ledger.records.js';
import { LedgerService } from '../../../src/ledger/ledger.service.js';
import type { TestApp } from '../setup/test-app.js';
import { CWC, useTestApp } from '../setup/use-test-app.js';
import { account, TRANSACTION_FIELDS } from './ledger-fixtures.js';

const STEP = 'test.pay-stipend';
const TRANSACTION = `query($id: ID!) { transaction(id: $id) { ${TRANSACTION_FIELDS} authority { kind id } recordedBy } }`;
const BY_AUTHORITY = `query($kind: String!, $id: String!, $after: String) {
  transactionsByAuthority(kind: $kind, id: $id, first: 200, after: $after) {
    edges { node { id authority { kind id } } } pageInfo { hasNextPage endCursor } } }`;

describe('workflow steps over the ledger', () => {
  let app: TestApp;
  let fund: string;
  let striker: string;
  let empty: string;
  useTestApp(
    {
      once: async (started) => {
        await started.dataSource.query(
          `CREATE TABLE test_stipend (id uuid PRIMARY KEY, week text NOT NULL, paid_with uuid NOT NULL)`,
        );
      },
      units: [CWC],
      accounts: { fund: { creditLimit: '100000' }, striker: {}, empty: {} },
    },
    (fixture) =>
      ({
        app,
        accounts: { fund, striker, empty },
      } = fixture),
  );

  /** The automatic work of this step: it may move value out of the fund, and nothing else. */
  const payer = () => systemPrincipal(STEP, { accounts: new Set([fund]) });

  function stipend(week: string, amount = '250'): LedgerRequest {
    return {
      type: 'TRANSFER',
      id: stepId(STEP, week),
      unitCode: 'CWC',
      kind: 'STIPEND',
      memo: `Stipend, week ${week}`,
      metadata: [],
      effectiveAt: null,
      hold: null,
      authority: { kind: 'STIPEND_WEEK', id: week },
      entries: [
        { accountId: fund, side: 'DEBIT', amount: BigInt(amount) },
        { accountId: striker, side: 'CREDIT', amount: BigInt(amount) },
      ],
    };
  }

  /** The step: its own row and its transfer, in one database transaction. */
  async function payWeek(
    on: TestApp,
    week: string,
    options: { failAfterLedger?: boolean } = {},
  ): Promise<'PAID' | 'ALREADY_PAID'> {
    const ledger = on.app.get(LedgerService);
    return runInTransaction(on.dataSource, 'READ COMMITTED', async (manager: EntityManager) => {
      const request = stipend(week);
      const claimed: unknown[] = await manager.query(
        `INSERT INTO test_stipend (id, week, paid_with) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [stepId(STEP, 'row', week), week, request.id],
      );
      if (claimed.length === 0) return 'ALREADY_PAID';
      const [result] = await ledger.applyInTransaction(manager, payer(), [request]);
      if (result === undefined || !result.ok) throw new Error(`stipend refused: ${JSON.stringify(result)}`);
      if (options.failAfterLedger === true) throw new Error('injected failure after the ledger write');
      return 'PAID';
    });
  }

  async function stipendRows(): Promise<number> {
    const [row] = await app.dataSource.query(`SELECT count(*)::int AS n FROM test_stipend`);
    return (row as { n: number }).n;
  }

  it('writes the step and its transaction together, naming the authority and the system actor', async () => {
    expect(await payWeek(app, '2031-W10')).toBe('PAID');
    const id = stepId(STEP, '2031-W10');
    const { transaction } = await app.ok(TRANSACTION, { id });
    expect(transaction).toMatchObject({
      id,
      kind: 'STIPEND',
      authority: { kind: 'STIPEND_WEEK', id: '2031-W10' },
      recordedBy: `system:${STEP}`,
    });
    const listed = await app.ok(BY_AUTHORITY, { kind: 'STIPEND_WEEK', id: '2031-W10' });
    expect(listed.transactionsByAuthority.edges.map((edge: any) => edge.node.id)).toEqual([id]);
    expect(await stipendRows()).toBe(1);
    expect((await account(app, striker)).balance).toBe('250');
  });

  it('leaves neither the step nor its transaction when it fails after the ledger write', async () => {
    await expect(payWeek(app, '2031-W11', { failAfterLedger: true })).rejects.toThrow(/injected failure/);
    expect(await stipendRows()).toBe(0);
    const missing = await app.graphql(TRANSACTION, { id: stepId(STEP, '2031-W11') });
    expect(missing.errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      details: { reason: 'TRANSACTION_NOT_FOUND' },
    });
    const [outcomes] = await app.dataSource.query(`SELECT count(*)::int AS n FROM transaction_outcome WHERE id = $1`, [
      stepId(STEP, '2031-W11'),
    ]);
    expect(outcomes).toEqual({ n: 0 });
    expect((await account(app, striker)).balance).toBe('0');
    // Run again, it pays: the failed attempt left nothing to replay or to conflict with.
    expect(await payWeek(app, '2031-W11')).toBe('PAID');
    expect((await account(app, striker)).balance).toBe('250');
  });

  it('pays once when the same step runs in two processes at once, and once more after that', async () => {
    const second = await app.alongside();
    try {
      const outcomes = await Promise.all([
        payWeek(app, '2031-W12'),
        payWeek(second, '2031-W12'),
        payWeek(app, '2031-W12'),
        payWeek(second, '2031-W12'),
      ]);
      expect(outcomes.filter((outcome) => outcome === 'PAID')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome === 'ALREADY_PAID')).toHaveLength(3);
    } finally {
      await second.close();
    }
    expect(await stipendRows()).toBe(1);
    expect((await account(app, striker)).balance).toBe('250');
    expect((await account(app, fund)).balance).toBe('-250');
    // The ledger's own idempotency stands behind the step's: the same request again is a replay.
    const [replay] = await runInTransaction(app.dataSource, 'READ COMMITTED', (manager) =>
      app.app.get(LedgerService).applyInTransaction(manager, payer(), [stipend('2031-W12')]),
    );
    expect(replay).toMatchObject({ ok: true, replayed: true });
    // …and the same id with another authority is other content: a conflict, not a payment.
    const [conflict] = await runInTransaction(app.dataSource, 'READ COMMITTED', (manager) =>
      app.app
        .get(LedgerService)
        .applyInTransaction(manager, payer(), [
          { ...stipend('2031-W12'), authority: { kind: 'STIPEND_WEEK', id: 'another' } },
        ]),
    );
    expect(conflict).toMatchObject({ ok: false, refusal: { reason: 'EXISTS_WITH_DIFFERENT_CONTENT' } });
    expect((await account(app, striker)).balance).toBe('250');
  });

  it('refuses what the system actor was not granted: another account, or expiring holds', async () => {
    const outsider = systemPrincipal(STEP, { accounts: new Set([empty]) });
    const [refused] = await runInTransaction(app.dataSource, 'READ COMMITTED', (manager) =>
      app.app.get(LedgerService).applyInTransaction(manager, outsider, [stipend('2031-W13')]),
    );
    expect(refused).toMatchObject({ ok: false, refusal: { code: 'FORBIDDEN', reason: 'NOT_ACCOUNT_HOLDER' } });
    const [expiry] = await app.app
      .get(LedgerService)
      .submit(payer(), [{ type: 'EXPIRE_HOLD', id: randomUUID(), holdId: randomUUID(), memo: '', metadata: [] }]);
    expect(expiry).toMatchObject({ ok: false, refusal: { code: 'FORBIDDEN', reason: 'SYSTEM_OPERATION' } });
    expect((await account(app, fund)).balance).toBe('0');
  });

  it('shows the transactions of an authority only to who may see their accounts', async () => {
    await payWeek(app, '2031-W14');
    const outsider = await app.register(`outsider-${randomUUID().slice(0, 8)}@test.example`);
    const seen = await app.ok(BY_AUTHORITY, { kind: 'STIPEND_WEEK', id: '2031-W14' }, { token: outsider });
    expect(seen.transactionsByAuthority.edges).toEqual([]);
  });

  describe('a group of one authority', () => {
    const RUN = { kind: 'REDISTRIBUTION_RUN', id: 'run-2031-04' };
    const transfers = (count: number, amount = (index: number) => BigInt(1 + (index % 7))): LedgerRequest[] =>
      Array.from({ length: count }, (_, index) => ({
        type: 'TRANSFER',
        id: stepId('test.run', RUN.id, String(index)),
        unitCode: 'CWC',
        kind: 'REDISTRIBUTION',
        memo: `Share ${index}`,
        metadata: [],
        effectiveAt: null,
        hold: null,
        entries: [
          { accountId: fund, side: 'DEBIT', amount: amount(index) },
          { accountId: striker, side: 'CREDIT', amount: amount(index) },
        ],
      }));
    const run = (requests: LedgerRequest[]) =>
      runInTransaction(app.dataSource, 'READ COMMITTED', (manager) =>
        app.app.get(LedgerService).applyGroup(manager, payer(), RUN, requests),
      );
    const listed = async (): Promise<string[]> => {
      const ids: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: any = await app.ok(BY_AUTHORITY, { ...RUN, after });
        ids.push(...page.transactionsByAuthority.edges.map((edge: any) => edge.node.id));
        if (!page.transactionsByAuthority.pageInfo.hasNextPage) return ids;
        after = page.transactionsByAuthority.pageInfo.endCursor;
      }
    };

    it('commits all of its transactions, past one batch, each naming the authority; run again, replays', async () => {
      const requests = transfers(2_400);
      const written = await run(requests);
      expect(written).toHaveLength(2_400);
      const total = requests.reduce(
        (sum, request) => sum + (request.type === 'TRANSFER' ? request.entries[0]!.amount : 0n),
        0n,
      );
      expect((await account(app, striker)).balance).toBe(total.toString());
      expect(await listed()).toEqual(requests.map((request) => request.id));
      const again = await run(requests);
      expect(again.map((transaction) => transaction.id)).toEqual(requests.map((request) => request.id));
      expect((await account(app, striker)).balance).toBe(total.toString());
      await app.assertBooksBalance();
    });

    it('writes none when one is refused (GROUP_REFUSED, with the refusal)', async () => {
      const requests = transfers(1_500, (index) => (index === 1_234 ? 200_000n : 1n));
      const failure = await run(requests).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DomainError);
      expect((failure as DomainError).details).toMatchObject({
        reason: 'GROUP_REFUSED',
        transactionId: requests[1_234]!.id,
        refusal: { reason: 'CREDIT_LIMIT_EXCEEDED' },
      });
      expect(await listed()).toEqual([]);
      expect((await account(app, striker)).balance).toBe('0');
      const [outcomes] = await app.dataSource.query(`SELECT count(*)::int AS n FROM transaction_outcome`);
      expect(outcomes).toEqual({ n: 0 });
    });
  });
});
