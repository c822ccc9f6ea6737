/**
 * Goal: what a trust's bookkeeper closes the month with and what a household sees: the arrears report aged
 * 30/60/90+ days with trust-wide totals, paged; waivers and deferrals with their reasons, shown on the
 * statement, the books balanced (a waiver credits the lease and debits income and reserve by the charge's
 * split); relief decided by a motion of the trust's assembly, and a fee change likewise; the leaseholder's
 * own statement, hidden from other members. Method: the real app over GraphQL, the clock moved and the
 * scheduler ticked; governance's own fixtures for the assembly.
 */
import { randomUUID } from 'node:crypto';
import { createAssembly, join, propose, runUntil, vote, type Member } from '../governance/governance-fixtures.js';
import type { TestApp } from '../setup/test-app.js';
import { useTestApp } from '../setup/use-test-app.js';
import {
  LAND,
  addParcel,
  balanceOf,
  pay,
  setClock,
  setUpTrust,
  signLease,
  statementOf,
  type Trust,
} from './land-trust-fixtures.js';

interface Report {
  asOf: string;
  totals: { leasesInArrears: number; outstanding: string; overdue: string; buckets: Record<string, string> };
  leases: { lease: { id: string }; outstanding: string; daysLate: number | null; buckets: Record<string, string> }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

describe('arrears, relief and statements', () => {
  let app: TestApp;
  let households: Member[] = [];
  let trust: Trust;
  let leases: { id: string; accountId: string }[];

  useTestApp(
    {
      once: async (started) => {
        households = [];
        for (const name of ['ada', 'bo', 'cy']) {
          households.push(
            await join(started, started.steward.token, started.steward.organizationId, `${name}@clt.example`),
          );
        }
      },
    },
    (fixture) => {
      app = fixture.app;
    },
  );

  beforeEach(async () => {
    setClock(app, '2025-01-02');
    trust = await setUpTrust(app);
    leases = [];
    for (const household of households) {
      leases.push(
        await signLease(app, await addParcel(app, trust.id), {
          leaseholderId: household.personId,
          startsOn: '2025-01-01',
          fee: '100000',
          reserveSharePoints: 2500,
        }),
      );
    }
    setClock(app, '2025-05-01');
    await app.ok(LAND.postDueLeaseCharges, { input: { trustId: trust.id } });
    // Ada pays everything, Bo pays January only, Cy overpays.
    await pay(app, leases[0]!.id, '500000');
    await pay(app, leases[1]!.id, '100000');
    await pay(app, leases[2]!.id, '600000');
  });

  it('reports the leases in arrears aged on a day, with totals, page by page', async () => {
    const { arrearsReport } = await app.ok<{ arrearsReport: Report }>(LAND.arrearsReport, {
      trustId: trust.id,
      asOf: '2025-05-15',
    });
    expect(arrearsReport.totals).toMatchObject({
      leasesInArrears: 1,
      outstanding: '400000',
      overdue: '400000',
      buckets: { notDue: '0', current: '100000', days30: '100000', days60: '100000', days90Plus: '100000' },
    });
    expect(arrearsReport.leases).toEqual([
      expect.objectContaining({
        lease: expect.objectContaining({ id: leases[1]!.id }),
        outstanding: '400000',
        daysLate: 103,
      }),
    ]);
    // Cy's credit: the statement says so, and the lease is not in arrears.
    expect(await statementOf(app, leases[2]!.id)).toMatchObject({ credit: '100000', outstanding: '0' });
    // Another lease behind: two pages of one.
    setClock(app, '2025-06-02');
    await app.ok(LAND.postDueLeaseCharges, { input: { trustId: trust.id } });
    const first = await app.ok<{ arrearsReport: Report }>(LAND.arrearsReport, { trustId: trust.id, first: 1 });
    expect(first.arrearsReport.totals.leasesInArrears).toBe(2);
    expect(first.arrearsReport.pageInfo.hasNextPage).toBe(true);
    const second = await app.ok<{ arrearsReport: Report }>(LAND.arrearsReport, {
      trustId: trust.id,
      first: 1,
      after: first.arrearsReport.pageInfo.endCursor,
    });
    expect(second.arrearsReport.pageInfo.hasNextPage).toBe(false);
    const ids = [first.arrearsReport.leases[0]!.lease.id, second.arrearsReport.leases[0]!.lease.id].sort();
    expect(ids).toEqual([leases[0]!.id, leases[1]!.id].sort());
  });

  it('waives a charge with a reason: on the statement, the books balanced, replayed by its id', async () => {
    const bo = leases[1]!;
    let statement = await statementOf(app, bo.id);
    const february = statement.charges[1]!;
    const incomeBefore = BigInt(await balanceOf(app, trust.incomeAccountId));
    const input = { id: randomUUID(), chargeId: february.charge.id, reason: 'Job loss in February' };
    const { waiveLeaseCharge } = await app.ok<{ waiveLeaseCharge: { kind: string; amount: string } }>(
      LAND.waiveLeaseCharge,
      { input },
    );
    expect(waiveLeaseCharge).toMatchObject({ kind: 'WAIVE', amount: '100000' });
    expect(await app.ok(LAND.waiveLeaseCharge, { input })).toEqual({
      waiveLeaseCharge: expect.objectContaining(waiveLeaseCharge),
    });
    statement = await statementOf(app, bo.id);
    expect(statement.charges[1]).toMatchObject({ waived: '100000', outstanding: '0' });
    expect(statement.reliefs).toEqual([expect.objectContaining({ kind: 'WAIVE', amount: '100000' })]);
    expect(statement).toMatchObject({ outstanding: '300000', accountBalance: '-300000', waived: '100000' });
    expect(BigInt(await balanceOf(app, trust.incomeAccountId))).toBe(incomeBefore - 75000n);
    // Partial waivers up to what is left of a charge.
    const march = statement.charges[2]!.charge.id;
    await app.ok(LAND.waiveLeaseCharge, {
      input: { id: randomUUID(), chargeId: march, amount: '40000', reason: 'Hardship' },
    });
    const before = await app.snapshot();
    const over = await app.graphql(LAND.waiveLeaseCharge, {
      input: { id: randomUUID(), chargeId: march, amount: '60001', reason: 'Hardship' },
    });
    expect(over.errors?.[0]?.extensions.details).toMatchObject({ reason: 'WAIVER_EXCEEDS_CHARGE', left: '60000' });
    const paidUp = await app.graphql(LAND.waiveLeaseCharge, {
      input: { id: randomUUID(), chargeId: statement.charges[0]!.charge.id, reason: 'Nothing owed' },
    });
    expect(paidUp.errors?.[0]?.extensions.details.reason).toBe('INVALID_LEASE');
    const missing = await app.graphql(LAND.waiveLeaseCharge, {
      input: { id: randomUUID(), chargeId: randomUUID(), reason: 'x' },
    });
    expect(missing.errors?.[0]?.extensions.details.reason).toBe('CHARGE_NOT_FOUND');
    const reused = await app.graphql(LAND.waiveLeaseCharge, { input: { ...input, chargeId: march } });
    expect(reused.errors?.[0]?.extensions.details.reason).toBe('ID_IN_USE');
    expect(await app.snapshot()).toEqual(before);
  });

  it('defers a charge: owed but not overdue until the new day; never to an earlier one', async () => {
    const bo = leases[1]!;
    const april = (await statementOf(app, bo.id)).charges[3]!.charge.id;
    await app.ok(LAND.deferLeaseCharge, {
      input: { id: randomUUID(), chargeId: april, deferTo: '2025-07-01', reason: 'Payment plan agreed' },
    });
    const statement = await statementOf(app, bo.id, '2025-05-15');
    expect(statement.charges[3]).toMatchObject({ dueOn: '2025-07-01', bucket: 'NOT_DUE', daysLate: null });
    expect(statement.buckets).toMatchObject({ notDue: '100000', current: '100000', days90Plus: '100000' });
    expect(statement.overdue).toBe('300000');
    const before = await app.snapshot();
    for (const deferTo of ['2025-07-01', '2025-03-01']) {
      const response = await app.graphql(LAND.deferLeaseCharge, {
        input: { id: randomUUID(), chargeId: april, deferTo, reason: 'Again' },
      });
      expect(response.errors?.[0]?.extensions.details.reason).toBe('DEFERRAL_NOT_LATER');
    }
    expect(await app.snapshot()).toEqual(before);
  });

  it('shows a leaseholder their own statement and leases, and no one else theirs', async () => {
    const [ada, bo] = households as [Member, Member];
    const own = await statementOf(app, leases[0]!.id, null, { token: ada.token });
    expect(own).toMatchObject({ charged: '500000', paid: '500000', outstanding: '0' });
    const { myGroundLeases } = await app.ok<{ myGroundLeases: { id: string }[] }>(
      LAND.myGroundLeases,
      {},
      { token: ada.token },
    );
    expect(myGroundLeases.map((lease) => lease.id)).toEqual([leases[0]!.id]);
    const other = await app.graphql(LAND.leaseStatement, { leaseId: leases[0]!.id }, { token: bo.token });
    expect(other.errors?.[0]?.extensions.details.reason).toBe('LEASE_STATEMENT_NOT_VISIBLE');
    const report = await app.graphql(LAND.arrearsReport, { trustId: trust.id }, { token: bo.token });
    expect(report.errors?.[0]?.extensions.details.reason).toBe('STEWARD_REQUIRED');
  });

  it("a motion of the trust's assembly waives a charge and changes a fee, named on what it writes", async () => {
    const assemblyId = await createAssembly(app, app.steward.organizationId);
    const bo = leases[1]!;
    const march = (await statementOf(app, bo.id)).charges[2]!.charge.id;
    const closesAt = new Date('2025-05-01T18:00:00.000Z');
    const waive = await propose(app, app.steward.token, assemblyId, {
      closesAt: closesAt.toISOString(),
      effect: {
        kind: 'land-trusts.relieve-charge',
        params: { chargeId: march, kind: 'WAIVE', reason: 'Assembly relief' },
      },
    });
    const fee = await propose(app, app.steward.token, assemblyId, {
      closesAt: closesAt.toISOString(),
      effect: {
        kind: 'land-trusts.change-fee',
        params: {
          leaseId: bo.id,
          effectiveOn: '2025-06-01',
          fee: '80000',
          reserveSharePoints: 2000,
          reason: 'Affordability',
        },
      },
    });
    for (const voter of [app.steward.token, ...households.map((household) => household.token)]) {
      await vote(app, voter, waive, { choice: 'YES' });
      await vote(app, voter, fee, { choice: 'YES' });
    }
    await runUntil(app, new Date(closesAt.getTime() + 1000));
    const statement = await statementOf(app, bo.id);
    expect(statement.reliefs).toEqual([expect.objectContaining({ kind: 'WAIVE', amount: '100000', chargeId: march })]);
    const written = await app.ok<{ transactionsByAuthority: { edges: { node: { kind: string } }[] } }>(
      LAND.byAuthority,
      {
        kind: 'MOTION',
        id: waive,
      },
    );
    expect(written.transactionsByAuthority.edges.map((edge) => edge.node.kind)).toEqual(['GROUND_LEASE_WAIVER']);
    const { groundLease } = await app.ok<{
      groundLease: { fees: { effectiveOn: string; fee: string; motionId: string }[] };
    }>(LAND.groundLease, { id: bo.id });
    expect(groundLease.fees.at(-1)).toMatchObject({ effectiveOn: '2025-06-01', fee: '80000', motionId: fee });
    // An effect on another organisation's lease is refused when proposed.
    const refused = await app.graphql(`mutation($input: ProposeMotionInput!) { proposeMotion(input: $input) { id } }`, {
      input: {
        id: randomUUID(),
        assemblyId,
        title: 'Bad',
        closesAt: new Date('2025-05-02T00:00:00.000Z').toISOString(),
        effect: {
          kind: 'land-trusts.change-fee',
          params: { leaseId: randomUUID(), effectiveOn: '2025-06-01', fee: '1', reserveSharePoints: 0 },
        },
      },
    });
    expect(refused.errors?.[0]?.extensions.details.reason).toBe('LEASE_NOT_FOUND');
  });
});
