import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { bigintFromColumn } from '../kernel/money/minor-units.js';
import type {
  PolicyRecord,
  PolicyVersionRecord,
  RunLegRecord,
  RunLineRecord,
  RunRecord,
} from './redistribution.records.js';

type Row = Record<string, unknown>;

const POLICY_COLUMNS = `id, organization_id, unit_code, name, current_version, status, retired_by_motion_id, retired_at,
  created_at`;
const RUN_COLUMNS = `id, policy_id, version, period_start, period_end, total, transaction_count, line_count, digest, legs,
  executed_by, executed_at, status, reversed_by, reversal_reason, reversed_at`;
/** Lines written per statement: 8 arrays of this length stay well inside PostgreSQL's limits. */
const LINE_CHUNK = 20_000;

/** All of redistribution's SQL. Every method runs on the caller's manager (its database transaction). */
@Injectable()
export class RedistributionRepository {
  async findPolicy(manager: EntityManager, id: string, lock = false): Promise<PolicyRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${POLICY_COLUMNS} FROM redistribution_policy WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] === undefined ? null : toPolicy(rows[0]);
  }

  async listPolicies(
    manager: EntityManager,
    filter: { organizationId: string; after: { at: Date; id: string } | null; limit: number },
  ): Promise<PolicyRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${POLICY_COLUMNS} FROM redistribution_policy
       WHERE organization_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3::uuid))
       ORDER BY created_at, id LIMIT $4`,
      [filter.organizationId, filter.after?.at ?? null, filter.after?.id ?? null, filter.limit],
    );
    return rows.map(toPolicy);
  }

  async insertPolicy(
    manager: EntityManager,
    policy: { id: string; organizationId: string; unitCode: string; name: string },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO redistribution_policy (id, organization_id, unit_code, name, current_version, status)
       VALUES ($1, $2, $3, $4, 1, 'ACTIVE')`,
      [policy.id, policy.organizationId, policy.unitCode, policy.name],
    );
  }

  async setCurrentVersion(manager: EntityManager, id: string, version: number, name: string): Promise<void> {
    await manager.query(`UPDATE redistribution_policy SET current_version = $2, name = $3 WHERE id = $1`, [
      id,
      version,
      name,
    ]);
  }

  async retirePolicy(manager: EntityManager, id: string, motionId: string): Promise<void> {
    await manager.query(
      `UPDATE redistribution_policy SET status = 'RETIRED', retired_by_motion_id = $2, retired_at = clock_timestamp()
       WHERE id = $1`,
      [id, motionId],
    );
  }

  async insertVersion(
    manager: EntityManager,
    version: { policyId: string; version: number; document: Record<string, unknown>; motionId: string },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO redistribution_policy_version (policy_id, version, document, motion_id) VALUES ($1, $2, $3, $4)`,
      [version.policyId, version.version, JSON.stringify(version.document), version.motionId],
    );
  }

  async findVersion(manager: EntityManager, policyId: string, version: number): Promise<PolicyVersionRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT policy_id, version, document, motion_id, adopted_at FROM redistribution_policy_version
       WHERE policy_id = $1 AND version = $2`,
      [policyId, version],
    );
    return rows[0] === undefined ? null : toVersion(rows[0]);
  }

  async listVersions(manager: EntityManager, policyId: string): Promise<PolicyVersionRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT policy_id, version, document, motion_id, adopted_at FROM redistribution_policy_version
       WHERE policy_id = $1 ORDER BY version`,
      [policyId],
    );
    return rows.map(toVersion);
  }

  /** Serialises executions of one run across processes until the caller's transaction ends. */
  async lockRun(manager: EntityManager, runId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [runId]);
  }

  async findRun(manager: EntityManager, id: string, lock = false): Promise<RunRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${RUN_COLUMNS} FROM redistribution_run WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] === undefined ? null : toRun(rows[0]);
  }

  async listRuns(
    manager: EntityManager,
    filter: { policyId: string; after: { at: Date; id: string } | null; limit: number },
  ): Promise<RunRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${RUN_COLUMNS} FROM redistribution_run
       WHERE policy_id = $1 AND ($2::timestamptz IS NULL OR (executed_at, id) > ($2, $3::uuid))
       ORDER BY executed_at, id LIMIT $4`,
      [filter.policyId, filter.after?.at ?? null, filter.after?.id ?? null, filter.limit],
    );
    return rows.map(toRun);
  }

  async insertRun(
    manager: EntityManager,
    run: Omit<RunRecord, 'executedAt' | 'status' | 'reversedBy' | 'reversalReason' | 'reversedAt'>,
    lines: readonly RunLineRecord[],
  ): Promise<void> {
    await manager.query(
      `INSERT INTO redistribution_run (id, policy_id, version, period_start, period_end, total, transaction_count,
         line_count, digest, legs, executed_by, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'EXECUTED')`,
      [
        run.id,
        run.policyId,
        run.version,
        run.periodStart,
        run.periodEnd,
        run.total.toString(),
        run.transactionCount,
        run.lineCount,
        run.digest,
        JSON.stringify(run.legs.map(legJson)),
        run.executedBy,
      ],
    );
    for (let start = 0; start < lines.length; start += LINE_CHUNK) {
      const chunk = lines.slice(start, start + LINE_CHUNK);
      await manager.query(
        `INSERT INTO redistribution_run_line (run_id, leg, role, account_id, basis, exact_share, amount, explanation)
         SELECT $1, * FROM unnest($2::smallint[], $3::text[], $4::uuid[], $5::bigint[], $6::text[], $7::bigint[],
                                  $8::text[])`,
        [
          run.id,
          chunk.map((line) => line.leg),
          chunk.map((line) => line.role),
          chunk.map((line) => line.accountId),
          chunk.map((line) => line.basis.toString()),
          chunk.map((line) => line.exactShare),
          chunk.map((line) => line.amount.toString()),
          chunk.map((line) => line.explanation),
        ],
      );
    }
  }

  async markReversed(manager: EntityManager, id: string, by: string, reason: string): Promise<void> {
    await manager.query(
      `UPDATE redistribution_run SET status = 'REVERSED', reversed_by = $2, reversal_reason = $3,
         reversed_at = clock_timestamp() WHERE id = $1`,
      [id, by, reason],
    );
  }

  /** A run's lines in (leg, role, account) order, after the given key. */
  async listLines(
    manager: EntityManager,
    filter: { runId: string; after: { leg: number; role: string; accountId: string } | null; limit: number },
  ): Promise<RunLineRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT leg, role, account_id, basis, exact_share, amount, explanation FROM redistribution_run_line
       WHERE run_id = $1 AND ($2::smallint IS NULL OR (leg, role, account_id) > ($2, $3::text, $4::uuid))
       ORDER BY leg, role, account_id LIMIT $5`,
      [
        filter.runId,
        filter.after?.leg ?? null,
        filter.after?.role ?? null,
        filter.after?.accountId ?? null,
        filter.limit,
      ],
    );
    return rows.map(toLine);
  }
}

function toPolicy(row: Row): PolicyRecord {
  return {
    id: String(row['id']),
    organizationId: String(row['organization_id']),
    unitCode: String(row['unit_code']),
    name: String(row['name']),
    currentVersion: Number(row['current_version']),
    status: row['status'] as PolicyRecord['status'],
    retiredByMotionId: (row['retired_by_motion_id'] as string | null) ?? null,
    retiredAt: (row['retired_at'] as Date | null) ?? null,
    createdAt: row['created_at'] as Date,
  };
}

function toVersion(row: Row): PolicyVersionRecord {
  return {
    policyId: String(row['policy_id']),
    version: Number(row['version']),
    document: row['document'] as Record<string, unknown>,
    motionId: String(row['motion_id']),
    adoptedAt: row['adopted_at'] as Date,
  };
}

function legJson(leg: RunLegRecord): Record<string, unknown> {
  return { ...leg, measured: leg.measured.toString(), moved: leg.moved.toString() };
}

function toRun(row: Row): RunRecord {
  const legs = row['legs'] as Record<string, unknown>[];
  return {
    id: String(row['id']),
    policyId: String(row['policy_id']),
    version: Number(row['version']),
    periodStart: row['period_start'] as Date,
    periodEnd: row['period_end'] as Date,
    total: bigintFromColumn(row['total']),
    transactionCount: Number(row['transaction_count']),
    lineCount: Number(row['line_count']),
    digest: String(row['digest']),
    legs: legs.map((leg) => ({
      leg: Number(leg['leg']),
      name: String(leg['name']),
      measured: BigInt(String(leg['measured'])),
      moved: BigInt(String(leg['moved'])),
      explanation: String(leg['explanation']),
      transactionCount: Number(leg['transactionCount']),
    })),
    executedBy: String(row['executed_by']),
    executedAt: row['executed_at'] as Date,
    status: row['status'] as RunRecord['status'],
    reversedBy: (row['reversed_by'] as string | null) ?? null,
    reversalReason: (row['reversal_reason'] as string | null) ?? null,
    reversedAt: (row['reversed_at'] as Date | null) ?? null,
  };
}

function toLine(row: Row): RunLineRecord {
  return {
    leg: Number(row['leg']),
    role: row['role'] as RunLineRecord['role'],
    accountId: String(row['account_id']),
    basis: bigintFromColumn(row['basis']),
    exactShare: (row['exact_share'] as string | null) ?? null,
    amount: bigintFromColumn(row['amount']),
    explanation: String(row['explanation']),
  };
}
