/**
 * Goal: the land trusts' invariants of the books hold in every state the module reaches (charges posted by
 * a steward and by the scheduler's catch-up, a free lease's zero charges, a reserve taking the whole fee,
 * payments received, paid from an account, replayed, overpaid and reversed by the ledger, a receivable
 * credited directly, waivers partial, whole, decided by a motion and credited by a termination, deferrals),
 * and each names exactly the damage it is there for. Method: the real app over GraphQL into those states,
 * the invariants read with the books check's own query; then each rule broken behind the module's back in
 * a database transaction (guard triggers off where they refuse), read there, and rolled back.
 */
import { randomUUID } from 'node:crypto';
import { BOOKS } from '../../../src/domain-modules.js';
import { findInvariantViolations, type InvariantResult } from '../../../src/kernel/invariants.js';
import { createAssembly, join, propose, runUntil, vote, type Member } from '../governance/governance-fixtures.js';
import { openAccount, POST_TRANSACTION, REVERSE_TRANSACTION, transfer } from '../ledger/ledger-fixtures.js';
import type { TestApp } from '../setup/test-app.js';
import { useTestApp } from '../setup/use-test-app.js';
import {
  LAND,
  UNIT,
  addParcel,
  pay,
  runScheduler,
  setClock,
  setUpTrust,
  signLease,
  statementOf,
  type Trust,
} from './land-trust-fixtures.js';

const ACCOUNTS =
  "land-trusts: a trust's accounts and its leases' receivables are held by the trust's organisation, in its unit";
const CHARGES =
  "land-trusts: every posted charge has its transaction: the lease's receivable debited, income and reserve credited by its split";
const PAYMENTS =
  "land-trusts: every payment has its transaction: the payer debited and the lease's receivable credited by its amount";
const WAIVERS =
  "land-trusts: every waiver has its transaction: income and reserve debited and the lease's receivable credited by its amount";

describe('invariants of the books of land trusts', () => {
  let app: TestApp;
  let household: Member;
  let trust: Trust;
  let lease: { id: string; accountId: string };

  useTestApp(
    {
      once: async (started) => {
        household = await join(started, started.steward.token, started.steward.organizationId, 'dee@clt.example');
      },
    },
    (fixture) => {
      app = fixture.app;
    },
  );

  beforeEach(async () => {
    setClock(app, '2025-01-02');
    trust = await setUpTrust(app);
    // The steward holds this lease, so they may pay it from their own account.
    lease = await signLease(app, await addParcel(app, trust.id), {
      leaseholderId: app.steward.personId,
      startsOn: '2025-01-01',
      fee: '100000',
      reserveSharePoints: 2500,
    });
    setClock(app, '2025-04-10');
    await app.ok(LAND.postDueLeaseCharges, { input: { trustId: trust.id } });
  });

  it('hold through charges, payments, relief, termination, a reversal and a direct credit', async () => {
    // A free lease (zero charges, no transaction), one whose reserve takes it all, one starting mid-month.
    const free = await signLease(app, await addParcel(app, trust.id), {
      leaseholderId: household.personId,
      startsOn: '2025-02-01',
      fee: '0',
    });
    const reserved = await signLease(app, await addParcel(app, trust.id), {
      leaseholderId: household.personId,
      startsOn: '2025-02-17',
      fee: '33333',
      reserveSharePoints: 10_000,
    });
    // The scheduler catches up every period missed since the leases began.
    setClock(app, '2025-06-02');
    await runScheduler(app);
    expect((await statementOf(app, free.id)).charges.map((line) => line.charge.transactionId)).toEqual(
      Array.from({ length: 5 }, () => null),
    );
    expect((await statementOf(app, reserved.id)).charges).toHaveLength(5);

    // Payments: received and replayed, from the leaseholder's account, an overpayment; one reversed.
    const received = { id: randomUUID(), leaseId: lease.id, amount: '150000', receivedOn: '2025-04-02' };
    await app.ok(LAND.recordLeasePayment, { input: received });
    await app.ok(LAND.recordLeasePayment, { input: received });
    const wallet = await openAccount(app, { unitCode: UNIT, holderId: app.steward.personId, creditLimit: '500000' });
    await app.ok(LAND.recordLeasePayment, {
      input: { id: randomUUID(), leaseId: lease.id, amount: '60000', fromAccountId: wallet },
    });
    const mistaken = await app.ok<{ recordLeasePayment: { transactionId: string } }>(LAND.recordLeasePayment, {
      input: { id: randomUUID(), leaseId: reserved.id, amount: '900000' },
    });
    await app.ok(REVERSE_TRANSACTION, {
      input: { id: randomUUID(), transactionId: mistaken.recordLeasePayment.transactionId, memo: 'Keyed twice' },
    });
    // Anyone may credit any account: a transfer straight to a receivable is the ledger's, not a payment.
    await app.ok(POST_TRANSACTION, { input: transfer(wallet, reserved.accountId, '1000', { unitCode: UNIT }) });

    // Relief: a partial waiver, a whole one (what is left owing), a deferral, and one a motion decides.
    const charges = (await statementOf(app, lease.id)).charges.map((line) => line.charge.id);
    await app.ok(LAND.waiveLeaseCharge, {
      input: { id: randomUUID(), chargeId: charges[2], amount: '40001', reason: 'Hardship' },
    });
    await app.ok(LAND.waiveLeaseCharge, { input: { id: randomUUID(), chargeId: charges[3], reason: 'Job loss' } });
    await app.ok(LAND.deferLeaseCharge, {
      input: { id: randomUUID(), chargeId: charges[4], deferTo: '2025-09-01', reason: 'Payment plan' },
    });
    const assemblyId = await createAssembly(app, app.steward.organizationId);
    const closesAt = new Date('2025-06-02T18:00:00.000Z');
    const motion = await propose(app, app.steward.token, assemblyId, {
      closesAt: closesAt.toISOString(),
      effect: {
        kind: 'land-trusts.relieve-charge',
        params: { chargeId: charges[5], kind: 'WAIVE', amount: '25000', reason: 'Assembly relief' },
      },
    });
    for (const voter of [app.steward.token, household.token]) await vote(app, voter, motion, { choice: 'YES' });
    await runUntil(app, new Date(closesAt.getTime() + 1000));
    // A termination credits back the days charged after the lease's last day.
    await app.ok(LAND.terminateGroundLease, {
      input: { leaseId: reserved.id, lastDay: '2025-05-20', reason: 'Sold back to the trust' },
    });

    const statement = await statementOf(app, lease.id);
    expect(statement.reliefs.map((relief) => [relief.kind, relief.amount])).toEqual(
      expect.arrayContaining([
        ['WAIVE', '40001'],
        ['WAIVE', '100000'],
        ['DEFER', null],
        ['WAIVE', '25000'],
      ]),
    );
    expect(statement).toMatchObject({ paid: '210000', credit: '0' });
    // May's days after the 20th and all of June.
    expect((await statementOf(app, reserved.id)).reliefs.map((relief) => relief.kind)).toEqual(['WAIVE', 'WAIVE']);
    expect(await findInvariantViolations(app.dataSource.manager, BOOKS)).toEqual([]);
  });

  it("names a receivable that is not the trust's", async () => {
    const unstarted = await signLease(app, await addParcel(app, trust.id), {
      leaseholderId: household.personId,
      startsOn: '2026-01-01',
    });
    const wallet = await openAccount(app, { unitCode: UNIT, holderId: household.personId });
    const violations = await violationsAfter(
      app,
      `UPDATE ground_lease SET account_id = $1 WHERE id = $2`,
      [wallet, unstarted.id],
      true,
    );
    expect(violations).toEqual([
      {
        invariant: ACCOUNTS,
        rows: [expect.objectContaining({ trust_id: trust.id, role: `lease ${unstarted.id}`, account_id: wallet })],
      },
    ]);
  });

  it('names a charge without its transaction, and one whose split is not the one posted', async () => {
    const orphan = randomUUID();
    const missing = await violationsAfter(
      app,
      `INSERT INTO ground_lease_charge (id, lease_id, period, due_on, amount, income_amount, reserve_amount,
         reserve_share_points, days_charged, days_in_period, transaction_id, posted_by)
       VALUES ($1, $2, '2026-01', '2026-01-01', 100000, 75000, 25000, 2500, 31, 31, $3, 'test')`,
      [orphan, lease.id, randomUUID()],
    );
    expect(missing).toEqual([{ invariant: CHARGES, rows: [expect.objectContaining({ id: orphan })] }]);

    const [january] = (await statementOf(app, lease.id)).charges;
    const resplit = await violationsAfter(
      app,
      `UPDATE ground_lease_charge SET income_amount = income_amount - 1, reserve_amount = reserve_amount + 1
       WHERE id = $1`,
      [january!.charge.id],
      true,
    );
    expect(resplit).toEqual([
      {
        invariant: CHARGES,
        rows: [
          expect.objectContaining({
            id: january!.charge.id,
            income_amount: '74999',
            income_credited: '75000',
            reserve_amount: '25001',
            reserve_credited: '25000',
          }),
        ],
      },
    ]);
  });

  it('names a payment whose amount is not the one its transaction moved', async () => {
    const paid = await pay(app, lease.id, '30000');
    const violations = await violationsAfter(
      app,
      `UPDATE ground_lease_payment SET amount = amount + 1 WHERE id = $1`,
      [paid],
      true,
    );
    expect(violations).toEqual([
      {
        invariant: PAYMENTS,
        rows: [expect.objectContaining({ id: paid, amount: '30001', debited: '30000', credited: '30000' })],
      },
    ]);
  });

  it('names a waiver without its transaction', async () => {
    const [january] = (await statementOf(app, lease.id)).charges;
    const waiver = randomUUID();
    const violations = await violationsAfter(
      app,
      `INSERT INTO ground_lease_relief (id, charge_id, kind, amount, reason, transaction_id, recorded_by)
       VALUES ($1, $2, 'WAIVE', 5000, 'Forgiven off the books', $3, 'test')`,
      [waiver, january!.charge.id, randomUUID()],
    );
    expect(violations).toEqual([
      { invariant: WAIVERS, rows: [expect.objectContaining({ id: waiver, debited: '0', credited: '0' })] },
    ]);
  });
});

/**
 * The books check's violations with `damage` done in a database transaction that is then rolled back, so
 * the books are whole again for the check after the test. `guarded`: the rows' guard triggers refuse the
 * change, so the transaction turns them off (replica role) for itself.
 */
async function violationsAfter(
  app: TestApp,
  damage: string,
  parameters: readonly unknown[],
  guarded = false,
): Promise<InvariantResult[]> {
  const runner = app.dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    if (guarded) await runner.query(`SET LOCAL session_replication_role = replica`);
    await runner.query(damage, [...parameters]);
    return await findInvariantViolations(runner.manager, BOOKS);
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
}
