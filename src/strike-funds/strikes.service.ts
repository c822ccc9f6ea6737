import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { assert } from '../kernel/assert.js';
import { AuditService } from '../kernel/audit/audit.service.js';
import { runInTransaction } from '../kernel/database/run-in-transaction.js';
import { DomainError } from '../kernel/errors/domain-error.js';
import { requirePerson } from '../kernel/graphql/request-principal.js';
import { stepId } from '../kernel/ids.js';
import { systemPrincipal, type Principal } from '../kernel/principal.js';
import { CLOCK, type Clock } from '../kernel/scheduling/clock.js';
import { GovernanceService } from '../governance/governance.service.js';
import type { ApprovalRequestRecord } from '../governance/governance.records.js';
import { MAX_ENTRY_AMOUNT, type LedgerRequest } from '../ledger/ledger.records.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { FundsService, refuse } from './funds.service.js';
import { addDays, dateOf, isCalendarDate, isMonday, nextWeekStart, weekStartOf } from './rules/calendar.js';
import { mayCaptainPicket } from './rules/fund-access.js';
import { MAX_DEPENDANTS, checkStipendRules, computeStipendBatch, type StipendRules } from './rules/stipends.js';
import { STRIKE_FUNDS_ERRORS } from './strike-funds.errors.js';
import type {
  BatchLineRecord,
  BatchRecord,
  FundRecord,
  RuleVersionRecord,
  ShiftRecord,
  StrikeRecord,
  StrikerRecord,
} from './strike-funds.records.js';
import { StrikeFundsRepository } from './strike-funds.repository.js';

export const PAY_STIPEND_BATCH = 'strike-funds.pay-stipend-batch';
/** A hold (or its posting) is one transaction: the fund's debit and up to 63 stipends. */
const STIPENDS_PER_TRANSACTION = 63;
/** The most strikers one strike pays in one batch. */
export const MAX_STRIKERS = 20_000;
const DAY_MS = 86_400_000;

export interface NewStrike {
  readonly id: string;
  readonly fundId: string;
  readonly name: string;
  readonly startsOn: string;
  readonly endsOn: string | null;
  readonly drawCapPerStriker: bigint;
  readonly rules: StipendRules;
}

export interface NewShift {
  readonly id: string;
  readonly strikeId: string;
  readonly personId: string;
  readonly day: string;
  readonly minutes: number;
  readonly correctsId: string | null;
  readonly note: string;
}

/** A batch with its lines. */
export interface BatchView {
  readonly batch: BatchRecord;
  readonly lines: readonly BatchLineRecord[];
}

/**
 * Strikes, their versioned stipend rules, strikers, picket shifts and weekly stipend batches.
 *
 * A batch is computed from the week's shifts and the rules in force (rules/stipends.ts), previewed, then
 * submitted: in one database transaction the batch is marked SUBMITTED (one per strike and week, by a
 * unique index), its money is set aside by holds on the fund, and an N-of-M approval request of the fund's
 * committee is made. The approval that completes N posts the holds, all or none (applyGroup), with the
 * request as authority; a request declined, expired or withdrawn voids them. Ledger ids derive from the
 * batch, so no week is paid twice.
 */
@Injectable()
export class StrikesService implements OnModuleInit {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(StrikeFundsRepository) private readonly repository: StrikeFundsRepository,
    @Inject(FundsService) private readonly funds: FundsService,
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(GovernanceService) private readonly governance: GovernanceService,
    @Inject(OrganizationsService) private readonly organizations: OrganizationsService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.governance.registerAction(PAY_STIPEND_BATCH, {
      check: (manager, { organizationId, params }) => this.checkBatchAction(manager, organizationId, params),
      apply: (manager, { request, params }) => this.payBatch(manager, request, params),
      closed: (manager, { request }) => this.releaseBatch(manager, request),
    });
  }

  async createStrike(principal: Principal, input: NewStrike): Promise<StrikeRecord> {
    const { personId } = requirePerson(principal);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const fund = await this.funds.requireFundIn(manager, input.fundId);
      this.funds.requireManager(principal, fund);
      this.funds.requirePurpose(fund, ['STRIKE']);
      const existing = await this.repository.findStrike(manager, input.id);
      if (existing !== null) {
        if (existing.fundId === fund.id && existing.name === input.name.trim()) return existing;
        throw new DomainError(STRIKE_FUNDS_ERRORS.FUND_RECORD_ID_TAKEN, `The id ${input.id} names another strike`, {
          id: input.id,
        });
      }
      const name = input.name.trim();
      if (name.length === 0 || name.length > 200)
        refuse(STRIKE_FUNDS_ERRORS.INVALID_STRIKE, 'a strike has a name of 1 to 200 characters');
      if (!isCalendarDate(input.startsOn)) refuse(STRIKE_FUNDS_ERRORS.INVALID_STRIKE, 'startsOn is a date, YYYY-MM-DD');
      if (input.endsOn !== null && (!isCalendarDate(input.endsOn) || input.endsOn < input.startsOn)) {
        refuse(STRIKE_FUNDS_ERRORS.INVALID_STRIKE, 'endsOn is a date, YYYY-MM-DD, not before startsOn');
      }
      if (input.drawCapPerStriker <= 0n || input.drawCapPerStriker > MAX_ENTRY_AMOUNT) {
        refuse(STRIKE_FUNDS_ERRORS.INVALID_STRIKE, 'the cap on draws per striker is more than zero');
      }
      checkRules(input.rules);
      await this.repository.insertStrike(manager, {
        id: input.id,
        fundId: fund.id,
        name,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        drawCapPerStriker: input.drawCapPerStriker,
        createdBy: personId,
      });
      await this.repository.insertRule(manager, {
        ...input.rules,
        strikeId: input.id,
        version: 1,
        effectiveFrom: weekStartOf(input.startsOn),
        createdBy: personId,
        createdAt: this.clock.now(),
      });
      const strike = await this.requireStrikeIn(manager, input.id);
      await this.audit.record(manager, {
        actor: principal,
        action: 'STRIKE_OPENED',
        organizationId: fund.organizationId,
        subject: { type: 'STRIKE', id: strike.id },
        after: { name, startsOn: strike.startsOn, endsOn: strike.endsOn, rules: rulesJson(input.rules) },
      });
      return strike;
    });
  }

  /** A new version of the rules, in force from the next week (never the week under way). */
  async changeStipendRules(
    principal: Principal,
    input: { strikeId: string; rules: StipendRules },
  ): Promise<RuleVersionRecord> {
    const { personId } = requirePerson(principal);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const strike = await this.requireStrikeIn(manager, input.strikeId, true);
      const fund = await this.funds.requireFundIn(manager, strike.fundId);
      this.funds.requireManager(principal, fund);
      checkRules(input.rules);
      const versions = await this.repository.listRules(manager, strike.id);
      const now = this.clock.now();
      const candidate = nextWeekStart(now);
      const effectiveFrom = candidate > weekStartOf(strike.startsOn) ? candidate : weekStartOf(strike.startsOn);
      const rule: RuleVersionRecord = {
        ...input.rules,
        strikeId: strike.id,
        version: versions.length + 1,
        effectiveFrom,
        createdBy: personId,
        createdAt: now,
      };
      await this.repository.insertRule(manager, rule);
      await this.audit.record(manager, {
        actor: principal,
        action: 'STIPEND_RULES_CHANGED',
        organizationId: fund.organizationId,
        subject: { type: 'STRIKE', id: strike.id },
        after: { version: rule.version, effectiveFrom, rules: rulesJson(input.rules) },
      });
      return rule;
    });
  }

  /** Enrols a member as a striker (or changes their account or dependants): a picket captain does it. */
  async enrolStriker(
    principal: Principal,
    input: { strikeId: string; personId: string; accountId: string; dependants: number },
  ): Promise<StrikerRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const strike = await this.requireStrikeIn(manager, input.strikeId);
      const fund = await this.funds.requireFundIn(manager, strike.fundId);
      this.requireCaptain(principal, fund);
      if (!Number.isInteger(input.dependants) || input.dependants < 0 || input.dependants > MAX_DEPENDANTS) {
        refuse(STRIKE_FUNDS_ERRORS.INVALID_STRIKE, `dependants are 0 to ${MAX_DEPENDANTS}`);
      }
      const members = await this.organizations.activeMembers(manager, fund.organizationId);
      if (!members.some((member) => member.personId === input.personId)) {
        refuse(STRIKE_FUNDS_ERRORS.INVALID_STRIKE, 'a striker is a member of the fund’s organisation');
      }
      await this.funds.requireAccountOf(manager, fund, input.accountId, input.personId);
      const striker = await this.repository.upsertStriker(manager, { ...input, enrolledAt: this.clock.now() });
      await this.audit.record(manager, {
        actor: principal,
        action: 'STRIKER_ENROLLED',
        organizationId: fund.organizationId,
        relatedPartyId: input.personId,
        subject: { type: 'STRIKE', id: strike.id },
        after: { personId: input.personId, accountId: input.accountId, dependants: input.dependants },
      });
      return striker;
    });
  }

  /** A picket captain records a shift; a correction is a new shift naming the one it corrects. */
  async recordShift(principal: Principal, input: NewShift): Promise<ShiftRecord> {
    const { personId: captainId } = requirePerson(principal);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const strike = await this.requireStrikeIn(manager, input.strikeId);
      const fund = await this.funds.requireFundIn(manager, strike.fundId);
      this.requireCaptain(principal, fund);
      const existing = await this.repository.findShift(manager, input.id);
      if (existing !== null) {
        if (
          existing.strikeId === strike.id &&
          existing.personId === input.personId &&
          existing.minutes === input.minutes
        ) {
          return existing;
        }
        throw new DomainError(STRIKE_FUNDS_ERRORS.FUND_RECORD_ID_TAKEN, `The id ${input.id} names another shift`, {
          id: input.id,
        });
      }
      if ((await this.repository.findStriker(manager, strike.id, input.personId)) === null) {
        throw new DomainError(STRIKE_FUNDS_ERRORS.NOT_A_STRIKER, 'The person is not enrolled in this strike', {
          strikeId: strike.id,
          personId: input.personId,
        });
      }
      if (!Number.isInteger(input.minutes) || input.minutes === 0 || Math.abs(input.minutes) > 1440) {
        refuse(STRIKE_FUNDS_ERRORS.INVALID_SHIFT, 'a shift is 1 to 1440 minutes (negative only to correct one)');
      }
      if (input.note.length > 500) refuse(STRIKE_FUNDS_ERRORS.INVALID_SHIFT, 'a note has at most 500 characters');
      let day = input.day;
      if (input.correctsId !== null) {
        const corrected = await this.repository.findShift(manager, input.correctsId);
        if (corrected === null || corrected.strikeId !== strike.id || corrected.personId !== input.personId) {
          throw new DomainError(STRIKE_FUNDS_ERRORS.SHIFT_NOT_FOUND, 'The corrected shift is not this striker’s', {
            correctsId: input.correctsId,
          });
        }
        if (input.day !== corrected.day)
          refuse(STRIKE_FUNDS_ERRORS.INVALID_SHIFT, 'a correction is on the day it corrects');
        day = corrected.day;
      } else if (input.minutes < 0) {
        refuse(STRIKE_FUNDS_ERRORS.INVALID_SHIFT, 'a negative shift corrects another (correctsId)');
      }
      if (!isCalendarDate(day)) refuse(STRIKE_FUNDS_ERRORS.INVALID_SHIFT, 'day is a date, YYYY-MM-DD');
      const today = dateOf(this.clock.now());
      if (day < strike.startsOn || (strike.endsOn !== null && day > strike.endsOn) || day > today) {
        refuse(STRIKE_FUNDS_ERRORS.INVALID_SHIFT, 'a shift is on a day of the strike, not in the future');
      }
      const shift: ShiftRecord = {
        id: input.id,
        strikeId: strike.id,
        personId: input.personId,
        day,
        minutes: input.minutes,
        correctsId: input.correctsId,
        note: input.note,
        recordedBy: captainId,
        recordedAt: this.clock.now(),
      };
      await this.repository.insertShift(manager, shift);
      return shift;
    });
  }

  /** Computes (or recomputes) the week's batch as a preview: every line with its explanation. */
  async computeBatch(
    principal: Principal,
    input: { id: string; strikeId: string; weekStart: string },
  ): Promise<BatchView> {
    const { personId } = requirePerson(principal);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const strike = await this.requireStrikeIn(manager, input.strikeId, true);
      const fund = await this.funds.requireFundIn(manager, strike.fundId);
      this.funds.requireManager(principal, fund);
      const existing = await this.repository.findBatch(manager, input.id);
      if (existing !== null) {
        if (existing.strikeId === strike.id && existing.weekStart === input.weekStart) {
          return { batch: existing, lines: await this.repository.listLines(manager, existing.id) };
        }
        throw new DomainError(STRIKE_FUNDS_ERRORS.FUND_RECORD_ID_TAKEN, `The id ${input.id} names another batch`, {
          id: input.id,
        });
      }
      if (!isMonday(input.weekStart)) refuse(STRIKE_FUNDS_ERRORS.INVALID_STRIKE, 'weekStart is a Monday, YYYY-MM-DD');
      if (
        addDays(input.weekStart, 7) < weekStartOf(strike.startsOn) ||
        input.weekStart < weekStartOf(strike.startsOn)
      ) {
        refuse(STRIKE_FUNDS_ERRORS.INVALID_STRIKE, 'the week is a week of the strike');
      }
      if (addDays(input.weekStart, 7) > dateOf(this.clock.now())) {
        throw new DomainError(STRIKE_FUNDS_ERRORS.WEEK_NOT_OVER, 'The week has not ended yet', {
          weekStart: input.weekStart,
        });
      }
      await this.requireWeekOpen(manager, strike.id, input.weekStart);
      const rules = await this.repository.ruleFor(manager, strike.id, input.weekStart);
      if (rules === null) throw new Error(`strike ${strike.id} has no rules for ${input.weekStart}`);
      const strikers = await this.repository.listStrikers(manager, strike.id);
      assert(strikers.length <= MAX_STRIKERS, `a strike pays at most ${MAX_STRIKERS} strikers`);
      const minutes = await this.repository.weekMinutes(manager, strike.id, input.weekStart);
      const paid = await this.repository.paidSoFar(manager, strike.id);
      const available = await this.funds.available(manager, fund);
      const plan = computeStipendBatch(
        rules,
        strikers.map((striker) => ({
          personId: striker.personId,
          accountId: striker.accountId,
          minutes: minutes.get(striker.personId) ?? 0,
          dependants: striker.dependants,
          paidSoFar: paid.get(striker.personId) ?? 0n,
        })),
        available,
      );
      await this.repository.supersedePreviews(manager, strike.id, input.weekStart);
      const batch: BatchRecord = {
        id: input.id,
        strikeId: strike.id,
        weekStart: input.weekStart,
        ruleVersion: rules.version,
        status: plan.shortfall === 'PAY_NONE' ? 'UNFUNDED' : 'PREVIEW',
        requestedTotal: plan.requestedTotal,
        total: plan.total,
        available,
        shortfall: plan.shortfall,
        explanation: plan.explanation,
        approvalRequestId: null,
        computedBy: personId,
        computedAt: this.clock.now(),
        decidedAt: null,
      };
      await this.repository.insertBatch(manager, batch, plan.lines);
      return { batch, lines: plan.lines.map((line) => ({ ...line, batchId: batch.id })) };
    });
  }

  /**
   * Submits a previewed batch for the committee's N-of-M approval: the money is set aside (holds on the
   * fund) in the same database transaction.
   */
  async submitBatch(principal: Principal, input: { batchId: string; requestId: string }): Promise<BatchRecord> {
    requirePerson(principal);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const found = await this.requireBatchIn(manager, input.batchId, false);
      const strike = await this.requireStrikeIn(manager, found.strikeId, true);
      const fund = await this.funds.requireFundIn(manager, strike.fundId);
      this.funds.requireManager(principal, fund);
      const batch = await this.requireBatchIn(manager, input.batchId, true);
      if (batch.status === 'SUBMITTED' && batch.approvalRequestId === input.requestId) return batch;
      if (batch.status !== 'PREVIEW' || batch.total === 0n) {
        throw new DomainError(
          STRIKE_FUNDS_ERRORS.BATCH_NOT_PREVIEW,
          batch.total === 0n && batch.status === 'PREVIEW'
            ? 'The batch pays nobody: there is nothing to approve'
            : `The batch is ${batch.status}: only a previewed batch the fund can cover is submitted`,
          { batchId: batch.id, status: batch.status },
        );
      }
      await this.requireWeekOpen(manager, strike.id, batch.weekStart);
      const available = await this.funds.available(manager, fund);
      if (available < batch.total) {
        throw new DomainError(
          STRIKE_FUNDS_ERRORS.BATCH_NO_LONGER_COVERED,
          `The fund can pay ${available} of the batch's ${batch.total}: compute the week again`,
          { batchId: batch.id, available: available.toString(), total: batch.total.toString() },
        );
      }
      const lines = await this.repository.listLines(manager, batch.id);
      const submitted = await this.repository.setBatchStatus(manager, batch.id, 'SUBMITTED', {
        approvalRequestId: input.requestId,
      });
      await this.ledger.applyGroup(
        manager,
        this.payer(fund),
        { kind: 'STIPEND_BATCH', id: batch.id },
        holdsOf(fund, batch, lines),
      );
      const now = this.clock.now();
      await this.governance.requestApproval(manager, principal, {
        id: input.requestId,
        organizationId: fund.organizationId,
        title: `Stipends of ${strike.name}, week of ${batch.weekStart}`,
        action: { kind: PAY_STIPEND_BATCH, params: { batchId: batch.id } },
        approvers: { committee: fund.committee },
        required: fund.required,
        expiresAt: new Date(now.getTime() + fund.reviewDays * DAY_MS),
      });
      await this.audit.record(manager, {
        actor: principal,
        action: 'STIPEND_BATCH_SUBMITTED',
        organizationId: fund.organizationId,
        subject: { type: 'STIPEND_BATCH', id: batch.id },
        after: { weekStart: batch.weekStart, total: batch.total.toString(), approvalRequestId: input.requestId },
      });
      return submitted;
    });
  }

  // The approval action

  private async checkBatchAction(
    manager: EntityManager,
    organizationId: string,
    params: Readonly<Record<string, unknown>>,
  ): Promise<{ params: Record<string, unknown>; payeeIds: string[] }> {
    const batchId = params['batchId'];
    const batch = typeof batchId === 'string' ? await this.repository.findBatch(manager, batchId) : null;
    if (batch === null) refuse(STRIKE_FUNDS_ERRORS.INVALID_STRIKE, 'batchId names a stipend batch');
    const fund = await this.fundOfStrike(manager, batch.strikeId);
    if (fund.organizationId !== organizationId)
      refuse(STRIKE_FUNDS_ERRORS.INVALID_STRIKE, "the batch is the organisation's");
    if (batch.status !== 'SUBMITTED') refuse(STRIKE_FUNDS_ERRORS.INVALID_STRIKE, 'the batch is submitted for approval');
    const lines = await this.repository.listLines(manager, batch.id);
    return {
      params: { batchId: batch.id },
      payeeIds: lines.filter((line) => line.amount > 0n).map((line) => line.personId),
    };
  }

  /** The approval that completes N: the holds are posted, all or none, with the request as authority. */
  private async payBatch(
    manager: EntityManager,
    request: ApprovalRequestRecord,
    params: Readonly<Record<string, unknown>>,
  ): Promise<Record<string, unknown>> {
    const batch = await this.requireBatchIn(manager, String(params['batchId']), true);
    if (batch.status !== 'SUBMITTED' || batch.approvalRequestId !== request.id) {
      refuse(STRIKE_FUNDS_ERRORS.INVALID_STRIKE, 'the batch is submitted under this request');
    }
    const fund = await this.fundOfStrike(manager, batch.strikeId);
    const lines = await this.repository.listLines(manager, batch.id);
    const holds = holdsOf(fund, batch, lines);
    const written = await this.ledger.applyGroup(
      manager,
      this.payer(fund),
      { kind: 'APPROVAL_REQUEST', id: request.id },
      holds.map((hold) => ({
        type: 'POST_HOLD' as const,
        id: stepId('strike-funds.batch-pay', hold.id),
        holdId: hold.id,
        amount: null,
        memo: hold.memo,
        metadata: [],
      })),
    );
    await this.repository.setBatchStatus(manager, batch.id, 'PAID', { decidedAt: this.clock.now() });
    return {
      batchId: batch.id,
      total: batch.total.toString(),
      recipients: lines.filter((line) => line.amount > 0n).length,
      transactions: written.length,
    };
  }

  /** A request that ends unapproved: the holds are voided and the batch is DECLINED (it may be recomputed). */
  private async releaseBatch(manager: EntityManager, request: ApprovalRequestRecord): Promise<void> {
    const batchId = request.action.params['batchId'];
    if (typeof batchId !== 'string') return;
    const batch = await this.repository.findBatch(manager, batchId, true);
    if (batch?.status !== 'SUBMITTED' || batch.approvalRequestId !== request.id) return;
    const fund = await this.fundOfStrike(manager, batch.strikeId);
    const lines = await this.repository.listLines(manager, batch.id);
    await this.ledger.applyGroup(
      manager,
      this.payer(fund),
      { kind: 'APPROVAL_REQUEST', id: request.id },
      holdsOf(fund, batch, lines).map((hold) => ({
        type: 'VOID_HOLD' as const,
        id: stepId('strike-funds.batch-release', hold.id),
        holdId: hold.id,
        memo: 'Stipend batch not approved: money set aside released',
        metadata: [],
      })),
    );
    await this.repository.setBatchStatus(manager, batch.id, 'DECLINED', { decidedAt: this.clock.now() });
  }

  // Reads

  async strike(principal: Principal, id: string): Promise<{ strike: StrikeRecord; fund: FundRecord }> {
    const manager = this.dataSource.manager;
    const strike = await this.requireStrikeIn(manager, id);
    const fund = await this.funds.requireFundIn(manager, strike.fundId);
    this.funds.requireMember(principal, fund);
    return { strike, fund };
  }

  async strikes(principal: Principal, fundId: string): Promise<StrikeRecord[]> {
    const manager = this.dataSource.manager;
    const fund = await this.funds.requireFundIn(manager, fundId);
    this.funds.requireMember(principal, fund);
    return this.repository.listStrikes(manager, fund.id);
  }

  async rules(strikeId: string): Promise<RuleVersionRecord[]> {
    return this.repository.listRules(this.dataSource.manager, strikeId);
  }

  async batches(principal: Principal, strikeId: string): Promise<BatchRecord[]> {
    await this.strike(principal, strikeId);
    return this.repository.listBatches(this.dataSource.manager, strikeId);
  }

  /** A batch with its lines: the fund's TREASURER or ADMIN, or its committee (who approve it). */
  async batch(principal: Principal, id: string): Promise<BatchView> {
    const manager = this.dataSource.manager;
    const batch = await this.requireBatchIn(manager, id, false);
    const fund = await this.fundOfStrike(manager, batch.strikeId);
    const reviewer = principal.kind === 'PERSON' && fund.committee.includes(principal.personId);
    if (!reviewer) this.funds.requireManager(principal, fund);
    return { batch, lines: await this.repository.listLines(manager, batch.id) };
  }

  /** Shifts: a striker sees their own; a picket captain sees everyone's. */
  async shifts(principal: Principal, strikeId: string, personId: string | null): Promise<ShiftRecord[]> {
    const { personId: caller } = requirePerson(principal);
    const { fund } = await this.strike(principal, strikeId);
    const whose = personId ?? caller;
    if (whose !== caller) this.requireCaptain(principal, fund);
    return this.repository.listShifts(this.dataSource.manager, strikeId, whose);
  }

  async myStipends(principal: Principal, strikeId: string) {
    const { personId } = requirePerson(principal);
    await this.strike(principal, strikeId);
    return this.repository.stipendsOf(this.dataSource.manager, strikeId, personId);
  }

  async strikers(principal: Principal, strikeId: string): Promise<StrikerRecord[]> {
    const { fund } = await this.strike(principal, strikeId);
    this.requireCaptain(principal, fund);
    return this.repository.listStrikers(this.dataSource.manager, strikeId);
  }

  // Helpers

  private payer(fund: FundRecord) {
    return systemPrincipal('strike-funds.stipends', { accounts: new Set([fund.accountId]) });
  }

  private requireCaptain(principal: Principal, fund: FundRecord): void {
    if (!mayCaptainPicket(principal, fund.organizationId)) {
      throw new DomainError(
        STRIKE_FUNDS_ERRORS.FUND_ROLE_REQUIRED,
        'Only a picket captain (COORDINATOR), TREASURER or ADMIN does this',
        { fundId: fund.id },
      );
    }
  }

  private async requireWeekOpen(manager: EntityManager, strikeId: string, weekStart: string): Promise<void> {
    const taken = (await this.repository.listBatches(manager, strikeId)).find(
      (batch) => batch.weekStart === weekStart && (batch.status === 'SUBMITTED' || batch.status === 'PAID'),
    );
    if (taken !== undefined) {
      throw new DomainError(
        STRIKE_FUNDS_ERRORS.WEEK_ALREADY_PAID,
        `The week of ${weekStart} is ${taken.status} already`,
        {
          batchId: taken.id,
          status: taken.status,
        },
      );
    }
  }

  private async fundOfStrike(manager: EntityManager, strikeId: string): Promise<FundRecord> {
    const strike = await this.requireStrikeIn(manager, strikeId);
    return this.funds.requireFundIn(manager, strike.fundId);
  }

  private async requireStrikeIn(manager: EntityManager, id: string, lock = false): Promise<StrikeRecord> {
    const strike = await this.repository.findStrike(manager, id, lock);
    if (strike === null)
      throw new DomainError(STRIKE_FUNDS_ERRORS.STRIKE_NOT_FOUND, `Strike ${id} does not exist`, { id });
    return strike;
  }

  private async requireBatchIn(manager: EntityManager, id: string, lock: boolean): Promise<BatchRecord> {
    const batch = await this.repository.findBatch(manager, id, lock);
    if (batch === null)
      throw new DomainError(STRIKE_FUNDS_ERRORS.BATCH_NOT_FOUND, `Batch ${id} does not exist`, { id });
    return batch;
  }
}

/** The holds that set a batch's money aside: one per 63 paid lines, in person order, ids from the batch. */
function holdsOf(
  fund: FundRecord,
  batch: BatchRecord,
  lines: readonly BatchLineRecord[],
): (LedgerRequest & { type: 'TRANSFER' })[] {
  const paid = lines.filter((line) => line.amount > 0n).sort((a, b) => (a.personId < b.personId ? -1 : 1));
  const holds: (LedgerRequest & { type: 'TRANSFER' })[] = [];
  for (let start = 0, index = 0; start < paid.length; start += STIPENDS_PER_TRANSACTION, index += 1) {
    const part = paid.slice(start, start + STIPENDS_PER_TRANSACTION);
    const total = part.reduce((sum, line) => sum + line.amount, 0n);
    holds.push({
      type: 'TRANSFER',
      id: stepId('strike-funds.batch-hold', batch.id, String(index)),
      unitCode: fund.unitCode,
      kind: 'STIPEND',
      memo: `Strike stipends, week of ${batch.weekStart}`,
      metadata: [],
      effectiveAt: null,
      hold: { timeoutSeconds: null },
      entries: [
        { accountId: fund.accountId, side: 'DEBIT', amount: total },
        ...part.map((line) => ({ accountId: line.accountId, side: 'CREDIT' as const, amount: line.amount })),
      ],
    });
  }
  return holds;
}

function checkRules(rules: StipendRules): void {
  const problem = checkStipendRules(rules);
  if (problem !== null) refuse(STRIKE_FUNDS_ERRORS.INVALID_STRIKE, problem);
  for (const amount of [rules.weeklyRate, rules.dependantSupplement, rules.capPerStriker ?? 0n]) {
    if (amount > MAX_ENTRY_AMOUNT) refuse(STRIKE_FUNDS_ERRORS.INVALID_STRIKE, 'amounts fit the ledger');
  }
}

function rulesJson(rules: StipendRules) {
  return {
    weeklyRate: rules.weeklyRate.toString(),
    fullMinutes: rules.fullMinutes,
    minimumMinutes: rules.minimumMinutes,
    dependantSupplement: rules.dependantSupplement.toString(),
    capPerStriker: rules.capPerStriker?.toString() ?? null,
    shortfall: rules.shortfall,
  };
}
