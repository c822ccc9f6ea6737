import type { DataSource, EntityManager } from 'typeorm';

/** SQLSTATEs after which the whole database transaction may simply run again. */
const RETRYABLE = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '23505', // unique_violation: a concurrent request took the same id first; running again replays it
]);
const MAX_ATTEMPTS = 6;

export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

/**
 * Runs `work` in one database transaction at the stated isolation level, running it again (with jittered
 * back-off, a bounded number of times) when PostgreSQL reports a conflict that a retry resolves.
 */
export async function runInTransaction<T>(
  dataSource: DataSource,
  isolation: IsolationLevel,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await transactionOnce(dataSource, isolation, work);
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !RETRYABLE.has(sqlState(error) ?? '')) throw error;
      const backoffMs = Math.random() * 5 * 2 ** attempt;
      await new Promise((resolve) => setTimeout(resolve, backoffMs));
    }
  }
}

/**
 * One attempt. The transaction starts with its isolation level in one statement (TypeORM's own start takes
 * two round trips, START TRANSACTION and then SET TRANSACTION): on the ledger's write path every round trip
 * is paid once per batch. Work runs through the manager's `query` only, never TypeORM's entity methods,
 * which would open transactions of their own.
 */
async function transactionOnce<T>(
  dataSource: DataSource,
  isolation: IsolationLevel,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query(`START TRANSACTION ISOLATION LEVEL ${isolation}`);
    let result: T;
    try {
      result = await work(runner.manager);
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined); // a broken connection has rolled back already
      throw error;
    }
    await runner.query('COMMIT');
    return result;
  } finally {
    await runner.release();
  }
}

export function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const direct = (error as { code?: unknown }).code;
  if (typeof direct === 'string') return direct;
  const driverError = (error as { driverError?: { code?: unknown } }).driverError;
  return typeof driverError?.code === 'string' ? driverError.code : undefined;
}
