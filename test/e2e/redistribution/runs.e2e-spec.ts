/**
 * Goal: the whole life of a redistribution policy over GraphQL, on a real PostgreSQL: a motion adopts it
 * (and nothing else can), a member previews a run and reads every line's reason, the treasurer executes it
 * (exact to the cent, one ledger group under the run's authority), executing again (or twice at once)
 * pays once, a preview gone stale is refused, a run is reversed once, a new version leaves old runs as they
 * were, a retired policy runs no more, and the scheduler runs a policy with a cadence on its own, once,
 * even with two processes ticking. Method: one co-op with three members and a treasurer; its fund holds
 * 500.00 above a floor of 100.00; members give 60 and 180 minutes in the period; the policy sends 30% of
 * the surplus to a strike fund and shares 70% by hours given (hand-computed: 120.00, then 70.00 and 210.00).
 */
import { SchedulerService } from '../../../src/kernel/scheduling/scheduler.service.js';
import { clockOf, join, runUntil } from '../governance/governance-fixtures.js';
import type { TestApp } from '../setup/test-app.js';
import { useTestApp } from '../setup/use-test-app.js';
import {
  REDISTRIBUTION,
  adopt,
  balance,
  decide,
  pay,
  people,
  surplusPolicy,
  world,
  type People,
  type World,
} from './redistribution-fixtures.js';

interface Preview {
  digest: string;
  total: string;
  lineCount: number;
  transactionCount: number;
  version: number;
  legs: { leg: number; measured: string; moved: string; explanation: string }[];
  lines: {
    edges: {
      node: {
        leg: number;
        role: string;
        accountId: string;
        amount: string;
        exactShare: string | null;
        explanation: string;
      };
    }[];
  };
  existingRun: { id: string } | null;
}

describe('redistribution runs', () => {
  let app: TestApp;
  let folks: People;
  let w: World;
  useTestApp(
    { once: async (started) => void (folks = await people(started, 'redis-coop')) },
    (fixture) => ({ app } = fixture),
  );

  let period: { periodStart: string; periodEnd: string };
  beforeEach(async () => {
    w = await world(app, folks);
    // Minutes given in the period: the time bank credits the one who gives.
    await pay(app, 'HRS', w.hoursIssuance, w.hourAccounts[0]!, '60');
    await pay(app, 'HRS', w.hoursIssuance, w.hourAccounts[1]!, '180');
    // The ledger dates entries by the database's clock; the period holds them and has ended once a motion closed.
    period = {
      periodStart: new Date(Date.now() - 24 * 60 * 60 * 1000).toISOString(),
      periodEnd: new Date(Date.now() + 10 * 60 * 1000).toISOString(),
    };
  });

  const treasurer = () => folks.treasurer.token;
  const member = () => folks.coop.members[2]!.token;

  async function preview(policyId: string, token = member()): Promise<Preview> {
    return (
      await app.ok<{ previewRedistributionRun: Preview }>(
        REDISTRIBUTION.preview,
        { input: { policyId, ...period, linesFirst: 50 } },
        { token },
      )
    ).previewRedistributionRun;
  }

  async function execute(policyId: string, digest: string, token = treasurer()) {
    return app.graphql<{
      executeRedistributionRun: { replayed: boolean; run: { id: string; total: string; transactionCount: number } };
    }>(REDISTRIBUTION.execute, { input: { policyId, ...period, previewDigest: digest } }, { token });
  }

  it('adopts by motion, previews, executes exactly under the run’s authority, and replays', async () => {
    const policyId = await adopt(app, w, surplusPolicy(w));
    const policy = await app.ok<{ redistributionPolicy: any }>(
      REDISTRIBUTION.policy,
      { id: policyId },
      { token: member() },
    );
    expect(policy.redistributionPolicy).toMatchObject({ status: 'ACTIVE', currentVersion: 1, unitCode: 'EUR' });
    expect(policy.redistributionPolicy.versions[0].document.legs[0].sources[0].share).toBe('3/10');

    const before = await app.snapshot();
    const seen = await preview(policyId);
    expect(await app.snapshot()).toEqual(before);
    expect(seen).toMatchObject({ total: '40000', version: 1, transactionCount: 2, existingRun: null });
    expect(seen.legs.map((leg) => [leg.measured, leg.moved])).toEqual([
      ['12000', '12000'],
      ['28000', '28000'],
    ]);
    const line = (leg: number, accountId: string) =>
      seen.lines.edges.map((edge) => edge.node).find((node) => node.leg === leg && node.accountId === accountId)!;
    expect(line(1, w.memberAccounts[0]!)).toMatchObject({ amount: '7000', exactShare: '7000/1' });
    expect(line(1, w.memberAccounts[0]!).explanation).toContain('60 minutes given');
    expect(line(1, w.memberAccounts[1]!).amount).toBe('21000');
    expect(line(1, w.memberAccounts[2]!).amount).toBe('0');
    expect(line(0, w.coopFund).explanation).toContain('above floor 10000');

    const done = await execute(policyId, seen.digest);
    expect(done.errors).toBeUndefined();
    const run = done.data!.executeRedistributionRun;
    expect(run).toMatchObject({ replayed: false, run: { total: '40000', transactionCount: 2 } });
    expect(await balance(app, w.coopFund)).toBe('10000');
    expect(await balance(app, w.strikeFund)).toBe('12000');
    expect(await balance(app, w.memberAccounts[0]!)).toBe('7000');
    expect(await balance(app, w.memberAccounts[1]!)).toBe('21000');

    const written = await app.ok<{ transactionsByAuthority: { edges: { node: any }[] } }>(REDISTRIBUTION.byAuthority, {
      kind: 'REDISTRIBUTION_RUN',
      id: run.run.id,
    });
    expect(written.transactionsByAuthority.edges).toHaveLength(2);
    expect(written.transactionsByAuthority.edges[0]!.node).toMatchObject({
      kind: 'REDISTRIBUTION',
      recordedBy: 'system:redistribution.runs',
    });

    const settled = await app.snapshot();
    const again = await execute(policyId, seen.digest);
    expect(again.data?.executeRedistributionRun).toMatchObject({ replayed: true, run: { id: run.run.id } });
    expect(await app.snapshot()).toEqual(settled);
    expect((await preview(policyId)).existingRun).toEqual({ id: run.run.id });

    const stored = await app.ok<{ redistributionRun: any }>(
      REDISTRIBUTION.run,
      { id: run.run.id },
      { token: member() },
    );
    expect(stored.redistributionRun.lines.edges).toHaveLength(seen.lineCount);
  });

  it('refuses a stale preview, changing nothing; the fresh one executes', async () => {
    const policyId = await adopt(app, w, surplusPolicy(w));
    const seen = await preview(policyId);
    await pay(app, 'EUR', w.issuance, w.coopFund, '1000');
    const before = await app.snapshot();
    const refused = await execute(policyId, seen.digest);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', details: { reason: 'STALE_PREVIEW' } });
    expect(await app.snapshot()).toEqual(before);
    const fresh = await preview(policyId);
    expect(fresh.total).toBe('41000');
    expect((await execute(policyId, fresh.digest)).errors).toBeUndefined();
  });

  it('pays once when two executions race', async () => {
    const policyId = await adopt(app, w, surplusPolicy(w));
    const seen = await preview(policyId);
    const results = await Promise.all([execute(policyId, seen.digest), execute(policyId, seen.digest)]);
    for (const result of results) expect(result.errors).toBeUndefined();
    expect(results.map((result) => result.data!.executeRedistributionRun.replayed).sort()).toEqual([false, true]);
    expect(await balance(app, w.strikeFund)).toBe('12000');
  });

  it('only a treasurer or admin executes; a member may not, and nothing changes', async () => {
    const policyId = await adopt(app, w, surplusPolicy(w));
    const seen = await preview(policyId);
    const before = await app.snapshot();
    const refused = await execute(policyId, seen.digest, member());
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'MAY_NOT_RUN' } });
    expect(await app.snapshot()).toEqual(before);
  });

  it('reverses a run once, recording who and why', async () => {
    const policyId = await adopt(app, w, surplusPolicy(w));
    const seen = await preview(policyId);
    const runId = (await execute(policyId, seen.digest)).data!.executeRedistributionRun.run.id;
    const reversed = await app.ok<{ reverseRedistributionRun: any }>(
      REDISTRIBUTION.reverse,
      { input: { runId, reason: 'Hours were logged in the wrong month' } },
      { token: treasurer() },
    );
    expect(reversed.reverseRedistributionRun).toMatchObject({
      status: 'REVERSED',
      reversedBy: `person:${folks.treasurer.personId}`,
      reversalReason: 'Hours were logged in the wrong month',
    });
    expect(await balance(app, w.coopFund)).toBe('50000');
    expect(await balance(app, w.memberAccounts[1]!)).toBe('0');
    const before = await app.snapshot();
    const again = await app.graphql(
      REDISTRIBUTION.reverse,
      { input: { runId, reason: 'again' } },
      { token: treasurer() },
    );
    expect(again.errors?.[0]?.extensions).toMatchObject({ details: { reason: 'RUN_ALREADY_REVERSED' } });
    expect(await app.snapshot()).toEqual(before);
  });

  it('a reversal that cannot be made (the money was spent) reverses nothing', async () => {
    const policyId = await adopt(app, w, surplusPolicy(w));
    const runId = (await execute(policyId, (await preview(policyId)).digest)).data!.executeRedistributionRun.run.id;
    await app.ok(REDISTRIBUTION.post, {
      input: {
        id: crypto.randomUUID(),
        unitCode: 'EUR',
        entries: [
          { accountId: w.strikeFund, side: 'DEBIT', amount: '12000' },
          { accountId: w.issuance, side: 'CREDIT', amount: '12000' },
        ],
      },
    });
    const before = await app.snapshot();
    const refused = await app.graphql(
      REDISTRIBUTION.reverse,
      { input: { runId, reason: 'undo' } },
      { token: treasurer() },
    );
    expect(refused.errors?.[0]?.extensions?.['details']).toMatchObject({ reason: 'GROUP_REFUSED' });
    expect(await app.snapshot()).toEqual(before);
  });

  it('respects floors, credit limits and upper limits, re-splitting what a full destination cannot take', async () => {
    const capped = await (async () => {
      const { openAccount } = await import('../ledger/ledger-fixtures.js');
      return openAccount(app, { unitCode: 'EUR', kind: 'FUND', upperLimit: '5000' });
    })();
    const policyId = await adopt(app, w, {
      name: 'Equal shares',
      unitCode: 'EUR',
      legs: [
        {
          split: 'EQUAL',
          sources: [{ accountId: w.coopFund, measure: 'FIXED', amount: '90000' }],
          destinations: [
            { accountId: capped },
            { accountId: w.strikeFund, cap: '20000' },
            { accountId: w.memberAccounts[0] },
          ],
        },
      ],
    });
    const seen = await preview(policyId);
    // The fund holds 500.00: FIXED 900.00 is bounded to what it holds (a fund never goes below zero).
    expect(seen.legs[0]).toMatchObject({ measured: '50000', moved: '50000' });
    const amounts = Object.fromEntries(seen.lines.edges.map((edge) => [edge.node.accountId, edge.node.amount]));
    expect(amounts[capped]).toBe('5000');
    expect(amounts[w.strikeFund]).toBe('20000');
    expect(amounts[w.memberAccounts[0]!]).toBe('25000');
    const explanation = seen.lines.edges.find((edge) => edge.node.accountId === capped)!.node.explanation;
    expect(explanation).toContain('upper limit');
    expect((await execute(policyId, seen.digest)).errors).toBeUndefined();
    expect(await balance(app, w.coopFund)).toBe('0');
  });

  it('a new version leaves the runs made as they were; a retired policy no longer runs', async () => {
    const policyId = await adopt(app, w, surplusPolicy(w));
    const runId = (await execute(policyId, (await preview(policyId)).digest)).data!.executeRedistributionRun.run.id;
    await adopt(app, w, surplusPolicy(w, { name: 'Surplus sharing, second version' }), policyId);
    const policy = await app.ok<{ redistributionPolicy: any }>(
      REDISTRIBUTION.policy,
      { id: policyId },
      { token: member() },
    );
    expect(policy.redistributionPolicy).toMatchObject({ currentVersion: 2, name: 'Surplus sharing, second version' });
    expect(policy.redistributionPolicy.runs.edges.map((edge: any) => edge.node)).toEqual([
      { id: runId, version: 1, total: '40000', status: 'EXECUTED' },
    ]);
    const { outcome } = await decide(app, w, { kind: 'redistribution.retire-policy', params: { policyId } });
    expect(outcome.effectStatus).toBe('APPLIED');
    const refused = await app.graphql(
      REDISTRIBUTION.preview,
      { input: { policyId, ...period, linesFirst: 5 } },
      { token: member() },
    );
    expect(refused.errors?.[0]?.extensions?.['details']).toMatchObject({ reason: 'POLICY_RETIRED' });
  });

  it('refuses a motion whose policy is malformed or takes from outside the organisation, changing nothing', async () => {
    const before = await app.snapshot();
    const proposeMotion = `mutation($input: ProposeMotionInput!) { proposeMotion(input: $input) { id } }`;
    const attempt = async (params: Record<string, unknown>) =>
      app.graphql(
        proposeMotion,
        {
          input: {
            id: crypto.randomUUID(),
            assemblyId: w.assemblyId,
            title: 'Adopt',
            closesAt: new Date(clockOf(app).now().getTime() + 3_600_000).toISOString(),
            effect: { kind: 'redistribution.adopt-policy', params },
          },
        },
        { token: folks.coop.members[0]!.token },
      );
    const outsider = surplusPolicy(w);
    (outsider['legs'] as any[])[0].sources[0].accountId = w.strikeFund;
    for (const params of [
      { policy: { name: 'x' } },
      { policy: outsider },
      { policy: surplusPolicy(w, { unitCode: 'NOPE' }) },
    ]) {
      const response = await attempt(params);
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { reason: 'INVALID_POLICY' },
      });
    }
    expect(await app.snapshot()).toEqual(before);
  });

  it('a policy with a cadence runs on its own at the period’s end, once, with two processes ticking', async () => {
    // The payments of this month were recorded by real time: the run must cover the month they are in, so the
    // clock (moved an hour per motion by earlier tests) comes back to now, and the adoption takes a minute.
    clockOf(app).set(new Date());
    const policyId = await adopt(app, w, surplusPolicy(w, { cadence: 'MONTHLY' }), undefined, 1);
    const now = clockOf(app).now();
    const firstOfNext = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const second = await app.alongside();
    try {
      clockOf(app).set(firstOfNext);
      clockOf(second).set(firstOfNext);
      await Promise.all([app.app.get(SchedulerService).tick(), second.app.get(SchedulerService).tick()]);
      await app.app.get(SchedulerService).settled();
      await second.app.get(SchedulerService).settled();
    } finally {
      await second.close();
    }
    // A restart (the scheduler ticking again at the same instant) runs nothing more.
    await runUntil(app, firstOfNext);
    const runs = await app.dataSource.query(
      `SELECT executed_by, period_start, period_end FROM redistribution_run WHERE policy_id = $1`,
      [policyId],
    );
    expect(runs).toHaveLength(1);
    expect(runs[0].executed_by).toBe('system:redistribution.schedule');
    expect((runs[0].period_end as Date).toISOString()).toBe(firstOfNext.toISOString());
    expect(await balance(app, w.strikeFund)).toBe('12000');
  });
  it('shows a federation the runs of its member co-op, folding accounts it may not see into aggregates', async () => {
    const federationId = app.steward.organizationId;
    const requested = await app.ok<{ requestFederationMembership: { id: string } }>(
      `mutation($input: RequestFederationMembershipInput!) { requestFederationMembership(input: $input) { id } }`,
      { input: { organizationId: folks.coop.id, federationId } },
    );
    await app.ok(`mutation($input: FederationMembershipIdInput!) { admitFederationMember(input: $input) { id } }`, {
      input: { federationMembershipId: requested.requestFederationMembership.id },
    });
    const federate = await join(app, app.steward.token, federationId, 'redis-federate@test.example');
    const policyId = await adopt(app, w, surplusPolicy(w));
    const runId = (await execute(policyId, (await preview(policyId)).digest)).data!.executeRedistributionRun.run.id;

    const seen = await app.ok<{ redistributionRun: any }>(REDISTRIBUTION.run, { id: runId }, { token: federate.token });
    const lines = seen.redistributionRun.lines.edges.map((edge: any) => edge.node);
    const accountIds = lines.map((line: any) => line.accountId);
    expect(accountIds).toContain(w.strikeFund);
    for (const hidden of [w.coopFund, ...w.memberAccounts]) expect(accountIds).not.toContain(hidden);
    const aggregates = lines.filter((line: any) => line.accountId === null);
    expect(aggregates.length).toBeGreaterThan(0);
    const total = (role: string) =>
      lines.filter((line: any) => line.role === role).reduce((sum: bigint, line: any) => sum + BigInt(line.amount), 0n);
    expect(total('SOURCE')).toBe(40000n);
    expect(total('DESTINATION')).toBe(40000n);

    const refused = await app.graphql(
      REDISTRIBUTION.preview,
      { input: { policyId, ...period, linesFirst: 5 } },
      { token: federate.token },
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const member = await app.ok<{ redistributionRun: any }>(
      REDISTRIBUTION.run,
      { id: runId },
      { token: folks.coop.members[2]!.token },
    );
    expect(member.redistributionRun.lines.edges.every((edge: any) => edge.node.accountId !== null)).toBe(true);
  });
});
