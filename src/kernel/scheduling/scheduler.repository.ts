import { Injectable } from '@nestjs/common';
import type pg from 'pg';
import type { EntityManager } from 'typeorm';
import type { CatchUp } from './occurrences.js';

type Row = Record<string, unknown>;

export interface ScheduledWork {
  readonly work: string;
  readonly key: string;
  readonly cron: string | null;
  readonly catchUp: CatchUp;
  readonly runAt: Date;
  readonly data: Record<string, unknown>;
}

/** Counts for /health: what is due now and what the job queue holds, per state. */
export interface SchedulerCounts {
  readonly scheduled: number;
  readonly due: number;
  readonly nextRunAt: Date | null;
  readonly queued: number;
  readonly running: number;
  readonly retrying: number;
  readonly failed: number;
}

/**
 * The first key of the session advisory locks a process holds, on its presence connection, while it runs a
 * job (the second is the job id's hash): a job marked running whose lock no session holds lost its process.
 */
const RUNNING_JOB_LOCK = 0x5343;

/** The scheduler's SQL: `scheduled_work`, `scheduled_occurrence`, and reads of the job queue's tables. */
@Injectable()
export class SchedulerRepository {
  /** One-off work; scheduling the same work and key again changes nothing. */
  async insertOneOff(
    manager: EntityManager,
    work: { work: string; key: string; runAt: Date; data: Record<string, unknown> },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO scheduled_work (work, key, catch_up, run_at, data, status) VALUES ($1, $2, 'EACH', $3, $4, 'ACTIVE')
       ON CONFLICT (work, key) DO NOTHING`,
      [work.work, work.key, work.runAt, JSON.stringify(work.data)],
    );
  }

  /** Recurring work: created, or updated when its cron, catch-up or data changed (then next runs at runAt). */
  async upsertRecurring(
    manager: EntityManager,
    work: { work: string; key: string; cron: string; catchUp: CatchUp; runAt: Date; data: Record<string, unknown> },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO scheduled_work AS w (work, key, cron, catch_up, run_at, data, status)
       VALUES ($1, $2, $3, $4, $5, $6, 'ACTIVE')
       ON CONFLICT (work, key) DO UPDATE
         SET cron = $3, catch_up = $4, data = $6, status = 'ACTIVE',
             run_at = CASE WHEN w.status = 'ACTIVE' AND w.cron = $3 THEN w.run_at ELSE $5 END
         WHERE w.cron IS DISTINCT FROM $3 OR w.catch_up <> $4 OR w.data <> $6::jsonb OR w.status <> 'ACTIVE'`,
      [work.work, work.key, work.cron, work.catchUp, work.runAt, JSON.stringify(work.data)],
    );
  }

  async cancel(manager: EntityManager, work: string, key: string): Promise<boolean> {
    const rows: Row[] = await manager.query(
      `WITH cancelled AS (
         UPDATE scheduled_work SET status = 'CANCELLED', run_at = NULL
         WHERE work = $1 AND key = $2 AND status = 'ACTIVE' RETURNING work
       ) SELECT work FROM cancelled`,
      [work, key],
    );
    return rows.length > 0;
  }

  /** Due work, locked for this tick; work another tick holds is skipped, not waited for. */
  async claimDue(manager: EntityManager, now: Date, limit: number): Promise<ScheduledWork[]> {
    const rows: Row[] = await manager.query(
      `SELECT work, key, cron, catch_up, run_at, data FROM scheduled_work
       WHERE status = 'ACTIVE' AND run_at <= $1 ORDER BY run_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    return rows.map((row) => ({
      work: String(row['work']),
      key: String(row['key']),
      cron: (row['cron'] as string | null) ?? null,
      catchUp: row['catch_up'] as CatchUp,
      runAt: row['run_at'] as Date,
      data: row['data'] as Record<string, unknown>,
    }));
  }

  /** Records an occurrence as handed to the job queue; false when it already was. */
  async recordOccurrence(
    manager: EntityManager,
    occurrence: { id: string; work: string; key: string; runAt: Date },
  ): Promise<boolean> {
    const rows: Row[] = await manager.query(
      `INSERT INTO scheduled_occurrence (id, work, key, run_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING id`,
      [occurrence.id, occurrence.work, occurrence.key, occurrence.runAt],
    );
    return rows.length > 0;
  }

  /** Moves work to its next occurrence, or finishes it (null). */
  async advance(manager: EntityManager, work: string, key: string, next: Date | null): Promise<void> {
    await manager.query(
      `WITH advanced AS (
         UPDATE scheduled_work SET run_at = $3, status = CASE WHEN $3::timestamptz IS NULL THEN 'DONE' ELSE 'ACTIVE' END
         WHERE work = $1 AND key = $2 RETURNING work
       ) SELECT work FROM advanced`,
      [work, key, next],
    );
  }

  /**
   * Forgets occurrences queued, and finished one-off work created, more than `days` ago by the database's
   * clock, which wrote those instants (the job queue keeps its own archive).
   */
  async prune(manager: EntityManager, days: number): Promise<void> {
    await manager.query(
      `DELETE FROM scheduled_occurrence WHERE queued_at < clock_timestamp() - make_interval(days => $1)`,
      [days],
    );
    await manager.query(
      `DELETE FROM scheduled_work w WHERE w.status <> 'ACTIVE' AND w.created_at < clock_timestamp() - make_interval(days => $1)
         AND NOT EXISTS (SELECT 1 FROM scheduled_occurrence o WHERE o.work = w.work AND o.key = w.key)`,
      [days],
    );
  }

  async counts(manager: EntityManager, now: Date, queue: string, jobSchema: string): Promise<SchedulerCounts> {
    const [row]: Row[] = await manager.query(
      `SELECT (SELECT count(*)::int FROM scheduled_work WHERE status = 'ACTIVE') AS scheduled,
              (SELECT count(*)::int FROM scheduled_work WHERE status = 'ACTIVE' AND run_at <= $1) AS due,
              (SELECT min(run_at) FROM scheduled_work WHERE status = 'ACTIVE') AS next_run_at,
              (SELECT count(*)::int FROM ${jobSchema}.job WHERE name = $2 AND state = 'created') AS queued,
              (SELECT count(*)::int FROM ${jobSchema}.job WHERE name = $2 AND state = 'active') AS running,
              (SELECT count(*)::int FROM ${jobSchema}.job WHERE name = $2 AND state = 'retry') AS retrying,
              (SELECT count(*)::int FROM ${jobSchema}.job WHERE name = $2 AND state = 'failed')
                + (SELECT count(*)::int FROM ${jobSchema}.archive WHERE name = $2 AND state = 'failed') AS failed`,
      [now, queue],
    );
    return {
      scheduled: Number(row?.['scheduled'] ?? 0),
      due: Number(row?.['due'] ?? 0),
      nextRunAt: (row?.['next_run_at'] as Date | null) ?? null,
      queued: Number(row?.['queued'] ?? 0),
      running: Number(row?.['running'] ?? 0),
      retrying: Number(row?.['retrying'] ?? 0),
      failed: Number(row?.['failed'] ?? 0),
    };
  }

  /** Marks the job as run by this process: the lock lives as long as the presence connection. */
  async holdRunningJob(presence: pg.ClientBase, jobId: string): Promise<void> {
    await presence.query(`SELECT pg_try_advisory_lock($1, hashtext($2))`, [RUNNING_JOB_LOCK, jobId]);
  }

  async releaseRunningJob(presence: pg.ClientBase, jobId: string): Promise<void> {
    await presence.query(`SELECT pg_advisory_unlock($1, hashtext($2))`, [RUNNING_JOB_LOCK, jobId]);
  }

  /**
   * Jobs of the queue marked running for longer than `graceSeconds` whose process holds no lock on them: it
   * died (a kill, a lost machine) and its connections with it. pg-boss alone would wait for their expiry.
   */
  async orphanedJobs(
    manager: EntityManager,
    queue: string,
    jobSchema: string,
    graceSeconds: number,
  ): Promise<string[]> {
    const rows: Row[] = await manager.query(
      `SELECT j.id FROM ${jobSchema}.job j
        WHERE j.name = $1 AND j.state = 'active' AND j.started_on < now() - make_interval(secs => $2)
          AND NOT EXISTS (
            SELECT 1 FROM pg_locks l
             WHERE l.locktype = 'advisory' AND l.objsubid = 2 AND l.granted
               AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND l.classid::bigint = $3 AND l.objid::bigint = (hashtext(j.id::text)::bigint & 4294967295))`,
      [queue, graceSeconds, RUNNING_JOB_LOCK],
    );
    return rows.map((row) => String(row['id']));
  }

  /** Whether the job queue holds any job of the queue that is waiting, retrying or running. */
  async busy(manager: EntityManager, queue: string, jobSchema: string): Promise<boolean> {
    const rows: Row[] = await manager.query(
      `SELECT 1 FROM ${jobSchema}.job WHERE name = $1 AND state IN ('created', 'retry', 'active') LIMIT 1`,
      [queue],
    );
    return rows.length > 0;
  }
}
