/**
 * Goal: scheduled work runs by the scheduler's clock, each occurrence once: one-off work at its instant;
 * recurring work by its cron, catching up each missed occurrence in order (EACH) or only the latest
 * (LATEST); ticks racing each other hand an occurrence to the job queue once; a failing occurrence is
 * retried with back-off and shows in /health while it does; the books are checked on a schedule and /health
 * says how they stood. Method: the real application on its own database with a controlled clock and no tick
 * of its own; the test moves the clock, ticks, waits for the job queue to settle, and reads what the
 * handlers saw, the scheduler's tables and /health. (Several processes and SIGKILL: test/e2e/faults.)
 */
import request from 'supertest';
import { runInTransaction } from '../../../src/kernel/database/run-in-transaction.js';
import { CLOCK, type ControlledClock } from '../../../src/kernel/scheduling/clock.js';
import { SchedulerService, type Occurrence } from '../../../src/kernel/scheduling/scheduler.service.js';
import { TestApp } from '../setup/test-app.js';

describe('scheduled work', () => {
  let app: TestApp;
  let scheduler: SchedulerService;
  let clock: ControlledClock;
  const seen: Occurrence[] = [];
  let failuresLeft = 0;

  beforeAll(async () => {
    app = await TestApp.start({ BOOKS_CHECK_CRON: '0 * * * *' });
    scheduler = app.app.get(SchedulerService);
    clock = app.app.get<symbol, ControlledClock>(CLOCK);
    scheduler.register('test.record', async (occurrence) => {
      seen.push(occurrence);
      await Promise.resolve();
    });
    scheduler.register('test.flaky', async (occurrence) => {
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('not this time');
      }
      seen.push(occurrence);
      await Promise.resolve();
    });
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(async () => {
    await scheduler.settled();
    seen.length = 0;
    await app.dataSource.query(`DELETE FROM scheduled_occurrence WHERE work LIKE 'test.%'`);
    await app.dataSource.query(`DELETE FROM scheduled_work WHERE work LIKE 'test.%'`);
  });

  const schedule = (work: (manager: Parameters<SchedulerService['at']>[0]) => Promise<unknown>) =>
    runInTransaction(app.dataSource, 'READ COMMITTED', work);
  const occurrences = async (work: string): Promise<{ key: string; run_at: Date }[]> =>
    app.dataSource.query(`SELECT key, run_at FROM scheduled_occurrence WHERE work = $1 ORDER BY run_at`, [work]);
  const health = async () => (await request(app.app.getHttpServer()).get('/health')).body;
  /**
   * Ticks (at `at`, else by the running clock), and counts the occurrences of this test's work it handed to the
   * queue (the kernel's own aside).
   */
  const tick = async (at?: Date): Promise<number> => {
    const count = async () =>
      Number(
        (await app.dataSource.query(`SELECT count(*) AS n FROM scheduled_occurrence WHERE work LIKE 'test.%'`))[0].n,
      );
    const before = await count();
    await scheduler.tick(at);
    return (await count()) - before;
  };

  it('checks the books on its schedule, and /health says how they stood', async () => {
    expect((await health()).books).toEqual({ checked: false });
    // Half past an hour: no top of the hour (the books check's next run) comes while the test reads /health.
    const halfPast = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + 2.5 * 3_600_000);
    clock.set(halfPast);
    await scheduler.tick(halfPast);
    await scheduler.settled();
    const body = await health();
    expect(body.books).toMatchObject({ checked: true, balanced: true, violations: [] });
    expect(body.scheduler).toMatchObject({ scheduled: expect.any(Number), due: 0, failed: 0 });
  });

  it('runs one-off work once, when the clock reaches its instant, and never again', async () => {
    const start = new Date('2031-03-01T09:00:00Z');
    clock.set(start);
    await schedule((manager) =>
      scheduler.at(manager, { work: 'test.record', key: 'close-motion-1', runAt: new Date('2031-03-01T10:00:00Z') }),
    );
    expect(await tick()).toBe(0);
    // At the instant itself: the clock runs on, and a second later the work is due.
    clock.set(new Date('2031-03-01T09:59:59Z'));
    expect(await tick(new Date('2031-03-01T09:59:59Z'))).toBe(0);
    clock.set(new Date('2031-03-01T10:00:00Z'));
    expect(await tick()).toBe(1);
    await scheduler.settled();
    expect(seen.map((occurrence) => [occurrence.key, occurrence.runAt.toISOString()])).toEqual([
      ['close-motion-1', '2031-03-01T10:00:00.000Z'],
    ]);
    clock.advance(86_400_000);
    expect(await tick()).toBe(0);
    // Scheduling the same work and key again changes nothing: it has run.
    await schedule((manager) =>
      scheduler.at(manager, { work: 'test.record', key: 'close-motion-1', runAt: new Date('2031-03-02T10:00:00Z') }),
    );
    expect(await tick()).toBe(0);
    await scheduler.settled();
    expect(seen).toHaveLength(1);
  });

  it('catches up each missed occurrence of recurring work, in order, once (EACH)', async () => {
    clock.set(new Date('2031-04-30T12:00:00Z'));
    await schedule((manager) =>
      scheduler.every(manager, { work: 'test.record', key: 'monthly', cron: '0 0 1 * *', catchUp: 'EACH' }),
    );
    clock.set(new Date('2031-08-15T00:00:00Z'));
    // Two ticks at once, as two processes would: each occurrence is handed over once.
    await Promise.all([scheduler.tick(), scheduler.tick()]);
    expect(await occurrences('test.record')).toHaveLength(4);
    await scheduler.settled();
    expect(seen.map((occurrence) => occurrence.runAt.toISOString()).sort()).toEqual([
      '2031-05-01T00:00:00.000Z',
      '2031-06-01T00:00:00.000Z',
      '2031-07-01T00:00:00.000Z',
      '2031-08-01T00:00:00.000Z',
    ]);
    expect(new Set(seen.map((occurrence) => occurrence.id)).size).toBe(4);
    expect(await tick()).toBe(0);
    clock.set(new Date('2031-09-01T00:00:00Z'));
    expect(await tick()).toBe(1);
    await scheduler.settled();
    expect((await occurrences('test.record')).map((row) => row.run_at.toISOString())).toEqual([
      '2031-05-01T00:00:00.000Z',
      '2031-06-01T00:00:00.000Z',
      '2031-07-01T00:00:00.000Z',
      '2031-08-01T00:00:00.000Z',
      '2031-09-01T00:00:00.000Z',
    ]);
  });

  it('runs only the latest missed occurrence of work that says so (LATEST)', async () => {
    clock.set(new Date('2031-01-01T00:30:00Z'));
    await schedule((manager) =>
      scheduler.every(manager, { work: 'test.record', key: 'hourly', cron: '0 * * * *', catchUp: 'LATEST' }),
    );
    clock.set(new Date('2031-01-01T05:30:00Z'));
    expect(await tick()).toBe(1);
    await scheduler.settled();
    expect(seen.map((occurrence) => occurrence.runAt.toISOString())).toEqual(['2031-01-01T05:00:00.000Z']);
    clock.set(new Date('2031-01-01T06:00:00Z'));
    expect(await tick()).toBe(1);
    await scheduler.settled();
    expect(seen.map((occurrence) => occurrence.runAt.toISOString())).toEqual([
      '2031-01-01T05:00:00.000Z',
      '2031-01-01T06:00:00.000Z',
    ]);
  });

  it('stops cancelled work, and updates recurring work declared again with another cron', async () => {
    clock.set(new Date('2031-02-01T00:00:30Z'));
    await schedule((manager) =>
      scheduler.every(manager, { work: 'test.record', key: 'changing', cron: '0 * * * *', catchUp: 'EACH' }),
    );
    await schedule((manager) =>
      scheduler.every(manager, { work: 'test.record', key: 'changing', cron: '*/10 * * * *', catchUp: 'EACH' }),
    );
    clock.set(new Date('2031-02-01T00:10:00Z'));
    expect(await tick()).toBe(1);
    await schedule((manager) => scheduler.cancel(manager, 'test.record', 'changing'));
    clock.set(new Date('2031-02-01T05:00:00Z'));
    expect(await tick()).toBe(0);
    await scheduler.settled();
    expect(seen.map((occurrence) => occurrence.runAt.toISOString())).toEqual(['2031-02-01T00:10:00.000Z']);
  });

  it('retries a failing occurrence with back-off until it succeeds, and shows it retrying meanwhile', async () => {
    clock.set(new Date('2031-05-05T05:05:05Z'));
    failuresLeft = 1;
    await schedule((manager) =>
      scheduler.at(manager, { work: 'test.flaky', key: 'once', runAt: new Date('2031-05-05T05:05:05Z') }),
    );
    expect(await tick()).toBe(1);
    let retrying = 0;
    for (const deadline = Date.now() + 20_000; retrying === 0 && Date.now() < deadline;) {
      retrying = (await health()).scheduler.retrying as number;
      if (retrying === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(retrying).toBe(1);
    await scheduler.settled(30_000);
    expect(failuresLeft).toBe(0);
    expect(seen.map((occurrence) => occurrence.key)).toEqual(['once']);
    expect((await health()).scheduler).toMatchObject({ retrying: 0, running: 0, queued: 0 });
  });

  it("runs again at once a job whose process died while running it, not after the queue's expiry", async () => {
    // A job marked running since a minute ago by a process that holds no lock on it: killed mid-run.
    const id = '0b9a8f6e-4c1d-4e2a-9f00-5c3b2a1d0e9f';
    const data = { occurrenceId: id, work: 'test.record', key: 'orphan', runAt: '2031-06-06T06:06:06.000Z', data: {} };
    await app.dataSource.query(
      `INSERT INTO pgboss.job (id, name, data, state, started_on, retry_limit, retry_delay, retry_backoff, expire_in)
       VALUES ($1, 'scheduled-work', $2, 'active', now() - interval '1 minute', 8, 1, false, interval '5 minutes')`,
      [id, data],
    );
    await scheduler.tick();
    await scheduler.settled(30_000);
    expect(seen.map((occurrence) => occurrence.key)).toEqual(['orphan']);
    const [job] = await app.dataSource.query(
      `SELECT state, retry_count FROM pgboss.job WHERE id = $1 UNION ALL SELECT state, retry_count FROM pgboss.archive WHERE id = $1`,
      [id],
    );
    expect(job).toEqual({ state: 'completed', retry_count: 1 });
  });

  it('leaves alone a job its living process is running', async () => {
    let finish: () => void = () => undefined;
    const running = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let started = 0;
    scheduler.register('test.slow', async (occurrence) => {
      started += 1;
      await running;
      seen.push(occurrence);
    });
    clock.set(new Date('2031-07-07T07:07:07Z'));
    await schedule((manager) =>
      scheduler.at(manager, { work: 'test.slow', key: 'slow', runAt: new Date('2031-07-07T07:07:07Z') }),
    );
    await scheduler.tick();
    while (started === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    // As if its grace had passed: marked running long ago, but its process holds its lock.
    await app.dataSource.query(
      `UPDATE pgboss.job SET started_on = now() - interval '1 minute' WHERE name = 'scheduled-work' AND state = 'active'`,
    );
    await scheduler.tick();
    finish();
    await scheduler.settled(30_000);
    expect(started).toBe(1);
    expect(seen.map((occurrence) => occurrence.key)).toEqual(['slow']);
  });
});
