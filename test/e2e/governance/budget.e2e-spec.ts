/**
 * Goal: a participatory budget. An assembly votes with approval ballots on proposals with costs, within an
 * amount from a fund; the motion's method (GREEDY or EQUAL_SHARES) chooses the winners in exact arithmetic;
 * the outcome lists the funded proposals, what each voter's share paid for and why each other proposal was
 * not funded; when it passes, the winners are paid from the fund in one atomic ledger write under the
 * motion's authority; when the fund can no longer pay, nothing is paid and the outcome says why.
 * Method: the real service over HTTP on its own PostgreSQL database; a co-op of five members, a fund in CWC
 * and one payee account per proposal; the scheduler closes the motion; read back over GraphQL.
 */
import { randomUUID } from 'node:crypto';
import { openAccount } from '../ledger/ledger-fixtures.js';
import type { TestApp } from '../setup/test-app.js';
import { CWC, useTestApp } from '../setup/use-test-app.js';
import {
  createAssembly,
  GOVERNANCE,
  inMinutes,
  organizationWithMembers,
  propose,
  readMotion,
  recount,
  runUntil,
  vote,
  type Body,
} from './governance-fixtures.js';

describe('budget votes', () => {
  let app: TestApp;
  let coop: Body;
  let assemblyId: string;
  let fund: string;
  let source: string;
  const payees: Record<string, string> = {};

  useTestApp({ units: [CWC], accounts: { source: { creditLimit: '10000000' } } }, (fixture) => {
    ({ app } = fixture);
    if (fixture.accounts.source !== undefined) source = fixture.accounts.source;
  });

  beforeAll(async () => {
    coop = await organizationWithMembers(app, 'budget-coop', 5);
  });
  beforeEach(async () => {
    assemblyId = await createAssembly(app, coop.id);
    fund = await openAccount(app, { holderId: coop.id, kind: 'FUND' });
    for (const id of ['bikes', 'books', 'roof', 'garden']) payees[id] = await openAccount(app, { holderId: coop.id });
    await fill(100_000);
  });

  async function fill(amount: number): Promise<void> {
    await app.ok(`mutation($input: PostTransactionInput!) { postTransaction(input: $input) { transaction { id } } }`, {
      input: {
        id: randomUUID(),
        unitCode: 'CWC',
        entries: [
          { accountId: source, side: 'DEBIT', amount: String(amount) },
          { accountId: fund, side: 'CREDIT', amount: String(amount) },
        ],
      },
    });
  }

  const budget = (method: string, amount = '60000') => ({
    unitCode: 'CWC',
    fundAccountId: fund,
    amount,
    method,
    proposals: [
      { id: 'bikes', title: 'Cargo bikes', cost: '30000', payeeAccountId: payees['bikes'] },
      { id: 'books', title: 'Lending library', cost: '20000', payeeAccountId: payees['books'] },
      { id: 'roof', title: 'Roof repair', cost: '50000', payeeAccountId: payees['roof'] },
      { id: 'garden', title: 'Garden beds', cost: '10000', payeeAccountId: payees['garden'] },
    ],
  });

  const balance = async (id: string) =>
    (await app.ok<{ account: { balance: string } }>(GOVERNANCE.account, { id })).account.balance;

  async function run(method: string, approvals: string[][], amount?: string) {
    const closesAt = inMinutes(app, 60);
    const motionId = await propose(app, coop.members[0]!.token, assemblyId, {
      ballotKind: 'BUDGET',
      budget: budget(method, amount),
      closesAt: closesAt.toISOString(),
    });
    for (const [index, approved] of approvals.entries()) {
      await vote(app, coop.members[index]!.token, motionId, { approved });
    }
    await runUntil(app, closesAt);
    expect((await recount(app, motionId)).matches).toBe(true);
    return { motionId, motion: await readMotion(app, motionId) };
  }

  const ballots = [['roof', 'garden'], ['roof'], ['roof', 'bikes'], ['books', 'garden'], ['books', 'bikes']];

  it('GREEDY funds by approvals, skipping what no longer fits, and pays the winners under the motion', async () => {
    const { motionId, motion } = await run('GREEDY', ballots);
    const result = motion.outcome!.tally['budget'];
    // roof (3 approvals, 50000) first; then bikes, books and garden (2 each, by id) while they fit.
    expect(result).toMatchObject({ method: 'GREEDY', amount: '60000', funded: ['roof', 'garden'], spent: '60000' });
    expect(result.unfunded).toEqual(
      expect.arrayContaining([
        { proposalId: 'bikes', reason: 'NOT_ENOUGH_LEFT' },
        { proposalId: 'books', reason: 'NOT_ENOUGH_LEFT' },
      ]),
    );
    expect(motion.outcome).toMatchObject({ passed: true, effectStatus: 'APPLIED' });
    expect(await balance(payees['roof']!)).toBe('50000');
    expect(await balance(payees['garden']!)).toBe('10000');
    expect(await balance(payees['bikes']!)).toBe('0');
    expect(await balance(fund)).toBe('40000');
    const written = await app.ok(GOVERNANCE.byAuthority, { kind: 'MOTION', id: motionId });
    expect(written['transactionsByAuthority'].edges).toHaveLength(2);
    for (const edge of written['transactionsByAuthority'].edges) {
      expect(edge.node).toMatchObject({ kind: 'BUDGET_PAYOUT', authority: { kind: 'MOTION', id: motionId } });
    }
  });

  it('EQUAL_SHARES funds within the budget, exactly, with what each voter’s share paid for', async () => {
    const { motion } = await run('EQUAL_SHARES', ballots);
    const result = motion.outcome!.tally['budget'];
    expect(result.method).toBe('EQUAL_SHARES');
    expect(BigInt(result.spent)).toBeLessThanOrEqual(60000n);
    const funded: string[] = result.funded;
    const costs: Record<string, bigint> = { bikes: 30000n, books: 20000n, roof: 50000n, garden: 10000n };
    expect(funded.reduce((sum, id) => sum + costs[id]!, 0n)).toBe(BigInt(result.spent));
    // Every funded proposal is paid for exactly by its supporters' shares (fractions of minor units).
    for (const id of funded) {
      const paid = result.shares
        .filter((share: { proposalId: string }) => share.proposalId === id)
        .map((share: { amount: string }) => share.amount.split('/').map(BigInt) as [bigint, bigint?]);
      const denominator = paid.reduce((product: bigint, [, d]: [bigint, bigint?]) => product * (d ?? 1n), 1n);
      const total = paid.reduce((sum: bigint, [n, d]: [bigint, bigint?]) => sum + (n * denominator) / (d ?? 1n), 0n);
      expect(total).toBe(costs[id]! * denominator);
    }
    for (const unfunded of result.unfunded) {
      expect(['NO_SUPPORT', 'COSTS_MORE_THAN_BUDGET', 'NOT_ENOUGH_LEFT', 'SHARES_RAN_OUT']).toContain(unfunded.reason);
    }
    const paid = await Promise.all(funded.map((id) => balance(payees[id]!)));
    expect(paid).toEqual(funded.map((id) => String(costs[id])));
  });

  it('pays nothing when the fund can no longer pay; the outcome stands and says why', async () => {
    const closesAt = inMinutes(app, 60);
    const motionId = await propose(app, coop.members[0]!.token, assemblyId, {
      ballotKind: 'BUDGET',
      budget: budget('GREEDY'),
      closesAt: closesAt.toISOString(),
    });
    for (const [index, approved] of ballots.entries()) {
      await vote(app, coop.members[index]!.token, motionId, { approved });
    }
    const drain = await openAccount(app, { holderId: coop.id });
    await app.ok(`mutation($input: PostTransactionInput!) { postTransaction(input: $input) { transaction { id } } }`, {
      input: {
        id: randomUUID(),
        unitCode: 'CWC',
        entries: [
          { accountId: fund, side: 'DEBIT', amount: '55000' },
          { accountId: drain, side: 'CREDIT', amount: '55000' },
        ],
      },
    });
    await runUntil(app, closesAt);
    const motion = await readMotion(app, motionId);
    expect(motion.outcome).toMatchObject({ passed: true, effectStatus: 'FAILED' });
    expect(motion.outcome?.effectDetail).toMatchObject({ reason: 'GROUP_REFUSED' });
    expect(await balance(payees['roof']!)).toBe('0');
    expect(await balance(payees['garden']!)).toBe('0');
    expect(await balance(fund)).toBe('45000');
    expect(
      (await app.ok(GOVERNANCE.byAuthority, { kind: 'MOTION', id: motionId }))['transactionsByAuthority'].edges,
    ).toEqual([]);
  });

  it("refuses a budget whose fund is not the assembly's, or whose payees are in another unit", async () => {
    const foreignFund = await openAccount(app, {});
    const before = await app.snapshot();
    const response = await app.graphql(
      GOVERNANCE.proposeMotion,
      {
        input: {
          id: randomUUID(),
          assemblyId,
          title: 'Budget',
          ballotKind: 'BUDGET',
          budget: { ...budget('GREEDY'), fundAccountId: foreignFund },
          closesAt: inMinutes(app, 60).toISOString(),
        },
      },
      { token: coop.members[0]!.token },
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({ details: { reason: 'INVALID_MOTION' } });
    const approvalOnly = await app.graphql(
      GOVERNANCE.castBallot,
      {
        input: { motionId: randomUUID(), ballot: { approved: ['roof'] }, reason: '' },
      },
      { token: coop.members[0]!.token },
    );
    expect(approvalOnly.errors?.[0]?.extensions).toMatchObject({ details: { reason: 'MOTION_NOT_FOUND' } });
    expect(await app.snapshot()).toEqual(before);
  });

  it('a budget vote with no ballots funds nothing and does not pass', async () => {
    const { motion } = await run('EQUAL_SHARES', []);
    expect(motion.outcome).toMatchObject({ passed: false, effectStatus: 'NOT_PASSED' });
    expect(await balance(fund)).toBe('100000');
  });
});
