import { MAX_BUDGET_BALLOTS, MAX_BUDGET_PROPOSALS } from '../src/governance/rules/participatory-budget.js';
import { MAX_GROUP_SIZE } from '../src/ledger/rules/ledger-limits.js';

/**
 * What a bench run does, from the environment. Defaults are the figures; BENCH_QUICK=1 shrinks the
 * durations, the history account and the grouped write for a smoke run (and then leaves bench/RESULTS.md alone).
 */
export interface BenchSettings {
  readonly quick: boolean;
  /** Seconds of each measured write phase (pgbench, single, bulk, hot). */
  readonly seconds: number;
  /** Seconds of each read measurement (history page, balance), at each client count. */
  readonly readSeconds: number;
  /** Seconds of unmeasured single mutations before the first measured phase (JIT, pools, caches). */
  readonly warmupSeconds: number;
  /** Concurrent clients of pgbench and of the single-mutation phases. */
  readonly clients: number;
  readonly accounts: number;
  readonly bulkSize: number;
  readonly bulkConnections: number;
  /** Share of the hot phase's transfers that credit the one hot account. */
  readonly hotShare: number;
  readonly historyEntries: number;
  readonly historyPage: number;
  /** Transfers of the grouped write: one authority, one applyGroup call, one database transaction. */
  readonly groupSize: number;
  /** Seats (and so at most ballots) of the motion the governance phase closes. */
  readonly tallyBallots: number;
  /** Voters and proposals of the governance phase's participatory budget (Equal Shares). */
  readonly budgetVoters: number;
  readonly budgetProposals: number;
  /** The time bank phase: members, due exchanges confirmed in one pass, and listings searched. */
  readonly timebankMembers: number;
  readonly timebankDue: number;
  readonly timebankListings: number;
  /** Strikers of the strike-funds phase's weekly stipend batch. */
  readonly strikers: number;
  /** Accounts of the redistribution phase's run (half paying, half receiving). */
  readonly redistributionAccounts: number;
  /** Member co-ops and accepted, unpaid obligations of the trade phase's clearing round. */
  readonly tradeMembers: number;
  readonly tradeObligations: number;
  /** Leases of the land-trusts phase: one month's charges for each. */
  readonly leases: number;
  readonly pgbenchScale: number;
  readonly pgbenchThreads: number;
  readonly serverPoolSize: number;
  /** A PostgreSQL server to use instead of the embedded one (a fresh database is made on it). */
  readonly databaseUrl: string | undefined;
  readonly keepDatabase: boolean;
  readonly writeResults: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

/** `--quick` on the command line is BENCH_QUICK=1. */
export function readSettings(env: Env, argv: readonly string[] = []): BenchSettings {
  const unknown = argv.filter((arg) => arg !== '--quick');
  if (unknown.length > 0)
    throw new Error(`unknown arguments: ${unknown.join(' ')} (only --quick; settings are BENCH_* variables)`);
  const quick = argv.includes('--quick') || flag(env, 'BENCH_QUICK', false);
  const seconds = integer(env, 'BENCH_SECONDS', quick ? 5 : 20, 1);
  const clients = integer(env, 'BENCH_CLIENTS', 32, 1);
  return {
    quick,
    seconds,
    readSeconds: integer(env, 'BENCH_READ_SECONDS', quick ? 3 : 10, 1),
    warmupSeconds: integer(env, 'BENCH_WARMUP_SECONDS', quick ? 1 : 3, 0),
    clients,
    accounts: integer(env, 'BENCH_ACCOUNTS', 10_000, 2),
    bulkSize: integer(env, 'BENCH_BULK_SIZE', 1000, 1, 1000),
    bulkConnections: integer(env, 'BENCH_BULK_CONNECTIONS', 4, 1),
    hotShare: integer(env, 'BENCH_HOT_PERCENT', 70, 0, 100) / 100,
    historyEntries: integer(env, 'BENCH_HISTORY_ENTRIES', quick ? 20_000 : 1_000_000, 1),
    historyPage: integer(env, 'BENCH_HISTORY_PAGE', 50, 1, 200),
    groupSize: integer(env, 'BENCH_GROUP_SIZE', quick ? 10_000 : 100_000, 1, MAX_GROUP_SIZE),
    tallyBallots: integer(env, 'BENCH_TALLY_BALLOTS', 10_000, 1),
    budgetVoters: integer(env, 'BENCH_BUDGET_VOTERS', 10_000, 1, MAX_BUDGET_BALLOTS),
    leases: integer(env, 'BENCH_LEASES', 10_000, 1),
    budgetProposals: integer(env, 'BENCH_BUDGET_PROPOSALS', 100, 1, MAX_BUDGET_PROPOSALS),
    timebankMembers: integer(env, 'BENCH_TIMEBANK_MEMBERS', 300, 2),
    timebankDue: integer(env, 'BENCH_TIMEBANK_DUE', 10_000, 1),
    timebankListings: integer(env, 'BENCH_TIMEBANK_LISTINGS', 100_000, 1),
    strikers: integer(env, 'BENCH_STRIKERS', 5_000, 1, 20_000),
    redistributionAccounts: integer(env, 'BENCH_REDIST_ACCOUNTS', quick ? 10_000 : 100_000, 2, 200_000),
    tradeMembers: integer(env, 'BENCH_TRADE_MEMBERS', 3_000, 10),
    tradeObligations: integer(env, 'BENCH_TRADE_OBLIGATIONS', 150_000, 10, 1_000_000),
    pgbenchScale: integer(env, 'BENCH_PGBENCH_SCALE', clients, 1),
    pgbenchThreads: integer(env, 'BENCH_PGBENCH_THREADS', 2, 1),
    serverPoolSize: integer(env, 'DATABASE_POOL_SIZE', 20, 1, 200),
    databaseUrl: nonEmpty(env['DATABASE_URL']),
    keepDatabase: flag(env, 'BENCH_KEEP_DB', false),
    writeResults: flag(env, 'BENCH_WRITE_RESULTS', !quick),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function integer(env: Env, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = nonEmpty(env[name])?.replaceAll('_', '');
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${env[name] ?? ''}"`);
  }
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = nonEmpty(env[name])?.toLowerCase();
  if (raw === undefined) return fallback;
  if (raw === '1' || raw === 'true' || raw === 'yes') return true;
  if (raw === '0' || raw === 'false' || raw === 'no') return false;
  throw new Error(`${name} must be 1 or 0, got "${env[name] ?? ''}"`);
}
