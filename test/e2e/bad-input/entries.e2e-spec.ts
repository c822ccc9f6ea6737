/**
 * Goal: the entries of a transaction or hold must balance, have both sides, number 2 to 64, name each account
 * once, carry positive amounts, and name existing accounts of the transaction's unit. Each broken set is
 * refused with a typed error and its reason and changes nothing; a refusal that depends on the ledger's state
 * (an unknown account or unit, an account in another unit) is kept against its id, and only that.
 * Method: the bad-input catalogue (catalogue.ts): each case's raw request to the real service on its own
 * database, the snapshot of every table before and after, a leak scan of the answer, GET /health after it.
 */
import { randomUUID } from 'node:crypto';
import { transfer } from '../ledger/ledger-fixtures.js';
import {
  PLACE_HOLD,
  POST_TRANSACTION,
  fx,
  gql,
  invalid,
  postAmount,
  postEntries,
  postTransfer,
  refused,
  runCatalogue,
  type Case,
} from './catalogue.js';

const CASES: readonly Case[] = [
  {
    name: 'unbalanced (debit 100, credit 90)',
    send: () =>
      postEntries((c) => [
        { accountId: c.alice, side: 'DEBIT', amount: '100' },
        { accountId: c.bob, side: 'CREDIT', amount: '90' },
      ]),
    expect: invalid('UNBALANCED'),
  },
  {
    name: 'one-sided (two credits)',
    send: () =>
      postEntries((c) => [
        { accountId: c.alice, side: 'CREDIT', amount: '1' },
        { accountId: c.bob, side: 'CREDIT', amount: '1' },
      ]),
    expect: invalid('ONE_SIDED'),
  },
  {
    name: 'one-sided (two debits)',
    send: () =>
      postEntries((c) => [
        { accountId: c.alice, side: 'DEBIT', amount: '1' },
        { accountId: c.bob, side: 'DEBIT', amount: '1' },
      ]),
    expect: invalid('ONE_SIDED'),
  },
  {
    name: '65 entries',
    send: () =>
      postEntries((c) => [
        { accountId: c.alice, side: 'DEBIT', amount: '64' },
        ...Array.from({ length: 64 }, () => ({ accountId: randomUUID(), side: 'CREDIT', amount: '1' })),
      ]),
    expect: invalid('TOO_MANY_ENTRIES'),
  },
  {
    name: 'the same account on both sides',
    send: () =>
      postEntries((c) => [
        { accountId: c.alice, side: 'DEBIT', amount: '1' },
        { accountId: c.alice.toUpperCase(), side: 'CREDIT', amount: '1' },
      ]),
    expect: invalid('SAME_ACCOUNT_TWICE'),
  },
  {
    name: 'the same account on both sides, its id in the same case',
    send: () => gql(POST_TRANSACTION, { input: transfer(fx.alice, fx.alice, '1') }),
    expect: invalid('SAME_ACCOUNT_TWICE'),
  },
  {
    name: 'placeHold: the same account on both sides',
    send: () => gql(PLACE_HOLD, { input: transfer(fx.bob, fx.bob, '1') }),
    expect: invalid('SAME_ACCOUNT_TWICE'),
  },
  {
    name: 'one entry',
    send: () => postEntries((c) => [{ accountId: c.alice, side: 'DEBIT', amount: '1' }]),
    expect: invalid('TOO_FEW_ENTRIES'),
  },
  {
    name: 'no entries',
    send: () => postEntries(() => []),
    expect: invalid('TOO_FEW_ENTRIES'),
  },
  {
    name: 'amount "0"',
    send: () => postAmount('0'),
    expect: invalid('AMOUNT_NOT_POSITIVE'),
  },
  {
    name: 'unknown account',
    send: () => gql(POST_TRANSACTION, { input: transfer(fx.alice, randomUUID(), '1') }),
    expect: refused('NOT_FOUND', 'ACCOUNT_NOT_FOUND', { recorded: true }),
  },
  {
    name: 'unknown unit',
    send: () => postTransfer({ unitCode: 'NOPE' }),
    expect: refused('NOT_FOUND', 'UNIT_NOT_FOUND', { recorded: true }),
  },
  {
    name: 'an account in another unit',
    send: () => gql(POST_TRANSACTION, { input: transfer(fx.alice, fx.hours, '1') }),
    expect: refused('VALIDATION_FAILED', 'UNIT_MISMATCH', { recorded: true }),
  },
];

runCatalogue('entries', CASES);
