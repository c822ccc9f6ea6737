import type { InvoiceStatus } from './rules/invoice-lifecycle.js';
import type { InvoiceLine } from './rules/invoice-terms.js';

export type { InvoiceStatus, InvoiceLine };

/** Rows as the repository returns them, with amounts already bigint. */
export type AutomaticPaymentOutcome = 'PAID' | 'OVER_LIMIT' | 'REFUSED';

export interface InvoiceRecord {
  readonly id: string;
  readonly issuerId: string;
  readonly payerId: string;
  readonly unitCode: string;
  /** The issuer's account that payments go to. */
  readonly creditAccountId: string;
  readonly reference: string;
  readonly notes: string;
  /** A calendar date, YYYY-MM-DD. */
  readonly dueOn: string;
  readonly total: bigint;
  readonly paid: bigint;
  readonly setOff: bigint;
  readonly status: InvoiceStatus;
  readonly rejectionReason: string | null;
  readonly automaticPayment: AutomaticPaymentOutcome | null;
  readonly issuedBy: string;
  readonly issuedAt: Date;
  readonly updatedAt: Date;
}

export type InvoiceEventKind = 'ISSUED' | 'ACCEPTED' | 'REJECTED' | 'CANCELLED' | 'PAYMENT' | 'SET_OFF';

export interface InvoiceEventRecord {
  readonly sequence: bigint;
  readonly invoiceId: string;
  readonly kind: InvoiceEventKind;
  /** ISSUED: the total; PAYMENT, SET_OFF: what it settled; REJECTED, CANCELLED: what was outstanding. */
  readonly amount: bigint;
  readonly paymentId: string | null;
  readonly transactionId: string | null;
  readonly roundId: string | null;
  readonly actor: string;
  readonly reason: string;
  readonly at: Date;
}

export type NewInvoiceEvent = Omit<InvoiceEventRecord, 'sequence'>;

export interface AutomaticPaymentRecord {
  readonly payerId: string;
  readonly issuerId: string;
  readonly unitCode: string;
  readonly fromAccountId: string;
  /** Invoices up to this total are paid when they arrive. */
  readonly maxAmount: bigint;
  readonly setBy: string;
  readonly setAt: Date;
}

export interface ClearingSettingRecord {
  readonly federationId: string;
  /** Consent is given by membership: rounds run without asking each member. */
  readonly consentByMembership: boolean;
  /** How long members have to answer a round, from its preview. */
  readonly consentHours: number;
}

export type ClearingRoundStatus = 'OPEN' | 'EXECUTED';
export type ClearingConsent = 'PENDING' | 'GIVEN' | 'BY_MEMBERSHIP' | 'DECLINED' | 'LAPSED';

export interface ClearingRoundRecord {
  readonly id: string;
  readonly federationId: string;
  readonly unitCode: string;
  readonly status: ClearingRoundStatus;
  readonly consentByMembership: boolean;
  readonly consentDeadline: Date;
  /** Raised by every recomputation (after a decline or a lapse). */
  readonly version: number;
  readonly obligationCount: number;
  readonly totalDebt: bigint;
  readonly netInternalDebt: bigint;
  readonly cleared: bigint;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly executedBy: string | null;
  readonly executedAt: Date | null;
}

export interface ClearingParticipantRecord {
  readonly roundId: string;
  readonly organizationId: string;
  readonly consent: ClearingConsent;
  readonly decidedBy: string | null;
  readonly decidedAt: Date | null;
}

export interface ClearingSetOffRecord {
  readonly roundId: string;
  readonly invoiceId: string;
  readonly debtorId: string;
  readonly creditorId: string;
  readonly amount: bigint;
  readonly remaining: bigint;
}

/** An event with what a statement needs of its invoice. */
export interface StatementEventRecord extends InvoiceEventRecord {
  readonly issuerId: string;
  readonly payerId: string;
  readonly reference: string;
  readonly total: bigint;
  readonly dueOn: string;
}

export interface InvoiceFilter {
  readonly organizationId: string;
  readonly direction: 'SENT' | 'RECEIVED' | 'ALL';
  readonly statuses: readonly InvoiceStatus[] | null;
  /** Open and due before this date (today). */
  readonly overdueBefore: string | null;
  readonly counterpartyId: string | null;
  readonly unitCode: string | null;
  readonly issuedFrom: Date | null;
  readonly issuedBefore: Date | null;
}

export interface InvoiceTotalsRecord {
  readonly unitCode: string;
  readonly count: number;
  readonly total: bigint;
  readonly settled: bigint;
  readonly outstanding: bigint;
}
