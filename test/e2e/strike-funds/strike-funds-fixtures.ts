import { randomUUID } from 'node:crypto';
import { openAccount } from '../ledger/ledger-fixtures.js';
import { clockOf, GOVERNANCE, join, type Member } from '../governance/governance-fixtures.js';
import type { TestApp } from '../setup/test-app.js';

/** The documents the strike funds' tests send. */
export const SF = {
  createStrikeFund: `mutation($input: CreateStrikeFundInput!) { createStrikeFund(input: $input) {
    id organizationId purpose accountId outsideAccountId committee required blindReview } }`,
  recordContribution: `mutation($input: RecordContributionInput!) { recordContribution(input: $input) {
    id source visibility contributorName amount transactionId } }`,
  createStrike: `mutation($input: CreateStrikeInput!) { createStrike(input: $input) { id fundId name startsOn } }`,
  changeStipendRules: `mutation($input: ChangeStipendRulesInput!) { changeStipendRules(input: $input) {
    version effectiveFrom weeklyRate } }`,
  enrolStriker: `mutation($input: EnrolStrikerInput!) { enrolStriker(input: $input) { personId accountId dependants } }`,
  recordPicketShift: `mutation($input: RecordPicketShiftInput!) { recordPicketShift(input: $input) {
    id personId day minutes correctsId } }`,
  computeStipendBatch: `mutation($input: ComputeStipendBatchInput!) { computeStipendBatch(input: $input) {
    id status requestedTotal total available shortfall explanation
    lines { personId minutes dependants base supplement due amount explanation } } }`,
  submitStipendBatch: `mutation($input: SubmitStipendBatchInput!) { submitStipendBatch(input: $input) {
    id status approvalRequestId total } }`,
  stipendBatch: `query($id: ID!) { stipendBatch(id: $id) { id status total approvalRequestId
    lines { personId amount explanation } } }`,
  myStipends: `query($strikeId: ID!) { myStipends(strikeId: $strikeId) { weekStart status amount explanation } }`,
  picketShifts: `query($strikeId: ID!, $personId: ID) { picketShifts(strikeId: $strikeId, personId: $personId) {
    id personId day minutes correctsId } }`,
  strikeFund: `query($id: ID!) { strikeFund(id: $id) { id balance available } }`,
  applyForDraw: `mutation($input: ApplyForDrawInput!) { applyForDraw(input: $input) {
    id status amount priority approvalRequestId applicantId } }`,
  drawReviewQueue: `query($fundId: ID!) { drawReviewQueue(fundId: $fundId) {
    id applicantId accountId amount category priority status requestVersion } }`,
  myDraws: `query($fundId: ID!) { myDraws(fundId: $fundId) { id status paidAmount refusals } }`,
  depositEscrow: `mutation($input: DepositEscrowInput!) { depositEscrow(input: $input) {
    id tenantId month amount source transactionId } }`,
  escrow: `query($fundId: ID!) { escrow(fundId: $fundId) { fundId totalHeld holdings { tenantId deposited released held } } }`,
  escrowDeposits: `query($fundId: ID!, $tenantId: ID) { escrowDeposits(fundId: $fundId, tenantId: $tenantId) {
    id tenantId month amount } }`,
  escrowReleases: `query($fundId: ID!) { escrowReleases(fundId: $fundId) {
    id motionId mode total shares { tenantId held paid } } }`,
  fundReport: `query($fundId: ID!) { fundReport(fundId: $fundId) { fundId balance contributors received
    pledgedPerPeriod receivedFromPledges membersView weeks { weekStart moneyIn moneyOut }
    strikes { name recipients paid weeks stipendWeeks { weekStart recipients paid } } drawsByCategory { label people amount } } }`,
} as const;

/** A Monday far from the real date, so that the tests' weeks are fixed. */
export const MONDAY = '2027-03-01';

export function setDay(app: TestApp, day: string, hour = 10): void {
  clockOf(app).set(new Date(`${day}T${String(hour).padStart(2, '0')}:00:00Z`));
}

/** A strike-fund organisation: the steward (ADMIN), a committee of three, a picket captain and members. */
export interface Union {
  readonly id: string;
  readonly committee: readonly Member[];
  readonly captain: Member;
  readonly treasurer: Member;
  readonly members: readonly Member[];
  readonly outsider: Member;
}

export async function createUnion(app: TestApp, slug: string, kind: string, members: number): Promise<Union> {
  const { createOrganization } = await app.ok<{ createOrganization: { id: string } }>(GOVERNANCE.createOrganization, {
    input: { kind, name: `Organisation ${slug}`, slug },
  });
  const id = createOrganization.id;
  const committee: Member[] = [];
  for (let index = 0; index < 3; index += 1) {
    committee.push(await join(app, app.steward.token, id, `${slug}-committee-${index}@test.example`));
  }
  const captain = await join(app, app.steward.token, id, `${slug}-captain@test.example`, ['COORDINATOR']);
  const treasurer = await join(app, app.steward.token, id, `${slug}-treasurer@test.example`, ['TREASURER']);
  const people: Member[] = [];
  for (let index = 0; index < members; index += 1) {
    people.push(await join(app, app.steward.token, id, `${slug}-member-${index}@test.example`));
  }
  const { createOrganization: other } = await app.ok<{ createOrganization: { id: string } }>(
    GOVERNANCE.createOrganization,
    { input: { kind: 'COOPERATIVE', name: `Outsiders ${slug}`, slug: `${slug}-outside` } },
  );
  const outsider = await join(app, app.steward.token, other.id, `${slug}-outsider@test.example`);
  return { id, committee, captain, treasurer, members: people, outsider };
}

export async function createFund(
  app: TestApp,
  union: Union,
  options: { purpose?: string; required?: number; blindReview?: boolean; drawCapPerYear?: string } = {},
): Promise<{ id: string; accountId: string; outsideAccountId: string }> {
  const data = await app.ok<{ createStrikeFund: { id: string; accountId: string; outsideAccountId: string } }>(
    SF.createStrikeFund,
    {
      input: {
        id: randomUUID(),
        organizationId: union.id,
        name: 'Solidarity fund',
        purpose: options.purpose ?? 'STRIKE',
        unitCode: 'CWC',
        committee: union.committee.map((member) => member.personId),
        required: options.required ?? 2,
        blindReview: options.blindReview ?? false,
        drawCapPerYear: options.drawCapPerYear ?? '100000',
        outsideLimit: '1000000000',
      },
    },
  );
  return data.createStrikeFund;
}

/** Money received from outside into the fund, recorded by the steward (ADMIN). */
export async function contribute(app: TestApp, fundId: string, amount: string): Promise<void> {
  await app.ok(SF.recordContribution, {
    input: { id: randomUUID(), fundId, amount, source: 'OUTSIDE', visibility: 'ANONYMOUS' },
  });
}

/** An account of the person in CWC, opened by the steward (the unit's issuer). */
export async function accountOf(app: TestApp, personId: string): Promise<string> {
  return openAccount(app, { holderId: personId });
}

export async function balanceOf(app: TestApp, accountId: string): Promise<bigint> {
  const data = await app.ok<{ account: { balance: string } }>(`query($id: ID!) { account(id: $id) { balance } }`, {
    id: accountId,
  });
  return BigInt(data.account.balance);
}

export async function decide(
  app: TestApp,
  member: Member,
  requestId: string,
  decision: 'APPROVE' | 'REFUSE' | 'RECUSE',
  reason = '',
  version = 1,
): Promise<{ id: string; status: string }> {
  const data = await app.ok<{ decideApproval: { id: string; status: string } }>(
    GOVERNANCE.decideApproval,
    { input: { requestId, version, decision, reason } },
    { token: member.token },
  );
  return data.decideApproval;
}
