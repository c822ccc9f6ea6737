/**
 * Clients that post transfers with ids of their own choosing, over HTTP, to one or more running servers, and
 * retry every unacknowledged request with the same id and content; for the crash test (scripts/crash-test.ts)
 * and the fault e2e tests (test/e2e/faults), whose proof (ledger-proof.ts) compares what the clients were
 * told with what the ledger holds.
 *
 * A request is acknowledged when the server answered it with its outcome: the transaction (applied) or a
 * refusal the ledger keeps against the id (refused). Anything else (no connection, a reset, a timeout, a
 * body cut short, an internal error, an expired session) leaves it unacknowledged, and it is sent again.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { postGraphQL, type GraphQLErrorBody, type Reply } from '../graphql.js';
import type { LedgerSetup } from './ledger-setup.js';
import { randomInt } from './seeded-random.js';

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

/** The load's figures in a few lines, for a report. */
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
