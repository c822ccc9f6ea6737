import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../kernel/audit/audit.service.js';
import { runInTransaction } from '../kernel/database/run-in-transaction.js';
import { DomainError } from '../kernel/errors/domain-error.js';
import type { Position } from '../kernel/graphql/cursor.js';
import { stepId } from '../kernel/ids.js';
import { nameOf, rolesIn, systemPrincipal, type Principal } from '../kernel/principal.js';
import { CLOCK, type Clock } from '../kernel/scheduling/clock.js';
import { AccountsService } from '../ledger/accounts.service.js';
import type { AccountRecord, LedgerRequest } from '../ledger/ledger.records.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { applyInvoiceAction, type InvoiceAction, type InvoiceRefusal, stateOf } from './rules/invoice-lifecycle.js';
import {
  calendarDate,
  isCalendarDate,
  MAX_NOTES,
  MAX_REASON,
  MAX_REFERENCE,
  priceLines,
  type LineInput,
} from './rules/invoice-terms.js';
import { foldStatement, type Statement } from './rules/statement.js';
import { mayInvoice, mayPay, maySeeBooks, maySeeInvoice } from './rules/trade-access.js';
import { TRADE_ERRORS } from './trade.errors.js';
import type {
  AutomaticPaymentRecord,
  InvoiceEventRecord,
  InvoiceFilter,
  InvoiceLine,
  InvoiceRecord,
  InvoiceTotalsRecord,
} from './trade.records.js';
import { TradeRepository } from './trade.repository.js';

/** What a ledger transaction of trade is called, and the authority it names. */
export const PAYMENT_KIND = 'INVOICE_PAYMENT';
export const INVOICE_AUTHORITY = 'INVOICE';
const AUTOMATIC_PAYER = 'trade.automatic-payment';
/** The longest statement period: five years. */
const MAX_PERIOD_MS = 5 * 366 * 86_400_000;

export interface NewInvoice {
  readonly id: string;
  readonly issuerId: string;
  readonly payerId: string;
  readonly unitCode: string;
  readonly creditAccountId: string;
  readonly lines: readonly LineInput[];
  readonly dueOn: string;
  readonly reference: string;
  readonly notes: string;
}

export interface InvoicePayment {
  readonly invoiceId: string;
  /** A UUID of the caller's choosing: the payment's idempotency key. */
  readonly paymentId: string;
  readonly fromAccountId: string;
  readonly amount: bigint;
}

/**
 * Invoices between organisations: issued, accepted, rejected, cancelled and paid (in parts), with automatic
 * payment and statements. Every write locks the invoice's row (READ COMMITTED), decides with the pure state
 * machine (rules/invoice-lifecycle.ts), and writes the invoice, its event and any ledger transaction in one
 * database transaction. A payment is a ledger transfer from the payer's account to the issuer's account
 * named by the invoice, with the invoice as its authority and an id derived from the payment's id.
 */
@Injectable()
export class InvoicesService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(TradeRepository) private readonly repository: TradeRepository,
    @Inject(OrganizationsService) private readonly organizations: OrganizationsService,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Issues an invoice (TREASURER or ADMIN of the issuer); pays it at once where the payer set that up. */
  async issue(principal: Principal, input: NewInvoice): Promise<InvoiceRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      // Who may act comes first: nobody else learns whether the id is taken.
      if (!mayInvoice(rolesIn(principal, input.issuerId))) {
        throw new DomainError(TRADE_ERRORS.MAY_NOT_INVOICE, 'Only a TREASURER or ADMIN of the issuer invoices', {
          organizationId: input.issuerId,
        });
      }
      if (input.payerId === input.issuerId) invalid('an invoice goes to another organisation');
      const priced = priceLines(input.lines);
      if (!priced.ok) invalid(priced.problem);
      if (!isCalendarDate(input.dueOn)) invalid('dueOn is a calendar date, YYYY-MM-DD');
      const reference = input.reference.trim();
      if ([...reference].length > MAX_REFERENCE) invalid(`a reference has at most ${MAX_REFERENCE} characters`);
      if ([...input.notes].length > MAX_NOTES) invalid(`notes have at most ${MAX_NOTES} characters`);
      // The same id with the same invoice replays it; with another, it is taken.
      const existing = await this.repository.findInvoice(manager, input.id);
      if (existing !== null) {
        const same =
          existing.issuerId === input.issuerId &&
          existing.payerId === input.payerId &&
          existing.unitCode === input.unitCode &&
          existing.creditAccountId === input.creditAccountId &&
          existing.total === priced.total &&
          existing.dueOn === input.dueOn &&
          existing.reference === reference;
        if (same) return existing;
        throw new DomainError(TRADE_ERRORS.TRADE_ID_TAKEN, `The id ${input.id} names another invoice`, {
          id: input.id,
        });
      }
      await this.organizations.requireOrganization(manager, input.payerId);
      const account = await this.accounts.requireAccount(manager, input.creditAccountId);
      requireAccountOf(account, input.issuerId, input.unitCode, 'creditAccountId');

      const now = this.clock.now();
      const actor = nameOf(principal);
      const invoice: InvoiceRecord = {
        id: input.id,
        issuerId: input.issuerId,
        payerId: input.payerId,
        unitCode: account.unitCode,
        creditAccountId: account.id,
        reference,
        notes: input.notes,
        dueOn: input.dueOn,
        total: priced.total,
        paid: 0n,
        setOff: 0n,
        status: 'ISSUED',
        rejectionReason: null,
        automaticPayment: null,
        issuedBy: actor,
        issuedAt: now,
        updatedAt: now,
      };
      await this.repository.insertInvoice(manager, invoice, priced.lines);
      await this.repository.insertEvents(manager, [event(invoice, 'ISSUED', invoice.total, actor, now)]);
      const automatic = await this.repository.findAutomaticPayment(manager, invoice);
      return automatic === null ? invoice : this.payAutomatically(manager, invoice, automatic);
    });
  }

  /**
   * The payer's standing order for this issuer: an invoice up to its limit is paid in full when it arrives,
   * by the system actor `trade.automatic-payment`, granted only the account the payer named. A payment the
   * ledger refuses (the credit line) leaves the invoice to be paid by hand; the invoice says which happened.
   */
  private async payAutomatically(
    manager: EntityManager,
    invoice: InvoiceRecord,
    automatic: AutomaticPaymentRecord,
  ): Promise<InvoiceRecord> {
    const now = invoice.issuedAt;
    if (invoice.total > automatic.maxAmount) {
      return this.repository.updateInvoice(manager, invoice.id, {
        ...invoice,
        automaticPayment: 'OVER_LIMIT',
        updatedAt: now,
      });
    }
    const payer = systemPrincipal(AUTOMATIC_PAYER, { accounts: new Set([automatic.fromAccountId]) });
    const paymentId = stepId(AUTOMATIC_PAYER, invoice.id);
    const [result] = await this.ledger.applyInTransaction(manager, payer, [
      paymentRequest(invoice, paymentId, automatic.fromAccountId, invoice.total),
    ]);
    if (result === undefined) throw new Error('the ledger answers every request');
    if (!result.ok) {
      return this.repository.updateInvoice(manager, invoice.id, {
        ...invoice,
        automaticPayment: 'REFUSED',
        updatedAt: now,
      });
    }
    await this.repository.insertEvents(manager, [
      {
        ...event(invoice, 'PAYMENT', invoice.total, nameOf(payer), now),
        paymentId,
        transactionId: result.transaction.id,
      },
    ]);
    return this.repository.updateInvoice(manager, invoice.id, {
      ...invoice,
      status: 'PAID',
      paid: invoice.total,
      automaticPayment: 'PAID',
      updatedAt: now,
    });
  }

  async accept(principal: Principal, invoiceId: string): Promise<InvoiceRecord> {
    return this.decide(principal, invoiceId, 'PAYER', { kind: 'ACCEPT' }, '');
  }

  async reject(principal: Principal, invoiceId: string, reason: string): Promise<InvoiceRecord> {
    return this.decide(principal, invoiceId, 'PAYER', { kind: 'REJECT' }, reason);
  }

  async cancel(principal: Principal, invoiceId: string): Promise<InvoiceRecord> {
    return this.decide(principal, invoiceId, 'ISSUER', { kind: 'CANCEL' }, '');
  }

  private async decide(
    principal: Principal,
    invoiceId: string,
    side: 'PAYER' | 'ISSUER',
    action: InvoiceAction,
    reason: string,
  ): Promise<InvoiceRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const invoice = await this.requireInvoice(manager, principal, invoiceId, true);
      if (side === 'PAYER') this.requirePayer(principal, invoice);
      else this.requireIssuer(principal, invoice);
      const trimmed = reason.trim();
      if (action.kind === 'REJECT' && (trimmed.length === 0 || [...trimmed].length > MAX_REASON)) {
        throw new DomainError(TRADE_ERRORS.REJECTION_REASON_REQUIRED, 'A rejection gives its reason', {
          invoiceId,
        });
      }
      const transition = applyInvoiceAction(stateOf(invoice), action);
      if (!transition.ok) throw refusal(transition.refusal, invoice);
      if (!transition.changed) return invoice;
      const now = this.clock.now();
      const kind = action.kind === 'ACCEPT' ? 'ACCEPTED' : action.kind === 'REJECT' ? 'REJECTED' : 'CANCELLED';
      const amount = kind === 'ACCEPTED' ? 0n : invoice.total - invoice.paid - invoice.setOff;
      await this.repository.insertEvents(manager, [
        { ...event(invoice, kind, amount, nameOf(principal), now), reason: trimmed },
      ]);
      return this.repository.updateInvoice(manager, invoice.id, {
        ...invoice,
        status: transition.state.status,
        rejectionReason: kind === 'REJECTED' ? trimmed : null,
        updatedAt: now,
      });
    });
  }

  /**
   * Pays an invoice, in full or in part, from an account of the payer (TREASURER or ADMIN of the payer, who
   * the ledger must also let debit it). The same payment id replays the payment; paying an ISSUED invoice
   * accepts it.
   */
  async pay(principal: Principal, payment: InvoicePayment): Promise<InvoiceRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const invoice = await this.requireInvoice(manager, principal, payment.invoiceId, true);
      this.requirePayer(principal, invoice);
      const earlier = await this.repository.findPayment(manager, payment.paymentId);
      if (earlier !== null) {
        if (earlier.invoiceId === invoice.id && earlier.amount === payment.amount) return invoice;
        throw new DomainError(
          TRADE_ERRORS.TRADE_ID_TAKEN,
          `The payment id ${payment.paymentId} names another payment`,
          {
            paymentId: payment.paymentId,
          },
        );
      }
      if (payment.amount <= 0n) {
        throw new DomainError(TRADE_ERRORS.INVALID_PAYMENT, 'A payment is more than zero', { invoiceId: invoice.id });
      }
      const transition = applyInvoiceAction(stateOf(invoice), { kind: 'PAY', amount: payment.amount });
      if (!transition.ok) throw refusal(transition.refusal, invoice);
      const account = await this.accounts.requireAccount(manager, payment.fromAccountId);
      requireAccountOf(account, invoice.payerId, invoice.unitCode, 'fromAccountId');
      const [result] = await this.ledger.applyInTransaction(manager, principal, [
        paymentRequest(invoice, payment.paymentId, account.id, payment.amount),
      ]);
      if (result === undefined) throw new Error('the ledger answers every request');
      if (!result.ok) throw DomainError.fromRefusal(result.refusal, { invoiceId: invoice.id });
      const now = this.clock.now();
      await this.repository.insertEvents(manager, [
        {
          ...event(invoice, 'PAYMENT', payment.amount, nameOf(principal), now),
          paymentId: payment.paymentId,
          transactionId: result.transaction.id,
        },
      ]);
      return this.repository.updateInvoice(manager, invoice.id, {
        ...invoice,
        status: transition.state.status,
        paid: invoice.paid + payment.amount,
        updatedAt: now,
      });
    });
  }

  /**
   * Sets (or, with no limit, removes) the payer's automatic payment of invoices from an issuer in a unit, from
   * one of the payer's accounts (TREASURER or ADMIN of the payer).
   */
  async setAutomaticPayment(
    principal: Principal,
    input: {
      payerId: string;
      issuerId: string;
      unitCode: string;
      fromAccountId: string | null;
      maxAmount: bigint | null;
    },
  ): Promise<AutomaticPaymentRecord | null> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      if (!mayPay(rolesIn(principal, input.payerId))) {
        throw new DomainError(
          TRADE_ERRORS.MAY_NOT_PAY_INVOICE,
          'Only a TREASURER or ADMIN of the payer sets its payments',
          {
            organizationId: input.payerId,
          },
        );
      }
      if (input.issuerId === input.payerId) invalid('automatic payment is of invoices from another organisation');
      await this.organizations.requireOrganization(manager, input.issuerId);
      const before = await this.repository.findAutomaticPayment(manager, input);
      const subject = { type: 'AUTOMATIC_PAYMENT', id: input.issuerId };
      if (input.maxAmount === null) {
        await this.repository.removeAutomaticPayment(manager, input);
        if (before !== null) {
          await this.audit.record(manager, {
            actor: principal,
            action: 'AUTOMATIC_PAYMENT_REMOVED',
            organizationId: input.payerId,
            subject,
            relatedPartyId: input.issuerId,
            before: automaticJson(before),
          });
        }
        return null;
      }
      if (input.maxAmount <= 0n) {
        throw new DomainError(TRADE_ERRORS.INVALID_PAYMENT, 'A limit is more than zero (no limit removes it)');
      }
      if (input.fromAccountId === null) invalid('automatic payment names the account it pays from (fromAccountId)');
      const account = await this.accounts.requireAccount(manager, input.fromAccountId);
      requireAccountOf(account, input.payerId, input.unitCode, 'fromAccountId');
      const setting: AutomaticPaymentRecord = {
        payerId: input.payerId,
        issuerId: input.issuerId,
        unitCode: account.unitCode,
        fromAccountId: account.id,
        maxAmount: input.maxAmount,
        setBy: nameOf(principal),
        setAt: this.clock.now(),
      };
      await this.repository.saveAutomaticPayment(manager, setting);
      await this.audit.record(manager, {
        actor: principal,
        action: 'AUTOMATIC_PAYMENT_SET',
        organizationId: input.payerId,
        subject,
        relatedPartyId: input.issuerId,
        before: before === null ? null : automaticJson(before),
        after: automaticJson(setting),
      });
      return setting;
    });
  }

  async automaticPayments(principal: Principal, payerId: string): Promise<AutomaticPaymentRecord[]> {
    this.requireBooks(principal, payerId);
    return this.repository.listAutomaticPayments(this.dataSource.manager, payerId);
  }

  async invoice(principal: Principal, id: string): Promise<InvoiceRecord> {
    return this.requireInvoice(this.dataSource.manager, principal, id, false);
  }

  async lines(invoiceId: string): Promise<InvoiceLine[]> {
    return this.repository.listLines(this.dataSource.manager, invoiceId);
  }

  async events(invoiceId: string): Promise<InvoiceEventRecord[]> {
    return this.repository.listEvents(this.dataSource.manager, invoiceId);
  }

  /** Today's date, by which an open invoice is overdue. */
  today(): string {
    return calendarDate(this.clock.now());
  }

  async invoices(
    principal: Principal,
    filter: Omit<InvoiceFilter, 'overdueBefore'> & { overdue: boolean },
    page: { after: Position | null; limit: number },
  ): Promise<{ rows: InvoiceRecord[]; totals: () => Promise<InvoiceTotalsRecord[]> }> {
    this.requireBooks(principal, filter.organizationId);
    const query: InvoiceFilter = { ...filter, overdueBefore: filter.overdue ? this.today() : null };
    const manager = this.dataSource.manager;
    return {
      rows: await this.repository.listInvoices(manager, query, page),
      totals: () => this.repository.invoiceTotals(manager, query),
    };
  }

  /** An organisation's statement in a unit for [from, to) (its members). */
  async statement(
    principal: Principal,
    query: { organizationId: string; unitCode: string; from: Date; to: Date },
  ): Promise<Statement> {
    this.requireBooks(principal, query.organizationId);
    if (query.to <= query.from || query.to.getTime() - query.from.getTime() > MAX_PERIOD_MS) {
      throw new DomainError(TRADE_ERRORS.INVALID_STATEMENT_PERIOD, 'A period runs forward, over at most 5 years', {
        from: query.from.toISOString(),
        to: query.to.toISOString(),
      });
    }
    await this.accounts.unit(query.unitCode);
    const events = await this.repository.statementEvents(this.dataSource.manager, {
      organizationId: query.organizationId,
      unitCode: query.unitCode,
      before: query.to,
    });
    return foldStatement(query.organizationId, events, query);
  }

  private requireBooks(principal: Principal, organizationId: string): void {
    if (!maySeeBooks(rolesIn(principal, organizationId))) {
      throw new DomainError(TRADE_ERRORS.MAY_NOT_SEE_STATEMENT, "Only an organisation's members see its books", {
        organizationId,
      });
    }
  }

  private async requireInvoice(
    manager: EntityManager,
    principal: Principal,
    id: string,
    lock: boolean,
  ): Promise<InvoiceRecord> {
    const invoice = await this.repository.findInvoice(manager, id, lock);
    if (invoice === null) throw new DomainError(TRADE_ERRORS.INVOICE_NOT_FOUND, `Invoice ${id} does not exist`, { id });
    if (!maySeeInvoice(rolesIn(principal, invoice.issuerId), rolesIn(principal, invoice.payerId))) {
      throw new DomainError(TRADE_ERRORS.INVOICE_NOT_VISIBLE, "Only the issuer's and payer's members see an invoice", {
        id,
      });
    }
    return invoice;
  }

  private requirePayer(principal: Principal, invoice: InvoiceRecord): void {
    if (!mayPay(rolesIn(principal, invoice.payerId))) {
      throw new DomainError(TRADE_ERRORS.MAY_NOT_PAY_INVOICE, 'Only a TREASURER or ADMIN of the payer does this', {
        invoiceId: invoice.id,
      });
    }
  }

  private requireIssuer(principal: Principal, invoice: InvoiceRecord): void {
    if (!mayInvoice(rolesIn(principal, invoice.issuerId))) {
      throw new DomainError(TRADE_ERRORS.MAY_NOT_INVOICE, 'Only a TREASURER or ADMIN of the issuer does this', {
        invoiceId: invoice.id,
      });
    }
  }
}

function paymentRequest(
  invoice: InvoiceRecord,
  paymentId: string,
  fromAccountId: string,
  amount: bigint,
): LedgerRequest {
  return {
    type: 'TRANSFER',
    id: stepId('trade.payment', invoice.id, paymentId),
    unitCode: invoice.unitCode,
    kind: PAYMENT_KIND,
    memo: `Invoice ${invoice.reference === '' ? invoice.id : invoice.reference}`.slice(0, 500),
    metadata: [],
    effectiveAt: null,
    hold: null,
    authority: { kind: INVOICE_AUTHORITY, id: invoice.id },
    entries: [
      { accountId: fromAccountId, side: 'DEBIT', amount },
      { accountId: invoice.creditAccountId, side: 'CREDIT', amount },
    ],
  };
}

function event(
  invoice: InvoiceRecord,
  kind: InvoiceEventRecord['kind'],
  amount: bigint,
  actor: string,
  at: Date,
): Omit<InvoiceEventRecord, 'sequence'> {
  return {
    invoiceId: invoice.id,
    kind,
    amount,
    paymentId: null,
    transactionId: null,
    roundId: null,
    actor,
    reason: '',
    at,
  };
}

function requireAccountOf(account: AccountRecord, holderId: string, unitCode: string, field: string): void {
  const problem =
    account.holderId !== holderId
      ? `${field} is an account of organisation ${holderId}`
      : account.unitCode !== unitCode
        ? `${field} is an account in ${unitCode}`
        : account.status !== 'ACTIVE'
          ? `${field} is an ACTIVE account`
          : null;
  if (problem !== null) {
    throw new DomainError(TRADE_ERRORS.INVALID_ACCOUNT, `The account does not fit: ${problem}`, {
      problem,
      accountId: account.id,
    });
  }
}

function automaticJson(setting: AutomaticPaymentRecord): Record<string, string> {
  return {
    unitCode: setting.unitCode,
    fromAccountId: setting.fromAccountId,
    maxAmount: setting.maxAmount.toString(),
  };
}

function invalid(problem: string): never {
  throw new DomainError(TRADE_ERRORS.INVALID_INVOICE, `The invoice is not well formed: ${problem}`, { problem });
}

export function refusal(reason: InvoiceRefusal, invoice: InvoiceRecord): DomainError {
  const details = { invoiceId: invoice.id, status: invoice.status };
  switch (reason) {
    case 'INVOICE_CLOSED':
      return new DomainError(TRADE_ERRORS.INVOICE_CLOSED, `The invoice is ${invoice.status}`, details);
    case 'ALREADY_ACCEPTED':
      return new DomainError(TRADE_ERRORS.ALREADY_ACCEPTED, 'The invoice was accepted: it is an obligation', details);
    case 'ALREADY_SETTLED':
      return new DomainError(TRADE_ERRORS.ALREADY_SETTLED, 'Part of the invoice is settled', details);
    case 'NOT_AN_OBLIGATION':
      return new DomainError(TRADE_ERRORS.NOT_AN_OBLIGATION, 'Only an accepted invoice is set off', details);
    case 'INVALID_PAYMENT':
      return new DomainError(TRADE_ERRORS.INVALID_PAYMENT, 'A payment is more than zero', details);
    case 'OVERPAYMENT':
      return new DomainError(TRADE_ERRORS.OVERPAYMENT, 'The payment is more than the invoice still owes', {
        ...details,
        outstanding: (invoice.total - invoice.paid - invoice.setOff).toString(),
      });
  }
}
