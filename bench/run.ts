/**
 * `npm run bench`: one command, from a fresh clone, that measures the ledger against PostgreSQL's own
 * pgbench on the same server. It starts an ephemeral embedded PostgreSQL (or makes a fresh database on the
 * server of DATABASE_URL), starts the compiled service, prepares a steward, a unit and the accounts through
 * the API, and then measures:
 *   1. pgbench's TPC-B-like script at the same client count (the reference);
 *   2. single postTransaction mutations, uniform over the accounts;
 *   3. the bulk mutation, postTransactions of 1 000;
 *   4. the hot case, most transfers crediting one account;
 *   5. an account history page and a balance read on an account with 1 000 000 entries;
 *   6. a grouped write: 100 000 transfers of one authority in one database transaction (LedgerService.applyGroup,
 *      internal API, so with the application booted in this process once the service has stopped);
 *   7. the domain modules' phases, in this process too: governance closes a motion of 10 000 ballots (and
 *      recounts it) and runs the Method of Equal Shares over 10 000 voters and 100 proposals (bench/governance.ts);
 *      the time bank confirms 10 000 due exchanges in one scheduler pass and searches 100 000 offers
 *      (bench/timebank.ts);
 *      strike funds compute, approve (2 of 3) and pay a stipend batch for 5 000 strikers (bench/strike-funds.ts);
 *      redistribution previews and executes one run over 100 000 accounts (bench/redistribution.ts);
 *      trade clears a round of 150 000 obligations among 3 000 co-ops (bench/trade.ts);
 *      land trusts post one month's ground-lease charges for 10 000 leases, then run it again (bench/land-trusts.ts);
 * and then runs the invariant verifier over everything written (a run that fails it is void). It prints a
 * table and one JSON line, and keeps the latest results in bench/RESULTS.md. Settings: bench/settings.ts.
 */
import 'reflect-metadata';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDataSource } from '../src/kernel/database/data-source.js';
import { BOOKS } from '../src/domain-modules.js';
import { findInvariantViolations } from '../src/kernel/invariants.js';
import { graphqlAt } from '../test/support/graphql.js';
import {
  REPO_ROOT,
  describeServer,
  openDatabase,
  resetStatementStatistics,
  settle,
  statementStatistics,
  withClient,
  type BenchDatabase,
} from './database.js';
import { measureGovernance } from './governance.js';
import { measureTimebank } from './timebank.js';
import { measureStrikeFundsOn } from './strike-funds.js';
import { measureRedistribution } from './redistribution.js';
import { measureTrade } from './trade.js';
import { measureGroupedWrite } from './grouped-write.js';
import { measureLandTrusts } from './land-trusts.js';
import { prepareLedger, type BenchLedger } from './ledger-setup.js';
import {
  classifyMany,
  classifyOne,
  classifyRead,
  pickPair,
  postManyBody,
  postOneBody,
  runLoad,
  transfer,
  type Classification,
  type LoadFigures,
} from './load.js';
import { findPgbench, initPgbench, runPgbench } from './pgbench.js';
import { postmasterPid, cpuModel } from './proc.js';
import {
  cpuFigures,
  mb,
  printReport,
  writeResultsFile,
  type BenchReport,
  type PhaseReport,
  type ReadReport,
  type Target,
} from './report.js';
import { BenchServer, Monitor, type WindowFigures } from './server.js';
import { readSettings, type BenchSettings } from './settings.js';

const RESULTS_FILE = path.join(REPO_ROOT, 'bench', 'RESULTS.md');
const started = Date.now();

function log(message: string): void {
  const elapsed = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
  process.stderr.write(`[bench ${elapsed}s] ${message}\n`);
}

const cleanups: (() => Promise<void>)[] = [];
let cleaning: Promise<void> | null = null;

async function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        log(`clean-up failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the server and removing the bench's databases`);
    void cleanUp().finally(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  const settings = readSettings(process.env, process.argv.slice(2));
  const stamp = `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${process.pid}`;
  const loadAverageAtStart = os.loadavg();
  log(
    `${settings.quick ? 'QUICK (smoke) run' : 'full run'}: ${settings.seconds} s per write phase, ` +
      `${settings.clients} clients, ${settings.accounts} accounts, ${settings.historyEntries} history entries, ` +
      `a group of ${settings.groupSize}`,
  );

  const database = await openDatabase({ databaseUrl: settings.databaseUrl, keep: settings.keepDatabase, stamp }, log);
  cleanups.push(() => database.close());
  const server = await describeServer(database.url);
  log(`PostgreSQL ${server.version}`);
  const postmaster =
    database.embeddedDataDir !== null
      ? postmasterPid(database.embeddedDataDir)
      : server.dataDirectory === null
        ? null
        : postmasterPid(server.dataDirectory);
  if (postmaster === null)
    log('PostgreSQL runs elsewhere or its data directory is not readable: no CPU figures for it');

  log('starting the service (node dist/src/main.js)');
  const service = await BenchServer.start(database.url, settings.serverPoolSize, stamp);
  cleanups.push(() => service.stop());
  const monitor = new Monitor(service.pid, postmaster);
  cleanups.push(() => Promise.resolve(monitor.stop()));

  log(`preparing the ledger: a steward, a unit and ${settings.accounts + 1} accounts`);
  const ledger = await prepareLedger(graphqlAt(service.url), settings.accounts, log);
  await sleep(500);
  const idleRss = monitor.currentRss();

  // 1. The reference.
  const search = await findPgbench({ binDir: database.embeddedBinDir, major: server.major });
  let pgbench: BenchReport['pgbench'] = null;
  let pgbenchMissing: string | null = null;
  if (search.found === null) {
    pgbenchMissing = search.message;
    process.stderr.write(`\n${search.message}\n\n`);
  } else {
    if (search.note !== null) log(search.note);
    log(`pgbench: filling scale ${settings.pgbenchScale} into ${database.pgbenchDatabase}`);
    const initSeconds = await initPgbench(search.found, database.pgbenchUrl, settings.pgbenchScale);
    await settle(database.pgbenchUrl);
    log(`pgbench: ${settings.clients} clients, ${settings.pgbenchThreads} threads, ${settings.seconds} s`);
    const window = monitor.begin();
    const figures = await runPgbench(search.found, database.pgbenchUrl, {
      scale: settings.pgbenchScale,
      clients: settings.clients,
      threads: settings.pgbenchThreads,
      seconds: settings.seconds,
      initSeconds,
    });
    const used = monitor.end(window);
    pgbench = { ...figures, cpu: cpuFigures(used, figures.transactions ?? figures.tps * settings.seconds) };
    log(`pgbench: ${figures.tps.toFixed(0)} tps`);
  }

  const acknowledged = { count: 0 };
  const phases = new Phases(service, monitor, database, acknowledged, ledger.token);

  // Warm-up (unmeasured; what it writes is verified with the rest).
  if (settings.warmupSeconds > 0) {
    log(`warm-up: single mutations for ${settings.warmupSeconds} s`);
    const warm = await runLoad({
      endpoint: service.endpoint,
      token: ledger.token,
      connections: settings.clients,
      seconds: settings.warmupSeconds,
      body: singleBody(ledger),
      classify: classifyOne,
    });
    acknowledged.count += warm.applied;
  }

  // 2. Single mutations, uniform.
  const single = await phases.write('single postTransaction, uniform', {
    connections: settings.clients,
    seconds: settings.seconds,
    body: singleBody(ledger),
    classify: classifyOne,
  });
  // 3. Bulk.
  const bulk = await phases.write(`bulk postTransactions of ${settings.bulkSize}`, {
    connections: settings.bulkConnections,
    seconds: settings.seconds,
    timeoutSeconds: 120,
    body: () =>
      postManyBody(
        Array.from({ length: settings.bulkSize }, () => {
          const pair = pickPair(ledger.accounts);
          return transfer(ledger.unitCode, pair.debit, pair.credit);
        }),
      ),
    classify: classifyMany,
  });
  // 4. Hot.
  const hot = await phases.write(`hot: ${Math.round(settings.hotShare * 100)}% credit one account`, {
    connections: settings.clients,
    seconds: settings.seconds,
    body: singleBody(ledger, { account: ledger.hotAccount, share: settings.hotShare }),
    classify: classifyOne,
  });

  // 5. The long history: bulk calls whose every transfer touches the history account.
  const calls = Math.ceil(settings.historyEntries / settings.bulkSize);
  let lastReport = Date.now();
  const build = await phases.write(`history build: ${settings.historyEntries} entries on one account`, {
    connections: 2,
    amount: calls,
    timeoutSeconds: 300,
    body: (() => {
      let remaining = settings.historyEntries;
      return () => {
        const size = Math.max(1, Math.min(settings.bulkSize, remaining));
        remaining -= size;
        return postManyBody(Array.from({ length: size }, () => historyTransfer(ledger)));
      };
    })(),
    classify: classifyMany,
    onProgress: (answered) => {
      if (Date.now() - lastReport < 15_000) return;
      lastReport = Date.now();
      log(`  history build: ${answered} of ${calls} calls answered`);
    },
  });
  const entries = await withClient(database.url, async (db) => {
    const result = await db.query<{ version: string }>('SELECT version FROM account WHERE id = $1', [
      ledger.historyAccount,
    ]);
    // Version 1 is the opening; every entry adds one.
    return Number(result.rows[0]?.version ?? 1) - 1;
  });
  log(`the history account has ${entries} entries; VACUUM (ANALYZE) and CHECKPOINT before the reads`);
  await settle(database.url);

  const historyQuery = JSON.stringify({
    query: `query($id: ID!, $first: Int!) { accountHistory(accountId: $id, first: $first) {
      edges { cursor node { sequence transactionId accountVersion operation kind memo side amount balanceAfter
        pending effectiveAt recordedAt } }
      pageInfo { endCursor hasNextPage } } }`,
    variables: { id: ledger.historyAccount, first: settings.historyPage },
  });
  const balanceQuery = JSON.stringify({
    query: `query($id: ID!) { account(id: $id) { balance } }`,
    variables: { id: ledger.historyAccount },
  });
  const readClients = [...new Set([1, settings.clients])];
  const page: ReadReport[] = [];
  const balance: ReadReport[] = [];
  for (const clients of readClients) {
    page.push(
      await phases.read(`history page (first ${settings.historyPage})`, clients, settings.readSeconds, historyQuery),
    );
  }
  for (const clients of readClients) {
    balance.push(await phases.read('balance read', clients, settings.readSeconds, balanceQuery));
  }
  const maxRssUnderLoad = phases.maxRss();

  log('stopping the service');
  await service.stop();
  monitor.stop();

  // 6. The grouped write, on a settled database like the other write phases.
  await settle(database.url);
  const group = await measureGroupedWrite({
    databaseUrl: database.url,
    ledger,
    size: settings.groupSize,
    runId: stamp,
    postmasterPid: postmaster,
    log,
  });
  acknowledged.count += group.applied;

  // 7. The domain modules' phases, in the bench's own process on the same database.
  const modules = [
    await measureGovernance({
      databaseUrl: database.url,
      federationId: ledger.organizationId,
      stewardPersonId: ledger.personId,
      ballots: settings.tallyBallots,
      budgetVoters: settings.budgetVoters,
      budgetProposals: settings.budgetProposals,
      log,
    }),
    await measureTimebank({
      databaseUrl: database.url,
      stewardPersonId: ledger.personId,
      members: settings.timebankMembers,
      dueExchanges: settings.timebankDue,
      listings: settings.timebankListings,
      log,
    }),
    await measureStrikeFundsOn(database.url, {
      federationId: ledger.organizationId,
      stewardPersonId: ledger.personId,
      unitCode: ledger.unitCode,
      strikers: settings.strikers,
      log,
    }),
    await measureRedistribution({ databaseUrl: database.url, accounts: settings.redistributionAccounts, log }),
    await measureTrade({
      databaseUrl: database.url,
      federationId: ledger.organizationId,
      stewardPersonId: ledger.personId,
      unitCode: ledger.unitCode,
      creditAccountId: ledger.historyAccount,
      members: settings.tradeMembers,
      obligations: settings.tradeObligations,
      log,
    }),
    await measureLandTrusts({
      databaseUrl: database.url,
      federationId: ledger.organizationId,
      stewardPersonId: ledger.personId,
      leases: settings.leases,
      log,
    }),
  ];

  // Verification: a run whose books do not balance is void.
  log('verifying every ledger invariant over everything written');
  const verification = await verify(database.url, acknowledged.count, ledger);
  log(
    verification.ok
      ? `all invariants hold (${verification.seconds.toFixed(0)} s)`
      : `INVARIANTS BROKEN: ${JSON.stringify(verification.invariantsBroken)}`,
  );

  const ratio = (value: number, reference: number | null): number | null =>
    reference === null || reference === 0 ? null : value / reference;
  const ratios = {
    singleToPgbench: ratio(single.tps, pgbench?.tps ?? null),
    bulkToPgbench: ratio(bulk.tps, pgbench?.tps ?? null),
    hotToPgbench: ratio(hot.tps, pgbench?.tps ?? null),
    hotToUniform: single.tps === 0 ? 0 : hot.tps / single.tps,
  };
  const historyAtOneClient = page[0];
  const targets: Target[] = [
    {
      name: 'single',
      goal: 'single mutations ≥ 1.5× pgbench TPS',
      value: ratios.singleToPgbench === null ? 'no pgbench' : `${ratios.singleToPgbench.toFixed(2)}×`,
      met: ratios.singleToPgbench === null ? null : ratios.singleToPgbench >= 1.5,
    },
    {
      name: 'bulk',
      goal: 'bulk ≥ 10× pgbench TPS',
      value: ratios.bulkToPgbench === null ? 'no pgbench' : `${ratios.bulkToPgbench.toFixed(2)}×`,
      met: ratios.bulkToPgbench === null ? null : ratios.bulkToPgbench >= 10,
    },
    {
      name: 'hot',
      goal: 'hot ≥ 0.7× uniform',
      value: `${ratios.hotToUniform.toFixed(2)}×`,
      met: ratios.hotToUniform >= 0.7,
    },
    {
      name: 'history',
      goal: `history page p99 ≤ 20 ms at 1 000 000 entries (1 client)`,
      value:
        historyAtOneClient === undefined
          ? 'not measured'
          : `${historyAtOneClient.p99Ms.toFixed(2)} ms at ${entries} entries`,
      met:
        historyAtOneClient === undefined || historyAtOneClient.failed > 0
          ? false
          : historyAtOneClient.p99Ms <= 20 && entries >= 1_000_000
            ? true
            : historyAtOneClient.p99Ms > 20
              ? false
              : null,
    },
    {
      name: 'memory',
      goal: 'server RSS ≤ 300 MB under load',
      value: `${mb(maxRssUnderLoad) ?? '–'} MB`,
      met: maxRssUnderLoad === null ? null : maxRssUnderLoad <= 300 * 1024 * 1024,
    },
  ];

  const voidReasons: string[] = [];
  if (!verification.ok) voidReasons.push('the invariant verifier found broken invariants');
  for (const module of modules.filter((phase) => !phase.valid)) {
    voidReasons.push(`the ${module.name} phase found its own result wrong`);
  }
  if (group.written !== group.size) {
    voidReasons.push(`the grouped write of ${group.size} left ${group.written} transactions of its authority`);
  }
  if (verification.transactions < verification.acknowledged) {
    voidReasons.push(
      `${verification.acknowledged} transactions were acknowledged but only ${verification.transactions} are in the database`,
    );
  }
  const report: BenchReport = {
    bench: 'commonwealth-ledger',
    date: new Date().toISOString(),
    mode: settings.quick ? 'quick' : 'full',
    valid: voidReasons.length === 0,
    voidReason: voidReasons.length === 0 ? null : voidReasons.join('; '),
    settings: settingsSummary(settings),
    machine: {
      cpuModel: cpuModel() ?? os.cpus()[0]?.model ?? null,
      cores: os.cpus().length,
      memoryGb: Math.round(os.totalmem() / 1024 ** 3),
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      loadAverageAtStart,
      node: process.version,
      postgres: {
        version: server.version,
        source: database.source,
        settings: server.settings,
      },
      pgbench:
        search.found === null
          ? null
          : { path: search.found.path, version: search.found.version, source: search.found.source },
      server: service.settings,
    },
    pgbench,
    pgbenchMissing,
    single,
    bulk,
    hot,
    history: { entries, build, page, balance },
    group,
    modules,
    memory: { idleRssMb: mb(idleRss), maxRssUnderLoadMb: mb(maxRssUnderLoad) },
    ratios,
    targets,
    verification,
  };
  printReport(report);
  if (!report.valid) {
    log(`VOID: ${report.voidReason ?? ''}; bench/RESULTS.md is left as it was`);
    return 1;
  }
  if (settings.writeResults) {
    await writeResultsFile(RESULTS_FILE, report, settings.quick ? 'BENCH_QUICK=1 npm run bench' : 'npm run bench');
    log(`wrote ${path.relative(REPO_ROOT, RESULTS_FILE)}`);
  } else {
    log(
      `${settings.quick ? 'quick run' : 'BENCH_WRITE_RESULTS=0'}: bench/RESULTS.md is left as it was ` +
        '(BENCH_WRITE_RESULTS=1 writes it)',
    );
  }
  await service.removeLog();
  return 0;
}

function singleBody(ledger: BenchLedger, hot?: { account: string; share: number }): () => string {
  return () => {
    const pair = pickPair(ledger.accounts, hot);
    return postOneBody(transfer(ledger.unitCode, pair.debit, pair.credit));
  };
}

function historyTransfer(ledger: BenchLedger): ReturnType<typeof transfer> {
  const other = pickPair(ledger.accounts).debit;
  return Math.random() < 0.5
    ? transfer(ledger.unitCode, ledger.historyAccount, other)
    : transfer(ledger.unitCode, other, ledger.historyAccount);
}

/** Runs the measured phases, each on a settled database (see settle), with the server's CPU and memory around it. */
class Phases {
  private readonly rssPeaks: number[] = [];

  constructor(
    private readonly service: BenchServer,
    private readonly monitor: Monitor,
    private readonly database: BenchDatabase,
    private readonly acknowledged: { count: number },
    private readonly token: string,
  ) {}

  async write(
    name: string,
    load: {
      connections: number;
      seconds?: number;
      amount?: number;
      timeoutSeconds?: number;
      body: () => string;
      classify: (body: string) => Classification;
      onProgress?: (answered: number) => void;
    },
  ): Promise<PhaseReport> {
    await this.quiet();
    await settle(this.database.url);
    const statements =
      process.env['BENCH_PG_STATEMENTS'] === '1' && (await resetStatementStatistics(this.database.url));
    const before = await this.mark();
    log(
      `${name}: ${load.connections} clients, ${load.amount === undefined ? `${load.seconds} s` : `${load.amount} calls`}`,
    );
    const window = this.monitor.begin();
    const figures = await runLoad({ endpoint: this.service.endpoint, token: this.token, ...load });
    const used = this.monitor.end(window);
    const end = await this.mark();
    profileMark(name, window.startedAt);
    this.service.assertAlive();
    this.acknowledged.count += figures.applied;
    // Requests in flight when the clients stopped still finish: wait for them before counting what was written.
    await this.quiet();
    const written = await this.writtenSince(before, end);
    const report = phaseReport(figures, used, written);
    this.noteRss(used);
    log(
      `${name}: ${report.tps.toFixed(0)} tps (server committed ${report.committedTps?.toFixed(0) ?? '–'}/s), ` +
        `p50 ${report.latencyMs.p50.toFixed(2)} ms, p99 ${report.latencyMs.p99.toFixed(2)} ms, ` +
        `${report.refused} refused, ${report.meanBatchSize?.toFixed(1) ?? '–'} transfers per DB transaction`,
    );
    if (report.refused > 0) log(`  refusals: ${JSON.stringify(report.refusals)}`);
    if (statements) for (const line of await statementStatistics(this.database.url, 8)) log(`  ${line}`);
    return report;
  }

  async read(name: string, clients: number, seconds: number, body: string): Promise<ReadReport> {
    await this.quiet();
    const window = this.monitor.begin();
    const figures = await runLoad({
      endpoint: this.service.endpoint,
      token: this.token,
      connections: clients,
      seconds,
      body: () => body,
      classify: classifyRead,
    });
    const used = this.monitor.end(window);
    profileMark(`${name}, ${clients} client(s)`, window.startedAt);
    this.service.assertAlive();
    this.noteRss(used);
    const report: ReadReport = {
      clients,
      perSecond: figures.perSecond,
      p50Ms: figures.latencyMs.p50,
      p99Ms: figures.latencyMs.p99,
      meanMs: figures.latencyMs.mean,
      maxMs: figures.latencyMs.max,
      failed: figures.refused + figures.socketErrors + figures.timeouts,
      cpu: cpuFigures(used, figures.applied),
    };
    log(
      `${name}, ${clients} client(s): p50 ${report.p50Ms.toFixed(2)} ms, p99 ${report.p99Ms.toFixed(2)} ms, ` +
        `${report.perSecond.toFixed(0)}/s${report.failed > 0 ? `, ${report.failed} failed` : ''}`,
    );
    if (figures.refused > 0) log(`  failures: ${JSON.stringify(figures.refusals)}`);
    return report;
  }

  maxRss(): number | null {
    return this.rssPeaks.length === 0 ? null : Math.max(...this.rssPeaks);
  }

  private noteRss(used: WindowFigures): void {
    if (used.maxRssBytes !== null) this.rssPeaks.push(used.maxRssBytes);
  }

  /** The last ledger sequence written and the database's clock. */
  private async mark(): Promise<{ sequence: string; at: Date }> {
    return withClient(this.database.url, async (db) => {
      const result = await db.query<{ last: string; at: Date }>(
        'SELECT coalesce(max(sequence), 0)::text AS last, clock_timestamp() AS at FROM ledger_transaction',
      );
      return { sequence: result.rows[0]?.last ?? '0', at: result.rows[0]?.at ?? new Date() };
    });
  }

  /**
   * Waits until the server has nothing in flight: none of its connections busy and no new ledger
   * transaction, over a second of consecutive looks (at most two minutes).
   */
  private async quiet(): Promise<void> {
    const deadline = Date.now() + 120_000;
    let calm = 0;
    let last = '';
    while (calm < 4 && Date.now() < deadline) {
      const state = await withClient(this.database.url, async (db) => {
        const result = await db.query<{ busy: string; last: string }>(
          `SELECT (SELECT count(*) FROM pg_stat_activity
                   WHERE datname = current_database() AND application_name = 'commonwealth-ledger'
                     AND state IS DISTINCT FROM 'idle') AS busy,
                  (SELECT coalesce(max(sequence), 0)::text FROM ledger_transaction) AS last`,
        );
        return result.rows[0];
      });
      calm = state !== undefined && state.busy === '0' && state.last === last ? calm + 1 : 0;
      last = state?.last ?? '';
      await sleep(250);
    }
  }

  private async writtenSince(
    before: { sequence: string; at: Date },
    end: { sequence: string; at: Date },
  ): Promise<Written> {
    return withClient(this.database.url, async (db) => {
      const result = await db.query<{ transactions: string; batches: string; in_window: string }>(
        `SELECT count(*) AS transactions, count(DISTINCT recorded_at) AS batches,
                count(*) FILTER (WHERE recorded_at <= $2) AS in_window
         FROM ledger_transaction WHERE sequence > $1`,
        [before.sequence, end.at],
      );
      const row = result.rows[0];
      return {
        transactions: Number(row?.transactions ?? 0),
        batches: Number(row?.batches ?? 0),
        inWindow: Number(row?.in_window ?? 0),
        windowSeconds: (end.at.getTime() - before.at.getTime()) / 1000,
      };
    });
  }
}

interface Written {
  readonly transactions: number;
  readonly batches: number;
  /** Written by the end of the clients' run, and that run's length by the database's clock. */
  readonly inWindow: number;
  readonly windowSeconds: number;
}

/** With BENCH_SERVER_NODE_ARGS (say, --cpu-prof), each phase's span on the monotonic clock, to slice a profile. */
function profileMark(name: string, startedAtMs: number): void {
  if (!/--(cpu-)?prof/.test(process.env['BENCH_SERVER_NODE_ARGS'] ?? '')) return;
  const nowUs = Number(process.hrtime.bigint() / 1000n);
  const lengthUs = (Date.now() - startedAtMs) * 1000;
  log(`  profile window "${name}": monotonic ${nowUs - lengthUs}..${nowUs} µs`);
}

function phaseReport(figures: LoadFigures, used: WindowFigures, written: Written): PhaseReport {
  const { perSecond, ...rest } = figures;
  return {
    ...rest,
    tps: perSecond,
    committedTps: written.windowSeconds > 0 ? written.inWindow / written.windowSeconds : null,
    written: written.transactions,
    dbBatches: written.batches,
    meanBatchSize: written.batches === 0 ? null : written.transactions / written.batches,
    cpu: cpuFigures(used, figures.applied),
    maxRssMb: mb(used.maxRssBytes),
  };
}

async function verify(url: string, acknowledged: number, ledger: BenchLedger): Promise<BenchReport['verification']> {
  const startedAt = Date.now();
  const dataSource = createDataSource(url, 1);
  await dataSource.initialize();
  try {
    const violations = await findInvariantViolations(dataSource.manager, BOOKS);
    const [counts] = await dataSource.query<[{ transactions: string; entries: string; accounts: string }]>(
      `SELECT (SELECT count(*) FROM ledger_transaction) AS transactions, (SELECT count(*) FROM entry) AS entries,
              (SELECT count(*) FROM account WHERE unit_code = $1) AS accounts`,
      [ledger.unitCode],
    );
    return {
      ok: violations.length === 0,
      seconds: (Date.now() - startedAt) / 1000,
      invariantsBroken: violations.map((violation) => ({
        invariant: violation.invariant,
        rows: violation.rows.length,
        first: violation.rows[0],
      })),
      transactions: Number(counts.transactions),
      entries: Number(counts.entries),
      accounts: Number(counts.accounts),
      acknowledged,
    };
  } finally {
    await dataSource.destroy();
  }
}

function settingsSummary(settings: BenchSettings): Record<string, unknown> {
  return {
    quick: settings.quick,
    seconds: settings.seconds,
    readSeconds: settings.readSeconds,
    warmupSeconds: settings.warmupSeconds,
    clients: settings.clients,
    accounts: settings.accounts,
    bulkSize: settings.bulkSize,
    bulkConnections: settings.bulkConnections,
    hotPercent: Math.round(settings.hotShare * 100),
    historyEntries: settings.historyEntries,
    historyPage: settings.historyPage,
    groupSize: settings.groupSize,
    tallyBallots: settings.tallyBallots,
    budgetVoters: settings.budgetVoters,
    budgetProposals: settings.budgetProposals,
    tradeMembers: settings.tradeMembers,
    tradeObligations: settings.tradeObligations,
    leases: settings.leases,
    pgbenchScale: settings.pgbenchScale,
    pgbenchThreads: settings.pgbenchThreads,
    serverPoolSize: settings.serverPoolSize,
  };
}

const exitCode = await main().catch((error: unknown) => {
  process.stderr.write(`\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
});
await cleanUp();
process.exit(exitCode);
