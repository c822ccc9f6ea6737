import { randomInt, randomUUID } from 'node:crypto';
import autocannon from 'autocannon';

/**
 * Load phases with autocannon: each request's body is built as it is sent (a fresh transaction id and
 * random accounts), and each response is read to count what the ledger applied and what it refused.
 */
export interface LoadFigures {
  readonly connections: number;
  readonly seconds: number;
  readonly requests: number;
  /** 2xx responses without GraphQL errors. */
  readonly okResponses: number;
  /** Ledger transactions applied (one per ok single request; the applied items of a bulk request). */
  readonly applied: number;
  /** Transactions (or reads) refused, by reason. */
  readonly refused: number;
  readonly refusals: Record<string, number>;
  readonly non2xx: number;
  readonly socketErrors: number;
  readonly timeouts: number;
  /** Applied transactions (or successful reads) per second. */
  readonly perSecond: number;
  readonly latencyMs: { p50: number; p99: number; mean: number; max: number };
}

export interface Classification {
  readonly applied: number;
  readonly refused: readonly string[];
}

export interface LoadOptions {
  readonly endpoint: string;
  readonly token: string;
  readonly connections: number;
  /** Run for this many seconds, or until `amount` requests have been answered. */
  readonly seconds?: number;
  readonly amount?: number;
  readonly timeoutSeconds?: number;
  readonly body: () => string;
  readonly classify: (body: string) => Classification;
  readonly onProgress?: (answered: number) => void;
}

export async function runLoad(options: LoadOptions): Promise<LoadFigures> {
  let okResponses = 0;
  let applied = 0;
  let answered = 0;
  const refusals: Record<string, number> = {};
  const latencies: number[] = [];
  const instance = autocannon({
    url: options.endpoint,
    connections: options.connections,
    ...(options.amount === undefined ? { duration: options.seconds ?? 10 } : { amount: options.amount }),
    timeout: options.timeoutSeconds ?? 30,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
    requests: [
      {
        method: 'POST',
        path: '/graphql',
        setupRequest: (request) => ({ ...request, body: options.body() }),
        onResponse: (status, body) => {
          answered += 1;
          options.onProgress?.(answered);
          if (status < 200 || status > 299) {
            count(refusals, `HTTP_${status}`);
            return;
          }
          let outcome: Classification;
          try {
            outcome = options.classify(body);
          } catch {
            outcome = { applied: 0, refused: ['UNREADABLE_RESPONSE'] };
          }
          if (outcome.applied > 0 || outcome.refused.length === 0) okResponses += 1;
          applied += outcome.applied;
          for (const reason of outcome.refused) count(refusals, reason);
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode >= 200 && statusCode <= 299) latencies.push(responseTime);
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  const requests = Object.values(result.statusCodeStats).reduce((sum, stats) => sum + Number(stats.count), 0);
  return {
    connections: options.connections,
    seconds: result.duration,
    requests,
    okResponses,
    applied,
    refused: Object.values(refusals).reduce((sum, value) => sum + value, 0),
    refusals,
    non2xx: result.non2xx,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    perSecond: applied / result.duration,
    latencyMs: {
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      mean: latencies.length === 0 ? 0 : latencies.reduce((sum, value) => sum + value, 0) / latencies.length,
      max: latencies.at(-1) ?? 0,
    },
  };
}

function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))] ?? 0;
}

function count(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

// ── The bench's requests ─────────────────────────────────────────────────────────────────────────

const POST_ONE = `mutation($input: PostTransactionInput!) { postTransaction(input: $input) { replayed } }`;
const POST_MANY = `mutation($input: PostTransactionsInput!) { postTransactions(input: $input) { error { reason } } }`;

interface Transfer {
  readonly id: string;
  readonly unitCode: string;
  readonly entries: readonly { accountId: string; side: 'DEBIT' | 'CREDIT'; amount: string }[];
}

export function transfer(unitCode: string, debit: string, credit: string): Transfer {
  const amount = String(randomInt(1, 10_000));
  return {
    id: randomUUID(),
    unitCode,
    entries: [
      { accountId: debit, side: 'DEBIT', amount },
      { accountId: credit, side: 'CREDIT', amount },
    ],
  };
}

/** Two different accounts, uniformly; with `hot`, the credit goes to `hot` with probability `hotShare`. */
export function pickPair(
  accounts: readonly string[],
  hot?: { account: string; share: number },
): { debit: string; credit: string } {
  if (hot !== undefined && Math.random() < hot.share) {
    let debit = hot.account;
    while (debit === hot.account) debit = accounts[randomInt(accounts.length)] ?? hot.account;
    return { debit, credit: hot.account };
  }
  const debitIndex = randomInt(accounts.length);
  const creditIndex = (debitIndex + 1 + randomInt(accounts.length - 1)) % accounts.length;
  return { debit: accounts[debitIndex] ?? '', credit: accounts[creditIndex] ?? '' };
}

export function postOneBody(item: Transfer): string {
  return JSON.stringify({ query: POST_ONE, variables: { input: item } });
}

export function postManyBody(items: readonly Transfer[]): string {
  return JSON.stringify({ query: POST_MANY, variables: { input: { transactions: items } } });
}

interface Response<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; details?: { reason?: string } } }[];
}

function errorReasons(errors: NonNullable<Response<unknown>['errors']>): string[] {
  return errors.map((error) => error.extensions?.details?.reason ?? error.extensions?.code ?? error.message);
}

export function classifyOne(body: string): Classification {
  const parsed = JSON.parse(body) as Response<{ postTransaction?: { replayed: boolean } }>;
  if (parsed.errors !== undefined) return { applied: 0, refused: errorReasons(parsed.errors) };
  if (parsed.data?.postTransaction === undefined) return { applied: 0, refused: ['NO_DATA'] };
  return parsed.data.postTransaction.replayed ? { applied: 0, refused: ['REPLAYED'] } : { applied: 1, refused: [] };
}

export function classifyMany(body: string): Classification {
  const parsed = JSON.parse(body) as Response<{ postTransactions?: { error: { reason: string } | null }[] }>;
  if (parsed.errors !== undefined) return { applied: 0, refused: errorReasons(parsed.errors) };
  const results = parsed.data?.postTransactions;
  if (results === undefined) return { applied: 0, refused: ['NO_DATA'] };
  const refused = results.flatMap((result) => (result.error === null ? [] : [result.error.reason]));
  return { applied: results.length - refused.length, refused };
}

/** A read succeeds when it has data and no errors; it counts as one "applied". */
export function classifyRead(body: string): Classification {
  const parsed = JSON.parse(body) as Response<unknown>;
  if (parsed.errors !== undefined) return { applied: 0, refused: errorReasons(parsed.errors) };
  return parsed.data === null || parsed.data === undefined
    ? { applied: 0, refused: ['NO_DATA'] }
    : { applied: 1, refused: [] };
}
