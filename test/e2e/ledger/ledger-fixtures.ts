import { randomUUID } from 'node:crypto';
import type { TestApp } from '../setup/test-app.js';

/** GraphQL documents and small helpers shared by the ledger's e2e tests. */
export const TRANSACTION_FIELDS = `id sequence unitCode operation status kind memo referencesId referencedById
  expiresAt effectiveAt recordedAt metadata { key value }
  entries { index accountId side amount pending accountVersion balanceAfter }`;

export const ACCOUNT_FIELDS = `id unitCode holderId name kind status creditLimit upperLimit debitsPosted creditsPosted
  debitsPending creditsPending balance availableBalance debitCapacity version`;

export const POST_TRANSACTION = `mutation($input: PostTransactionInput!) {
  postTransaction(input: $input) { replayed transaction { ${TRANSACTION_FIELDS} } } }`;

export const PLACE_HOLD = `mutation($input: PlaceHoldInput!) {
  placeHold(input: $input) { replayed transaction { ${TRANSACTION_FIELDS} } } }`;

export const POST_HOLD = `mutation($input: PostHoldInput!) {
  postHold(input: $input) { replayed transaction { ${TRANSACTION_FIELDS} } } }`;

export const VOID_HOLD = `mutation($input: VoidHoldInput!) {
  voidHold(input: $input) { replayed transaction { ${TRANSACTION_FIELDS} } } }`;

export const REVERSE_TRANSACTION = `mutation($input: ReverseTransactionInput!) {
  reverseTransaction(input: $input) { replayed transaction { ${TRANSACTION_FIELDS} } } }`;

export const ACCOUNT = `query($id: ID!) { account(id: $id) { ${ACCOUNT_FIELDS} } }`;

export async function createUnit(app: TestApp, code = 'CWC', kind = 'CREDIT', scale = 2): Promise<void> {
  await app.ok(`mutation($input: CreateUnitInput!) { createUnit(input: $input) { code } }`, {
    input: { code, name: `${code} unit`, kind, scale, issuerId: app.steward.organizationId },
  });
}

/** Creates an organisation as the steward (who becomes its ADMIN) and returns its id. */
export async function createOrganization(app: TestApp, slug: string, kind = 'COOPERATIVE'): Promise<string> {
  const data = await app.ok<{ createOrganization: { id: string } }>(
    `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
    { input: { kind, name: `Organisation ${slug}`, slug } },
  );
  return data.createOrganization.id;
}

export interface AccountOptions {
  readonly unitCode?: string;
  readonly creditLimit?: string;
  readonly upperLimit?: string | null;
  readonly holderId?: string;
  readonly kind?: string;
}

export async function openAccount(app: TestApp, options: AccountOptions = {}): Promise<string> {
  const data = await app.ok<{ openAccount: { id: string } }>(
    `mutation($input: OpenAccountInput!) { openAccount(input: $input) { id } }`,
    {
      input: {
        unitCode: options.unitCode ?? 'CWC',
        holderId: options.holderId ?? app.steward.organizationId,
        name: 'Test account',
        kind: options.kind ?? 'MEMBER',
        creditLimit: options.creditLimit ?? '0',
        upperLimit: options.upperLimit ?? null,
      },
    },
  );
  return data.openAccount.id;
}

export function transfer(from: string, to: string, amount: string, extra: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    unitCode: 'CWC',
    entries: [
      { accountId: from, side: 'DEBIT', amount },
      { accountId: to, side: 'CREDIT', amount },
    ],
    ...extra,
  };
}

export interface AccountView {
  id: string;
  status: string;
  creditLimit: string;
  upperLimit: string | null;
  debitsPosted: string;
  creditsPosted: string;
  debitsPending: string;
  creditsPending: string;
  balance: string;
  availableBalance: string;
  debitCapacity: string;
  version: string;
}

export async function account(app: TestApp, id: string): Promise<AccountView> {
  return (await app.ok<{ account: AccountView }>(ACCOUNT, { id })).account;
}
