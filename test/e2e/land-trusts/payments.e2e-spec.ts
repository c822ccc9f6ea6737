/**
 * Goal: payments toward a lease, received from outside (a steward records them) or paid from the
 * leaseholder's ledger account, are allocated to the oldest unpaid charges first, an overpayment stays as
 * credit that the next charges take, a replay with the same id records nothing more, and every refusal
 * changes nothing; concurrent payments all land, once each. Method: the real app over GraphQL; the
 * statement read after each step, the books checked after each test.
 */
import { randomUUID } from 'node:crypto';
import { openAccount } from '../ledger/ledger-fixtures.js';
import type { TestApp } from '../setup/test-app.js';
import { useTestApp } from '../setup/use-test-app.js';
import {
  LAND,
  UNIT,
  addParcel,
  balanceOf,
  pay,
  setClock,
  setUpTrust,
  signLease,
  statementOf,
  type Trust,
} from './land-trust-fixtures.js';

describe('lease payments', () => {
  let app: TestApp;
  let trust: Trust;
  let lease: { id: string; accountId: string };

  useTestApp({}, (fixture) => {
    app = fixture.app;
  });

  beforeEach(async () => {
    setClock(app, '2025-04-10');
    trust = await setUpTrust(app);
    lease = await signLease(app, await addParcel(app, trust.id), {
      leaseholderId: app.steward.personId,
      startsOn: '2025-01-01',
      fee: '100000',
    });
    await app.ok(LAND.postDueLeaseCharges, { input: { trustId: trust.id } });
  });

  it('allocates a payment to the oldest charges first and keeps an overpayment as credit for the next', async () => {
    const first = await pay(app, lease.id, '150000', { receivedOn: '2025-04-02', memo: 'Cheque 1041' });
    let statement = await statementOf(app, lease.id);
    expect(statement.charges.map((line) => [line.charge.period, line.paid, line.outstanding])).toEqual([
      ['2025-01', '100000', '0'],
      ['2025-02', '50000', '50000'],
      ['2025-03', '0', '100000'],
      ['2025-04', '0', '100000'],
    ]);
    expect(statement.allocations).toHaveLength(2);
    expect(statement).toMatchObject({ charged: '400000', paid: '150000', outstanding: '250000', credit: '0' });
    expect(statement.accountBalance).toBe('-250000');
    expect(await balanceOf(app, trust.receiptsAccountId)).toBe('-150000');

    await pay(app, lease.id, '300000');
    statement = await statementOf(app, lease.id);
    expect(statement).toMatchObject({ outstanding: '0', credit: '50000', accountBalance: '50000' });
    // The next charge takes the credit first.
    setClock(app, '2025-05-02');
    await app.ok(LAND.postDueLeaseCharges, { input: { trustId: trust.id } });
    statement = await statementOf(app, lease.id);
    expect(statement).toMatchObject({ outstanding: '50000', credit: '0', accountBalance: '-50000' });
    expect(statement.charges.at(-1)).toMatchObject({ paid: '50000', outstanding: '50000' });
    expect(statement.payments.map((item) => item.id)[0]).toBe(first);
  });

  it('takes a payment from the leaseholder account, and refuses one the ledger refuses, changing nothing', async () => {
    const wallet = await openAccount(app, { unitCode: UNIT, holderId: app.steward.personId, creditLimit: '120000' });
    const paid = await app.ok<{ recordLeasePayment: { source: string; fromAccountId: string } }>(
      LAND.recordLeasePayment,
      {
        input: { id: randomUUID(), leaseId: lease.id, amount: '100000', fromAccountId: wallet },
      },
    );
    expect(paid.recordLeasePayment).toMatchObject({ source: 'ACCOUNT', fromAccountId: wallet });
    expect(await balanceOf(app, wallet)).toBe('-100000');
    const before = await app.snapshot();
    const over = await app.graphql(LAND.recordLeasePayment, {
      input: { id: randomUUID(), leaseId: lease.id, amount: '30000', fromAccountId: wallet },
    });
    expect(over.errors?.[0]?.extensions).toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    expect(await app.snapshot()).toEqual(before);
  });

  it('replays a payment sent again with the same id, and refuses the id for another payment', async () => {
    const input = { id: randomUUID(), leaseId: lease.id, amount: '25000', receivedOn: '2025-04-01' };
    const first = await app.ok<{ recordLeasePayment: unknown }>(LAND.recordLeasePayment, { input });
    const again = await app.ok<{ recordLeasePayment: unknown }>(LAND.recordLeasePayment, { input });
    expect(again).toEqual(first);
    expect((await statementOf(app, lease.id)).paid).toBe('25000');
    const before = await app.snapshot();
    const other = await app.graphql(LAND.recordLeasePayment, { input: { ...input, amount: '25001' } });
    expect(other.errors?.[0]?.extensions.details.reason).toBe('ID_IN_USE');
    expect(await app.snapshot()).toEqual(before);
  });

  it('refuses bad payments with their reasons, changing nothing', async () => {
    const wallet = await openAccount(app, { unitCode: UNIT, holderId: app.steward.personId, creditLimit: '0' });
    const before = await app.snapshot();
    const cases: [Record<string, unknown>, string][] = [
      [{ amount: '0' }, 'INVALID_LEASE'],
      [{ amount: '-5' }, 'INVALID_LEASE'],
      [{ receivedOn: '2025-04-11' }, 'INVALID_LEASE'],
      [{ receivedOn: '2025-13-01' }, 'INVALID_LEASE'],
      [{ receivedOn: '2025-02-29' }, 'INVALID_LEASE'],
      [{ leaseId: randomUUID() }, 'LEASE_NOT_FOUND'],
      [{ fromAccountId: randomUUID() }, 'ACCOUNT_NOT_FOUND'],
      [{ fromAccountId: lease.accountId }, 'INVALID_LEASE'],
      [{ fromAccountId: trust.incomeAccountId }, 'INVALID_LEASE'],
      [{ fromAccountId: wallet }, 'CREDIT_LIMIT_EXCEEDED'],
    ];
    for (const [extra, reason] of cases) {
      const response = await app.graphql(LAND.recordLeasePayment, {
        input: { id: randomUUID(), leaseId: lease.id, amount: '1000', ...extra },
      });
      const error = response.errors?.[0]?.extensions;
      expect([JSON.stringify(extra), error?.details.reason ?? error?.code]).toEqual([JSON.stringify(extra), reason]);
    }
    const otherUnit = await openAccountInOtherUnit(app);
    const wrongUnit = await app.graphql(LAND.recordLeasePayment, {
      input: { id: randomUUID(), leaseId: lease.id, amount: '1000', fromAccountId: otherUnit },
    });
    expect(wrongUnit.errors?.[0]?.extensions.details.reason).toBe('WRONG_UNIT');
    // Nothing of the land trust or the ledger's transactions changed (the other unit's account is new).
    const after = await app.snapshot();
    for (const table of ['ground_lease_payment', 'ledger_transaction', 'entry', 'transaction_outcome']) {
      expect([table, after[table]]).toEqual([table, before[table]]);
    }
  });

  it('records concurrent payments each once, and one id sent concurrently once', async () => {
    const amounts = Array.from({ length: 12 }, (_, index) => String(1000 * (index + 1)));
    const shared = { id: randomUUID(), leaseId: lease.id, amount: '7' };
    await Promise.all([
      ...amounts.map((amount) => pay(app, lease.id, amount)),
      ...[0, 1, 2].map(() => app.ok(LAND.recordLeasePayment, { input: shared })),
    ]);
    const statement = await statementOf(app, lease.id);
    expect(statement.payments).toHaveLength(13);
    const total = amounts.reduce((sum, amount) => sum + BigInt(amount), 7n);
    expect(statement.paid).toBe(total.toString());
    expect(statement.accountBalance).toBe((total - 400000n).toString());
  });
});

async function openAccountInOtherUnit(app: TestApp): Promise<string> {
  await app.ok(`mutation($input: CreateUnitInput!) { createUnit(input: $input) { code } }`, {
    input: { code: 'OTHER', name: 'Other unit', kind: 'CURRENCY', scale: 2, issuerId: app.steward.organizationId },
  });
  return openAccount(app, { unitCode: 'OTHER', holderId: app.steward.personId, creditLimit: '100000' });
}
