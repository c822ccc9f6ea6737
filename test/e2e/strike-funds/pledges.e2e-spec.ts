/**
 * Goal: pledges. A recurring ledger pledge is collected at once for the current period, then once per period
 * by the scheduler, even when a second process ticks the same occurrences (as after a restart); the fund sees
 * pledged against received; a collection the ledger refuses marks the pledge FAILED with the reason and ends
 * its schedule (not retried forever). Method: the real service over HTTP on its own PostgreSQL; the
 * controlled clock moved over Mondays and the scheduler ticked in this process and in a second application
 * on the same database (`alongside`).
 */
import { randomUUID } from 'node:crypto';
import { clockOf, runUntil } from '../governance/governance-fixtures.js';
import { SchedulerService } from '../../../src/kernel/scheduling/scheduler.service.js';
import type { TestApp } from '../setup/test-app.js';
import { CWC, useTestApp } from '../setup/use-test-app.js';
import {
  accountOf,
  balanceOf,
  createFund,
  createUnion,
  MONDAY,
  setDay,
  SF,
  type Union,
} from './strike-funds-fixtures.js';

const PLEDGE = `mutation($input: CreatePledgeInput!) { createPledge(input: $input) { id status amount period } }`;
const PLEDGES = `query($fundId: ID!) { fundPledges(fundId: $fundId) { id status failure amount received } }`;

describe('pledges', () => {
  let app: TestApp;
  let union: Union;
  let source: string;

  useTestApp({ units: [CWC], accounts: { source: { creditLimit: '100000000' } } }, (fixture) => {
    ({ app } = fixture);
    if (fixture.accounts.source !== undefined) source = fixture.accounts.source;
  });

  beforeAll(async () => {
    union = await createUnion(app, 'pledges', 'STRIKE_FUND', 2);
  });

  async function funded(personId: string, amount: string): Promise<string> {
    const account = await accountOf(app, personId);
    await app.ok(`mutation($input: PostTransactionInput!) { postTransaction(input: $input) { transaction { id } } }`, {
      input: {
        id: randomUUID(),
        unitCode: 'CWC',
        entries: [
          { accountId: source, side: 'DEBIT', amount },
          { accountId: account, side: 'CREDIT', amount },
        ],
      },
    });
    return account;
  }

  it('collects a weekly pledge once per period, across two processes', async () => {
    setDay(app, '2027-03-03');
    const fund = await createFund(app, union);
    const member = union.members[0]!;
    const account = await funded(member.personId, '10000');
    const pledgeId = randomUUID();
    await app.ok(
      PLEDGE,
      { input: { id: pledgeId, fundId: fund.id, amount: '1000', period: 'WEEKLY', fromAccountId: account } },
      { token: member.token },
    );
    expect(await balanceOf(app, fund.accountId)).toBe(1000n);

    const second = await app.alongside();
    try {
      // Two Mondays pass: each week is collected once, whichever process ticks.
      const other = second.app.get(SchedulerService);
      const bothAt = async (instant: Date) => {
        clockOf(second).set(instant);
        await runUntil(app, instant);
        await other.tick(instant);
        await other.settled();
      };
      await bothAt(new Date('2027-03-08T07:00:00Z'));
      await bothAt(new Date('2027-03-15T07:00:00Z'));
      await bothAt(new Date('2027-03-15T08:00:00Z'));
    } finally {
      await second.app.close();
    }
    expect(await balanceOf(app, fund.accountId)).toBe(3000n);
    const pledges = await app.ok<{ fundPledges: { status: string; received: string }[] }>(PLEDGES, { fundId: fund.id });
    expect(pledges.fundPledges).toEqual([expect.objectContaining({ status: 'ACTIVE', received: '3000' })]);
    const mine = await app.ok<{ fundPledges: unknown[] }>(PLEDGES, { fundId: fund.id }, { token: member.token });
    expect(mine.fundPledges).toHaveLength(1);
    const report = await app.ok<{ fundReport: { pledgedPerPeriod: string; receivedFromPledges: string } }>(
      SF.fundReport,
      { fundId: fund.id },
    );
    expect(report.fundReport).toMatchObject({ pledgedPerPeriod: '1000', receivedFromPledges: '3000' });
  });

  it('marks a pledge that cannot be collected as failed, and does not retry it', async () => {
    setDay(app, MONDAY);
    const fund = await createFund(app, union);
    const member = union.members[1]!;
    const account = await funded(member.personId, '1500');
    await app.ok(
      PLEDGE,
      { input: { id: randomUUID(), fundId: fund.id, amount: '1000', period: 'WEEKLY', fromAccountId: account } },
      { token: member.token },
    );
    await runUntil(app, new Date('2027-03-08T07:00:00Z'));
    await runUntil(app, new Date('2027-03-15T07:00:00Z'));
    const pledges = await app.ok<{ fundPledges: { status: string; failure: string | null; received: string }[] }>(
      PLEDGES,
      { fundId: fund.id },
    );
    expect(pledges.fundPledges).toEqual([
      expect.objectContaining({ status: 'FAILED', received: '1000', failure: expect.stringContaining('CREDIT_LIMIT') }),
    ]);
    expect(await balanceOf(app, account)).toBe(500n);
  });

  it('refuses a pledge from an account the caller may not pay from, changing nothing', async () => {
    setDay(app, MONDAY);
    const fund = await createFund(app, union);
    const account = await funded(union.members[0]!.personId, '5000');
    const before = await app.snapshot();
    const refused = await app.graphql(
      PLEDGE,
      { input: { id: randomUUID(), fundId: fund.id, amount: '1000', period: 'MONTHLY', fromAccountId: account } },
      { token: union.members[1]!.token },
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await app.snapshot()).toEqual(before);
  });

  it('counts money from outside against a pledge of money from outside, once per period', async () => {
    setDay(app, MONDAY);
    const fund = await createFund(app, union);
    const pledgeId = randomUUID();
    await app.ok(PLEDGE, {
      input: {
        id: pledgeId,
        fundId: fund.id,
        amount: '2000',
        period: 'MONTHLY',
        contributorName: 'Dockers',
        visibility: 'NAMED',
      },
    });
    const keep = (amount: string) =>
      app.graphql(SF.recordContribution, {
        input: { id: randomUUID(), fundId: fund.id, amount, source: 'OUTSIDE', visibility: 'NAMED', pledgeId },
      });
    expect((await keep('2000')).errors).toBeUndefined();
    const before = await app.snapshot();
    const twice = await keep('2000');
    expect(twice.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'PLEDGE_PERIOD_RECEIVED' },
    });
    expect(await app.snapshot()).toEqual(before);
    setDay(app, '2027-04-02');
    expect((await keep('1500')).errors).toBeUndefined();
    const pledges = await app.ok<{ fundPledges: { status: string; received: string }[] }>(PLEDGES, { fundId: fund.id });
    expect(pledges.fundPledges).toEqual([expect.objectContaining({ status: 'ACTIVE', received: '3500' })]);
  });
});
