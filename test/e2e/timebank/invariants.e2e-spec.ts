/**
 * Goal: the time bank's invariants of the books (src/timebank/timebank-invariants.ts) hold in every state a
 * time log reaches, and each one catches the break it is for. Every state over GraphQL: waiting (logged by
 * either side), disputed, confirmed (again, as a replay), confirmed by the scheduler, resolved with fewer
 * minutes or cancelled, withdrawn, corrected, community work paid and corrected, confirmed at once by a bank
 * without delay, and between two banks (two legs) waiting, confirmed by the scheduler, corrected and
 * withdrawn: the whole books check (every module's invariants) finds nothing. Then each invariant is broken
 * behind the module's back, on the module's rows only, in a transaction rolled back at the end (the guard
 * trigger set aside there): the check names exactly that invariant. Method: the real service over HTTP on its
 * own PostgreSQL database; two time banks of the steward's federation open to each other, set up before each
 * test; a controlled clock moved past the delay and the scheduler ticked.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { BOOKS } from '../../../src/domain-modules.js';
import { findInvariantViolations } from '../../../src/kernel/invariants.js';
import type { TestApp } from '../setup/test-app.js';
import { useTestApp } from '../setup/use-test-app.js';
import type { Member } from '../governance/governance-fixtures.js';
import {
  bankOrganization,
  logTime,
  minutesFromNow,
  runUntil,
  setUpBank,
  TIMEBANK,
  type Bank,
  type LogView,
} from './timebank-fixtures.js';

const WAITING_HOLDS =
  'timebank: a time log waiting for an answer holds its logged minutes in an open hold on each of its legs';
const HOLD_OF_WAITING_LOG = 'timebank: an open hold of a time log belongs to a log waiting for an answer';
const CONFIRMED_MOVED =
  'timebank: a confirmed time log moved its confirmed minutes on each of its legs, and nothing reversed them';
const CLOSED_MOVED_NOTHING =
  'timebank: a cancelled time log moved no minutes (its holds voided), and a corrected one reversed each posting';

/** The logs of every state, by what happened to them. */
interface Logs {
  readonly autoConfirmed: LogView;
  readonly autoConfirmedBetweenBanks: LogView;
  readonly waiting: LogView;
  readonly disputed: LogView;
  readonly confirmed: LogView;
  readonly resolvedFewer: LogView;
  readonly resolvedCancelled: LogView;
  readonly withdrawn: LogView;
  readonly corrected: LogView;
  readonly community: LogView;
  readonly communityCorrected: LogView;
  readonly waitingBetweenBanks: LogView;
  readonly correctedBetweenBanks: LogView;
  readonly withdrawnBetweenBanks: LogView;
  readonly confirmedAtOnce: LogView;
}

describe('time bank invariants of the books', () => {
  let app: TestApp;
  let river: { id: string; coordinator: Member; members: Member[] };
  let hill: { id: string; coordinator: Member; members: Member[] };
  let riverBank: Bank;
  let hillBank: Bank;
  let ann: Member;
  let ben: Member;
  let carla: Member;

  useTestApp({}, (fixture) => {
    ({ app } = fixture);
  });

  beforeAll(async () => {
    river = await bankOrganization(app, 'river-books', 2);
    hill = await bankOrganization(app, 'hill-books', 1);
    [ann, ben] = river.members as [Member, Member];
    [carla] = hill.members as [Member];
    for (const organizationId of [river.id, hill.id]) {
      const { requestFederationMembership } = await app.ok<{ requestFederationMembership: { id: string } }>(
        `mutation($input: RequestFederationMembershipInput!) { requestFederationMembership(input: $input) { id } }`,
        { input: { organizationId, federationId: app.steward.organizationId } },
      );
      await app.ok(`mutation($input: FederationMembershipIdInput!) { admitFederationMember(input: $input) { id } }`, {
        input: { federationMembershipId: requestFederationMembership.id },
      });
    }
  });

  beforeEach(async () => {
    const settings = { autoConfirmMinutes: 60 * 24, defaultCreditMinutes: '1000', federationExchanges: true };
    riverBank = await setUpBank(app, river, 'RIVER', settings);
    hillBank = await setUpBank(app, hill, 'HILL', settings);
  });

  const send = async (document: string, input: Record<string, unknown>, who: Member): Promise<LogView> => {
    const data = await app.ok<Record<string, LogView>>(document, { input }, { token: who.token });
    const [log] = Object.values(data);
    if (log === undefined) throw new Error('no time log in the answer');
    return log;
  };
  /** A river member logs hours given to a member of `receiverBank` (null: of river). */
  const gave = (giver: Member, receiver: Member, minutes: number, receiverBank: Bank | null = null) =>
    logTime(app, giver, {
      timeBankId: riverBank.id,
      side: 'GAVE',
      counterpartyId: receiver.personId,
      counterpartyBankId: receiverBank?.id ?? null,
      minutes,
    });
  const communityWork = (member: Member, minutes: number) =>
    send(
      TIMEBANK.logCommunityWork,
      { id: randomUUID(), timeBankId: riverBank.id, memberId: member.personId, minutes, description: 'Repairs' },
      river.coordinator,
    );

  /** Drives logs into every state a log reaches, through the API. */
  async function everyState(): Promise<Logs> {
    const autoConfirmed = await gave(ann, ben, 30);
    const autoConfirmedBetweenBanks = await gave(ann, carla, 45, hillBank);
    await runUntil(app, minutesFromNow(app, 60 * 24 + 1));

    const waiting = await logTime(app, ben, {
      timeBankId: riverBank.id,
      side: 'RECEIVED',
      counterpartyId: ann.personId,
      minutes: 25,
    });
    const disputed = await gave(ann, ben, 35);
    await send(TIMEBANK.dispute, { timeLogId: disputed.id, reason: 'It was half an hour' }, ben);
    const confirmed = await gave(ann, ben, 90);
    await send(TIMEBANK.confirm, { timeLogId: confirmed.id }, ben);
    await send(TIMEBANK.confirm, { timeLogId: confirmed.id }, ben);
    const resolvedFewer = await gave(ann, ben, 120);
    await send(TIMEBANK.dispute, { timeLogId: resolvedFewer.id, reason: 'One hour' }, ben);
    await send(
      TIMEBANK.resolve,
      { timeLogId: resolvedFewer.id, outcome: 'CONFIRM', minutes: 60, reason: 'Both agree on an hour' },
      river.coordinator,
    );
    const resolvedCancelled = await gave(ann, ben, 50);
    await send(TIMEBANK.dispute, { timeLogId: resolvedCancelled.id, reason: 'Never happened' }, ben);
    await send(
      TIMEBANK.resolve,
      { timeLogId: resolvedCancelled.id, outcome: 'CANCEL', reason: 'Logged by mistake' },
      river.coordinator,
    );
    const withdrawn = await gave(ann, ben, 20);
    await send(TIMEBANK.withdraw, { timeLogId: withdrawn.id }, ann);
    const corrected = await gave(ann, ben, 40);
    await send(TIMEBANK.confirm, { timeLogId: corrected.id }, ben);
    await send(TIMEBANK.correct, { timeLogId: corrected.id, reason: 'Logged twice' }, river.coordinator);
    const community = await communityWork(ann, 60);
    const communityCorrected = await communityWork(ben, 30);
    await send(TIMEBANK.correct, { timeLogId: communityCorrected.id, reason: 'Not done' }, river.coordinator);

    const waitingBetweenBanks = await logTime(app, carla, {
      timeBankId: hillBank.id,
      side: 'GAVE',
      counterpartyId: ann.personId,
      counterpartyBankId: riverBank.id,
      minutes: 15,
    });
    const correctedBetweenBanks = await gave(ann, carla, 10, hillBank);
    await send(TIMEBANK.confirm, { timeLogId: correctedBetweenBanks.id }, carla);
    await send(TIMEBANK.correct, { timeLogId: correctedBetweenBanks.id, reason: 'Wrong bank' }, river.coordinator);
    const withdrawnBetweenBanks = await gave(ann, carla, 5, hillBank);
    await send(TIMEBANK.withdraw, { timeLogId: withdrawnBetweenBanks.id }, ann);

    await app.ok(
      TIMEBANK.changeSettings,
      { input: { timeBankId: hillBank.id, settings: { autoConfirmMinutes: 0 }, reason: 'Trust each other' } },
      { token: hill.coordinator.token },
    );
    const confirmedAtOnce = await logTime(app, carla, {
      timeBankId: hillBank.id,
      side: 'RECEIVED',
      counterpartyId: hill.coordinator.personId,
      minutes: 55,
    });
    // Logged again with its id: a replay, nothing moves twice.
    await app.ok(
      TIMEBANK.logTime,
      {
        input: {
          id: confirmed.id,
          timeBankId: riverBank.id,
          side: 'GAVE',
          counterpartyId: ben.personId,
          minutes: 90,
          description: 'Help in the garden',
        },
      },
      { token: ann.token },
    );
    return {
      autoConfirmed,
      autoConfirmedBetweenBanks,
      waiting,
      disputed,
      confirmed,
      resolvedFewer,
      resolvedCancelled,
      withdrawn,
      corrected,
      community,
      communityCorrected,
      waitingBetweenBanks,
      correctedBetweenBanks,
      withdrawnBetweenBanks,
      confirmedAtOnce,
    };
  }

  const statusesOf = async (logs: Logs): Promise<Record<string, { status: string; confirmedMinutes: unknown }>> => {
    const statuses: Record<string, { status: string; confirmedMinutes: unknown }> = {};
    for (const [name, log] of Object.entries(logs)) {
      const [row] = await app.dataSource.query<{ status: string; confirmed_minutes: number | null }[]>(
        `SELECT status, confirmed_minutes FROM timebank_exchange WHERE id = $1`,
        [log.id],
      );
      statuses[name] = { status: row?.status ?? 'MISSING', confirmedMinutes: row?.confirmed_minutes ?? null };
    }
    return statuses;
  };

  /** The invariants broken when `damage` is done to the module's rows; the transaction is rolled back. */
  async function brokenBy(damage: (manager: EntityManager) => Promise<void>): Promise<string[]> {
    const runner = app.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      // The guard triggers refuse such edits; the test plays a bug (or a hand) that got past them.
      await runner.query(`SET LOCAL session_replication_role = replica`);
      await damage(runner.manager);
      return (await findInvariantViolations(runner.manager, BOOKS)).map((violation) => violation.invariant);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  it('every state a log reaches keeps the books', async () => {
    const logs = await everyState();
    expect(await statusesOf(logs)).toEqual({
      autoConfirmed: { status: 'CONFIRMED', confirmedMinutes: 30 },
      autoConfirmedBetweenBanks: { status: 'CONFIRMED', confirmedMinutes: 45 },
      waiting: { status: 'PENDING', confirmedMinutes: null },
      disputed: { status: 'DISPUTED', confirmedMinutes: null },
      confirmed: { status: 'CONFIRMED', confirmedMinutes: 90 },
      resolvedFewer: { status: 'CONFIRMED', confirmedMinutes: 60 },
      resolvedCancelled: { status: 'CANCELLED', confirmedMinutes: null },
      withdrawn: { status: 'CANCELLED', confirmedMinutes: null },
      corrected: { status: 'REVERSED', confirmedMinutes: 40 },
      community: { status: 'CONFIRMED', confirmedMinutes: 60 },
      communityCorrected: { status: 'REVERSED', confirmedMinutes: 30 },
      waitingBetweenBanks: { status: 'PENDING', confirmedMinutes: null },
      correctedBetweenBanks: { status: 'REVERSED', confirmedMinutes: 10 },
      withdrawnBetweenBanks: { status: 'CANCELLED', confirmedMinutes: null },
      confirmedAtOnce: { status: 'CONFIRMED', confirmedMinutes: 55 },
    });
    expect(await findInvariantViolations(app.dataSource.manager, BOOKS)).toEqual([]);
  });

  it('a log waiting for an answer holds its logged minutes: a waiting log without an open hold is caught', async () => {
    const logs = await everyState();
    expect(await findInvariantViolations(app.dataSource.manager, BOOKS)).toEqual([]);
    const unheld = await brokenBy(async (manager) => {
      await manager.query(
        `INSERT INTO timebank_exchange (id, kind, timebank_id, giver_id, giver_bank_id, giver_account_id, receiver_id,
           receiver_bank_id, receiver_account_id, minutes, description, started_by, logged_by, status, due_at)
         SELECT $2, kind, timebank_id, giver_id, giver_bank_id, giver_account_id, receiver_id, receiver_bank_id,
                receiver_account_id, minutes, description, started_by, logged_by, status, due_at
         FROM timebank_exchange WHERE id = $1`,
        [logs.waiting.id, randomUUID()],
      );
    });
    expect(unheld).toEqual([WAITING_HOLDS]);
    const postedYetWaiting = await brokenBy(async (manager) => {
      await manager.query(
        `UPDATE timebank_exchange SET status = 'PENDING', confirmed_minutes = NULL, confirmed_at = NULL WHERE id = $1`,
        [logs.confirmed.id],
      );
    });
    expect(postedYetWaiting).toEqual([WAITING_HOLDS]);
  });

  it('an open hold of a log belongs to a waiting log: a hold whose log is gone is caught', async () => {
    const logs = await everyState();
    expect(await findInvariantViolations(app.dataSource.manager, BOOKS)).toEqual([]);
    const orphaned = await brokenBy(async (manager) => {
      await manager.query(`DELETE FROM timebank_exchange_step WHERE exchange_id = $1`, [logs.waitingBetweenBanks.id]);
      await manager.query(`DELETE FROM timebank_exchange WHERE id = $1`, [logs.waitingBetweenBanks.id]);
    });
    expect(orphaned).toEqual([HOLD_OF_WAITING_LOG]);
  });

  it('a confirmed log moved its confirmed minutes: other minutes, or a reversal, are caught', async () => {
    const logs = await everyState();
    expect(await findInvariantViolations(app.dataSource.manager, BOOKS)).toEqual([]);
    const moreThanMoved = await brokenBy(async (manager) => {
      await manager.query(`UPDATE timebank_exchange SET confirmed_minutes = 120 WHERE id = $1`, [
        logs.resolvedFewer.id,
      ]);
    });
    expect(moreThanMoved).toEqual([CONFIRMED_MOVED]);
    const reversedYetConfirmed = await brokenBy(async (manager) => {
      await manager.query(`UPDATE timebank_exchange SET status = 'CONFIRMED', closed_at = NULL WHERE id = $1`, [
        logs.correctedBetweenBanks.id,
      ]);
    });
    expect(reversedYetConfirmed).toEqual([CONFIRMED_MOVED]);
  });

  it('a cancelled log moved nothing and a corrected one is reversed: a posted log closed by hand is caught', async () => {
    const logs = await everyState();
    expect(await findInvariantViolations(app.dataSource.manager, BOOKS)).toEqual([]);
    const cancelledYetPaid = await brokenBy(async (manager) => {
      await manager.query(
        `UPDATE timebank_exchange SET status = 'CANCELLED', confirmed_minutes = NULL, confirmed_at = NULL,
           closed_at = now() WHERE id = $1`,
        [logs.autoConfirmedBetweenBanks.id],
      );
    });
    expect(cancelledYetPaid).toEqual([CLOSED_MOVED_NOTHING]);
    const correctedWithoutReversal = await brokenBy(async (manager) => {
      await manager.query(`UPDATE timebank_exchange SET status = 'REVERSED', closed_at = now() WHERE id = $1`, [
        logs.community.id,
      ]);
    });
    expect(correctedWithoutReversal).toEqual([CLOSED_MOVED_NOTHING]);
  });
});
