/**
 * Goal: the running service refuses documents that are too deep, have too many aliases or cost too much,
 * refuses introspection when GRAPHQL_INTROSPECTION is off, runs batches of up to 10 operations (each with
 * errors in the API shape) and refuses larger or malformed batches, and stays healthy after all of it.
 * Method: the real service over HTTP; only documents that need no data or fail validation (which comes
 * before anything else runs), so that no assertion depends on the ledger's contents or on authentication.
 */
import request from 'supertest';
import { TestApp } from '../setup/test-app.js';

/** `transaction(id) { references { … { id } } }`: `depth` fields deep in all. */
function deepQuery(depth: number): string {
  return `{ transaction(id: "t") { ${'references { '.repeat(depth - 2)}id${' }'.repeat(depth - 2)} } }`;
}

/** Fifteen pages of 200 accounts: 15 × (1 + 200 × (edges, cursor, node, id, pageInfo, hasNextPage, endCursor)). */
const COSTLY_QUERY = `query Costly { ${Array.from(
  { length: 15 },
  (_, page) => `page${page}: accounts(first: 200) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } }`,
).join(' ')} }`;

/** The errors for one reason: the limits are checked beside graphql's own rules, and reported with them. */
function withReason(response: { errors?: readonly ResponseError[] | undefined }, reason: string): ResponseError[] {
  return (response.errors ?? []).filter((error) => error.extensions.details['reason'] === reason);
}

interface ResponseError {
  message: string;
  extensions: { code: string; details: Record<string, unknown> };
}

interface BatchResult {
  data: Record<string, unknown> | null;
  errors?: ResponseError[];
}

async function postBatch(app: TestApp, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await request(app.app.getHttpServer())
    .post('/graphql')
    .set('content-type', 'application/json')
    .send(body as object);
  return { status: response.status, body: response.body as unknown };
}

describe('query limits', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start({ GRAPHQL_INTROSPECTION: 'true' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers a plain query', async () => {
    expect(await app.graphql('{ __typename }')).toEqual({
      status: 200,
      data: { __typename: 'Query' },
      errors: undefined,
    });
  });

  it('allows introspection when GRAPHQL_INTROSPECTION=true', async () => {
    expect(await app.ok('{ __schema { queryType { name } } }')).toEqual({
      __schema: { queryType: { name: 'Query' } },
    });
  });

  it('refuses a query nested deeper than 15: QUERY_TOO_DEEP, with the limit and the depth', async () => {
    const response = await app.graphql(deepQuery(16));
    expect(response.data).toBeNull();
    expect(withReason(response, 'QUERY_TOO_DEEP')).toEqual([
      {
        message: 'The operation nests fields 16 deep; the limit is 15.',
        locations: [{ line: 1, column: 1 }],
        extensions: { code: 'VALIDATION_FAILED', details: { reason: 'QUERY_TOO_DEEP', limit: 15, actual: 16 } },
      },
    ]);
    expect(response.status).toBe(200);
  });

  it('refuses more than 30 aliases: TOO_MANY_ALIASES', async () => {
    const aliases = Array.from({ length: 31 }, (_, index) => `u${index}: units { code }`).join(' ');
    const response = await app.graphql(`{ ${aliases} }`);
    expect(response.data).toBeNull();
    expect(withReason(response, 'TOO_MANY_ALIASES').map((error) => error.extensions)).toEqual([
      { code: 'VALIDATION_FAILED', details: { reason: 'TOO_MANY_ALIASES', limit: 30, actual: 31 } },
    ]);
  });

  it('refuses a query estimated to cost more than 20,000: QUERY_TOO_COSTLY', async () => {
    const response = await app.graphql(COSTLY_QUERY);
    expect(response.data).toBeNull();
    expect(withReason(response, 'QUERY_TOO_COSTLY').map((error) => error.extensions)).toEqual([
      { code: 'VALIDATION_FAILED', details: { reason: 'QUERY_TOO_COSTLY', limit: 20_000, actual: 21_015 } },
    ]);
  });

  it('reports every limit a document breaks, with graphql-js errors as INVALID_REQUEST beside them', async () => {
    const aliases = Array.from({ length: 31 }, (_, index) => `u${index}: units { code }`).join(' ');
    const response = await app.graphql(`{ ${aliases} nope }`);
    expect(response.errors?.map((error) => error.extensions.details.reason).sort()).toEqual([
      'INVALID_REQUEST',
      'TOO_MANY_ALIASES',
    ]);
  });

  describe('batches', () => {
    it('runs a batch of 2 and answers an array of 2 results', async () => {
      const response = await postBatch(app, [{ query: '{ __typename }' }, { query: 'query Named { __typename }' }]);
      expect(response).toEqual({
        status: 200,
        body: [{ data: { __typename: 'Query' } }, { data: { __typename: 'Query' } }],
      });
    });

    it('shapes the errors of each operation of a batch like those of a single one', async () => {
      const response = await postBatch(app, [
        { query: '{ __typename }' },
        { query: deepQuery(16) },
        { query: '{ nope }' },
      ]);
      expect(response.status).toBe(200);
      const [ok, deep, unknown] = response.body as BatchResult[];
      expect(ok).toEqual({ data: { __typename: 'Query' } });
      expect(deep?.data).toBeNull();
      expect(withReason(deep ?? {}, 'QUERY_TOO_DEEP').map((error) => error.extensions)).toEqual([
        { code: 'VALIDATION_FAILED', details: { reason: 'QUERY_TOO_DEEP', limit: 15, actual: 16 } },
      ]);
      expect(unknown?.errors?.map((error) => error.extensions)).toEqual([
        { code: 'VALIDATION_FAILED', details: { reason: 'INVALID_REQUEST' } },
      ]);
    });

    it('runs a batch of 10', async () => {
      const response = await postBatch(
        app,
        Array.from({ length: 10 }, () => ({ query: '{ __typename }' })),
      );
      expect(response.status).toBe(200);
      expect(response.body).toHaveLength(10);
    });

    it('refuses a batch of 11: TOO_MANY_OPERATIONS', async () => {
      const response = await postBatch(
        app,
        Array.from({ length: 11 }, () => ({ query: '{ __typename }' })),
      );
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        data: null,
        errors: [
          {
            message: 'A batch may hold at most 10 operations, got 11',
            extensions: {
              code: 'VALIDATION_FAILED',
              details: { reason: 'TOO_MANY_OPERATIONS', limit: 10, actual: 11 },
            },
          },
        ],
      });
    });

    it.each([
      ['an empty batch', []],
      ['a batch with a query that is not a string', [{ query: '{ __typename }' }, { query: 42 }]],
      ['a batch with an item that is not an object', [{ query: '{ __typename }' }, '{ __typename }']],
      ['a batch with an item without a query', [{ query: '{ __typename }' }, {}]],
    ])('refuses %s: INVALID_REQUEST', async (_name, body) => {
      const response = await postBatch(app, body);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        data: null,
        errors: [{ extensions: { code: 'VALIDATION_FAILED', details: { reason: 'INVALID_REQUEST' } } }],
      });
    });
  });

  it('still answers GET /health after all that', async () => {
    const response = await request(app.app.getHttpServer()).get('/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok' });
  });
});

describe('query limits with GRAPHQL_INTROSPECTION=false', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start({ GRAPHQL_INTROSPECTION: 'false' });
  });
  afterAll(async () => {
    await app.close();
  });

  it.each([
    ['__schema', '{ __schema { queryType { name } } }'],
    ['__type', '{ __type(name: "Query") { name } }'],
  ])('refuses %s: INTROSPECTION_DISABLED', async (field, query) => {
    const response = await app.graphql(query);
    expect(response.data).toBeNull();
    expect(response.errors).toEqual([
      {
        message: `Introspection is disabled; the query asks for "${field}".`,
        locations: [{ line: 1, column: 3 }],
        extensions: { code: 'VALIDATION_FAILED', details: { reason: 'INTROSPECTION_DISABLED' } },
      },
    ]);
  });

  it('still answers __typename', async () => {
    expect(await app.ok('{ __typename }')).toEqual({ __typename: 'Query' });
  });
});
