/**
 * An organisation's statement of trade for a period, folded from the events of its invoices.
 *
 * The balance is what the organisation is owed on its open invoices less what it owes on open invoices it
 * received (positive: others owe it). Each event moves it: an invoice issued adds its total on the
 * issuer's side and subtracts it on the payer's; a payment or a set-off moves the settled amount back; a
 * rejection or a cancellation removes what was outstanding. Accepting moves nothing (the debt was already
 * shown when the invoice arrived). So the opening balance is the fold of the events before the period, the
 * closing balance the opening plus the period's lines, and it always equals the sum of the open invoices
 * at the end (`openInvoices`): the statement and the invoices agree by construction.
 *
 * A set-off appears as a SET_OFF line on both sides of each obligation a clearing round reduced; for every
 * member the set-offs it receives and the set-offs it gives add up to the same amount (its net position
 * is unchanged), so a round never moves a member's ledger balance, and it moves no value in the ledger.
 */
import type { InvoiceEventKind, StatementEventRecord } from '../trade.records.js';

export type Direction = 'RECEIVABLE' | 'PAYABLE';

export interface StatementLine {
  readonly at: Date;
  readonly invoiceId: string;
  readonly reference: string;
  readonly counterpartyId: string;
  readonly direction: Direction;
  readonly kind: InvoiceEventKind;
  /** The event's amount, as the invoice records it. */
  readonly amount: bigint;
  /** How the organisation's balance moved (signed). */
  readonly change: bigint;
  readonly balance: bigint;
  readonly transactionId: string | null;
  readonly roundId: string | null;
}

export interface OpenInvoice {
  readonly invoiceId: string;
  readonly reference: string;
  readonly counterpartyId: string;
  readonly direction: Direction;
  readonly dueOn: string;
  readonly outstanding: bigint;
}

export interface Statement {
  readonly openingBalance: bigint;
  readonly closingBalance: bigint;
  /** Totals of the period's lines, by what happened. */
  readonly invoicedToOthers: bigint;
  readonly invoicedByOthers: bigint;
  readonly paymentsReceived: bigint;
  readonly paymentsMade: bigint;
  readonly setOffReceivable: bigint;
  readonly setOffPayable: bigint;
  readonly withdrawn: bigint;
  readonly lines: readonly StatementLine[];
  readonly openInvoices: readonly OpenInvoice[];
}

/** Folds the events (all before `to`, oldest first) into the statement of [from, to). */
export function foldStatement(
  organizationId: string,
  events: readonly StatementEventRecord[],
  period: { from: Date; to: Date },
): Statement {
  let balance = 0n;
  let openingBalance = 0n;
  const totals = {
    invoicedToOthers: 0n,
    invoicedByOthers: 0n,
    paymentsReceived: 0n,
    paymentsMade: 0n,
    setOffReceivable: 0n,
    setOffPayable: 0n,
    withdrawn: 0n,
  };
  const lines: StatementLine[] = [];
  const open = new Map<string, OpenInvoice>();
  for (const event of events) {
    const direction: Direction = event.issuerId === organizationId ? 'RECEIVABLE' : 'PAYABLE';
    const sign = direction === 'RECEIVABLE' ? 1n : -1n;
    const counterpartyId = direction === 'RECEIVABLE' ? event.payerId : event.issuerId;
    let change = 0n;
    switch (event.kind) {
      case 'ISSUED':
        change = sign * event.amount;
        open.set(event.invoiceId, {
          invoiceId: event.invoiceId,
          reference: event.reference,
          counterpartyId,
          direction,
          dueOn: event.dueOn,
          outstanding: event.amount,
        });
        break;
      case 'ACCEPTED':
        break;
      case 'PAYMENT':
      case 'SET_OFF':
      case 'REJECTED':
      case 'CANCELLED': {
        change = -sign * event.amount;
        const invoice = open.get(event.invoiceId);
        if (invoice !== undefined) {
          const outstanding = invoice.outstanding - event.amount;
          if (outstanding === 0n) open.delete(event.invoiceId);
          else open.set(event.invoiceId, { ...invoice, outstanding });
        }
        break;
      }
    }
    balance += change;
    if (event.at < period.from) {
      openingBalance = balance;
      continue;
    }
    const receivable = direction === 'RECEIVABLE';
    switch (event.kind) {
      case 'ISSUED':
        if (receivable) totals.invoicedToOthers += event.amount;
        else totals.invoicedByOthers += event.amount;
        break;
      case 'PAYMENT':
        if (receivable) totals.paymentsReceived += event.amount;
        else totals.paymentsMade += event.amount;
        break;
      case 'SET_OFF':
        if (receivable) totals.setOffReceivable += event.amount;
        else totals.setOffPayable += event.amount;
        break;
      case 'REJECTED':
      case 'CANCELLED':
        totals.withdrawn += change;
        break;
      case 'ACCEPTED':
        break;
    }
    lines.push({
      at: event.at,
      invoiceId: event.invoiceId,
      reference: event.reference,
      counterpartyId,
      direction,
      kind: event.kind,
      amount: event.amount,
      change,
      balance,
      transactionId: event.transactionId,
      roundId: event.roundId,
    });
  }
  return {
    openingBalance,
    closingBalance: balance,
    ...totals,
    lines,
    openInvoices: [...open.values()].sort((a, b) => (a.invoiceId < b.invoiceId ? -1 : 1)),
  };
}

/** The statement as CSV (RFC 4180): one header row, then one row per line; amounts in minor units. */
export function statementCsv(statement: Statement): string {
  const rows = [
    ['at', 'invoice_id', 'reference', 'counterparty_id', 'direction', 'kind', 'amount', 'change', 'balance'],
    ['', '', 'opening balance', '', '', '', '', '', statement.openingBalance.toString()],
    ...statement.lines.map((line) => [
      line.at.toISOString(),
      line.invoiceId,
      line.reference,
      line.counterpartyId,
      line.direction,
      line.kind,
      line.amount.toString(),
      line.change.toString(),
      line.balance.toString(),
    ]),
    ['', '', 'closing balance', '', '', '', '', '', statement.closingBalance.toString()],
  ];
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function csvField(value: string): string {
  // A leading =, +, - or @ would be read as a formula by spreadsheets: quote and prefix it.
  const safe = /^[=+\-@]/.test(value) && !/^-?\d+$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}
