/**
 * The compiled server as child processes, for the crash test (scripts/crash-test.ts) and the fault e2e tests
 * (test/e2e/faults): a build of it where a test run can find it, and processes that start (healthy once
 * migrated and connected), are killed with SIGKILL and start again on the same port.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

/**
 * Compiles what tsconfig.build.json builds (src, migrations, scripts, test/support) into `outDir`, outside
 * dist/ so that a test run never races another build over the same files. The folder gets a package.json
 * (ESM) and a link to the project's node_modules so that `node <outDir>/src/main.js` resolves its packages.
 * Skipped when a previous call of the same run already completed it.
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
        SCHEDULER_TICK_MS: '0',
        BOOKS_CHECK_CRON: 'off',
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
