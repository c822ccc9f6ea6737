import { randomUUID } from 'node:crypto';
import { openAccount } from '../ledger/ledger-fixtures.js';
import { join, type Member } from '../governance/governance-fixtures.js';
import type { TestApp } from '../setup/test-app.js';

/** The documents trade's tests send. */
export const INVOICE_FIELDS = `id issuerId payerId unitCode creditAccountId reference notes dueOn total paid setOff
  outstanding status overdue rejectionReason automaticPayment issuedBy`;
export const ROUND_FIELDS = `id federationId unitCode status consentByMembership consentDeadline version obligationCount
  totalDebtBefore totalDebtAfter netInternalDebt cleared executedAt
  participants { organizationId consent cleared } notices { invoiceId debtorId creditorId amount remaining }`;

export const TRADE = {
  issueInvoice: `mutation($input: IssueInvoiceInput!) { issueInvoice(input: $input) { ${INVOICE_FIELDS} } }`,
  acceptInvoice: `mutation($input: InvoiceIdInput!) { acceptInvoice(input: $input) { ${INVOICE_FIELDS} } }`,
  rejectInvoice: `mutation($input: RejectInvoiceInput!) { rejectInvoice(input: $input) { ${INVOICE_FIELDS} } }`,
  cancelInvoice: `mutation($input: InvoiceIdInput!) { cancelInvoice(input: $input) { ${INVOICE_FIELDS} } }`,
  payInvoice: `mutation($input: PayInvoiceInput!) { payInvoice(input: $input) { ${INVOICE_FIELDS} } }`,
  setAutomaticPayment: `mutation($input: SetAutomaticPaymentInput!) {
    setAutomaticPayment(input: $input) { payerId issuerId unitCode fromAccountId maxAmount } }`,
  setClearingSettings: `mutation($input: SetClearingSettingsInput!) {
    setClearingSettings(input: $input) { federationId consentByMembership consentHours } }`,
  previewClearingRound: `mutation($input: PreviewClearingRoundInput!) {
    previewClearingRound(input: $input) { ${ROUND_FIELDS} } }`,
  decideClearingConsent: `mutation($input: DecideClearingConsentInput!) {
    decideClearingConsent(input: $input) { ${ROUND_FIELDS} } }`,
  executeClearingRound: `mutation($input: ClearingRoundIdInput!) {
    executeClearingRound(input: $input) { ${ROUND_FIELDS} } }`,
  invoice: `query($id: ID!) { invoice(id: $id) { ${INVOICE_FIELDS}
    lines { position description quantity unitPrice amount }
    events { kind amount paymentId transactionId roundId actor reason } } }`,
  invoices: `query($organizationId: ID!, $direction: InvoiceDirection, $statuses: [InvoiceStatus!], $overdue: Boolean,
      $counterpartyId: ID, $issuedFrom: DateTime, $issuedBefore: DateTime, $first: Int, $after: String) {
    invoices(organizationId: $organizationId, direction: $direction, statuses: $statuses, overdue: $overdue,
      counterpartyId: $counterpartyId, issuedFrom: $issuedFrom, issuedBefore: $issuedBefore, first: $first, after: $after) {
      edges { node { id status total outstanding overdue } } pageInfo { hasNextPage endCursor }
      totals { unitCode count total settled outstanding } } }`,
  automaticPayments: `query($organizationId: ID!) { automaticPayments(organizationId: $organizationId) {
    issuerId unitCode maxAmount } }`,
  statement: `query($organizationId: ID!, $unitCode: String!, $from: DateTime!, $to: DateTime!) {
    tradeStatement(organizationId: $organizationId, unitCode: $unitCode, from: $from, to: $to) {
      openingBalance closingBalance invoicedToOthers invoicedByOthers paymentsReceived paymentsMade
      setOffReceivable setOffPayable withdrawn
      lines { invoiceId counterpartyId direction kind amount change balance transactionId roundId }
      openInvoices { invoiceId counterpartyId direction outstanding } csv } }`,
  clearingRound: `query($id: ID!) { clearingRound(id: $id) { ${ROUND_FIELDS} } }`,
  clearingRounds: `query($federationId: ID!) { clearingRounds(federationId: $federationId) { edges { node { id status } } } }`,
  clearingSettings: `query($federationId: ID!) { clearingSettings(federationId: $federationId) {
    consentByMembership consentHours } }`,
  account: `query($id: ID!) { account(id: $id) { id balance } }`,
  byAuthority: `query($kind: String!, $id: String!) {
    transactionsByAuthority(kind: $kind, id: $id, first: 200) { edges { node { id kind recordedBy authority { kind id }
      entries { accountId side amount } } } } }`,
} as const;

/** A co-op of the federation: its id, its treasurer, and a plain member. */
export interface Coop {
  readonly id: string;
  readonly slug: string;
  readonly treasurer: Member;
  readonly member: Member;
}

/** Creates a co-op (the steward is its ADMIN), with a TREASURER and a MEMBER, and admits it to the federation. */
export async function coop(app: TestApp, slug: string, options: { federated?: boolean } = {}): Promise<Coop> {
  const { createOrganization } = await app.ok<{ createOrganization: { id: string } }>(
    `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
    { input: { kind: 'COOPERATIVE', name: `Co-op ${slug}`, slug } },
  );
  const id = createOrganization.id;
  const treasurer = await join(app, app.steward.token, id, `${slug}-treasurer@test.example`, ['TREASURER']);
  const member = await join(app, app.steward.token, id, `${slug}-member@test.example`, ['MEMBER']);
  if (options.federated ?? true) {
    const { requestFederationMembership } = await app.ok<{ requestFederationMembership: { id: string } }>(
      `mutation($input: RequestFederationMembershipInput!) { requestFederationMembership(input: $input) { id } }`,
      { input: { federationId: app.steward.organizationId, organizationId: id } },
    );
    await app.ok(`mutation($input: FederationMembershipIdInput!) { admitFederationMember(input: $input) { id } }`, {
      input: { federationMembershipId: requestFederationMembership.id },
    });
  }
  return { id, slug, treasurer, member };
}

/** Opens a CWC account for the co-op, with a credit line the federation (the steward, its TREASURER) grants. */
export async function tradeAccount(app: TestApp, holderId: string, creditLimit = '100000'): Promise<string> {
  return openAccount(app, { holderId, creditLimit });
}

export interface IssueOptions {
  readonly id?: string;
  readonly amount?: string;
  readonly dueOn?: string;
  readonly reference?: string;
  readonly token?: string;
}

export interface InvoiceView {
  id: string;
  status: string;
  total: string;
  paid: string;
  setOff: string;
  outstanding: string;
  overdue: boolean;
  automaticPayment: string | null;
  rejectionReason: string | null;
}

/** Issues an invoice of one line (amount × 1) from one co-op to another, as the issuer's treasurer. */
export async function issue(
  app: TestApp,
  from: Coop,
  to: Coop,
  creditAccountId: string,
  options: IssueOptions = {},
): Promise<InvoiceView> {
  const data = await app.ok<{ issueInvoice: InvoiceView }>(
    TRADE.issueInvoice,
    { input: issueInput(from, to, creditAccountId, options) },
    { token: options.token ?? from.treasurer.token },
  );
  return data.issueInvoice;
}

export function issueInput(from: Coop, to: Coop, creditAccountId: string, options: IssueOptions = {}) {
  return {
    id: options.id ?? randomUUID(),
    issuerId: from.id,
    payerId: to.id,
    unitCode: 'CWC',
    creditAccountId,
    lines: [{ description: 'Goods', quantity: '1', unitPrice: options.amount ?? '1000' }],
    dueOn: options.dueOn ?? '2099-12-31',
    reference: options.reference ?? `INV-${from.slug}`,
    notes: '',
  };
}

export async function accept(app: TestApp, payer: Coop, invoiceId: string): Promise<InvoiceView> {
  return (
    await app.ok<{ acceptInvoice: InvoiceView }>(
      TRADE.acceptInvoice,
      { input: { invoiceId } },
      { token: payer.treasurer.token },
    )
  ).acceptInvoice;
}

export async function pay(
  app: TestApp,
  payer: Coop,
  invoiceId: string,
  fromAccountId: string,
  amount: string,
  paymentId = randomUUID(),
): Promise<InvoiceView> {
  return (
    await app.ok<{ payInvoice: InvoiceView }>(
      TRADE.payInvoice,
      { input: { invoiceId, paymentId, fromAccountId, amount } },
      { token: payer.treasurer.token },
    )
  ).payInvoice;
}

export async function balance(app: TestApp, accountId: string): Promise<string> {
  return (await app.ok<{ account: { balance: string } }>(TRADE.account, { id: accountId })).account.balance;
}

/** The error a refused request answers with: its code and reason. */
export async function refusal(
  app: TestApp,
  query: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<{ code: string; reason: string }> {
  const response = await app.graphql(query, variables, { token });
  const error = response.errors?.[0];
  if (error === undefined) throw new Error(`expected a refusal, got ${JSON.stringify(response.data)}`);
  return { code: error.extensions.code, reason: error.extensions.details.reason };
}
