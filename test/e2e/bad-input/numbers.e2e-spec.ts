/**
 * Goal: Money is a canonical decimal string of whole minor units within int64, and counts are 32-bit Ints
 * within their limits. Huge numbers, other number forms (exponents, signs, hexadecimal, whitespace, other
 * digits, leading zeros, the empty string), negative and zero amounts, and decimals are each refused with a
 * typed VALIDATION_FAILED and its reason, and change nothing.
 * Method: the bad-input catalogue (catalogue.ts): each case's raw request to the real service on its own
 * database, the snapshot of every table before and after, a leak scan of the answer, GET /health after it.
 */
import { randomUUID } from 'node:crypto';
import { transfer } from '../ledger/ledger-fixtures.js';
import {
  CREATE_UNIT,
  PLACE_HOLD,
  POST_TRANSACTION,
  SET_ACCOUNT_LIMITS,
  fx,
  gql,
  group,
  invalid,
  openAccountWith,
  postAmount,
  runCatalogue,
  send,
  transferWithAmount,
  type Case,
} from './catalogue.js';

const HUGE_NUMBERS_AND_NUMBER_FORMS: readonly Case[] = [
  {
    name: 'amount "9223372036854775808" (int64 max + 1)',
    send: () => postAmount('9223372036854775808'),
    expect: invalid('AMOUNT_OUT_OF_RANGE'),
  },
  {
    name: 'amount "9999999999999999999" (over int64)',
    send: () => postAmount('9999999999999999999'),
    expect: invalid('AMOUNT_OUT_OF_RANGE'),
  },
  {
    name: 'amount "10000000000000000000" (10^19)',
    send: () => postAmount('10000000000000000000'),
    expect: invalid('AMOUNT_OUT_OF_RANGE'),
  },
  {
    name: 'amount "99999999999999999999" (20 digits, over int64)',
    send: () => postAmount('99999999999999999999'),
    expect: invalid('AMOUNT_OUT_OF_RANGE'),
  },
  {
    name: 'amount 1e400 as a raw JSON number (Infinity once parsed)',
    send: () =>
      send(
        `{"query":${JSON.stringify(POST_TRANSACTION)},"variables":{"input":{"id":"${randomUUID()}","unitCode":"CWC","entries":[` +
          `{"accountId":"${fx.alice}","side":"DEBIT","amount":1e400},{"accountId":"${fx.bob}","side":"CREDIT","amount":"1"}]}}}`,
      ),
    expect: invalid('INVALID_AMOUNT'),
  },
  {
    name: 'amount "1e400"',
    send: () => postAmount('1e400'),
    expect: invalid('INVALID_AMOUNT'),
  },
  {
    name: 'amount "-0" (negative zero)',
    send: () => postAmount('-0'),
    expect: invalid('INVALID_AMOUNT'),
  },
  {
    name: 'amount "-5"',
    send: () => postAmount('-5'),
    expect: invalid('AMOUNT_NOT_POSITIVE'),
  },
  {
    name: 'placeHold: amount "-1"',
    send: () => gql(PLACE_HOLD, { input: transferWithAmount('-1') }),
    expect: invalid('AMOUNT_NOT_POSITIVE'),
  },
  {
    name: 'amount "1e3" (exponent form)',
    send: () => postAmount('1e3'),
    expect: invalid('INVALID_AMOUNT'),
  },
  {
    name: 'amount "+5" (leading plus)',
    send: () => postAmount('+5'),
    expect: invalid('INVALID_AMOUNT'),
  },
  {
    name: 'amount "0x10" (hexadecimal)',
    send: () => postAmount('0x10'),
    expect: invalid('INVALID_AMOUNT'),
  },
  {
    name: 'amount " 5 " (whitespace)',
    send: () => postAmount(' 5 '),
    expect: invalid('INVALID_AMOUNT'),
  },
  {
    name: 'amount "١٢٣" (Arabic-Indic digits)',
    send: () => postAmount('١٢٣'),
    expect: invalid('INVALID_AMOUNT'),
  },
  {
    name: 'amount "007" (not canonical)',
    send: () => postAmount('007'),
    expect: invalid('INVALID_AMOUNT'),
  },
  {
    name: 'amount "abc"',
    send: () => postAmount('abc'),
    expect: invalid('INVALID_AMOUNT'),
  },
  {
    name: 'amount "" (empty)',
    send: () => postAmount(''),
    expect: invalid('INVALID_AMOUNT'),
  },
  {
    name: 'amount "1000000000000001" (over the largest entry)',
    send: () => postAmount('1000000000000001'),
    expect: invalid('AMOUNT_TOO_LARGE'),
  },
  {
    name: 'setAccountLimits: creditLimit "-9223372036854775809" (below int64)',
    send: () => gql(SET_ACCOUNT_LIMITS, { input: { accountId: fx.alice, creditLimit: '-9223372036854775809' } }),
    expect: invalid('AMOUNT_OUT_OF_RANGE'),
  },
  {
    name: 'setAccountLimits: negative credit limit',
    send: () => gql(SET_ACCOUNT_LIMITS, { input: { accountId: fx.alice, creditLimit: '-5' } }),
    expect: invalid('LIMIT_NEGATIVE'),
  },
  {
    name: 'setAccountLimits: creditLimit "abc"',
    send: () => gql(SET_ACCOUNT_LIMITS, { input: { accountId: fx.alice, creditLimit: 'abc' } }),
    expect: invalid('INVALID_AMOUNT'),
  },
  {
    name: 'accounts(first: 99999999999) (beyond 32-bit Int)',
    send: () => gql('{ accounts(first: 99999999999) { edges { cursor } } }'),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'createUnit: scale 2147483648 (beyond 32-bit Int)',
    send: () =>
      gql(CREATE_UNIT, {
        input: { code: 'XB', name: 'x', kind: 'CREDIT', scale: 2147483648, issuerId: fx.app.steward.organizationId },
      }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'placeHold: timeoutSeconds 2147483647',
    send: () => gql(PLACE_HOLD, { input: transfer(fx.alice, fx.bob, '1', { timeoutSeconds: 2147483647 }) }),
    expect: invalid('INVALID_TIMEOUT'),
  },
  {
    name: 'placeHold: timeoutSeconds 0',
    send: () => gql(PLACE_HOLD, { input: transfer(fx.alice, fx.bob, '1', { timeoutSeconds: 0 }) }),
    expect: invalid('INVALID_TIMEOUT'),
  },
  {
    name: 'accounts(first: 201) (over the page size)',
    send: () => gql('{ accounts(first: 201) { edges { cursor } } }'),
    expect: invalid('INVALID_INPUT'),
  },
];

/** Amounts and limits are whole minor units. */
const DECIMALS: readonly Case[] = [
  { name: 'amount "1.5"', send: () => postAmount('1.5'), expect: invalid('INVALID_AMOUNT') },
  { name: 'amount "1.00"', send: () => postAmount('1.00'), expect: invalid('INVALID_AMOUNT') },
  { name: 'amount "1,000"', send: () => postAmount('1,000'), expect: invalid('INVALID_AMOUNT') },
  { name: 'amount 1.5 (a JSON fraction)', send: () => postAmount(1.5), expect: invalid('INVALID_AMOUNT') },
  {
    name: 'openAccount: creditLimit "1.5"',
    send: () => openAccountWith({ creditLimit: '1.5' }),
    expect: invalid('INVALID_AMOUNT'),
  },
];

runCatalogue('numbers', [
  ...group('huge numbers and number forms', HUGE_NUMBERS_AND_NUMBER_FORMS),
  ...group('decimals', DECIMALS),
]);
