import { randomUUID } from 'node:crypto';
import type { TestApp } from '../setup/test-app.js';
import { clockOf, join, type Member } from '../governance/governance-fixtures.js';
import { SchedulerService } from '../../../src/kernel/scheduling/scheduler.service.js';

/** The documents the time bank's tests send. */
export const LOG_FIELDS = `id kind timeBankId giverId receiverId giverBankId receiverBankId minutes confirmedMinutes
  description listingId startedBy loggedBy status dueAt confirmedAt closedAt awaitingMyAnswer
  steps { step action status actor minutes reason }`;

export const TIMEBANK = {
  createOrganization: `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
  setUp: `mutation($input: SetUpTimeBankInput!) { setUpTimeBank(input: $input) {
    id unitCode bankAccountId clearingAccountId version
    settings { autoConfirmMinutes maxMinutesPerLog defaultCreditMinutes bankCreditMinutes federationExchanges
      statementVisibility categories } } }`,
  changeSettings: `mutation($input: ChangeTimeBankSettingsInput!) { changeTimeBankSettings(input: $input) {
    id version settings { autoConfirmMinutes maxMinutesPerLog defaultCreditMinutes bankCreditMinutes
      federationExchanges statementVisibility categories } } }`,
  timeBank: `query($id: ID!) { timeBank(id: $id) { id version
    settings { autoConfirmMinutes maxMinutesPerLog bankCreditMinutes federationExchanges statementVisibility }
    settingsHistory { version changedBy authorityKind authorityId reason before after }
    members { personId accountId } } }`,
  join: `mutation($input: JoinTimeBankInput!) { joinTimeBank(input: $input) { timeBankId personId accountId } }`,
  publish: `mutation($input: PublishListingInput!) { publishListing(input: $input) {
    id kind title category status authorId } }`,
  updateListing: `mutation($input: UpdateListingInput!) { updateListing(input: $input) { id title category status } }`,
  withdrawListing: `mutation($input: ListingIdInput!) { withdrawListing(input: $input) { id status } }`,
  listings: `query($timeBankId: ID!, $search: String, $category: String, $kind: ListingKind, $first: Int, $after: String) {
    listings(timeBankId: $timeBankId, search: $search, category: $category, kind: $kind, first: $first, after: $after) {
      edges { node { id title category kind } } pageInfo { hasNextPage endCursor } } }`,
  logTime: `mutation($input: LogTimeInput!) { logTime(input: $input) { ${LOG_FIELDS} } }`,
  logCommunityWork: `mutation($input: LogCommunityWorkInput!) { logCommunityWork(input: $input) { ${LOG_FIELDS} } }`,
  confirm: `mutation($input: TimeLogIdInput!) { confirmTimeLog(input: $input) { ${LOG_FIELDS} } }`,
  dispute: `mutation($input: TimeLogReasonInput!) { disputeTimeLog(input: $input) { ${LOG_FIELDS} } }`,
  withdraw: `mutation($input: TimeLogIdInput!) { withdrawTimeLog(input: $input) { ${LOG_FIELDS} } }`,
  resolve: `mutation($input: ResolveTimeLogInput!) { resolveTimeLog(input: $input) { ${LOG_FIELDS} } }`,
  correct: `mutation($input: TimeLogReasonInput!) { correctTimeLog(input: $input) { ${LOG_FIELDS} } }`,
  timeLog: `query($id: ID!) { timeLog(id: $id) { ${LOG_FIELDS} } }`,
  timeLogs: `query($timeBankId: ID!, $memberId: ID, $statuses: [TimeLogStatus!], $awaitingMe: Boolean) {
    timeLogs(timeBankId: $timeBankId, memberId: $memberId, statuses: $statuses, awaitingMe: $awaitingMe) {
      edges { node { id status minutes } } } }`,
  memberStatement: `query($timeBankId: ID!, $personId: ID) { memberStatement(timeBankId: $timeBankId, personId: $personId) {
    personId balance pendingMinutes months { month given received corrections balance } csv } }`,
  bankStatement: `query($timeBankId: ID!) { bankStatement(timeBankId: $timeBankId) {
    months { month exchanges activeMembers minutes corrections } csv } }`,
  account: `query($id: ID!) { account(id: $id) { id balance debitsPending creditsPending creditLimit } }`,
  byAuthority: `query($kind: String!, $id: String!) {
    transactionsByAuthority(kind: $kind, id: $id, first: 50) { edges { node { id operation unitCode recordedBy
      authority { kind id } entries { accountId side amount } } } } }`,
} as const;

export interface LogView {
  id: string;
  kind: string;
  minutes: number;
  confirmedMinutes: number | null;
  status: string;
  startedBy: string;
  dueAt: string | null;
  awaitingMyAnswer: boolean;
  steps: { step: number; action: string; status: string; actor: string; minutes: number | null; reason: string }[];
}

export interface Bank {
  readonly id: string;
  readonly unitCode: string;
  readonly bankAccountId: string;
  readonly coordinator: Member;
  readonly members: readonly Member[];
  /** Hours account of each member, by person id. */
  readonly accounts: Map<string, string>;
}

/** An organisation of kind TIME_BANK with a coordinator and members who joined by invitation. */
export async function bankOrganization(
  app: TestApp,
  slug: string,
  count: number,
): Promise<{ id: string; coordinator: Member; members: Member[] }> {
  const { createOrganization } = await app.ok<{ createOrganization: { id: string } }>(TIMEBANK.createOrganization, {
    input: { kind: 'TIME_BANK', name: `Time bank ${slug}`, slug },
  });
  const id = createOrganization.id;
  const coordinator = await join(app, app.steward.token, id, `${slug}-coordinator@test.example`, ['COORDINATOR']);
  const members: Member[] = [];
  for (let index = 0; index < count; index += 1) {
    members.push(await join(app, app.steward.token, id, `${slug}-${index}@test.example`));
  }
  return { id, coordinator, members };
}

/** Sets the bank up (as the steward, its ADMIN) and joins every member; returns their accounts. */
export async function setUpBank(
  app: TestApp,
  organization: { id: string; coordinator: Member; members: readonly Member[] },
  unitCode: string,
  settings: Record<string, unknown> = {},
): Promise<Bank> {
  const { setUpTimeBank } = await app.ok<{ setUpTimeBank: { id: string; unitCode: string; bankAccountId: string } }>(
    TIMEBANK.setUp,
    { input: { organizationId: organization.id, unitCode, unitName: `${unitCode} hours`, settings } },
  );
  const accounts = new Map<string, string>();
  for (const member of [organization.coordinator, ...organization.members]) {
    const { joinTimeBank } = await app.ok<{ joinTimeBank: { accountId: string } }>(
      TIMEBANK.join,
      { input: { timeBankId: organization.id } },
      { token: member.token },
    );
    accounts.set(member.personId, joinTimeBank.accountId);
  }
  return { ...organization, unitCode: setUpTimeBank.unitCode, bankAccountId: setUpTimeBank.bankAccountId, accounts };
}

export async function logTime(
  app: TestApp,
  who: Member,
  input: { timeBankId: string; side: 'GAVE' | 'RECEIVED'; counterpartyId: string; minutes: number } & Record<
    string,
    unknown
  >,
): Promise<LogView> {
  const data = await app.ok<{ logTime: LogView }>(
    TIMEBANK.logTime,
    { input: { id: randomUUID(), description: 'Help in the garden', ...input } },
    { token: who.token },
  );
  return data.logTime;
}

export async function balanceOf(app: TestApp, accountId: string): Promise<{ balance: string; debitsPending: string }> {
  return (await app.ok<{ account: { balance: string; debitsPending: string } }>(TIMEBANK.account, { id: accountId }))
    .account;
}

/** Moves the clock to `instant`, and runs whatever scheduled work fell due. */
export async function runUntil(app: TestApp, instant: Date): Promise<void> {
  clockOf(app).set(instant);
  const scheduler = app.app.get(SchedulerService);
  // At `instant` itself: the controlled clock runs on, and under load a tick a moment later is past it.
  await scheduler.tick(instant);
  await scheduler.settled();
}

export function minutesFromNow(app: TestApp, minutes: number): Date {
  return new Date(clockOf(app).now().getTime() + minutes * 60_000);
}
