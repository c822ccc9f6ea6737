import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { bigintFromColumn } from '../kernel/money/minor-units.js';
import type {
  BatchLineRecord,
  BatchRecord,
  BatchStatus,
  ContributionRecord,
  DepositRecord,
  DrawRecord,
  DrawStatus,
  FundRecord,
  PledgeRecord,
  PledgeStatus,
  ReleaseRecord,
  RuleVersionRecord,
  ShiftRecord,
  StrikeRecord,
  StrikerRecord,
  TenantHolding,
} from './strike-funds.records.js';
import type { ReleaseShare } from './rules/escrow.js';

type Row = Record<string, unknown>;

const FUND_COLUMNS = `id, organization_id, name, purpose, unit_code, account_id, outside_account_id, committee, required,
  blind_review, review_days, draw_cap_per_year, members_see_detail, created_by, created_at`;
const CONTRIBUTION_COLUMNS = `id, fund_id, source, from_account_id, contributor_id, contributor_name, visibility, amount, memo,
  pledge_id, pledge_period, transaction_id, recorded_by, received_at`;
const PLEDGE_COLUMNS = `id, fund_id, contributor_id, contributor_name, visibility, from_account_id, amount, period, status,
  failure, created_by, created_at`;
const STRIKE_COLUMNS = `id, fund_id, name, to_char(starts_on, 'YYYY-MM-DD') AS starts_on,
  to_char(ends_on, 'YYYY-MM-DD') AS ends_on, draw_cap_per_striker, created_by, created_at`;
const RULE_COLUMNS = `strike_id, version, to_char(effective_from, 'YYYY-MM-DD') AS effective_from, weekly_rate, full_minutes,
  minimum_minutes, dependant_supplement, cap_per_striker, shortfall, created_by, created_at`;
const SHIFT_COLUMNS = `id, strike_id, person_id, to_char(day, 'YYYY-MM-DD') AS day, minutes, corrects_id, note, recorded_by,
  recorded_at`;
const BATCH_COLUMNS = `id, strike_id, to_char(week_start, 'YYYY-MM-DD') AS week_start, rule_version, status, requested_total,
  total, available, shortfall, explanation, approval_request_id, computed_by, computed_at, decided_at`;
const LINE_COLUMNS = `batch_id, person_id, account_id, minutes, dependants, base, supplement, due, amount, explanation`;
const DRAW_COLUMNS = `id, fund_id, strike_id, applicant_id, account_id, amount, category, dependants, eviction_notice,
  shut_off_notice, statement, priority, status, approval_request_id, paid_amount, paid_account_id, created_at, decided_at`;
const DEPOSIT_COLUMNS = `id, fund_id, tenant_id, tenant_account_id, to_char(month, 'YYYY-MM-DD') AS month, amount, source,
  transaction_id, recorded_by, recorded_at`;
const RELEASE_COLUMNS = `id, fund_id, motion_id, mode, landlord_account_id, withheld_per_tenant, total, released_at`;

/** Weekly money in and out of a fund, as the public report reads it. */
export interface WeekFlow {
  readonly weekStart: string;
  readonly moneyIn: bigint;
  readonly moneyOut: bigint;
}

/** All of the strike funds' SQL. Every method runs on the caller's manager (its database transaction). */
@Injectable()
export class StrikeFundsRepository {
  // Funds

  async insertFund(manager: EntityManager, fund: Omit<FundRecord, 'createdAt'>): Promise<boolean> {
    const rows: Row[] = await manager.query(
      `INSERT INTO strike_fund (id, organization_id, name, purpose, unit_code, account_id, outside_account_id, committee,
         required, blind_review, review_days, draw_cap_per_year, members_see_detail, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        fund.id,
        fund.organizationId,
        fund.name,
        fund.purpose,
        fund.unitCode,
        fund.accountId,
        fund.outsideAccountId,
        fund.committee,
        fund.required,
        fund.blindReview,
        fund.reviewDays,
        fund.drawCapPerYear.toString(),
        fund.membersSeeDetail,
        fund.createdBy,
      ],
    );
    return rows.length === 1;
  }

  async findFund(manager: EntityManager, id: string, lock = false): Promise<FundRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${FUND_COLUMNS} FROM strike_fund WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] === undefined ? null : toFund(rows[0]);
  }

  async listFunds(manager: EntityManager, organizationId: string): Promise<FundRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${FUND_COLUMNS} FROM strike_fund WHERE organization_id = $1 ORDER BY created_at, id LIMIT 200`,
      [organizationId],
    );
    return rows.map(toFund);
  }

  // Contributions

  async insertContribution(manager: EntityManager, row: ContributionRecord): Promise<boolean> {
    const rows: Row[] = await manager.query(
      `INSERT INTO fund_contribution (${CONTRIBUTION_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        row.id,
        row.fundId,
        row.source,
        row.fromAccountId,
        row.contributorId,
        row.contributorName,
        row.visibility,
        row.amount.toString(),
        row.memo,
        row.pledgeId,
        row.pledgePeriod,
        row.transactionId,
        row.recordedBy,
        row.receivedAt,
      ],
    );
    return rows.length === 1;
  }

  async findContribution(manager: EntityManager, id: string): Promise<ContributionRecord | null> {
    const rows: Row[] = await manager.query(`SELECT ${CONTRIBUTION_COLUMNS} FROM fund_contribution WHERE id = $1`, [
      id,
    ]);
    return rows[0] === undefined ? null : toContribution(rows[0]);
  }

  async listContributions(manager: EntityManager, fundId: string, limit: number): Promise<ContributionRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${CONTRIBUTION_COLUMNS} FROM fund_contribution WHERE fund_id = $1 ORDER BY received_at DESC, id LIMIT $2`,
      [fundId, limit],
    );
    return rows.map(toContribution);
  }

  // Pledges

  async insertPledge(manager: EntityManager, pledge: PledgeRecord): Promise<void> {
    await manager.query(
      `INSERT INTO fund_pledge (${PLEDGE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        pledge.id,
        pledge.fundId,
        pledge.contributorId,
        pledge.contributorName,
        pledge.visibility,
        pledge.fromAccountId,
        pledge.amount.toString(),
        pledge.period,
        pledge.status,
        pledge.failure,
        pledge.createdBy,
        pledge.createdAt,
      ],
    );
  }

  async findPledge(manager: EntityManager, id: string, lock = false): Promise<PledgeRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${PLEDGE_COLUMNS} FROM fund_pledge WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] === undefined ? null : toPledge(rows[0]);
  }

  async setPledgeStatus(
    manager: EntityManager,
    id: string,
    status: PledgeStatus,
    failure: string | null,
  ): Promise<PledgeRecord> {
    const rows: Row[] = await manager.query(
      `WITH changed AS (UPDATE fund_pledge SET status = $2, failure = $3 WHERE id = $1 RETURNING *)
       SELECT ${PLEDGE_COLUMNS} FROM changed`,
      [id, status, failure],
    );
    return toPledge(one(rows));
  }

  async pledgePeriodReceived(manager: EntityManager, pledgeId: string, period: number): Promise<boolean> {
    const rows: Row[] = await manager.query(
      `SELECT 1 FROM fund_contribution WHERE pledge_id = $1 AND pledge_period = $2`,
      [pledgeId, period],
    );
    return rows.length > 0;
  }

  /** Pledges with what each has brought in, newest first; one contributor's when `createdBy` is given. */
  async listPledges(
    manager: EntityManager,
    fundId: string,
    createdBy: string | null,
  ): Promise<{ pledge: PledgeRecord; received: bigint }[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${PLEDGE_COLUMNS.split(/,\s*/)
        .map((column) => `pledge.${column}`)
        .join(', ')},
         (SELECT coalesce(sum(amount), 0) FROM fund_contribution WHERE pledge_id = pledge.id) AS received
       FROM fund_pledge pledge WHERE pledge.fund_id = $1 AND ($2::uuid IS NULL OR pledge.created_by = $2)
       ORDER BY pledge.created_at DESC, pledge.id LIMIT 500`,
      [fundId, createdBy],
    );
    return rows.map((row) => ({ pledge: toPledge(row), received: bigintFromColumn(row['received']) }));
  }

  // Strikes and rules

  async insertStrike(manager: EntityManager, strike: Omit<StrikeRecord, 'createdAt'>): Promise<boolean> {
    const rows: Row[] = await manager.query(
      `INSERT INTO strike (id, fund_id, name, starts_on, ends_on, draw_cap_per_striker, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        strike.id,
        strike.fundId,
        strike.name,
        strike.startsOn,
        strike.endsOn,
        strike.drawCapPerStriker.toString(),
        strike.createdBy,
      ],
    );
    return rows.length === 1;
  }

  async findStrike(manager: EntityManager, id: string, lock = false): Promise<StrikeRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${STRIKE_COLUMNS} FROM strike WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] === undefined ? null : toStrike(rows[0]);
  }

  async listStrikes(manager: EntityManager, fundId: string): Promise<StrikeRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${STRIKE_COLUMNS} FROM strike WHERE fund_id = $1 ORDER BY starts_on DESC, id LIMIT 200`,
      [fundId],
    );
    return rows.map(toStrike);
  }

  async insertRule(manager: EntityManager, rule: RuleVersionRecord): Promise<void> {
    await manager.query(
      `INSERT INTO stipend_rule (strike_id, version, effective_from, weekly_rate, full_minutes, minimum_minutes,
         dependant_supplement, cap_per_striker, shortfall, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        rule.strikeId,
        rule.version,
        rule.effectiveFrom,
        rule.weeklyRate.toString(),
        rule.fullMinutes,
        rule.minimumMinutes,
        rule.dependantSupplement.toString(),
        rule.capPerStriker?.toString() ?? null,
        rule.shortfall,
        rule.createdBy,
        rule.createdAt,
      ],
    );
  }

  async listRules(manager: EntityManager, strikeId: string): Promise<RuleVersionRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${RULE_COLUMNS} FROM stipend_rule WHERE strike_id = $1 ORDER BY version`,
      [strikeId],
    );
    return rows.map(toRule);
  }

  /** The rules in force in the week starting on `weekStart`: the latest version effective by then. */
  async ruleFor(manager: EntityManager, strikeId: string, weekStart: string): Promise<RuleVersionRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${RULE_COLUMNS} FROM stipend_rule WHERE strike_id = $1 AND effective_from <= $2
       ORDER BY effective_from DESC, version DESC LIMIT 1`,
      [strikeId, weekStart],
    );
    return rows[0] === undefined ? null : toRule(rows[0]);
  }

  // Strikers and picket shifts

  async upsertStriker(manager: EntityManager, striker: StrikerRecord): Promise<StrikerRecord> {
    const rows: Row[] = await manager.query(
      `INSERT INTO striker (strike_id, person_id, account_id, dependants, enrolled_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (strike_id, person_id) DO UPDATE SET account_id = EXCLUDED.account_id, dependants = EXCLUDED.dependants
       RETURNING strike_id, person_id, account_id, dependants, enrolled_at`,
      [striker.strikeId, striker.personId, striker.accountId, striker.dependants, striker.enrolledAt],
    );
    return toStriker(one(rows));
  }

  async findStriker(manager: EntityManager, strikeId: string, personId: string): Promise<StrikerRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT strike_id, person_id, account_id, dependants, enrolled_at FROM striker WHERE strike_id = $1 AND person_id = $2`,
      [strikeId, personId],
    );
    return rows[0] === undefined ? null : toStriker(rows[0]);
  }

  async listStrikers(manager: EntityManager, strikeId: string): Promise<StrikerRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT strike_id, person_id, account_id, dependants, enrolled_at FROM striker WHERE strike_id = $1 ORDER BY person_id`,
      [strikeId],
    );
    return rows.map(toStriker);
  }

  async insertShift(manager: EntityManager, shift: ShiftRecord): Promise<boolean> {
    const rows: Row[] = await manager.query(
      `INSERT INTO picket_shift (id, strike_id, person_id, day, minutes, corrects_id, note, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        shift.id,
        shift.strikeId,
        shift.personId,
        shift.day,
        shift.minutes,
        shift.correctsId,
        shift.note,
        shift.recordedBy,
        shift.recordedAt,
      ],
    );
    return rows.length === 1;
  }

  async findShift(manager: EntityManager, id: string): Promise<ShiftRecord | null> {
    const rows: Row[] = await manager.query(`SELECT ${SHIFT_COLUMNS} FROM picket_shift WHERE id = $1`, [id]);
    return rows[0] === undefined ? null : toShift(rows[0]);
  }

  async listShifts(manager: EntityManager, strikeId: string, personId: string | null): Promise<ShiftRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${SHIFT_COLUMNS} FROM picket_shift WHERE strike_id = $1 AND ($2::uuid IS NULL OR person_id = $2)
       ORDER BY day DESC, recorded_at DESC, id LIMIT 1000`,
      [strikeId, personId],
    );
    return rows.map(toShift);
  }

  /** Minutes per striker on the days of one week (corrections included). */
  async weekMinutes(manager: EntityManager, strikeId: string, weekStart: string): Promise<Map<string, number>> {
    const rows: Row[] = await manager.query(
      `SELECT person_id, sum(minutes)::integer AS minutes FROM picket_shift
       WHERE strike_id = $1 AND day >= $2::date AND day < $2::date + 7 GROUP BY person_id`,
      [strikeId, weekStart],
    );
    return new Map(rows.map((row) => [String(row['person_id']), Number(row['minutes'])]));
  }

  // Stipend batches

  async supersedePreviews(manager: EntityManager, strikeId: string, weekStart: string): Promise<void> {
    await manager.query(
      `UPDATE stipend_batch SET status = 'SUPERSEDED'
       WHERE strike_id = $1 AND week_start = $2 AND status IN ('PREVIEW', 'UNFUNDED')`,
      [strikeId, weekStart],
    );
  }

  async insertBatch(
    manager: EntityManager,
    batch: BatchRecord,
    lines: readonly Omit<BatchLineRecord, 'batchId'>[],
  ): Promise<void> {
    await manager.query(
      `INSERT INTO stipend_batch (id, strike_id, week_start, rule_version, status, requested_total, total, available,
         shortfall, explanation, approval_request_id, computed_by, computed_at, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        batch.id,
        batch.strikeId,
        batch.weekStart,
        batch.ruleVersion,
        batch.status,
        batch.requestedTotal.toString(),
        batch.total.toString(),
        batch.available.toString(),
        batch.shortfall,
        batch.explanation,
        batch.approvalRequestId,
        batch.computedBy,
        batch.computedAt,
        batch.decidedAt,
      ],
    );
    const chunk = 2000;
    for (let start = 0; start < lines.length; start += chunk) {
      const part = lines.slice(start, start + chunk);
      await manager.query(
        `INSERT INTO stipend_line (${LINE_COLUMNS})
         SELECT $1, * FROM unnest($2::uuid[], $3::uuid[], $4::integer[], $5::integer[], $6::bigint[], $7::bigint[],
           $8::bigint[], $9::bigint[], $10::text[])`,
        [
          batch.id,
          part.map((line) => line.personId),
          part.map((line) => line.accountId),
          part.map((line) => line.minutes),
          part.map((line) => line.dependants),
          part.map((line) => line.base.toString()),
          part.map((line) => line.supplement.toString()),
          part.map((line) => line.due.toString()),
          part.map((line) => line.amount.toString()),
          part.map((line) => line.explanation),
        ],
      );
    }
  }

  async findBatch(manager: EntityManager, id: string, lock = false): Promise<BatchRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${BATCH_COLUMNS} FROM stipend_batch WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] === undefined ? null : toBatch(rows[0]);
  }

  async listBatches(manager: EntityManager, strikeId: string): Promise<BatchRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${BATCH_COLUMNS} FROM stipend_batch WHERE strike_id = $1 ORDER BY week_start DESC, computed_at DESC LIMIT 200`,
      [strikeId],
    );
    return rows.map(toBatch);
  }

  async listLines(manager: EntityManager, batchId: string, personId: string | null = null): Promise<BatchLineRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${LINE_COLUMNS} FROM stipend_line WHERE batch_id = $1 AND ($2::uuid IS NULL OR person_id = $2)
       ORDER BY person_id`,
      [batchId, personId],
    );
    return rows.map(toLine);
  }

  async setBatchStatus(
    manager: EntityManager,
    id: string,
    status: BatchStatus,
    fields: { approvalRequestId?: string; decidedAt?: Date },
  ): Promise<BatchRecord> {
    const rows: Row[] = await manager.query(
      `WITH changed AS (
         UPDATE stipend_batch SET status = $2, approval_request_id = coalesce($3, approval_request_id),
           decided_at = coalesce($4, decided_at)
         WHERE id = $1 RETURNING *
       ) SELECT ${BATCH_COLUMNS} FROM changed`,
      [id, status, fields.approvalRequestId ?? null, fields.decidedAt ?? null],
    );
    return toBatch(one(rows));
  }

  /** What each striker has been paid by the strike's paid batches so far (for the cap). */
  async paidSoFar(manager: EntityManager, strikeId: string): Promise<Map<string, bigint>> {
    const rows: Row[] = await manager.query(
      `SELECT line.person_id, sum(line.amount) AS paid FROM stipend_line line
       JOIN stipend_batch batch ON batch.id = line.batch_id
       WHERE batch.strike_id = $1 AND batch.status = 'PAID' GROUP BY line.person_id`,
      [strikeId],
    );
    return new Map(rows.map((row) => [String(row['person_id']), bigintFromColumn(row['paid'])]));
  }

  /** A striker's own paid and pending stipend lines, newest week first. */
  async stipendsOf(
    manager: EntityManager,
    strikeId: string,
    personId: string,
  ): Promise<(BatchLineRecord & { weekStart: string; status: BatchStatus })[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${LINE_COLUMNS.split(', ')
        .map((column) => `line.${column}`)
        .join(', ')}, to_char(batch.week_start, 'YYYY-MM-DD') AS week_start, batch.status
       FROM stipend_line line JOIN stipend_batch batch ON batch.id = line.batch_id
       WHERE batch.strike_id = $1 AND line.person_id = $2 AND batch.status IN ('SUBMITTED', 'PAID')
       ORDER BY batch.week_start DESC`,
      [strikeId, personId],
    );
    return rows.map((row) => ({
      ...toLine(row),
      weekStart: String(row['week_start']),
      status: row['status'] as BatchStatus,
    }));
  }

  // Hardship draws

  async insertDraw(manager: EntityManager, draw: DrawRecord): Promise<boolean> {
    const rows: Row[] = await manager.query(
      `INSERT INTO hardship_draw (${DRAW_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        draw.id,
        draw.fundId,
        draw.strikeId,
        draw.applicantId,
        draw.accountId,
        draw.amount.toString(),
        draw.category,
        draw.dependants,
        draw.evictionNotice,
        draw.shutOffNotice,
        draw.statement,
        draw.priority,
        draw.status,
        draw.approvalRequestId,
        draw.paidAmount?.toString() ?? null,
        draw.paidAccountId,
        draw.createdAt,
        draw.decidedAt,
      ],
    );
    return rows.length === 1;
  }

  async findDraw(manager: EntityManager, id: string, lock = false): Promise<DrawRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${DRAW_COLUMNS} FROM hardship_draw WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] === undefined ? null : toDraw(rows[0]);
  }

  async closeDraw(
    manager: EntityManager,
    id: string,
    status: DrawStatus,
    paid: { amount: bigint; accountId: string } | null,
    at: Date,
  ): Promise<DrawRecord> {
    const rows: Row[] = await manager.query(
      `WITH closed AS (
         UPDATE hardship_draw SET status = $2, paid_amount = $3, paid_account_id = $4, decided_at = $5
         WHERE id = $1 AND status = 'IN_REVIEW' RETURNING *
       ) SELECT ${DRAW_COLUMNS} FROM closed`,
      [id, status, paid?.amount.toString() ?? null, paid?.accountId ?? null, at],
    );
    return toDraw(one(rows));
  }

  /** What a person has drawn (paid) or asks for (in review) from a fund, in a strike and in a year. */
  async drawnBy(
    manager: EntityManager,
    query: { fundId: string; applicantId: string; strikeId: string | null; yearFirst: string; yearLast: string },
  ): Promise<{ inStrike: bigint; inYear: bigint }> {
    const rows: Row[] = await manager.query(
      `SELECT
         coalesce(sum(coalesce(paid_amount, amount)) FILTER (WHERE strike_id = $3), 0) AS in_strike,
         coalesce(sum(coalesce(paid_amount, amount))
           FILTER (WHERE created_at >= $4::date AND created_at < $5::date + 1), 0) AS in_year
       FROM hardship_draw WHERE fund_id = $1 AND applicant_id = $2 AND status IN ('IN_REVIEW', 'PAID')`,
      [query.fundId, query.applicantId, query.strikeId, query.yearFirst, query.yearLast],
    );
    const row = one(rows);
    return { inStrike: bigintFromColumn(row['in_strike']), inYear: bigintFromColumn(row['in_year']) };
  }

  async listDraws(
    manager: EntityManager,
    filter: { fundId: string; applicantId: string | null; status: DrawStatus | null },
  ): Promise<DrawRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${DRAW_COLUMNS} FROM hardship_draw
       WHERE fund_id = $1 AND ($2::uuid IS NULL OR applicant_id = $2) AND ($3::text IS NULL OR status = $3)
       ORDER BY priority DESC, created_at, id LIMIT 500`,
      [filter.fundId, filter.applicantId, filter.status],
    );
    return rows.map(toDraw);
  }

  // Escrow

  async insertDeposit(
    manager: EntityManager,
    deposit: DepositRecord,
  ): Promise<'INSERTED' | 'ID_EXISTS' | 'MONTH_TAKEN'> {
    const rows: Row[] = await manager.query(
      `INSERT INTO escrow_deposit (id, fund_id, tenant_id, tenant_account_id, month, amount, source, transaction_id,
         recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING id`,
      [
        deposit.id,
        deposit.fundId,
        deposit.tenantId,
        deposit.tenantAccountId,
        deposit.month,
        deposit.amount.toString(),
        deposit.source,
        deposit.transactionId,
        deposit.recordedBy,
        deposit.recordedAt,
      ],
    );
    if (rows.length === 1) return 'INSERTED';
    return (await this.findDeposit(manager, deposit.id)) === null ? 'MONTH_TAKEN' : 'ID_EXISTS';
  }

  async findDeposit(manager: EntityManager, id: string): Promise<DepositRecord | null> {
    const rows: Row[] = await manager.query(`SELECT ${DEPOSIT_COLUMNS} FROM escrow_deposit WHERE id = $1`, [id]);
    return rows[0] === undefined ? null : toDeposit(rows[0]);
  }

  async findDepositFor(
    manager: EntityManager,
    fundId: string,
    tenantId: string,
    month: string,
  ): Promise<DepositRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${DEPOSIT_COLUMNS} FROM escrow_deposit WHERE fund_id = $1 AND tenant_id = $2 AND month = $3`,
      [fundId, tenantId, month],
    );
    return rows[0] === undefined ? null : toDeposit(rows[0]);
  }

  async listDeposits(manager: EntityManager, fundId: string, tenantId: string | null): Promise<DepositRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${DEPOSIT_COLUMNS} FROM escrow_deposit WHERE fund_id = $1 AND ($2::uuid IS NULL OR tenant_id = $2)
       ORDER BY month DESC, tenant_id LIMIT 1000`,
      [fundId, tenantId],
    );
    return rows.map(toDeposit);
  }

  /** Per tenant: what they deposited, what releases paid out for them, and their latest account. */
  async holdings(manager: EntityManager, fundId: string): Promise<TenantHolding[]> {
    const rows: Row[] = await manager.query(
      `SELECT deposit.tenant_id, deposit.deposited, deposit.account_id, coalesce(released.held, 0) AS released
       FROM (SELECT tenant_id, sum(amount) AS deposited,
               (array_agg(tenant_account_id ORDER BY month DESC))[1] AS account_id
             FROM escrow_deposit WHERE fund_id = $1 GROUP BY tenant_id) deposit
       LEFT JOIN (SELECT share.tenant_id, sum(share.held) AS held FROM escrow_release_share share
                  JOIN escrow_release release ON release.id = share.release_id
                  WHERE release.fund_id = $1 GROUP BY share.tenant_id) released ON released.tenant_id = deposit.tenant_id
       ORDER BY deposit.tenant_id`,
      [fundId],
    );
    return rows.map((row) => ({
      tenantId: String(row['tenant_id']),
      accountId: String(row['account_id']),
      deposited: bigintFromColumn(row['deposited']),
      released: bigintFromColumn(row['released']),
    }));
  }

  async findReleaseByMotion(manager: EntityManager, motionId: string): Promise<ReleaseRecord | null> {
    const rows: Row[] = await manager.query(`SELECT ${RELEASE_COLUMNS} FROM escrow_release WHERE motion_id = $1`, [
      motionId,
    ]);
    return rows[0] === undefined ? null : toRelease(rows[0]);
  }

  async insertRelease(manager: EntityManager, release: ReleaseRecord, shares: readonly ReleaseShare[]): Promise<void> {
    await manager.query(`INSERT INTO escrow_release (${RELEASE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
      release.id,
      release.fundId,
      release.motionId,
      release.mode,
      release.landlordAccountId,
      release.withheldPerTenant.toString(),
      release.total.toString(),
      release.releasedAt,
    ]);
    await manager.query(
      `INSERT INTO escrow_release_share (release_id, tenant_id, held, paid)
       SELECT $1, * FROM unnest($2::uuid[], $3::bigint[], $4::bigint[])`,
      [
        release.id,
        shares.map((share) => share.tenantId),
        shares.map((share) => share.held.toString()),
        shares.map((share) => share.paid.toString()),
      ],
    );
  }

  async listReleases(manager: EntityManager, fundId: string): Promise<ReleaseRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${RELEASE_COLUMNS} FROM escrow_release WHERE fund_id = $1 ORDER BY released_at DESC, id`,
      [fundId],
    );
    return rows.map(toRelease);
  }

  async listShares(
    manager: EntityManager,
    releaseId: string,
  ): Promise<{ tenantId: string; held: bigint; paid: bigint }[]> {
    const rows: Row[] = await manager.query(
      `SELECT tenant_id, held, paid FROM escrow_release_share WHERE release_id = $1 ORDER BY tenant_id`,
      [releaseId],
    );
    return rows.map((row) => ({
      tenantId: String(row['tenant_id']),
      held: bigintFromColumn(row['held']),
      paid: bigintFromColumn(row['paid']),
    }));
  }

  // The public report

  /** Money into and out of the fund's account per week (posted entries), newest week first. */
  async weeklyFlows(manager: EntityManager, accountId: string, weeks: number): Promise<WeekFlow[]> {
    const rows: Row[] = await manager.query(
      `SELECT to_char(date_trunc('week', tx.recorded_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS week_start,
         coalesce(sum(entry.amount) FILTER (WHERE entry.side = 'CREDIT'), 0) AS money_in,
         coalesce(sum(entry.amount) FILTER (WHERE entry.side = 'DEBIT'), 0) AS money_out
       FROM entry JOIN ledger_transaction tx ON tx.id = entry.transaction_id
       WHERE entry.account_id = $1 AND tx.operation IN ('TRANSFER', 'POST_HOLD', 'REVERSAL')
       GROUP BY 1 ORDER BY 1 DESC LIMIT $2`,
      [accountId, weeks],
    );
    return rows.map((row) => ({
      weekStart: String(row['week_start']),
      moneyIn: bigintFromColumn(row['money_in']),
      moneyOut: bigintFromColumn(row['money_out']),
    }));
  }

  /** Contributors and money received, and pledged per period, for the report. */
  async contributionTotals(
    manager: EntityManager,
    fundId: string,
  ): Promise<{ contributors: number; received: bigint; pledgedActive: bigint; pledgeReceived: bigint }> {
    const rows: Row[] = await manager.query(
      `SELECT
         (SELECT count(DISTINCT coalesce(contributor_id::text, from_account_id::text || coalesce(contributor_name, id::text)))
            FROM fund_contribution WHERE fund_id = $1) AS contributors,
         (SELECT coalesce(sum(amount), 0) FROM fund_contribution WHERE fund_id = $1) AS received,
         (SELECT coalesce(sum(amount), 0) FROM fund_pledge WHERE fund_id = $1 AND status = 'ACTIVE') AS pledged_active,
         (SELECT coalesce(sum(amount), 0) FROM fund_contribution WHERE fund_id = $1 AND pledge_id IS NOT NULL)
           AS pledge_received`,
      [fundId],
    );
    const row = one(rows);
    return {
      contributors: Number(row['contributors']),
      received: bigintFromColumn(row['received']),
      pledgedActive: bigintFromColumn(row['pledged_active']),
      pledgeReceived: bigintFromColumn(row['pledge_received']),
    };
  }

  /** Distinct stipend recipients and the amount paid, per strike of the fund. */
  async stipendTotals(
    manager: EntityManager,
    fundId: string,
  ): Promise<{ strikeId: string; name: string; recipients: number; paid: bigint; weeks: number }[]> {
    const rows: Row[] = await manager.query(
      `SELECT strike.id, strike.name, count(DISTINCT line.person_id) FILTER (WHERE line.amount > 0) AS recipients,
         coalesce(sum(line.amount), 0) AS paid, count(DISTINCT batch.id) AS weeks
       FROM strike LEFT JOIN stipend_batch batch ON batch.strike_id = strike.id AND batch.status = 'PAID'
       LEFT JOIN stipend_line line ON line.batch_id = batch.id
       WHERE strike.fund_id = $1 GROUP BY strike.id, strike.name ORDER BY strike.name, strike.id`,
      [fundId],
    );
    return rows.map((row) => ({
      strikeId: String(row['id']),
      name: String(row['name']),
      recipients: Number(row['recipients']),
      paid: bigintFromColumn(row['paid']),
      weeks: Number(row['weeks']),
    }));
  }

  /** A strike's paid batches per week, newest first: recipients and amount. */
  async stipendWeeks(
    manager: EntityManager,
    strikeId: string,
    weeks: number,
  ): Promise<{ weekStart: string; recipients: number; paid: bigint }[]> {
    const rows: Row[] = await manager.query(
      `SELECT to_char(batch.week_start, 'YYYY-MM-DD') AS week_start, batch.total AS paid,
         (SELECT count(*) FROM stipend_line line WHERE line.batch_id = batch.id AND line.amount > 0) AS recipients
       FROM stipend_batch batch WHERE batch.strike_id = $1 AND batch.status = 'PAID'
       ORDER BY batch.week_start DESC LIMIT $2`,
      [strikeId, weeks],
    );
    return rows.map((row) => ({
      weekStart: String(row['week_start']),
      recipients: Number(row['recipients']),
      paid: bigintFromColumn(row['paid']),
    }));
  }

  /** Paid draws per category: distinct people and amount. */
  async drawTotals(
    manager: EntityManager,
    fundId: string,
  ): Promise<{ label: string; people: number; amount: bigint }[]> {
    const rows: Row[] = await manager.query(
      `SELECT category, count(DISTINCT applicant_id) AS people, sum(paid_amount) AS amount FROM hardship_draw
       WHERE fund_id = $1 AND status = 'PAID' GROUP BY category`,
      [fundId],
    );
    return rows.map((row) => ({
      label: String(row['category']),
      people: Number(row['people']),
      amount: bigintFromColumn(row['amount']),
    }));
  }
}

function one(rows: Row[]): Row {
  const row = rows[0];
  if (row === undefined) throw new Error('expected a row');
  return row;
}

function toFund(row: Row): FundRecord {
  return {
    id: String(row['id']),
    organizationId: String(row['organization_id']),
    name: String(row['name']),
    purpose: row['purpose'] as FundRecord['purpose'],
    unitCode: String(row['unit_code']),
    accountId: String(row['account_id']),
    outsideAccountId: String(row['outside_account_id']),
    committee: row['committee'] as string[],
    required: Number(row['required']),
    blindReview: Boolean(row['blind_review']),
    reviewDays: Number(row['review_days']),
    drawCapPerYear: bigintFromColumn(row['draw_cap_per_year']),
    membersSeeDetail: Boolean(row['members_see_detail']),
    createdBy: String(row['created_by']),
    createdAt: row['created_at'] as Date,
  };
}

function toContribution(row: Row): ContributionRecord {
  return {
    id: String(row['id']),
    fundId: String(row['fund_id']),
    source: row['source'] as ContributionRecord['source'],
    fromAccountId: String(row['from_account_id']),
    contributorId: row['contributor_id'] as string | null,
    contributorName: row['contributor_name'] as string | null,
    visibility: row['visibility'] as ContributionRecord['visibility'],
    amount: bigintFromColumn(row['amount']),
    memo: String(row['memo']),
    pledgeId: row['pledge_id'] as string | null,
    pledgePeriod: row['pledge_period'] === null ? null : Number(row['pledge_period']),
    transactionId: String(row['transaction_id']),
    recordedBy: String(row['recorded_by']),
    receivedAt: row['received_at'] as Date,
  };
}

function toPledge(row: Row): PledgeRecord {
  return {
    id: String(row['id']),
    fundId: String(row['fund_id']),
    contributorId: row['contributor_id'] as string | null,
    contributorName: row['contributor_name'] as string | null,
    visibility: row['visibility'] as PledgeRecord['visibility'],
    fromAccountId: row['from_account_id'] as string | null,
    amount: bigintFromColumn(row['amount']),
    period: row['period'] as PledgeRecord['period'],
    status: row['status'] as PledgeStatus,
    failure: row['failure'] as string | null,
    createdBy: String(row['created_by']),
    createdAt: row['created_at'] as Date,
  };
}

function toStrike(row: Row): StrikeRecord {
  return {
    id: String(row['id']),
    fundId: String(row['fund_id']),
    name: String(row['name']),
    startsOn: String(row['starts_on']),
    endsOn: row['ends_on'] as string | null,
    drawCapPerStriker: bigintFromColumn(row['draw_cap_per_striker']),
    createdBy: String(row['created_by']),
    createdAt: row['created_at'] as Date,
  };
}

function toRule(row: Row): RuleVersionRecord {
  return {
    strikeId: String(row['strike_id']),
    version: Number(row['version']),
    effectiveFrom: String(row['effective_from']),
    weeklyRate: bigintFromColumn(row['weekly_rate']),
    fullMinutes: Number(row['full_minutes']),
    minimumMinutes: Number(row['minimum_minutes']),
    dependantSupplement: bigintFromColumn(row['dependant_supplement']),
    capPerStriker: row['cap_per_striker'] === null ? null : bigintFromColumn(row['cap_per_striker']),
    shortfall: row['shortfall'] as RuleVersionRecord['shortfall'],
    createdBy: String(row['created_by']),
    createdAt: row['created_at'] as Date,
  };
}

function toStriker(row: Row): StrikerRecord {
  return {
    strikeId: String(row['strike_id']),
    personId: String(row['person_id']),
    accountId: String(row['account_id']),
    dependants: Number(row['dependants']),
    enrolledAt: row['enrolled_at'] as Date,
  };
}

function toShift(row: Row): ShiftRecord {
  return {
    id: String(row['id']),
    strikeId: String(row['strike_id']),
    personId: String(row['person_id']),
    day: String(row['day']),
    minutes: Number(row['minutes']),
    correctsId: row['corrects_id'] as string | null,
    note: String(row['note']),
    recordedBy: String(row['recorded_by']),
    recordedAt: row['recorded_at'] as Date,
  };
}

function toBatch(row: Row): BatchRecord {
  return {
    id: String(row['id']),
    strikeId: String(row['strike_id']),
    weekStart: String(row['week_start']),
    ruleVersion: Number(row['rule_version']),
    status: row['status'] as BatchStatus,
    requestedTotal: bigintFromColumn(row['requested_total']),
    total: bigintFromColumn(row['total']),
    available: bigintFromColumn(row['available']),
    shortfall: (row['shortfall'] ?? null) as BatchRecord['shortfall'],
    explanation: String(row['explanation']),
    approvalRequestId: row['approval_request_id'] as string | null,
    computedBy: String(row['computed_by']),
    computedAt: row['computed_at'] as Date,
    decidedAt: (row['decided_at'] ?? null) as Date | null,
  };
}

function toLine(row: Row): BatchLineRecord {
  return {
    batchId: String(row['batch_id']),
    personId: String(row['person_id']),
    accountId: String(row['account_id']),
    minutes: Number(row['minutes']),
    dependants: Number(row['dependants']),
    base: bigintFromColumn(row['base']),
    supplement: bigintFromColumn(row['supplement']),
    due: bigintFromColumn(row['due']),
    amount: bigintFromColumn(row['amount']),
    explanation: String(row['explanation']),
  };
}

function toDraw(row: Row): DrawRecord {
  return {
    id: String(row['id']),
    fundId: String(row['fund_id']),
    strikeId: row['strike_id'] as string | null,
    applicantId: String(row['applicant_id']),
    accountId: String(row['account_id']),
    amount: bigintFromColumn(row['amount']),
    category: row['category'] as DrawRecord['category'],
    dependants: Number(row['dependants']),
    evictionNotice: Boolean(row['eviction_notice']),
    shutOffNotice: Boolean(row['shut_off_notice']),
    statement: String(row['statement']),
    priority: Number(row['priority']),
    status: row['status'] as DrawStatus,
    approvalRequestId: String(row['approval_request_id']),
    paidAmount: row['paid_amount'] === null ? null : bigintFromColumn(row['paid_amount']),
    paidAccountId: row['paid_account_id'] as string | null,
    createdAt: row['created_at'] as Date,
    decidedAt: (row['decided_at'] ?? null) as Date | null,
  };
}

function toDeposit(row: Row): DepositRecord {
  return {
    id: String(row['id']),
    fundId: String(row['fund_id']),
    tenantId: String(row['tenant_id']),
    tenantAccountId: String(row['tenant_account_id']),
    month: String(row['month']),
    amount: bigintFromColumn(row['amount']),
    source: row['source'] as DepositRecord['source'],
    transactionId: String(row['transaction_id']),
    recordedBy: String(row['recorded_by']),
    recordedAt: row['recorded_at'] as Date,
  };
}

function toRelease(row: Row): ReleaseRecord {
  return {
    id: String(row['id']),
    fundId: String(row['fund_id']),
    motionId: String(row['motion_id']),
    mode: row['mode'] as ReleaseRecord['mode'],
    landlordAccountId: row['landlord_account_id'] as string | null,
    withheldPerTenant: bigintFromColumn(row['withheld_per_tenant']),
    total: bigintFromColumn(row['total']),
    releasedAt: row['released_at'] as Date,
  };
}
