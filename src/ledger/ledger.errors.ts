import { declareReasons } from '../kernel/errors/domain-error.js';

/**
 * Reasons raised by the ledger. When several apply to one transaction, the first in this order is reported:
 * the request's shape; the caller's right to move the value (FORBIDDEN); its id (replay or conflict); the
 * hold or transaction it refers to; the unit; each entry's account in entry order (missing, other unit,
 * closed, frozen); each entry's limit in entry order. Refusals from the id on depend on the ledger's state
 * and are kept against the id (a retry gets the same answer, `details.replayed: true`); the shape's and the
 * caller's are not, so a corrected request may be sent again with the same id.
 */
export const LEDGER_ERRORS = declareReasons('ledger', {
  AMOUNT_NOT_POSITIVE: ['VALIDATION_FAILED', 'An amount is zero or negative; amounts are more than zero.'],
  AMOUNT_TOO_LARGE: ['VALIDATION_FAILED', 'An entry is over 10^15 minor units.'],
  INVALID_KIND: ['VALIDATION_FAILED', 'A kind is 1 to 32 characters of A-Z, 0-9 and _, starting with a letter.'],
  INVALID_TIMEOUT: ['VALIDATION_FAILED', "A hold's timeoutSeconds is a whole number from 1 to 366 days."],
  INVALID_METADATA: ['VALIDATION_FAILED', 'A metadata key is malformed (`details.key`) or appears twice.'],
  MEMO_TOO_LONG: ['VALIDATION_FAILED', 'A memo has at most 500 characters.'],
  METADATA_TOO_LARGE: ['VALIDATION_FAILED', 'Metadata has at most 32 keys, each value at most 500 characters.'],
  TOO_FEW_ENTRIES: ['VALIDATION_FAILED', 'A transaction has at least 2 entries.'],
  TOO_MANY_ENTRIES: ['VALIDATION_FAILED', 'A transaction has at most 64 entries.'],
  SAME_ACCOUNT_TWICE: ['VALIDATION_FAILED', 'An account appears twice in one transaction.'],
  ONE_SIDED: ['VALIDATION_FAILED', 'A transaction needs at least one debit and one credit.'],
  UNBALANCED: ['VALIDATION_FAILED', 'Debits and credits differ (`details.debits`, `details.credits`).'],
  UNIT_MISMATCH: ['VALIDATION_FAILED', "An entry's account is in another unit than the transaction."],
  NOT_A_HOLD: ['VALIDATION_FAILED', 'The transaction to post or void is not a hold.'],
  NOT_REVERSIBLE: ['VALIDATION_FAILED', 'Only posted transactions are reversed; a hold is voided instead.'],
  PARTIAL_POST_NEEDS_TWO_ENTRIES: ['VALIDATION_FAILED', 'Only a hold of exactly two entries can be posted in part.'],
  AMOUNT_EXCEEDS_HOLD: ['VALIDATION_FAILED', 'A hold cannot be posted for more than it holds.'],
  INVALID_AUTHORITY: ['VALIDATION_FAILED', "A transaction's authority has a malformed kind or id."],
  LIMIT_NEGATIVE: ['VALIDATION_FAILED', 'A credit limit or upper limit is negative.'],
  HOURS_IN_MINUTES: ['VALIDATION_FAILED', 'An HOURS unit counts whole minutes: its scale is 0.'],
  UNIT_NOT_FOUND: ['NOT_FOUND', 'No unit has this code.'],
  ACCOUNT_NOT_FOUND: ['NOT_FOUND', 'No account has this id.'],
  TRANSACTION_NOT_FOUND: ['NOT_FOUND', 'No transaction has this id.'],
  HOLD_NOT_FOUND: ['NOT_FOUND', 'No hold has this id.'],
  EXISTS_WITH_DIFFERENT_CONTENT: ['CONFLICT', 'The id was used for other content: a new request needs a new id.'],
  ID_ALREADY_FAILED: ['CONFLICT', 'The id was refused before, for other content: a new request needs a new id.'],
  UNIT_EXISTS: ['CONFLICT', 'A unit with this code exists on other terms.'],
  ACCOUNT_FROZEN: ['CONFLICT', 'The account is frozen: it neither pays nor receives until unfrozen.'],
  ACCOUNT_CLOSED: ['CONFLICT', 'The account is closed, for good.'],
  UPPER_LIMIT_EXCEEDED: ['CONFLICT', 'The credit would take the account past its upper limit.'],
  OVERFLOW: ['CONFLICT', "The movement would take one of the account's counters past 64 bits."],
  HOLD_ALREADY_RESOLVED: ['CONFLICT', 'The hold was posted, voided or expired already.'],
  HOLD_EXPIRED: ['CONFLICT', 'The hold expired before it was posted or voided.'],
  HOLD_NOT_EXPIRED: ['CONFLICT', 'The hold has not reached its timeout.'],
  ALREADY_REVERSED: ['CONFLICT', 'The transaction was reversed already (`details.reversedBy`).'],
  HOLDS_PENDING: ['CONFLICT', 'An account with pending holds cannot be closed.'],
  BALANCE_NOT_ZERO: ['CONFLICT', 'Only an account with a zero balance can be closed.'],
  GROUP_REFUSED: ['CONFLICT', 'A transaction of an atomic group was refused, so none was written (`details.refusal`).'],
  CREDIT_LIMIT_EXCEEDED: [
    'INSUFFICIENT_FUNDS',
    'The debit would take the account past its credit limit, holds counted.',
  ],
  ACCOUNT_NOT_VISIBLE: ['FORBIDDEN', 'You may not see this account (or its history).'],
  TRANSACTION_NOT_VISIBLE: ['FORBIDDEN', 'You may see none of the accounts of this transaction.'],
  TRIAL_BALANCE_NOT_VISIBLE: ['FORBIDDEN', "Only the members of a unit's issuer see its totals."],
});
