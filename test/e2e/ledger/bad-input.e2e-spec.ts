/**
 * Goal: every malformed or impossible request gets a typed answer from the closed set of error codes with a
 * stable reason, never INTERNAL_SERVER_ERROR and never a stack trace, and changes nothing (a refusal that
 * depends on the ledger's state is recorded against its id, and only that). SQL text in user input is data.
 * Method: a table-driven catalogue of bad requests sent over HTTP to the real service on its own PostgreSQL
 * database; each mutation compares app.snapshot() before and after; after every test the books-balance
 * check runs.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ERROR_CODES } from '../../../src/kernel/errors/domain-error.js';
import { TestApp } from '../setup/test-app.js';
import {
  ACCOUNT,
  PLACE_HOLD,
  POST_TRANSACTION,
  TRANSACTION_FIELDS,
  createUnit,
  openAccount,
  transfer,
} from './ledger-fixtures.js';

const CREATE_UNIT = `mutation($input: CreateUnitInput!) { createUnit(input: $input) { code } }`;
const OPEN_ACCOUNT = `mutation($input: OpenAccountInput!) { openAccount(input: $input) { id } }`;
const SET_LIMITS = `mutation($input: SetAccountLimitsInput!) { setAccountLimits(input: $input) { id version } }`;
const TRANSACTION = `query($id: ID!) { transaction(id: $id) { ${TRANSACTION_FIELDS} } }`;
const UNIT = `query($code: String!) { unit(code: $code) { code } }`;

const CLOSED_SET: readonly string[] = [
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'CONFLICT',
  'INSUFFICIENT_FUNDS',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
];

interface Context {
  alice: string;
  bob: string;
  hours: string;
  /** The steward's federation: the issuer of the units and the holder of the accounts. */
  organization: string;
}

interface BadRequest {
  readonly name: string;
  readonly query: string;
  readonly variables: (context: Context) => Record<string, unknown>;
  readonly code: string;
  readonly reason: string;
  /** A mutation's refusal that depends on the ledger's state is recorded against its id (one outcome). */
  readonly recorded?: boolean;
  /** Queries change nothing by nature; a mutation is also checked against the snapshot. */
  readonly mutation?: boolean;
}

type Snapshot = Record<string, unknown>;

const post = (
  name: string,
  build: (context: Context) => Record<string, unknown>,
  code: string,
  reason: string,
  recorded = false,
): BadRequest => ({
  name: `postTransaction: ${name}`,
  query: POST_TRANSACTION,
  variables: (context) => ({ input: build(context) }),
  code,
  reason,
  recorded,
  mutation: true,
});

const withAmount = (amount: unknown) => (context: Context) => ({
  ...transfer(context.alice, context.bob, '1'),
  entries: [
    { accountId: context.alice, side: 'DEBIT', amount },
    { accountId: context.bob, side: 'CREDIT', amount },
  ],
});

const CATALOGUE: readonly BadRequest[] = [
  // Amounts.
  post('amount "0"', withAmount('0'), 'VALIDATION_FAILED', 'AMOUNT_NOT_POSITIVE'),
  post(
    'effectiveAt "yesterday"',
    (c) => transfer(c.alice, c.bob, '1', { effectiveAt: 'yesterday' }),
    'VALIDATION_FAILED',
    'INVALID_DATE',
  ),
  post('amount "-5"', withAmount('-5'), 'VALIDATION_FAILED', 'AMOUNT_NOT_POSITIVE'),
  post('amount "1.5"', withAmount('1.5'), 'VALIDATION_FAILED', 'INVALID_AMOUNT'),
  post('amount "abc"', withAmount('abc'), 'VALIDATION_FAILED', 'INVALID_AMOUNT'),
  post('amount "" (empty)', withAmount(''), 'VALIDATION_FAILED', 'INVALID_AMOUNT'),
  post('amount "007" (not canonical)', withAmount('007'), 'VALIDATION_FAILED', 'INVALID_AMOUNT'),
  post('amount 10 (a JSON number, not a string)', withAmount(10), 'VALIDATION_FAILED', 'INVALID_AMOUNT'),
  post(
    'amount "9999999999999999999" (over int64)',
    withAmount('9999999999999999999'),
    'VALIDATION_FAILED',
    'AMOUNT_OUT_OF_RANGE',
  ),
  post(
    'amount "99999999999999999999" (20 digits, over int64)',
    withAmount('99999999999999999999'),
    'VALIDATION_FAILED',
    'AMOUNT_OUT_OF_RANGE',
  ),
  post(
    'amount "1000000000000001" (over MAX_ENTRY_AMOUNT)',
    withAmount('1000000000000001'),
    'VALIDATION_FAILED',
    'AMOUNT_TOO_LARGE',
  ),
  // Units and accounts.
  post('unknown unit', (c) => transfer(c.alice, c.bob, '1', { unitCode: 'NOPE' }), 'NOT_FOUND', 'UNIT_NOT_FOUND', true),
  post('account in another unit', (c) => transfer(c.alice, c.hours, '1'), 'VALIDATION_FAILED', 'UNIT_MISMATCH', true),
  post('unknown account', (c) => transfer(c.alice, randomUUID(), '1'), 'NOT_FOUND', 'ACCOUNT_NOT_FOUND', true),
  post('same account on both sides', (c) => transfer(c.alice, c.alice, '1'), 'VALIDATION_FAILED', 'SAME_ACCOUNT_TWICE'),
  post('malformed account id', (c) => transfer(c.alice, 'not-a-uuid', '1'), 'VALIDATION_FAILED', 'INVALID_ID'),
  // Entries.
  post(
    'one entry',
    (c) => ({ ...transfer(c.alice, c.bob, '1'), entries: [{ accountId: c.alice, side: 'DEBIT', amount: '1' }] }),
    'VALIDATION_FAILED',
    'TOO_FEW_ENTRIES',
  ),
  post(
    'no entries',
    (c) => ({ ...transfer(c.alice, c.bob, '1'), entries: [] }),
    'VALIDATION_FAILED',
    'TOO_FEW_ENTRIES',
  ),
  post(
    '65 entries',
    (c) => ({
      ...transfer(c.alice, c.bob, '1'),
      entries: [
        { accountId: c.alice, side: 'DEBIT', amount: '64' },
        ...Array.from({ length: 64 }, () => ({ accountId: randomUUID(), side: 'CREDIT', amount: '1' })),
      ],
    }),
    'VALIDATION_FAILED',
    'TOO_MANY_ENTRIES',
  ),
  post(
    'unbalanced',
    (c) => ({
      ...transfer(c.alice, c.bob, '1'),
      entries: [
        { accountId: c.alice, side: 'DEBIT', amount: '100' },
        { accountId: c.bob, side: 'CREDIT', amount: '90' },
      ],
    }),
    'VALIDATION_FAILED',
    'UNBALANCED',
  ),
  post(
    'only debits',
    (c) => ({
      ...transfer(c.alice, c.bob, '1'),
      entries: [
        { accountId: c.alice, side: 'DEBIT', amount: '1' },
        { accountId: c.bob, side: 'DEBIT', amount: '1' },
      ],
    }),
    'VALIDATION_FAILED',
    'ONE_SIDED',
  ),
  // Text, metadata, ids and kinds.
  post(
    'memo of 501 characters',
    (c) => transfer(c.alice, c.bob, '1', { memo: 'm'.repeat(501) }),
    'VALIDATION_FAILED',
    'MEMO_TOO_LONG',
  ),
  post(
    '33 metadata keys',
    (c) =>
      transfer(c.alice, c.bob, '1', { metadata: Array.from({ length: 33 }, (_, i) => ({ key: `k${i}`, value: 'v' })) }),
    'VALIDATION_FAILED',
    'METADATA_TOO_LARGE',
  ),
  post(
    'metadata value of 501 characters',
    (c) => transfer(c.alice, c.bob, '1', { metadata: [{ key: 'note', value: 'v'.repeat(501) }] }),
    'VALIDATION_FAILED',
    'METADATA_TOO_LARGE',
  ),
  post(
    'metadata key with a space',
    (c) => transfer(c.alice, c.bob, '1', { metadata: [{ key: 'bad key', value: 'v' }] }),
    'VALIDATION_FAILED',
    'INVALID_METADATA',
  ),
  post(
    'transaction id "not-a-uuid"',
    (c) => transfer(c.alice, c.bob, '1', { id: 'not-a-uuid' }),
    'VALIDATION_FAILED',
    'INVALID_ID',
  ),
  post(
    'kind "lowercase"',
    (c) => transfer(c.alice, c.bob, '1', { kind: 'lowercase' }),
    'VALIDATION_FAILED',
    'INVALID_KIND',
  ),
  post(
    'kind of 33 characters',
    (c) => transfer(c.alice, c.bob, '1', { kind: 'K'.repeat(33) }),
    'VALIDATION_FAILED',
    'INVALID_KIND',
  ),
  // GraphQL itself: unknown enum values, missing fields, wrong types, wrong variables.
  post(
    'side "SIDEWAYS" (unknown enum value)',
    (c) => ({
      ...transfer(c.alice, c.bob, '1'),
      entries: [
        { accountId: c.alice, side: 'SIDEWAYS', amount: '1' },
        { accountId: c.bob, side: 'CREDIT', amount: '1' },
      ],
    }),
    'VALIDATION_FAILED',
    'INVALID_REQUEST',
  ),
  post(
    'missing required field (entries)',
    (c) => {
      const input: Partial<ReturnType<typeof transfer>> = transfer(c.alice, c.bob, '1');
      delete input.entries;
      return input;
    },
    'VALIDATION_FAILED',
    'INVALID_REQUEST',
  ),
  post(
    'missing required field (id)',
    (c) => ({ ...transfer(c.alice, c.bob, '1'), id: null }),
    'VALIDATION_FAILED',
    'INVALID_REQUEST',
  ),
  post(
    'unknown input field',
    (c) => transfer(c.alice, c.bob, '1', { currency: 'EUR' }),
    'VALIDATION_FAILED',
    'INVALID_REQUEST',
  ),
  // Holds.
  {
    name: 'placeHold: timeoutSeconds 0',
    query: PLACE_HOLD,
    variables: (c) => ({ input: transfer(c.alice, c.bob, '1', { timeoutSeconds: 0 }) }),
    code: 'VALIDATION_FAILED',
    reason: 'INVALID_TIMEOUT',
    mutation: true,
  },
  {
    name: 'placeHold: amount "-1"',
    query: PLACE_HOLD,
    variables: (c) => ({ input: withAmount('-1')(c) }),
    code: 'VALIDATION_FAILED',
    reason: 'AMOUNT_NOT_POSITIVE',
    mutation: true,
  },
  {
    name: 'placeHold: same account twice',
    query: PLACE_HOLD,
    variables: (c) => ({ input: transfer(c.bob, c.bob, '1') }),
    code: 'VALIDATION_FAILED',
    reason: 'SAME_ACCOUNT_TWICE',
    mutation: true,
  },
  {
    name: 'placeHold: past the credit limit',
    query: PLACE_HOLD,
    variables: (c) => ({ input: transfer(c.bob, c.alice, '1') }),
    code: 'INSUFFICIENT_FUNDS',
    reason: 'CREDIT_LIMIT_EXCEEDED',
    recorded: true,
    mutation: true,
  },
  // createUnit.
  ...(
    [
      ['issuerId "not-a-uuid"', { issuerId: 'not-a-uuid' }, 'VALIDATION_FAILED', 'INVALID_INPUT'],
      ['empty issuerId', { issuerId: '' }, 'VALIDATION_FAILED', 'INVALID_INPUT'],
    ] as const
  ).map(([name, override, code, reason]): BadRequest => ({
    name: `createUnit: ${name}`,
    query: CREATE_UNIT,
    variables: (c) => {
      // Valid terms (the steward's federation may issue units), then the one bad field.
      const valid: Record<string, unknown> = {
        code: 'NEW',
        name: 'New unit',
        kind: 'CREDIT',
        scale: 2,
        issuerId: c.organization,
      };
      return { input: { ...valid, ...override } };
    },
    code,
    reason,
    mutation: true,
  })),
  // openAccount.
  ...(
    [
      ['malformed id', { id: 'not-a-uuid' }, 'VALIDATION_FAILED', 'INVALID_INPUT'],
      ['unknown unit', { unitCode: 'NOPE' }, 'NOT_FOUND', 'UNIT_NOT_FOUND'],
      ['unit code of one character', { unitCode: 'X' }, 'VALIDATION_FAILED', 'INVALID_INPUT'],
      ['holderId "not-a-uuid"', { holderId: 'not-a-uuid' }, 'VALIDATION_FAILED', 'INVALID_INPUT'],
      ['empty holderId', { holderId: '' }, 'VALIDATION_FAILED', 'INVALID_INPUT'],
      [
        "unknown holderId, as the issuer's treasurer (with a credit line)",
        { holderId: randomUUID(), creditLimit: '100' },
        'NOT_FOUND',
        'HOLDER_NOT_FOUND',
      ],
      ['name of 101 characters', { name: 'n'.repeat(101) }, 'VALIDATION_FAILED', 'INVALID_INPUT'],
      ['kind "PERSON" (unknown enum value)', { kind: 'PERSON' }, 'VALIDATION_FAILED', 'INVALID_REQUEST'],
      ['creditLimit "1.5"', { creditLimit: '1.5' }, 'VALIDATION_FAILED', 'INVALID_AMOUNT'],
      ['creditLimit 100 (a number)', { creditLimit: 100 }, 'VALIDATION_FAILED', 'INVALID_AMOUNT'],
    ] as const
  ).map(([name, override, code, reason]): BadRequest => ({
    name: `openAccount: ${name}`,
    query: OPEN_ACCOUNT,
    variables: (c) => ({
      input: {
        unitCode: 'CWC',
        holderId: c.organization,
        name: 'Test',
        kind: 'MEMBER',
        creditLimit: '0',
        ...override,
      },
    }),
    code,
    reason,
    mutation: true,
  })),
  // setAccountLimits.
  {
    name: 'setAccountLimits: malformed account id',
    query: SET_LIMITS,
    variables: () => ({ input: { accountId: 'not-a-uuid', creditLimit: '0' } }),
    code: 'VALIDATION_FAILED',
    reason: 'INVALID_ID',
    mutation: true,
  },
  {
    name: 'setAccountLimits: unknown account',
    query: SET_LIMITS,
    variables: () => ({ input: { accountId: randomUUID(), creditLimit: '0' } }),
    code: 'NOT_FOUND',
    reason: 'ACCOUNT_NOT_FOUND',
    mutation: true,
  },
  {
    name: 'setAccountLimits: negative credit limit',
    query: SET_LIMITS,
    variables: (c) => ({ input: { accountId: c.alice, creditLimit: '-5' } }),
    code: 'VALIDATION_FAILED',
    reason: 'LIMIT_NEGATIVE',
    mutation: true,
  },
  {
    name: 'setAccountLimits: reason of 501 characters',
    query: SET_LIMITS,
    variables: (c) => ({ input: { accountId: c.alice, creditLimit: '5', reason: 'r'.repeat(501) } }),
    code: 'VALIDATION_FAILED',
    reason: 'INVALID_INPUT',
    mutation: true,
  },
  {
    name: 'setAccountLimits: creditLimit "abc"',
    query: SET_LIMITS,
    variables: (c) => ({ input: { accountId: c.alice, creditLimit: 'abc' } }),
    code: 'VALIDATION_FAILED',
    reason: 'INVALID_AMOUNT',
    mutation: true,
  },
  // Queries.
  {
    name: 'account: malformed id',
    query: ACCOUNT,
    variables: () => ({ id: 'not-a-uuid' }),
    code: 'VALIDATION_FAILED',
    reason: 'INVALID_ID',
  },
  {
    name: 'account: unknown id',
    query: ACCOUNT,
    variables: () => ({ id: randomUUID() }),
    code: 'NOT_FOUND',
    reason: 'ACCOUNT_NOT_FOUND',
  },
  {
    name: 'account: missing variable',
    query: ACCOUNT,
    variables: () => ({}),
    code: 'VALIDATION_FAILED',
    reason: 'INVALID_REQUEST',
  },
  {
    name: 'account: unknown field',
    query: `query($id: ID!) { account(id: $id) { id secretBalance } }`,
    variables: (c) => ({ id: c.alice }),
    code: 'VALIDATION_FAILED',
    reason: 'INVALID_REQUEST',
  },
  {
    name: 'syntax error',
    query: `query($id: ID!) { account(id: $id) { id `,
    variables: (c) => ({ id: c.alice }),
    code: 'VALIDATION_FAILED',
    reason: 'INVALID_REQUEST',
  },
  {
    name: 'unknown root field',
    query: `{ dropEverything }`,
    variables: () => ({}),
    code: 'VALIDATION_FAILED',
    reason: 'INVALID_REQUEST',
  },
  {
    name: 'unit: SQL injection in a code is just an unknown code',
    query: UNIT,
    variables: () => ({ code: `CWC' OR '1'='1` }),
    code: 'NOT_FOUND',
    reason: 'UNIT_NOT_FOUND',
  },
];

describe('bad input', () => {
  let app: TestApp;
  const context: Context = { alice: '', bob: '', hours: '', organization: '' };

  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(async () => {
    await app.truncate();
    context.organization = app.steward.organizationId;
    await createUnit(app);
    await createUnit(app, 'HOUR', 'HOURS', 0);
    context.alice = await openAccount(app, { creditLimit: '1000' });
    context.bob = await openAccount(app);
    context.hours = await openAccount(app, { unitCode: 'HOUR' });
  });
  afterEach(async () => {
    await app.assertBooksBalance();
  });

  async function snapshotOf(): Promise<Snapshot> {
    return (JSON.parse(await app.snapshot()) as [{ snapshot: Snapshot }])[0].snapshot;
  }

  /** The raw HTTP answer (sent as the steward), so that the whole body can be searched for a stack trace. */
  async function send(query: string, variables: Record<string, unknown>) {
    const response = await request(app.app.getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${app.steward.token}`)
      .send({ query, variables });
    const body = JSON.parse(response.text) as {
      data?: unknown;
      errors?: { message: string; extensions?: { code?: string; details?: { reason?: string } } }[];
    };
    return { status: response.status, text: response.text, body };
  }

  it('answers a request that is not GraphQL at all with a typed client error and no stack', async () => {
    const response = await request(app.app.getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${app.steward.token}`)
      .send({ query: 42 });
    expect(response.text).not.toMatch(/stack/i);
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { reason: 'INVALID_REQUEST' },
    });
  });

  it('has a catalogue of at least 30 bad requests', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CATALOGUE.map((bad) => bad.name)).size).toBe(CATALOGUE.length);
    expect([...ERROR_CODES].sort()).toEqual([...CLOSED_SET].sort());
  });

  it.each(CATALOGUE.map((bad) => [bad.name, bad] as const))('%s', async (_name, bad) => {
    const before = await snapshotOf();
    const { text, body } = await send(bad.query, bad.variables(context));

    expect(body.errors).toBeDefined();
    expect(body.errors!.length).toBeGreaterThanOrEqual(1);
    const [first] = body.errors!;
    expect({ code: first?.extensions?.code, reason: first?.extensions?.details?.reason }).toEqual({
      code: bad.code,
      reason: bad.reason,
    });
    for (const error of body.errors!) {
      expect(CLOSED_SET).toContain(error.extensions?.code);
      expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
      expect(typeof error.extensions?.details?.reason).toBe('string');
    }
    expect(text).not.toMatch(/stack/i);
    expect(text).not.toMatch(/QueryFailedError|node_modules|\.ts:\d+/);

    const after = await snapshotOf();
    if (bad.recorded === true) {
      expect({ ...after, outcomes: 0 }).toEqual({ ...before, outcomes: 0 });
      expect(Number(after['outcomes'])).toBe(Number(before['outcomes']) + 1);
    } else {
      expect(after).toEqual(before);
    }
  });

  it('stores SQL-injection text in memo and metadata verbatim, and it does no harm', async () => {
    const memo = `Robert'); DROP TABLE entry; -- \\ " $1 %s € ✓`;
    const metadata = [
      { key: 'note', value: `' OR 1=1; DELETE FROM account WHERE ''='` },
      { key: 'sql:comment', value: '/* */ ; TRUNCATE unit CASCADE; --' },
    ];
    const input = transfer(context.alice, context.bob, '7', { memo, metadata });
    const posted = await app.ok(POST_TRANSACTION, { input });
    expect(posted.postTransaction.transaction.memo).toBe(memo);

    const read = await app.ok(TRANSACTION, { id: input.id });
    expect(read.transaction.memo).toBe(memo);
    expect(read.transaction.metadata).toEqual(expect.arrayContaining(metadata));
    expect(read.transaction.metadata).toHaveLength(2);

    const rows: { memo: string }[] = await app.dataSource.query('SELECT memo FROM ledger_transaction WHERE id = $1', [
      input.id,
    ]);
    expect(rows).toEqual([{ memo }]);
    const counts = await snapshotOf();
    expect(counts).toMatchObject({ entries: 2, transactions: 1, units: 2 });
    expect((counts['accounts'] as unknown[]).length).toBe(3);
  });
});
