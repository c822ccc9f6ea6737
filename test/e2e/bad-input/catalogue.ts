/**
 * Goal: the framework of the bad-input catalogue, whose spec files each hold one category of malformed or
 * hostile request. Every refusal is a typed error from the closed set (never INTERNAL_SERVER_ERROR, never a
 * stack, SQL text or file path), changes no table of the database (a refusal that depends on the ledger's
 * state is kept against its id: one more transaction_outcome row, and only that), and leaves the server
 * healthy. Hostile text that is valid data is accepted harmlessly: stored and read back verbatim, one
 * transaction more, and every table still there.
 * Method: a spec file declares its cases and calls runCatalogue, which starts the real service on the file's
 * own PostgreSQL database with two units and three accounts. Each case sends its own raw HTTP request with
 * supertest (headers and bytes under the case's control); the snapshot of every table (test/support/
 * databases.ts) is taken before and after it, the whole response text is scanned for leaked internals, and
 * GET /health must answer after it. After every test the books-balance check runs.
 */
import request from 'supertest';
import { ERROR_CODES, type ErrorCode } from '../../../src/kernel/errors/domain-error.js';
import { without, type DatabaseSnapshot } from '../../support/databases.js';
import { createUnit, openAccount, transfer } from '../ledger/ledger-fixtures.js';
import { TestApp } from '../setup/test-app.js';

/** The closed set of codes of the house style: ERROR_CODES must be exactly these. */
const CLOSED_SET: readonly string[] = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'INSUFFICIENT_FUNDS',
  'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
];

/** The codes a client may see: the closed set without INTERNAL_SERVER_ERROR, which no bad input may cause. */
const TYPED_CODES: readonly string[] = ERROR_CODES.filter((code) => code !== 'INTERNAL_SERVER_ERROR');

/** What must never reach a client: stack traces, file paths, SQL and driver internals. */
const LEAKS: readonly RegExp[] = [
  /at .*\.(ts|js|mjs|cjs):\d+/,
  /\bSELECT\b|\bINSERT\b|\bUPDATE\s+\w+\s+SET\b|relation "|pg_|QueryFailedError|PostgresQueryRunner/,
  /node_modules|\/work\/|\/src\/|\.ts:\d+/,
  /stack/i,
  /FastifyError|FST_[A-Z_]+/,
];

/** The table where a refusal that depends on the ledger's state is kept against its id. */
const OUTCOMES = 'transaction_outcome';

export const POST_TRANSACTION = `mutation($input: PostTransactionInput!) {
  postTransaction(input: $input) { replayed transaction { id memo kind metadata { key value } } } }`;
export const PLACE_HOLD = `mutation($input: PlaceHoldInput!) { placeHold(input: $input) { replayed } }`;
export const REVERSE_TRANSACTION = `mutation($input: ReverseTransactionInput!) {
  reverseTransaction(input: $input) { replayed } }`;
export const CREATE_UNIT = `mutation($input: CreateUnitInput!) { createUnit(input: $input) { code } }`;
export const SET_ACCOUNT_LIMITS = `mutation($input: SetAccountLimitsInput!) { setAccountLimits(input: $input) { id } }`;
export const READ_ACCOUNT = `query($id: ID!) { account(id: $id) { id } }`;
export const READ_TRANSACTION = `query($id: ID!) { transaction(id: $id) { id memo kind metadata { key value } } }`;
const OPEN_ACCOUNT = `mutation($input: OpenAccountInput!) { openAccount(input: $input) { id } }`;

/** Hostile text used in several categories. */
export const SQL_DROP = "'; DROP TABLE entry; --";
export const GRAPHQL_BREAKOUT = '") { id } } mutation { logout } #';

/** An answer as it came over the wire. */
export interface Sent {
  readonly status: number;
  readonly text: string;
  /** The text parsed as JSON, or as supertest read it when it is not JSON. */
  readonly body: unknown;
  readonly ms: number;
}

/** A refusal: a GraphQL error with this code (one of them, when several would be right) and reason. */
export interface Refused {
  readonly code: ErrorCode | readonly ErrorCode[];
  readonly reason?: string;
  /** The HTTP status, when it matters (refusals of the HTTP request itself). */
  readonly status?: number;
  /** Fastify's own `{ statusCode, error, message }` also counts as a typed refusal of the HTTP request. */
  readonly plainHttp?: boolean;
  /** A refusal that depends on the ledger's state is kept against its id: one more outcome row. */
  readonly recorded?: boolean;
}

/** Valid (if hostile) data: the case checks what it should have done, instead of a refusal. */
export interface Accepted {
  readonly accepted: (sent: Sent, before: DatabaseSnapshot) => Promise<void>;
}

export interface Case {
  readonly name: string;
  /** Work before the baseline snapshot (such as posting the original of a replay). */
  readonly arrange?: () => Promise<void>;
  readonly send: () => Promise<Sent>;
  readonly expect: Refused | Accepted;
  /** Hostile text the server legitimately repeats back (an unknown code, a stored memo): not a leak. */
  readonly echoes?: readonly string[];
}

/** The file's app and accounts, filled in beforeAll; the cases read them when they run. */
export const fx = {
  app: undefined as unknown as TestApp,
  /** CWC, credit limit 1000. */
  alice: '',
  /** CWC, credit limit 0, empty until a case of the file pays it. */
  bob: '',
  /** HOUR, another unit than alice's and bob's. */
  hours: '',
};

export interface SendOptions {
  /** Bearer token; the steward's by default, null for none. */
  readonly token?: string | null;
  /** A whole Authorization header instead of a bearer token. */
  readonly authorization?: string;
  readonly contentType?: string;
  readonly method?: 'POST' | 'GET';
  readonly url?: string;
}

/** A raw request: an object or array is sent as JSON, a string or Buffer byte for byte. */
export async function send(body: unknown, options: SendOptions = {}): Promise<Sent> {
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
    // Not JSON: the checks fail on it with the text in view.
  }
  return { status: response.status, text: response.text, body: parsed, ms: Date.now() - started };
}

export function gql(query: string, variables: Record<string, unknown> = {}, options: SendOptions = {}): Promise<Sent> {
  return send({ query, variables }, options);
}

/** postTransaction with a valid transfer of 1 from alice to bob, changed by `extra`. */
export function postTransfer(extra: Record<string, unknown> = {}, options: SendOptions = {}): Promise<Sent> {
  return gql(POST_TRANSACTION, { input: transfer(fx.alice, fx.bob, '1', extra) }, options);
}

/** A transfer from alice to bob whose two entries both carry `amount` as given (any JSON value). */
export function transferWithAmount(amount: unknown): Record<string, unknown> {
  return {
    ...transfer(fx.alice, fx.bob, '1'),
    entries: [
      { accountId: fx.alice, side: 'DEBIT', amount },
      { accountId: fx.bob, side: 'CREDIT', amount },
    ],
  };
}

export function postAmount(amount: unknown): Promise<Sent> {
  return gql(POST_TRANSACTION, { input: transferWithAmount(amount) });
}

/** postTransaction of a transfer whose entries are replaced by what `entries` makes of the accounts. */
export function postEntries(entries: (accounts: { alice: string; bob: string }) => unknown): Promise<Sent> {
  return gql(POST_TRANSACTION, { input: { ...transfer(fx.alice, fx.bob, '1'), entries: entries(fx) } });
}

/** openAccount with valid terms (a CWC member account of the steward's federation), changed by `override`. */
export function openAccountWith(override: Record<string, unknown>): Promise<Sent> {
  return gql(OPEN_ACCOUNT, {
    input: {
      unitCode: 'CWC',
      holderId: fx.app.steward.organizationId,
      name: 'Test',
      kind: 'MEMBER',
      creditLimit: '0',
      ...override,
    },
  });
}

export const refused = (
  code: ErrorCode | readonly ErrorCode[],
  reason?: string,
  extra: Partial<Refused> = {},
): Refused => ({ code, ...(reason === undefined ? {} : { reason }), ...extra });

export const invalid = (reason?: string, extra: Partial<Refused> = {}): Refused =>
  refused('VALIDATION_FAILED', reason, extra);

/** The cases of one group of a file that holds several, their names prefixed with the group's. */
export function group(label: string, cases: readonly Case[]): Case[] {
  return cases.map((item) => ({ ...item, name: `${label}: ${item.name}` }));
}

function tableIn(snapshot: DatabaseSnapshot, table: string): { readonly rows: number; readonly checksum: string } {
  const state = snapshot[table];
  if (state === undefined) throw new Error(`the snapshot has no table ${table}`);
  return state;
}

/** Every table present before is present after. */
function expectTablesIntact(before: DatabaseSnapshot, after: DatabaseSnapshot): void {
  expect(Object.keys(after)).toEqual(expect.arrayContaining(Object.keys(before)));
}

/** What one accepted transfer adds: a transaction and its two entries, no unit and no account; no table lost. */
export function expectOneTransferMore(before: DatabaseSnapshot, after: DatabaseSnapshot): void {
  const counts = (snapshot: DatabaseSnapshot) => ({
    ledger_transaction: tableIn(snapshot, 'ledger_transaction').rows,
    entry: tableIn(snapshot, 'entry').rows,
    unit: tableIn(snapshot, 'unit').rows,
    account: tableIn(snapshot, 'account').rows,
  });
  const counted = counts(before);
  expect(counts(after)).toEqual({
    ...counted,
    ledger_transaction: counted.ledger_transaction + 1,
    entry: counted.entry + 2,
  });
  expectTablesIntact(before, after);
}

/** A refusal changes no table; one that depends on the ledger's state adds its kept outcome, and only that. */
function expectUnchanged(before: DatabaseSnapshot, after: DatabaseSnapshot, recorded: boolean): void {
  if (!recorded) {
    expect(after).toEqual(before);
    return;
  }
  expect(without(after, OUTCOMES)).toEqual(without(before, OUTCOMES));
  const outcomesBefore = tableIn(before, OUTCOMES);
  const outcomesAfter = tableIn(after, OUTCOMES);
  expect(outcomesAfter.rows).toBe(outcomesBefore.rows + 1);
  expect(outcomesAfter.checksum).not.toBe(outcomesBefore.checksum);
}

/** A transfer that had to be accepted: its memo and metadata stored and read back exactly, one transfer more. */
export function acceptedTransfer(expected: { memo?: string; metadata?: { key: string; value: string }[] }): Accepted {
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
      expectOneTransferMore(before, await fx.app.snapshot());
    },
  };
}

/** Nothing leaks, whatever the answer (hostile text the server may repeat back is taken out first). */
function expectNoLeaks(sent: Sent, echoes: readonly string[]): void {
  const scanned = echoes.reduce(
    (text, echo) => text.split(JSON.stringify(echo).slice(1, -1)).join('').split(echo).join(''),
    sent.text,
  );
  for (const leak of LEAKS) expect(scanned).not.toMatch(leak);
  expect(sent.status).toBeLessThan(500);
}

/** A refusal: every error typed (closed set, a reason, never INTERNAL_SERVER_ERROR), the first the expected one. */
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
  expect({ status: sent.status, first: found[0] }).toEqual({
    status: expected.status ?? sent.status,
    first: {
      code: expect.stringMatching(new RegExp(`^(${codes.join('|')})$`)),
      reason: expected.reason ?? expect.any(String),
    },
  });
}

async function expectHealthy(): Promise<void> {
  const health = await request(fx.app.app.getHttpServer()).get('/health');
  expect({ status: health.status, body: health.body.status }).toEqual({ status: 200, body: 'ok' });
}

export interface CatalogueOptions {
  /** Settings of the file's app, over TestApp's. */
  readonly env?: Record<string, string>;
  /** The file's own fixtures, made after the shared ones. */
  readonly fixtures?: () => Promise<void>;
  /** Declares the file's tests outside the table (with catalogueTest); they run after the cases. */
  readonly tests?: () => void;
}

/** Declares a file's catalogue: its app and database, a test per case, and the checks around them. */
export function runCatalogue(category: string, cases: readonly Case[], options: CatalogueOptions = {}): void {
  describe(`bad input: ${category}`, () => {
    let tablesAtStart: readonly string[] = [];

    beforeAll(async () => {
      fx.app = await TestApp.start(options.env);
      await createUnit(fx.app);
      await createUnit(fx.app, 'HOUR', 'HOURS', 0);
      fx.alice = await openAccount(fx.app, { creditLimit: '1000' });
      fx.bob = await openAccount(fx.app);
      fx.hours = await openAccount(fx.app, { unitCode: 'HOUR' });
      await options.fixtures?.();
      tablesAtStart = Object.keys(await fx.app.snapshot());
    });

    afterEach(async () => {
      await fx.app.assertBooksBalance();
    });

    afterAll(async () => {
      await fx.app.close();
    });

    it('names each case once, and expects codes from the closed set', () => {
      expect(cases.length).toBeGreaterThan(0);
      expect(new Set(cases.map((item) => item.name)).size).toBe(cases.length);
      expect([...ERROR_CODES].sort()).toEqual([...CLOSED_SET].sort());
    });

    it.each(cases.map((item) => [item.name, item] as const))('%s', async (_name, item) => {
      await item.arrange?.();
      const before = await fx.app.snapshot();
      const sent = await item.send();
      expectNoLeaks(sent, item.echoes ?? []);
      if ('accepted' in item.expect) {
        await item.expect.accepted(sent, before);
      } else {
        expectRefusal(sent, item.expect);
        expectUnchanged(before, await fx.app.snapshot(), item.expect.recorded === true);
      }
      await expectHealthy();
    });

    options.tests?.();

    it('leaves every table in place', async () => {
      expect(Object.keys(await fx.app.snapshot())).toEqual(expect.arrayContaining(tablesAtStart));
    });
  });
}

/** A test outside the table, on the file's app (declare it in `tests`); the server must stay healthy after it. */
export function catalogueTest(name: string, run: () => Promise<void>): void {
  it(name, async () => {
    await run();
    await expectHealthy();
  });
}
