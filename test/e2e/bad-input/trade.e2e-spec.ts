/**
 * Goal: every trade operation (invoices, payments, automatic payments, statements, clearing settings and
 * rounds, and the queries that read them) refuses malformed and hostile input with a typed error and the
 * reason docs/ERRORS.md gives it — kernel reasons for the shape (INVALID_INPUT naming the fields, INVALID_ID,
 * INVALID_AMOUNT, INVALID_DATE, INVALID_CURSOR, coercion), trade reasons for what an invoice, a payment or a
 * period may be, NOT_FOUND reasons for unknown ids — and changes nothing. Text that is valid data, however
 * hostile, is stored and read back verbatim.
 * Method: the bad-input catalogue (catalogue.ts): each case's raw request to the real service on its own
 * database, the snapshot of every table before and after, a leak scan of the answer, GET /health after it.
 * The file's fixtures: two co-ops of the steward's federation (the steward is ADMIN of both), a CWC account
 * of each with a credit line, an HOUR account of the first, and an invoice from the first to the second.
 */
import { randomUUID } from 'node:crypto';
import { openAccount } from '../ledger/ledger-fixtures.js';
import { TRADE } from '../trade/trade-fixtures.js';
import { SQL_DROP, fx, gql, group, invalid, refused, runCatalogue, type Case, type Sent } from './catalogue.js';

const tx = {
  sellerId: '',
  buyerId: '',
  sellerAccount: '',
  buyerAccount: '',
  sellerHours: '',
  invoice: '',
};

const UNKNOWN = '3f9d2c1e-8b7a-4c6d-9e0f-1a2b3c4d5e6f';
const cursor = (tag: string, key: string): string => Buffer.from(`${tag}:${key}`, 'utf8').toString('base64url');

function invoiceInput(override: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: randomUUID(),
    issuerId: tx.sellerId,
    payerId: tx.buyerId,
    unitCode: 'CWC',
    creditAccountId: tx.sellerAccount,
    lines: [{ description: 'Bread', quantity: '2', unitPrice: '350' }],
    dueOn: '2099-01-31',
    reference: 'INV-1',
    notes: '',
    ...override,
  };
}
const line = (override: Record<string, unknown>) => [
  { description: 'Bread', quantity: '1', unitPrice: '1', ...override },
];
const issueWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(TRADE.issueInvoice, { input: invoiceInput(override) });
const payWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(TRADE.payInvoice, {
    input: { invoiceId: tx.invoice, paymentId: randomUUID(), fromAccountId: tx.buyerAccount, amount: '1', ...override },
  });
const automaticWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(TRADE.setAutomaticPayment, {
    input: {
      payerId: tx.buyerId,
      issuerId: tx.sellerId,
      unitCode: 'CWC',
      fromAccountId: tx.buyerAccount,
      maxAmount: '100',
      ...override,
    },
  });
const settingsWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(TRADE.setClearingSettings, {
    input: { federationId: fx.app.steward.organizationId, consentByMembership: false, consentHours: 72, ...override },
  });
const previewWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(TRADE.previewClearingRound, {
    input: { id: randomUUID(), federationId: fx.app.steward.organizationId, unitCode: 'CWC', ...override },
  });
const statementWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(TRADE.statement, {
    organizationId: tx.sellerId,
    unitCode: 'CWC',
    from: '2026-01-01T00:00:00.000Z',
    to: '2026-02-01T00:00:00.000Z',
    ...override,
  });
const invoicesWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(TRADE.invoices, { organizationId: tx.sellerId, ...override });

const INVOICES: Case[] = group('issueInvoice', [
  { name: 'id not a UUID', send: () => issueWith({ id: 'invoice-1' }), expect: invalid('INVALID_INPUT') },
  { name: 'payerId not a UUID', send: () => issueWith({ payerId: '1 OR 1=1' }), expect: invalid('INVALID_INPUT') },
  { name: 'no lines', send: () => issueWith({ lines: [] }), expect: invalid('INVALID_INPUT') },
  {
    name: '101 lines',
    send: () => issueWith({ lines: Array.from({ length: 101 }, () => line({})[0]) }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'empty description',
    send: () => issueWith({ lines: line({ description: '' }) }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'blank description',
    send: () => issueWith({ lines: line({ description: '   ' }) }),
    expect: invalid('INVALID_INVOICE'),
  },
  {
    name: 'quantity as SQL',
    send: () => issueWith({ lines: line({ quantity: '1; DROP' }) }),
    expect: invalid('INVALID_INVOICE'),
  },
  {
    name: 'quantity zero',
    send: () => issueWith({ lines: line({ quantity: '0' }) }),
    expect: invalid('INVALID_INVOICE'),
  },
  {
    name: 'quantity negative',
    send: () => issueWith({ lines: line({ quantity: '-2' }) }),
    expect: invalid('INVALID_INVOICE'),
  },
  {
    name: 'quantity in exponent form',
    send: () => issueWith({ lines: line({ quantity: '1e3' }) }),
    expect: invalid('INVALID_INVOICE'),
  },
  {
    name: 'quantity of four places',
    send: () => issueWith({ lines: line({ quantity: '0.0001' }) }),
    expect: invalid('INVALID_INVOICE'),
  },
  { name: 'quantity as a number', send: () => issueWith({ lines: line({ quantity: 2 }) }), expect: invalid() },
  {
    name: 'unit price with a fraction',
    send: () => issueWith({ lines: line({ unitPrice: '1.5' }) }),
    expect: invalid('INVALID_AMOUNT'),
  },
  {
    name: 'unit price negative',
    send: () => issueWith({ lines: line({ unitPrice: '-5' }) }),
    expect: invalid('INVALID_INVOICE'),
  },
  {
    name: 'unit price past int64',
    send: () => issueWith({ lines: line({ unitPrice: '99999999999999999999' }) }),
    expect: invalid('AMOUNT_OUT_OF_RANGE'),
  },
  {
    name: 'a total past the largest amount',
    send: () => issueWith({ lines: line({ quantity: '1000', unitPrice: '1000000000000000000' }) }),
    expect: invalid('INVALID_INVOICE'),
  },
  {
    name: 'a total of zero',
    send: () => issueWith({ lines: line({ unitPrice: '0' }) }),
    expect: invalid('INVALID_INVOICE'),
  },
  { name: 'dueOn in words', send: () => issueWith({ dueOn: 'tomorrow' }), expect: invalid('INVALID_INVOICE') },
  { name: 'dueOn not a real date', send: () => issueWith({ dueOn: '2027-02-29' }), expect: invalid('INVALID_INVOICE') },
  {
    name: 'dueOn too long',
    send: () => issueWith({ dueOn: '2027-01-01T00:00:00Z' }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'reference of 101 characters',
    send: () => issueWith({ reference: 'x'.repeat(101) }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'notes of 2001 characters',
    send: () => issueWith({ notes: 'x'.repeat(2001) }),
    expect: invalid('INVALID_INPUT'),
  },
  { name: 'NUL in the notes', send: () => issueWith({ notes: 'a\u0000b' }), expect: invalid('NUL_CHARACTER') },
  { name: 'to itself', send: () => issueWith({ payerId: tx.sellerId }), expect: invalid('INVALID_INVOICE') },
  {
    name: 'to an unknown organisation',
    send: () => issueWith({ payerId: UNKNOWN }),
    expect: refused('NOT_FOUND', 'ORGANIZATION_NOT_FOUND'),
  },
  {
    name: 'into an unknown account',
    send: () => issueWith({ creditAccountId: UNKNOWN }),
    expect: refused('NOT_FOUND', 'ACCOUNT_NOT_FOUND'),
  },
  {
    name: 'into an account of another unit',
    send: () => issueWith({ unitCode: 'HOUR' }),
    expect: invalid('INVALID_ACCOUNT'),
  },
  {
    name: "into the payer's account",
    send: () => issueWith({ creditAccountId: tx.buyerAccount }),
    expect: invalid('INVALID_ACCOUNT'),
  },
  { name: 'unitCode of one letter', send: () => issueWith({ unitCode: 'C' }), expect: invalid('INVALID_INPUT') },
  { name: 'lines not a list', send: () => issueWith({ lines: 'Bread' }), expect: invalid() },
  { name: 'an unknown field', send: () => issueWith({ discount: '10' }), expect: invalid() },
  {
    name: 'hostile text, stored verbatim',
    send: () =>
      issueWith({ reference: SQL_DROP, notes: '<script>alert(1)</script>', lines: line({ description: SQL_DROP }) }),
    expect: {
      accepted: async (sent) => {
        const body = sent.body as { data?: { issueInvoice: { id: string; reference: string; notes: string } } };
        expect(body.data?.issueInvoice).toMatchObject({ reference: SQL_DROP, notes: '<script>alert(1)</script>' });
        const read = await fx.app.ok<{ invoice: { lines: { description: string }[] } }>(TRADE.invoice, {
          id: body.data?.issueInvoice.id,
        });
        expect(read.invoice.lines[0]?.description).toBe(SQL_DROP);
      },
    },
    echoes: [SQL_DROP, '<script>alert(1)</script>'],
  },
]);

const DECISIONS: Case[] = [
  ...group('acceptInvoice', [
    {
      name: 'invoiceId not a UUID',
      send: () => gql(TRADE.acceptInvoice, { input: { invoiceId: 'x' } }),
      expect: invalid('INVALID_INPUT'),
    },
    {
      name: 'unknown invoice',
      send: () => gql(TRADE.acceptInvoice, { input: { invoiceId: UNKNOWN } }),
      expect: refused('NOT_FOUND', 'INVOICE_NOT_FOUND'),
    },
  ]),
  ...group('rejectInvoice', [
    {
      name: 'reason of 501 characters',
      send: () => gql(TRADE.rejectInvoice, { input: { invoiceId: tx.invoice, reason: 'x'.repeat(501) } }),
      expect: invalid('INVALID_INPUT'),
    },
    {
      name: 'no reason',
      send: () => gql(TRADE.rejectInvoice, { input: { invoiceId: tx.invoice, reason: '' } }),
      expect: invalid('REJECTION_REASON_REQUIRED'),
    },
    {
      name: 'reason missing',
      send: () => gql(TRADE.rejectInvoice, { input: { invoiceId: tx.invoice } }),
      expect: invalid(),
    },
  ]),
  ...group('cancelInvoice', [
    {
      name: 'unknown invoice',
      send: () => gql(TRADE.cancelInvoice, { input: { invoiceId: UNKNOWN } }),
      expect: refused('NOT_FOUND', 'INVOICE_NOT_FOUND'),
    },
    {
      name: 'invoiceId a number',
      send: () => gql(TRADE.cancelInvoice, { input: { invoiceId: 12 } }),
      expect: invalid(),
    },
  ]),
  ...group('payInvoice', [
    { name: 'amount zero', send: () => payWith({ amount: '0' }), expect: invalid('INVALID_PAYMENT') },
    { name: 'amount negative', send: () => payWith({ amount: '-1' }), expect: invalid('INVALID_PAYMENT') },
    { name: 'amount with a fraction', send: () => payWith({ amount: '0.5' }), expect: invalid('INVALID_AMOUNT') },
    { name: 'amount as a JSON number', send: () => payWith({ amount: 5 }), expect: invalid() },
    { name: 'amount in exponent form', send: () => payWith({ amount: '1e3' }), expect: invalid('INVALID_AMOUNT') },
    { name: 'paymentId not a UUID', send: () => payWith({ paymentId: 'p-1' }), expect: invalid('INVALID_INPUT') },
    {
      name: 'from an account of another unit',
      send: () => payWith({ fromAccountId: tx.sellerHours }),
      expect: invalid('INVALID_ACCOUNT'),
    },
    {
      name: 'from an unknown account',
      send: () => payWith({ fromAccountId: UNKNOWN }),
      expect: refused('NOT_FOUND', 'ACCOUNT_NOT_FOUND'),
    },
    { name: 'more than is owed', send: () => payWith({ amount: '701' }), expect: refused('CONFLICT', 'OVERPAYMENT') },
    {
      name: 'an unknown invoice',
      send: () => payWith({ invoiceId: UNKNOWN }),
      expect: refused('NOT_FOUND', 'INVOICE_NOT_FOUND'),
    },
  ]),
  ...group('setAutomaticPayment', [
    { name: 'limit negative', send: () => automaticWith({ maxAmount: '-1' }), expect: invalid('INVALID_PAYMENT') },
    { name: 'limit zero', send: () => automaticWith({ maxAmount: '0' }), expect: invalid('INVALID_PAYMENT') },
    {
      name: 'no account to pay from',
      send: () => automaticWith({ fromAccountId: null }),
      expect: invalid('INVALID_INVOICE'),
    },
    {
      name: 'an unknown issuer',
      send: () => automaticWith({ issuerId: UNKNOWN }),
      expect: refused('NOT_FOUND', 'ORGANIZATION_NOT_FOUND'),
    },
    {
      name: 'from an account of another unit',
      send: () => automaticWith({ fromAccountId: tx.sellerHours }),
      expect: invalid('INVALID_ACCOUNT'),
    },
  ]),
];

const CLEARING: Case[] = [
  ...group('setClearingSettings', [
    { name: 'consentHours zero', send: () => settingsWith({ consentHours: 0 }), expect: invalid('INVALID_INPUT') },
    {
      name: 'consentHours past 90 days',
      send: () => settingsWith({ consentHours: 2161 }),
      expect: invalid('INVALID_INPUT'),
    },
    { name: 'consentHours as text', send: () => settingsWith({ consentHours: '72' }), expect: invalid() },
    { name: 'consentHours past int32', send: () => settingsWith({ consentHours: 2 ** 31 }), expect: invalid() },
    {
      name: 'not a federation',
      send: () => settingsWith({ federationId: tx.sellerId }),
      expect: invalid('NOT_A_FEDERATION'),
    },
  ]),
  ...group('previewClearingRound', [
    { name: 'id not a UUID', send: () => previewWith({ id: 'round' }), expect: invalid('INVALID_INPUT') },
    { name: 'unit code as SQL', send: () => previewWith({ unitCode: SQL_DROP }), expect: invalid('INVALID_INPUT') },
    {
      name: 'an unknown unit',
      send: () => previewWith({ unitCode: 'NOPE' }),
      expect: refused('NOT_FOUND', 'UNIT_NOT_FOUND'),
      echoes: ['NOPE'],
    },
    {
      name: 'an unknown federation',
      send: () => previewWith({ federationId: UNKNOWN }),
      expect: refused('NOT_FOUND', 'ORGANIZATION_NOT_FOUND'),
    },
  ]),
  ...group('decideClearingConsent', [
    {
      name: 'consent as text',
      send: () =>
        gql(TRADE.decideClearingConsent, { input: { roundId: UNKNOWN, organizationId: tx.sellerId, consent: 'yes' } }),
      expect: invalid(),
    },
    {
      name: 'an unknown round',
      send: () =>
        gql(TRADE.decideClearingConsent, { input: { roundId: UNKNOWN, organizationId: tx.sellerId, consent: true } }),
      expect: refused('NOT_FOUND', 'CLEARING_ROUND_NOT_FOUND'),
    },
  ]),
  ...group('executeClearingRound', [
    {
      name: 'an unknown round',
      send: () => gql(TRADE.executeClearingRound, { input: { roundId: UNKNOWN } }),
      expect: refused('NOT_FOUND', 'CLEARING_ROUND_NOT_FOUND'),
    },
    {
      name: 'roundId not a UUID',
      send: () => gql(TRADE.executeClearingRound, { input: { roundId: "'" } }),
      expect: invalid('INVALID_INPUT'),
    },
  ]),
];

const QUERIES: Case[] = [
  { name: 'invoice(id) not a UUID', send: () => gql(TRADE.invoice, { id: 'x' }), expect: invalid('INVALID_ID') },
  {
    name: 'invoice(id) unknown',
    send: () => gql(TRADE.invoice, { id: UNKNOWN }),
    expect: refused('NOT_FOUND', 'INVOICE_NOT_FOUND'),
  },
  { name: 'invoices(first: 0)', send: () => invoicesWith({ first: 0 }), expect: invalid('INVALID_INPUT') },
  { name: 'invoices(first: 201)', send: () => invoicesWith({ first: 201 }), expect: invalid('INVALID_INPUT') },
  {
    name: 'invoices(after) forged',
    send: () => invoicesWith({ after: cursor('invoice', "' OR 1=1") }),
    expect: invalid('INVALID_CURSOR'),
  },
  {
    name: 'invoices(after) of another list',
    send: () => invoicesWith({ after: cursor('clearing-round', `2026-01-01T00:00:00.000Z|${UNKNOWN}`) }),
    expect: invalid('INVALID_CURSOR'),
  },
  { name: 'invoices(statuses) unknown', send: () => invoicesWith({ statuses: ['LOST'] }), expect: invalid() },
  { name: 'invoices(issuedFrom) in words', send: () => invoicesWith({ issuedFrom: 'yesterday' }), expect: invalid() },
  {
    name: 'invoices(issuedFrom) year 0',
    send: () => invoicesWith({ issuedFrom: '0000-01-01T00:00:00Z' }),
    expect: invalid(),
  },
  {
    name: 'invoices(counterpartyId) not a UUID',
    send: () => invoicesWith({ counterpartyId: 'x' }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'statement period backwards',
    send: () => statementWith({ from: '2026-02-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z' }),
    expect: invalid('INVALID_STATEMENT_PERIOD'),
  },
  {
    name: 'statement period of six years',
    send: () => statementWith({ from: '2020-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' }),
    expect: invalid('INVALID_STATEMENT_PERIOD'),
  },
  {
    name: 'statement of an unknown unit',
    send: () => statementWith({ unitCode: 'NOPE' }),
    expect: refused('NOT_FOUND', 'UNIT_NOT_FOUND'),
    echoes: ['NOPE'],
  },
  { name: 'statement from year 10000', send: () => statementWith({ to: '10000-01-01T00:00:00Z' }), expect: invalid() },
  {
    name: 'automaticPayments(organizationId) not a UUID',
    send: () => gql(TRADE.automaticPayments, { organizationId: 'x' }),
    expect: invalid('INVALID_ID'),
  },
  {
    name: 'clearingRound(id) not a UUID',
    send: () => gql(TRADE.clearingRound, { id: 'x' }),
    expect: invalid('INVALID_ID'),
  },
  {
    name: 'clearingRound(id) unknown',
    send: () => gql(TRADE.clearingRound, { id: UNKNOWN }),
    expect: refused('NOT_FOUND', 'CLEARING_ROUND_NOT_FOUND'),
  },
  {
    name: 'clearingSettings(federationId) not a UUID',
    send: () => gql(TRADE.clearingSettings, { federationId: 'x' }),
    expect: invalid('INVALID_ID'),
  },
];

runCatalogue('trade', [...INVOICES, ...DECISIONS, ...CLEARING, ...QUERIES], {
  fixtures: async () => {
    const create = async (slug: string) =>
      (
        await fx.app.ok<{ createOrganization: { id: string } }>(
          `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
          { input: { kind: 'COOPERATIVE', name: `Co-op ${slug}`, slug } },
        )
      ).createOrganization.id;
    tx.sellerId = await create('seller');
    tx.buyerId = await create('buyer');
    tx.sellerAccount = await openAccount(fx.app, { holderId: tx.sellerId });
    tx.buyerAccount = await openAccount(fx.app, { holderId: tx.buyerId, creditLimit: '100000' });
    tx.sellerHours = await openAccount(fx.app, { holderId: tx.sellerId, unitCode: 'HOUR' });
    const issued = await fx.app.ok<{ issueInvoice: { id: string } }>(TRADE.issueInvoice, { input: invoiceInput() });
    tx.invoice = issued.issueInvoice.id;
  },
});
