/**
 * Goal: recurring scheduled work fires once per occurrence across two server processes, and after both are
 * killed (SIGKILL) and restarted, no occurrence is lost: the ones that fell due while nothing ran are caught
 * up, each once. Method: the compiled server started twice on the test file's database with the books
 * check every second (catching up EACH) and a 100 ms tick; after a while both processes are killed at once,
 * left down for a few seconds, and started again; then the proof from the scheduler's and the job queue's
 * tables (test/support/faults/scheduled-work-proof.ts): consecutive occurrences one second apart from first
 * to last, each with one job, run to completion, and each books check balanced.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ServerProcess, buildServerForRun } from '../../support/faults/compiled-server.js';
import { awaitScheduledWork, proveScheduledWork } from '../../support/faults/scheduled-work-proof.js';
import { freePort } from '../../support/free-port.mjs';
import { adminUrl, createTestDatabase } from '../setup/test-database.js';

const SCHEDULE = {
  SCHEDULER_TICK_MS: '100',
  BOOKS_CHECK_CRON: '* * * * * *',
  BOOKS_CHECK_CATCH_UP: 'EACH',
};

describe('scheduled work across processes, kills and restarts', () => {
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

  it('runs each occurrence once in two processes, and catches up what fell due while both were down', async () => {
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
            env: SCHEDULE,
          }),
      ),
    );
    await Promise.all(servers.map((server) => server.start()));
    await sleep(4_000);
    await Promise.all(servers.map((server) => server.kill()));
    const downSince = Date.now();
    await sleep(3_000);
    await Promise.all(servers.map((server) => server.start()));
    await sleep(4_000);
    const ranBefore = new Date(Date.now() - 1_500);
    await awaitScheduledWork(database.url, { work: 'ledger.check-books', ranBefore, timeoutMs: 60_000 });
    await Promise.all(servers.map((server) => server.stop()));

    const { failures, facts } = await proveScheduledWork(database.url, {
      work: 'ledger.check-books',
      everyMs: 1_000,
      ranBefore,
    });
    if (failures.length > 0) {
      const output = servers.map((server) => server.recentOutput()).join('\n');
      throw new Error(`scheduled work failed:\n${failures.join('\n')}\n${JSON.stringify(facts)}\n${output}`);
    }
    // Occurrences span the time both processes were down: caught up, not skipped.
    expect(facts.occurrences).toBeGreaterThanOrEqual(8);
    expect(new Date(facts.first ?? 0).getTime()).toBeLessThan(downSince - 1_000);
    expect(new Date(facts.last ?? 0).getTime()).toBeGreaterThan(downSince + 3_000);
    // Completion is proven above for every occurrence due before `ranBefore`; those after it may be queued still.
  }, 120_000);
});
