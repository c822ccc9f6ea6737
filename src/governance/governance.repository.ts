import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Position } from '../kernel/graphql/cursor.js';
import { bigintFromColumn } from '../kernel/money/minor-units.js';
import type {
  ApprovalAction,
  ApprovalDecisionRecord,
  ApprovalRequestRecord,
  ApprovalStatus,
  AssemblyKind,
  AssemblyRecord,
  BallotChoice,
  BallotRecord,
  BudgetTerms,
  DelegationRecord,
  EffectStatus,
  MotionEffect,
  MotionRecord,
  MotionStatus,
  MotionVoterRecord,
  OutcomeRecord,
  SeatRecord,
  SecretBallotRecord,
} from './governance.records.js';
import type { Delegation } from './rules/delegation.js';
import type { DecisionRule } from './rules/tally.js';

type Row = Record<string, unknown>;

const ASSEMBLY_COLUMNS = 'id, organization_id, name, kind, delegation_allowed, outcomes_public, created_at';
const MOTION_COLUMNS = `id, assembly_id, title, body, ballot_kind, rule, supermajority_numerator, supermajority_denominator,
  quorum_numerator, quorum_denominator, options, budget, effect, secret, results_hidden, changeable, early_close,
  delegation_applies, opens_at, closes_at, status, proposed_by, created_at`;
const REQUEST_COLUMNS = `id, organization_id, title, action, approver_role, committee, required, author_id, payee_ids,
  version, expires_at, status, result, created_at, decided_at`;

/** All of governance's SQL. Every method runs on the caller's manager (its database transaction). */
@Injectable()
export class GovernanceRepository {
  // Assemblies

  async insertAssembly(manager: EntityManager, assembly: AssemblyRecord): Promise<AssemblyRecord> {
    const rows: Row[] = await manager.query(
      `INSERT INTO assembly (id, organization_id, name, kind, delegation_allowed, outcomes_public, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${ASSEMBLY_COLUMNS}`,
      [
        assembly.id,
        assembly.organizationId,
        assembly.name,
        assembly.kind,
        assembly.delegationAllowed,
        assembly.outcomesPublic,
        assembly.createdAt,
      ],
    );
    return toAssembly(one(rows));
  }

  async findAssembly(manager: EntityManager, id: string, lock = false): Promise<AssemblyRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${ASSEMBLY_COLUMNS} FROM assembly WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] === undefined ? null : toAssembly(rows[0]);
  }

  /** An organisation's assemblies, oldest first, after a (created_at, id) position. */
  async listAssemblies(
    manager: EntityManager,
    filter: { organizationId: string; after: Position | null; limit: number },
  ): Promise<AssemblyRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${ASSEMBLY_COLUMNS} FROM assembly
       WHERE organization_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3::uuid))
       ORDER BY created_at, id LIMIT $4`,
      [filter.organizationId, filter.after?.at ?? null, filter.after?.id ?? null, filter.limit],
    );
    return rows.map(toAssembly);
  }

  async updateAssembly(
    manager: EntityManager,
    assembly: Pick<AssemblyRecord, 'id' | 'name' | 'delegationAllowed' | 'outcomesPublic'>,
  ): Promise<AssemblyRecord> {
    const rows: Row[] = await manager.query(
      `WITH updated AS (
         UPDATE assembly SET name = $2, delegation_allowed = $3, outcomes_public = $4 WHERE id = $1
         RETURNING ${ASSEMBLY_COLUMNS}
       ) SELECT * FROM updated`,
      [assembly.id, assembly.name, assembly.delegationAllowed, assembly.outcomesPublic],
    );
    return toAssembly(one(rows));
  }

  async upsertSeat(manager: EntityManager, seat: SeatRecord): Promise<SeatRecord> {
    const rows: Row[] = await manager.query(
      `INSERT INTO assembly_seat AS s (assembly_id, organization_id, weight, delegate_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (assembly_id, organization_id) DO UPDATE SET weight = $3, delegate_id = $4
       RETURNING assembly_id, organization_id, weight, delegate_id`,
      [seat.assemblyId, seat.organizationId, seat.weight.toString(), seat.delegateId],
    );
    return toSeat(one(rows));
  }

  async deleteSeat(manager: EntityManager, assemblyId: string, organizationId: string): Promise<SeatRecord | null> {
    const rows: Row[] = await manager.query(
      `WITH removed AS (
         DELETE FROM assembly_seat WHERE assembly_id = $1 AND organization_id = $2
         RETURNING assembly_id, organization_id, weight, delegate_id
       ) SELECT * FROM removed`,
      [assemblyId, organizationId],
    );
    return rows[0] === undefined ? null : toSeat(rows[0]);
  }

  async findSeat(manager: EntityManager, assemblyId: string, organizationId: string): Promise<SeatRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT assembly_id, organization_id, weight, delegate_id FROM assembly_seat
       WHERE assembly_id = $1 AND organization_id = $2`,
      [assemblyId, organizationId],
    );
    return rows[0] === undefined ? null : toSeat(rows[0]);
  }

  async listSeats(manager: EntityManager, assemblyId: string): Promise<SeatRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT assembly_id, organization_id, weight, delegate_id FROM assembly_seat WHERE assembly_id = $1
       ORDER BY organization_id`,
      [assemblyId],
    );
    return rows.map(toSeat);
  }

  // Motions

  async insertMotion(manager: EntityManager, motion: Omit<MotionRecord, 'delegationApplies'>): Promise<MotionRecord> {
    const supermajority = motion.rule.kind === 'SUPERMAJORITY' ? motion.rule : null;
    const rows: Row[] = await manager.query(
      `INSERT INTO motion (id, assembly_id, title, body, ballot_kind, rule, supermajority_numerator,
         supermajority_denominator, quorum_numerator, quorum_denominator, options, budget, effect, secret,
         results_hidden, changeable, early_close, opens_at, closes_at, status, proposed_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
       RETURNING ${MOTION_COLUMNS}`,
      [
        motion.id,
        motion.assemblyId,
        motion.title,
        motion.body,
        motion.ballotKind,
        motion.rule.kind,
        supermajority?.numerator.toString() ?? null,
        supermajority?.denominator.toString() ?? null,
        motion.quorum?.numerator.toString() ?? null,
        motion.quorum?.denominator.toString() ?? null,
        JSON.stringify(motion.options),
        motion.budget === null ? null : JSON.stringify(budgetJson(motion.budget)),
        motion.effect === null ? null : JSON.stringify(motion.effect),
        motion.secret,
        motion.resultsHidden,
        motion.changeable,
        motion.earlyClose,
        motion.opensAt,
        motion.closesAt,
        motion.status,
        motion.proposedBy,
        motion.createdAt,
      ],
    );
    return toMotion(one(rows));
  }

  async findMotion(
    manager: EntityManager,
    id: string,
    lock: 'UPDATE' | 'SHARE' | null = null,
  ): Promise<MotionRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${MOTION_COLUMNS} FROM motion WHERE id = $1 ${lock === null ? '' : `FOR ${lock}`}`,
      [id],
    );
    return rows[0] === undefined ? null : toMotion(rows[0]);
  }

  /** An assembly's motions, newest first, after a (created_at, id) position. */
  async listMotions(
    manager: EntityManager,
    filter: { assemblyId: string; status: MotionStatus | null; after: Position | null; limit: number },
  ): Promise<MotionRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${MOTION_COLUMNS} FROM motion
       WHERE assembly_id = $1 AND ($2::text IS NULL OR status = $2)
         AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $5`,
      [filter.assemblyId, filter.status, filter.after?.at ?? null, filter.after?.id ?? null, filter.limit],
    );
    return rows.map(toMotion);
  }

  async setMotionStatus(manager: EntityManager, id: string, status: 'CLOSED' | 'WITHDRAWN'): Promise<void> {
    await manager.query(`UPDATE motion SET status = $2 WHERE id = $1`, [id, status]);
  }

  /** Opens a scheduled motion, fixing whether delegation applies to it (its voters are inserted with it). */
  async openMotion(manager: EntityManager, id: string, delegationApplies: boolean): Promise<void> {
    await manager.query(`UPDATE motion SET status = 'OPEN', delegation_applies = $2 WHERE id = $1`, [
      id,
      delegationApplies,
    ]);
  }

  async insertVoters(manager: EntityManager, voters: readonly MotionVoterRecord[]): Promise<void> {
    if (voters.length === 0) return;
    await manager.query(
      `INSERT INTO motion_voter (motion_id, voter_id, weight, person_id)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::uuid[])`,
      [
        voters.map((voter) => voter.motionId),
        voters.map((voter) => voter.voterId),
        voters.map((voter) => voter.weight.toString()),
        voters.map((voter) => voter.personId),
      ],
    );
  }

  async listVoters(manager: EntityManager, motionId: string): Promise<MotionVoterRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT motion_id, voter_id, weight, person_id FROM motion_voter WHERE motion_id = $1 ORDER BY voter_id`,
      [motionId],
    );
    return rows.map(toVoter);
  }

  /** The voters a person casts ballots for on a motion, locked: one ballot of a voter at a time. */
  async lockVotersOf(manager: EntityManager, motionId: string, personId: string): Promise<MotionVoterRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT motion_id, voter_id, weight, person_id FROM motion_voter WHERE motion_id = $1 AND person_id = $2
       ORDER BY voter_id FOR UPDATE`,
      [motionId, personId],
    );
    return rows.map(toVoter);
  }

  async votersOf(manager: EntityManager, motionId: string, personId: string): Promise<MotionVoterRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT motion_id, voter_id, weight, person_id FROM motion_voter WHERE motion_id = $1 AND person_id = $2
       ORDER BY voter_id`,
      [motionId, personId],
    );
    return rows.map(toVoter);
  }

  async countVoters(manager: EntityManager, motionId: string): Promise<number> {
    const rows: Row[] = await manager.query(`SELECT count(*) AS n FROM motion_voter WHERE motion_id = $1`, [motionId]);
    return Number(rows[0]?.['n'] ?? 0);
  }

  // Ballots

  async findBallot(manager: EntityManager, motionId: string, voterId: string): Promise<BallotRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT motion_id, voter_id, choice, reason, version, cast_at FROM ballot WHERE motion_id = $1 AND voter_id = $2`,
      [motionId, voterId],
    );
    return rows[0] === undefined ? null : toBallot(rows[0]);
  }

  /** Writes the voter's ballot as its next version, and keeps every version. */
  async saveBallot(manager: EntityManager, ballot: BallotRecord): Promise<void> {
    await manager.query(
      `INSERT INTO ballot (motion_id, voter_id, choice, reason, version, cast_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (motion_id, voter_id) DO UPDATE SET choice = $3, reason = $4, version = $5, cast_at = $6`,
      [ballot.motionId, ballot.voterId, JSON.stringify(ballot.choice), ballot.reason, ballot.version, ballot.castAt],
    );
    await manager.query(
      `INSERT INTO ballot_change (motion_id, voter_id, version, choice, reason, cast_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [ballot.motionId, ballot.voterId, ballot.version, JSON.stringify(ballot.choice), ballot.reason, ballot.castAt],
    );
  }

  async listBallots(manager: EntityManager, motionId: string): Promise<BallotRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT motion_id, voter_id, choice, reason, version, cast_at FROM ballot WHERE motion_id = $1 ORDER BY voter_id`,
      [motionId],
    );
    return rows.map(toBallot);
  }

  async hasParticipated(manager: EntityManager, motionId: string, voterId: string): Promise<boolean> {
    const rows: Row[] = await manager.query(
      `SELECT 1 FROM secret_participation WHERE motion_id = $1 AND voter_id = $2`,
      [motionId, voterId],
    );
    return rows.length > 0;
  }

  /** Records that the voter took part, and, in another row nothing joins to it, how. */
  async castSecretBallot(
    manager: EntityManager,
    ballot: { motionId: string; voterId: string; id: string; receiptHash: Buffer } & SecretBallotRecord,
  ): Promise<void> {
    await manager.query(`INSERT INTO secret_participation (motion_id, voter_id) VALUES ($1, $2)`, [
      ballot.motionId,
      ballot.voterId,
    ]);
    await manager.query(
      `INSERT INTO secret_ballot (id, motion_id, receipt_hash, weight, choice, reason) VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        ballot.id,
        ballot.motionId,
        ballot.receiptHash,
        ballot.weight.toString(),
        JSON.stringify(ballot.choice),
        ballot.reason,
      ],
    );
  }

  async changeSecretBallot(
    manager: EntityManager,
    motionId: string,
    receiptHash: Buffer,
    choice: BallotChoice,
    reason: string,
  ): Promise<boolean> {
    const rows: Row[] = await manager.query(
      `WITH changed AS (
         UPDATE secret_ballot SET choice = $3, reason = $4 WHERE motion_id = $1 AND receipt_hash = $2 RETURNING id
       ) SELECT id FROM changed`,
      [motionId, receiptHash, JSON.stringify(choice), reason],
    );
    return rows.length > 0;
  }

  /** A secret motion's ballots, in the order of their random ids: an order that says nothing. */
  async listSecretBallots(manager: EntityManager, motionId: string): Promise<SecretBallotRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT choice, reason, weight FROM secret_ballot WHERE motion_id = $1 ORDER BY id`,
      [motionId],
    );
    return rows.map((row) => ({
      choice: row['choice'] as BallotChoice,
      reason: String(row['reason']),
      weight: bigintFromColumn(row['weight']),
    }));
  }

  /** How many voters have cast a ballot (open or secret). */
  async countParticipants(manager: EntityManager, motionId: string): Promise<number> {
    const rows: Row[] = await manager.query(
      `SELECT (SELECT count(*) FROM ballot WHERE motion_id = $1) + (SELECT count(*) FROM secret_participation
              WHERE motion_id = $1) AS n`,
      [motionId],
    );
    return Number(rows[0]?.['n'] ?? 0);
  }

  /** Who took part in a secret motion (never how). */
  async listParticipants(manager: EntityManager, motionId: string): Promise<string[]> {
    const rows: Row[] = await manager.query(
      `SELECT voter_id FROM secret_participation WHERE motion_id = $1 ORDER BY voter_id`,
      [motionId],
    );
    return rows.map((row) => String(row['voter_id']));
  }

  /**
   * When a secret motion closes: its ballots are written again, together, in an order that says nothing,
   * with their receipts cleared. Until then a ballot's row carries the transaction that cast it (PostgreSQL's
   * system column xmin), as does its voter's participation row; afterwards every ballot of the motion
   * carries the closing transaction, and nothing joins a ballot to a voter or to the moment it was cast.
   */
  async sealSecretBallots(manager: EntityManager, motionId: string): Promise<void> {
    await manager.query(
      `WITH cast_ballots AS (
         DELETE FROM secret_ballot WHERE motion_id = $1 RETURNING motion_id, weight, choice, reason
       )
       INSERT INTO secret_ballot (id, motion_id, receipt_hash, weight, choice, reason)
       SELECT gen_random_uuid(), motion_id, NULL, weight, choice, reason FROM cast_ballots ORDER BY random()`,
      [motionId],
    );
  }

  // Delegation

  async insertDelegation(
    manager: EntityManager,
    delegation: Omit<DelegationRecord, 'revokedAt'>,
  ): Promise<DelegationRecord> {
    const rows: Row[] = await manager.query(
      `INSERT INTO delegation (id, assembly_id, from_voter, to_voter, motion_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id, assembly_id, from_voter, to_voter, motion_id, created_at, revoked_at`,
      [
        delegation.id,
        delegation.assemblyId,
        delegation.fromVoter,
        delegation.toVoter,
        delegation.motionId,
        delegation.createdAt,
      ],
    );
    return toDelegation(one(rows));
  }

  /** Ends the voter's delegation in force for the motion (or for all motions): none, or the one ended. */
  async revokeDelegation(
    manager: EntityManager,
    assemblyId: string,
    fromVoter: string,
    motionId: string | null,
    at: Date,
  ): Promise<DelegationRecord | null> {
    const rows: Row[] = await manager.query(
      `WITH revoked AS (
         UPDATE delegation SET revoked_at = $4
         WHERE assembly_id = $1 AND from_voter = $2 AND motion_id IS NOT DISTINCT FROM $3 AND revoked_at IS NULL
         RETURNING id, assembly_id, from_voter, to_voter, motion_id, created_at, revoked_at
       ) SELECT * FROM revoked`,
      [assemblyId, fromVoter, motionId, at],
    );
    return rows[0] === undefined ? null : toDelegation(rows[0]);
  }

  /** Takes the assembly's delegation lock (the trigger takes it too): checks and writes happen under it. */
  async lockDelegations(manager: EntityManager, assemblyId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1::text, 7263540102))`, [assemblyId]);
  }

  /** The delegations in force now in an assembly, for all motions or for the one given. */
  async delegationsInForce(
    manager: EntityManager,
    assemblyId: string,
    motionId: string | null,
  ): Promise<DelegationRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT id, assembly_id, from_voter, to_voter, motion_id, created_at, revoked_at FROM delegation
       WHERE assembly_id = $1 AND revoked_at IS NULL AND (motion_id IS NULL OR motion_id = $2)
       ORDER BY from_voter, motion_id NULLS FIRST`,
      [assemblyId, motionId],
    );
    return rows.map(toDelegation);
  }

  /** Every delegation in force now in an assembly (for any motion or for all): what a new one must not close a cycle with. */
  async allDelegationsInForce(manager: EntityManager, assemblyId: string): Promise<DelegationRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT id, assembly_id, from_voter, to_voter, motion_id, created_at, revoked_at FROM delegation
       WHERE assembly_id = $1 AND revoked_at IS NULL ORDER BY from_voter, motion_id NULLS FIRST`,
      [assemblyId],
    );
    return rows.map(toDelegation);
  }

  /** Keeps the delegations a motion is tallied with, when it closes. */
  async insertMotionDelegations(
    manager: EntityManager,
    motionId: string,
    delegations: readonly Delegation[],
  ): Promise<void> {
    if (delegations.length === 0) return;
    await manager.query(
      `INSERT INTO motion_delegation (motion_id, from_voter, to_voter, for_this_motion)
       SELECT $1, * FROM unnest($2::uuid[], $3::uuid[], $4::boolean[])`,
      [
        motionId,
        delegations.map((delegation) => delegation.from),
        delegations.map((delegation) => delegation.to),
        delegations.map((delegation) => delegation.motionId !== null),
      ],
    );
  }

  async listMotionDelegations(manager: EntityManager, motionId: string): Promise<Delegation[]> {
    const rows: Row[] = await manager.query(
      `SELECT from_voter, to_voter, for_this_motion FROM motion_delegation WHERE motion_id = $1
       ORDER BY from_voter, for_this_motion`,
      [motionId],
    );
    return rows.map((row) => ({
      from: String(row['from_voter']),
      to: String(row['to_voter']),
      motionId: row['for_this_motion'] === true ? motionId : null,
    }));
  }

  // Outcomes

  async insertOutcome(manager: EntityManager, outcome: OutcomeRecord): Promise<void> {
    await manager.query(
      `INSERT INTO motion_outcome (motion_id, closed_at, passed, tally, effect_status, effect_detail)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        outcome.motionId,
        outcome.closedAt,
        outcome.passed,
        JSON.stringify(outcome.tally),
        outcome.effectStatus,
        JSON.stringify(outcome.effectDetail),
      ],
    );
  }

  async findOutcome(manager: EntityManager, motionId: string): Promise<OutcomeRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT motion_id, closed_at, passed, tally, effect_status, effect_detail FROM motion_outcome WHERE motion_id = $1`,
      [motionId],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return {
      motionId: String(row['motion_id']),
      closedAt: row['closed_at'] as Date,
      passed: row['passed'] === true,
      tally: row['tally'] as Record<string, unknown>,
      effectStatus: row['effect_status'] as EffectStatus,
      effectDetail: row['effect_detail'] as Record<string, unknown>,
    };
  }

  // Approval requests

  async insertRequest(manager: EntityManager, request: ApprovalRequestRecord): Promise<ApprovalRequestRecord> {
    const rows: Row[] = await manager.query(
      `INSERT INTO approval_request (id, organization_id, title, action, approver_role, committee, required, author_id,
         payee_ids, version, expires_at, status, result, decided_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING ${REQUEST_COLUMNS}`,
      [
        request.id,
        request.organizationId,
        request.title,
        JSON.stringify(request.action),
        request.approverRole,
        request.committee,
        request.required,
        request.authorId,
        request.payeeIds,
        request.version,
        request.expiresAt,
        request.status,
        request.result === null ? null : JSON.stringify(request.result),
        request.decidedAt,
        request.createdAt,
      ],
    );
    return toRequest(one(rows));
  }

  async findRequest(manager: EntityManager, id: string, lock = false): Promise<ApprovalRequestRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${REQUEST_COLUMNS} FROM approval_request WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] === undefined ? null : toRequest(rows[0]);
  }

  /** An organisation's approval requests, newest first, after a (created_at, id) position. */
  async listRequests(
    manager: EntityManager,
    filter: {
      organizationId: string;
      status: ApprovalStatus | null;
      after: Position | null;
      limit: number;
    },
  ): Promise<ApprovalRequestRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${REQUEST_COLUMNS} FROM approval_request
       WHERE organization_id = $1 AND ($2::text IS NULL OR status = $2)
         AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $5`,
      [filter.organizationId, filter.status, filter.after?.at ?? null, filter.after?.id ?? null, filter.limit],
    );
    return rows.map(toRequest);
  }

  async changeRequestAction(
    manager: EntityManager,
    id: string,
    change: { title: string; action: ApprovalAction; payeeIds: readonly string[]; version: number },
  ): Promise<ApprovalRequestRecord> {
    const rows: Row[] = await manager.query(
      `WITH changed AS (
         UPDATE approval_request SET title = $2, action = $3, payee_ids = $4, version = $5 WHERE id = $1
         RETURNING ${REQUEST_COLUMNS}
       ) SELECT * FROM changed`,
      [id, change.title, JSON.stringify(change.action), change.payeeIds, change.version],
    );
    return toRequest(one(rows));
  }

  async closeRequest(
    manager: EntityManager,
    id: string,
    status: Exclude<ApprovalStatus, 'OPEN'>,
    result: Record<string, unknown> | null,
    at: Date,
  ): Promise<ApprovalRequestRecord> {
    const rows: Row[] = await manager.query(
      `WITH closed AS (
         UPDATE approval_request SET status = $2, result = $3, decided_at = $4 WHERE id = $1
         RETURNING ${REQUEST_COLUMNS}
       ) SELECT * FROM closed`,
      [id, status, result === null ? null : JSON.stringify(result), at],
    );
    return toRequest(one(rows));
  }

  async insertDecision(manager: EntityManager, decision: ApprovalDecisionRecord): Promise<void> {
    await manager.query(
      `INSERT INTO approval_decision (request_id, approver_id, version, decision, reason, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        decision.requestId,
        decision.approverId,
        decision.version,
        decision.decision,
        decision.reason,
        decision.decidedAt,
      ],
    );
  }

  async listDecisions(manager: EntityManager, requestId: string): Promise<ApprovalDecisionRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT request_id, approver_id, version, decision, reason, decided_at FROM approval_decision
       WHERE request_id = $1 ORDER BY decided_at, approver_id`,
      [requestId],
    );
    return rows.map((row) => ({
      requestId: String(row['request_id']),
      approverId: String(row['approver_id']),
      version: Number(row['version']),
      decision: row['decision'] as ApprovalDecisionRecord['decision'],
      reason: String(row['reason']),
      decidedAt: row['decided_at'] as Date,
    }));
  }
}

function one(rows: readonly Row[]): Row {
  const row = rows[0];
  if (row === undefined) throw new Error('expected one row');
  return row;
}

function toAssembly(row: Row): AssemblyRecord {
  return {
    id: String(row['id']),
    organizationId: String(row['organization_id']),
    name: String(row['name']),
    kind: row['kind'] as AssemblyKind,
    delegationAllowed: row['delegation_allowed'] === true,
    outcomesPublic: row['outcomes_public'] === true,
    createdAt: row['created_at'] as Date,
  };
}

function toSeat(row: Row): SeatRecord {
  return {
    assemblyId: String(row['assembly_id']),
    organizationId: String(row['organization_id']),
    weight: bigintFromColumn(row['weight']),
    delegateId: (row['delegate_id'] as string | null) ?? null,
  };
}

function ruleOf(row: Row): DecisionRule {
  const kind = row['rule'] as DecisionRule['kind'];
  if (kind === 'SUPERMAJORITY') {
    return {
      kind,
      numerator: bigintFromColumn(row['supermajority_numerator']),
      denominator: bigintFromColumn(row['supermajority_denominator']),
    };
  }
  return { kind };
}

interface BudgetJson {
  unitCode: string;
  fundAccountId: string;
  amount: string;
  method: BudgetTerms['method'];
  proposals: { id: string; title: string; cost: string; payeeAccountId: string }[];
}

function budgetJson(budget: BudgetTerms): BudgetJson {
  return {
    ...budget,
    amount: budget.amount.toString(),
    proposals: budget.proposals.map((proposal) => ({ ...proposal, cost: proposal.cost.toString() })),
  };
}

function toMotion(row: Row): MotionRecord {
  const budget = row['budget'] as BudgetJson | null;
  return {
    id: String(row['id']),
    assemblyId: String(row['assembly_id']),
    title: String(row['title']),
    body: String(row['body']),
    ballotKind: row['ballot_kind'] as MotionRecord['ballotKind'],
    rule: ruleOf(row),
    quorum:
      row['quorum_numerator'] === null
        ? null
        : {
            numerator: bigintFromColumn(row['quorum_numerator']),
            denominator: bigintFromColumn(row['quorum_denominator']),
          },
    options: row['options'] as string[],
    budget:
      budget === null
        ? null
        : {
            ...budget,
            amount: BigInt(budget.amount),
            proposals: budget.proposals.map((proposal) => ({ ...proposal, cost: BigInt(proposal.cost) })),
          },
    effect: (row['effect'] as MotionEffect | null) ?? null,
    secret: row['secret'] === true,
    resultsHidden: row['results_hidden'] === true,
    changeable: row['changeable'] === true,
    earlyClose: row['early_close'] === true,
    delegationApplies: (row['delegation_applies'] as boolean | null) ?? null,
    opensAt: row['opens_at'] as Date,
    closesAt: row['closes_at'] as Date,
    status: row['status'] as MotionStatus,
    proposedBy: String(row['proposed_by']),
    createdAt: row['created_at'] as Date,
  };
}

function toVoter(row: Row): MotionVoterRecord {
  return {
    motionId: String(row['motion_id']),
    voterId: String(row['voter_id']),
    weight: bigintFromColumn(row['weight']),
    personId: String(row['person_id']),
  };
}

function toBallot(row: Row): BallotRecord {
  return {
    motionId: String(row['motion_id']),
    voterId: String(row['voter_id']),
    choice: row['choice'] as BallotChoice,
    reason: String(row['reason']),
    version: Number(row['version']),
    castAt: row['cast_at'] as Date,
  };
}

function toDelegation(row: Row): DelegationRecord {
  return {
    id: String(row['id']),
    assemblyId: String(row['assembly_id']),
    fromVoter: String(row['from_voter']),
    toVoter: String(row['to_voter']),
    motionId: (row['motion_id'] as string | null) ?? null,
    createdAt: row['created_at'] as Date,
    revokedAt: (row['revoked_at'] as Date | null) ?? null,
  };
}

function toRequest(row: Row): ApprovalRequestRecord {
  return {
    id: String(row['id']),
    organizationId: String(row['organization_id']),
    title: String(row['title']),
    action: row['action'] as ApprovalAction,
    approverRole: (row['approver_role'] as string | null) ?? null,
    committee: (row['committee'] as string[] | null) ?? null,
    required: Number(row['required']),
    authorId: String(row['author_id']),
    payeeIds: (row['payee_ids'] as string[]).map(String),
    version: Number(row['version']),
    expiresAt: row['expires_at'] as Date,
    status: row['status'] as ApprovalStatus,
    result: (row['result'] as Record<string, unknown> | null) ?? null,
    createdAt: row['created_at'] as Date,
    decidedAt: (row['decided_at'] as Date | null) ?? null,
  };
}
