import { randomUUID } from 'node:crypto';
import { CLOCK, type ControlledClock } from '../../../src/kernel/scheduling/clock.js';
import { SchedulerService } from '../../../src/kernel/scheduling/scheduler.service.js';
import { createUnit } from '../ledger/ledger-fixtures.js';
import type { RequestOptions, TestApp } from '../setup/test-app.js';

/** The documents land trusts' tests send, and the set-up most of them share. */
const LEASE_FIELDS = `id trustId parcelId leaseholderId accountId startsOn endsOn dueDay terminatedOn terminationReason lastDay
  fees { effectiveOn fee reserveSharePoints motionId reason }`;
const STANDING_FIELDS = `asOf charged paid waived outstanding credit overdue daysLate
  buckets { notDue current days30 days60 days90Plus } lease { id leaseholderId }`;

export const LAND = {
  createLandTrust: `mutation($input: CreateLandTrustInput!) { createLandTrust(input: $input) {
    id organizationId name unitCode incomeAccountId reserveAccountId receiptsAccountId
    resaleFormula { kind sharePoints indexes { year value } } } }`,
  setResaleFormula: `mutation($input: SetResaleFormulaInput!) { setResaleFormula(input: $input) {
    id resaleFormula { kind sharePoints indexes { year value } } } }`,
  addLandParcel: `mutation($input: AddLandParcelInput!) { addLandParcel(input: $input) {
    id trustId name description homeDescription purchasePrice purchasedOn } }`,
  signGroundLease: `mutation($input: SignGroundLeaseInput!) { signGroundLease(input: $input) { ${LEASE_FIELDS} } }`,
  changeGroundLeaseFee: `mutation($input: ChangeGroundLeaseFeeInput!) { changeGroundLeaseFee(input: $input) {
    effectiveOn fee reserveSharePoints motionId reason } }`,
  terminateGroundLease: `mutation($input: TerminateGroundLeaseInput!) { terminateGroundLease(input: $input) { ${LEASE_FIELDS} } }`,
  recordLeasePayment: `mutation($input: RecordLeasePaymentInput!) { recordLeasePayment(input: $input) {
    id leaseId amount source fromAccountId receivedOn memo transactionId } }`,
  waiveLeaseCharge: `mutation($input: WaiveLeaseChargeInput!) { waiveLeaseCharge(input: $input) {
    id chargeId kind amount deferredTo reason transactionId } }`,
  deferLeaseCharge: `mutation($input: DeferLeaseChargeInput!) { deferLeaseCharge(input: $input) {
    id chargeId kind amount deferredTo reason transactionId } }`,
  postDueLeaseCharges: `mutation($input: PostDueLeaseChargesInput!) { postDueLeaseCharges(input: $input) { trustId upTo posted } }`,
  landTrust: `query($id: ID!) { landTrust(id: $id) { id name } }`,
  landTrustOf: `query($organizationId: ID!) { landTrustOf(organizationId: $organizationId) { id } }`,
  landParcels: `query($trustId: ID!, $first: Int, $after: String) { landParcels(trustId: $trustId, first: $first, after: $after) {
    edges { node { id name } } pageInfo { hasNextPage endCursor } } }`,
  groundLeases: `query($trustId: ID!) { groundLeases(trustId: $trustId, first: 200) { edges { node { id } } } }`,
  groundLease: `query($id: ID!) { groundLease(id: $id) { ${LEASE_FIELDS} } }`,
  myGroundLeases: `{ myGroundLeases { id } }`,
  leaseStatement: `query($leaseId: ID!, $asOf: String) { leaseStatement(leaseId: $leaseId, asOf: $asOf) {
    ${STANDING_FIELDS} accountBalance
    fees { effectiveOn fee reserveSharePoints }
    charges { charge { id period dueOn amount income reserve reserveSharePoints daysCharged daysInPeriod transactionId postedBy }
      waived paid outstanding dueOn bucket daysLate }
    payments { id amount source receivedOn }
    reliefs { id chargeId kind amount deferredTo reason }
    allocations { paymentId chargeId amount } } }`,
  arrearsReport: `query($trustId: ID!, $asOf: String, $first: Int, $after: String) {
    arrearsReport(trustId: $trustId, asOf: $asOf, first: $first, after: $after) {
      trustId asOf totals { leasesInArrears charged paid waived outstanding overdue buckets { notDue current days30 days60 days90Plus } }
      leases { ${STANDING_FIELDS} } pageInfo { hasNextPage endCursor } } }`,
  resalePrice: `query($parcelId: ID!, $appraisedValue: Money!, $saleYear: Int!) {
    resalePrice(parcelId: $parcelId, appraisedValue: $appraisedValue, saleYear: $saleYear) {
      parcelId purchasePrice purchasedOn appraisedValue saleYear formulaPrice resalePrice cappedByAppraisal steps
      formula { kind sharePoints } } }`,
  account: `query($id: ID!) { account(id: $id) { id balance } }`,
  byAuthority: `query($kind: String!, $id: String!) {
    transactionsByAuthority(kind: $kind, id: $id, first: 50) { edges { node { id kind effectiveAt recordedBy
      entries { accountId side amount } } } } }`,
} as const;

export interface Trust {
  readonly id: string;
  readonly organizationId: string;
  readonly incomeAccountId: string;
  readonly reserveAccountId: string;
  readonly receiptsAccountId: string;
}

export const UNIT = 'CLT';

/** Moves the app's clock to an instant (a day at noon UTC when given YYYY-MM-DD). */
export function setClock(app: TestApp, instant: string): void {
  const clock = app.app.get<symbol, ControlledClock>(CLOCK);
  clock.set(new Date(instant.length === 10 ? `${instant}T12:00:00.000Z` : instant));
}

/** Ticks the scheduler (what falls due by the app's clock) and waits until its jobs have run. */
export async function runScheduler(app: TestApp): Promise<number> {
  const scheduler = app.app.get(SchedulerService);
  const queued = await scheduler.tick();
  await scheduler.settled();
  return queued;
}

/** The steward's federation runs a land trust in its own unit CLT (cents). */
export async function setUpTrust(
  app: TestApp,
  options: { organizationId?: string; token?: string; unit?: boolean } = {},
): Promise<Trust> {
  if (options.unit ?? true) await createUnit(app, UNIT, 'CURRENCY', 2);
  const data = await app.ok<{ createLandTrust: Trust }>(
    LAND.createLandTrust,
    {
      input: {
        id: randomUUID(),
        organizationId: options.organizationId ?? app.steward.organizationId,
        name: 'Riverside Community Land Trust',
        unitCode: UNIT,
        resaleFormula: { kind: 'APPRECIATION_SHARE', sharePoints: 2500 },
      },
    },
    options.token === undefined ? {} : { token: options.token },
  );
  return data.createLandTrust;
}

export async function addParcel(
  app: TestApp,
  trustId: string,
  extra: Record<string, unknown> = {},
  options: RequestOptions = {},
): Promise<string> {
  const id = randomUUID();
  await app.ok(
    LAND.addLandParcel,
    { input: { id, trustId, name: `Parcel ${id.slice(0, 8)}`, description: '12 Elm Street', ...extra } },
    options,
  );
  return id;
}

export interface LeaseTermsInput {
  readonly leaseholderId: string;
  readonly startsOn: string;
  readonly endsOn?: string | null;
  readonly dueDay?: number;
  readonly fee?: string;
  readonly reserveSharePoints?: number;
}

export async function signLease(
  app: TestApp,
  parcelId: string,
  terms: LeaseTermsInput,
  options: RequestOptions = {},
): Promise<{ id: string; accountId: string }> {
  const id = randomUUID();
  const data = await app.ok<{ signGroundLease: { id: string; accountId: string } }>(
    LAND.signGroundLease,
    {
      input: {
        id,
        parcelId,
        leaseholderId: terms.leaseholderId,
        startsOn: terms.startsOn,
        endsOn: terms.endsOn ?? null,
        dueDay: terms.dueDay ?? 1,
        fee: terms.fee ?? '100000',
        reserveSharePoints: terms.reserveSharePoints ?? 2500,
      },
    },
    options,
  );
  return data.signGroundLease;
}

export interface StatementCharge {
  charge: {
    id: string;
    period: string;
    dueOn: string;
    amount: string;
    income: string;
    reserve: string;
    transactionId: string | null;
    postedBy: string;
    daysCharged: number;
  };
  waived: string;
  paid: string;
  outstanding: string;
  dueOn: string;
  bucket: string;
  daysLate: number | null;
}

export interface Statement {
  charged: string;
  paid: string;
  waived: string;
  outstanding: string;
  credit: string;
  overdue: string;
  daysLate: number | null;
  accountBalance: string;
  buckets: { notDue: string; current: string; days30: string; days60: string; days90Plus: string };
  charges: StatementCharge[];
  payments: { id: string; amount: string }[];
  reliefs: { id: string; chargeId: string; kind: string; amount: string | null; deferredTo: string | null }[];
  allocations: { paymentId: string; chargeId: string; amount: string }[];
}

export async function statementOf(
  app: TestApp,
  leaseId: string,
  asOf: string | null = null,
  options: RequestOptions = {},
): Promise<Statement> {
  const data = await app.ok<{ leaseStatement: Statement }>(LAND.leaseStatement, { leaseId, asOf }, options);
  return data.leaseStatement;
}

export async function balanceOf(app: TestApp, accountId: string): Promise<string> {
  const data = await app.ok<{ account: { balance: string } }>(LAND.account, { id: accountId });
  return data.account.balance;
}

export async function pay(
  app: TestApp,
  leaseId: string,
  amount: string,
  extra: Record<string, unknown> = {},
  options: RequestOptions = {},
): Promise<string> {
  const id = randomUUID();
  await app.ok(LAND.recordLeasePayment, { input: { id, leaseId, amount, ...extra } }, options);
  return id;
}
