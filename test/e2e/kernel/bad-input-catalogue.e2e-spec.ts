/**
 * Goal: a catalogue of malformed and hostile requests (wrong types, huge numbers and number forms, decimals,
 * broken entries, bad ids and dates, oversized memo and metadata, NUL and invalid UTF-8, deep, wide and aliased
 * queries, documents over 10 000 tokens, batches, malformed and oversized bodies, wrong content types, forged
 * and expired tokens, replays with altered content, limits) is each answered with a typed error from the
 * closed set (never INTERNAL_SERVER_ERROR, never a stack, SQL text or file path), leaves the books exactly as
 * they were, and leaves the server healthy. Hostile text that is valid data (SQL or GraphQL in a memo) is
 * accepted harmlessly: stored verbatim, read back verbatim, and every table still there.
 * Method: one table of cases, each sending its own raw HTTP request with supertest (headers and bytes under
 * the case's control) to the real service on its own PostgreSQL database. For every case: the ledger
 * snapshot before and after (equal for a refusal; one more remembered outcome for a refusal that depends on
 * the ledger's state), a scan of the whole response text for leaked internals, and GET /health after it.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, UnsecuredJWT, decodeJwt } from 'jose';
import request from 'supertest';
import { ERROR_CODES, type ErrorCode } from '../../../src/kernel/errors/domain-error.js';
import { createUnit, openAccount, transfer } from '../ledger/ledger-fixtures.js';
import { TEST_PASSWORD, TestApp } from '../setup/test-app.js';

const JWT_SECRET = 'bad-input-catalogue-secret-0123456789-abcdefghij';
const ISSUER = 'commonwealth-ledger';
const AUDIENCE = 'commonwealth-ledger:api';

/** The codes a client may see: the closed set without INTERNAL_SERVER_ERROR, which no bad input may cause. */
const TYPED_CODES: readonly string[] = ERROR_CODES.filter((code) => code !== 'INTERNAL_SERVER_ERROR');

/** What must never reach a client: stack frames, file paths, SQL and driver internals. */
const LEAKS: readonly RegExp[] = [
  /at .*\.(ts|js|mjs|cjs):\d+/,
  /\bSELECT\b|\bINSERT\b|\bUPDATE\s+\w+\s+SET\b|relation "|pg_|QueryFailedError|PostgresQueryRunner/,
  /node_modules|\/work\/|\/src\/|\.ts:\d+/,
  /"stack"\s*:/,
  /FastifyError|FST_[A-Z_]+/,
];

const POST = `mutation($input: PostTransactionInput!) {
  postTransaction(input: $input) { replayed transaction { id memo kind metadata { key value } } } }`;
const PLACE_HOLD = `mutation($input: PlaceHoldInput!) { placeHold(input: $input) { replayed } }`;
const CREATE_UNIT = `mutation($input: CreateUnitInput!) { createUnit(input: $input) { code } }`;
const SET_LIMITS = `mutation($input: SetAccountLimitsInput!) { setAccountLimits(input: $input) { id } }`;
const REVERSE = `mutation($input: ReverseTransactionInput!) { reverseTransaction(input: $input) { replayed } }`;
const READ_TRANSACTION = `query($id: ID!) { transaction(id: $id) { id memo kind metadata { key value } } }`;

type Category =
  | 'wrong types'
  | 'huge numbers and number forms'
  | 'decimals'
  | 'entries'
  | 'ids'
  | 'dates'
  | 'memo and metadata'
  | 'NUL and invalid UTF-8'
  | 'query shape and limits'
  | 'GraphQL document'
  | 'HTTP body and headers'
  | 'tokens'
  | 'ledger state'
  | 'injection accepted harmlessly';

interface Sent {
  readonly status: number;
  readonly text: string;
  readonly body: unknown;
  readonly ms: number;
}

interface Snapshot {
  readonly accounts: unknown[];
  readonly changes: number;
  readonly outcomes: number;
  readonly transactions: number;
  readonly entries: number;
  readonly holds: number;
  readonly units: number;
}

/** A refusal: a GraphQL error with this code (one of them, when several would be right) and reason. */
interface Refused {
  readonly code: ErrorCode | readonly ErrorCode[];
  readonly reason?: string;
  /** The HTTP status, when it matters (refusals of the HTTP request itself). */
  readonly status?: number;
  /** Fastify's own `{ statusCode, error, message }` also counts as a typed refusal of the HTTP request. */
  readonly plainHttp?: boolean;
  /** A refusal that depends on the ledger's state is remembered against its id: one more outcome row. */
  readonly recorded?: boolean;
}

/** Valid (if hostile) data: the case checks what it should have done, instead of a refusal. */
interface Accepted {
  readonly accepted: (sent: Sent, before: Snapshot) => Promise<void>;
}

interface Case {
  readonly category: Category;
  readonly name: string;
  /** Work before the baseline snapshot (such as posting the original of a replay). */
  readonly arrange?: () => Promise<void>;
  readonly send: () => Promise<Sent>;
  readonly expect: Refused | Accepted;
  /** Hostile text the server legitimately repeats back (an unknown code, a stored memo): not a leak. */
  readonly echoes?: readonly string[];
}

/** Filled in beforeAll; the cases read it when they run. */
const fx = {
  app: undefined as unknown as TestApp,
  /** CWC, credit limit 1000. */
  alice: '',
  /** CWC, credit limit 0, empty. */
  bob: '',
  stewardSessionId: '',
  refreshToken: '',
  writeApiToken: '',
  readApiToken: '',
  revokedApiToken: '',
  strangerToken: '',
};

interface SendOptions {
  /** Bearer token; the steward's by default, null for none. */
  readonly token?: string | null;
  /** A whole Authorization header instead of a bearer token. */
  readonly authorization?: string;
  readonly contentType?: string;
  readonly method?: 'POST' | 'GET';
  readonly url?: string;
}

/** A raw request: an object or array is sent as JSON, a string or Buffer byte for byte. */
async function send(body: unknown, options: SendOptions = {}): Promise<Sent> {
  const server = fx.app.app.getHttpServer();
  const started = Date.now();
  let call =
    options.method === 'GET'
      ? request(server).get(options.url ?? '/graphql')
      : request(server)
          .post(options.url ?? '/graphql')
          .set('content-type', options.contentType ?? 'application/json');
  const token = options.token === undefined ? fx.app.steward.token : options.token;
  if (options.authorization !== undefined) call = call.set('authorization', options.authorization);
  else if (token !== null) call = call.set('authorization', `Bearer ${token}`);
  if (options.method !== 'GET') {
    // Buffers and strings go out as they are; superagent would otherwise JSON-encode a Buffer.
    call = call.serialize(
      (data: unknown) => (typeof data === 'string' || Buffer.isBuffer(data) ? data : JSON.stringify(data)) as string,
    );
    call = call.send(body as object);
  }
  const response = await call;
  let parsed: unknown = response.body;
  try {
    parsed = JSON.parse(response.text) as unknown;
  } catch {
    // Not JSON: the checks below fail on it with the text in view.
  }
  return { status: response.status, text: response.text, body: parsed, ms: Date.now() - started };
}

function gql(query: string, variables: Record<string, unknown> = {}, options: SendOptions = {}): Promise<Sent> {
  return send({ query, variables }, options);
}

/** postTransaction with a valid transfer of 1 from alice to bob, changed by `extra`. */
function postTransfer(extra: Record<string, unknown> = {}, options: SendOptions = {}): Promise<Sent> {
  return gql(POST, { input: transfer(fx.alice, fx.bob, '1', extra) }, options);
}

/** postTransaction whose two entries both carry `amount` as given (any JSON value). */
function postAmount(amount: unknown): Promise<Sent> {
  return gql(POST, {
    input: {
      ...transfer(fx.alice, fx.bob, '1'),
      entries: [
        { accountId: fx.alice, side: 'DEBIT', amount },
        { accountId: fx.bob, side: 'CREDIT', amount },
      ],
    },
  });
}

function postEntries(entries: (accounts: { alice: string; bob: string }) => unknown): Promise<Sent> {
  return gql(POST, { input: { ...transfer(fx.alice, fx.bob, '1'), entries: entries(fx) } });
}

/** The JSON text of a postTransaction request, with `memoBytes` spliced in as the raw bytes of its memo. */
function rawPostWithMemo(memoBytes: Buffer): Buffer {
  const input = transfer(fx.alice, fx.bob, '1', { memo: '@@MEMO@@' });
  const [head, tail] = JSON.stringify({ query: POST, variables: { input } }).split('@@MEMO@@') as [string, string];
  return Buffer.concat([Buffer.from(head), memoBytes, Buffer.from(tail)]);
}

/** `transaction(id) { references { … { id } } }`: `depth` fields deep in all. */
function deepQuery(depth: number): string {
  return `{ transaction(id: "t") { ${'references { '.repeat(depth - 2)}id${' }'.repeat(depth - 2)} } }`;
}

function aliases(count: number, field = 'units { code }'): string {
  return `{ ${Array.from({ length: count }, (_, index) => `a${index}: ${field}`).join(' ')} }`;
}

async function accessToken(claims: { sub?: string; sid?: string; aud?: string }, options: AccessTokenOptions = {}) {
  const now = Math.floor(Date.now() / 1000);
  const issuedAt = options.issuedAt ?? now;
  return new SignJWT({ sid: claims.sid ?? fx.stewardSessionId })
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .setSubject(claims.sub ?? fx.app.steward.personId)
    .setIssuer(ISSUER)
    .setAudience(claims.aud ?? AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options.ttlSeconds ?? 900))
    .sign(new TextEncoder().encode(options.secret ?? JWT_SECRET));
}

interface AccessTokenOptions {
  readonly secret?: string;
  readonly alg?: string;
  readonly issuedAt?: number;
  readonly ttlSeconds?: number;
}

/** A valid transfer sent with another token: every one of these must be refused and move nothing. */
function postAs(token: string | null, authorization?: string): Promise<Sent> {
  return postTransfer({}, authorization === undefined ? { token } : { authorization });
}

async function snapshot(): Promise<Snapshot> {
  const [row] = JSON.parse(await fx.app.snapshot()) as [{ snapshot: Record<string, unknown> }];
  const raw = row.snapshot;
  return {
    accounts: raw['accounts'] as unknown[],
    changes: Number(raw['changes']),
    outcomes: Number(raw['outcomes']),
    transactions: Number(raw['transactions']),
    entries: Number(raw['entries']),
    holds: Number(raw['holds']),
    units: Number(raw['units']),
  };
}

/** Every table of the ledger is still there. */
async function expectTablesIntact(): Promise<void> {
  const tables = [
    'unit',
    'account',
    'account_change',
    'transaction_outcome',
    'ledger_transaction',
    'entry',
    'open_hold',
  ];
  const rows: { name: string | null }[] = await fx.app.dataSource.query(
    `SELECT to_regclass(name)::text AS name FROM unnest($1::text[]) AS name`,
    [tables],
  );
  expect(rows.map((row) => row.name)).toEqual(tables);
}

/** A transfer that had to be accepted: its memo and metadata stored and read back exactly, one transaction more. */
function acceptedTransfer(expected: { memo?: string; metadata?: { key: string; value: string }[] }): Accepted {
  return {
    accepted: async (sent, before) => {
      const body = sent.body as { data?: { postTransaction?: { transaction: Record<string, any> } }; errors?: unknown };
      expect(body.errors).toBeUndefined();
      const written = body.data?.postTransaction?.transaction;
      expect(written).toBeDefined();
      const read =
        (await fx.app.graphql<{ transaction: Record<string, any> }>(READ_TRANSACTION, { id: written?.['id'] })).data
          ?.transaction ?? {};
      const rows: { memo: string; metadata: Record<string, string> }[] = await fx.app.dataSource.query(
        'SELECT memo, metadata FROM ledger_transaction WHERE id = $1',
        [written?.['id']],
      );
      const [row] = rows;
      if (expected.memo !== undefined) {
        expect(written?.['memo']).toBe(expected.memo);
        expect(read['memo']).toBe(expected.memo);
        expect(row?.memo).toBe(expected.memo);
      }
      if (expected.metadata !== undefined) {
        expect(written?.['metadata']).toEqual(expect.arrayContaining(expected.metadata));
        expect(read['metadata']).toEqual(expect.arrayContaining(expected.metadata));
        expect(read['metadata']).toHaveLength(expected.metadata.length);
        expect(row?.metadata).toEqual(Object.fromEntries(expected.metadata.map(({ key, value }) => [key, value])));
      }
      const after = await snapshot();
      expect({ transactions: after.transactions, entries: after.entries, units: after.units }).toEqual({
        transactions: before.transactions + 1,
        entries: before.entries + 2,
        units: before.units,
      });
      expect(after.accounts).toHaveLength(before.accounts.length);
      await expectTablesIntact();
    },
  };
}

/** The cases of one category. */
function group(category: Category, cases: readonly Omit<Case, 'category'>[]): Case[] {
  return cases.map((item) => ({ category, ...item }));
}

const refused = (code: ErrorCode | readonly ErrorCode[], reason?: string, extra: Partial<Refused> = {}): Refused => ({
  code,
  ...(reason === undefined ? {} : { reason }),
  ...extra,
});
const invalid = (reason?: string, extra: Partial<Refused> = {}) => refused('VALIDATION_FAILED', reason, extra);

const ONE_MIB = 1024 * 1024;
const SQL_DROP = "'; DROP TABLE entry; --";
const SQL_SLEEP = "'); SELECT pg_sleep(5); --";
const GRAPHQL_BREAKOUT = '") { id } } mutation { logout } #';
const EARLY_DATE = '-100000-01-01T00:00:00.000Z';
/** 489 emoji, then e + combining acute, an RLO … PDF span and a ZWJ flag: 500 code points in all. */
const EDGE_MEMO = `${'💸'.repeat(489)}e\u0301\u202Eabc\u202C🏳️‍🌈`;

/** The ledger-state cases' two ids: one posted, one refused for want of funds. */
const original = transfer('', '', '3');
const refusedFirst = transfer('', '', '100');
/** Posts the original (or replays it: nothing changes then), so that each case stands on its own. */
const postOriginal = async () => {
  await fx.app.ok(POST, { input: { ...original, entries: transfer(fx.alice, fx.bob, '3').entries } });
};
/** Sends the refused original (a replayed refusal the second time), so that its id stays refused. */
const refuseOriginal = async () => {
  await fx.app.graphql(POST, { input: { ...refusedFirst, entries: transfer(fx.bob, fx.alice, '100').entries } });
};

const CATALOGUE: readonly Case[] = [
  // Wrong types: GraphQL's coercion and the Money scalar refuse them before any resolver runs.
  ...group('wrong types', [
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
      name: 'account(id: {…}) (an object for ID)',
      send: () => gql('query($id: ID!) { account(id: $id) { id } }', { id: { $ne: null } }),
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
      name: 'side 1 (a number for an enum)',
      send: () =>
        postEntries((c) => [
          { accountId: c.alice, side: 1, amount: '1' },
          { accountId: c.bob, side: 'CREDIT', amount: '1' },
        ]),
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
      send: () => gql('query($id: ID!) { account(id: $id) { id } }', {}),
      expect: invalid('INVALID_REQUEST'),
    },
  ]),
  // Huge numbers and number forms: Money is a canonical decimal string of at most int64.
  ...group('huge numbers and number forms', [
    {
      name: 'amount "9223372036854775808" (int64 max + 1)',
      send: () => postAmount('9223372036854775808'),
      expect: invalid('AMOUNT_OUT_OF_RANGE'),
    },
    {
      name: 'amount "10000000000000000000" (10^19)',
      send: () => postAmount('10000000000000000000'),
      expect: invalid('AMOUNT_OUT_OF_RANGE'),
    },
    {
      name: 'amount 1e400 as a raw JSON number (Infinity once parsed)',
      send: () =>
        send(
          `{"query":${JSON.stringify(POST)},"variables":{"input":{"id":"${randomUUID()}","unitCode":"CWC","entries":[` +
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
      name: 'amount "1000000000000001" (over the largest entry)',
      send: () => postAmount('1000000000000001'),
      expect: invalid('AMOUNT_TOO_LARGE'),
    },
    {
      name: 'setAccountLimits: creditLimit "-9223372036854775809" (below int64)',
      send: () => gql(SET_LIMITS, { input: { accountId: fx.alice, creditLimit: '-9223372036854775809' } }),
      expect: invalid('AMOUNT_OUT_OF_RANGE'),
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
      name: 'accounts(first: 201) (over the page size)',
      send: () => gql('{ accounts(first: 201) { edges { cursor } } }'),
      expect: invalid('INVALID_INPUT'),
    },
  ]),
  // Decimals: amounts are whole minor units.
  ...group('decimals', [
    { name: 'amount "1.5"', send: () => postAmount('1.5'), expect: invalid('INVALID_AMOUNT') },
    { name: 'amount "1.00"', send: () => postAmount('1.00'), expect: invalid('INVALID_AMOUNT') },
    { name: 'amount "1,000"', send: () => postAmount('1,000'), expect: invalid('INVALID_AMOUNT') },
    { name: 'amount 1.5 (a JSON fraction)', send: () => postAmount(1.5), expect: invalid('INVALID_AMOUNT') },
  ]),
  // Entries.
  ...group('entries', [
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
      name: 'one entry',
      send: () => postEntries((c) => [{ accountId: c.alice, side: 'DEBIT', amount: '1' }]),
      expect: invalid('TOO_FEW_ENTRIES'),
    },
    {
      name: 'amount "0"',
      send: () => postAmount('0'),
      expect: invalid('AMOUNT_NOT_POSITIVE'),
    },
    {
      name: 'unknown account',
      send: () => gql(POST, { input: transfer(fx.alice, randomUUID(), '1') }),
      expect: refused('NOT_FOUND', 'ACCOUNT_NOT_FOUND', { recorded: true }),
    },
    {
      name: 'unknown unit',
      send: () => postTransfer({ unitCode: 'NOPE' }),
      expect: refused('NOT_FOUND', 'UNIT_NOT_FOUND', { recorded: true }),
    },
  ]),
  // Ids that are not UUIDs.
  ...group('ids', [
    {
      name: 'transaction id "not-a-uuid"',
      send: () => postTransfer({ id: 'not-a-uuid' }),
      expect: invalid('INVALID_ID'),
    },
    {
      name: 'accountId with SQL in it',
      send: () => gql(POST, { input: transfer(fx.alice, `${randomUUID()}' OR '1'='1`, '1') }),
      expect: invalid('INVALID_ID'),
    },
    {
      name: 'account(id: nil UUID)',
      send: () => gql('query($id: ID!) { account(id: $id) { id } }', { id: '00000000-0000-0000-0000-000000000000' }),
      expect: invalid('INVALID_ID'),
    },
    {
      name: 'transaction(id: UUID with a trailing newline)',
      send: () => gql('query($id: ID!) { transaction(id: $id) { id } }', { id: `${randomUUID()}\n` }),
      expect: invalid('INVALID_ID'),
    },
    {
      name: 'reverseTransaction of id 42',
      send: () => gql(REVERSE, { input: { id: randomUUID(), transactionId: 42 } }),
      expect: invalid('INVALID_ID'),
    },
    {
      name: 'organization(id: "not-a-uuid")',
      send: () => gql('query($id: ID) { organization(id: $id) { id } }', { id: 'not-a-uuid' }),
      expect: invalid(),
    },
  ]),
  // Dates.
  ...group('dates', [
    {
      name: 'effectiveAt "yesterday"',
      send: () => postTransfer({ effectiveAt: 'yesterday' }),
      expect: invalid('INVALID_DATE'),
    },
    {
      name: 'effectiveAt {} (an object)',
      send: () => postTransfer({ effectiveAt: {} }),
      expect: invalid('INVALID_DATE'),
    },
    {
      name: 'effectiveAt 1e20 (a number beyond any date)',
      send: () => postTransfer({ effectiveAt: 1e20 }),
      expect: invalid('INVALID_DATE'),
    },
    {
      name: 'effectiveAt "+275760-09-14T00:00:00Z" (past the last JavaScript date)',
      send: () => postTransfer({ effectiveAt: '+275760-09-14T00:00:00Z' }),
      expect: invalid('INVALID_DATE'),
    },
    {
      name: 'effectiveAt "2024-13-45T00:00:00Z" (month 13)',
      send: () => postTransfer({ effectiveAt: '2024-13-45T00:00:00Z' }),
      expect: invalid('INVALID_DATE'),
    },
    {
      name: 'effectiveAt "2024-02-30T00:00:00Z" (no such day: refused, not rolled over into March)',
      send: () => postTransfer({ effectiveAt: '2024-02-30T00:00:00Z' }),
      expect: invalid('INVALID_DATE'),
    },
    {
      name: 'effectiveAt "2024-02-01" (a date without a time and offset)',
      send: () => postTransfer({ effectiveAt: '2024-02-01' }),
      expect: invalid('INVALID_DATE'),
    },
    {
      name: 'effectiveAt 0 (a number is not a date-time)',
      send: () => postTransfer({ effectiveAt: 0 }),
      expect: invalid('INVALID_DATE'),
    },
    {
      name: 'balanceAsOf(at: 20240101) as a literal integer',
      send: () => gql('query($a: ID!) { balanceAsOf(accountId: $a, at: 20240101) { balance } }', { a: fx.alice }),
      expect: invalid(),
    },
    {
      name: `effectiveAt "${EARLY_DATE}" (before PostgreSQL's first timestamp, 4713 BC)`,
      send: () => postTransfer({ effectiveAt: EARLY_DATE }),
      expect: invalid('INVALID_DATE'),
    },
    {
      name: `balanceAsOf(at: "${EARLY_DATE}")`,
      send: () =>
        gql('query($a: ID!, $at: DateTime!) { balanceAsOf(accountId: $a, at: $at) { balance } }', {
          a: fx.alice,
          at: EARLY_DATE,
        }),
      expect: invalid(),
    },
    {
      name: `accountHistory(from: "${EARLY_DATE}")`,
      send: () =>
        gql('query($a: ID!, $from: DateTime) { accountHistory(accountId: $a, from: $from) { edges { cursor } } }', {
          a: fx.alice,
          from: EARLY_DATE,
        }),
      expect: invalid(),
    },
  ]),
  // Memo and metadata.
  ...group('memo and metadata', [
    {
      name: 'memo of 501 characters',
      send: () => postTransfer({ memo: 'm'.repeat(501) }),
      expect: invalid('MEMO_TOO_LONG'),
    },
    {
      name: 'memo of 501 emoji (counted in characters, not bytes)',
      send: () => postTransfer({ memo: '💸'.repeat(501) }),
      expect: invalid('MEMO_TOO_LONG'),
    },
    {
      name: '33 metadata keys',
      send: () => postTransfer({ metadata: Array.from({ length: 33 }, (_, i) => ({ key: `k${i}`, value: 'v' })) }),
      expect: invalid('METADATA_TOO_LARGE'),
    },
    {
      name: 'metadata value of 501 characters',
      send: () => postTransfer({ metadata: [{ key: 'note', value: 'v'.repeat(501) }] }),
      expect: invalid('METADATA_TOO_LARGE'),
    },
    {
      name: 'metadata key with SQL in it',
      send: () => postTransfer({ metadata: [{ key: SQL_DROP, value: 'v' }] }),
      expect: invalid('INVALID_METADATA'),
      echoes: [SQL_DROP],
    },
    {
      name: 'the same metadata key twice',
      send: () =>
        postTransfer({
          metadata: [
            { key: 'k', value: '1' },
            { key: 'k', value: '2' },
          ],
        }),
      expect: invalid('INVALID_METADATA'),
    },
    {
      name: 'kind with SQL in it',
      send: () => postTransfer({ kind: SQL_DROP }),
      expect: invalid('INVALID_KIND'),
    },
  ]),
  // NUL characters and invalid UTF-8.
  ...group('NUL and invalid UTF-8', [
    {
      name: 'NUL in the memo',
      send: () => postTransfer({ memo: 'before\u0000after' }),
      expect: invalid(),
    },
    {
      name: 'NUL in a metadata value',
      send: () => postTransfer({ metadata: [{ key: 'note', value: 'before\u0000after' }] }),
      expect: invalid(),
    },
    {
      name: 'NUL in a unit code (unit query)',
      send: () => gql('query($code: String!) { unit(code: $code) { code } }', { code: 'CWC\u0000' }),
      expect: refused(['VALIDATION_FAILED', 'NOT_FOUND']),
    },
    {
      name: 'NUL in the kind',
      send: () => postTransfer({ kind: 'TRADE\u0000' }),
      expect: { ...invalid('NUL_CHARACTER'), status: 400 },
    },
    {
      name: 'NUL in the document, outside any string',
      send: () => gql('{ units\u0000 { code } }'),
      expect: { ...invalid('NUL_CHARACTER'), status: 400 },
    },
    {
      name: 'invalid UTF-8 bytes in the document',
      send: () =>
        send(
          Buffer.concat([
            Buffer.from('{"query":"{ un'),
            Buffer.from([0xff, 0xfe, 0xc3]),
            Buffer.from('its { code } }"}'),
          ]),
        ),
      expect: invalid('INVALID_REQUEST'),
    },
    {
      name: 'invalid UTF-8 bytes in the memo: stored as U+FFFD, consistently',
      send: () => send(rawPostWithMemo(Buffer.from([0x61, 0xff, 0x62, 0xc3, 0x63]))),
      expect: acceptedTransfer({ memo: Buffer.from([0x61, 0xff, 0x62, 0xc3, 0x63]).toString('utf8') }),
    },
    {
      name: 'an overlong-encoded quote (C0 A2) cannot end the memo string early',
      send: () =>
        send(
          rawPostWithMemo(
            Buffer.concat([Buffer.from('x'), Buffer.from([0xc0, 0xa2]), Buffer.from(', \\"unitCode\\": \\"EVIL')]),
          ),
        ),
      expect: acceptedTransfer({ memo: `x\uFFFD\uFFFD, "unitCode": "EVIL` }),
    },
  ]),
  // Query shape and limits.
  ...group('query shape and limits', [
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
  ]),
  // The GraphQL document itself.
  ...group('GraphQL document', [
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
          expect(await snapshot()).toEqual(before);
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
      name: 'a syntax error',
      send: () => gql('{ units { code '),
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
  ]),
  // The HTTP body and headers.
  ...group('HTTP body and headers', [
    {
      name: 'a batch of 11 operations',
      send: () =>
        send(
          Array.from({ length: 11 }, () => ({ query: POST, variables: { input: transfer(fx.alice, fx.bob, '1') } })),
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
      send: () => send([{ query: POST, variables: { input: transfer(fx.alice, fx.bob, '1') } }, { variables: {} }]),
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
      send: () => postAs(null, `Bearer ${'a'.repeat(100_000)}`),
      expect: invalid(undefined, { status: 431, plainHttp: true }),
    },
  ]),
  // Tokens: each sends a valid transfer, which must be refused and move nothing.
  ...group('tokens', [
    {
      name: 'no token',
      send: () => postAs(null),
      expect: refused('UNAUTHENTICATED', 'MISSING_TOKEN'),
    },
    {
      name: 'a JWT with alg "none"',
      send: async () =>
        postAs(
          new UnsecuredJWT({ sid: fx.stewardSessionId })
            .setSubject(fx.app.steward.personId)
            .setIssuer(ISSUER)
            .setAudience(AUDIENCE)
            .setIssuedAt()
            .setExpirationTime('15m')
            .encode(),
        ),
      expect: refused('UNAUTHENTICATED', 'INVALID_TOKEN'),
    },
    {
      name: 'a JWT signed with another secret',
      send: async () => postAs(await accessToken({}, { secret: 'another-secret-another-secret-another-secret' })),
      expect: refused('UNAUTHENTICATED', 'INVALID_TOKEN'),
    },
    {
      name: 'a JWT signed with the right secret but HS512',
      send: async () => postAs(await accessToken({}, { alg: 'HS512' })),
      expect: refused('UNAUTHENTICATED', 'INVALID_TOKEN'),
    },
    {
      name: 'a JWT for another audience',
      send: async () => postAs(await accessToken({ aud: 'someone-else' })),
      expect: refused('UNAUTHENTICATED', 'INVALID_TOKEN'),
    },
    {
      name: 'an expired JWT',
      send: async () =>
        postAs(await accessToken({}, { issuedAt: Math.floor(Date.now() / 1000) - 3600, ttlSeconds: 900 })),
      expect: refused('UNAUTHENTICATED', 'TOKEN_EXPIRED'),
    },
    {
      name: 'a well-signed JWT for a session that never existed',
      send: async () => postAs(await accessToken({ sid: randomUUID() })),
      expect: refused('UNAUTHENTICATED', 'SESSION_REVOKED'),
    },
    {
      name: 'a truncated JWT',
      send: () => postAs(fx.app.steward.token.slice(0, -10)),
      expect: refused('UNAUTHENTICATED', 'INVALID_TOKEN'),
    },
    {
      name: 'a refresh token used as an access token',
      send: () => postAs(fx.refreshToken),
      expect: refused('UNAUTHENTICATED', 'INVALID_TOKEN'),
    },
    {
      name: 'an API token with a wrong secret',
      send: () => postAs(`${fx.writeApiToken.slice(0, -1)}${fx.writeApiToken.endsWith('A') ? 'B' : 'A'}`),
      expect: refused('UNAUTHENTICATED', 'INVALID_TOKEN'),
    },
    {
      name: 'a revoked API token',
      send: () => postAs(fx.revokedApiToken),
      expect: refused('UNAUTHENTICATED', 'INVALID_TOKEN'),
    },
    {
      name: 'an API token prefix with garbage',
      send: () => postAs("cwl_';DROP/**/TABLE/**/api_token;--"),
      expect: refused('UNAUTHENTICATED', 'INVALID_TOKEN'),
    },
    {
      name: 'the Basic scheme',
      send: () => postAs(null, `Basic ${Buffer.from('steward@test.example:password').toString('base64')}`),
      expect: refused('UNAUTHENTICATED', 'INVALID_TOKEN'),
    },
    {
      name: 'a bearer token of 10 KB',
      send: () => postAs('a'.repeat(10 * 1024)),
      expect: refused('UNAUTHENTICATED', 'INVALID_TOKEN'),
    },
    {
      name: '"Bearer" with no token',
      send: () => postAs(null, 'Bearer '),
      expect: refused('UNAUTHENTICATED', 'INVALID_TOKEN'),
    },
    {
      name: 'a LEDGER_READ API token moving money',
      send: () => postAs(fx.readApiToken),
      expect: refused('FORBIDDEN', 'NOT_ACCOUNT_HOLDER'),
    },
    {
      name: "a stranger debiting the steward's account",
      send: () => postAs(fx.strangerToken),
      expect: refused('FORBIDDEN', 'NOT_ACCOUNT_HOLDER'),
    },
    {
      name: 'a third login after two failures (lock after 2)',
      send: async () => {
        const login = (password: string) =>
          gql(
            'mutation($input: LoginInput!) { login(input: $input) { accessToken } }',
            { input: { email: 'steward@test.example', password } },
            { token: null },
          );
        await login('wrong password number one');
        await login('wrong password number two');
        return login(TEST_PASSWORD);
      },
      expect: refused('RATE_LIMITED', 'TOO_MANY_FAILED_LOGINS'),
    },
  ]),

  // The ledger's state.
  ...group('ledger state', [
    {
      name: 'a replayed id with an altered amount',
      arrange: postOriginal,
      send: () => gql(POST, { input: { ...original, entries: transfer(fx.alice, fx.bob, '4').entries } }),
      expect: refused('CONFLICT', 'EXISTS_WITH_DIFFERENT_CONTENT'),
    },
    {
      name: 'a replayed id with an altered memo',
      arrange: postOriginal,
      send: () =>
        gql(POST, { input: { ...original, entries: transfer(fx.alice, fx.bob, '3').entries, memo: 'changed' } }),
      expect: refused('CONFLICT', 'EXISTS_WITH_DIFFERENT_CONTENT'),
    },
    {
      name: 'past the credit limit (bob has none)',
      send: () => gql(POST, { input: { ...refusedFirst, entries: transfer(fx.bob, fx.alice, '100').entries } }),
      expect: refused('INSUFFICIENT_FUNDS', 'CREDIT_LIMIT_EXCEEDED', { recorded: true }),
    },
    {
      name: 'a refused id retried with a smaller amount',
      arrange: refuseOriginal,
      send: () => gql(POST, { input: { ...refusedFirst, entries: transfer(fx.bob, fx.alice, '1').entries } }),
      expect: refused('CONFLICT', 'ID_ALREADY_FAILED'),
    },
    {
      name: 'past the credit limit of 1000',
      send: () => gql(POST, { input: transfer(fx.alice, fx.bob, '1001') }),
      expect: refused('INSUFFICIENT_FUNDS', 'CREDIT_LIMIT_EXCEEDED', { recorded: true }),
    },
    {
      name: 'reversing a transaction that does not exist',
      send: () => gql(REVERSE, { input: { id: randomUUID(), transactionId: randomUUID() } }),
      expect: refused('NOT_FOUND', 'TRANSACTION_NOT_FOUND', { recorded: true }),
    },
  ]),

  // Hostile text that is valid data: accepted, stored verbatim, harmless.
  ...group('injection accepted harmlessly', [
    {
      name: `memo "${SQL_DROP}"`,
      send: () => postTransfer({ memo: SQL_DROP }),
      expect: acceptedTransfer({ memo: SQL_DROP }),
      echoes: [SQL_DROP],
    },
    {
      name: 'memo with pg_sleep: stored, and it does not sleep',
      send: () => postTransfer({ memo: SQL_SLEEP }),
      expect: {
        accepted: async (sent, before) => {
          expect(sent.ms).toBeLessThan(4000);
          await acceptedTransfer({ memo: SQL_SLEEP }).accepted(sent, before);
        },
      },
      echoes: [SQL_SLEEP],
    },
    {
      name: 'metadata values with SQL, quotes, backslashes and JSON',
      send: () =>
        postTransfer({
          metadata: [
            { key: 'note', value: "' OR 1=1; DELETE FROM account WHERE ''='" },
            { key: 'json', value: '{"a": "b\\"}, "$where": "1"}' },
            { key: 'sql:comment', value: '/* */ ; TRUNCATE unit CASCADE; -- \\' },
          ],
        }),
      expect: acceptedTransfer({
        metadata: [
          { key: 'note', value: "' OR 1=1; DELETE FROM account WHERE ''='" },
          { key: 'json', value: '{"a": "b\\"}, "$where": "1"}' },
          { key: 'sql:comment', value: '/* */ ; TRUNCATE unit CASCADE; -- \\' },
        ],
      }),
    },
    {
      name: 'memo with GraphQL that tries to break out',
      send: () => postTransfer({ memo: GRAPHQL_BREAKOUT }),
      expect: acceptedTransfer({ memo: GRAPHQL_BREAKOUT }),
    },
    {
      name: 'memo of exactly 500 characters: emoji, a combining mark, a right-to-left override',
      send: () => postTransfer({ memo: EDGE_MEMO }),
      expect: acceptedTransfer({ memo: EDGE_MEMO }),
    },
  ]),
];

describe('bad-input catalogue', () => {
  beforeAll(async () => {
    fx.app = await TestApp.start({ JWT_SECRET, LOGIN_SLOW_AFTER: '1', LOGIN_LOCK_AFTER: '2' });
    await createUnit(fx.app);
    fx.alice = await openAccount(fx.app, { creditLimit: '1000' });
    fx.bob = await openAccount(fx.app);
    fx.stewardSessionId = String(decodeJwt(fx.app.steward.token)['sid']);

    const other = await fx.app.ok<{ register: { refreshToken: string } }>(
      'mutation($input: RegisterInput!) { register(input: $input) { refreshToken } }',
      { input: { email: 'refresher@test.example', name: 'Refresher', password: TEST_PASSWORD } },
      { token: null },
    );
    fx.refreshToken = other.register.refreshToken;
    fx.strangerToken = await fx.app.register('stranger@test.example');

    const createApiToken = async (scopes: string[]) =>
      (
        await fx.app.ok<{ createApiToken: { token: string; apiToken: { id: string } } }>(
          'mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id } } }',
          { input: { organizationId: fx.app.steward.organizationId, name: `Till ${scopes.join()}`, scopes } },
        )
      ).createApiToken;
    fx.writeApiToken = (await createApiToken(['LEDGER_WRITE'])).token;
    fx.readApiToken = (await createApiToken(['LEDGER_READ'])).token;
    const revoked = await createApiToken(['LEDGER_WRITE']);
    await fx.app.ok('mutation($input: ApiTokenIdInput!) { revokeApiToken(input: $input) { id } }', {
      input: { apiTokenId: revoked.apiToken.id },
    });
    fx.revokedApiToken = revoked.token;
  });

  afterAll(async () => {
    await fx.app.close();
  });

  it('has at least 70 cases with unique names, in every category', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(70);
    expect(new Set(CATALOGUE.map((item) => item.name)).size).toBe(CATALOGUE.length);
    expect(new Set(CATALOGUE.map((item) => item.category)).size).toBe(14);
  });

  it.each(CATALOGUE.map((item) => [`${item.category}: ${item.name}`, item] as const))('%s', async (_name, item) => {
    await item.arrange?.();
    const before = await snapshot();
    const sent = await item.send();

    // Nothing leaks, whatever the answer (hostile text the server may repeat back is taken out first).
    const scanned = (item.echoes ?? []).reduce(
      (text, echo) => text.split(JSON.stringify(echo).slice(1, -1)).join('').split(echo).join(''),
      sent.text,
    );
    for (const leak of LEAKS) expect(scanned).not.toMatch(leak);
    expect(sent.status).toBeLessThan(500);

    if ('accepted' in item.expect) {
      await item.expect.accepted(sent, before);
    } else {
      expectRefusal(sent, item.expect);
      const after = await snapshot();
      if (item.expect.recorded === true) {
        expect({ ...after, outcomes: before.outcomes }).toEqual(before);
        expect(after.outcomes).toBe(before.outcomes + 1);
      } else {
        expect(after).toEqual(before);
      }
    }

    const health = await request(fx.app.app.getHttpServer()).get('/health');
    expect({ status: health.status, body: health.body.status }).toEqual({ status: 200, body: 'ok' });
  });

  it('leaves books that balance and every table in place', async () => {
    await fx.app.assertBooksBalance();
    await expectTablesIntact();
  });
});

/** A refusal: every error typed (closed set, a reason, never INTERNAL_SERVER_ERROR), one of them the expected one. */
function expectRefusal(sent: Sent, expected: Refused): void {
  const items: unknown[] = Array.isArray(sent.body) ? sent.body : [sent.body];
  const errors = items.flatMap((item) => {
    const list = (item as { errors?: unknown } | null)?.errors;
    return Array.isArray(list) ? (list as { extensions?: { code?: unknown; details?: { reason?: unknown } } }[]) : [];
  });
  if (errors.length === 0 && expected.plainHttp === true) {
    // Fastify's own refusal of the HTTP request, typed by its status.
    expect({ status: sent.status, body: sent.body }).toEqual({
      status: expected.status,
      body: expect.objectContaining({ statusCode: expected.status, error: expect.any(String) }),
    });
    return;
  }
  const found = errors.map((error) => ({ code: error.extensions?.code, reason: error.extensions?.details?.reason }));
  const untyped = found.filter(
    (error) => !TYPED_CODES.includes(String(error.code)) || typeof error.reason !== 'string',
  );
  expect(untyped).toEqual([]);
  const codes: readonly string[] = typeof expected.code === 'string' ? [expected.code] : expected.code;
  expect({ status: sent.status, errors: found }).toEqual({
    status: expected.status ?? sent.status,
    errors: expect.arrayContaining([
      {
        code: expect.stringMatching(new RegExp(`^(${codes.join('|')})$`)),
        reason: expected.reason ?? expect.any(String),
      },
    ]),
  });
}
