/**
 * Goal: the GraphQL document is checked before anything runs. Queries past the limits (depth 15, 30 aliases,
 * an estimated cost of 20 000, 10 000 tokens, fragment bombs and cycles) and documents that are wrong
 * (unknown fields, arguments and input fields, no such operation, a subscription, a syntax error, a mutation
 * over GET) are refused with a typed VALIDATION_FAILED and change nothing; hostile text in a variable stays a
 * string, so it is at most an unknown name.
 * Method: the bad-input catalogue (catalogue.ts): each case's raw request to the real service on its own
 * database, the snapshot of every table before and after, a leak scan of the answer, GET /health after it.
 */
import { randomUUID } from 'node:crypto';
import { transfer } from '../ledger/ledger-fixtures.js';
import {
  GRAPHQL_BREAKOUT,
  SQL_DROP,
  fx,
  gql,
  group,
  invalid,
  postTransfer,
  refused,
  runCatalogue,
  send,
  type Case,
} from './catalogue.js';

/** `transaction(id) { references { … { id } } }`: `depth` fields deep in all. */
function deepQuery(depth: number): string {
  return `{ transaction(id: "t") { ${'references { '.repeat(depth - 2)}id${' }'.repeat(depth - 2)} } }`;
}

/** A query of `count` aliases of `field`. */
function aliases(count: number, field = 'units { code }'): string {
  return `{ ${Array.from({ length: count }, (_, index) => `a${index}: ${field}`).join(' ')} }`;
}

const QUERY_SHAPE_AND_LIMITS: readonly Case[] = [
  {
    name: 'a query 16 deep',
    send: () => gql(deepQuery(16)),
    expect: invalid('QUERY_TOO_DEEP'),
  },
  {
    name: 'a query 1000 deep',
    send: () => gql(deepQuery(1000)),
    expect: invalid('QUERY_TOO_DEEP'),
  },
  {
    name: 'a wide query: 15 pages of 200 accounts',
    send: () =>
      gql(
        `{ ${Array.from(
          { length: 15 },
          (_, page) =>
            `p${page}: accounts(first: 200) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } }`,
        ).join(' ')} }`,
      ),
    expect: invalid('QUERY_TOO_COSTLY'),
  },
  {
    name: 'a fragment bomb: 30 fragments each spreading the next twice',
    send: () =>
      gql(
        `{ ...F0 } ${Array.from({ length: 30 }, (_, i) =>
          i === 29
            ? `fragment F${i} on Query { units { code } }`
            : `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
        ).join(' ')}`,
      ),
    expect: invalid('QUERY_TOO_COSTLY'),
  },
  {
    name: '31 aliases',
    send: () => gql(aliases(31)),
    expect: invalid('TOO_MANY_ALIASES'),
  },
  {
    name: '3000 aliases of __typename',
    send: () => gql(aliases(3000, '__typename')),
    expect: invalid('TOO_MANY_ALIASES'),
  },
  {
    name: '31 aliased postTransaction mutations (none runs)',
    send: () =>
      gql(
        `mutation($input: PostTransactionInput!) { ${Array.from(
          { length: 31 },
          (_, i) => `m${i}: postTransaction(input: $input) { replayed }`,
        ).join(' ')} }`,
        { input: transfer(fx.alice, fx.bob, '1') },
      ),
    expect: invalid('TOO_MANY_ALIASES'),
  },
  {
    name: 'more than 10000 tokens',
    send: () => gql(`{ ${'__typename '.repeat(10_001)}}`),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'a fragment cycle',
    send: () => gql('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }'),
    expect: invalid('INVALID_REQUEST'),
  },
];

const GRAPHQL_DOCUMENT: readonly Case[] = [
  {
    name: 'unknown field',
    send: () => gql(`{ account(id: "${randomUUID()}") { id secretBalance } }`),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'unknown argument',
    send: () => gql('{ units(includeDeleted: true) { code } }'),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'unknown input field',
    send: () => postTransfer({ currency: 'EUR' }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'unknown field of __schema',
    send: () => gql('{ __schema { secrets } }'),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: '__type of a type that does not exist: null, harmlessly',
    send: () => gql('{ __type(name: "Password") { name fields { name } } }'),
    expect: {
      accepted: async (sent, before) => {
        expect(sent.body).toEqual({ data: { __type: null } });
        expect(await fx.app.snapshot()).toEqual(before);
      },
    },
  },
  {
    name: 'operationName that names no operation',
    send: () => send({ query: 'query A { units { code } } query B { me { scopes } }', operationName: 'C' }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'two operations and no operationName',
    send: () => send({ query: 'query A { units { code } } mutation B { logout }' }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'a subscription (the schema has none)',
    send: () => gql('subscription { units { code } }'),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'unknown root field',
    send: () => gql('{ dropEverything }'),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'a syntax error',
    send: () => gql('{ units { code '),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'a syntax error in a query with variables',
    send: () => gql('query($id: ID!) { account(id: $id) { id ', { id: fx.alice }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'a mutation over GET',
    send: () =>
      send(undefined, {
        method: 'GET',
        url: `/graphql?query=${encodeURIComponent(`mutation { postTransaction(input: { id: "${randomUUID()}", unitCode: "CWC", entries: [] }) { replayed } }`)}`,
      }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'GraphQL in a variable stays a string (unit code)',
    send: () => gql('query($code: String!) { unit(code: $code) { code } }', { code: GRAPHQL_BREAKOUT }),
    expect: refused('NOT_FOUND', 'UNIT_NOT_FOUND'),
  },
  {
    name: 'SQL in an organisation slug',
    send: () => gql('query($slug: String) { organization(slug: $slug) { id } }', { slug: SQL_DROP }),
    expect: refused('NOT_FOUND', 'ORGANIZATION_NOT_FOUND'),
  },
  {
    name: 'SQL in a unit code is just an unknown code',
    send: () => gql('query($code: String!) { unit(code: $code) { code } }', { code: `CWC' OR '1'='1` }),
    expect: refused('NOT_FOUND', 'UNIT_NOT_FOUND'),
  },
];

runCatalogue('GraphQL', [
  ...group('query shape and limits', QUERY_SHAPE_AND_LIMITS),
  ...group('GraphQL document', GRAPHQL_DOCUMENT),
]);
