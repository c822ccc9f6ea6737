/**
 * Goal: the strike funds' invariants of the books hold in every state the module reaches, and each catches
 * the damage it is there for. A stipend batch submitted, declined, recomputed and paid; hardship draws in
 * review, paid and declined; contributions and an escrow deposit: after each, no invariant of the books is
 * broken. Then a row is changed behind the module's back (a direct UPDATE in a transaction, guard triggers
 * off where the table is append-only) and exactly the invariant that covers it names the row; the damage is
 * undone before the test ends. Method: the real service over HTTP on its own PostgreSQL; governance's own
 * decideApproval; a controlled clock set to fixed days.
 */
import { randomUUID } from 'node:crypto';
import { BOOKS } from '../../../src/domain-modules.js';
import { findInvariantViolations } from '../../../src/kernel/invariants.js';
import type { TestApp } from '../setup/test-app.js';
import { CWC, useTestApp } from '../setup/use-test-app.js';
import {
  accountOf,
  contribute,
  createFund,
  createUnion,
  decide,
  MONDAY,
  setDay,
  SF,
  type Union,
} from './strike-funds-fixtures.js';

const BATCH_HOLDS =
  'strike-funds: a submitted stipend batch has its total set aside in open holds; a paid one posted them, a declined one voided them, any other has none';
const DRAW_HOLD =
  'strike-funds: a hardship draw in review has its amount set aside in an open hold; a decided draw has it voided';
const DRAW_PAID =
  'strike-funds: a paid hardship draw was paid from the fund, under its approval request, the amount to the account it records';
const MONEY_IN =
  'strike-funds: each contribution and escrow deposit is its transfer: its amount from its account into the fund';

describe('strike funds: invariants of the books', () => {
  let app: TestApp;
  let union: Union;

  useTestApp({ units: [CWC] }, (fixture) => {
    ({ app } = fixture);
  });

  beforeAll(async () => {
    union = await createUnion(app, 'invariants', 'STRIKE_FUND', 3);
  });

  beforeEach(() => {
    setDay(app, MONDAY, 8);
  });

  async function violations() {
    return findInvariantViolations(app.dataSource.manager, BOOKS);
  }

  /** Changes the module's rows behind its back, guard triggers off: a state no code path writes. */
  async function tamper(sql: string, parameters: unknown[]): Promise<void> {
    await app.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL session_replication_role = replica`);
      await manager.query(sql, parameters);
    });
  }

  /** The damage shows as exactly `invariant`, naming `id`; undone, the books hold again. */
  async function expectCaught(invariant: string, id: string, damage: string, repair: string): Promise<void> {
    await tamper(damage, [id]);
    const found = await violations();
    expect(found.map((violation) => violation.invariant)).toEqual([invariant]);
    expect(found[0]?.rows).toEqual([expect.objectContaining({ id })]);
    await tamper(repair, [id]);
    expect(await violations()).toEqual([]);
  }

  it('ties a stipend batch to its holds: set aside when submitted, voided when declined, posted when paid', async () => {
    const fund = await createFund(app, union);
    await contribute(app, fund.id, '100000');
    const strikeId = randomUUID();
    await app.ok(SF.createStrike, {
      input: {
        id: strikeId,
        fundId: fund.id,
        name: 'Warehouse strike',
        startsOn: MONDAY,
        drawCapPerStriker: '50000',
        rules: { weeklyRate: '30000', fullMinutes: 600, minimumMinutes: 0 },
      },
    });
    for (const [index, member] of union.members.entries()) {
      const accountId = await accountOf(app, member.personId);
      await app.ok(
        SF.enrolStriker,
        { input: { strikeId, personId: member.personId, accountId, dependants: 0 } },
        { token: union.captain.token },
      );
      setDay(app, '2027-03-03');
      await app.ok(
        SF.recordPicketShift,
        { input: { id: randomUUID(), strikeId, personId: member.personId, day: MONDAY, minutes: 300 + index * 100 } },
        { token: union.captain.token },
      );
    }
    setDay(app, '2027-03-08');
    async function submitted(): Promise<{ batchId: string; requestId: string }> {
      const { computeStipendBatch } = await app.ok<{ computeStipendBatch: { id: string; status: string } }>(
        SF.computeStipendBatch,
        { input: { id: randomUUID(), strikeId, weekStart: MONDAY } },
      );
      expect(computeStipendBatch.status).toBe('PREVIEW');
      expect(await violations()).toEqual([]);
      const requestId = randomUUID();
      await app.ok(SF.submitStipendBatch, { input: { batchId: computeStipendBatch.id, requestId } });
      return { batchId: computeStipendBatch.id, requestId };
    }

    const declined = await submitted();
    expect(await violations()).toEqual([]);
    await expectCaught(
      BATCH_HOLDS,
      declined.batchId,
      `UPDATE stipend_batch SET total = total - 1 WHERE id = $1`,
      `UPDATE stipend_batch SET total = total + 1 WHERE id = $1`,
    );
    await decide(app, union.committee[0]!, declined.requestId, 'REFUSE', 'Hours disputed');
    expect((await decide(app, union.committee[1]!, declined.requestId, 'REFUSE', 'Same')).status).toBe('DECLINED');
    expect(await violations()).toEqual([]);
    await expectCaught(
      BATCH_HOLDS,
      declined.batchId,
      `UPDATE stipend_batch SET status = 'SUBMITTED' WHERE id = $1`,
      `UPDATE stipend_batch SET status = 'DECLINED' WHERE id = $1`,
    );

    const paid = await submitted();
    await decide(app, union.committee[0]!, paid.requestId, 'APPROVE');
    expect((await decide(app, union.committee[2]!, paid.requestId, 'APPROVE')).status).toBe('APPROVED');
    expect(await violations()).toEqual([]);
    await expectCaught(
      BATCH_HOLDS,
      paid.batchId,
      `UPDATE stipend_batch SET status = 'DECLINED' WHERE id = $1`,
      `UPDATE stipend_batch SET status = 'PAID' WHERE id = $1`,
    );
  });

  it('ties a hardship draw to its hold and its payment: open in review, voided once decided, paid as recorded', async () => {
    const fund = await createFund(app, union, { drawCapPerYear: '80000' });
    await contribute(app, fund.id, '100000');
    async function apply(memberIndex: number, amount: string): Promise<{ id: string; approvalRequestId: string }> {
      const member = union.members[memberIndex]!;
      const accountId = await accountOf(app, member.personId);
      const data = await app.ok<{ applyForDraw: { id: string; approvalRequestId: string } }>(
        SF.applyForDraw,
        { input: { id: randomUUID(), fundId: fund.id, strikeId: null, accountId, amount, category: 'RENT' } },
        { token: member.token },
      );
      return data.applyForDraw;
    }

    const paid = await apply(0, '25000');
    expect(await violations()).toEqual([]);
    await expectCaught(
      DRAW_HOLD,
      paid.id,
      `UPDATE hardship_draw SET amount = amount + 1 WHERE id = $1`,
      `UPDATE hardship_draw SET amount = amount - 1 WHERE id = $1`,
    );
    await decide(app, union.committee[0]!, paid.approvalRequestId, 'APPROVE');
    expect((await decide(app, union.committee[1]!, paid.approvalRequestId, 'APPROVE')).status).toBe('APPROVED');
    expect(await violations()).toEqual([]);
    await expectCaught(
      DRAW_PAID,
      paid.id,
      `UPDATE hardship_draw SET paid_amount = paid_amount - 1 WHERE id = $1`,
      `UPDATE hardship_draw SET paid_amount = paid_amount + 1 WHERE id = $1`,
    );

    const declined = await apply(1, '10000');
    await decide(app, union.committee[0]!, declined.approvalRequestId, 'REFUSE', 'Not urgent');
    expect((await decide(app, union.committee[1]!, declined.approvalRequestId, 'REFUSE')).status).toBe('DECLINED');
    expect(await violations()).toEqual([]);
    await expectCaught(
      DRAW_HOLD,
      declined.id,
      `UPDATE hardship_draw SET status = 'IN_REVIEW', decided_at = NULL WHERE id = $1`,
      `UPDATE hardship_draw SET status = 'DECLINED', decided_at = now() WHERE id = $1`,
    );
  });

  it('ties each contribution and escrow deposit to its transfer into the fund', async () => {
    const fund = await createFund(app, union, { purpose: 'MUTUAL_AID' });
    const { recordContribution } = await app.ok<{ recordContribution: { id: string } }>(SF.recordContribution, {
      input: { id: randomUUID(), fundId: fund.id, amount: '5000', source: 'OUTSIDE', visibility: 'ANONYMOUS' },
    });
    const escrow = await createFund(app, union, { purpose: 'RENT_ESCROW' });
    const tenant = union.members[0]!;
    const { depositEscrow } = await app.ok<{ depositEscrow: { id: string } }>(SF.depositEscrow, {
      input: {
        id: randomUUID(),
        fundId: escrow.id,
        tenantId: tenant.personId,
        tenantAccountId: await accountOf(app, tenant.personId),
        month: '2027-03-01',
        amount: '80000',
        source: 'OUTSIDE',
      },
    });
    expect(await violations()).toEqual([]);

    await expectCaught(
      MONEY_IN,
      recordContribution.id,
      `UPDATE fund_contribution SET amount = amount + 1 WHERE id = $1`,
      `UPDATE fund_contribution SET amount = amount - 1 WHERE id = $1`,
    );
    await expectCaught(
      MONEY_IN,
      depositEscrow.id,
      `UPDATE escrow_deposit SET source = 'TENANT_ACCOUNT' WHERE id = $1`,
      `UPDATE escrow_deposit SET source = 'OUTSIDE' WHERE id = $1`,
    );
  });
});
