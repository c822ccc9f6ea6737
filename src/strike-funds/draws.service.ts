import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../kernel/audit/audit.service.js';
import { runInTransaction } from '../kernel/database/run-in-transaction.js';
import { DomainError } from '../kernel/errors/domain-error.js';
import { requirePerson } from '../kernel/graphql/request-principal.js';
import { isUuid, stepId } from '../kernel/ids.js';
import { parseMinorUnits } from '../kernel/money/minor-units.js';
import { systemPrincipal, type Principal } from '../kernel/principal.js';
import { CLOCK, type Clock } from '../kernel/scheduling/clock.js';
import { ApprovalsService } from '../governance/approvals.service.js';
import { GovernanceService } from '../governance/governance.service.js';
import type { ApprovalRequestRecord } from '../governance/governance.records.js';
import { MAX_ENTRY_AMOUNT } from '../ledger/ledger.records.js';
import { FundsService, refuse } from './funds.service.js';
import { dateOf, yearOf } from './rules/calendar.js';
import { isMember, mayReview } from './rules/fund-access.js';
import {
  checkDrawCaps,
  compareQueued,
  drawPriority,
  drawStatusAfter,
  type DrawCategory,
} from './rules/hardship-draws.js';
import { MAX_DEPENDANTS } from './rules/stipends.js';
import { STRIKE_FUNDS_ERRORS } from './strike-funds.errors.js';
import type { DrawRecord, FundRecord } from './strike-funds.records.js';
import { StrikeFundsRepository } from './strike-funds.repository.js';

export const PAY_DRAW = 'strike-funds.pay-draw';
const DAY_MS = 86_400_000;

export interface NewDraw {
  readonly id: string;
  readonly fundId: string;
  readonly strikeId: string | null;
  readonly accountId: string;
  readonly amount: bigint;
  readonly category: DrawCategory;
  readonly dependants: number;
  readonly evictionNotice: boolean;
  readonly shutOffNotice: boolean;
  readonly statement: string;
}

/** A draw as its reader may see it: the applicant hidden from reviewers when the fund reviews blind. */
export interface DrawView {
  readonly draw: DrawRecord;
  readonly applicantShown: boolean;
  /** Why approvers refused, for the applicant (reasons only, never who). */
  readonly refusals: readonly string[];
  readonly requestVersion: number | null;
}

/**
 * Hardship draws. Applying checks the caps at once, sets the money aside (a hold on the fund, never expiring
 * by itself) and makes an N-of-M approval request of the fund's committee authored by the applicant, in one
 * database transaction. The applicant and the payee never approve (governance), nor anyone who recused; a
 * change to amount or payee (changeApprovalRequest, by the applicant) voids approvals already given. The
 * approval that completes N voids the hold and pays the draw as the request now says, with the request as
 * authority; a request declined, expired or withdrawn voids the hold.
 */
@Injectable()
export class DrawsService implements OnModuleInit {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(StrikeFundsRepository) private readonly repository: StrikeFundsRepository,
    @Inject(FundsService) private readonly funds: FundsService,
    @Inject(GovernanceService) private readonly governance: GovernanceService,
    @Inject(ApprovalsService) private readonly approvals: ApprovalsService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.governance.registerAction(PAY_DRAW, {
      check: (manager, { organizationId, params }) => this.checkDrawAction(manager, organizationId, params),
      apply: (manager, { request, params }) => this.payDraw(manager, request, params),
      closed: (manager, { request, status }) => this.closeDraw(manager, request, status),
      // Blind review: the committee sees neither who asked nor who is paid, in the queue or in governance.
      hidesParties: (request) => request.action.params['blind'] === true,
    });
  }

  async apply(principal: Principal, input: NewDraw): Promise<DrawRecord> {
    const { personId } = requirePerson(principal);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const fund = await this.funds.requireFundIn(manager, input.fundId, true);
      if (!isMember(principal, fund.organizationId)) {
        throw new DomainError(STRIKE_FUNDS_ERRORS.NOT_A_FUND_MEMBER, "Only the fund organisation's members apply", {
          fundId: fund.id,
        });
      }
      this.funds.requirePurpose(fund, ['STRIKE', 'MUTUAL_AID']);
      const existing = await this.repository.findDraw(manager, input.id);
      if (existing !== null) {
        if (existing.applicantId === personId && existing.fundId === fund.id && existing.amount === input.amount) {
          return existing;
        }
        throw new DomainError(STRIKE_FUNDS_ERRORS.FUND_RECORD_ID_TAKEN, `The id ${input.id} names another draw`, {
          id: input.id,
        });
      }
      if (input.amount <= 0n || input.amount > MAX_ENTRY_AMOUNT)
        refuse(STRIKE_FUNDS_ERRORS.INVALID_DRAW, 'a draw is more than zero');
      if (!Number.isInteger(input.dependants) || input.dependants < 0 || input.dependants > MAX_DEPENDANTS) {
        refuse(STRIKE_FUNDS_ERRORS.INVALID_DRAW, `dependants are 0 to ${MAX_DEPENDANTS}`);
      }
      if (input.statement.length > 4000)
        refuse(STRIKE_FUNDS_ERRORS.INVALID_DRAW, 'the statement has at most 4000 characters');
      let strikeCap: bigint | null = null;
      if (input.strikeId !== null) {
        const strike = await this.repository.findStrike(manager, input.strikeId);
        if (strike?.fundId !== fund.id) {
          throw new DomainError(STRIKE_FUNDS_ERRORS.STRIKE_NOT_FOUND, 'No strike of this fund has this id', {
            strikeId: input.strikeId,
          });
        }
        strikeCap = strike.drawCapPerStriker;
      }
      const account = await this.funds.requireAccountOf(manager, fund, input.accountId, null);
      if (account.id === fund.accountId || account.id === fund.outsideAccountId) {
        refuse(STRIKE_FUNDS_ERRORS.INVALID_DRAW, 'a draw is paid to an account outside the fund');
      }
      const now = this.clock.now();
      const year = yearOf(dateOf(now));
      const drawn = await this.repository.drawnBy(manager, {
        fundId: fund.id,
        applicantId: personId,
        strikeId: input.strikeId,
        yearFirst: year.first,
        yearLast: year.last,
      });
      const breach = checkDrawCaps({
        amount: input.amount,
        strikeCap,
        takenInStrike: drawn.inStrike,
        yearCap: fund.drawCapPerYear,
        takenInYear: drawn.inYear,
      });
      if (breach !== null) {
        const cap = breach === 'STRIKE_CAP' ? strikeCap : fund.drawCapPerYear;
        const taken = breach === 'STRIKE_CAP' ? drawn.inStrike : drawn.inYear;
        throw new DomainError(
          STRIKE_FUNDS_ERRORS.DRAW_CAP_EXCEEDED,
          `The draw would pass the ${breach === 'STRIKE_CAP' ? 'per-strike' : 'yearly'} cap of ${cap} (${taken} drawn or asked for)`,
          { cap: breach, limit: cap?.toString() ?? null, taken: taken.toString() },
        );
      }
      const requestId = stepId('strike-funds.draw-request', input.id);
      const draw: DrawRecord = {
        id: input.id,
        fundId: fund.id,
        strikeId: input.strikeId,
        applicantId: personId,
        accountId: account.id,
        amount: input.amount,
        category: input.category,
        dependants: input.dependants,
        evictionNotice: input.evictionNotice,
        shutOffNotice: input.shutOffNotice,
        statement: input.statement,
        priority: drawPriority(input),
        status: 'IN_REVIEW',
        approvalRequestId: requestId,
        paidAmount: null,
        paidAccountId: null,
        createdAt: now,
        decidedAt: null,
      };
      await this.repository.insertDraw(manager, draw);
      await this.funds.applyOne(manager, this.payer(fund), {
        type: 'TRANSFER',
        id: holdId(draw.id),
        unitCode: fund.unitCode,
        kind: 'HARDSHIP_DRAW',
        memo: `Hardship draw (${draw.category}) set aside for review`,
        metadata: [],
        effectiveAt: null,
        hold: { timeoutSeconds: null },
        authority: { kind: 'HARDSHIP_DRAW', id: draw.id },
        entries: [
          { accountId: fund.accountId, side: 'DEBIT', amount: draw.amount },
          { accountId: account.id, side: 'CREDIT', amount: draw.amount },
        ],
      });
      await this.governance.requestApproval(manager, principal, {
        id: requestId,
        organizationId: fund.organizationId,
        // Never the applicant's name: reviewers may review blind.
        title: `Hardship draw: ${draw.category}, ${draw.amount}`,
        action: {
          kind: PAY_DRAW,
          params: { drawId: draw.id, accountId: account.id, amount: draw.amount.toString(), blind: fund.blindReview },
        },
        approvers: { committee: fund.committee },
        required: fund.required,
        expiresAt: new Date(now.getTime() + fund.reviewDays * DAY_MS),
      });
      await this.audit.record(manager, {
        actor: principal,
        action: 'HARDSHIP_DRAW_REQUESTED',
        organizationId: fund.organizationId,
        subject: { type: 'HARDSHIP_DRAW', id: draw.id },
        after: { category: draw.category, amount: draw.amount.toString(), priority: draw.priority },
      });
      return draw;
    });
  }

  // The approval action

  private async checkDrawAction(
    manager: EntityManager,
    organizationId: string,
    params: Readonly<Record<string, unknown>>,
  ): Promise<{ params: Record<string, unknown>; payeeIds: string[] }> {
    const drawId = params['drawId'];
    const draw = typeof drawId === 'string' && isUuid(drawId) ? await this.repository.findDraw(manager, drawId) : null;
    if (draw === null) refuse(STRIKE_FUNDS_ERRORS.INVALID_DRAW, 'drawId names a hardship draw');
    const fund = await this.funds.requireFundIn(manager, draw.fundId);
    if (fund.organizationId !== organizationId)
      refuse(STRIKE_FUNDS_ERRORS.INVALID_DRAW, "the draw is the organisation's");
    const accountId = params['accountId'];
    if (typeof accountId !== 'string' || !isUuid(accountId))
      refuse(STRIKE_FUNDS_ERRORS.INVALID_DRAW, 'accountId is an account id');
    const account = await this.funds.requireAccountOf(manager, fund, accountId, null);
    if (account.id === fund.accountId || account.id === fund.outsideAccountId) {
      refuse(STRIKE_FUNDS_ERRORS.INVALID_DRAW, 'a draw is paid to an account outside the fund');
    }
    let amount: bigint;
    try {
      amount = parseMinorUnits(String(params['amount']));
    } catch {
      return refuse(STRIKE_FUNDS_ERRORS.INVALID_DRAW, 'amount is minor units as a decimal string');
    }
    // A change may lower the amount, never raise it past what was applied for (and checked against the caps).
    if (amount <= 0n || amount > draw.amount)
      refuse(STRIKE_FUNDS_ERRORS.INVALID_DRAW, 'the amount is at most what was applied for');
    return {
      params: { drawId: draw.id, accountId: account.id, amount: amount.toString(), blind: fund.blindReview },
      payeeIds: [...new Set([draw.applicantId, account.holderId])],
    };
  }

  private async payDraw(
    manager: EntityManager,
    request: ApprovalRequestRecord,
    params: Readonly<Record<string, unknown>>,
  ): Promise<Record<string, unknown>> {
    const draw = await this.repository.findDraw(manager, String(params['drawId']), true);
    if (draw?.status !== 'IN_REVIEW' || draw.approvalRequestId !== request.id) {
      refuse(STRIKE_FUNDS_ERRORS.INVALID_DRAW, 'the draw is in review under this request');
    }
    const fund = await this.funds.requireFundIn(manager, draw.fundId);
    const accountId = String(params['accountId']);
    const amount = BigInt(String(params['amount']));
    const transactionId = stepId('strike-funds.draw-pay', draw.id);
    const authority = { kind: 'APPROVAL_REQUEST', id: request.id };
    await this.funds.applyOne(manager, this.payer(fund), {
      type: 'VOID_HOLD',
      id: stepId('strike-funds.draw-release', draw.id),
      holdId: holdId(draw.id),
      memo: 'Set-aside released: the approved draw is paid',
      metadata: [],
      authority,
    });
    await this.funds.applyOne(manager, this.payer(fund), {
      type: 'TRANSFER',
      id: transactionId,
      unitCode: fund.unitCode,
      kind: 'HARDSHIP_DRAW',
      memo: `Hardship draw (${draw.category})`,
      metadata: [],
      effectiveAt: null,
      hold: null,
      authority,
      entries: [
        { accountId: fund.accountId, side: 'DEBIT', amount },
        { accountId, side: 'CREDIT', amount },
      ],
    });
    await this.repository.closeDraw(manager, draw.id, 'PAID', { amount, accountId }, this.clock.now());
    return { drawId: draw.id, transactionId, amount: amount.toString() };
  }

  private async closeDraw(
    manager: EntityManager,
    request: ApprovalRequestRecord,
    status: 'DECLINED' | 'EXPIRED' | 'WITHDRAWN',
  ): Promise<void> {
    const drawId = request.action.params['drawId'];
    if (typeof drawId !== 'string') return;
    const draw = await this.repository.findDraw(manager, drawId, true);
    if (draw?.status !== 'IN_REVIEW' || draw.approvalRequestId !== request.id) return;
    const fund = await this.funds.requireFundIn(manager, draw.fundId);
    await this.funds.applyOne(manager, this.payer(fund), {
      type: 'VOID_HOLD',
      id: stepId('strike-funds.draw-release', draw.id),
      holdId: holdId(draw.id),
      memo: `Hardship draw ${status.toLowerCase()}: money set aside released`,
      metadata: [],
      authority: { kind: 'APPROVAL_REQUEST', id: request.id },
    });
    await this.repository.closeDraw(manager, draw.id, drawStatusAfter(status), null, this.clock.now());
  }

  // Reads

  /** The review queue: by priority then age; without names when the fund reviews blind. */
  async queue(principal: Principal, fundId: string): Promise<DrawView[]> {
    const manager = this.dataSource.manager;
    const fund = await this.funds.requireFundIn(manager, fundId);
    if (!mayReview(principal, fund)) {
      throw new DomainError(
        STRIKE_FUNDS_ERRORS.NOT_A_REVIEWER,
        "Only the fund's committee, TREASURER or ADMIN review",
        {
          fundId,
        },
      );
    }
    const draws = await this.repository.listDraws(manager, { fundId, applicantId: null, status: 'IN_REVIEW' });
    const views: DrawView[] = [];
    for (const draw of [...draws].sort(compareQueued)) {
      const request = await this.governance.approvalRequest(manager, draw.approvalRequestId);
      views.push({ draw, applicantShown: !fund.blindReview, refusals: [], requestVersion: request?.version ?? null });
    }
    return views;
  }

  /** The caller's own draws, with the reasons given by those who refused. */
  async mine(principal: Principal, fundId: string): Promise<DrawView[]> {
    const { personId } = requirePerson(principal);
    const manager = this.dataSource.manager;
    const fund = await this.funds.requireFundIn(manager, fundId);
    const draws = await this.repository.listDraws(manager, { fundId: fund.id, applicantId: personId, status: null });
    const views: DrawView[] = [];
    for (const draw of draws) {
      const request = await this.governance.approvalRequest(manager, draw.approvalRequestId);
      const refusals =
        request === null
          ? []
          : (await this.approvals.standingOf(manager, request)).decisions
              .filter((decision) => decision.decision === 'REFUSE' && decision.reason.trim().length > 0)
              .map((decision) => decision.reason);
      views.push({ draw, applicantShown: true, refusals, requestVersion: request?.version ?? null });
    }
    return views;
  }

  private payer(fund: FundRecord) {
    return systemPrincipal('strike-funds.draws', { accounts: new Set([fund.accountId]) });
  }
}

function holdId(drawId: string): string {
  return stepId('strike-funds.draw-hold', drawId);
}
