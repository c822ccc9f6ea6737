/**
 * Goal: ground-lease charges fall due once per lease and period, posted by the scheduler as the system actor
 * with a controllable clock: a year of charges month by month (with proration of a mid-month start and a fee
 * change), a catch-up after three months of downtime (each missed period with its own due date), and no
 * period twice when the scheduler runs again, when a steward posts at the same time, or when two server
 * processes run it at once. Method: the real app over GraphQL; the scheduler ticked directly with the clock
 * moved; charges read from the lease's statement, the ledger's accounts and transactions by authority.
 */
import { randomUUID } from 'node:crypto';
import { SchedulerService } from '../../../src/kernel/scheduling/scheduler.service.js';
import type { TestApp } from '../setup/test-app.js';
import { useTestApp } from '../setup/use-test-app.js';
import {
  LAND,
  addParcel,
  balanceOf,
  runScheduler,
  setClock,
  setUpTrust,
  signLease,
  statementOf,
  type Trust,
} from './land-trust-fixtures.js';

describe('ground-lease charges', () => {
  let app: TestApp;
  let trust: Trust;
  let parcelId: string;

  useTestApp({}, (fixture) => {
    app = fixture.app;
  });

  beforeEach(async () => {
    setClock(app, '2025-01-10');
    trust = await setUpTrust(app);
    parcelId = await addParcel(app, trust.id);
  });

  it('posts a year of charges month by month, prorating the first month and a fee change, each once', async () => {
    const lease = await signLease(app, parcelId, {
      leaseholderId: app.steward.personId,
      startsOn: '2025-01-16',
      dueDay: 1,
      fee: '100000',
      reserveSharePoints: 2500,
    });
    await app.ok(LAND.changeGroundLeaseFee, {
      input: {
        leaseId: lease.id,
        effectiveOn: '2025-06-16',
        fee: '130000',
        reserveSharePoints: 3333,
        reason: 'Annual review',
      },
    });
    for (let month = 1; month <= 12; month += 1) {
      setClock(app, `2025-${String(month).padStart(2, '0')}-20`);
      await runScheduler(app);
      // A second tick in the same month posts nothing more.
      await runScheduler(app);
    }
    const statement = await statementOf(app, lease.id, '2025-12-20');
    const periods = statement.charges.map((line) => line.charge.period);
    expect(periods).toEqual([
      '2025-01',
      '2025-02',
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
    ]);
    const amounts = statement.charges.map((line) => line.charge.amount);
    // January: 16 of 31 days of 1000.00 = 516.129… → 516.13, due on the first day of the lease.
    expect(statement.charges[0]?.charge).toMatchObject({ amount: '51613', dueOn: '2025-01-16', daysCharged: 16 });
    // June: 15 days at 1000.00 and 15 at 1300.00 of 30 = 1150.00.
    expect(amounts.slice(1, 6)).toEqual(['100000', '100000', '100000', '100000', '115000']);
    expect(amounts.slice(6)).toEqual(['130000', '130000', '130000', '130000', '130000', '130000']);
    expect(statement.charges.map((line) => line.charge.dueOn).slice(1, 3)).toEqual(['2025-02-01', '2025-03-01']);
    // Each charge is split exactly between income and reserve, at the share in force on its due date.
    for (const line of statement.charges) {
      expect(BigInt(line.charge.income) + BigInt(line.charge.reserve)).toBe(BigInt(line.charge.amount));
      expect(line.charge.postedBy).toBe('system:land-trusts.charges');
    }
    expect(statement.charges[6]?.charge).toMatchObject({ income: '86671', reserve: '43329' });
    const total = amounts.reduce((sum, amount) => sum + BigInt(amount), 0n);
    expect(statement.charged).toBe(total.toString());
    expect(statement.accountBalance).toBe((-total).toString());
    const income = statement.charges.reduce((sum, line) => sum + BigInt(line.charge.income), 0n);
    expect(await balanceOf(app, trust.incomeAccountId)).toBe(income.toString());
    expect(await balanceOf(app, trust.reserveAccountId)).toBe((total - income).toString());
    // The ledger transaction names the charge as its authority and is effective on the due date.
    const first = statement.charges[0]?.charge;
    const { transactionsByAuthority } = await app.ok<{
      transactionsByAuthority: { edges: { node: { id: string; effectiveAt: string; recordedBy: string } }[] };
    }>(LAND.byAuthority, { kind: 'GROUND_LEASE_CHARGE', id: first?.id });
    expect(transactionsByAuthority.edges).toHaveLength(1);
    expect(transactionsByAuthority.edges[0]?.node).toMatchObject({
      id: first?.transactionId,
      effectiveAt: '2025-01-16T00:00:00.000Z',
      recordedBy: 'system:land-trusts.charges',
    });
  });

  it('catches up after three months of downtime: each missed period once, with its own due date', async () => {
    const lease = await signLease(app, parcelId, {
      leaseholderId: app.steward.personId,
      startsOn: '2025-01-01',
      dueDay: 5,
    });
    setClock(app, '2025-01-11');
    await runScheduler(app);
    expect((await statementOf(app, lease.id)).charges).toHaveLength(1);
    // Down from January to mid-April: one tick, the latest occurrence, posts February, March and April.
    setClock(app, '2025-04-15');
    await runScheduler(app);
    const statement = await statementOf(app, lease.id);
    expect(statement.charges.map((line) => [line.charge.period, line.charge.dueOn])).toEqual([
      ['2025-01', '2025-01-05'],
      ['2025-02', '2025-02-05'],
      ['2025-03', '2025-03-05'],
      ['2025-04', '2025-04-05'],
    ]);
    expect(statement.buckets).toMatchObject({
      days60: '100000',
      days30: '100000',
      current: '100000',
      days90Plus: '100000',
    });
    await runScheduler(app);
    expect((await statementOf(app, lease.id)).charges).toHaveLength(4);
  });

  it('posts nothing twice when the scheduler, a steward and a second process run at the same time', async () => {
    const leases = [];
    for (let index = 0; index < 5; index += 1) {
      const parcel = index === 0 ? parcelId : await addParcel(app, trust.id);
      leases.push(await signLease(app, parcel, { leaseholderId: app.steward.personId, startsOn: '2024-07-01' }));
    }
    const second = await app.alongside();
    try {
      setClock(app, '2025-03-02');
      setClock(second, '2025-03-02');
      const scheduler = app.app.get(SchedulerService);
      const otherScheduler = second.app.get(SchedulerService);
      await Promise.all([
        scheduler.tick(),
        otherScheduler.tick(),
        app.ok(LAND.postDueLeaseCharges, { input: { trustId: trust.id } }),
        second.ok(LAND.postDueLeaseCharges, { input: { trustId: trust.id } }),
        app.ok(LAND.postDueLeaseCharges, { input: { trustId: trust.id } }),
      ]);
      await Promise.all([scheduler.settled(), otherScheduler.settled()]);
    } finally {
      await second.app.close();
    }
    for (const lease of leases) {
      const statement = await statementOf(app, lease.id);
      expect(statement.charges).toHaveLength(9);
      expect(statement.accountBalance).toBe('-900000');
    }
    const rows: { count: string }[] = await app.dataSource.query(
      `SELECT count(*) FROM ledger_transaction WHERE kind = 'GROUND_LEASE_CHARGE'`,
    );
    expect(rows[0]?.count).toBe('45');
    expect(await balanceOf(app, trust.reserveAccountId)).toBe('1125000');
  });

  it('a steward posts what is due at once; a lease that has not started or has ended is charged nothing more', async () => {
    const ended = await signLease(app, parcelId, {
      leaseholderId: app.steward.personId,
      startsOn: '2024-11-01',
      endsOn: '2024-12-15',
    });
    const future = await signLease(app, await addParcel(app, trust.id), {
      leaseholderId: app.steward.personId,
      startsOn: '2025-03-01',
    });
    const { postDueLeaseCharges } = await app.ok<{ postDueLeaseCharges: { posted: number; upTo: string } }>(
      LAND.postDueLeaseCharges,
      { input: { trustId: trust.id } },
    );
    expect(postDueLeaseCharges).toEqual({ trustId: trust.id, upTo: '2025-01-10', posted: 2 });
    const statement = await statementOf(app, ended.id);
    // December: 15 of 31 days = 483.87.
    expect(statement.charges.map((line) => [line.charge.period, line.charge.amount, line.charge.dueOn])).toEqual([
      ['2024-11', '100000', '2024-11-01'],
      ['2024-12', '48387', '2024-12-01'],
    ]);
    expect((await statementOf(app, future.id)).charges).toEqual([]);
    const again = await app.ok<{ postDueLeaseCharges: { posted: number } }>(LAND.postDueLeaseCharges, {
      input: { trustId: trust.id },
    });
    expect(again.postDueLeaseCharges.posted).toBe(0);
  });

  it('refuses a fee change in a period already charged, and one outside the lease, changing nothing', async () => {
    const lease = await signLease(app, parcelId, { leaseholderId: app.steward.personId, startsOn: '2024-12-01' });
    await app.ok(LAND.postDueLeaseCharges, { input: { trustId: trust.id } });
    const before = await app.snapshot();
    const change = (effectiveOn: string) =>
      app.graphql(LAND.changeGroundLeaseFee, {
        input: { leaseId: lease.id, effectiveOn, fee: '1', reserveSharePoints: 0, reason: '' },
      });
    const charged = await change('2025-01-20');
    expect(charged.errors?.[0]?.extensions.details.reason).toBe('PERIOD_ALREADY_CHARGED');
    const beforeStart = await change('2024-11-01');
    expect(beforeStart.errors?.[0]?.extensions.details.reason).toBe('INVALID_LEASE');
    const badDay = await change('2025-02-30');
    expect(badDay.errors?.[0]?.extensions.details.reason).toBe('INVALID_LEASE');
    const missing = await app.graphql(LAND.changeGroundLeaseFee, {
      input: { leaseId: randomUUID(), effectiveOn: '2025-03-01', fee: '1', reserveSharePoints: 0 },
    });
    expect(missing.errors?.[0]?.extensions.details.reason).toBe('LEASE_NOT_FOUND');
    expect(await app.snapshot()).toEqual(before);
    // The same change twice is one version.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await app.ok(LAND.changeGroundLeaseFee, {
        input: { leaseId: lease.id, effectiveOn: '2025-02-01', fee: '90000', reserveSharePoints: 2000, reason: 'x' },
      });
    }
    const { groundLease } = await app.ok<{ groundLease: { fees: unknown[] } }>(LAND.groundLease, { id: lease.id });
    expect(groundLease.fees).toHaveLength(2);
  });
});
