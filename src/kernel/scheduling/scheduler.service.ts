import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type pg from 'pg';
import PgBoss from 'pg-boss';
import { DataSource, type EntityManager } from 'typeorm';
import { assert } from '../assert.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { runInTransaction } from '../database/run-in-transaction.js';
import { CLOCK, type Clock } from './clock.js';
import {
  dueOccurrence,
  followingOccurrence,
  isValidCron,
  nextOccurrence,
  occurrenceId,
  type CatchUp,
} from './occurrences.js';
import { SchedulerRepository, type SchedulerCounts } from './scheduler.repository.js';

/** One occurrence of scheduled work, as its handler receives it. */
export interface Occurrence {
  /** Derived from work, key and instant: a handler derives its own ids from it to stay idempotent. */
  readonly id: string;
  readonly work: string;
  readonly key: string;
  readonly runAt: Date;
  readonly data: Record<string, unknown>;
}

/**
 * Runs an occurrence. It may run more than once (a crash after its work committed, before the queue heard
 * so), so it must be idempotent: derive ids from the occurrence, as a workflow step does.
 */
export type WorkHandler = (occurrence: Occurrence) => Promise<void>;

const QUEUE = 'scheduled-work';
const JOB_SCHEMA = 'pgboss';
/** Occurrences handed to the queue per round of a tick; a tick runs rounds until none is due. */
const TICK_BATCH = 500;
const MAX_ROUNDS_PER_TICK = 20;
const RETENTION_DAYS = 30;
/**
 * How long a job may be marked running before its process has taken the job's lock; after it, a running job
 * without its lock is run again at once (its process died) instead of after the queue's five-minute expiry.
 */
const ORPHAN_GRACE_SECONDS = 5;

interface JobData {
  readonly occurrenceId: string;
  readonly work: string;
  readonly key: string;
  readonly runAt: string;
  readonly data: Record<string, unknown>;
}

/**
 * Scheduled work, durable in PostgreSQL: one-off work at an instant and recurring work by a cron expression
 * (`scheduled_work`). A tick (every SCHEDULER_TICK_MS in each process, and callable directly) finds what
 * is due by the scheduler's clock, and in one database transaction records each due occurrence once
 * (`scheduled_occurrence`) and hands it to the job queue (pg-boss) under the occurrence's id; several
 * processes ticking at once skip each other's rows. pg-boss then runs each job once at a time in whichever
 * process fetches it, retries a failure with back-off, re-runs a job whose process died, and keeps failures
 * visible. The interval only says "look now": nothing is lost when no process is up, and what fell due
 * meanwhile runs when one is (each missed occurrence, or the latest, as the work says).
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SchedulerService.name);
  private readonly handlers = new Map<string, WorkHandler>();
  private boss: PgBoss | null = null;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<number> | null = null;
  /** A connection held for the process's life: the locks on it say which jobs this process is running. */
  private presence: pg.PoolClient | null = null;
  /** The presence connection's statements, one after another (a pg client runs one query at a time). */
  private presenceQueue: Promise<void> = Promise.resolve();

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SchedulerRepository) private readonly repository: SchedulerRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Declares what runs an occurrence of `work` (`<module>.<work>`); modules call it when they start. */
  register(work: string, handler: WorkHandler): void {
    assert(!this.handlers.has(work), `scheduled work ${work} has one handler`);
    this.handlers.set(work, handler);
  }

  /** Work to run once at `runAt` (or at once, when that is past); the same work and key again changes nothing. */
  async at(
    manager: EntityManager,
    work: { work: string; key: string; runAt: Date; data?: Record<string, unknown> },
  ): Promise<void> {
    await this.repository.insertOneOff(manager, { ...work, data: work.data ?? {} });
  }

  /** Work to run by `cron` (UTC) from now on; declaring it again with other terms updates it. */
  async every(
    manager: EntityManager,
    work: { work: string; key: string; cron: string; catchUp: CatchUp; data?: Record<string, unknown> },
  ): Promise<void> {
    assert(isValidCron(work.cron), `"${work.cron}" is a cron expression`);
    await this.repository.upsertRecurring(manager, {
      ...work,
      runAt: nextOccurrence(work.cron, this.clock.now()),
      data: work.data ?? {},
    });
  }

  async cancel(manager: EntityManager, work: string, key: string): Promise<boolean> {
    return this.repository.cancel(manager, work, key);
  }

  /**
   * Hands every occurrence due by `now` to the job queue, once; returns how many. Safe to run in several
   * processes at once. Recurring work that catches up hands over each missed occurrence, in order.
   */
  async tick(now: Date = this.clock.now()): Promise<number> {
    const boss = this.requireBoss();
    await this.retryOrphans(boss);
    let queued = 0;
    for (let round = 0; round < MAX_ROUNDS_PER_TICK; round += 1) {
      const handed = await runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
        const due = await this.repository.claimDue(manager, now, TICK_BATCH);
        const jobs: PgBoss.JobInsert<JobData>[] = [];
        for (const work of due) {
          const runAt = work.cron === null ? work.runAt : dueOccurrence(work.cron, work.catchUp, work.runAt, now);
          const id = occurrenceId(work.work, work.key, runAt);
          if (await this.repository.recordOccurrence(manager, { id, work: work.work, key: work.key, runAt })) {
            jobs.push({
              id,
              name: QUEUE,
              data: { occurrenceId: id, work: work.work, key: work.key, runAt: runAt.toISOString(), data: work.data },
            });
          }
          const next = work.cron === null ? null : followingOccurrence(work.cron, runAt);
          await this.repository.advance(manager, work.work, work.key, next);
        }
        if (jobs.length > 0) await boss.insert(jobs, { db: transactionDb(manager) });
        return { claimed: due.length, queued: jobs.length };
      });
      queued += handed.queued;
      // Recurring work that catches up may be due again at once: another round takes its next occurrence.
      if (handed.claimed === 0) return queued;
    }
    return queued;
  }

  /** What is scheduled, due, queued, running, retrying and failed (for /health). */
  async counts(): Promise<SchedulerCounts> {
    return this.repository.counts(this.dataSource.manager, this.clock.now(), QUEUE, JOB_SCHEMA);
  }

  /** Waits until the job queue has run everything handed to it (tests; a failing job keeps it busy). */
  async settled(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (await this.repository.busy(this.dataSource.manager, QUEUE, JOB_SCHEMA)) {
      if (Date.now() > deadline) throw new Error(`scheduled work still running after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    const boss = new PgBoss({
      db: poolDb(this.dataSource),
      schema: JOB_SCHEMA,
      // Recurring work is ours (scheduled_work), by our clock: pg-boss's own cron is not used.
      schedule: false,
      maintenanceIntervalSeconds: 30,
      archiveCompletedAfterSeconds: 24 * 3600,
      deleteAfterDays: RETENTION_DAYS,
    });
    boss.on('error', (error: Error) => this.logger.error(`job queue: ${error.message}`));
    await boss.start();
    await boss.createQueue(QUEUE, {
      name: QUEUE,
      policy: 'standard',
      retryLimit: 8,
      retryDelay: 2,
      retryBackoff: true,
      // A job whose process died is run again after this long.
      expireInSeconds: 300,
    });
    this.boss = boss;
    await this.presenceConnection();
    await boss.work<JobData>(QUEUE, { batchSize: 10, pollingIntervalSeconds: 0.5 }, (jobs) => this.runJobs(jobs));
    await runInTransaction(this.dataSource, 'READ COMMITTED', (manager) =>
      this.every(manager, { work: 'kernel.prune-scheduled-work', key: 'all', cron: '23 3 * * *', catchUp: 'LATEST' }),
    );
    if (this.config.scheduler.tickMs > 0) {
      this.timer = setInterval(() => {
        this.ticking ??= this.tick()
          .catch((error: unknown) => {
            this.logger.error(`scheduler tick failed: ${error instanceof Error ? error.message : String(error)}`);
            return 0;
          })
          .finally(() => {
            this.ticking = null;
          });
      }, this.config.scheduler.tickMs);
      this.timer.unref();
    }
  }

  /** Before the database pool closes: the queue stops and the presence connection goes back to the pool. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    await this.ticking;
    await this.boss?.stop({ graceful: true, timeout: 5_000, wait: true });
    this.boss = null;
    const presence = this.presence;
    this.presence = null;
    presence?.release();
  }

  /** Hands the jobs whose process died back to the queue, to run again now (with its retry back-off). */
  private async retryOrphans(boss: PgBoss): Promise<void> {
    const orphans = await this.repository.orphanedJobs(
      this.dataSource.manager,
      QUEUE,
      JOB_SCHEMA,
      ORPHAN_GRACE_SECONDS,
    );
    if (orphans.length === 0) return;
    this.logger.warn(`scheduled work: ${orphans.length} job(s) lost their process while running; running them again`);
    for (const id of orphans) await boss.fail(QUEUE, id, { message: 'its process ended while running it' });
  }

  private onPresence(statement: (presence: pg.PoolClient) => Promise<void>): Promise<void> {
    const next = this.presenceQueue.then(async () => statement(await this.presenceConnection()));
    this.presenceQueue = next.catch(() => undefined);
    return next;
  }

  /** The presence connection, taken again if it was lost (a job run meanwhile is only at risk of a re-run). */
  private async presenceConnection(): Promise<pg.PoolClient> {
    if (this.presence !== null) return this.presence;
    const client = await poolOf(this.dataSource).connect();
    client.on('error', (error: Error) => {
      // Once given back (at shutdown, or after an earlier error) the client is the pool's to deal with.
      if (this.presence !== client) return;
      this.presence = null;
      this.logger.warn(`scheduler presence connection lost: ${error.message}`);
      client.release(true);
    });
    this.presence = client;
    return client;
  }

  /** Runs each job on its own: one failing (retried later) does not fail its neighbours. */
  private async runJobs(jobs: PgBoss.Job<JobData>[]): Promise<void> {
    const boss = this.requireBoss();
    await Promise.all(
      jobs.map(async (job) => {
        try {
          await this.onPresence((presence) => this.repository.holdRunningJob(presence, job.id));
          await this.run(job.data);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          this.logger.warn(`scheduled work ${job.data.work} (${job.data.key}) failed: ${message}`);
          await boss.fail(QUEUE, job.id, { message });
        } finally {
          await this.onPresence((presence) => this.repository.releaseRunningJob(presence, job.id)).catch(
            () => undefined,
          );
        }
      }),
    );
  }

  private async run(job: JobData): Promise<void> {
    const occurrence: Occurrence = {
      id: job.occurrenceId,
      work: job.work,
      key: job.key,
      runAt: new Date(job.runAt),
      data: job.data,
    };
    if (job.work === 'kernel.prune-scheduled-work') {
      await this.repository.prune(this.dataSource.manager, RETENTION_DAYS);
      return;
    }
    const handler = this.handlers.get(job.work);
    if (handler === undefined) throw new Error(`no handler for scheduled work ${job.work}`);
    await handler(occurrence);
  }

  private requireBoss(): PgBoss {
    assert(this.boss !== null, 'the scheduler has started');
    return this.boss;
  }
}

/** pg-boss on the service's own pool (no second pool). */
function poolDb(dataSource: DataSource): PgBoss.Db {
  const pool = poolOf(dataSource);
  return { executeSql: (text, values) => pool.query(text, values) };
}

function poolOf(dataSource: DataSource): pg.Pool {
  return (dataSource.driver as unknown as { master: pg.Pool }).master;
}

/** pg-boss on the connection of the caller's database transaction: a job handed over commits with it. */
function transactionDb(manager: EntityManager): PgBoss.Db {
  return {
    executeSql: async (text, values) => {
      assert(manager.queryRunner !== undefined, 'a job is handed over inside a database transaction');
      const client = (await manager.queryRunner.connect()) as pg.ClientBase;
      return client.query(text, values);
    },
  };
}
