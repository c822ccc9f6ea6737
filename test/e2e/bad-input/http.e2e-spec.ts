/**
 * Goal: the HTTP request around the GraphQL document is checked too. Batches over 10 operations, empty or
 * with an item that is not an operation (then none runs), bodies that are not a GraphQL request (a number for
 * the query, null, a bare string), that are not JSON, empty, over 1 MiB or of another content type, and an
 * Authorization header of 100 KB are each refused with a typed error (Fastify's own for what never reaches
 * GraphQL) and the right HTTP status, and change nothing.
 * Method: the bad-input catalogue (catalogue.ts): each case's raw request, bytes and headers as the case
 * writes them, to the real service on its own database, the snapshot of every table before and after, a leak
 * scan of the answer, GET /health after it.
 */
import { transfer } from '../ledger/ledger-fixtures.js';
import { POST_TRANSACTION, fx, invalid, postTransfer, runCatalogue, send, type Case } from './catalogue.js';

const ONE_MIB = 1024 * 1024;

const CASES: readonly Case[] = [
  {
    name: 'a batch of 11 operations',
    send: () =>
      send(
        Array.from({ length: 11 }, () => ({
          query: POST_TRANSACTION,
          variables: { input: transfer(fx.alice, fx.bob, '1') },
        })),
      ),
    expect: invalid('TOO_MANY_OPERATIONS', { status: 400 }),
  },
  {
    name: 'an empty batch',
    send: () => send([]),
    expect: invalid('INVALID_REQUEST', { status: 400 }),
  },
  {
    name: 'a batch of a mutation and an item without a query (none runs)',
    send: () =>
      send([{ query: POST_TRANSACTION, variables: { input: transfer(fx.alice, fx.bob, '1') } }, { variables: {} }]),
    expect: invalid('INVALID_REQUEST', { status: 400 }),
  },
  {
    name: 'query 42 (a number)',
    send: () => send({ query: 42 }),
    expect: invalid('INVALID_REQUEST', { status: 400 }),
  },
  {
    name: 'the JSON body null',
    send: () => send('null'),
    expect: invalid('INVALID_REQUEST', { status: 400 }),
  },
  {
    name: 'the JSON body a bare string',
    send: () => send('"{ units { code } }"'),
    expect: invalid('INVALID_REQUEST', { status: 400 }),
  },
  {
    name: 'a body that is not JSON',
    send: () => send('{"query": "{ units { code } }",'),
    expect: invalid(undefined, { status: 400, plainHttp: true }),
  },
  {
    name: 'an empty body with content-type application/json',
    send: () => send(''),
    expect: invalid(undefined, { status: 400, plainHttp: true }),
  },
  {
    name: 'content-type application/xml',
    send: () => send('<query>{ units { code } }</query>', { contentType: 'application/xml' }),
    expect: invalid(undefined, { status: 415, plainHttp: true }),
  },
  {
    name: 'content-type text/plain',
    send: () => send('{ units { code } }', { contentType: 'text/plain' }),
    expect: invalid('INVALID_REQUEST', { status: 400 }),
  },
  {
    name: 'a body over 1 MiB (a transfer with a huge memo)',
    send: () => postTransfer({ memo: 'x'.repeat(ONE_MIB + 1024) }),
    expect: invalid(undefined, { status: 413, plainHttp: true }),
  },
  {
    name: 'an Authorization header of 100 KB',
    send: () => postTransfer({}, { authorization: `Bearer ${'a'.repeat(100_000)}` }),
    expect: invalid(undefined, { status: 431, plainHttp: true }),
  },
];

runCatalogue('HTTP body and headers', CASES);
