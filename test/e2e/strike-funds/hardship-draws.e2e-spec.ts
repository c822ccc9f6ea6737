/**
 * Goal: hardship draws with due process. A member applies (caps per strike and per year checked at once;
 * the money set aside); the committee reviews a queue ordered by priority then age, blind when the fund says
 * so; N of M approve, the applicant and the payee never count; the approved draw is paid once with the
 * approval request as authority; a declined one releases the money and tells the applicant why; a change of
 * payee after an approval voids it. Method: the real service over HTTP on its own PostgreSQL; governance's
 * own decideApproval and changeApprovalRequest; `app.snapshot()` around refusals.
 */
import { randomUUID } from 'node:crypto';
import { GOVERNANCE, runUntil } from '../governance/governance-fixtures.js';
import type { TestApp } from '../setup/test-app.js';
import { CWC, useTestApp } from '../setup/use-test-app.js';
import {
  accountOf,
  balanceOf,
  contribute,
  createFund,
  createUnion,
  decide,
  MONDAY,
  setDay,
  SF,
  type Union,
} from './strike-funds-fixtures.js';

interface Draw {
  id: string;
  status: string;
  amount: string;
  priority: number;
  approvalRequestId: string;
  applicantId: string | null;
}

describe('hardship draws', () => {
  let app: TestApp;
  let union: Union;
  let fund: { id: string; accountId: string };
  let strikeId: string;

  useTestApp({ units: [CWC] }, (fixture) => {
    ({ app } = fixture);
  });

  beforeAll(async () => {
    union = await createUnion(app, 'draws', 'STRIKE_FUND', 3);
  });

  beforeEach(async () => {
    setDay(app, MONDAY);
    fund = await createFund(app, union, { blindReview: true, drawCapPerYear: '80000' });
    strikeId = randomUUID();
    await app.ok(SF.createStrike, {
      input: {
        id: strikeId,
        fundId: fund.id,
        name: 'Strike',
        startsOn: MONDAY,
        drawCapPerStriker: '30000',
        rules: { weeklyRate: '10000', fullMinutes: 600, minimumMinutes: 0 },
      },
    });
    await contribute(app, fund.id, '100000');
  });

  async function apply(memberIndex: number, amount: string, extra: Record<string, unknown> = {}): Promise<Draw> {
    const member = union.members[memberIndex]!;
    const accountId = (extra['accountId'] as string | undefined) ?? (await accountOf(app, member.personId));
    const data = await app.ok<{ applyForDraw: Draw }>(
      SF.applyForDraw,
      { input: { id: randomUUID(), fundId: fund.id, strikeId, accountId, amount, category: 'RENT', ...extra } },
      { token: member.token },
    );
    return data.applyForDraw;
  }

  it('is approved 2 of 3 and paid once, with the request as authority', async () => {
    const accountId = await accountOf(app, union.members[0]!.personId);
    const draw = await apply(0, '25000', { accountId, evictionNotice: true, dependants: 2 });
    expect(draw).toMatchObject({ status: 'IN_REVIEW', priority: 110 });
    const fundNow = await app.ok<{ strikeFund: { balance: string; available: string } }>(SF.strikeFund, {
      id: fund.id,
    });
    expect(fundNow.strikeFund).toMatchObject({ balance: '100000', available: '75000' });
    await decide(app, union.committee[0]!, draw.approvalRequestId, 'APPROVE');
    expect((await decide(app, union.committee[1]!, draw.approvalRequestId, 'APPROVE')).status).toBe('APPROVED');
    expect(await balanceOf(app, accountId)).toBe(25000n);
    expect(await balanceOf(app, fund.accountId)).toBe(75000n);
    const mine = await app.ok<{ myDraws: { status: string; paidAmount: string }[] }>(
      SF.myDraws,
      { fundId: fund.id },
      { token: union.members[0]!.token },
    );
    expect(mine.myDraws).toEqual([expect.objectContaining({ status: 'PAID', paidAmount: '25000' })]);
    const byAuthority = await app.ok<{ transactionsByAuthority: { edges: unknown[] } }>(GOVERNANCE.byAuthority, {
      kind: 'APPROVAL_REQUEST',
      id: draw.approvalRequestId,
    });
    expect(byAuthority.transactionsByAuthority.edges.length).toBe(2);
  });

  it('is declined: the money set aside comes back and the applicant sees why', async () => {
    const draw = await apply(1, '20000');
    await decide(app, union.committee[0]!, draw.approvalRequestId, 'REFUSE', 'Please attach the shut-off notice');
    expect((await decide(app, union.committee[1]!, draw.approvalRequestId, 'REFUSE', '')).status).toBe('DECLINED');
    const fundNow = await app.ok<{ strikeFund: { balance: string; available: string } }>(SF.strikeFund, {
      id: fund.id,
    });
    expect(fundNow.strikeFund).toMatchObject({ balance: '100000', available: '100000' });
    const mine = await app.ok<{ myDraws: { status: string; refusals: string[] }[] }>(
      SF.myDraws,
      { fundId: fund.id },
      { token: union.members[1]!.token },
    );
    expect(mine.myDraws).toEqual([
      expect.objectContaining({ status: 'DECLINED', refusals: ['Please attach the shut-off notice'] }),
    ]);
  });

  it('voids an approval when the payee changes, and pays the new payee once approved again', async () => {
    const draw = await apply(2, '15000');
    await decide(app, union.committee[0]!, draw.approvalRequestId, 'APPROVE');
    const landlord = await accountOf(app, union.outsider.personId);
    const changed = await app.ok<{ changeApprovalRequest: { version: number } }>(
      GOVERNANCE.changeApprovalRequest,
      {
        input: { requestId: draw.approvalRequestId, params: { drawId: draw.id, accountId: landlord, amount: '15000' } },
      },
      { token: union.members[2]!.token },
    );
    expect(changed.changeApprovalRequest.version).toBe(2);
    // The first approval no longer counts: one more approval on version 2 is not enough.
    expect((await decide(app, union.committee[1]!, draw.approvalRequestId, 'APPROVE', '', 2)).status).toBe('OPEN');
    expect((await decide(app, union.committee[0]!, draw.approvalRequestId, 'APPROVE', '', 2)).status).toBe('APPROVED');
    expect(await balanceOf(app, landlord)).toBe(15000n);
    expect(await balanceOf(app, fund.accountId)).toBe(85000n);
  });

  it('refuses a raise of the amount after applying, and an applicant approving their own draw', async () => {
    const draw = await apply(0, '10000');
    const before = await app.snapshot();
    const raised = await app.graphql(
      GOVERNANCE.changeApprovalRequest,
      {
        input: {
          requestId: draw.approvalRequestId,
          params: { drawId: draw.id, accountId: randomUUID(), amount: '99999' },
        },
      },
      { token: union.members[0]!.token },
    );
    expect(raised.errors?.[0]?.extensions?.['code']).toBeDefined();
    const self = await app.graphql(
      GOVERNANCE.decideApproval,
      { input: { requestId: draw.approvalRequestId, version: 1, decision: 'APPROVE', reason: '' } },
      { token: union.members[0]!.token },
    );
    expect(self.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await app.snapshot()).toEqual(before);
  });

  it('shows reviewers a blind queue by priority, then age', async () => {
    const plain = await apply(0, '5000');
    const urgent = await apply(1, '5000', { evictionNotice: true });
    const family = await apply(2, '5000', { dependants: 3 });
    const queue = await app.ok<{
      drawReviewQueue: { id: string; applicantId: string | null; accountId: string | null }[];
    }>(SF.drawReviewQueue, { fundId: fund.id }, { token: union.committee[0]!.token });
    expect(queue.drawReviewQueue.map((row) => row.id)).toEqual([urgent.id, family.id, plain.id]);
    expect(queue.drawReviewQueue.every((row) => row.applicantId === null && row.accountId === null)).toBe(true);
    // Nor does governance show them the request's author, payees or parameters; the applicant sees them.
    const request = `query($id: ID!) { approvalRequest(id: $id) { authorId payeeIds action { params } } }`;
    const seen = await app.ok<{ approvalRequest: { authorId: string | null; payeeIds: string[] } }>(
      request,
      { id: urgent.approvalRequestId },
      { token: union.committee[1]!.token },
    );
    expect(seen.approvalRequest).toEqual({ authorId: null, payeeIds: [], action: { params: {} } });
    const own = await app.ok<{ approvalRequest: { authorId: string | null } }>(
      request,
      { id: urgent.approvalRequestId },
      { token: union.members[1]!.token },
    );
    expect(own.approvalRequest.authorId).toBe(union.members[1]!.personId);
    const member = await app.graphql(SF.drawReviewQueue, { fundId: fund.id }, { token: union.members[0]!.token });
    expect(member.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'NOT_A_REVIEWER' } });
  });

  it('checks the caps per strike and per year at once, counting draws in review', async () => {
    await apply(0, '20000');
    const accountId = await accountOf(app, union.members[0]!.personId);
    const before = await app.snapshot();
    const overStrike = await app.graphql(
      SF.applyForDraw,
      { input: { id: randomUUID(), fundId: fund.id, strikeId, accountId, amount: '10001', category: 'FOOD' } },
      { token: union.members[0]!.token },
    );
    expect(overStrike.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'DRAW_CAP_EXCEEDED', cap: 'STRIKE_CAP' },
    });
    const overYear = await app.graphql(
      SF.applyForDraw,
      { input: { id: randomUUID(), fundId: fund.id, accountId, amount: '60001', category: 'FOOD' } },
      { token: union.members[0]!.token },
    );
    expect(overYear.errors?.[0]?.extensions).toMatchObject({
      details: { reason: 'DRAW_CAP_EXCEEDED', cap: 'YEAR_CAP' },
    });
    expect(await app.snapshot()).toEqual(before);
  });

  it('refuses a draw the fund cannot set aside, and replays an application', async () => {
    const accountId = await accountOf(app, union.members[1]!.personId);
    const input = { id: randomUUID(), fundId: fund.id, accountId, amount: '25000', category: 'MEDICAL' };
    const first = await app.ok<{ applyForDraw: Draw }>(SF.applyForDraw, { input }, { token: union.members[1]!.token });
    const before = await app.snapshot();
    const replay = await app.ok<{ applyForDraw: Draw }>(SF.applyForDraw, { input }, { token: union.members[1]!.token });
    expect(replay.applyForDraw.id).toBe(first.applyForDraw.id);
    expect(await app.snapshot()).toEqual(before);
    // The fund has 75000 left once this draw is set aside: a draw of 76000 cannot be set aside.
    const snapshot = await app.snapshot();
    const big = await app.graphql(
      SF.applyForDraw,
      { input: { id: randomUUID(), fundId: fund.id, accountId, amount: '76000', category: 'OTHER' } },
      { token: union.members[2]!.token },
    );
    expect(big.errors?.[0]?.extensions).toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    expect(await app.snapshot()).toEqual(snapshot);
  });

  it('releases the money set aside when the request expires or the applicant withdraws it', async () => {
    const expiring = await apply(0, '10000');
    const withdrawn = await apply(1, '5000');
    await app.ok(
      GOVERNANCE.withdrawApprovalRequest,
      { input: { requestId: withdrawn.approvalRequestId } },
      { token: union.members[1]!.token },
    );
    // The fund reviews within 14 days: past that, the scheduler expires the request.
    await runUntil(app, new Date('2027-03-16T10:00:00Z'));
    const fundNow = await app.ok<{ strikeFund: { balance: string; available: string } }>(SF.strikeFund, {
      id: fund.id,
    });
    expect(fundNow.strikeFund).toMatchObject({ balance: '100000', available: '100000' });
    const first = await app.ok<{ myDraws: { id: string; status: string }[] }>(
      SF.myDraws,
      { fundId: fund.id },
      { token: union.members[0]!.token },
    );
    expect(first.myDraws).toEqual([expect.objectContaining({ id: expiring.id, status: 'EXPIRED' })]);
    const second = await app.ok<{ myDraws: { id: string; status: string }[] }>(
      SF.myDraws,
      { fundId: fund.id },
      { token: union.members[1]!.token },
    );
    expect(second.myDraws).toEqual([expect.objectContaining({ id: withdrawn.id, status: 'WITHDRAWN' })]);
  });

  it('lets only one of two concurrent applications through a cap', async () => {
    const member = union.members[2]!;
    const accountId = await accountOf(app, member.personId);
    const results = await Promise.all(
      [0, 1].map(() =>
        app.graphql(
          SF.applyForDraw,
          { input: { id: randomUUID(), fundId: fund.id, strikeId, accountId, amount: '20000', category: 'FOOD' } },
          { token: member.token },
        ),
      ),
    );
    expect(results.filter((result) => result.errors === undefined)).toHaveLength(1);
    expect(results.find((result) => result.errors !== undefined)?.errors?.[0]?.extensions).toMatchObject({
      details: { reason: 'DRAW_CAP_EXCEEDED' },
    });
    const fundNow = await app.ok<{ strikeFund: { available: string } }>(SF.strikeFund, { id: fund.id });
    expect(fundNow.strikeFund.available).toBe('80000');
  });

  it('does not count a committee member who declared a conflict: the two others must both approve', async () => {
    const draw = await apply(0, '5000');
    await decide(app, union.committee[2]!, draw.approvalRequestId, 'RECUSE', 'She is my sister');
    expect((await decide(app, union.committee[0]!, draw.approvalRequestId, 'APPROVE')).status).toBe('OPEN');
    expect((await decide(app, union.committee[1]!, draw.approvalRequestId, 'REFUSE', 'Not urgent')).status).toBe(
      'DECLINED',
    );
  });
});
