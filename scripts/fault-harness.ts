/**
 * Fault-injection harness shared by `npm run crash-test` (scripts/crash-test.ts) and the fault e2e tests
 * (test/e2e/faults): runs the compiled server as child processes, sets up a steward, a unit and accounts
 * over GraphQL, drives clients that post transfers with ids of their own choosing and retry every
 * unacknowledged request with the same id and content, kills servers with SIGKILL, and finally proves from
 * the database that what the clients were told is exactly what the ledger holds.
 *
 * A request is acknowledged when the server answered it with its outcome: the transaction (applied) or a
 * refusal the ledger keeps against the id (refused). Anything else (no connection, a reset, a timeout, a
 * body cut short, an internal error, an expired session) leaves it unacknowledged, and it is sent again.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDataSource } from '../src/kernel/database/data-source.js';
import { findInvariantViolations } from '../src/ledger/ledger-invariants.js';

// ---------------------------------------------------------------------------------------------------------
// Small utilities

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A seeded generator (mulberry32): the same seed gives the same workload and kill schedule. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function databaseUrlFor(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A short name for why a request got no reply (fetch errors may come from another realm under Jest). */
function describeError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { cause, name, message } = error as { cause?: unknown; name?: unknown; message?: unknown };
  if (typeof cause === 'object' && cause !== null && typeof (cause as { code?: unknown }).code === 'string') {
    return (cause as { code: string }).code;
  }
  if (typeof name === 'string' && name !== 'Error' && name !== 'TypeError') return name;
  return typeof message === 'string' ? message : Object.prototype.toString.call(error);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------------------
// Building and running the compiled server

/**
 * Compiles src, migrations and scripts (tsconfig.build.json) into `outDir`, outside dist/ so that a test run
 * never races another build over the same files. The folder gets a package.json (ESM) and a link to the
 * project's node_modules so that `node <outDir>/src/main.js` resolves its packages. Skipped when a previous
 * call of the same run already completed it.
 */
export async function buildServer(outDir: string, projectRoot = process.cwd()): Promise<void> {
  const complete = path.join(outDir, '.complete');
  if (existsSync(complete)) return;
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, 'package.json'), '{ "type": "module", "private": true }\n');
  await symlink(path.join(projectRoot, 'node_modules'), path.join(outDir, 'node_modules'), 'dir');
  const tsc = path.join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      [tsc, '-p', path.join(projectRoot, 'tsconfig.build.json'), '--outDir', outDir],
      { cwd: projectRoot, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error === null) resolve();
        else reject(new Error(`tsc failed (${error.message}):\n${stdout}${stderr}`));
      },
    );
  });
  await writeFile(complete, new Date().toISOString());
}

const TEST_BUILD_PREFIX = 'cwl-fault-build-';
const TEST_BUILD_LOCK = 7_424_017;

/**
 * For the fault e2e tests: one build per test run (`runId` names the run and ends in the pid of the process
 * that owns it, such as the e2e template database's name), shared by the test files of the run under a
 * PostgreSQL advisory lock on `adminUrl`; builds of runs whose process is gone are deleted. Returns the folder.
 */
export async function buildServerForRun(adminUrl: string, runId: string, projectRoot = process.cwd()): Promise<string> {
  const outDir = path.join(tmpdir(), `${TEST_BUILD_PREFIX}${runId}`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [TEST_BUILD_LOCK]);
    await pruneStaleBuilds(outDir);
    await buildServer(outDir, projectRoot);
  } finally {
    await client.end();
  }
  return outDir;
}

/** Deletes the test builds (other than `keep`) whose run's process, named by the trailing digits, is gone. */
async function pruneStaleBuilds(keep: string): Promise<void> {
  const folder = tmpdir();
  for (const name of await readdir(folder)) {
    if (!name.startsWith(TEST_BUILD_PREFIX) || path.join(folder, name) === keep) continue;
    const pid = Number(/(\d+)$/.exec(name)?.[1] ?? Number.NaN);
    if (!Number.isInteger(pid) || isAlive(pid)) continue;
    await rm(path.join(folder, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

export interface ServerOptions {
  /** The compiled entry point, such as dist/src/main.js. */
  readonly entry: string;
  readonly databaseUrl: string;
  /** Shared by every process and every restart, so that access tokens stay valid. */
  readonly jwtSecret: string;
  readonly port: number;
  /** A short name for logs, such as "A". */
  readonly name: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Receives every line the server writes (it is also kept: see recentOutput). */
  readonly onOutput?: (line: string) => void;
  readonly startTimeoutMs?: number;
}

const KEPT_OUTPUT_LINES = 200;

/** One server process that can be started, killed with SIGKILL and started again on the same port. */
export class ServerProcess {
  readonly url: string;
  starts = 0;
  kills = 0;
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private readonly output: string[] = [];

  constructor(readonly options: ServerOptions) {
    this.url = `http://127.0.0.1:${options.port}`;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** The last lines the server wrote, for a failure report. */
  recentOutput(): string {
    return this.output.join('\n');
  }

  /** Starts the process and waits until /health answers 200 (it has migrated and connected). */
  async start(): Promise<void> {
    if (this.child !== null) throw new Error(`server ${this.options.name} is already running`);
    const child = spawn(process.execPath, [this.options.entry], {
      env: {
        PATH: process.env['PATH'] ?? '',
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(this.options.port),
        DATABASE_URL: this.options.databaseUrl,
        JWT_SECRET: this.options.jwtSecret,
        DEMO_DATA: 'false',
        LOG_LEVEL: 'warn',
        HOLD_EXPIRY_INTERVAL_MS: '0',
        EMAIL_DELIVERY: 'log',
        ...this.options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts += 1;
    const run = this.starts;
    const keep = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        const tagged = `[${this.options.name}#${run}] ${line}`;
        this.output.push(tagged);
        if (this.output.length > KEPT_OUTPUT_LINES) this.output.shift();
        this.options.onOutput?.(tagged);
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let exitCode: number | string | null = null;
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        exitCode = signal ?? code;
        if (this.child === child) this.child = null;
        resolve();
      });
    });
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 60_000);
    while (Date.now() < deadline) {
      if (exitCode !== null) {
        throw new Error(
          `server ${this.options.name} exited (${String(exitCode)}) before it was healthy:\n${this.recentOutput()}`,
        );
      }
      if (await isHealthy(this.url)) return;
      await sleep(25);
    }
    child.kill('SIGKILL');
    await this.exited;
    throw new Error(`server ${this.options.name} was not healthy within the start timeout:\n${this.recentOutput()}`);
  }

  /** SIGKILL: no shutdown hook runs, connections drop mid-request, transactions in flight are cut. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === null) return;
    this.kills += 1;
    child.kill('SIGKILL');
    await this.exited;
  }

  /** A graceful stop (SIGTERM), forced after a few seconds. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}

export async function isHealthy(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------
// GraphQL over fetch

export interface GraphQLErrorBody {
  readonly message?: string;
  readonly extensions?: { readonly code?: string; readonly details?: Record<string, unknown> };
}

export type Reply =
  | { readonly kind: 'reply'; readonly status: number; readonly data: unknown; readonly errors: GraphQLErrorBody[] }
  | { readonly kind: 'no-reply'; readonly reason: string };

/** Posts one GraphQL operation. Never throws: a connection error, timeout or cut body is a `no-reply`. */
export async function postGraphQL(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown>,
  token: string | null,
  timeoutMs = 10_000,
): Promise<Reply> {
  try {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== null) headers['authorization'] = `Bearer ${token}`;
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { kind: 'no-reply', reason: `HTTP ${response.status} without a JSON body` };
    }
    if (!isObject(body) || !('data' in body || 'errors' in body)) {
      return { kind: 'no-reply', reason: `HTTP ${response.status} without a GraphQL body` };
    }
    const errors = Array.isArray(body['errors']) ? (body['errors'] as GraphQLErrorBody[]) : [];
    return { kind: 'reply', status: response.status, data: body['data'] ?? null, errors };
  } catch (error) {
    return { kind: 'no-reply', reason: describeError(error) };
  }
}

/** Like postGraphQL, but any error or lost reply is thrown: for set-up, when no server is being killed. */
export async function graphqlOk<T>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown>,
  token: string | null,
): Promise<T> {
  const reply = await postGraphQL(baseUrl, query, variables, token, 30_000);
  if (reply.kind === 'no-reply') throw new Error(`no reply from ${baseUrl}: ${reply.reason}`);
  if (reply.errors.length > 0 || reply.data === null) {
    throw new Error(`GraphQL errors: ${JSON.stringify(reply.errors)}`);
  }
  return reply.data as T;
}

// ---------------------------------------------------------------------------------------------------------
// Set-up: a steward, a unit, accounts

export const STEWARD_PASSWORD = 'correct horse battery staple';

export interface Steward {
  readonly email: string;
  readonly password: string;
  readonly token: string;
  readonly organizationId: string;
}

export interface AccountSpec {
  readonly id: string;
  readonly creditLimit: bigint;
  readonly upperLimit: bigint | null;
}

export interface LedgerSetup {
  readonly steward: Steward;
  readonly unitCode: string;
  readonly accounts: readonly AccountSpec[];
}

/**
 * A mix of terms, so that refusals happen: a quarter of the accounts cannot go below zero, the others have
 * credit lines of different sizes (the first, often the hot one, a small one), and every fifth has an upper
 * limit.
 */
export function accountPlan(count: number): AccountSpec[] {
  const creditLimits = [500n, 0n, 2_000n, 5_000n];
  return Array.from({ length: count }, (_, index) => ({
    id: randomUUID(),
    creditLimit: creditLimits[index % creditLimits.length] ?? 0n,
    upperLimit: index % 5 === 4 ? 3_000n : null,
  }));
}

/** Registers a steward (ADMIN and TREASURER of a FEDERATION that issues the unit) and opens the accounts. */
export async function setUpLedger(
  baseUrl: string,
  options: { readonly accounts: readonly AccountSpec[]; readonly unitCode?: string; readonly label?: string },
): Promise<LedgerSetup> {
  const label = (options.label ?? randomUUID().slice(0, 8)).toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const unitCode = options.unitCode ?? 'CRASH';
  const email = `steward-${label}@faults.example`;
  const registered = await graphqlOk<{ register: { accessToken: string } }>(
    baseUrl,
    `mutation($input: RegisterInput!) { register(input: $input) { accessToken } }`,
    { input: { email, name: `Steward ${label}`, password: STEWARD_PASSWORD } },
    null,
  );
  const token = registered.register.accessToken;
  const created = await graphqlOk<{ createOrganization: { id: string } }>(
    baseUrl,
    `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
    { input: { kind: 'FEDERATION', name: `Fault federation ${label}`, slug: `faults-${label}` } },
    token,
  );
  const organizationId = created.createOrganization.id;
  const viewer = await graphqlOk<{ me: { memberships: { id: string; organizationId: string }[] } }>(
    baseUrl,
    `{ me { memberships { id organizationId } } }`,
    {},
    token,
  );
  const membership = viewer.me.memberships.find((item) => item.organizationId === organizationId);
  if (membership === undefined) throw new Error('the steward is a member of the federation they created');
  await graphqlOk(
    baseUrl,
    `mutation($input: SetMemberRolesInput!) { setMemberRoles(input: $input) { id } }`,
    { input: { membershipId: membership.id, roles: ['ADMIN', 'TREASURER'] } },
    token,
  );
  await graphqlOk(
    baseUrl,
    `mutation($input: CreateUnitInput!) { createUnit(input: $input) { code } }`,
    { input: { code: unitCode, name: `${unitCode} credit`, kind: 'CREDIT', scale: 2, issuerId: organizationId } },
    token,
  );
  for (const [index, account] of options.accounts.entries()) {
    await graphqlOk(
      baseUrl,
      `mutation($input: OpenAccountInput!) { openAccount(input: $input) { id } }`,
      {
        input: {
          id: account.id,
          unitCode,
          holderId: organizationId,
          name: `Account ${index}`,
          kind: 'MEMBER',
          creditLimit: String(account.creditLimit),
          upperLimit: account.upperLimit === null ? null : String(account.upperLimit),
        },
      },
      token,
    );
  }
  return {
    steward: { email, password: STEWARD_PASSWORD, token, organizationId },
    unitCode,
    accounts: options.accounts,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Load: clients that retry every unacknowledged request with the same id and content

/** The refusals the ledger keeps against an id: a retry of the id replays them. */
export const KEPT_REFUSALS: ReadonlySet<string> = new Set(['CREDIT_LIMIT_EXCEEDED', 'UPPER_LIMIT_EXCEEDED']);

export type ItemOutcome =
  | { readonly status: 'APPLIED'; readonly replayed: boolean }
  | { readonly status: 'REFUSED'; readonly reason: string; readonly replayed: boolean }
  /** An answer no valid transfer should get (a CONFLICT on a retry, a validation error): a failure. */
  | { readonly status: 'UNEXPECTED'; readonly detail: string };

/** One transfer as the client sent it, and what it was told. */
export interface SentTransfer {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly amount: bigint;
  readonly memo: string;
  readonly input: Record<string, unknown>;
  outcome: ItemOutcome | null;
}

/** One HTTP request (a single postTransaction, or a postTransactions bulk), sent until acknowledged. */
export interface TrackedRequest {
  readonly client: number;
  readonly bulk: boolean;
  readonly items: readonly SentTransfer[];
  attempts: number;
  /** Why the attempts before the acknowledgement were not acknowledged. */
  readonly lost: string[];
}

export interface LoadOptions {
  readonly setup: LedgerSetup;
  /** Base URLs of the servers; a client's attempts go round them, starting at its own. */
  readonly servers: readonly string[];
  readonly clients: number;
  readonly random: () => number;
  /** Share of requests that are bulk postTransactions of 2 to 5 transfers (default 0.2). */
  readonly bulkShare?: number;
  /** Index of an account in a share of transfers (hotShare, default 0.3) as payer or payee. */
  readonly hotAccount?: number;
  readonly hotShare?: number;
  /** In a transfer with the hot account, the chance that it pays (default 0.5; more drives it to its limit). */
  readonly hotPays?: number;
  readonly maxAmount?: number;
  readonly requestTimeoutMs?: number;
  /** Pause between a client's requests (default 0). */
  readonly thinkMs?: number;
}

export interface LoadStats {
  readonly requests: number;
  readonly bulkRequests: number;
  readonly transfers: number;
  readonly httpAttempts: number;
  /** Attempts after the first, over all requests. */
  readonly retries: number;
  /** Requests that needed at least one retry. */
  readonly retriedRequests: number;
  /** Attempts that got no answer (connection refused or reset, timeout, body cut short). */
  readonly lostReplies: number;
  /** Transfers whose acknowledgement was a replay: an earlier attempt whose reply was lost had been decided. */
  readonly decidedBeforeAck: number;
  readonly applied: number;
  readonly refused: number;
  readonly refusedByReason: Readonly<Record<string, number>>;
  readonly unexpected: number;
  readonly unacknowledged: number;
  readonly internalErrors: number;
  readonly relogins: number;
  readonly attemptsByServer: Readonly<Record<string, number>>;
  readonly lostByReason: Readonly<Record<string, number>>;
}

const POST_TRANSACTION = `mutation($input: PostTransactionInput!) {
  postTransaction(input: $input) { replayed transaction { id } } }`;
const POST_TRANSACTIONS = `mutation($input: PostTransactionsInput!) {
  postTransactions(input: $input) { id replayed transaction { id } error { code reason } } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { accessToken } }`;

type Verdict =
  | { readonly kind: 'acknowledged'; readonly outcomes: readonly ItemOutcome[] }
  | { readonly kind: 'retry'; readonly reason: string; readonly relogin?: boolean; readonly internal?: boolean };

/**
 * Clients posting transfers until `stop()`; each has one request in flight, sent again (same id, same body)
 * until it is acknowledged or the retry deadline given to `stop()` passes.
 */
export class TransferLoad {
  readonly requests: TrackedRequest[] = [];
  /** Errors that show a fault in the service, for the report. */
  readonly anomalies: string[] = [];
  private stopping = false;
  private retryDeadline = Number.POSITIVE_INFINITY;
  private running: Promise<void>[] = [];
  private awaitingReply = 0;
  private counters = { httpAttempts: 0, lostReplies: 0, internalErrors: 0, relogins: 0 };
  private readonly attemptsByServer: Record<string, number> = {};
  private readonly lostByReason: Record<string, number> = {};
  private readonly tokens: (string | null)[];

  constructor(private readonly options: LoadOptions) {
    this.tokens = Array.from({ length: options.clients }, () => null);
  }

  /** Signs every client in (a session each) and starts them. */
  async start(): Promise<void> {
    await Promise.all(
      this.tokens.map(async (_, client) => {
        this.tokens[client] = await this.login(client, 0);
      }),
    );
    this.running = Array.from({ length: this.options.clients }, (_, client) => this.clientLoop(client));
  }

  /** HTTP requests sent and awaiting their reply at this moment (the ones a kill cuts). */
  pending(): number {
    return this.awaitingReply;
  }

  /** No new requests; requests in flight are retried until acknowledged or until retryWithinMs has passed. */
  async stop(retryWithinMs = 60_000): Promise<void> {
    this.stopping = true;
    this.retryDeadline = Date.now() + retryWithinMs;
    await Promise.all(this.running);
  }

  transfers(): SentTransfer[] {
    return this.requests.flatMap((request) => request.items);
  }

  stats(): LoadStats {
    const transfers = this.transfers();
    const refusedByReason: Record<string, number> = {};
    for (const transfer of transfers) {
      if (transfer.outcome?.status === 'REFUSED') {
        refusedByReason[transfer.outcome.reason] = (refusedByReason[transfer.outcome.reason] ?? 0) + 1;
      }
    }
    return {
      requests: this.requests.length,
      bulkRequests: this.requests.filter((request) => request.bulk).length,
      transfers: transfers.length,
      httpAttempts: this.counters.httpAttempts,
      retries: this.requests.reduce((sum, request) => sum + Math.max(0, request.attempts - 1), 0),
      retriedRequests: this.requests.filter((request) => request.attempts > 1).length,
      lostReplies: this.counters.lostReplies,
      decidedBeforeAck: transfers.filter(
        (transfer) =>
          (transfer.outcome?.status === 'APPLIED' || transfer.outcome?.status === 'REFUSED') &&
          transfer.outcome.replayed,
      ).length,
      applied: transfers.filter((transfer) => transfer.outcome?.status === 'APPLIED').length,
      refused: transfers.filter((transfer) => transfer.outcome?.status === 'REFUSED').length,
      refusedByReason,
      unexpected: transfers.filter((transfer) => transfer.outcome?.status === 'UNEXPECTED').length,
      unacknowledged: transfers.filter((transfer) => transfer.outcome === null).length,
      internalErrors: this.counters.internalErrors,
      relogins: this.counters.relogins,
      attemptsByServer: { ...this.attemptsByServer },
      lostByReason: { ...this.lostByReason },
    };
  }

  private server(client: number, attempt: number): string {
    const servers = this.options.servers;
    return servers[(client + attempt) % servers.length] ?? servers[0] ?? '';
  }

  private async login(client: number, attempt: number): Promise<string> {
    const { email, password } = this.options.setup.steward;
    for (let tries = 0; ; tries += 1) {
      if (tries > 0 && Date.now() > this.retryDeadline) throw new Error(`client ${client} could not log in`);
      const reply = await postGraphQL(
        this.server(client, attempt + tries),
        LOGIN,
        { input: { email, password } },
        null,
      );
      const token = reply.kind === 'reply' ? (reply.data as { login?: { accessToken?: unknown } } | null) : null;
      if (typeof token?.login?.accessToken === 'string') return token.login.accessToken;
      if (reply.kind === 'reply' && reply.errors.length > 0) {
        this.anomalies.push(`login refused: ${JSON.stringify(reply.errors)}`);
      }
      await sleep(backoff(tries));
    }
  }

  private async clientLoop(client: number): Promise<void> {
    let attemptBase = 0;
    while (!this.stopping) {
      const request = this.nextRequest(client);
      this.requests.push(request);
      attemptBase = await this.deliver(request, attemptBase);
      if ((this.options.thinkMs ?? 0) > 0) await sleep(this.options.thinkMs ?? 0);
    }
  }

  /** Sends until acknowledged (or the deadline); returns where the client's server rotation stands. */
  private async deliver(request: TrackedRequest, attemptBase: number): Promise<number> {
    let attempt = attemptBase;
    for (let tries = 0; ; tries += 1) {
      if (tries > 0 && Date.now() > this.retryDeadline) return attempt;
      const server = this.server(request.client, attempt);
      request.attempts += 1;
      this.counters.httpAttempts += 1;
      this.attemptsByServer[server] = (this.attemptsByServer[server] ?? 0) + 1;
      this.awaitingReply += 1;
      const reply = await postGraphQL(
        server,
        request.bulk ? POST_TRANSACTIONS : POST_TRANSACTION,
        request.bulk
          ? { input: { transactions: request.items.map((item) => item.input) } }
          : { input: request.items[0]?.input },
        this.tokens[request.client] ?? null,
        this.options.requestTimeoutMs,
      ).finally(() => {
        this.awaitingReply -= 1;
      });
      const verdict = request.bulk ? judgeBulk(reply, request.items) : judgeSingle(reply, request.items[0]?.id ?? '');
      if (verdict.kind === 'acknowledged') {
        verdict.outcomes.forEach((outcome, index) => {
          const item = request.items[index];
          if (item === undefined) return;
          item.outcome = outcome;
          if (outcome.status === 'UNEXPECTED') this.anomalies.push(`transfer ${item.id}: ${outcome.detail}`);
        });
        return attempt;
      }
      request.lost.push(verdict.reason);
      this.lostByReason[verdict.reason] = (this.lostByReason[verdict.reason] ?? 0) + 1;
      if (reply.kind === 'no-reply') this.counters.lostReplies += 1;
      if (verdict.internal === true) {
        this.counters.internalErrors += 1;
        this.anomalies.push(`internal error on request ${request.items[0]?.id ?? '?'}: ${verdict.reason}`);
      }
      if (verdict.relogin === true) {
        this.counters.relogins += 1;
        this.tokens[request.client] = await this.login(request.client, attempt);
      }
      // The next attempt goes to the next server (with one server: the same one, restarted or not).
      attempt += 1;
      await sleep(backoff(tries));
    }
  }

  private nextRequest(client: number): TrackedRequest {
    const random = this.options.random;
    const bulk = random() < (this.options.bulkShare ?? 0.2);
    const count = bulk ? randomInt(random, 2, 5) : 1;
    return {
      client,
      bulk,
      items: Array.from({ length: count }, () => this.nextTransfer(client)),
      attempts: 0,
      lost: [],
    };
  }

  private nextTransfer(client: number): SentTransfer {
    const { random, setup } = this.options;
    const accounts = setup.accounts;
    const hot = this.options.hotAccount;
    let fromIndex = randomInt(random, 0, accounts.length - 1);
    let toIndex = randomInt(random, 0, accounts.length - 2);
    if (hot !== undefined && random() < (this.options.hotShare ?? 0.3)) {
      const other = randomInt(random, 0, accounts.length - 2);
      const otherIndex = other >= hot ? other + 1 : other;
      [fromIndex, toIndex] = random() < (this.options.hotPays ?? 0.5) ? [hot, otherIndex] : [otherIndex, hot];
    } else if (toIndex >= fromIndex) {
      toIndex += 1;
    }
    const from = accounts[fromIndex]?.id ?? '';
    const to = accounts[toIndex]?.id ?? '';
    const amount = BigInt(randomInt(random, 1, this.options.maxAmount ?? 100));
    const id = randomUUID();
    const memo = `client ${client}`;
    return {
      id,
      from,
      to,
      amount,
      memo,
      outcome: null,
      input: {
        id,
        unitCode: setup.unitCode,
        kind: 'TRADE',
        memo,
        metadata: [{ key: 'client', value: String(client) }],
        entries: [
          { accountId: from, side: 'DEBIT', amount: String(amount) },
          { accountId: to, side: 'CREDIT', amount: String(amount) },
        ],
      },
    };
  }
}

function backoff(tries: number): number {
  return Math.min(500, 20 * 2 ** Math.min(tries, 5)) * (0.5 + Math.random());
}

/** What the errors of a reply mean for the whole request, when they are not one item's refusal. */
function judgeRequestErrors(errors: readonly GraphQLErrorBody[]): Verdict | null {
  const first = errors[0];
  if (first === undefined) return null;
  const code = first.extensions?.code ?? 'NO_CODE';
  if (code === 'UNAUTHENTICATED') return { kind: 'retry', reason: 'UNAUTHENTICATED', relogin: true };
  if (code === 'INTERNAL_SERVER_ERROR') return { kind: 'retry', reason: 'INTERNAL_SERVER_ERROR', internal: true };
  return null;
}

function refusalOutcome(code: string, reason: string, replayed: boolean): ItemOutcome {
  if (KEPT_REFUSALS.has(reason)) return { status: 'REFUSED', reason, replayed };
  return { status: 'UNEXPECTED', detail: `${code}/${reason}` };
}

function judgeSingle(reply: Reply, id: string): Verdict {
  if (reply.kind === 'no-reply') return { kind: 'retry', reason: reply.reason };
  const data = reply.data as { postTransaction?: { replayed?: boolean; transaction?: { id?: string } } } | null;
  const payload = data?.postTransaction;
  if (payload !== undefined && reply.errors.length === 0) {
    if (payload.transaction?.id !== id) {
      return {
        kind: 'acknowledged',
        outcomes: [{ status: 'UNEXPECTED', detail: `answered with ${JSON.stringify(payload)}` }],
      };
    }
    return { kind: 'acknowledged', outcomes: [{ status: 'APPLIED', replayed: payload.replayed === true }] };
  }
  const request = judgeRequestErrors(reply.errors);
  if (request !== null) return request;
  const first = reply.errors[0];
  const code = first?.extensions?.code ?? 'NO_CODE';
  const reason = typeof first?.extensions?.details?.['reason'] === 'string' ? first.extensions.details['reason'] : '';
  if (first === undefined) {
    return {
      kind: 'acknowledged',
      outcomes: [{ status: 'UNEXPECTED', detail: `HTTP ${reply.status} with no result` }],
    };
  }
  return {
    kind: 'acknowledged',
    outcomes: [refusalOutcome(code, reason, first.extensions?.details?.['replayed'] === true)],
  };
}

function judgeBulk(reply: Reply, items: readonly SentTransfer[]): Verdict {
  if (reply.kind === 'no-reply') return { kind: 'retry', reason: reply.reason };
  const request = judgeRequestErrors(reply.errors);
  if (request !== null) return request;
  const data = reply.data as {
    postTransactions?: {
      id?: string;
      replayed?: boolean;
      transaction?: { id?: string } | null;
      error?: { code?: string; reason?: string } | null;
    }[];
  } | null;
  const results = data?.postTransactions;
  if (results === undefined || results.length !== items.length || reply.errors.length > 0) {
    const detail = `bulk answered with ${JSON.stringify({ data: reply.data, errors: reply.errors }).slice(0, 500)}`;
    return { kind: 'acknowledged', outcomes: items.map((): ItemOutcome => ({ status: 'UNEXPECTED', detail })) };
  }
  return {
    kind: 'acknowledged',
    outcomes: items.map((item, index): ItemOutcome => {
      const result = results[index];
      if (result?.id !== item.id) return { status: 'UNEXPECTED', detail: `result ${index} is for ${result?.id}` };
      if (result.transaction?.id === item.id) return { status: 'APPLIED', replayed: result.replayed === true };
      if (result.error !== null && result.error !== undefined) {
        return refusalOutcome(result.error.code ?? 'NO_CODE', result.error.reason ?? '', result.replayed === true);
      }
      return { status: 'UNEXPECTED', detail: `result ${index} has neither transaction nor error` };
    }),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Killing

export interface KillRecord {
  readonly server: string;
  /** How long the server had been healthy when it was killed. */
  readonly uptimeMs: number;
  /** Requests in flight (sent, not acknowledged) at the moment of the kill. */
  readonly inFlight: number;
  /** From the kill until the restarted server was healthy again. */
  readonly downMs: number;
}

/**
 * Kills `server` with SIGKILL `kills` times at random moments and restarts it each time (waiting for
 * /health 200). Uptimes are random around `uptimeMs` on average, from a few milliseconds to almost twice that.
 */
export async function killRepeatedly(
  server: ServerProcess,
  options: {
    readonly kills: number;
    readonly uptimeMs: number;
    readonly random: () => number;
    readonly pending: () => number;
    readonly log?: (line: string) => void;
  },
): Promise<KillRecord[]> {
  const records: KillRecord[] = [];
  for (let kill = 1; kill <= options.kills; kill += 1) {
    const uptimeMs = Math.max(5, Math.round(options.uptimeMs * 1.9 * options.random()));
    await sleep(uptimeMs);
    const inFlight = options.pending();
    const killedAt = Date.now();
    await server.kill();
    // Sometimes straight back, sometimes after a pause in which clients find nothing listening.
    await sleep(Math.round(options.random() * 300));
    await server.start();
    const record = { server: server.options.name, uptimeMs, inFlight, downMs: Date.now() - killedAt };
    records.push(record);
    options.log?.(
      `kill ${kill}/${options.kills}: after ${uptimeMs} ms up, ${inFlight} requests in flight; ` +
        `healthy again after ${record.downMs} ms`,
    );
  }
  return records;
}

// ---------------------------------------------------------------------------------------------------------
// The proof

export interface ProofFacts {
  readonly transactions: number;
  readonly entries: number;
  readonly outcomes: number;
  readonly keptRefusals: number;
  readonly accounts: number;
  readonly deadlocks: number;
}

export interface Proof {
  readonly failures: string[];
  readonly facts: ProofFacts;
}

const SHOWN = 5;

function summarize(label: string, ids: readonly string[]): string {
  return `${label}: ${ids.length} (first: ${ids.slice(0, SHOWN).join(', ')})`;
}

/**
 * Proves from the database that the ledger holds exactly what the clients were told:
 * - every transfer acknowledged as applied is one ledger_transaction (with its outcome), with the entries,
 *   amounts and memo that were sent;
 * - every transfer acknowledged as refused has no transaction, and its refusal is kept against its id;
 * - no transaction, and no outcome, exists for an id that was never sent, and none is left unacknowledged;
 * - each account's posted counters equal the sums of the applied transfers the clients counted, nothing is
 *   pending, and no account is past its credit limit or upper limit;
 * - every ledger invariant holds (findInvariantViolations returns nothing);
 * - PostgreSQL detected no deadlock in the database.
 */
export async function proveLedger(
  databaseUrl: string,
  setup: LedgerSetup,
  transfers: readonly SentTransfer[],
): Promise<Proof> {
  const failures: string[] = [];
  const dataSource = createDataSource(databaseUrl, 2);
  await dataSource.initialize();
  try {
    const transactions = await dataSource.query<{ id: string; memo: string; operation: string; entry_count: number }[]>(
      `SELECT id, memo, operation, entry_count FROM ledger_transaction`,
    );
    const duplicates = await dataSource.query<{ id: string }[]>(
      `SELECT id FROM ledger_transaction GROUP BY id HAVING count(*) > 1`,
    );
    const entries = await dataSource.query<
      { transaction_id: string; account_id: string; side: string; amount: string }[]
    >(`SELECT transaction_id, account_id, side, amount FROM entry`);
    const outcomes = await dataSource.query<{ id: string; reason: string | null }[]>(
      `SELECT id, refusal ->> 'reason' AS reason FROM transaction_outcome`,
    );
    const accounts = await dataSource.query<
      {
        id: string;
        credit_limit: string;
        upper_limit: string | null;
        debits_posted: string;
        credits_posted: string;
        debits_pending: string;
        credits_pending: string;
      }[]
    >(
      `SELECT id, credit_limit, upper_limit, debits_posted, credits_posted, debits_pending, credits_pending FROM account`,
    );
    const [deadlockRow] = await dataSource.query<{ deadlocks: string }[]>(
      `SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()`,
    );

    const byTransaction = new Map(transactions.map((row) => [row.id, row]));
    const entriesOf = new Map<string, typeof entries>();
    for (const entry of entries) {
      const list = entriesOf.get(entry.transaction_id) ?? [];
      list.push(entry);
      entriesOf.set(entry.transaction_id, list);
    }
    const outcomeOf = new Map(outcomes.map((row) => [row.id, row]));
    const sent = new Map(transfers.map((transfer) => [transfer.id, transfer]));

    if (duplicates.length > 0)
      failures.push(
        summarize(
          'transaction ids present more than once',
          duplicates.map((row) => row.id),
        ),
      );

    const missing: string[] = [];
    const wrongContent: string[] = [];
    const appliedWithoutOutcome: string[] = [];
    const refusedButWritten: string[] = [];
    const refusalNotKept: string[] = [];
    const unacknowledged: string[] = [];
    const unexpected: string[] = [];
    for (const transfer of transfers) {
      const outcome = transfer.outcome;
      if (outcome === null) {
        unacknowledged.push(transfer.id);
        continue;
      }
      if (outcome.status === 'UNEXPECTED') {
        unexpected.push(`${transfer.id} (${outcome.detail})`);
        continue;
      }
      const written = byTransaction.get(transfer.id);
      const kept = outcomeOf.get(transfer.id);
      if (outcome.status === 'APPLIED') {
        if (written === undefined) {
          missing.push(transfer.id);
          continue;
        }
        if (kept === undefined || kept.reason !== null) appliedWithoutOutcome.push(transfer.id);
        const legs = entriesOf.get(transfer.id) ?? [];
        const debit = legs.find((leg) => leg.side === 'DEBIT');
        const credit = legs.find((leg) => leg.side === 'CREDIT');
        if (
          written.operation !== 'TRANSFER' ||
          written.memo !== transfer.memo ||
          legs.length !== 2 ||
          debit?.account_id !== transfer.from ||
          credit?.account_id !== transfer.to ||
          BigInt(debit.amount) !== transfer.amount ||
          BigInt(credit.amount) !== transfer.amount
        ) {
          wrongContent.push(transfer.id);
        }
      } else {
        if (written !== undefined) refusedButWritten.push(transfer.id);
        if (kept?.reason !== outcome.reason) refusalNotKept.push(`${transfer.id} (${kept?.reason ?? 'no outcome'})`);
      }
    }
    if (unacknowledged.length > 0) failures.push(summarize('transfers never acknowledged', unacknowledged));
    if (unexpected.length > 0) failures.push(summarize('transfers answered unexpectedly', unexpected));
    if (missing.length > 0) failures.push(summarize('acknowledged as applied but not in the ledger', missing));
    if (wrongContent.length > 0) failures.push(summarize('written with other content than was sent', wrongContent));
    if (appliedWithoutOutcome.length > 0) {
      failures.push(summarize('applied without an applied outcome', appliedWithoutOutcome));
    }
    if (refusedButWritten.length > 0)
      failures.push(summarize('acknowledged as refused but in the ledger', refusedButWritten));
    if (refusalNotKept.length > 0) failures.push(summarize('refusals not kept against their ids', refusalNotKept));

    const neverSent = transactions.filter((row) => !sent.has(row.id)).map((row) => row.id);
    if (neverSent.length > 0) failures.push(summarize('transactions that were never sent', neverSent));
    const strayOutcomes = outcomes.filter((row) => !sent.has(row.id)).map((row) => row.id);
    if (strayOutcomes.length > 0) failures.push(summarize('outcomes for ids never sent', strayOutcomes));
    const halfWritten = transactions
      .filter((row) => (entriesOf.get(row.id)?.length ?? 0) !== Number(row.entry_count))
      .map((row) => row.id);
    if (halfWritten.length > 0) failures.push(summarize('transactions with missing entries', halfWritten));

    // Each account's counters against the sums of what the clients were told was applied.
    const expected = new Map(setup.accounts.map((account) => [account.id, { debits: 0n, credits: 0n }]));
    for (const transfer of transfers) {
      if (transfer.outcome?.status !== 'APPLIED') continue;
      const from = expected.get(transfer.from);
      const to = expected.get(transfer.to);
      if (from !== undefined) from.debits += transfer.amount;
      if (to !== undefined) to.credits += transfer.amount;
    }
    const wrongCounters: string[] = [];
    const pastLimits: string[] = [];
    for (const account of accounts) {
      const sums = expected.get(account.id);
      if (sums === undefined) {
        wrongCounters.push(`${account.id} (not opened by the set-up)`);
        continue;
      }
      const debits = BigInt(account.debits_posted);
      const credits = BigInt(account.credits_posted);
      if (
        debits !== sums.debits ||
        credits !== sums.credits ||
        account.debits_pending !== '0' ||
        account.credits_pending !== '0'
      ) {
        wrongCounters.push(
          `${account.id} (debits ${debits} vs ${sums.debits} sent, credits ${credits} vs ${sums.credits} sent)`,
        );
      }
      const balance = credits - debits;
      if (balance < -BigInt(account.credit_limit))
        pastLimits.push(`${account.id} (balance ${balance}, credit limit ${account.credit_limit})`);
      if (account.upper_limit !== null && balance > BigInt(account.upper_limit)) {
        pastLimits.push(`${account.id} (balance ${balance}, upper limit ${account.upper_limit})`);
      }
    }
    if (accounts.length !== setup.accounts.length) {
      failures.push(`${accounts.length} accounts in the database, ${setup.accounts.length} opened`);
    }
    if (wrongCounters.length > 0)
      failures.push(summarize('account counters that differ from the acknowledged transfers', wrongCounters));
    if (pastLimits.length > 0) failures.push(summarize('accounts past a limit', pastLimits));

    for (const violation of await findInvariantViolations(dataSource.manager)) {
      failures.push(`invariant broken: ${violation.invariant}: ${JSON.stringify(violation.rows.slice(0, SHOWN))}`);
    }
    const deadlocks = Number(deadlockRow?.deadlocks ?? 0);
    if (deadlocks > 0) failures.push(`PostgreSQL detected ${deadlocks} deadlocks in the database`);

    return {
      failures,
      facts: {
        transactions: transactions.length,
        entries: entries.length,
        outcomes: outcomes.length,
        keptRefusals: outcomes.filter((row) => row.reason !== null).length,
        accounts: accounts.length,
        deadlocks,
      },
    };
  } finally {
    await dataSource.destroy();
  }
}

/** Runs the compiled `verify` script on the database; resolves with its exit code and output. */
export function runVerify(entry: string, databaseUrl: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [entry],
      { env: { PATH: process.env['PATH'] ?? '', DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

export function formatStats(stats: LoadStats): string {
  const reasons = Object.entries(stats.refusedByReason)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  const lost = Object.entries(stats.lostByReason)
    .sort(([, a], [, b]) => b - a)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  return [
    `requests ${stats.requests} (${stats.bulkRequests} bulk), transfers ${stats.transfers}, HTTP attempts ${stats.httpAttempts}`,
    `retries ${stats.retries} over ${stats.retriedRequests} requests; replies lost ${stats.lostReplies}` +
      (lost === '' ? '' : ` (${lost})`),
    `transfers decided before their acknowledgement (a retry replayed them) ${stats.decidedBeforeAck}`,
    `applied ${stats.applied}, refused ${stats.refused}${reasons === '' ? '' : ` (${reasons})`}, unexpected ${stats.unexpected}, ` +
      `unacknowledged ${stats.unacknowledged}`,
    `internal errors ${stats.internalErrors}, re-logins ${stats.relogins}`,
  ].join('\n');
}
