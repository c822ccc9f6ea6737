/**
 * Goal: two server processes on one database, under concurrent load, keep every invariant: no deadlock, no
 * overdraft, no lost or doubled transfer. Method: the compiled server started twice (child processes, one
 * shared JWT secret) on the test file's database; clients split between the two post single and bulk
 * transfers across shared accounts, many of them debiting one hot account with a credit line, so that both
 * processes race for the same limit; then the proof from the database (test/support/faults/ledger-proof.ts)
 * and `verify`.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ServerProcess, buildServerForRun } from '../../support/faults/compiled-server.js';
import { proveLedger, runVerify } from '../../support/faults/ledger-proof.js';
import { accountPlan, setUpLedger } from '../../support/faults/ledger-setup.js';
import { seededRandom } from '../../support/faults/seeded-random.js';
import { TransferLoad, formatStats } from '../../support/faults/transfer-load.js';
import { freePort } from '../../support/free-port.mjs';
import { adminUrl, createTestDatabase } from '../setup/test-database.js';

const CLIENTS = 12;
const LOAD_MS = 8000;
const HOT_CREDIT_LIMIT = 500n;

describe('two server processes on one database', () => {
  let build: string;
  let database: { url: string; drop: () => Promise<void> };
  let servers: ServerProcess[] = [];

  beforeAll(async () => {
    build = await buildServerForRun(adminUrl(), process.env['TEST_TEMPLATE_DATABASE'] ?? `run_${process.pid}`);
    database = await createTestDatabase();
  }, 180_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.kill()));
    await database?.drop();
  });

  it('keeps every invariant under concurrent load on shared accounts, without deadlock or overdraft', async () => {
    const seed = randomBytes(4).readUInt32BE(0);
    const random = seededRandom(seed);
    const jwtSecret = randomBytes(32).toString('base64url');
    servers = await Promise.all(
      ['A', 'B'].map(
        async (name) =>
          new ServerProcess({
            entry: path.join(build, 'src', 'main.js'),
            databaseUrl: database.url,
            jwtSecret,
            port: await freePort(),
            name,
          }),
      ),
    );
    await Promise.all(servers.map((server) => server.start()));
    const [first] = servers;
    if (first === undefined) throw new Error('two servers were made');
    const [hot, ...others] = accountPlan(12);
    if (hot === undefined) throw new Error('accounts were planned');
    const accounts = [{ ...hot, creditLimit: HOT_CREDIT_LIMIT, upperLimit: null }, ...others];
    const setup = await setUpLedger(first.url, { accounts });
    const load = new TransferLoad({
      setup,
      servers: servers.map((server) => server.url),
      clients: CLIENTS,
      random,
      hotAccount: 0,
      hotShare: 0.5,
      hotPays: 0.75,
      // No request should go unanswered here, even on a slow machine.
      requestTimeoutMs: 30_000,
    });
    await load.start();
    await sleep(LOAD_MS);
    await load.stop(30_000);
    // A graceful stop ends the database sessions, so that PostgreSQL's deadlock count is complete.
    await Promise.all(servers.map((server) => server.stop()));

    const stats = load.stats();
    const proof = await proveLedger(database.url, setup, load.transfers());
    const verify = await runVerify(path.join(build, 'scripts', 'verify.js'), database.url);
    const problems = [...load.anomalies, ...proof.failures, ...(verify.code === 0 ? [] : [verify.output])];
    if (problems.length > 0) {
      const output = servers.map((server) => server.recentOutput()).join('\n');
      throw new Error(
        `two-process test failed (seed ${seed}):\n${problems.join('\n')}\n${formatStats(stats)}\n${output}`,
      );
    }
    if (process.env['FAULTS_REPORT'] === '1') {
      process.stdout.write(`\n${formatStats(stats)}\n${JSON.stringify(proof.facts)}\n`);
    }
    // Both processes served, and no request failed: a deadlock or a lost lock would be an internal error.
    for (const server of servers) expect(stats.attemptsByServer[server.url] ?? 0).toBeGreaterThan(10);
    expect(stats.internalErrors).toBe(0);
    expect(stats.lostReplies).toBe(0);
    expect(stats.unacknowledged).toBe(0);
    expect(proof.facts.deadlocks).toBe(0);
    // The hot account's credit line was contested: debits past it were refused, and it was not passed.
    const hotDebitsRefused = load
      .transfers()
      .filter((transfer) => transfer.from === hot.id && transfer.outcome?.status === 'REFUSED').length;
    expect(hotDebitsRefused).toBeGreaterThan(0);
    expect(stats.refusedByReason['CREDIT_LIMIT_EXCEEDED'] ?? 0).toBeGreaterThan(0);
    // What the clients were told was applied is exactly what the ledger holds.
    expect(proof.facts.transactions).toBe(stats.applied);
    expect(proof.facts.outcomes).toBe(stats.applied + stats.refused);
  }, 150_000);
});
