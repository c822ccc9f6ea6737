/**
 * Goal: a server killed with SIGKILL at random moments under load loses nothing it acknowledged, writes
 * nothing twice and leaves nothing half-written, when clients retry every unacknowledged transfer with the
 * same id and content. Method: the bounded version of `npm run crash-test` (scripts/crash-test.ts): the
 * compiled server as a child process on its own database, 8 clients posting single and bulk transfers over
 * HTTP, 4 SIGKILLs and restarts, then the proof from the database (test/support/faults/ledger-proof.ts) and
 * `verify`. The books are checked every two seconds by scheduled work meanwhile; through the kills, each
 * occurrence of the check must run once, none be lost, and every check find the books balanced
 * (test/support/faults/scheduled-work-proof.ts).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ServerProcess, buildServerForRun } from '../../support/faults/compiled-server.js';
import { killRepeatedly } from '../../support/faults/kills.js';
import { proveLedger, runVerify } from '../../support/faults/ledger-proof.js';
import {
  BOOKS_CHECKED_OFTEN,
  awaitScheduledWork,
  proveScheduledWork,
} from '../../support/faults/scheduled-work-proof.js';
import { accountPlan, setUpLedger } from '../../support/faults/ledger-setup.js';
import { seededRandom } from '../../support/faults/seeded-random.js';
import { TransferLoad, formatStats } from '../../support/faults/transfer-load.js';
import { freePort } from '../../support/free-port.mjs';
import { adminUrl, createTestDatabase } from '../setup/test-database.js';

const KILLS = 4;
const CLIENTS = 8;

describe('crash: SIGKILL under load', () => {
  let build: string;
  let database: { url: string; drop: () => Promise<void> };
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    build = await buildServerForRun(adminUrl(), process.env['TEST_TEMPLATE_DATABASE'] ?? `run_${process.pid}`);
    database = await createTestDatabase();
  }, 180_000);

  afterAll(async () => {
    await server?.kill();
    await database?.drop();
  });

  it(`keeps every acknowledged transfer exactly once through ${KILLS} kills and restarts`, async () => {
    const seed = randomBytes(4).readUInt32BE(0);
    const random = seededRandom(seed);
    server = new ServerProcess({
      entry: path.join(build, 'src', 'main.js'),
      databaseUrl: database.url,
      jwtSecret: randomBytes(32).toString('base64url'),
      port: await freePort(),
      name: 'crash',
      env: BOOKS_CHECKED_OFTEN,
    });
    await server.start();
    const setup = await setUpLedger(server.url, { accounts: accountPlan(12) });
    const load = new TransferLoad({ setup, servers: [server.url], clients: CLIENTS, random, hotAccount: 0 });
    await load.start();
    const kills = await killRepeatedly(server, {
      kills: KILLS,
      uptimeMs: 1500,
      random: seededRandom(seed + 1),
      pending: () => load.pending(),
    });
    await sleep(500);
    await load.stop(30_000);
    const ranBefore = new Date(Date.now() - 2_500);
    // A books check killed mid-run is run again within seconds of the restart that finds it orphaned.
    await awaitScheduledWork(database.url, { work: 'ledger.check-books', ranBefore, timeoutMs: 60_000 });
    await server.stop();

    const stats = load.stats();
    const proof = await proveLedger(database.url, setup, load.transfers());
    const verify = await runVerify(path.join(build, 'scripts', 'verify.js'), database.url);
    const scheduled = await proveScheduledWork(database.url, { work: 'ledger.check-books', everyMs: 2_000, ranBefore });
    const problems = [
      ...load.anomalies,
      ...proof.failures,
      ...scheduled.failures,
      ...(verify.code === 0 ? [] : [verify.output]),
    ];
    if (problems.length > 0) {
      throw new Error(
        `crash test failed (seed ${seed}):\n${problems.join('\n')}\n${formatStats(stats)}\n${server.recentOutput()}`,
      );
    }
    if (process.env['FAULTS_REPORT'] === '1') {
      process.stdout.write(`\n${formatStats(stats)}\n${JSON.stringify(proof.facts)}\n`);
    }
    expect(kills).toHaveLength(KILLS);
    expect(server.starts).toBe(KILLS + 1);
    // The kills hit the clients: replies were lost and requests sent again.
    expect(stats.lostReplies).toBeGreaterThan(0);
    expect(stats.retriedRequests).toBeGreaterThan(0);
    // Both outcomes were exercised, and every transfer got one.
    expect(stats.applied).toBeGreaterThan(0);
    expect(stats.refused).toBeGreaterThan(0);
    expect(stats.unacknowledged).toBe(0);
    expect(stats.internalErrors).toBe(0);
    expect(proof.facts.transactions).toBe(stats.applied);
    expect(proof.facts.outcomes).toBe(stats.applied + stats.refused);
    // The books were checked on schedule through the kills, each occurrence once, none lost.
    expect(scheduled.facts.occurrences).toBeGreaterThanOrEqual(3);
  }, 150_000);
});
