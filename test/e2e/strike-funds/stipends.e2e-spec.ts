/**
 * Goal: a strike's week from picket hours to a paid batch. A picket captain records shifts (and corrects one
 * by a new record), the treasurer computes the week's batch (each line explained by the rules: full rate,
 * pro rata, nothing under the minimum, dependants, the cap), submits it (the money is set aside by holds),
 * and the committee approves it N of M: the batch is paid once, with the approval request as authority.
 * A batch the fund cannot cover is paid pro rata or not at all as the rules say; a declined batch releases
 * the money set aside; a week is paid only once; a rules change applies from the next week. Method: the
 * real service over HTTP on its own PostgreSQL; a controlled clock set to fixed days; tables and the ledger
 * read back over GraphQL; `app.snapshot()` around refusals.
 */
import { randomUUID } from 'node:crypto';
import { GOVERNANCE } from '../governance/governance-fixtures.js';
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

interface Line {
  personId: string;
  minutes: number;
  base: string;
  supplement: string;
  due: string;
  amount: string;
  explanation: string;
}
interface Batch {
  id: string;
  status: string;
  requestedTotal: string;
  total: string;
  shortfall: string | null;
  explanation: string;
  lines: Line[];
}

describe('stipend batches', () => {
  let app: TestApp;
  let union: Union;
  let fund: { id: string; accountId: string };
  let strikeId: string;
  let accounts: string[];

  useTestApp({ units: [CWC] }, (fixture) => {
    ({ app } = fixture);
  });

  beforeAll(async () => {
    union = await createUnion(app, 'stipends', 'STRIKE_FUND', 4);
  });

  beforeEach(async () => {
    setDay(app, MONDAY, 8);
    fund = await createFund(app, union);
    strikeId = randomUUID();
    await app.ok(SF.createStrike, {
      input: {
        id: strikeId,
        fundId: fund.id,
        name: 'Warehouse strike',
        startsOn: MONDAY,
        drawCapPerStriker: '50000',
        rules: {
          weeklyRate: '30000',
          fullMinutes: 1200,
          minimumMinutes: 600,
          dependantSupplement: '2500',
          capPerStriker: '100000',
          shortfall: 'PRO_RATA',
        },
      },
    });
    accounts = [];
    for (const [index, member] of union.members.entries()) {
      const accountId = await accountOf(app, member.personId);
      accounts.push(accountId);
      await app.ok(
        SF.enrolStriker,
        { input: { strikeId, personId: member.personId, accountId, dependants: index === 0 ? 2 : 0 } },
        { token: union.captain.token },
      );
    }
  });

  async function shift(personIndex: number, day: string, minutes: number, correctsId: string | null = null) {
    const data = await app.ok<{ recordPicketShift: { id: string } }>(
      SF.recordPicketShift,
      {
        input: {
          id: randomUUID(),
          strikeId,
          personId: union.members[personIndex]!.personId,
          day,
          minutes,
          correctsId,
        },
      },
      { token: union.captain.token },
    );
    return data.recordPicketShift.id;
  }

  /** Member 0: 20h with two dependants; member 1: 15h (pro rata); member 2: 5h (under the minimum); 3: none. */
  async function picketTheWeek(): Promise<void> {
    setDay(app, '2027-03-05');
    await shift(0, '2027-03-01', 600);
    await shift(0, '2027-03-02', 600);
    await shift(1, '2027-03-01', 600);
    const wrong = await shift(1, '2027-03-03', 480);
    await shift(1, '2027-03-03', -180, wrong);
    await shift(2, '2027-03-04', 300);
    setDay(app, '2027-03-08');
  }

  async function compute(weekStart = MONDAY): Promise<Batch> {
    const data = await app.ok<{ computeStipendBatch: Batch }>(SF.computeStipendBatch, {
      input: { id: randomUUID(), strikeId, weekStart },
    });
    return data.computeStipendBatch;
  }

  async function submit(batchId: string): Promise<string> {
    const requestId = randomUUID();
    await app.ok(SF.submitStipendBatch, { input: { batchId, requestId } });
    return requestId;
  }

  it('pays a week from picket hours, approved 2 of 3, once', async () => {
    await contribute(app, fund.id, '200000');
    await picketTheWeek();
    const batch = await compute();
    expect(batch.status).toBe('PREVIEW');
    const byPerson = new Map(batch.lines.map((line) => [line.personId, line]));
    const [first, second, third, fourth] = union.members.map((member) => byPerson.get(member.personId)!);
    expect(first).toMatchObject({ minutes: 1200, base: '30000', supplement: '5000', amount: '35000' });
    expect(second).toMatchObject({ minutes: 900, base: '22500', supplement: '0', amount: '22500' });
    expect(third).toMatchObject({ minutes: 300, base: '0', amount: '0' });
    expect(fourth).toMatchObject({ minutes: 0, amount: '0' });
    expect(second!.explanation).toContain('900/1200');
    expect(batch.total).toBe('57500');

    const requestId = await submit(batch.id);
    const held = await app.ok<{ strikeFund: { balance: string; available: string } }>(SF.strikeFund, { id: fund.id });
    expect(held.strikeFund).toEqual({ id: fund.id, balance: '200000', available: '142500' });

    expect((await decide(app, union.committee[0]!, requestId, 'APPROVE')).status).toBe('OPEN');
    expect((await decide(app, union.committee[1]!, requestId, 'APPROVE')).status).toBe('APPROVED');

    expect(await balanceOf(app, accounts[0]!)).toBe(35000n);
    expect(await balanceOf(app, accounts[1]!)).toBe(22500n);
    expect(await balanceOf(app, accounts[2]!)).toBe(0n);
    expect(await balanceOf(app, fund.accountId)).toBe(142500n);
    const paid = await app.ok<{ stipendBatch: { status: string } }>(SF.stipendBatch, { id: batch.id });
    expect(paid.stipendBatch.status).toBe('PAID');
    const byAuthority = await app.ok<{
      transactionsByAuthority: { edges: { node: { kind: string; authority: { kind: string; id: string } } }[] };
    }>(GOVERNANCE.byAuthority, { kind: 'APPROVAL_REQUEST', id: requestId });
    expect(byAuthority.transactionsByAuthority.edges.length).toBeGreaterThan(0);

    // The striker sees their own stipend, explained.
    const mine = await app.ok<{ myStipends: { amount: string; status: string }[] }>(
      SF.myStipends,
      { strikeId },
      { token: union.members[0]!.token },
    );
    expect(mine.myStipends).toEqual([expect.objectContaining({ amount: '35000', status: 'PAID' })]);

    // The public report shows the week's stipends, but not how many people got them (fewer than five).
    const report = await app.ok<{
      fundReport: {
        strikes: { recipients: number | null; stipendWeeks: { recipients: number | null; paid: string }[] }[];
      };
    }>(SF.fundReport, { fundId: fund.id }, { token: union.outsider.token });
    expect(report.fundReport.strikes).toEqual([
      expect.objectContaining({
        recipients: null,
        stipendWeeks: [{ weekStart: MONDAY, recipients: null, paid: '57500' }],
      }),
    ]);

    // The week is paid once: computing it again is refused and changes nothing.
    const before = await app.snapshot();
    const again = await app.graphql(SF.computeStipendBatch, {
      input: { id: randomUUID(), strikeId, weekStart: MONDAY },
    });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', details: { reason: 'WEEK_ALREADY_PAID' } });
    expect(await app.snapshot()).toEqual(before);
  });

  it('caps a striker over the whole strike and counts dependants only with a stipend', async () => {
    await contribute(app, fund.id, '1000000');
    for (let week = 0; week < 3; week += 1) {
      const monday = `2027-03-${String(1 + 7 * week).padStart(2, '0')}`;
      setDay(app, monday, 12);
      await shift(0, monday, 1200);
      setDay(app, `2027-03-${String(8 + 7 * week).padStart(2, '0')}`);
      const batch = await compute(monday);
      const line = batch.lines.find((row) => row.personId === union.members[0]!.personId)!;
      // 35000 a week against a cap of 100000: 35000, 35000, then 30000.
      expect(line.amount).toBe(week < 2 ? '35000' : '30000');
      if (week === 2) expect(line.explanation).toContain('cap');
      const requestId = await submit(batch.id);
      await decide(app, union.committee[0]!, requestId, 'APPROVE');
      await decide(app, union.committee[2]!, requestId, 'APPROVE');
    }
    expect(await balanceOf(app, accounts[0]!)).toBe(100000n);
  });

  it('pays pro rata, exactly, when the fund falls short', async () => {
    await contribute(app, fund.id, '10001');
    await picketTheWeek();
    const batch = await compute();
    expect(batch).toMatchObject({ status: 'PREVIEW', requestedTotal: '57500', total: '10001', shortfall: 'PRO_RATA' });
    const amounts = batch.lines.map((line) => BigInt(line.amount));
    expect(amounts.reduce((sum, amount) => sum + amount, 0n)).toBe(10001n);
    const requestId = await submit(batch.id);
    await decide(app, union.committee[0]!, requestId, 'APPROVE');
    await decide(app, union.committee[1]!, requestId, 'APPROVE');
    expect(await balanceOf(app, fund.accountId)).toBe(0n);
  });

  it('pays none, and says so, when the rules say so and the fund falls short', async () => {
    await app.ok(SF.changeStipendRules, {
      input: {
        strikeId,
        rules: { weeklyRate: '30000', fullMinutes: 1200, minimumMinutes: 600, shortfall: 'PAY_NONE' },
      },
    });
    await contribute(app, fund.id, '10000');
    setDay(app, '2027-03-09');
    await shift(0, '2027-03-09', 1200);
    setDay(app, '2027-03-15');
    const batch = await compute('2027-03-08');
    expect(batch).toMatchObject({ status: 'UNFUNDED', total: '0', shortfall: 'PAY_NONE' });
    expect(batch.explanation).toContain('pay none');
    const before = await app.snapshot();
    const refused = await app.graphql(SF.submitStipendBatch, { input: { batchId: batch.id, requestId: randomUUID() } });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ details: { reason: 'BATCH_NOT_PREVIEW' } });
    expect(await app.snapshot()).toEqual(before);
  });

  it('applies a change of rules from the next week only', async () => {
    setDay(app, '2027-03-03');
    const changed = await app.ok<{ changeStipendRules: { version: number; effectiveFrom: string } }>(
      SF.changeStipendRules,
      { input: { strikeId, rules: { weeklyRate: '40000', fullMinutes: 1200, minimumMinutes: 600 } } },
    );
    expect(changed.changeStipendRules).toEqual({ version: 2, effectiveFrom: '2027-03-08', weeklyRate: '40000' });
    await contribute(app, fund.id, '1000000');
    await shift(1, '2027-03-02', 1200);
    setDay(app, '2027-03-09');
    await shift(1, '2027-03-09', 1200);
    setDay(app, '2027-03-15');
    const first = await compute('2027-03-01');
    const second = await compute('2027-03-08');
    const whose = union.members[1]!.personId;
    expect(first.lines.find((line) => line.personId === whose)!.amount).toBe('30000');
    expect(second.lines.find((line) => line.personId === whose)!.amount).toBe('40000');
  });

  it('releases the money set aside when the committee declines, and the week may be paid later', async () => {
    await contribute(app, fund.id, '100000');
    await picketTheWeek();
    const batch = await compute();
    const requestId = await submit(batch.id);
    await decide(app, union.committee[0]!, requestId, 'REFUSE', 'Hours of member 1 disputed');
    expect((await decide(app, union.committee[1]!, requestId, 'REFUSE', 'Same')).status).toBe('DECLINED');
    const after = await app.ok<{ strikeFund: { balance: string; available: string } }>(SF.strikeFund, { id: fund.id });
    expect(after.strikeFund).toMatchObject({ balance: '100000', available: '100000' });
    const declined = await app.ok<{ stipendBatch: { status: string } }>(SF.stipendBatch, { id: batch.id });
    expect(declined.stipendBatch.status).toBe('DECLINED');
    const retry = await compute();
    const secondRequest = await submit(retry.id);
    await decide(app, union.committee[1]!, secondRequest, 'APPROVE');
    await decide(app, union.committee[2]!, secondRequest, 'APPROVE');
    expect(await balanceOf(app, fund.accountId)).toBe(100000n - 57500n);
  });

  it('keeps corrections as new records that strikers see, and refuses bad shifts without a trace', async () => {
    await picketTheWeek();
    const own = await app.ok<{ picketShifts: { minutes: number; correctsId: string | null }[] }>(
      SF.picketShifts,
      { strikeId },
      { token: union.members[1]!.token },
    );
    expect(own.picketShifts.map((row) => row.minutes).sort((a, b) => a - b)).toEqual([-180, 480, 600]);
    const before = await app.snapshot();
    const future = await app.graphql(
      SF.recordPicketShift,
      { input: { id: randomUUID(), strikeId, personId: union.members[0]!.personId, day: '2027-03-20', minutes: 60 } },
      { token: union.captain.token },
    );
    expect(future.errors?.[0]?.extensions).toMatchObject({ details: { reason: 'INVALID_SHIFT' } });
    const negative = await app.graphql(
      SF.recordPicketShift,
      { input: { id: randomUUID(), strikeId, personId: union.members[0]!.personId, day: '2027-03-02', minutes: -60 } },
      { token: union.captain.token },
    );
    expect(negative.errors?.[0]?.extensions).toMatchObject({ details: { reason: 'INVALID_SHIFT' } });
    const others = await app.graphql(
      SF.picketShifts,
      { strikeId, personId: union.members[0]!.personId },
      { token: union.members[1]!.token },
    );
    expect(others.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await app.snapshot()).toEqual(before);
  });

  it('replays a submission and refuses a second batch for a week under review', async () => {
    await contribute(app, fund.id, '200000');
    await picketTheWeek();
    const batch = await compute();
    const requestId = randomUUID();
    await app.ok(SF.submitStipendBatch, { input: { batchId: batch.id, requestId } });
    const before = await app.snapshot();
    await app.ok(SF.submitStipendBatch, { input: { batchId: batch.id, requestId } });
    expect(await app.snapshot()).toEqual(before);
    const again = await app.graphql(SF.computeStipendBatch, {
      input: { id: randomUUID(), strikeId, weekStart: MONDAY },
    });
    expect(again.errors?.[0]?.extensions).toMatchObject({ details: { reason: 'WEEK_ALREADY_PAID' } });
    expect(await app.snapshot()).toEqual(before);
  });

  it('pays a batch once when two approvers complete it at the same time', async () => {
    await contribute(app, fund.id, '200000');
    await picketTheWeek();
    const batch = await compute();
    const requestId = await submit(batch.id);
    await decide(app, union.committee[0]!, requestId, 'APPROVE');
    const results = await Promise.all(
      [union.committee[1]!, union.committee[2]!].map((member) =>
        app.graphql(
          GOVERNANCE.decideApproval,
          { input: { requestId, version: 1, decision: 'APPROVE', reason: '' } },
          {
            token: member.token,
          },
        ),
      ),
    );
    expect(results.filter((result) => result.errors === undefined).length).toBeGreaterThanOrEqual(1);
    expect(await balanceOf(app, fund.accountId)).toBe(200000n - 57500n);
    expect(await balanceOf(app, accounts[0]!)).toBe(35000n);
  });

  it('refuses to submit a batch the fund no longer covers, and a recomputed one shares what is left', async () => {
    await contribute(app, fund.id, '60000');
    await picketTheWeek();
    const batch = await compute();
    expect(batch.total).toBe('57500');
    // Money leaves the fund (a draw set aside) between the preview and the submission.
    const drawAccount = await accountOf(app, union.members[3]!.personId);
    await app.ok(
      SF.applyForDraw,
      { input: { id: randomUUID(), fundId: fund.id, accountId: drawAccount, amount: '10000', category: 'FOOD' } },
      { token: union.members[3]!.token },
    );
    const before = await app.snapshot();
    const refused = await app.graphql(SF.submitStipendBatch, { input: { batchId: batch.id, requestId: randomUUID() } });
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'BATCH_NO_LONGER_COVERED', available: '50000' },
    });
    expect(await app.snapshot()).toEqual(before);
    const recomputed = await compute();
    expect(recomputed).toMatchObject({ total: '50000', shortfall: 'PRO_RATA' });
  });
});
