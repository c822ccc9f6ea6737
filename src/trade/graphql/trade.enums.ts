import { registerEnumType } from '@nestjs/graphql';

/** Trade's enums as GraphQL knows them (values match the records and rules). */
export enum InvoiceStatusEnum {
  ISSUED = 'ISSUED',
  ACCEPTED = 'ACCEPTED',
  PARTLY_PAID = 'PARTLY_PAID',
  PAID = 'PAID',
  REJECTED = 'REJECTED',
  CANCELLED = 'CANCELLED',
}
export enum InvoiceDirectionEnum {
  SENT = 'SENT',
  RECEIVED = 'RECEIVED',
  ALL = 'ALL',
}
export enum InvoiceEventKindEnum {
  ISSUED = 'ISSUED',
  ACCEPTED = 'ACCEPTED',
  REJECTED = 'REJECTED',
  CANCELLED = 'CANCELLED',
  PAYMENT = 'PAYMENT',
  SET_OFF = 'SET_OFF',
}
export enum AutomaticPaymentOutcomeEnum {
  PAID = 'PAID',
  OVER_LIMIT = 'OVER_LIMIT',
  REFUSED = 'REFUSED',
}
export enum StatementDirectionEnum {
  RECEIVABLE = 'RECEIVABLE',
  PAYABLE = 'PAYABLE',
}
export enum ClearingRoundStatusEnum {
  OPEN = 'OPEN',
  EXECUTED = 'EXECUTED',
}
export enum ClearingConsentEnum {
  PENDING = 'PENDING',
  GIVEN = 'GIVEN',
  BY_MEMBERSHIP = 'BY_MEMBERSHIP',
  DECLINED = 'DECLINED',
  LAPSED = 'LAPSED',
}

registerEnumType(InvoiceStatusEnum, {
  name: 'InvoiceStatus',
  description: 'ISSUED (a request), ACCEPTED (an obligation), PARTLY_PAID, PAID, REJECTED or CANCELLED.',
});
registerEnumType(InvoiceDirectionEnum, { name: 'InvoiceDirection', description: 'Invoices sent, received, or both.' });
registerEnumType(InvoiceEventKindEnum, { name: 'InvoiceEventKind' });
registerEnumType(AutomaticPaymentOutcomeEnum, {
  name: 'AutomaticPaymentOutcome',
  description:
    "What the payer's automatic payment did: paid it, left it (over the limit), or was refused by the ledger.",
});
registerEnumType(StatementDirectionEnum, { name: 'TradeDirection' });
registerEnumType(ClearingRoundStatusEnum, { name: 'ClearingRoundStatus' });
registerEnumType(ClearingConsentEnum, { name: 'ClearingConsent' });
