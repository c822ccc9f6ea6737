/**
 * Goal: the invoice workflow over GraphQL on a real PostgreSQL: issue → accept → pay in parts → paid, each
 * payment a ledger transaction naming the invoice; reject, cancel, automatic payment within and past its
 * limit and past the credit line, overdue by date, lists with filters and totals, statements and their CSV.
 * Every refusal leaves the database as it was; replays change nothing; two concurrent payments never pay
 * more than the invoice. Method: three co-ops of the steward's federation with their own treasurers and
 * members, CWC accounts with credit lines opened before each test, the app's controlled clock for dates.
 */
import { randomUUID } from 'node:crypto';
import { CWC, useTestApp } from '../setup/use-test-app.js';
import type { TestApp } from '../setup/test-app.js';
import { clockOf } from '../governance/governance-fixtures.js';
import {
  accept,
  balance,
  coop,
  issue,
  issueInput,
  pay,
  refusal,
  TRADE,
  tradeAccount,
  type Coop,
  type InvoiceView,
} from './trade-fixtures.js';

let app: TestApp;
let bakery: Coop;
let cafe: Coop;
let bikes: Coop;
const account: Record<'bakery' | 'cafe' | 'bikes', string> = { bakery: '', cafe: '', bikes: '' };

useTestApp(
  {
    units: [CWC],
    once: async (started) => {
      bakery = await coop(started, 'bakery');
      cafe = await coop(started, 'cafe');
      bikes = await coop(started, 'bikes');
    },
  },
  (fixture) => {
    app = fixture.app;
  },
);

beforeEach(async () => {
  account.bakery = await tradeAccount(app, bakery.id);
  account.cafe = await tradeAccount(app, cafe.id);
  account.bikes = await tradeAccount(app, bikes.id, '500');
});

async function readInvoice(id: string, token = app.steward.token) {
  return (
    await app.ok<{
      invoice: InvoiceView & { events: { kind: string; amount: string; transactionId: string | null }[] };
    }>(TRADE.invoice, { id }, { token })
  ).invoice;
}

describe('issue → accept → pay in parts → paid', () => {
  it('moves the invoice along, pays through the ledger with the invoice as authority, and replays', async () => {
    const input = issueInput(bakery, cafe, account.bakery, { amount: '0' });
    input.lines = [
      { description: 'Sourdough loaves', quantity: '12', unitPrice: '450' },
      { description: 'Flour, kg', quantity: '2.5', unitPrice: '199' },
    ];
    const issued = (
      await app.ok<{ issueInvoice: InvoiceView }>(TRADE.issueInvoice, { input }, { token: bakery.treasurer.token })
    ).issueInvoice;
    // 12 × 450 = 5400; 2.5 × 199 = 497.5, rounded half up to 498: the total is the exact sum, 5898.
    expect(issued).toMatchObject({ status: 'ISSUED', total: '5898', outstanding: '5898', overdue: false });
    const again = await app.ok<{ issueInvoice: InvoiceView }>(
      TRADE.issueInvoice,
      { input },
      { token: bakery.treasurer.token },
    );
    expect(again.issueInvoice.id).toBe(issued.id);

    expect((await accept(app, cafe, issued.id)).status).toBe('ACCEPTED');
    const paymentId = randomUUID();
    const part = await pay(app, cafe, issued.id, account.cafe, '2000', paymentId);
    expect(part).toMatchObject({ status: 'PARTLY_PAID', paid: '2000', outstanding: '3898' });

    const before = await app.snapshot();
    expect((await pay(app, cafe, issued.id, account.cafe, '2000', paymentId)).paid).toBe('2000');
    expect(await app.snapshot()).toEqual(before);

    const paid = await pay(app, cafe, issued.id, account.cafe, '3898');
    expect(paid).toMatchObject({ status: 'PAID', paid: '5898', outstanding: '0' });
    expect(await balance(app, account.bakery)).toBe('5898');
    expect(await balance(app, account.cafe)).toBe('-5898');

    const invoice = await readInvoice(issued.id, cafe.member.token);
    expect(invoice.events.map((event) => [event.kind, event.amount])).toEqual([
      ['ISSUED', '5898'],
      ['ACCEPTED', '0'],
      ['PAYMENT', '2000'],
      ['PAYMENT', '3898'],
    ]);
    const { transactionsByAuthority } = await app.ok(TRADE.byAuthority, { kind: 'INVOICE', id: issued.id });
    const transactions = transactionsByAuthority.edges.map((edge: { node: { id: string; kind: string } }) => edge.node);
    expect(transactions).toHaveLength(2);
    expect(transactions.every((t: { kind: string }) => t.kind === 'INVOICE_PAYMENT')).toBe(true);
    expect(
      invoice.events
        .filter((e) => e.kind === 'PAYMENT')
        .map((e) => e.transactionId)
        .sort(),
    ).toEqual(transactions.map((t: { id: string }) => t.id).sort());
  });

  it('accepts by paying an issued invoice; accepting again changes nothing', async () => {
    const issued = await issue(app, bakery, cafe, account.bakery, { amount: '300' });
    expect((await pay(app, cafe, issued.id, account.cafe, '300')).status).toBe('PAID');
    const before = await app.snapshot();
    expect((await accept(app, cafe, issued.id)).status).toBe('PAID');
    expect(await app.snapshot()).toEqual(before);
  });
});

describe('refusals leave everything as it was', () => {
  it('issue: only the issuer’s treasurer, to another organisation, well formed, into its own account', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [issueInput(bakery, cafe, account.bakery), cafe.treasurer.token, 'MAY_NOT_INVOICE'],
      [issueInput(bakery, cafe, account.bakery), bakery.member.token, 'MAY_NOT_INVOICE'],
      [issueInput(bakery, bakery, account.bakery), bakery.treasurer.token, 'INVALID_INVOICE'],
      [issueInput(bakery, cafe, account.bakery, { dueOn: '2026-02-30' }), bakery.treasurer.token, 'INVALID_INVOICE'],
      [issueInput(bakery, cafe, account.bakery, { amount: '0' }), bakery.treasurer.token, 'INVALID_INVOICE'],
      [
        {
          ...issueInput(bakery, cafe, account.bakery),
          lines: [{ description: 'x', quantity: '1.2345', unitPrice: '1' }],
        },
        bakery.treasurer.token,
        'INVALID_INVOICE',
      ],
      [issueInput(bakery, cafe, account.cafe), bakery.treasurer.token, 'INVALID_ACCOUNT'],
      [
        { ...issueInput(bakery, cafe, account.bakery), payerId: randomUUID() },
        bakery.treasurer.token,
        'ORGANIZATION_NOT_FOUND',
      ],
      [
        { ...issueInput(bakery, cafe, account.bakery), creditAccountId: randomUUID() },
        bakery.treasurer.token,
        'ACCOUNT_NOT_FOUND',
      ],
    ];
    for (const [input, token, reason] of cases) {
      const before = await app.snapshot();
      expect((await refusal(app, TRADE.issueInvoice, { input }, token)).reason).toBe(reason);
      expect(await app.snapshot()).toEqual(before);
    }
  });

  it('issue: an id already used for another invoice is taken', async () => {
    const first = await issue(app, bakery, cafe, account.bakery);
    const before = await app.snapshot();
    const input = issueInput(cafe, bikes, account.cafe, { id: first.id });
    expect(await refusal(app, TRADE.issueInvoice, { input }, cafe.treasurer.token)).toEqual({
      code: 'CONFLICT',
      reason: 'TRADE_ID_TAKEN',
    });
    // The same issuer reusing the id for another amount is refused too.
    const changed = issueInput(bakery, cafe, account.bakery, { id: first.id, amount: '1001' });
    expect((await refusal(app, TRADE.issueInvoice, { input: changed }, bakery.treasurer.token)).reason).toBe(
      'TRADE_ID_TAKEN',
    );
    expect(await app.snapshot()).toEqual(before);
  });

  it('pay: only the payer’s treasurer, from its own account, up to what is owed, within the credit line', async () => {
    const invoice = await issue(app, bakery, bikes, account.bakery, { amount: '1000' });
    const payWith = (fromAccountId: string, amount: string) => ({
      input: { invoiceId: invoice.id, paymentId: randomUUID(), fromAccountId, amount },
    });
    const cases: [Record<string, unknown>, string, string][] = [
      [payWith(account.bikes, '100'), bakery.treasurer.token, 'MAY_NOT_PAY_INVOICE'],
      [payWith(account.bikes, '100'), bikes.member.token, 'MAY_NOT_PAY_INVOICE'],
      [payWith(account.bikes, '100'), cafe.treasurer.token, 'INVOICE_NOT_VISIBLE'],
      [payWith(account.cafe, '100'), bikes.treasurer.token, 'INVALID_ACCOUNT'],
      [payWith(account.bikes, '0'), bikes.treasurer.token, 'INVALID_PAYMENT'],
      [payWith(account.bikes, '1001'), bikes.treasurer.token, 'OVERPAYMENT'],
      // bikes' credit line is 500.
      [payWith(account.bikes, '600'), bikes.treasurer.token, 'CREDIT_LIMIT_EXCEEDED'],
      [
        { input: { ...payWith(account.bikes, '1').input, invoiceId: randomUUID() } },
        bikes.treasurer.token,
        'INVOICE_NOT_FOUND',
      ],
    ];
    for (const [variables, token, reason] of cases) {
      const before = await app.snapshot();
      expect((await refusal(app, TRADE.payInvoice, variables, token)).reason).toBe(reason);
      expect(await app.snapshot()).toEqual(before);
    }
    // Within the line it goes through; a payment id reused for another amount is taken.
    const paymentId = randomUUID();
    await pay(app, bikes, invoice.id, account.bikes, '400', paymentId);
    const before = await app.snapshot();
    const reused = { input: { invoiceId: invoice.id, paymentId, fromAccountId: account.bikes, amount: '50' } };
    expect((await refusal(app, TRADE.payInvoice, reused, bikes.treasurer.token)).reason).toBe('TRADE_ID_TAKEN');
    expect(await app.snapshot()).toEqual(before);
  });

  it('two concurrent payments never pay more than the invoice', async () => {
    const invoice = await issue(app, bakery, cafe, account.bakery, { amount: '1000' });
    const attempts = await Promise.all(
      [0, 1, 2, 3].map(() =>
        app.graphql<{ payInvoice: InvoiceView }>(
          TRADE.payInvoice,
          { input: { invoiceId: invoice.id, paymentId: randomUUID(), fromAccountId: account.cafe, amount: '400' } },
          { token: cafe.treasurer.token },
        ),
      ),
    );
    const paid = attempts.filter((attempt) => attempt.errors === undefined);
    const refused = attempts.filter((attempt) => attempt.errors !== undefined);
    expect(paid).toHaveLength(2);
    expect(refused.map((attempt) => attempt.errors?.[0]?.extensions.details.reason)).toEqual([
      'OVERPAYMENT',
      'OVERPAYMENT',
    ]);
    expect(await balance(app, account.cafe)).toBe('-800');
    expect((await readInvoice(invoice.id)).outstanding).toBe('200');
  });
});

describe('reject and cancel', () => {
  it('the payer rejects an issued invoice with a reason; an accepted one is no longer rejected', async () => {
    const invoice = await issue(app, bakery, cafe, account.bakery);
    let before = await app.snapshot();
    const noReason = { input: { invoiceId: invoice.id, reason: '  ' } };
    expect((await refusal(app, TRADE.rejectInvoice, noReason, cafe.treasurer.token)).reason).toBe(
      'REJECTION_REASON_REQUIRED',
    );
    const asIssuer = { input: { invoiceId: invoice.id, reason: 'no' } };
    expect((await refusal(app, TRADE.rejectInvoice, asIssuer, bakery.treasurer.token)).reason).toBe(
      'MAY_NOT_PAY_INVOICE',
    );
    expect(await app.snapshot()).toEqual(before);

    const rejected = await app.ok<{ rejectInvoice: InvoiceView }>(
      TRADE.rejectInvoice,
      { input: { invoiceId: invoice.id, reason: 'We never ordered this' } },
      { token: cafe.treasurer.token },
    );
    expect(rejected.rejectInvoice).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'We never ordered this',
      outstanding: '0',
    });
    before = await app.snapshot();
    const payRejected = {
      input: { invoiceId: invoice.id, paymentId: randomUUID(), fromAccountId: account.cafe, amount: '1' },
    };
    expect((await refusal(app, TRADE.payInvoice, payRejected, cafe.treasurer.token)).reason).toBe('INVOICE_CLOSED');
    expect(
      (await refusal(app, TRADE.acceptInvoice, { input: { invoiceId: invoice.id } }, cafe.treasurer.token)).reason,
    ).toBe('INVOICE_CLOSED');
    expect(await app.snapshot()).toEqual(before);

    const accepted = await issue(app, bakery, cafe, account.bakery);
    await accept(app, cafe, accepted.id);
    before = await app.snapshot();
    const late = { input: { invoiceId: accepted.id, reason: 'Too late' } };
    expect((await refusal(app, TRADE.rejectInvoice, late, cafe.treasurer.token)).reason).toBe('ALREADY_ACCEPTED');
    expect(await app.snapshot()).toEqual(before);
  });

  it('the issuer cancels an invoice nothing of which is settled', async () => {
    const invoice = await issue(app, bakery, cafe, account.bakery);
    await accept(app, cafe, invoice.id);
    let before = await app.snapshot();
    expect(
      (await refusal(app, TRADE.cancelInvoice, { input: { invoiceId: invoice.id } }, cafe.treasurer.token)).reason,
    ).toBe('MAY_NOT_INVOICE');
    expect(await app.snapshot()).toEqual(before);
    const cancelled = await app.ok<{ cancelInvoice: InvoiceView }>(
      TRADE.cancelInvoice,
      { input: { invoiceId: invoice.id } },
      { token: bakery.treasurer.token },
    );
    expect(cancelled.cancelInvoice.status).toBe('CANCELLED');

    const part = await issue(app, bakery, cafe, account.bakery);
    await pay(app, cafe, part.id, account.cafe, '10');
    before = await app.snapshot();
    expect(
      (await refusal(app, TRADE.cancelInvoice, { input: { invoiceId: part.id } }, bakery.treasurer.token)).reason,
    ).toBe('ALREADY_SETTLED');
    expect(await app.snapshot()).toEqual(before);
  });
});

describe('automatic payment', () => {
  async function setAutomatic(payer: Coop, issuer: Coop, fromAccountId: string | null, maxAmount: string | null) {
    return app.ok(
      TRADE.setAutomaticPayment,
      { input: { payerId: payer.id, issuerId: issuer.id, unitCode: 'CWC', fromAccountId, maxAmount } },
      { token: payer.treasurer.token },
    );
  }

  it('pays invoices up to the limit when they arrive, leaves bigger ones, and stops at the credit line', async () => {
    await setAutomatic(bikes, bakery, account.bikes, '300');
    const small = await issue(app, bakery, bikes, account.bakery, { amount: '250' });
    expect(small).toMatchObject({ status: 'PAID', automaticPayment: 'PAID', paid: '250' });
    const big = await issue(app, bakery, bikes, account.bakery, { amount: '301' });
    expect(big).toMatchObject({ status: 'ISSUED', automaticPayment: 'OVER_LIMIT', paid: '0' });
    // bikes' credit line is 500: 250 paid, a further 300 would take it to −550.
    const past = await issue(app, bakery, bikes, account.bakery, { amount: '300' });
    expect(past).toMatchObject({ status: 'ISSUED', automaticPayment: 'REFUSED', paid: '0' });
    expect(await balance(app, account.bikes)).toBe('-250');
    const { byAuthority } = { byAuthority: await app.ok(TRADE.byAuthority, { kind: 'INVOICE', id: small.id }) };
    expect(byAuthority.transactionsByAuthority.edges[0].node.recordedBy).toBe('system:trade.automatic-payment');
    // Invoices from others are not paid automatically.
    expect((await issue(app, cafe, bikes, account.cafe, { amount: '10' })).automaticPayment).toBeNull();

    const listed = await app.ok(TRADE.automaticPayments, { organizationId: bikes.id }, { token: bikes.member.token });
    expect(listed.automaticPayments).toEqual([{ issuerId: bakery.id, unitCode: 'CWC', maxAmount: '300' }]);
    expect(await setAutomatic(bikes, bakery, null, null)).toEqual({ setAutomaticPayment: null });
    expect((await issue(app, bakery, bikes, account.bakery, { amount: '5' })).automaticPayment).toBeNull();
  });

  it('is set only by the payer’s treasurer, from its own account, with a positive limit', async () => {
    const input = {
      payerId: bikes.id,
      issuerId: bakery.id,
      unitCode: 'CWC',
      fromAccountId: account.bikes,
      maxAmount: '10',
    };
    const cases: [Record<string, unknown>, string, string][] = [
      [input, bakery.treasurer.token, 'MAY_NOT_PAY_INVOICE'],
      [input, bikes.member.token, 'MAY_NOT_PAY_INVOICE'],
      [{ ...input, fromAccountId: account.cafe }, bikes.treasurer.token, 'INVALID_ACCOUNT'],
      [{ ...input, maxAmount: '0' }, bikes.treasurer.token, 'INVALID_PAYMENT'],
      [{ ...input, issuerId: bikes.id }, bikes.treasurer.token, 'INVALID_INVOICE'],
    ];
    for (const [variables, token, reason] of cases) {
      const before = await app.snapshot();
      expect((await refusal(app, TRADE.setAutomaticPayment, { input: variables }, token)).reason).toBe(reason);
      expect(await app.snapshot()).toEqual(before);
    }
  });
});

describe('overdue, lists and totals', () => {
  it('marks open invoices overdue by date, and lists by direction, status, counterparty and period', async () => {
    const clock = clockOf(app);
    clock.set(new Date('2030-03-10T12:00:00.000Z'));
    const due = await issue(app, bakery, cafe, account.bakery, { amount: '100', dueOn: '2030-03-11' });
    const paid = await issue(app, bakery, cafe, account.bakery, { amount: '200', dueOn: '2030-03-01' });
    await pay(app, cafe, paid.id, account.cafe, '200');
    const received = await issue(app, bikes, bakery, account.bikes, { amount: '40', dueOn: '2030-03-01' });
    expect((await readInvoice(due.id)).overdue).toBe(false);
    expect((await readInvoice(received.id)).overdue).toBe(true);

    clock.set(new Date('2030-03-12T00:00:01.000Z'));
    expect((await readInvoice(due.id)).overdue).toBe(true);
    expect((await readInvoice(paid.id)).overdue).toBe(false);
    const list = async (variables: Record<string, unknown>) =>
      (await app.ok(TRADE.invoices, { organizationId: bakery.id, ...variables }, { token: bakery.member.token }))
        .invoices;
    const overdue = await list({ overdue: true });
    expect(overdue.edges.map((edge: { node: { id: string } }) => edge.node.id).sort()).toEqual(
      [due.id, received.id].sort(),
    );
    const sent = await list({ direction: 'SENT' });
    expect(sent.totals).toEqual([{ unitCode: 'CWC', count: 2, total: '300', settled: '200', outstanding: '100' }]);
    const receivedList = await list({ direction: 'RECEIVED', counterpartyId: bikes.id });
    expect(receivedList.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([received.id]);
    const paidOnly = await list({ statuses: ['PAID'] });
    expect(paidOnly.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([paid.id]);
    const none = await list({ issuedBefore: '2030-03-10T00:00:00.000Z' });
    expect(none.edges).toEqual([]);
    const page = await list({ first: 2 });
    expect(page.edges).toHaveLength(2);
    const rest = await list({ first: 2, after: page.pageInfo.endCursor });
    expect(rest.edges).toHaveLength(1);
    expect(rest.pageInfo.hasNextPage).toBe(false);

    const outsider = await refusal(app, TRADE.invoices, { organizationId: bakery.id }, cafe.treasurer.token);
    expect(outsider).toEqual({ code: 'FORBIDDEN', reason: 'MAY_NOT_SEE_STATEMENT' });
  });
});

describe('statements', () => {
  it('opens with the balance before the period, shows every step in it, and closes on the open invoices', async () => {
    const clock = clockOf(app);
    clock.set(new Date('2031-01-15T10:00:00.000Z'));
    const old = await issue(app, bakery, cafe, account.bakery, { amount: '1000', reference: 'JAN' });
    clock.set(new Date('2031-02-03T10:00:00.000Z'));
    await accept(app, cafe, old.id);
    await pay(app, cafe, old.id, account.cafe, '600');
    const bill = await issue(app, bikes, bakery, account.bikes, { amount: '250', reference: '=cmd()' });
    await pay(app, bakery, bill.id, account.bakery, '250');
    const withdrawn = await issue(app, bakery, cafe, account.bakery, { amount: '70', reference: 'Oops, "twice"' });
    await app.ok(TRADE.cancelInvoice, { input: { invoiceId: withdrawn.id } }, { token: bakery.treasurer.token });
    clock.set(new Date('2031-03-02T10:00:00.000Z'));
    await issue(app, bakery, cafe, account.bakery, { amount: '5' });

    const { tradeStatement } = await app.ok(
      TRADE.statement,
      { organizationId: bakery.id, unitCode: 'CWC', from: '2031-02-01T00:00:00.000Z', to: '2031-03-01T00:00:00.000Z' },
      { token: bakery.member.token },
    );
    expect(tradeStatement).toMatchObject({
      openingBalance: '1000',
      closingBalance: '400',
      invoicedToOthers: '70',
      invoicedByOthers: '250',
      paymentsReceived: '600',
      paymentsMade: '250',
      withdrawn: '-70',
    });
    expect(tradeStatement.lines.map((line: { kind: string; change: string }) => [line.kind, line.change])).toEqual([
      ['ACCEPTED', '0'],
      ['PAYMENT', '-600'],
      ['ISSUED', '-250'],
      ['PAYMENT', '250'],
      ['ISSUED', '70'],
      ['CANCELLED', '-70'],
    ]);
    expect(tradeStatement.openInvoices).toEqual([
      { invoiceId: old.id, counterpartyId: cafe.id, direction: 'RECEIVABLE', outstanding: '400' },
    ]);
    const csv: string = tradeStatement.csv;
    const rows = csv.trim().split('\r\n');
    expect(rows[0]).toBe('at,invoice_id,reference,counterparty_id,direction,kind,amount,change,balance');
    expect(rows[1]).toBe(',,opening balance,,,,,,1000');
    expect(rows.at(-1)).toBe(',,closing balance,,,,,,400');
    expect(rows).toHaveLength(tradeStatement.lines.length + 3);
    expect(csv).toContain(`"'=cmd()"`);
    expect(csv).toContain('"Oops, ""twice"""');

    const cafeView = await app.ok(
      TRADE.statement,
      { organizationId: cafe.id, unitCode: 'CWC', from: '2031-01-01T00:00:00.000Z', to: '2031-03-01T00:00:00.000Z' },
      { token: cafe.treasurer.token },
    );
    expect(cafeView.tradeStatement).toMatchObject({ openingBalance: '0', closingBalance: '-400' });
    expect(
      await refusal(
        app,
        TRADE.statement,
        {
          organizationId: bakery.id,
          unitCode: 'CWC',
          from: '2031-03-01T00:00:00.000Z',
          to: '2031-02-01T00:00:00.000Z',
        },
        bakery.member.token,
      ),
    ).toEqual({ code: 'VALIDATION_FAILED', reason: 'INVALID_STATEMENT_PERIOD' });
  });
});
