import { execFile, spawn } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The reference: PostgreSQL's own pgbench, TPC-B-like default script, on the same server at the same
 * client count. Looked for beside the server first; the embedded PostgreSQL ships none, so then the usual
 * places of a PostgreSQL install (any pgbench client measures the same server-side work).
 */
export interface PgbenchLocation {
  readonly path: string;
  readonly version: string;
  readonly major: number;
  /** Where it was found: beside the server, PGBENCH, pg_config, a versioned install folder, or PATH. */
  readonly source: string;
}

export type PgbenchSearch =
  | { readonly found: PgbenchLocation; readonly note: string | null }
  | { readonly found: null; readonly message: string };

export interface PgbenchFigures {
  readonly tps: number;
  readonly latencyMs: number | null;
  readonly transactions: number | null;
  readonly failed: number | null;
  readonly scale: number;
  readonly clients: number;
  readonly threads: number;
  readonly seconds: number;
  readonly initSeconds: number;
}

export async function findPgbench(server: { binDir: string | null; major: number }): Promise<PgbenchSearch> {
  const candidates: { dir: string; source: string }[] = [];
  const explicit = process.env['PGBENCH']?.trim();
  if (explicit !== undefined && explicit !== '') {
    candidates.push({ dir: path.dirname(explicit), source: 'PGBENCH' });
  }
  if (server.binDir !== null) candidates.push({ dir: server.binDir, source: 'beside the server' });
  candidates.push(
    { dir: `/usr/lib/postgresql/${server.major}/bin`, source: `the PostgreSQL ${server.major} install` },
    { dir: `/usr/pgsql-${server.major}/bin`, source: `the PostgreSQL ${server.major} install` },
    { dir: `/opt/homebrew/opt/postgresql@${server.major}/bin`, source: `the PostgreSQL ${server.major} install` },
    { dir: `/usr/local/opt/postgresql@${server.major}/bin`, source: `the PostgreSQL ${server.major} install` },
  );
  const pgConfigDir = await pgConfigBindir();
  if (pgConfigDir !== null) candidates.push({ dir: pgConfigDir, source: 'pg_config --bindir' });
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (dir !== '') candidates.push({ dir, source: 'PATH' });
  }
  for (const dir of otherInstalls()) candidates.push({ dir, source: 'another PostgreSQL install' });
  candidates.push(
    { dir: '/opt/homebrew/opt/libpq/bin', source: 'Homebrew libpq' },
    { dir: '/usr/local/opt/libpq/bin', source: 'Homebrew libpq' },
  );

  const looked: string[] = [];
  for (const candidate of candidates) {
    const file =
      candidate.source === 'PGBENCH' && explicit !== undefined ? explicit : path.join(candidate.dir, 'pgbench');
    if (looked.includes(file)) continue;
    looked.push(file);
    if (!executable(file)) continue;
    const version = await pgbenchVersion(file);
    if (version === null) continue;
    const found = { path: file, version: version.text, major: version.major, source: candidate.source };
    const notes: string[] = [];
    if (candidate.source !== 'beside the server' && server.binDir !== null) {
      notes.push(`the embedded PostgreSQL ships no pgbench; using ${file} (${candidate.source})`);
    }
    if (version.major !== server.major) {
      notes.push(
        `pgbench ${version.major} against a PostgreSQL ${server.major} server: the TPC-B-like script is the ` +
          `same and the work measured is the server's`,
      );
    }
    return { found, note: notes.length === 0 ? null : notes.join('; ') };
  }
  return { found: null, message: missingMessage(server.major, looked) };
}

function missingMessage(major: number, looked: readonly string[]): string {
  return [
    `pgbench was not found, so this run has no reference figure (the ratios to pgbench are null).`,
    `pgbench is PostgreSQL's own benchmark and comes with its packages:`,
    `  Debian/Ubuntu:  sudo apt install postgresql-client-${major}   (on some releases it is in postgresql-${major};`,
    `                  add the PGDG repository, apt.postgresql.org, for a ${major} that your release lacks)`,
    `  Fedora/RHEL:    sudo dnf install postgresql${major}-contrib   (PGDG) or postgresql-contrib`,
    `  macOS:          brew install libpq   (pgbench is in "$(brew --prefix libpq)/bin"; or brew install postgresql@${major})`,
    `  Windows:        the EDB installer's bin folder`,
    `Then put it on PATH or set PGBENCH=/path/to/pgbench and run the bench again.`,
    `Looked at: ${looked.slice(0, 8).join(', ')}${looked.length > 8 ? `, and ${looked.length - 8} more` : ''}`,
  ].join('\n');
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function pgConfigBindir(): Promise<string | null> {
  try {
    const { stdout } = await run('pg_config', ['--bindir'], { timeout: 5000 });
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

/** /usr/lib/postgresql/<major>/bin and /usr/pgsql-<major>/bin of every installed major, newest first. */
function otherInstalls(): string[] {
  const found: { major: number; dir: string }[] = [];
  for (const [root, pattern, suffix] of [
    ['/usr/lib/postgresql', /^(\d+)$/, 'bin'],
    ['/usr', /^pgsql-(\d+)$/, 'bin'],
  ] as const) {
    try {
      for (const name of readdirSync(root)) {
        const match = pattern.exec(name);
        if (match?.[1] !== undefined) found.push({ major: Number(match[1]), dir: path.join(root, name, suffix) });
      }
    } catch {
      // not there
    }
  }
  return found.sort((a, b) => b.major - a.major).map((item) => item.dir);
}

async function pgbenchVersion(file: string): Promise<{ text: string; major: number } | null> {
  try {
    const { stdout } = await run(file, ['--version'], { timeout: 10_000 });
    const match = /(\d+)(?:\.(\d+))?/.exec(stdout);
    if (match?.[1] === undefined) return null;
    return { text: stdout.trim(), major: Number(match[1]) };
  } catch {
    return null;
  }
}

/** libpq's variables for a connection URL, so that the password never appears on a command line. */
function connectionEnv(url: string): NodeJS.ProcessEnv {
  const parsed = new URL(url);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // A Unix socket's folder is written percent-encoded in the host (postgres://user@%2Fvar%2Frun%2Fpostgresql/db)
    // or given as ?host=/var/run/postgresql.
    PGHOST: parsed.searchParams.get('host') ?? decodeURIComponent(parsed.hostname),
    PGPORT: parsed.port || '5432',
    PGDATABASE: decodeURIComponent(parsed.pathname.slice(1)),
    PGUSER: decodeURIComponent(parsed.username) || process.env['PGUSER'] || 'postgres',
  };
  if (parsed.password !== '') env['PGPASSWORD'] = decodeURIComponent(parsed.password);
  for (const [key, value] of parsed.searchParams) {
    if (key === 'sslmode') env['PGSSLMODE'] = value;
  }
  return env;
}

function execute(file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${path.basename(file)} ${args.join(' ')} exited with ${code}:\n${output.slice(-2000)}`));
    });
  });
}

/** Fills pgbench's tables (server-side generation), then runs the default TPC-B-like script. */
export async function initPgbench(location: PgbenchLocation, url: string, scale: number): Promise<number> {
  const started = Date.now();
  await execute(location.path, ['-i', '-s', String(scale), '-I', 'dtGvp', '-q'], connectionEnv(url));
  return (Date.now() - started) / 1000;
}

export async function runPgbench(
  location: PgbenchLocation,
  url: string,
  options: { scale: number; clients: number; threads: number; seconds: number; initSeconds: number },
): Promise<PgbenchFigures> {
  const output = await execute(
    location.path,
    [
      '-c',
      String(options.clients),
      '-j',
      String(Math.min(options.threads, options.clients)),
      '-T',
      String(options.seconds),
    ],
    connectionEnv(url),
  );
  // "tps = 1234.5 (without initial connection time)" since pgbench 14; "(excluding connections establishing)" before.
  const tps =
    /tps = ([\d.]+) \((?:without initial connection time|excluding connections establishing)\)/.exec(output)?.[1] ??
    /tps = ([\d.]+)/.exec(output)?.[1];
  if (tps === undefined) throw new Error(`could not read pgbench's tps from:\n${output}`);
  const number = (pattern: RegExp): number | null => {
    const match = pattern.exec(output)?.[1];
    return match === undefined ? null : Number(match);
  };
  return {
    tps: Number(tps),
    latencyMs: number(/latency average = ([\d.]+) ms/),
    transactions: number(/number of transactions actually processed: (\d+)/),
    failed: number(/number of failed transactions: (\d+)/),
    ...options,
  };
}
