import { declareReasons } from '../kernel/errors/domain-error.js';

/** Reasons raised by time banks: settings, members, the catalogue, exchanges and statements. */
export const TIMEBANK_ERRORS = declareReasons('timebank', {
  TIME_BANK_NOT_FOUND: ['NOT_FOUND', 'No time bank has been set up for this organisation.'],
  EXCHANGE_NOT_FOUND: ['NOT_FOUND', 'No time log has this id, or you may not see it.'],
  LISTING_NOT_FOUND: ['NOT_FOUND', 'No offer or request has this id in the time bank.'],
  NOT_A_TIME_BANK: ['VALIDATION_FAILED', 'The organisation is not of kind TIME_BANK.'],
  TIME_BANK_UNIT_TAKEN: ['CONFLICT', 'The hours unit exists with other terms, or another bank uses it.'],
  NOT_ENROLLED: [
    'CONFLICT',
    'The person has not joined the time bank (joinTimeBank opens their hours account), or has left it.',
  ],
  NOT_A_BANK_MEMBER: ['FORBIDDEN', 'Only members of the time bank do this.'],
  COORDINATOR_REQUIRED: ['FORBIDDEN', 'Only a COORDINATOR or ADMIN of the time bank does this.'],
  NOT_A_PARTY: ['FORBIDDEN', 'You log hours you gave or received yourself, never on behalf of another.'],
  NOT_THE_CONFIRMER: ['FORBIDDEN', 'Only the other side of a time log confirms or disputes it.'],
  NOT_THE_LOGGER: ['FORBIDDEN', 'Only who logged it withdraws a time log.'],
  NOT_THE_AUTHOR: ['FORBIDDEN', 'Only its author (or a coordinator) changes an offer or request.'],
  STATEMENT_NOT_VISIBLE: [
    'FORBIDDEN',
    "A member's statement is theirs and the coordinators' (unless the bank shares them).",
  ],
  INVALID_SETTINGS: ['VALIDATION_FAILED', 'The settings are out of range (`details.problem` says which).'],
  INVALID_LISTING: ['VALIDATION_FAILED', 'The offer or request is not well formed (`details.problem` says how).'],
  OWN_COMMUNITY_WORK: ['FORBIDDEN', 'A coordinator does not pay community work to themselves: another one logs it.'],
  MINUTES_OUT_OF_RANGE: ['VALIDATION_FAILED', "A log carries 1 minute up to the bank's most minutes per log."],
  MINUTES_ABOVE_LOGGED: ['VALIDATION_FAILED', 'A resolution confirms 1 minute up to the minutes logged.'],
  SELF_EXCHANGE: ['VALIDATION_FAILED', 'The giver and the receiver are two different people.'],
  UNKNOWN_CATEGORY: ['VALIDATION_FAILED', "The category is not on the bank's list (`details.categories`)."],
  EXPLANATION_REQUIRED: ['VALIDATION_FAILED', 'A dispute, a cancellation and a correction say why.'],
  LISTING_NOT_IN_BANK: ['VALIDATION_FAILED', 'The offer or request answered is not an active one of these banks.'],
  EXCHANGE_BETWEEN_BANKS_CLOSED: [
    'CONFLICT',
    'The two banks are not in one federation, or one of them does not exchange with other banks.',
  ],
  TRANSITION_REFUSED: ['CONFLICT', 'The time log is not in a status this step starts from (`details.status`).'],
  NOT_DUE: ['CONFLICT', 'The time log is not yet due to confirm itself.'],
  LOG_ID_TAKEN: ['CONFLICT', 'The id names another time log or listing: a new one needs a new id.'],
  LISTING_WITHDRAWN: ['CONFLICT', 'The offer or request has been withdrawn.'],
});
