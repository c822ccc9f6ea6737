import type { EntityManager } from 'typeorm';

/**
 * A rule the books keep, as one query returning the rows that break it (none when it holds). One statement
 * sees one snapshot, so a rule over a module's rows and the ledger's is never fooled by a step half-seen.
 * The ledger declares its own; a module declares those that tie its rows to the ledger (a pending time log
 * has its hold open, a paid charge has its transaction), in its DomainModule.
 */
export interface Invariant {
  readonly name: string;
  readonly sql: string;
}

export interface InvariantResult {
  readonly invariant: string;
  readonly rows: readonly Record<string, unknown>[];
}

/** Every invariant of every module (src/domain-modules.ts), for the scheduled books check. */
export const BOOKS_INVARIANTS = Symbol('BOOKS_INVARIANTS');

/** Every invariant with the rows breaking it (none when it holds), in the order given. */
export async function checkInvariants(
  manager: EntityManager,
  invariants: readonly Invariant[],
): Promise<InvariantResult[]> {
  const results: InvariantResult[] = [];
  for (const invariant of invariants) {
    const rows: Record<string, unknown>[] = await manager.query(invariant.sql);
    results.push({ invariant: invariant.name, rows });
  }
  return results;
}

export async function findInvariantViolations(
  manager: EntityManager,
  invariants: readonly Invariant[],
): Promise<InvariantResult[]> {
  return (await checkInvariants(manager, invariants)).filter((result) => result.rows.length > 0);
}
