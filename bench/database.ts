import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/kernel/database/embedded-postgres.js';
import { databaseUrlFor } from '../test/support/databases.js';
import { freePort } from '../test/support/free-port.mjs';

/** The repository's root: this file runs from dist/bench/. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export type DatabaseSource = 'embedded' | 'DATABASE_URL';

/**
 * Where the bench writes: a fresh database for the ledger and another for pgbench, both on one server,
 * which is an ephemeral embedded PostgreSQL unless DATABASE_URL names one.
 */
export interface BenchDatabase {
  readonly source: DatabaseSource;
  /** The ledger's database. */
  readonly url: string;
  /** pgbench's database, on the same server. */
  readonly pgbenchUrl: string;
  readonly ledgerDatabase: string;
  readonly pgbenchDatabase: string;
  /** The embedded server's binaries, where its pgbench would be (it ships none). */
  readonly embeddedBinDir: string | null;
  readonly embeddedDataDir: string | null;
  close(): Promise<void>;
}

export interface ServerDescription {
  readonly version: string;
  readonly versionNumber: number;
  readonly major: number;
  readonly settings: Record<string, string>;
  readonly dataDirectory: string | null;
}

const KEY_SETTINGS = [
  'shared_buffers',
  'synchronous_commit',
  'fsync',
  'full_page_writes',
  'wal_level',
  'max_wal_size',
  'checkpoint_timeout',
  'max_connections',
  'work_mem',
  'effective_cache_size',
  'random_page_cost',
  'jit',
];

export async function openDatabase(
  options: { databaseUrl: string | undefined; keep: boolean; stamp: string },
  log: (message: string) => void,
): Promise<BenchDatabase> {
  const ledgerDatabase = `bench_${options.stamp}`;
  const pgbenchDatabase = `bench_${options.stamp}_pgbench`;
  if (options.databaseUrl !== undefined) {
    const adminUrl = options.databaseUrl;
    await createDatabases(adminUrl, [ledgerDatabase, pgbenchDatabase]);
    log(`using ${redact(adminUrl)}: created databases ${ledgerDatabase} and ${pgbenchDatabase}`);
    return {
      source: 'DATABASE_URL',
      url: databaseUrlFor(adminUrl, ledgerDatabase),
      pgbenchUrl: databaseUrlFor(adminUrl, pgbenchDatabase),
      ledgerDatabase,
      pgbenchDatabase,
      embeddedBinDir: null,
      embeddedDataDir: null,
      close: async () => {
        if (options.keep) {
          log(`BENCH_KEEP_DB: kept ${ledgerDatabase} and ${pgbenchDatabase}`);
          return;
        }
        await dropDatabases(adminUrl, [ledgerDatabase, pgbenchDatabase]);
      },
    };
  }

  const dataDir = path.join(REPO_ROOT, '.data', 'bench', `pg-${options.stamp}`);
  const port = await freePort();
  log(`starting an embedded PostgreSQL on port ${port} (cluster in ${path.relative(REPO_ROOT, dataDir)})`);
  const embedded = await startEmbeddedPostgres({
    dataDir,
    port,
    ephemeral: !options.keep,
    log: () => undefined,
  });
  await createDatabases(embedded.url, [ledgerDatabase, pgbenchDatabase]);
  return {
    source: 'embedded',
    url: databaseUrlFor(embedded.url, ledgerDatabase),
    pgbenchUrl: databaseUrlFor(embedded.url, pgbenchDatabase),
    ledgerDatabase,
    pgbenchDatabase,
    embeddedBinDir: await embeddedBinDir(),
    embeddedDataDir: dataDir,
    close: async () => {
      await embedded.stop();
      if (options.keep) {
        log(`BENCH_KEEP_DB: kept the cluster in ${dataDir}`);
        return;
      }
      await rm(dataDir, { recursive: true, force: true });
      await rm(`${dataDir}.secrets.json`, { force: true });
    },
  };
}

export async function describeServer(url: string): Promise<ServerDescription> {
  return withClient(url, async (client) => {
    const version = await client.query<{ version: string; num: string }>(
      `SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num`,
    );
    const rows = await client.query<{ name: string; value: string }>(
      `SELECT name, current_setting(name) AS value FROM unnest($1::text[]) AS name`,
      [KEY_SETTINGS],
    );
    let dataDirectory: string | null = null;
    try {
      const data = await client.query<{ dir: string }>(`SELECT current_setting('data_directory') AS dir`);
      dataDirectory = data.rows[0]?.dir ?? null;
    } catch {
      // Only superusers (and pg_read_all_settings) may read it; CPU figures of PostgreSQL are then left out.
    }
    const versionNumber = Number(version.rows[0]?.num ?? 0);
    return {
      version: version.rows[0]?.version ?? 'unknown',
      versionNumber,
      major: Math.floor(versionNumber / 10_000),
      settings: Object.fromEntries(rows.rows.map((row) => [row.name, row.value])),
      dataDirectory,
    };
  });
}

/**
 * Before a measured phase, as pgbench vacuums its tables before its run: a VACUUM (ANALYZE) of the database,
 * so that autovacuum does not clean up after the previous phase during this one, and a checkpoint, so that
 * the previous phase's dirty pages are not written during this one.
 */
export async function settle(url: string): Promise<void> {
  await withClient(url, async (client) => {
    await client.query('VACUUM (ANALYZE)');
    try {
      await client.query('CHECKPOINT');
    } catch {
      // needs superuser or pg_checkpoint; the phases then share the server's own checkpoints
    }
  });
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'commonwealth-ledger-bench' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}

async function createDatabases(adminUrl: string, names: readonly string[]): Promise<void> {
  await withClient(adminUrl, async (client) => {
    for (const name of names) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  });
}

async function dropDatabases(adminUrl: string, names: readonly string[]): Promise<void> {
  await withClient(adminUrl, async (client) => {
    for (const name of names) {
      await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    }
  });
}

/** The bin folder of the embedded-postgres binaries for this platform (it holds pg_ctl, initdb, postgres). */
async function embeddedBinDir(): Promise<string | null> {
  try {
    const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { pg_ctl?: unknown };
    return typeof binaries.pg_ctl === 'string' ? path.dirname(binaries.pg_ctl) : null;
  } catch {
    return null;
  }
}

/**
 * With BENCH_PG_STATEMENTS=1, on a server that loads pg_stat_statements (shared_preload_libraries): forgets
 * the statistics before a phase, so that the statements listed after it are the phase's own. False when the
 * extension is not available.
 */
export async function resetStatementStatistics(url: string): Promise<boolean> {
  try {
    await withClient(url, async (client) => {
      await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await client.query('SELECT pg_stat_statements_reset()');
    });
    return true;
  } catch {
    return false;
  }
}

/** The statements that took the most time in this database since the last reset: execution and planning. */
export async function statementStatistics(url: string, limit: number): Promise<string[]> {
  return withClient(url, async (client) => {
    const rows = await client.query<{ calls: string; exec: number; plan: number; rows: string; query: string }>(
      `SELECT s.calls, s.total_exec_time AS exec, s.total_plan_time AS plan, s.rows,
              left(regexp_replace(s.query, '\\s+', ' ', 'g'), 90) AS query
       FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
       WHERE d.datname = current_database() AND s.query NOT LIKE '%pg_stat_statements%'
       ORDER BY s.total_exec_time + s.total_plan_time DESC LIMIT $1`,
      [limit],
    );
    return rows.rows.map(
      (row) =>
        `${row.calls.padStart(7)} calls  exec ${(row.exec / Number(row.calls)).toFixed(3).padStart(8)} ms  ` +
        `plan ${(row.plan / Number(row.calls)).toFixed(3).padStart(7)} ms  ${row.query}`,
    );
  });
}
