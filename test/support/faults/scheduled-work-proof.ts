/**
 * The proof, for the fault tests and the crash test, that recurring scheduled work ran once per occurrence
 * through whatever happened to the processes: from the scheduler's tables and the job queue's, that every
 * occurrence between the first and the last is there (none lost, none skipped: the work catches up EACH),
 * each handed to the job queue once and run to completion once, none failed; and, for the ledger's books
 * check, that each run found the books balanced.
 */
import pg from 'pg';

/** Server settings for a fault run that also proves scheduled work: the books checked every two seconds. */
export const BOOKS_CHECKED_OFTEN: Readonly<Record<string, string>> = {
  SCHEDULER_TICK_MS: '200',
  BOOKS_CHECK_CRON: '*/2 * * * * *',
  BOOKS_CHECK_CATCH_UP: 'EACH',
};

export interface ScheduledWorkFacts {
  readonly occurrences: number;
  readonly completed: number;
  readonly retried: number;
  readonly first: string | null;
  readonly last: string | null;
}

/**
 * Waits (up to `timeoutMs`) until every occurrence of `work` due before `ranBefore` has run to completion, as
 * it must once a job whose process was killed mid-run is run again; the proof then says what did not.
 */
export async function awaitScheduledWork(
  databaseUrl: string,
  options: { readonly work: string; readonly ranBefore: Date; readonly timeoutMs: number },
): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + options.timeoutMs;
    while (Date.now() < deadline) {
      const { rows } = await client.query<{ pending: number }>(
        `SELECT count(*)::int AS pending FROM scheduled_occurrence o
          WHERE o.work = $1 AND o.run_at < $2
            AND NOT EXISTS (SELECT 1 FROM pgboss.job j WHERE j.id = o.id AND j.state = 'completed')
            AND NOT EXISTS (SELECT 1 FROM pgboss.archive a WHERE a.id = o.id AND a.state = 'completed')`,
        [options.work, options.ranBefore],
      );
      if (rows[0]?.pending === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await client.end();
  }
}

export async function proveScheduledWork(
  databaseUrl: string,
  options: { readonly work: string; readonly everyMs: number; readonly ranBefore: Date },
): Promise<{ failures: string[]; facts: ScheduledWorkFacts }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const failures: string[] = [];
    const occurrences = (
      await client.query<{ id: string; run_at: Date }>(
        `SELECT id, run_at FROM scheduled_occurrence WHERE work = $1 ORDER BY run_at`,
        [options.work],
      )
    ).rows;
    for (let index = 1; index < occurrences.length; index += 1) {
      const gap = occurrences[index]!.run_at.getTime() - occurrences[index - 1]!.run_at.getTime();
      if (gap !== options.everyMs) {
        failures.push(
          `occurrences ${occurrences[index - 1]!.run_at.toISOString()} and ${occurrences[index]!.run_at.toISOString()} ` +
            `are ${gap} ms apart, not ${options.everyMs}`,
        );
      }
    }
    const jobs = (
      await client.query<{ id: string; state: string; retry_count: number }>(
        `SELECT id, state, retry_count FROM pgboss.job WHERE id = ANY($1::uuid[])
         UNION ALL SELECT id, state, retry_count FROM pgboss.archive WHERE id = ANY($1::uuid[])`,
        [occurrences.map((occurrence) => occurrence.id)],
      )
    ).rows;
    const jobsById = new Map<string, { state: string; retry_count: number }[]>();
    for (const job of jobs) jobsById.set(job.id, [...(jobsById.get(job.id) ?? []), job]);
    for (const occurrence of occurrences) {
      const ofOccurrence = jobsById.get(occurrence.id) ?? [];
      if (ofOccurrence.length !== 1) {
        failures.push(`occurrence ${occurrence.run_at.toISOString()} has ${ofOccurrence.length} jobs, not one`);
      } else if (occurrence.run_at < options.ranBefore && ofOccurrence[0]!.state !== 'completed') {
        failures.push(`occurrence ${occurrence.run_at.toISOString()} is ${ofOccurrence[0]!.state}, not completed`);
      }
    }
    if (options.work === 'ledger.check-books') {
      const checks = (
        await client.query<{ occurrence_id: string; violations: unknown[] }>(
          `SELECT occurrence_id, violations FROM books_check`,
        )
      ).rows;
      const checked = new Set(checks.map((check) => check.occurrence_id));
      for (const occurrence of occurrences) {
        if (occurrence.run_at < options.ranBefore && !checked.has(occurrence.id)) {
          failures.push(`occurrence ${occurrence.run_at.toISOString()} of the books check left no result`);
        }
      }
      for (const check of checks) {
        if (check.violations.length > 0) failures.push(`a books check found ${JSON.stringify(check.violations)}`);
      }
    }
    return {
      failures,
      facts: {
        occurrences: occurrences.length,
        completed: jobs.filter((job) => job.state === 'completed').length,
        retried: jobs.filter((job) => job.retry_count > 0).length,
        first: occurrences[0]?.run_at.toISOString() ?? null,
        last: occurrences.at(-1)?.run_at.toISOString() ?? null,
      },
    };
  } finally {
    await client.end();
  }
}
