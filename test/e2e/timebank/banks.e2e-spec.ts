/**
 * Goal: what a time bank keeps besides its logs. Setting it up (once; again with the same unit returns it),
 * its settings changed by coordinators (each change kept with who and why, and audited) or by a passed
 * motion (`timebank.change-settings`, the motion named as the change's authority); joining opens the
 * member's hours account once, with the bank's credit line; offers and requests published, searched by words
 * and category, newest first, paged, edited and withdrawn; statements per month with CSV, visible as the
 * bank says; and an exchange between two banks of one federation, where each bank's books balance in its
 * own unit. Method: the real service over HTTP on its own PostgreSQL database; two time banks in the
 * steward's federation, set up before each test; balances and trial balances read back over GraphQL.
 */
import { randomUUID } from 'node:crypto';
import type { TestApp } from '../setup/test-app.js';
import { useTestApp } from '../setup/use-test-app.js';
import { createAssembly, join, propose, readMotion, vote, type Member } from '../governance/governance-fixtures.js';
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

describe('time banks', () => {
  let app: TestApp;
  let river: { id: string; coordinator: Member; members: Member[] };
  let hill: { id: string; coordinator: Member; members: Member[] };
  let bank: Bank;
  let ann: Member;
  let ben: Member;

  useTestApp({}, (fixture) => {
    ({ app } = fixture);
  });

  beforeAll(async () => {
    river = await bankOrganization(app, 'river-bank', 2);
    hill = await bankOrganization(app, 'hill-bank', 1);
    [ann, ben] = river.members as [Member, Member];
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
    bank = await setUpBank(app, river, 'RIVER');
  });

  const reasonOf = (response: { errors?: readonly { extensions: { details: { reason: string } } }[] }) =>
    response.errors?.[0]?.extensions.details.reason;

  describe('setting up and settings', () => {
    it('sets a bank up once; again with the same unit returns it, with another is refused', async () => {
      const again = await app.ok<{ setUpTimeBank: { id: string; version: number } }>(TIMEBANK.setUp, {
        input: { organizationId: river.id, unitCode: 'RIVER', unitName: 'RIVER hours' },
      });
      expect(again.setUpTimeBank).toMatchObject({ id: river.id, version: 1 });
      const before = await app.snapshot();
      const other = await app.graphql(TIMEBANK.setUp, {
        input: { organizationId: river.id, unitCode: 'BROOK', unitName: 'Brook hours' },
      });
      expect(reasonOf(other)).toBe('TIME_BANK_UNIT_TAKEN');
      const notABank = await app.graphql(TIMEBANK.setUp, {
        input: { organizationId: app.steward.organizationId, unitCode: 'FED', unitName: 'Federation hours' },
      });
      expect(reasonOf(notABank)).toBe('NOT_A_TIME_BANK');
      expect(await app.snapshot()).toEqual(before);
    });

    it('coordinators change settings; each change is kept with who and why, and audited', async () => {
      const changed = await app.ok<{ changeTimeBankSettings: { version: number; settings: Record<string, unknown> } }>(
        TIMEBANK.changeSettings,
        {
          input: {
            timeBankId: bank.id,
            settings: { autoConfirmMinutes: 2880, bankCreditMinutes: '12000' },
            reason: 'Volunteers answer slowly',
          },
        },
        { token: river.coordinator.token },
      );
      expect(changed.changeTimeBankSettings).toMatchObject({
        version: 2,
        settings: { autoConfirmMinutes: 2880, bankCreditMinutes: '12000' },
      });
      expect(
        (await app.ok<{ account: { creditLimit: string } }>(TIMEBANK.account, { id: bank.bankAccountId })).account,
      ).toMatchObject({ creditLimit: '12000' });
      const { timeBank } = await app.ok<{
        timeBank: { settingsHistory: { version: number; changedBy: string; reason: string }[] };
      }>(TIMEBANK.timeBank, { id: bank.id }, { token: ann.token });
      expect(timeBank.settingsHistory[0]).toMatchObject({
        version: 2,
        changedBy: `person:${river.coordinator.personId}`,
        reason: 'Volunteers answer slowly',
      });
      const audit = await app.ok<{ auditLog: { edges: { node: { action: string } }[] } }>(
        `query($organizationId: ID!) { auditLog(organizationId: $organizationId, first: 50) { edges { node { action } } } }`,
        { organizationId: bank.id },
      );
      expect(audit.auditLog.edges.map((edge) => edge.node.action)).toContain('TIME_BANK_SETTINGS_CHANGED');
      const before = await app.snapshot();
      const byMember = await app.graphql(
        TIMEBANK.changeSettings,
        { input: { timeBankId: bank.id, settings: { autoConfirmMinutes: 0 }, reason: '' } },
        { token: ann.token },
      );
      expect(reasonOf(byMember)).toBe('COORDINATOR_REQUIRED');
      const outOfRange = await app.graphql(
        TIMEBANK.changeSettings,
        { input: { timeBankId: bank.id, settings: { categories: ['Care', 'care'] }, reason: '' } },
        { token: river.coordinator.token },
      );
      expect(reasonOf(outOfRange)).toBe('INVALID_SETTINGS');
      expect(await app.snapshot()).toEqual(before);
    });

    it('a passed motion changes the settings, naming itself as the authority of the change', async () => {
      const assemblyId = await createAssembly(app, river.id);
      const closesAt = minutesFromNow(app, 60);
      const motionId = await propose(app, ann.token, assemblyId, {
        closesAt: closesAt.toISOString(),
        effect: { kind: 'timebank.change-settings', params: { maxMinutesPerLog: 240, statementVisibility: 'MEMBERS' } },
      });
      for (const voter of [ann, ben, river.coordinator]) await vote(app, voter.token, motionId, { choice: 'YES' });
      await runUntil(app, closesAt);
      const motion = await readMotion(app, motionId);
      expect(motion.outcome).toMatchObject({ passed: true, effectStatus: 'APPLIED' });
      const { timeBank } = await app.ok<{
        timeBank: {
          settings: { maxMinutesPerLog: number; statementVisibility: string };
          settingsHistory: { changedBy: string; authorityKind: string; authorityId: string }[];
        };
      }>(TIMEBANK.timeBank, { id: bank.id }, { token: ann.token });
      expect(timeBank.settings).toMatchObject({ maxMinutesPerLog: 240, statementVisibility: 'MEMBERS' });
      expect(timeBank.settingsHistory[0]).toMatchObject({
        changedBy: 'system:timebank.decisions',
        authorityKind: 'MOTION',
        authorityId: motionId,
      });
      // A motion whose parameters are out of range is refused when it is proposed.
      const refused = await app.graphql(
        `mutation($input: ProposeMotionInput!) { proposeMotion(input: $input) { id } }`,
        {
          input: {
            id: randomUUID(),
            assemblyId,
            title: 'No limit',
            body: '',
            closesAt: minutesFromNow(app, 120).toISOString(),
            effect: { kind: 'timebank.change-settings', params: { maxMinutesPerLog: 0 } },
          },
        },
        { token: ann.token },
      );
      expect(reasonOf(refused)).toBe('INVALID_EFFECT');
      // Only a time bank's own assembly decides its settings.
      const federationAssembly = await createAssembly(app, app.steward.organizationId);
      const elsewhere = await app.graphql(
        `mutation($input: ProposeMotionInput!) { proposeMotion(input: $input) { id } }`,
        {
          input: {
            id: randomUUID(),
            assemblyId: federationAssembly,
            title: 'Change a bank',
            body: '',
            closesAt: minutesFromNow(app, 120).toISOString(),
            effect: { kind: 'timebank.change-settings', params: { maxMinutesPerLog: 60 } },
          },
        },
      );
      expect(reasonOf(elsewhere)).toBe('INVALID_EFFECT');
    });

    it('joining opens the hours account once, with the credit line', async () => {
      const again = await app.ok<{ joinTimeBank: { accountId: string } }>(
        TIMEBANK.join,
        { input: { timeBankId: bank.id } },
        { token: ann.token },
      );
      expect(again.joinTimeBank.accountId).toBe(bank.accounts.get(ann.personId));
      const { account } = await app.ok<{ account: { creditLimit: string } }>(TIMEBANK.account, {
        id: again.joinTimeBank.accountId,
      });
      expect(account.creditLimit).toBe('600');
      const outsider = await app.graphql(
        TIMEBANK.join,
        { input: { timeBankId: bank.id } },
        {
          token: hill.members[0]?.token ?? '',
        },
      );
      expect(reasonOf(outsider)).toBe('NOT_A_BANK_MEMBER');
      const forAnother = await app.graphql(
        TIMEBANK.join,
        { input: { timeBankId: bank.id, personId: ben.personId } },
        { token: ann.token },
      );
      expect(reasonOf(forAnother)).toBe('COORDINATOR_REQUIRED');
    });
  });

  it('a member who has left the organisation takes part in no new exchange', async () => {
    const leaver = await join(app, app.steward.token, river.id, 'river-bank-leaver@test.example');
    await app.ok(TIMEBANK.join, { input: { timeBankId: bank.id } }, { token: leaver.token });
    await app.ok(
      `mutation($input: MembershipIdInput!) { endMembership(input: $input) { id } }`,
      {
        input: { membershipId: leaver.membershipId },
      },
      { token: leaver.token },
    );
    const before = await app.snapshot();
    const refused = await app.graphql(
      TIMEBANK.logTime,
      { input: { id: randomUUID(), timeBankId: bank.id, side: 'GAVE', counterpartyId: leaver.personId, minutes: 30 } },
      { token: ann.token },
    );
    expect(reasonOf(refused)).toBe('NOT_ENROLLED');
    expect(await app.snapshot()).toEqual(before);
  });

  describe('offers and requests', () => {
    const publish = (who: Member, input: Record<string, unknown>) =>
      app.graphql<{ publishListing: { id: string } }>(
        TIMEBANK.publish,
        { input: { id: randomUUID(), timeBankId: bank.id, kind: 'OFFER', description: '', ...input } },
        { token: who.token },
      );

    it('are searched by words and category, newest first, page by page', async () => {
      await publish(ann, { title: 'Bicycle repair', category: 'Transport', description: 'Punctures and brakes' });
      await publish(ben, { title: 'Reading to children', category: 'Care', kind: 'REQUEST' });
      await publish(ann, { title: 'Garden help', category: 'Home and garden', description: 'Weeding, repairs' });
      const search = async (variables: Record<string, unknown>) =>
        (
          await app.ok<{
            listings: { edges: { node: { title: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
          }>(TIMEBANK.listings, { timeBankId: bank.id, ...variables }, { token: ben.token })
        ).listings;
      expect((await search({})).edges.map((edge) => edge.node.title)).toEqual([
        'Garden help',
        'Reading to children',
        'Bicycle repair',
      ]);
      expect((await search({ search: 'repair' })).edges.map((edge) => edge.node.title)).toEqual([
        'Garden help',
        'Bicycle repair',
      ]);
      expect((await search({ category: 'Care' })).edges.map((edge) => edge.node.title)).toEqual([
        'Reading to children',
      ]);
      expect((await search({ kind: 'REQUEST', search: 'child' })).edges).toHaveLength(1);
      const first = await search({ first: 2 });
      expect(first.pageInfo.hasNextPage).toBe(true);
      const second = await search({ first: 2, after: first.pageInfo.endCursor });
      expect(second.edges.map((edge) => edge.node.title)).toEqual(['Bicycle repair']);
      expect((await search({ search: '&|!:*()' })).edges).toHaveLength(3);
    });

    it('are edited and withdrawn by their author or a coordinator only', async () => {
      const published = await publish(ann, { title: 'Dog walking', category: 'Care' });
      const id = published.data?.publishListing.id ?? '';
      expect(reasonOf(await publish(ann, { title: 'X', category: 'Astrology' }))).toBe('UNKNOWN_CATEGORY');
      const byOther = await app.graphql(
        TIMEBANK.updateListing,
        { input: { listingId: id, title: 'Cat' } },
        {
          token: ben.token,
        },
      );
      expect(reasonOf(byOther)).toBe('NOT_THE_AUTHOR');
      const edited = await app.ok<{ updateListing: { title: string } }>(
        TIMEBANK.updateListing,
        { input: { listingId: id, title: 'Dog walking, mornings' } },
        { token: ann.token },
      );
      expect(edited.updateListing.title).toBe('Dog walking, mornings');
      await app.ok(TIMEBANK.withdrawListing, { input: { listingId: id } }, { token: river.coordinator.token });
      const again = await app.graphql(TIMEBANK.withdrawListing, { input: { listingId: id } }, { token: ann.token });
      expect(reasonOf(again)).toBe('LISTING_WITHDRAWN');
      // A log may answer an active listing only.
      const log = await app.graphql(
        TIMEBANK.logTime,
        {
          input: {
            id: randomUUID(),
            timeBankId: bank.id,
            side: 'GAVE',
            counterpartyId: ben.personId,
            minutes: 30,
            listingId: id,
          },
        },
        { token: ann.token },
      );
      expect(reasonOf(log)).toBe('LISTING_NOT_IN_BANK');
    });
  });

  describe('statements', () => {
    it("show a member's months, balance and pending minutes, with CSV; others only as the bank allows", async () => {
      const given = await logTime(app, ann, {
        timeBankId: bank.id,
        side: 'GAVE',
        counterpartyId: ben.personId,
        minutes: 90,
      });
      await app.ok(TIMEBANK.confirm, { input: { timeLogId: given.id } }, { token: ben.token });
      await logTime(app, ben, { timeBankId: bank.id, side: 'GAVE', counterpartyId: ann.personId, minutes: 30 });
      const { memberStatement } = await app.ok<{
        memberStatement: { balance: string; pendingMinutes: string; months: { given: string }[]; csv: string };
      }>(TIMEBANK.memberStatement, { timeBankId: bank.id }, { token: ann.token });
      expect(memberStatement).toMatchObject({ balance: '90', pendingMinutes: '30' });
      expect(memberStatement.months).toHaveLength(1);
      expect(memberStatement.csv.split('\r\n')[0]).toBe(
        'month,given_minutes,received_minutes,correction_minutes,balance_minutes',
      );
      expect(memberStatement.csv).toMatch(/,90,0,0,90\r\n$/);
      const byOther = await app.graphql(
        TIMEBANK.memberStatement,
        { timeBankId: bank.id, personId: ann.personId },
        {
          token: ben.token,
        },
      );
      expect(reasonOf(byOther)).toBe('STATEMENT_NOT_VISIBLE');
      await app.ok(
        TIMEBANK.memberStatement,
        { timeBankId: bank.id, personId: ann.personId },
        { token: river.coordinator.token },
      );
      await app.ok(TIMEBANK.changeSettings, {
        input: { timeBankId: bank.id, settings: { statementVisibility: 'MEMBERS' }, reason: 'Open books' },
      });
      await app.ok(TIMEBANK.memberStatement, { timeBankId: bank.id, personId: ann.personId }, { token: ben.token });
      const { bankStatement } = await app.ok<{
        bankStatement: { months: { exchanges: number; activeMembers: number; minutes: string }[]; csv: string };
      }>(TIMEBANK.bankStatement, { timeBankId: bank.id }, { token: river.coordinator.token });
      expect(bankStatement.months).toEqual([
        expect.objectContaining({ exchanges: 1, activeMembers: 2, minutes: '90' }),
      ]);
      expect(bankStatement.csv.startsWith('month,exchanges,active_members,minutes,corrections\r\n')).toBe(true);
      const bankByMember = await app.graphql(TIMEBANK.bankStatement, { timeBankId: bank.id }, { token: ann.token });
      expect(reasonOf(bankByMember)).toBe('COORDINATOR_REQUIRED');
    });
  });

  describe('between banks', () => {
    /** Both banks' coordinators let their members exchange with the other bank. */
    const openExchangesWith = async (other: Bank) => {
      for (const [id, coordinator] of [
        [bank.id, river.coordinator],
        [other.id, hill.coordinator],
      ] as const) {
        await app.ok(
          TIMEBANK.changeSettings,
          { input: { timeBankId: id, settings: { federationExchanges: true }, reason: 'Trade with neighbours' } },
          { token: coordinator.token },
        );
      }
    };

    it('members of two banks of one federation exchange when both allow it; each unit balances', async () => {
      const other = await setUpBank(app, hill, 'HILL');
      const carla = hill.members[0] as Member;
      const attempt = () =>
        app.graphql(
          TIMEBANK.logTime,
          {
            input: {
              id: randomUUID(),
              timeBankId: bank.id,
              side: 'GAVE',
              counterpartyId: carla.personId,
              counterpartyBankId: other.id,
              minutes: 60,
            },
          },
          { token: ann.token },
        );
      expect(reasonOf(await attempt())).toBe('EXCHANGE_BETWEEN_BANKS_CLOSED');
      await openExchangesWith(other);
      const logged = await attempt();
      expect(logged.errors).toBeUndefined();
      const log = (logged.data as { logTime: { id: string } }).logTime;
      expect(await balanceOf(app, other.accounts.get(carla.personId) ?? '')).toMatchObject({ debitsPending: '60' });
      await app.ok(TIMEBANK.confirm, { input: { timeLogId: log.id } }, { token: carla.token });
      expect((await balanceOf(app, bank.accounts.get(ann.personId) ?? '')).balance).toBe('60');
      expect((await balanceOf(app, other.accounts.get(carla.personId) ?? '')).balance).toBe('-60');
      const transactions = await app.ok<{
        transactionsByAuthority: { edges: { node: { operation: string; unitCode: string } }[] };
      }>(TIMEBANK.byAuthority, { kind: 'TIME_LOG', id: log.id });
      expect(
        transactions.transactionsByAuthority.edges
          .filter((edge) => edge.node.operation === 'POST_HOLD')
          .map((edge) => edge.node.unitCode)
          .sort(),
      ).toEqual(['HILL', 'RIVER']);
      const { trialBalance } = await app.ok<{ trialBalance: { unitCode: string; balanced: boolean }[] }>(
        `query($unitCodes: [String!]) { trialBalance(unitCodes: $unitCodes) { unitCode balanced } }`,
        { unitCodes: ['RIVER', 'HILL'] },
      );
      expect(trialBalance.map((line) => line.balanced)).toEqual([true, true]);
      // Runs of the scheduler find nothing left to do for it.
      await runUntil(app, minutesFromNow(app, 60 * 24 * 8));
      expect((await balanceOf(app, bank.accounts.get(ann.personId) ?? '')).balance).toBe('60');
    });

    it('a log between banks falling due while an account is frozen stays pending whole, and confirms once thawed', async () => {
      const other = await setUpBank(app, hill, 'HILL');
      const carla = hill.members[0] as Member;
      await openExchangesWith(other);
      const { logTime: log } = await app.ok<{ logTime: LogView }>(
        TIMEBANK.logTime,
        {
          input: {
            id: randomUUID(),
            timeBankId: bank.id,
            side: 'GAVE',
            counterpartyId: carla.personId,
            counterpartyBankId: other.id,
            minutes: 60,
          },
        },
        { token: ann.token },
      );
      const annAccount = bank.accounts.get(ann.personId) ?? '';
      const carlaAccount = other.accounts.get(carla.personId) ?? '';
      const status = `mutation($input: ChangeAccountStatusInput!) { STATUS(input: $input) { id status } }`;
      await app.ok(status.replace('STATUS', 'freezeAccount'), { input: { accountId: annAccount, reason: 'Audit' } });
      await runUntil(app, new Date(Date.parse(log.dueAt ?? '') + 1000));
      // Neither leg moved: the other bank's is not posted while this one is refused.
      expect(
        (await app.ok<{ timeLog: LogView }>(TIMEBANK.timeLog, { id: log.id }, { token: ann.token })).timeLog,
      ).toMatchObject({
        status: 'PENDING',
      });
      expect(await balanceOf(app, carlaAccount)).toMatchObject({ balance: '0', debitsPending: '60' });
      expect(await balanceOf(app, annAccount)).toMatchObject({ balance: '0' });
      await app.ok(status.replace('STATUS', 'unfreezeAccount'), { input: { accountId: annAccount, reason: 'Done' } });
      // The refusal was not kept against the posting's id: confirming now moves both legs, once.
      await app.ok(TIMEBANK.confirm, { input: { timeLogId: log.id } }, { token: carla.token });
      expect((await balanceOf(app, annAccount)).balance).toBe('60');
      expect(await balanceOf(app, carlaAccount)).toMatchObject({ balance: '-60', debitsPending: '0' });
    });
  });
});
