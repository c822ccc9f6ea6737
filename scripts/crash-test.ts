/**
 * `npm run crash-test`: runs the compiled server (dist/src/main.js) under load from concurrent clients, kills
 * it with SIGKILL at random moments and restarts it, while the clients send every transfer again (same id,
 * same content) until they are told its outcome. Then it proves from the database that every transfer
 * acknowledged as applied exists exactly once with the content sent, every one acknowledged as refused does
 * not exist, nothing exists that was never sent, each account's counters equal the sums of the acknowledged
 * transfers, every ledger invariant holds, and `verify` passes. Exits 1 on any failure.
 *
 * Needs DATABASE_URL: a PostgreSQL server where it may create a database (crash_<timestamp>), dropped at the
 * end unless KEEP_DB=1 or the run failed (then it is kept for inspection).
 *
 * Options (flag or environment variable):
 *   --kills=N      CRASH_KILLS      SIGKILLs (default 12)
 *   --clients=N    CRASH_CLIENTS    concurrent clients (default 16)
 *   --duration=S   CRASH_DURATION   seconds of load between kills, in total (default 40; restarts add to it)
 *   --accounts=N   CRASH_ACCOUNTS   accounts (default 24)
 *   --seed=N       CRASH_SEED       seed of the workload and kill schedule (default random)
 *   VERBOSE=1      prints the servers' output
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { databaseUrlFor } from '../test/support/databases.js';
import { ServerProcess } from '../test/support/faults/compiled-server.js';
import { killRepeatedly } from '../test/support/faults/kills.js';
import { proveLedger, runVerify } from '../test/support/faults/ledger-proof.js';
import {
  BOOKS_CHECKED_OFTEN,
  awaitScheduledWork,
  proveScheduledWork,
} from '../test/support/faults/scheduled-work-proof.js';
import { accountPlan, setUpLedger } from '../test/support/faults/ledger-setup.js';
import { seededRandom } from '../test/support/faults/seeded-random.js';
import { TransferLoad, formatStats } from '../test/support/faults/transfer-load.js';
import { freePort } from '../test/support/free-port.mjs';

interface Settings {
  readonly kills: number;
  readonly clients: number;
  readonly durationSeconds: number;
  readonly accounts: number;
  readonly seed: number;
  readonly adminUrl: string;
  readonly keepDatabase: boolean;
  readonly verbose: boolean;
}

function readSettings(argv: readonly string[], env: NodeJS.ProcessEnv): Settings {
  const flags = new Map<string, string>();
  for (const argument of argv) {
    const match = /^--([a-z-]+)=(.*)$/.exec(argument);
    if (match === null) throw new Error(`unknown argument ${argument} (expected --name=value)`);
    flags.set(match[1] ?? '', match[2] ?? '');
  }
  const integer = (flag: string, variable: string, fallback: number, min: number): number => {
    const raw = flags.get(flag) ?? env[variable];
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min)
      throw new Error(`--${flag} / ${variable} must be a whole number >= ${min}`);
    return Number(raw);
  };
  for (const flag of flags.keys()) {
    if (!['kills', 'clients', 'duration', 'accounts', 'seed'].includes(flag))
      throw new Error(`unknown option --${flag}`);
  }
  const adminUrl = env['DATABASE_URL'];
  if (adminUrl === undefined || adminUrl === '') {
    throw new Error(
      'DATABASE_URL is required: a PostgreSQL server where the crash test may create (and drop) a database, ' +
        'such as postgres://postgres@127.0.0.1:5432/postgres',
    );
  }
  return {
    kills: integer('kills', 'CRASH_KILLS', 12, 1),
    clients: integer('clients', 'CRASH_CLIENTS', 16, 1),
    durationSeconds: integer('duration', 'CRASH_DURATION', 40, 1),
    accounts: integer('accounts', 'CRASH_ACCOUNTS', 24, 3),
    seed: integer('seed', 'CRASH_SEED', randomBytes(4).readUInt32BE(0), 0),
    adminUrl,
    keepDatabase: env['KEEP_DB'] === '1' || env['KEEP_DB'] === 'true',
    verbose: env['VERBOSE'] === '1' || env['VERBOSE'] === 'true',
  };
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function main(): Promise<number> {
  const settings = readSettings(process.argv.slice(2), process.env);
  const started = Date.now();
  const database = `crash_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${randomBytes(3).toString('hex')}`;
  const databaseUrl = databaseUrlFor(settings.adminUrl, database);
  log(
    `crash test: ${settings.kills} kills, ${settings.clients} clients, ~${settings.durationSeconds} s of load, ` +
      `${settings.accounts} accounts, seed ${settings.seed}, database ${database}`,
  );
  if (settings.kills < 10) log(`note: fewer than 10 kills (${settings.kills}); the acceptance run uses at least 10`);
  await adminQuery(settings.adminUrl, `CREATE DATABASE ${database}`);
  const server = new ServerProcess({
    entry: fileURLToPath(new URL('../src/main.js', import.meta.url)),
    databaseUrl,
    jwtSecret: randomBytes(32).toString('base64url'),
    port: await freePort(),
    name: 'server',
    // The books checked every two seconds, catching up each missed check: scheduled work is proven too.
    env: BOOKS_CHECKED_OFTEN,
    ...(settings.verbose ? { onOutput: log } : {}),
  });
  let failed = true;
  try {
    const random = seededRandom(settings.seed);
    await server.start();
    log(`server up at ${server.url} (migrations applied) in ${Date.now() - started} ms`);
    const setup = await setUpLedger(server.url, { accounts: accountPlan(settings.accounts), label: database });
    const load = new TransferLoad({
      setup,
      servers: [server.url],
      clients: settings.clients,
      random,
      hotAccount: 0,
      hotShare: 0.2,
    });
    await load.start();
    const loadStarted = Date.now();
    const kills = await killRepeatedly(server, {
      kills: settings.kills,
      uptimeMs: (settings.durationSeconds * 1000) / settings.kills,
      random: seededRandom(settings.seed + 1),
      pending: () => load.pending(),
      log,
    });
    await sleep(1000);
    await load.stop(60_000);
    const loadMs = Date.now() - loadStarted;
    const ranBefore = new Date(Date.now() - 2_500);
    // A books check killed mid-run is run again within seconds of the restart that finds it orphaned.
    await awaitScheduledWork(databaseUrl, { work: 'ledger.check-books', ranBefore, timeoutMs: 60_000 });
    await server.stop();

    const stats = load.stats();
    const proof = await proveLedger(databaseUrl, setup, load.transfers());
    const verify = await runVerify(fileURLToPath(new URL('./verify.js', import.meta.url)), databaseUrl);
    const scheduled = await proveScheduledWork(databaseUrl, { work: 'ledger.check-books', everyMs: 2_000, ranBefore });
    const failures = [
      ...scheduled.failures,
      ...load.anomalies.slice(0, 20).map((anomaly) => `anomaly: ${anomaly}`),
      ...proof.failures,
      ...(kills.length < settings.kills ? [`only ${kills.length} of ${settings.kills} kills happened`] : []),
      ...(verify.code === 0 ? [] : [`verify exited ${verify.code}`]),
    ];

    log('');
    log(`load ran ${(loadMs / 1000).toFixed(1)} s; ${kills.length} SIGKILLs, ${server.starts} starts`);
    log(
      `requests in flight at the kills: ${kills.map((kill) => kill.inFlight).join(', ')}; ` +
        `down for ${kills.map((kill) => kill.downMs).join(', ')} ms`,
    );
    log(formatStats(stats));
    log(
      `database: ${proof.facts.transactions} transactions, ${proof.facts.entries} entries, ${proof.facts.outcomes} ` +
        `outcomes (${proof.facts.keptRefusals} kept refusals), ${proof.facts.accounts} accounts, ` +
        `${proof.facts.deadlocks} deadlocks`,
    );
    log(
      `scheduled books checks: ${scheduled.facts.occurrences} occurrences from ${scheduled.facts.first} to ` +
        `${scheduled.facts.last}, ${scheduled.facts.completed} completed, ${scheduled.facts.retried} retried after a kill`,
    );
    log('verify:');
    for (const line of verify.output.trimEnd().split('\n')) log(`  ${line}`);
    if (failures.length > 0) {
      log(`\nFAILED (${failures.length}):`);
      for (const failure of failures) log(`  - ${failure}`);
      log(`\nlast server output:\n${server.recentOutput()}`);
      return 1;
    }
    log(
      `\nPASSED: every acknowledged transfer is in the ledger exactly once, no refused or unsent one is, the ` +
        `counters match, every invariant holds, every scheduled books check ran once and found them balanced (${((Date.now() - started) / 1000).toFixed(1)} s in all)`,
    );
    failed = false;
    return 0;
  } finally {
    await server.kill();
    if (settings.keepDatabase || failed) {
      log(`database kept: ${databaseUrl}`);
    } else {
      await adminQuery(settings.adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `crash test FAILED to run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
