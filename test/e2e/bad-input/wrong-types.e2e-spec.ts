/**
 * Goal: a value of the wrong type for its field (a string or a fraction for Int, a number or a boolean for
 * Money, an object for ID, an array for String, null or nothing for a required field, an unknown enum value,
 * a map for a list) is refused by GraphQL's coercion or the Money scalar before any resolver runs: a typed
 * VALIDATION_FAILED that changes nothing.
 * Method: the bad-input catalogue (catalogue.ts): each case's raw request to the real service on its own
 * database, the snapshot of every table before and after, a leak scan of the answer, GET /health after it.
 */
import { randomUUID } from 'node:crypto';
import { transfer } from '../ledger/ledger-fixtures.js';
import {
  CREATE_UNIT,
  POST_TRANSACTION,
  READ_ACCOUNT,
  fx,
  gql,
  invalid,
  openAccountWith,
  postAmount,
  postEntries,
  postTransfer,
  runCatalogue,
  send,
  type Case,
} from './catalogue.js';

const CASES: readonly Case[] = [
  {
    name: 'createUnit: scale "2" (a string for Int)',
    send: () =>
      gql(CREATE_UNIT, {
        input: { code: 'XS', name: 'x', kind: 'CREDIT', scale: '2', issuerId: fx.app.steward.organizationId },
      }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'createUnit: scale 2.5 (a fraction for Int)',
    send: () =>
      gql(CREATE_UNIT, {
        input: { code: 'XF', name: 'x', kind: 'CREDIT', scale: 2.5, issuerId: fx.app.steward.organizationId },
      }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'amount 10 (a JSON number for the Money string)',
    send: () => postAmount(10),
    expect: invalid('INVALID_AMOUNT'),
  },
  {
    name: 'amount true (a boolean for Money)',
    send: () => postAmount(true),
    expect: invalid('INVALID_AMOUNT'),
  },
  {
    name: 'amount: 10 as a literal in the document',
    send: () =>
      gql(
        `mutation { postTransaction(input: { id: "${randomUUID()}", unitCode: "CWC", entries: [
          { accountId: "${fx.alice}", side: DEBIT, amount: 10 }, { accountId: "${fx.bob}", side: CREDIT, amount: "10" }
        ] }) { replayed } }`,
      ),
    expect: invalid('INVALID_AMOUNT'),
  },
  {
    name: 'openAccount: creditLimit 100 (a number)',
    send: () => openAccountWith({ creditLimit: 100 }),
    expect: invalid('INVALID_AMOUNT'),
  },
  {
    name: 'account(id: {…}) (an object for ID)',
    send: () => gql(READ_ACCOUNT, { id: { $ne: null } }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'unitCode ["CWC"] (an array for String)',
    send: () => postTransfer({ unitCode: ['CWC'] }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'id null (null for ID!)',
    send: () => postTransfer({ id: null }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'memo null (null for a String! with a default)',
    send: () => postTransfer({ memo: null }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'missing required field (entries)',
    send: () => {
      const input: Partial<ReturnType<typeof transfer>> = transfer(fx.alice, fx.bob, '1');
      delete input.entries;
      return gql(POST_TRANSACTION, { input });
    },
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'side 1 (a number for an enum)',
    send: () =>
      postEntries((c) => [
        { accountId: c.alice, side: 1, amount: '1' },
        { accountId: c.bob, side: 'CREDIT', amount: '1' },
      ]),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'side "SIDEWAYS" (unknown enum value)',
    send: () =>
      postEntries((c) => [
        { accountId: c.alice, side: 'SIDEWAYS', amount: '1' },
        { accountId: c.bob, side: 'CREDIT', amount: '1' },
      ]),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'openAccount: kind "PERSON" (unknown enum value)',
    send: () => openAccountWith({ kind: 'PERSON' }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'entries as one object (GraphQL makes it a list of one)',
    send: () => postEntries((c) => ({ accountId: c.alice, side: 'DEBIT', amount: '1' })),
    expect: invalid('TOO_FEW_ENTRIES'),
  },
  {
    name: 'metadata value 5 (a number for String)',
    send: () => postTransfer({ metadata: [{ key: 'k', value: 5 }] }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'metadata as a map instead of key/value entries',
    send: () => postTransfer({ metadata: { note: 'v' } }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'accounts(first: "10") (a string for Int)',
    send: () => gql('query($first: Int!) { accounts(first: $first) { edges { cursor } } }', { first: '10' }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'variables as a string',
    send: () => send({ query: '{ units { code } }', variables: '{"a":1}' }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'missing variable for a non-null argument',
    send: () => gql(READ_ACCOUNT, {}),
    expect: invalid('INVALID_REQUEST'),
  },
];

runCatalogue('wrong types', CASES);
