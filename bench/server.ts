import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../test/support/free-port.mjs';
import { REPO_ROOT } from './database.js';
import { cpuSeconds, postgresCpuSeconds, rssBytes, selfCpuSeconds } from './proc.js';

/** Signs the bench's tokens; the server runs only for the bench, on its own database. */
export const BENCH_JWT_SECRET = 'commonwealth-ledger-bench-secret-0123456789abcdef';

export interface ServerSettings {
  readonly poolSize: number;
  readonly coalescing: { windowMs: string; maxBatch: string; maxInFlight: string };
}

/** The compiled service (dist/src/main.js) as a child process, as `npm start` runs it. */
export class BenchServer {
  private exited: { code: number | null; signal: string | null } | null = null;

  private constructor(
    private readonly child: ChildProcess,
    /** The server's base URL, as graphqlAt (test/support/graphql.ts) takes it. */
    readonly url: string,
    readonly logFile: string,
    readonly settings: ServerSettings,
  ) {
    // 'close' comes after the output is flushed, so that a start-up failure can show its log.
    child.on('close', (code, signal) => {
      this.exited = { code, signal };
    });
  }

  /** The GraphQL endpoint, where the load generator sends. */
  get endpoint(): string {
    return `${this.url}/graphql`;
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  static async start(databaseUrl: string, poolSize: number, stamp: string): Promise<BenchServer> {
    const port = await freePort();
    const logFile = path.join(REPO_ROOT, '.data', 'bench', `server-${stamp}.log`);
    await mkdir(path.dirname(logFile), { recursive: true });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: String(poolSize),
      JWT_SECRET: BENCH_JWT_SECRET,
      ACCESS_TOKEN_TTL_SECONDS: '86400',
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      GRAPHQL_IDE: 'false',
    };
    const settings: ServerSettings = {
      poolSize,
      coalescing: {
        windowMs: env['COALESCE_WINDOW_MS'] ?? 'default',
        maxBatch: env['COALESCE_MAX_BATCH'] ?? 'default',
        maxInFlight: env['COALESCE_MAX_IN_FLIGHT'] ?? 'default',
      },
    };
    // BENCH_SERVER_NODE_ARGS: options for the server's node, such as "--cpu-prof --cpu-prof-dir=.data/bench/prof".
    const nodeArgs = (process.env['BENCH_SERVER_NODE_ARGS'] ?? '').split(' ').filter((arg) => arg !== '');
    const child = spawn(process.execPath, [...nodeArgs, path.join(REPO_ROOT, 'dist', 'src', 'main.js')], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const logStream = createWriteStream(logFile);
    child.stdout.pipe(logStream);
    child.stderr.pipe(logStream);
    const server = new BenchServer(child, `http://127.0.0.1:${port}`, logFile, settings);
    await server.waitUntilReady();
    return server;
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      if (this.exited !== null) {
        throw new Error(`the server exited while starting (code ${this.exited.code}): ${await this.logTail()}`);
      }
      try {
        const response = await fetch(this.endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ __typename }' }),
        });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error(`the server did not answer within 180 s: ${await this.logTail()}`);
  }

  /** Fails when the server has died (a crash under load voids the run). */
  assertAlive(): void {
    if (this.exited !== null) {
      throw new Error(`the server exited during the run (code ${this.exited.code}, signal ${this.exited.signal})`);
    }
  }

  async logTail(): Promise<string> {
    try {
      return (await readFile(this.logFile, 'utf8')).split('\n').slice(-30).join('\n');
    } catch {
      return '(no log)';
    }
  }

  async stop(): Promise<void> {
    if (this.exited !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    this.child.kill('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
    if (!stopped) {
      this.child.kill('SIGKILL');
      await exited;
    }
  }

  async removeLog(): Promise<void> {
    await rm(this.logFile, { force: true });
  }
}

export interface Window {
  readonly startedAt: number;
  readonly serverCpu: number | null;
  readonly postgresCpu: number | null;
  readonly loadCpu: number | null;
}

export interface WindowFigures {
  readonly seconds: number;
  /** Share of one core over the window, in per cent, for each process (null where unknown). */
  readonly cpuPercent: { server: number | null; postgres: number | null; load: number | null };
  readonly cpuSeconds: { server: number | null; postgres: number | null; load: number | null };
  readonly maxRssBytes: number | null;
}

/** Samples the server's resident memory a few times a second and reads CPU time around each phase. */
export class Monitor {
  private readonly samples: { at: number; rss: number }[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly serverPid: number,
    private readonly postmasterPid: number | null,
  ) {
    this.timer = setInterval(() => this.sample(), 200);
    this.timer.unref();
    this.sample();
  }

  begin(): Window {
    this.sample();
    return {
      startedAt: Date.now(),
      serverCpu: cpuSeconds(this.serverPid),
      postgresCpu: this.postmasterPid === null ? null : postgresCpuSeconds(this.postmasterPid),
      loadCpu: selfCpuSeconds(),
    };
  }

  end(window: Window): WindowFigures {
    this.sample();
    const seconds = (Date.now() - window.startedAt) / 1000;
    const delta = (before: number | null, after: number | null): number | null =>
      before === null || after === null ? null : after - before;
    const used = {
      server: delta(window.serverCpu, cpuSeconds(this.serverPid)),
      postgres: delta(window.postgresCpu, this.postmasterPid === null ? null : postgresCpuSeconds(this.postmasterPid)),
      load: delta(window.loadCpu, selfCpuSeconds()),
    };
    const percent = (value: number | null): number | null => (value === null ? null : (100 * value) / seconds);
    const inWindow = this.samples.filter((sample) => sample.at >= window.startedAt).map((sample) => sample.rss);
    return {
      seconds,
      cpuSeconds: used,
      cpuPercent: { server: percent(used.server), postgres: percent(used.postgres), load: percent(used.load) },
      maxRssBytes: inWindow.length === 0 ? null : inWindow.reduce((max, rss) => Math.max(max, rss), 0),
    };
  }

  currentRss(): number | null {
    return rssBytes(this.serverPid);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    const rss = rssBytes(this.serverPid);
    if (rss !== null) this.samples.push({ at: Date.now(), rss });
  }
}
