/**
 * Goal: money in, rent escrow and the public report. Contributions of each kind (received from outside,
 * named, pseudonymous or anonymous; paid from a ledger account) move money into the fund and replay by id.
 * A tenant union holds each tenant's withheld rent in escrow (one deposit per tenant and month); only a
 * passed motion releases it: to the landlord in one payment with the per-tenant breakdown, or back to each
 * tenant less what the motion withholds. The public report names no one and hides groups under five from an
 * outsider, while members see more. Method: the real service over HTTP on its own PostgreSQL; motions of the
 * union's assembly closed by moving the controlled clock and ticking the scheduler.
 */
import { randomUUID } from 'node:crypto';
import { createAssembly, inMinutes, propose, readMotion, runUntil, vote } from '../governance/governance-fixtures.js';
import type { TestApp } from '../setup/test-app.js';
import { CWC, useTestApp } from '../setup/use-test-app.js';
import {
  accountOf,
  balanceOf,
  contribute,
  createFund,
  createUnion,
  MONDAY,
  setDay,
  SF,
  type Union,
} from './strike-funds-fixtures.js';

describe('contributions, escrow and the public report', () => {
  let app: TestApp;
  let union: Union;

  let source: string;

  useTestApp({ units: [CWC], accounts: { source: { creditLimit: '100000000' } } }, (fixture) => {
    ({ app } = fixture);
    if (fixture.accounts.source !== undefined) source = fixture.accounts.source;
  });

  beforeAll(async () => {
    union = await createUnion(app, 'tenants', 'TENANT_UNION', 6);
  });

  beforeEach(() => {
    setDay(app, MONDAY);
  });

  describe('contributions', () => {
    it('records money from outside, named or anonymous, and from a ledger account; replays by id', async () => {
      const fund = await createFund(app, union, { purpose: 'MUTUAL_AID' });
      const named = {
        id: randomUUID(),
        fundId: fund.id,
        amount: '5000',
        source: 'OUTSIDE',
        contributorName: 'Bakers local 12',
        visibility: 'NAMED',
        memo: 'Bank transfer',
      };
      const first = await app.ok<{ recordContribution: { contributorName: string } }>(SF.recordContribution, {
        input: named,
      });
      expect(first.recordContribution.contributorName).toBe('Bakers local 12');
      const before = await app.snapshot();
      await app.ok(SF.recordContribution, { input: named });
      expect(await app.snapshot()).toEqual(before);

      await app.ok(SF.recordContribution, {
        input: { id: randomUUID(), fundId: fund.id, amount: '700', source: 'OUTSIDE', visibility: 'ANONYMOUS' },
      });
      const member = union.members[0]!;
      const own = await accountOf(app, member.personId);
      await contributeTo(own, '900');
      const levy = await app.ok<{ recordContribution: { source: string; visibility: string } }>(
        SF.recordContribution,
        {
          input: {
            id: randomUUID(),
            fundId: fund.id,
            amount: '300',
            source: 'LEDGER',
            fromAccountId: own,
            contributorName: 'M.',
            visibility: 'PSEUDONYMOUS',
          },
        },
        { token: member.token },
      );
      expect(levy.recordContribution).toMatchObject({ source: 'LEDGER', visibility: 'PSEUDONYMOUS' });
      expect(await balanceOf(app, fund.accountId)).toBe(6000n);

      // A member may not record money from outside, nor pay from someone else's account.
      const snapshot = await app.snapshot();
      const outside = await app.graphql(
        SF.recordContribution,
        { input: { id: randomUUID(), fundId: fund.id, amount: '1', source: 'OUTSIDE' } },
        { token: member.token },
      );
      expect(outside.errors?.[0]?.extensions).toMatchObject({
        code: 'FORBIDDEN',
        details: { reason: 'FUND_ROLE_REQUIRED' },
      });
      const theirs = await app.graphql(
        SF.recordContribution,
        { input: { id: randomUUID(), fundId: fund.id, amount: '1', source: 'LEDGER', fromAccountId: own } },
        { token: union.members[1]!.token },
      );
      expect(theirs.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
      const anonymousNamed = await app.graphql(SF.recordContribution, {
        input: { id: randomUUID(), fundId: fund.id, amount: '1', source: 'OUTSIDE', contributorName: 'X' },
      });
      expect(anonymousNamed.errors?.[0]?.extensions).toMatchObject({ details: { reason: 'INVALID_CONTRIBUTION' } });
      expect(await app.snapshot()).toEqual(snapshot);
    });

    it('moves every concurrent contribution exactly once', async () => {
      const fund = await createFund(app, union, { purpose: 'MUTUAL_AID' });
      const ids = Array.from({ length: 8 }, () => randomUUID());
      await Promise.all(
        [...ids, ...ids].map((id) =>
          app.graphql(SF.recordContribution, {
            input: { id, fundId: fund.id, amount: '125', source: 'OUTSIDE', visibility: 'ANONYMOUS' },
          }),
        ),
      );
      expect(await balanceOf(app, fund.accountId)).toBe(1000n);
    });
  });

  async function contributeTo(accountId: string, amount: string): Promise<void> {
    await app.ok(`mutation($input: PostTransactionInput!) { postTransaction(input: $input) { transaction { id } } }`, {
      input: {
        id: randomUUID(),
        unitCode: 'CWC',
        entries: [
          { accountId: source, side: 'DEBIT', amount },
          { accountId, side: 'CREDIT', amount },
        ],
      },
    });
  }

  describe('rent escrow', () => {
    let fund: { id: string; accountId: string };
    let tenantAccounts: string[];
    let assemblyId: string;

    beforeEach(async () => {
      fund = await createFund(app, union, { purpose: 'RENT_ESCROW' });
      tenantAccounts = [];
      for (const tenant of union.members.slice(0, 3)) {
        const account = await accountOf(app, tenant.personId);
        await contributeTo(account, '200000');
        tenantAccounts.push(account);
      }
      assemblyId = await createAssembly(app, union.id);
    });

    async function deposit(index: number, month: string, amount: string) {
      const tenant = union.members[index]!;
      return app.graphql(
        SF.depositEscrow,
        {
          input: {
            id: randomUUID(),
            fundId: fund.id,
            tenantId: tenant.personId,
            tenantAccountId: tenantAccounts[index],
            month,
            amount,
          },
        },
        { token: tenant.token },
      );
    }

    async function release(params: Record<string, unknown>) {
      const motionId = await propose(app, union.members[0]!.token, assemblyId, {
        title: 'Settle the rent strike',
        effect: { kind: 'strike-funds.release-escrow', params: { fundId: fund.id, ...params } },
        closesAt: inMinutes(app, 60).toISOString(),
      });
      for (const member of union.members.slice(0, 4)) await vote(app, member.token, motionId, { choice: 'YES' });
      await runUntil(app, inMinutes(app, 61));
      return readMotion(app, motionId);
    }

    it('keeps each tenant’s deposits, once per month; the tenant sees theirs, the union the total', async () => {
      expect((await deposit(0, '2027-01-01', '90000')).errors).toBeUndefined();
      expect((await deposit(0, '2027-02-01', '90000')).errors).toBeUndefined();
      expect((await deposit(1, '2027-01-01', '75000')).errors).toBeUndefined();
      const before = await app.snapshot();
      const twice = await deposit(0, '2027-01-01', '90000');
      expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', details: { reason: 'DEPOSIT_EXISTS' } });
      const midMonth = await deposit(1, '2027-01-15', '90000');
      expect(midMonth.errors?.[0]?.extensions).toMatchObject({ details: { reason: 'INVALID_DEPOSIT' } });
      expect(await app.snapshot()).toEqual(before);

      const mine = await app.ok<{ escrowDeposits: { amount: string }[] }>(
        SF.escrowDeposits,
        { fundId: fund.id },
        { token: union.members[0]!.token },
      );
      expect(mine.escrowDeposits.map((row) => row.amount)).toEqual(['90000', '90000']);
      const others = await app.graphql(
        SF.escrowDeposits,
        { fundId: fund.id, tenantId: union.members[1]!.personId },
        { token: union.members[0]!.token },
      );
      expect(others.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
      const standing = await app.ok<{ escrow: { totalHeld: string; holdings: { tenantId: string }[] } }>(
        SF.escrow,
        { fundId: fund.id },
        { token: union.members[2]!.token },
      );
      expect(standing.escrow.totalHeld).toBe('255000');
      expect(standing.escrow.holdings).toEqual([]);
      const all = await app.ok<{ escrow: { holdings: { held: string }[] } }>(SF.escrow, { fundId: fund.id });
      expect(all.escrow.holdings.map((row) => row.held).sort()).toEqual(['180000', '75000']);
    });

    it('releases to the landlord on a passed motion, in one payment with the breakdown', async () => {
      await deposit(0, '2027-01-01', '90000');
      await deposit(1, '2027-01-01', '75000');
      const landlord = await accountOf(app, union.outsider.personId);
      const motion = await release({ mode: 'TO_LANDLORD', landlordAccountId: landlord });
      expect(motion.outcome).toMatchObject({ passed: true, effectStatus: 'APPLIED' });
      expect(await balanceOf(app, landlord)).toBe(165000n);
      expect(await balanceOf(app, fund.accountId)).toBe(0n);
      const releases = await app.ok<{
        escrowReleases: { mode: string; total: string; shares: { held: string; paid: string }[] }[];
      }>(SF.escrowReleases, { fundId: fund.id });
      expect(releases.escrowReleases).toEqual([expect.objectContaining({ mode: 'TO_LANDLORD', total: '165000' })]);
      expect(releases.escrowReleases[0]!.shares.map((share) => share.paid).sort()).toEqual(['75000', '90000']);
      // Nothing is left to release: a second motion's effect fails and moves nothing.
      const again = await release({ mode: 'TO_TENANTS' });
      expect(again.outcome).toMatchObject({ passed: true, effectStatus: 'FAILED' });
    });

    it('returns to each tenant exactly what they paid in, less what the motion withholds', async () => {
      await deposit(0, '2027-01-01', '90000');
      await deposit(0, '2027-02-01', '90000');
      await deposit(1, '2027-01-01', '75000');
      const motion = await release({ mode: 'TO_TENANTS', withheldPerTenant: '1000' });
      expect(motion.outcome).toMatchObject({ passed: true, effectStatus: 'APPLIED' });
      expect(await balanceOf(app, tenantAccounts[0]!)).toBe(200000n - 180000n + 179000n);
      expect(await balanceOf(app, tenantAccounts[1]!)).toBe(200000n - 75000n + 74000n);
      expect(await balanceOf(app, fund.accountId)).toBe(2000n);
    });

    it('refuses a release the assembly may not decide when the motion is proposed', async () => {
      const other = await createFund(app, union, { purpose: 'STRIKE' });
      const refused = await app.graphql(
        `mutation($input: ProposeMotionInput!) { proposeMotion(input: $input) { id } }`,
        {
          input: {
            id: randomUUID(),
            assemblyId,
            title: 'Release',
            body: 'Release',
            closesAt: inMinutes(app, 60).toISOString(),
            effect: { kind: 'strike-funds.release-escrow', params: { fundId: other.id, mode: 'TO_TENANTS' } },
          },
        },
        { token: union.members[0]!.token },
      );
      expect(refused.errors?.[0]?.extensions).toMatchObject({ details: { reason: 'WRONG_FUND_PURPOSE' } });
    });
  });

  describe('the public report', () => {
    it('names no one and hides groups under five from an outsider; members see more', async () => {
      const fund = await createFund(app, union, { purpose: 'MUTUAL_AID', drawCapPerYear: '100000' });
      await contribute(app, fund.id, '500000');
      // Six members draw for RENT, two for FOOD: FOOD is merged into OTHER, which hides its figures.
      const draws: { member: number; category: string }[] = [
        ...[0, 1, 2, 3, 4, 5].map((member) => ({ member, category: 'RENT' })),
        { member: 0, category: 'FOOD' },
        { member: 1, category: 'FOOD' },
      ];
      for (const { member, category } of draws) {
        const person = union.members[member]!;
        const accountId = await accountOf(app, person.personId);
        const data = await app.ok<{ applyForDraw: { approvalRequestId: string } }>(
          SF.applyForDraw,
          { input: { id: randomUUID(), fundId: fund.id, accountId, amount: '1000', category } },
          { token: person.token },
        );
        for (const approver of union.committee.slice(0, 2)) {
          await app.ok(
            `mutation($input: DecideApprovalInput!) { decideApproval(input: $input) { id } }`,
            { input: { requestId: data.applyForDraw.approvalRequestId, version: 1, decision: 'APPROVE', reason: '' } },
            { token: approver.token },
          );
        }
      }
      const outsider = await app.ok<{
        fundReport: {
          contributors: number | null;
          received: string;
          balance: string;
          membersView: boolean;
          drawsByCategory: { label: string; people: number | null; amount: string | null }[];
        };
      }>(SF.fundReport, { fundId: fund.id }, { token: union.outsider.token });
      expect(outsider.fundReport).toMatchObject({ membersView: false, contributors: null, balance: '492000' });
      expect(outsider.fundReport.drawsByCategory).toEqual([
        { label: 'RENT', people: 6, amount: '6000' },
        { label: 'OTHER', people: null, amount: null },
      ]);
      const member = await app.ok<{ fundReport: { membersView: boolean; drawsByCategory: { label: string }[] } }>(
        SF.fundReport,
        { fundId: fund.id },
        { token: union.members[3]!.token },
      );
      expect(member.fundReport.membersView).toBe(true);
      expect(member.fundReport.drawsByCategory.map((group) => group.label)).toEqual(['FOOD', 'RENT']);
      expect(JSON.stringify(outsider.fundReport)).not.toContain(union.members[0]!.personId);
    });
  });
});
