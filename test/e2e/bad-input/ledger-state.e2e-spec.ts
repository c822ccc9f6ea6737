/**
 * Goal: requests that are well formed but impossible in the ledger's present state (a replayed id with
 * altered content, a payment past a credit limit, a refused id retried, unknown accounts, units, holders and
 * transactions) are refused with a typed error and its reason and change nothing, except that a refusal of a
 * transaction that depends on the ledger's state is kept against its id (one more transaction_outcome row),
 * so that a retry can never turn into a surprise payment later.
 * Method: the bad-input catalogue (catalogue.ts): each case's raw request to the real service on its own
 * database, the snapshot of every table before and after (after the case's own arrangement, such as posting
 * the original of a replay), a leak scan of the answer, GET /health after it.
 */
import { randomUUID } from 'node:crypto';
import { transfer } from '../ledger/ledger-fixtures.js';
import {
  PLACE_HOLD,
  POST_TRANSACTION,
  READ_ACCOUNT,
  REVERSE_TRANSACTION,
  SET_ACCOUNT_LIMITS,
  fx,
  gql,
  openAccountWith,
  refused,
  runCatalogue,
  type Case,
} from './catalogue.js';

/** Two ids: one posted, one refused for want of funds. */
const original = transfer('', '', '3');
const refusedFirst = transfer('', '', '100');

/** Posts the original (or replays it: nothing changes then), so that each case stands on its own. */
async function postOriginal(): Promise<void> {
  await fx.app.ok(POST_TRANSACTION, { input: { ...original, entries: transfer(fx.alice, fx.bob, '3').entries } });
}

/** Sends the refused original (a replayed refusal the second time), so that its id stays refused. */
async function refuseOriginal(): Promise<void> {
  await fx.app.graphql(POST_TRANSACTION, {
    input: { ...refusedFirst, entries: transfer(fx.bob, fx.alice, '100').entries },
  });
}

const CASES: readonly Case[] = [
  // First, while bob is still empty: the original below pays him 3.
  {
    name: 'placeHold: past the credit limit',
    send: () => gql(PLACE_HOLD, { input: transfer(fx.bob, fx.alice, '1') }),
    expect: refused('INSUFFICIENT_FUNDS', 'CREDIT_LIMIT_EXCEEDED', { recorded: true }),
  },
  {
    name: 'a replayed id with an altered amount',
    arrange: postOriginal,
    send: () => gql(POST_TRANSACTION, { input: { ...original, entries: transfer(fx.alice, fx.bob, '4').entries } }),
    expect: refused('CONFLICT', 'EXISTS_WITH_DIFFERENT_CONTENT'),
  },
  {
    name: 'a replayed id with an altered memo',
    arrange: postOriginal,
    send: () =>
      gql(POST_TRANSACTION, {
        input: { ...original, entries: transfer(fx.alice, fx.bob, '3').entries, memo: 'changed' },
      }),
    expect: refused('CONFLICT', 'EXISTS_WITH_DIFFERENT_CONTENT'),
  },
  {
    name: 'past the credit limit (bob has none)',
    send: () =>
      gql(POST_TRANSACTION, { input: { ...refusedFirst, entries: transfer(fx.bob, fx.alice, '100').entries } }),
    expect: refused('INSUFFICIENT_FUNDS', 'CREDIT_LIMIT_EXCEEDED', { recorded: true }),
  },
  {
    name: 'a refused id retried with a smaller amount',
    arrange: refuseOriginal,
    send: () => gql(POST_TRANSACTION, { input: { ...refusedFirst, entries: transfer(fx.bob, fx.alice, '1').entries } }),
    expect: refused('CONFLICT', 'ID_ALREADY_FAILED'),
  },
  {
    name: 'past the credit limit of 1000',
    send: () => gql(POST_TRANSACTION, { input: transfer(fx.alice, fx.bob, '1001') }),
    expect: refused('INSUFFICIENT_FUNDS', 'CREDIT_LIMIT_EXCEEDED', { recorded: true }),
  },
  {
    name: 'reversing a transaction that does not exist',
    send: () => gql(REVERSE_TRANSACTION, { input: { id: randomUUID(), transactionId: randomUUID() } }),
    expect: refused('NOT_FOUND', 'TRANSACTION_NOT_FOUND', { recorded: true }),
  },
  {
    name: 'setAccountLimits: unknown account',
    send: () => gql(SET_ACCOUNT_LIMITS, { input: { accountId: randomUUID(), creditLimit: '0' } }),
    expect: refused('NOT_FOUND', 'ACCOUNT_NOT_FOUND'),
  },
  {
    name: 'account: unknown id',
    send: () => gql(READ_ACCOUNT, { id: randomUUID() }),
    expect: refused('NOT_FOUND', 'ACCOUNT_NOT_FOUND'),
  },
  {
    name: 'openAccount: unknown unit',
    send: () => openAccountWith({ unitCode: 'NOPE' }),
    expect: refused('NOT_FOUND', 'UNIT_NOT_FOUND'),
  },
  {
    name: "openAccount: unknown holderId, as the issuer's treasurer (with a credit line)",
    send: () => openAccountWith({ holderId: randomUUID(), creditLimit: '100' }),
    expect: refused('NOT_FOUND', 'HOLDER_NOT_FOUND'),
  },
];

runCatalogue('ledger state', CASES);
