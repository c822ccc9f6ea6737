import { declareReasons } from '../kernel/errors/domain-error.js';

/** Reasons raised by strike funds, strikes, stipend batches, hardship draws and rent escrow. */
export const STRIKE_FUNDS_ERRORS = declareReasons('strike-funds', {
  FUND_NOT_FOUND: ['NOT_FOUND', 'No fund has this id.'],
  STRIKE_NOT_FOUND: ['NOT_FOUND', 'No strike has this id.'],
  BATCH_NOT_FOUND: ['NOT_FOUND', 'No stipend batch has this id.'],
  PLEDGE_NOT_FOUND: ['NOT_FOUND', 'No pledge has this id.'],
  DRAW_NOT_FOUND: ['NOT_FOUND', 'No hardship draw has this id.'],
  SHIFT_NOT_FOUND: ['NOT_FOUND', 'The corrected shift is not a shift of this striker in this strike.'],
  FUND_ROLE_REQUIRED: [
    'FORBIDDEN',
    "Only the organisation's TREASURER or ADMIN (COORDINATOR for picket records) does this.",
  ],
  NOT_A_FUND_MEMBER: ['FORBIDDEN', "Only the fund organisation's members do or see this."],
  NOT_A_REVIEWER: ['FORBIDDEN', "Only the fund's committee, its TREASURER or ADMIN see the review queue."],
  NOT_YOUR_ACCOUNT: ['FORBIDDEN', 'The account is not held by the person it is for.'],
  FUND_RECORD_ID_TAKEN: ['CONFLICT', 'The id names something else already: a new one needs a new id.'],
  INVALID_FUND: ['VALIDATION_FAILED', 'The fund is not well formed (`details.problem` says how).'],
  INVALID_STRIKE: ['VALIDATION_FAILED', 'The strike or its rules are not well formed (`details.problem` says how).'],
  INVALID_SHIFT: ['VALIDATION_FAILED', 'The picket shift is not well formed (`details.problem` says how).'],
  INVALID_CONTRIBUTION: ['VALIDATION_FAILED', 'The contribution is not well formed (`details.problem` says how).'],
  INVALID_DRAW: ['VALIDATION_FAILED', 'The application is not well formed (`details.problem` says how).'],
  INVALID_DEPOSIT: ['VALIDATION_FAILED', 'The escrow deposit is not well formed (`details.problem` says how).'],
  WRONG_FUND_PURPOSE: ['VALIDATION_FAILED', 'The fund does not serve this purpose (strikes, draws or escrow).'],
  NOT_A_STRIKER: ['VALIDATION_FAILED', 'The person is not enrolled in this strike.'],
  UNIT_MISMATCH_FUND: ['VALIDATION_FAILED', "The account is not in the fund's unit."],
  DRAW_CAP_EXCEEDED: ['CONFLICT', 'The draw would pass the cap per person per strike or per year (`details.cap`).'],
  BATCH_NOT_PREVIEW: ['CONFLICT', 'Only a previewed batch the fund can cover is submitted for approval.'],
  BATCH_NO_LONGER_COVERED: [
    'CONFLICT',
    'The fund no longer holds what the batch pays (money moved since it was computed): compute it again.',
  ],
  WEEK_ALREADY_PAID: ['CONFLICT', 'This strike and week has a batch submitted or paid already.'],
  WEEK_NOT_OVER: ['CONFLICT', 'A stipend batch is computed once its week has ended.'],
  PLEDGE_PERIOD_RECEIVED: ['CONFLICT', "This period's pledge of money from outside is received already."],
  DEPOSIT_EXISTS: ['CONFLICT', 'This tenant has deposited for this month already.'],
  NOTHING_TO_RELEASE: ['CONFLICT', 'The escrow holds nothing for its tenants to release.'],
});
