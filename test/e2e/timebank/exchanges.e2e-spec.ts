/**
 * Goal: hours that both sides confirm. Each path of a time log over GraphQL: the giver logs and the receiver
 * confirms; the receiver records and the giver confirms; nobody answers and the scheduler confirms it at the
 * bank's instant; a dispute resolved by a coordinator with fewer minutes, or cancelled; a withdrawal; a
 * coordinator's correction (a reversal, never an edit); community work paid by the bank's account. The hold
 * reserves the minutes at once (the credit line counts them), a confirmation moves them once however often
 * it is sent, and a confirmation racing the auto-confirmation moves them once. Each error leaves every table
 * as it was. Method: the real service over HTTP on its own PostgreSQL database; a time bank with a
 * coordinator and three members, set up before each test; a controlled clock moved past the delay and the
 * scheduler ticked; balances read back over GraphQL, transactions by their authority (the log).
 */
import { randomUUID } from 'node:crypto';
import { EMAIL_SENDER, type OutboxEmailSender } from '../../../src/kernel/email-sender.js';
import type { TestApp } from '../setup/test-app.js';
import { useTestApp } from '../setup/use-test-app.js';
import type { Member } from '../governance/governance-fixtures.js';
import {
  balanceOf,
  bankOrganization,
  logTime,
  minutesFromNow,
  runUntil,
  setUpBank,
  TIMEBANK,
  type Bank,
  type LogView,
} from './timebank-fixtures.js';

describe('time logs', () => {
  let app: TestApp;
  let organization: { id: string; coordinator: Member; members: Member[] };
  let bank: Bank;
  let ann: Member;
  let ben: Member;
  let cat: Member;

  useTestApp({}, (fixture) => {
    ({ app } = fixture);
  });

  beforeAll(async () => {
    organization = await bankOrganization(app, 'river', 3);
    [ann, ben, cat] = organization.members as [Member, Member, Member];
  });

  beforeEach(async () => {
    bank = await setUpBank(app, organization, 'RIVER', { autoConfirmMinutes: 60 * 24, defaultCreditMinutes: '600' });
  });

  const account = (member: Member) => bank.accounts.get(member.personId) ?? '';
  const send = (document: string, input: Record<string, unknown>, who: Member) =>
    app.graphql<Record<string, LogView>>(document, { input }, { token: who.token });
  const reasonOf = (response: { errors?: readonly { extensions: { details: { reason: string } } }[] }) =>
    response.errors?.[0]?.extensions.details.reason;

  it('giver logs, the receiver is asked, confirms, and the hold posts', async () => {
    const log = await logTime(app, ann, {
      timeBankId: bank.id,
      side: 'GAVE',
      counterpartyId: ben.personId,
      minutes: 90,
    });
    expect(log).toMatchObject({ status: 'PENDING', startedBy: 'GIVER', minutes: 90, awaitingMyAnswer: false });
    const notice = app.app.get<symbol, OutboxEmailSender>(EMAIL_SENDER).sent.at(-1);
    expect(notice?.to).toBe('river-1@test.example');
    expect(notice?.subject).toContain('Please confirm 1 h 30 min');
    expect(await balanceOf(app, account(ben))).toMatchObject({ balance: '0', debitsPending: '90' });
    const awaiting = await app.ok<{ timeLogs: { edges: { node: { id: string } }[] } }>(
      TIMEBANK.timeLogs,
      { timeBankId: bank.id, awaitingMe: true },
      { token: ben.token },
    );
    expect(awaiting.timeLogs.edges.map((edge) => edge.node.id)).toEqual([log.id]);
    const confirmed = (await send(TIMEBANK.confirm, { timeLogId: log.id }, ben)).data?.['confirmTimeLog'];
    expect(confirmed).toMatchObject({ status: 'CONFIRMED', confirmedMinutes: 90 });
    expect(confirmed?.steps.map((step) => step.action)).toEqual(['LOGGED', 'CONFIRMED']);
    expect(await balanceOf(app, account(ben))).toMatchObject({ balance: '-90', debitsPending: '0' });
    expect((await balanceOf(app, account(ann))).balance).toBe('90');
    const transactions = await app.ok<{
      transactionsByAuthority: { edges: { node: { operation: string; authority: { kind: string; id: string } } }[] };
    }>(TIMEBANK.byAuthority, { kind: 'TIME_LOG', id: log.id });
    expect(transactions.transactionsByAuthority.edges.map((edge) => edge.node.operation).sort()).toEqual([
      'HOLD',
      'POST_HOLD',
    ]);
    // Confirming again is a replay: nothing moves.
    const again = await send(TIMEBANK.confirm, { timeLogId: log.id }, ben);
    expect(again.data?.['confirmTimeLog']?.status).toBe('CONFIRMED');
    expect((await balanceOf(app, account(ann))).balance).toBe('90');
  });

  it('the held minutes move only by the log’s own steps: posting or voiding the hold directly is refused', async () => {
    const log = await logTime(app, ann, {
      timeBankId: bank.id,
      side: 'GAVE',
      counterpartyId: ben.personId,
      minutes: 40,
    });
    const held = await app.ok<{ transactionsByAuthority: { edges: { node: { id: string; operation: string } }[] } }>(
      TIMEBANK.byAuthority,
      { kind: 'TIME_LOG', id: log.id },
    );
    const holdId = held.transactionsByAuthority.edges.find((edge) => edge.node.operation === 'HOLD')?.node.id;
    expect(holdId).toBeDefined();
    const before = await app.snapshot();
    const direct = [
      [`mutation($input: VoidHoldInput!) { voidHold(input: $input) { transaction { id } } }`, ben],
      [`mutation($input: PostHoldInput!) { postHold(input: $input) { transaction { id } } }`, ben],
      [`mutation($input: VoidHoldInput!) { voidHold(input: $input) { transaction { id } } }`, ann],
      [`mutation($input: VoidHoldInput!) { voidHold(input: $input) { transaction { id } } }`, organization.coordinator],
    ] as const;
    for (const [document, who] of direct) {
      const response = await app.graphql(document, { input: { id: randomUUID(), holdId } }, { token: who.token });
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'FORBIDDEN',
        details: { reason: 'WORKFLOW_HOLD', holdId, authorityKind: 'TIME_LOG', authorityId: log.id },
      });
    }
    expect(await app.snapshot()).toEqual(before);
    const confirmed = (await send(TIMEBANK.confirm, { timeLogId: log.id }, ben)).data?.['confirmTimeLog'];
    expect(confirmed).toMatchObject({ status: 'CONFIRMED', confirmedMinutes: 40 });
    expect((await balanceOf(app, account(ann))).balance).toBe('40');
  });

  it('receiver records, the giver confirms', async () => {
    const log = await logTime(app, ben, {
      timeBankId: bank.id,
      side: 'RECEIVED',
      counterpartyId: ann.personId,
      minutes: 30,
    });
    expect(log.startedBy).toBe('RECEIVER');
    expect((await send(TIMEBANK.confirm, { timeLogId: log.id }, ben)).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    await send(TIMEBANK.confirm, { timeLogId: log.id }, ann);
    expect((await balanceOf(app, account(ann))).balance).toBe('30');
    expect((await balanceOf(app, account(ben))).balance).toBe('-30');
  });

  it('an unanswered log confirms itself when the bank’s time runs out, by the scheduler', async () => {
    const log = await logTime(app, ann, {
      timeBankId: bank.id,
      side: 'GAVE',
      counterpartyId: cat.personId,
      minutes: 45,
    });
    await runUntil(app, minutesFromNow(app, 60));
    expect(
      (await app.ok<{ timeLog: LogView }>(TIMEBANK.timeLog, { id: log.id }, { token: ann.token })).timeLog.status,
    ).toBe('PENDING');
    await runUntil(app, new Date(new Date(log.dueAt ?? '').getTime() + 1000));
    const after = (await app.ok<{ timeLog: LogView }>(TIMEBANK.timeLog, { id: log.id }, { token: ann.token })).timeLog;
    expect(after.status).toBe('CONFIRMED');
    expect(after.steps.at(-1)).toMatchObject({ action: 'AUTO_CONFIRMED', actor: 'system:timebank.auto-confirm' });
    expect((await balanceOf(app, account(ann))).balance).toBe('45');
    // Run again for the same instant: nothing more moves.
    await runUntil(app, new Date(new Date(log.dueAt ?? '').getTime() + 2000));
    expect((await balanceOf(app, account(cat))).balance).toBe('-45');
  });

  it('a bank that confirms at once (0) moves the hours when they are logged', async () => {
    await app.ok(TIMEBANK.changeSettings, {
      input: { timeBankId: bank.id, settings: { autoConfirmMinutes: 0 }, reason: 'We trust each other' },
    });
    const log = await logTime(app, ann, {
      timeBankId: bank.id,
      side: 'GAVE',
      counterpartyId: ben.personId,
      minutes: 20,
    });
    expect(log.status).toBe('CONFIRMED');
    expect((await balanceOf(app, account(ann))).balance).toBe('20');
  });

  it('a dispute goes to a coordinator, who confirms fewer minutes', async () => {
    const log = await logTime(app, ann, {
      timeBankId: bank.id,
      side: 'GAVE',
      counterpartyId: ben.personId,
      minutes: 120,
    });
    expect(reasonOf(await send(TIMEBANK.dispute, { timeLogId: log.id, reason: '  ' }, ben))).toBe(
      'EXPLANATION_REQUIRED',
    );
    const disputed = (await send(TIMEBANK.dispute, { timeLogId: log.id, reason: 'It was one hour' }, ben)).data?.[
      'disputeTimeLog'
    ];
    expect(disputed?.status).toBe('DISPUTED');
    // The dispute is not the members' to settle, and a disputed log does not confirm itself.
    expect(reasonOf(await send(TIMEBANK.confirm, { timeLogId: log.id }, ben))).toBe('TRANSITION_REFUSED');
    expect(
      reasonOf(await send(TIMEBANK.resolve, { timeLogId: log.id, outcome: 'CONFIRM', minutes: 60, reason: '' }, ann)),
    ).toBe('COORDINATOR_REQUIRED');
    await runUntil(app, minutesFromNow(app, 60 * 24 * 2));
    const before = await app.snapshot();
    expect(
      reasonOf(
        await send(
          TIMEBANK.resolve,
          { timeLogId: log.id, outcome: 'CONFIRM', minutes: 121, reason: '' },
          organization.coordinator,
        ),
      ),
    ).toBe('MINUTES_ABOVE_LOGGED');
    expect(await app.snapshot()).toEqual(before);
    const resolved = (
      await send(
        TIMEBANK.resolve,
        { timeLogId: log.id, outcome: 'CONFIRM', minutes: 60, reason: 'Both agreed on one hour' },
        organization.coordinator,
      )
    ).data?.['resolveTimeLog'];
    expect(resolved).toMatchObject({ status: 'CONFIRMED', confirmedMinutes: 60 });
    expect(resolved?.steps.map((step) => step.action)).toEqual(['LOGGED', 'DISPUTED', 'RESOLVED_CONFIRMED']);
    expect(await balanceOf(app, account(ben))).toMatchObject({ balance: '-60', debitsPending: '0' });
    expect((await balanceOf(app, account(ann))).balance).toBe('60');
  });

  it('a dispute cancelled by a coordinator releases the hold', async () => {
    const log = await logTime(app, ann, {
      timeBankId: bank.id,
      side: 'GAVE',
      counterpartyId: ben.personId,
      minutes: 50,
    });
    await send(TIMEBANK.dispute, { timeLogId: log.id, reason: 'Never happened' }, ben);
    expect(
      reasonOf(
        await send(TIMEBANK.resolve, { timeLogId: log.id, outcome: 'CANCEL', reason: '' }, organization.coordinator),
      ),
    ).toBe('EXPLANATION_REQUIRED');
    const cancelled = (
      await send(
        TIMEBANK.resolve,
        { timeLogId: log.id, outcome: 'CANCEL', reason: 'Logged by mistake' },
        organization.coordinator,
      )
    ).data?.['resolveTimeLog'];
    expect(cancelled?.status).toBe('CANCELLED');
    expect(await balanceOf(app, account(ben))).toMatchObject({ balance: '0', debitsPending: '0' });
  });

  it('who logged it may withdraw it while it waits; the other side may not', async () => {
    const log = await logTime(app, ann, {
      timeBankId: bank.id,
      side: 'GAVE',
      counterpartyId: ben.personId,
      minutes: 50,
    });
    expect(reasonOf(await send(TIMEBANK.withdraw, { timeLogId: log.id }, ben))).toBe('NOT_THE_LOGGER');
    expect((await send(TIMEBANK.withdraw, { timeLogId: log.id }, ann)).data?.['withdrawTimeLog']?.status).toBe(
      'CANCELLED',
    );
    expect((await balanceOf(app, account(ben))).debitsPending).toBe('0');
    expect(reasonOf(await send(TIMEBANK.confirm, { timeLogId: log.id }, ben))).toBe('TRANSITION_REFUSED');
  });

  it("a coordinator's correction reverses a confirmed exchange with new transactions", async () => {
    const log = await logTime(app, ann, {
      timeBankId: bank.id,
      side: 'GAVE',
      counterpartyId: ben.personId,
      minutes: 40,
    });
    await send(TIMEBANK.confirm, { timeLogId: log.id }, ben);
    expect(reasonOf(await send(TIMEBANK.correct, { timeLogId: log.id, reason: 'Wrong' }, ann))).toBe(
      'COORDINATOR_REQUIRED',
    );
    const corrected = (
      await send(TIMEBANK.correct, { timeLogId: log.id, reason: 'Logged twice' }, organization.coordinator)
    ).data?.['correctTimeLog'];
    expect(corrected).toMatchObject({ status: 'REVERSED', confirmedMinutes: 40 });
    expect((await balanceOf(app, account(ann))).balance).toBe('0');
    const operations = await app.ok<{ transactionsByAuthority: { edges: { node: { operation: string } }[] } }>(
      TIMEBANK.byAuthority,
      { kind: 'TIME_LOG', id: log.id },
    );
    expect(operations.transactionsByAuthority.edges.map((edge) => edge.node.operation).sort()).toEqual([
      'HOLD',
      'POST_HOLD',
      'REVERSAL',
    ]);
    // The member sees the correction in their statement, in the month it was made.
    const statement = await app.ok<{
      memberStatement: { months: { given: string; corrections: string; balance: string }[] };
    }>(TIMEBANK.memberStatement, { timeBankId: bank.id }, { token: ann.token });
    expect(statement.memberStatement.months.at(-1)).toMatchObject({ given: '40', corrections: '-40', balance: '0' });
    expect(
      reasonOf(await send(TIMEBANK.correct, { timeLogId: log.id, reason: 'Again' }, organization.coordinator)),
    ).toBe('TRANSITION_REFUSED');
  });

  it("the bank's account pays community work, within its own credit line", async () => {
    const paid = (
      await send(
        TIMEBANK.logCommunityWork,
        { id: randomUUID(), timeBankId: bank.id, memberId: cat.personId, minutes: 180, description: 'Newsletter' },
        organization.coordinator,
      )
    ).data?.['logCommunityWork'];
    expect(paid).toMatchObject({ kind: 'COMMUNITY', status: 'CONFIRMED', confirmedMinutes: 180 });
    expect((await balanceOf(app, account(cat))).balance).toBe('180');
    expect((await balanceOf(app, bank.bankAccountId)).balance).toBe('-180');
    expect(
      reasonOf(
        await send(
          TIMEBANK.logCommunityWork,
          { id: randomUUID(), timeBankId: bank.id, memberId: organization.coordinator.personId, minutes: 10 },
          organization.coordinator,
        ),
      ),
    ).toBe('OWN_COMMUNITY_WORK');
    expect(
      reasonOf(
        await send(
          TIMEBANK.logCommunityWork,
          { id: randomUUID(), timeBankId: bank.id, memberId: cat.personId, minutes: 10 },
          ann,
        ),
      ),
    ).toBe('COORDINATOR_REQUIRED');
  });

  it('the hold honours the credit line: a receiver at the limit cannot be given more', async () => {
    await logTime(app, ann, { timeBankId: bank.id, side: 'GAVE', counterpartyId: ben.personId, minutes: 480 });
    const before = await app.snapshot();
    const refused = await send(
      TIMEBANK.logTime,
      { id: randomUUID(), timeBankId: bank.id, side: 'GAVE', counterpartyId: ben.personId, minutes: 121 },
      cat,
    );
    expect(refused.errors?.[0]?.extensions.code).toBe('INSUFFICIENT_FUNDS');
    expect(await app.snapshot()).toEqual(before);
  });

  it('refuses bad logs and changes nothing', async () => {
    const before = await app.snapshot();
    const attempt = (input: Record<string, unknown>, who: Member = ann) =>
      send(
        TIMEBANK.logTime,
        { id: randomUUID(), timeBankId: bank.id, side: 'GAVE', counterpartyId: ben.personId, minutes: 30, ...input },
        who,
      );
    expect(reasonOf(await attempt({ counterpartyId: ann.personId }))).toBe('SELF_EXCHANGE');
    expect(reasonOf(await attempt({ minutes: 0 }))).toBe('MINUTES_OUT_OF_RANGE');
    expect(reasonOf(await attempt({ minutes: 8 * 60 + 1 }))).toBe('MINUTES_OUT_OF_RANGE');
    expect(reasonOf(await attempt({ counterpartyId: app.steward.personId }))).toBe('NOT_ENROLLED');
    expect(reasonOf(await attempt({ listingId: randomUUID() }))).toBe('LISTING_NOT_IN_BANK');
    expect(reasonOf(await attempt({ timeBankId: randomUUID() }))).toBe('TIME_BANK_NOT_FOUND');
    expect(await app.snapshot()).toEqual(before);
  });

  it('a log sent twice is written once; the same id with other content is refused', async () => {
    const input = { id: randomUUID(), timeBankId: bank.id, side: 'GAVE', counterpartyId: ben.personId, minutes: 25 };
    const first = await send(TIMEBANK.logTime, input, ann);
    const second = await send(TIMEBANK.logTime, input, ann);
    expect(second.data?.['logTime']?.id).toBe(first.data?.['logTime']?.id);
    expect((await balanceOf(app, account(ben))).debitsPending).toBe('25');
    expect(reasonOf(await send(TIMEBANK.logTime, { ...input, minutes: 26 }, ann))).toBe('LOG_ID_TAKEN');
    // Sent several times at once: one log, one step, one hold.
    const racing = { ...input, id: randomUUID() };
    const answers = await Promise.all([1, 2, 3].map(() => send(TIMEBANK.logTime, racing, ann)));
    expect(answers.map((answer) => answer.errors)).toEqual([undefined, undefined, undefined]);
    const read = await app.ok<{ timeLog: LogView }>(TIMEBANK.timeLog, { id: racing.id }, { token: ann.token });
    expect(read.timeLog.steps).toHaveLength(1);
    expect((await balanceOf(app, account(ben))).debitsPending).toBe('50');
  });

  it('PostgreSQL refuses what the rules refuse: a status out of order, an edited log, a deleted step', async () => {
    const log = await logTime(app, ann, {
      timeBankId: bank.id,
      side: 'GAVE',
      counterpartyId: ben.personId,
      minutes: 15,
    });
    await send(TIMEBANK.withdraw, { timeLogId: log.id }, ann);
    const refused = async (sql: string) => {
      await expect(app.dataSource.query(sql, [log.id])).rejects.toThrow();
    };
    await refused(`UPDATE timebank_exchange SET status = 'CONFIRMED', confirmed_minutes = 15, confirmed_at = now(),
      closed_at = NULL WHERE id = $1`);
    await refused(`UPDATE timebank_exchange SET minutes = 20 WHERE id = $1`);
    await refused(`DELETE FROM timebank_exchange_step WHERE exchange_id = $1`);
    await refused(`UPDATE timebank_exchange_step SET reason = 'edited' WHERE exchange_id = $1`);
    await refused(`DELETE FROM timebank_exchange WHERE id = $1`);
  });

  it('a confirmation racing the auto-confirmation moves the hours once', async () => {
    const logs: LogView[] = [];
    for (let index = 0; index < 5; index += 1) {
      logs.push(
        await logTime(app, ann, { timeBankId: bank.id, side: 'GAVE', counterpartyId: ben.personId, minutes: 10 }),
      );
    }
    const due = new Date(new Date(logs[0]?.dueAt ?? '').getTime() + 60_000);
    const results = await Promise.all([
      runUntil(app, due),
      ...logs.map((log) => send(TIMEBANK.confirm, { timeLogId: log.id }, ben)),
    ]);
    for (const result of results.slice(1)) {
      expect((result as { errors?: unknown }).errors).toBeUndefined();
    }
    await runUntil(app, new Date(due.getTime() + 1000));
    expect(await balanceOf(app, account(ben))).toMatchObject({ balance: '-50', debitsPending: '0' });
    expect((await balanceOf(app, account(ann))).balance).toBe('50');
  });

  it('concurrent logs against one receiver stay within the credit line', async () => {
    const results = await Promise.all(
      [ann, cat, organization.coordinator].map((giver) =>
        send(
          TIMEBANK.logTime,
          { id: randomUUID(), timeBankId: bank.id, side: 'GAVE', counterpartyId: ben.personId, minutes: 250 },
          giver,
        ),
      ),
    );
    expect(results.map((result) => result.errors?.[0]?.extensions.details.reason ?? 'OK').sort()).toEqual([
      'CREDIT_LIMIT_EXCEEDED',
      'OK',
      'OK',
    ]);
    expect((await balanceOf(app, account(ben))).debitsPending).toBe('500');
  });
});
