import { declareReasons } from '../kernel/errors/domain-error.js';

/** Reasons raised by invoices, automatic payments, statements and clearing rounds. */
export const TRADE_ERRORS = declareReasons('trade', {
  INVOICE_NOT_FOUND: ['NOT_FOUND', 'No invoice has this id.'],
  CLEARING_ROUND_NOT_FOUND: ['NOT_FOUND', 'No clearing round has this id.'],
  INVOICE_NOT_VISIBLE: ['FORBIDDEN', "Only the members of an invoice's issuer and payer see it."],
  MAY_NOT_INVOICE: ['FORBIDDEN', 'A TREASURER or ADMIN of the issuer issues and cancels its invoices.'],
  MAY_NOT_PAY_INVOICE: [
    'FORBIDDEN',
    'A TREASURER or ADMIN of the payer accepts, rejects and pays its invoices and sets its automatic payments.',
  ],
  MAY_NOT_SEE_STATEMENT: ['FORBIDDEN', "Only an organisation's members see its invoices and statements."],
  MAY_NOT_CLEAR: ['FORBIDDEN', 'A TREASURER or ADMIN of the federation runs its clearing rounds and settings.'],
  MAY_NOT_CONSENT: ['FORBIDDEN', 'A TREASURER or ADMIN of a participating organisation consents or declines.'],
  ROUND_NOT_VISIBLE: [
    'FORBIDDEN',
    "Only the federation's stewards and the members of the round's participants see a clearing round.",
  ],
  TRADE_ID_TAKEN: ['CONFLICT', 'The id names another invoice, payment or round: a new one needs a new id.'],
  INVALID_INVOICE: ['VALIDATION_FAILED', 'The invoice is not well formed (`details.problem` says how).'],
  INVALID_ACCOUNT: [
    'VALIDATION_FAILED',
    "The account is not an open account of the right organisation in the invoice's unit (`details.problem`).",
  ],
  INVALID_PAYMENT: ['VALIDATION_FAILED', 'A payment or a limit is more than zero.'],
  INVALID_STATEMENT_PERIOD: ['VALIDATION_FAILED', 'A period runs forward (from before to), over at most 5 years.'],
  INVALID_CLEARING_SETTINGS: ['VALIDATION_FAILED', 'Members have 1 to 2160 hours (90 days) to answer a round.'],
  REJECTION_REASON_REQUIRED: ['VALIDATION_FAILED', 'A rejection gives its reason (1 to 500 characters).'],
  OVERPAYMENT: ['CONFLICT', 'The payment is more than the invoice still owes (`details.outstanding`).'],
  INVOICE_CLOSED: ['CONFLICT', 'The invoice is paid, rejected or cancelled: nothing more can happen to it.'],
  ALREADY_ACCEPTED: ['CONFLICT', 'The invoice was accepted: it is an obligation, and is no longer rejected.'],
  ALREADY_SETTLED: ['CONFLICT', 'Part of the invoice is paid or set off: it is no longer cancelled.'],
  NOT_AN_OBLIGATION: ['CONFLICT', 'Only an accepted invoice is set off.'],
  ROUND_EXECUTED: ['CONFLICT', 'The clearing round has been executed: consents no longer change it.'],
  CONSENT_DEADLINE_PASSED: [
    'CONFLICT',
    "The round's consent deadline has passed: those who did not answer lapse when it is executed.",
  ],
  NOT_A_PARTICIPANT: ['CONFLICT', 'The organisation has no obligation set off in this round (or declined already).'],
  CONSENT_PENDING: [
    'CONFLICT',
    'Some participants have not answered and the consent deadline has not passed (`details.pending`).',
  ],
  ROUND_STALE: [
    'CONFLICT',
    'An obligation of the round was paid, set off or cancelled since its preview: preview a new round.',
  ],
});
