/**
 * Goal: every id is a UUID. An id that is not one (malformed, empty, a number, the nil UUID, a trailing
 * newline, SQL) in any operation's input or argument is refused with a typed VALIDATION_FAILED and changes
 * nothing.
 * Method: the bad-input catalogue (catalogue.ts): each case's raw request to the real service on its own
 * database, the snapshot of every table before and after, a leak scan of the answer, GET /health after it.
 */
import { randomUUID } from 'node:crypto';
import { transfer } from '../ledger/ledger-fixtures.js';
import {
  CREATE_UNIT,
  POST_TRANSACTION,
  READ_ACCOUNT,
  REVERSE_TRANSACTION,
  SET_ACCOUNT_LIMITS,
  fx,
  gql,
  invalid,
  openAccountWith,
  postTransfer,
  runCatalogue,
  type Case,
  type Sent,
} from './catalogue.js';

/** createUnit with valid terms (the steward's federation may issue units), changed by `override`. */
function createUnitWith(override: Record<string, unknown>): Promise<Sent> {
  return gql(CREATE_UNIT, {
    input: {
      code: 'NEW',
      name: 'New unit',
      kind: 'CREDIT',
      scale: 2,
      issuerId: fx.app.steward.organizationId,
      ...override,
    },
  });
}

const CASES: readonly Case[] = [
  {
    name: 'transaction id "not-a-uuid"',
    send: () => postTransfer({ id: 'not-a-uuid' }),
    expect: invalid('INVALID_ID'),
  },
  {
    name: 'accountId "not-a-uuid"',
    send: () => gql(POST_TRANSACTION, { input: transfer(fx.alice, 'not-a-uuid', '1') }),
    expect: invalid('INVALID_ID'),
  },
  {
    name: 'accountId with SQL in it',
    send: () => gql(POST_TRANSACTION, { input: transfer(fx.alice, `${randomUUID()}' OR '1'='1`, '1') }),
    expect: invalid('INVALID_ID'),
  },
  {
    name: 'account(id: "not-a-uuid")',
    send: () => gql(READ_ACCOUNT, { id: 'not-a-uuid' }),
    expect: invalid('INVALID_ID'),
  },
  {
    name: 'account(id: nil UUID)',
    send: () => gql(READ_ACCOUNT, { id: '00000000-0000-0000-0000-000000000000' }),
    expect: invalid('INVALID_ID'),
  },
  {
    name: 'transaction(id: UUID with a trailing newline)',
    send: () => gql('query($id: ID!) { transaction(id: $id) { id } }', { id: `${randomUUID()}\n` }),
    expect: invalid('INVALID_ID'),
  },
  {
    name: 'reverseTransaction of id 42',
    send: () => gql(REVERSE_TRANSACTION, { input: { id: randomUUID(), transactionId: 42 } }),
    expect: invalid('INVALID_ID'),
  },
  {
    name: 'setAccountLimits: accountId "not-a-uuid"',
    send: () => gql(SET_ACCOUNT_LIMITS, { input: { accountId: 'not-a-uuid', creditLimit: '0' } }),
    expect: invalid('INVALID_ID'),
  },
  {
    name: 'organization(id: "not-a-uuid")',
    send: () => gql('query($id: ID) { organization(id: $id) { id } }', { id: 'not-a-uuid' }),
    expect: invalid(),
  },
  {
    name: 'createUnit: issuerId "not-a-uuid"',
    send: () => createUnitWith({ issuerId: 'not-a-uuid' }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'createUnit: empty issuerId',
    send: () => createUnitWith({ issuerId: '' }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'openAccount: id "not-a-uuid"',
    send: () => openAccountWith({ id: 'not-a-uuid' }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'openAccount: holderId "not-a-uuid"',
    send: () => openAccountWith({ holderId: 'not-a-uuid' }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'openAccount: empty holderId',
    send: () => openAccountWith({ holderId: '' }),
    expect: invalid('INVALID_INPUT'),
  },
];

runCatalogue('ids', CASES);
