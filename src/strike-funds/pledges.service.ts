import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../kernel/audit/audit.service.js';
import { runInTransaction } from '../kernel/database/run-in-transaction.js';
import { DomainError } from '../kernel/errors/domain-error.js';
import { requirePerson } from '../kernel/graphql/request-principal.js';
import { stepId } from '../kernel/ids.js';
import { nameOf, systemPrincipal, type Principal } from '../kernel/principal.js';
import { CLOCK, type Clock } from '../kernel/scheduling/clock.js';
import { SchedulerService, type Occurrence } from '../kernel/scheduling/scheduler.service.js';
import { MAX_ENTRY_AMOUNT } from '../ledger/ledger.records.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { FundsService, refuse } from './funds.service.js';
import { mayManageFund } from './rules/fund-access.js';
import { PLEDGE_CRON, periodNumber, type PledgePeriod } from './rules/pledges.js';
import { STRIKE_FUNDS_ERRORS } from './strike-funds.errors.js';
import type { ContributionRecord, ContributorVisibility, FundRecord, PledgeRecord } from './strike-funds.records.js';
import { StrikeFundsRepository } from './strike-funds.repository.js';

export const COLLECT_PLEDGE = 'strike-funds.collect-pledge';

export interface NewPledge {
  readonly id: string;
  readonly fundId: string;
  readonly amount: bigint;
  readonly period: PledgePeriod;
  readonly fromAccountId: string | null;
  readonly contributorName: string | null;
  readonly visibility: ContributorVisibility;
}

/**
 * Pledges and their collection (rules/pledges.ts). A ledger pledge's first period is collected when it is
 * made, as its maker; later periods by the scheduler, acting as the system actor `strike-funds.pledges`
 * with a grant of exactly the pledging account, authorised by the pledge. A collection the ledger refuses
 * (the account cannot pay, is frozen or closed) marks the pledge FAILED with the reason and ends its
 * schedule: it is not retried forever.
 */
@Injectable()
export class PledgesService implements OnModuleInit {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(StrikeFundsRepository) private readonly repository: StrikeFundsRepository,
    @Inject(FundsService) private readonly funds: FundsService,
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(SchedulerService) private readonly scheduler: SchedulerService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.scheduler.register(COLLECT_PLEDGE, async (occurrence) => {
      await this.collectScheduled(occurrence);
    });
  }

  async pledge(principal: Principal, input: NewPledge): Promise<PledgeRecord> {
    const { personId } = requirePerson(principal);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const fund = await this.funds.requireFundIn(manager, input.fundId);
      const existing = await this.repository.findPledge(manager, input.id);
      if (existing !== null) {
        if (existing.fundId === fund.id && existing.createdBy === personId && existing.amount === input.amount) {
          return existing;
        }
        throw new DomainError(STRIKE_FUNDS_ERRORS.FUND_RECORD_ID_TAKEN, `The id ${input.id} names another pledge`, {
          id: input.id,
        });
      }
      if (input.amount <= 0n || input.amount > MAX_ENTRY_AMOUNT) {
        refuse(STRIKE_FUNDS_ERRORS.INVALID_CONTRIBUTION, 'a pledge is more than zero');
      }
      const name = input.contributorName?.trim() ?? null;
      if (input.visibility === 'ANONYMOUS' && name !== null && name.length > 0) {
        refuse(STRIKE_FUNDS_ERRORS.INVALID_CONTRIBUTION, 'an anonymous pledge names no contributor');
      }
      if (name !== null && name.length > 200)
        refuse(STRIKE_FUNDS_ERRORS.INVALID_CONTRIBUTION, 'a name has at most 200 characters');
      if (input.fromAccountId === null && !mayManageFund(principal, fund.organizationId)) {
        throw new DomainError(
          STRIKE_FUNDS_ERRORS.FUND_ROLE_REQUIRED,
          "A pledge of money from outside is recorded by the fund's TREASURER or ADMIN",
          { fundId: fund.id },
        );
      }
      if (input.fromAccountId !== null) {
        const from = await this.funds.requireAccountOf(manager, fund, input.fromAccountId, null);
        if (from.id === fund.accountId || from.id === fund.outsideAccountId) {
          refuse(STRIKE_FUNDS_ERRORS.INVALID_CONTRIBUTION, 'a fund does not pledge to itself');
        }
      }
      const pledge: PledgeRecord = {
        id: input.id,
        fundId: fund.id,
        contributorId: input.fromAccountId === null ? null : personId,
        contributorName: input.visibility === 'ANONYMOUS' ? null : name,
        visibility: input.visibility,
        fromAccountId: input.fromAccountId,
        amount: input.amount,
        period: input.period,
        status: 'ACTIVE',
        failure: null,
        createdBy: personId,
        createdAt: this.clock.now(),
      };
      await this.repository.insertPledge(manager, pledge);
      if (pledge.fromAccountId !== null) {
        // The first period now, as the person who pledged: the ledger checks they may pay from the account.
        await this.collectIn(manager, fund, pledge, this.clock.now(), principal, true);
        if (pledge.period === 'ONCE') {
          return this.repository.setPledgeStatus(manager, pledge.id, 'ENDED', null);
        }
        await this.scheduler.every(manager, {
          work: COLLECT_PLEDGE,
          key: pledge.id,
          cron: PLEDGE_CRON[pledge.period],
          catchUp: 'EACH',
        });
      }
      await this.audit.record(manager, {
        actor: principal,
        action: 'PLEDGE_MADE',
        organizationId: fund.organizationId,
        subject: { type: 'PLEDGE', id: pledge.id },
        after: { amount: pledge.amount.toString(), period: pledge.period, fromAccountId: pledge.fromAccountId },
      });
      return pledge;
    });
  }

  /** Ends a pledge: its maker, or the fund's TREASURER or ADMIN. */
  async end(principal: Principal, pledgeId: string): Promise<PledgeRecord> {
    const { personId } = requirePerson(principal);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const pledge = await this.requirePledge(manager, pledgeId, true);
      const fund = await this.funds.requireFundIn(manager, pledge.fundId);
      if (pledge.createdBy !== personId) this.funds.requireManager(principal, fund);
      if (pledge.status !== 'ACTIVE') return pledge;
      await this.scheduler.cancel(manager, COLLECT_PLEDGE, pledge.id);
      return this.repository.setPledgeStatus(manager, pledge.id, 'ENDED', null);
    });
  }

  /** A fund's pledges with what each brought in: everyone's for its TREASURER or ADMIN, your own otherwise. */
  async pledges(principal: Principal, fundId: string): Promise<{ pledge: PledgeRecord; received: bigint }[]> {
    const { personId } = requirePerson(principal);
    const manager = this.dataSource.manager;
    const fund = await this.funds.requireFundIn(manager, fundId);
    const all = mayManageFund(principal, fund.organizationId);
    return this.repository.listPledges(manager, fund.id, all ? null : personId);
  }

  private async collectScheduled(occurrence: Occurrence): Promise<void> {
    await runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const pledge = await this.repository.findPledge(manager, occurrence.key, true);
      if (pledge?.status !== 'ACTIVE' || pledge.fromAccountId === null) return;
      const fund = await this.funds.requireFundIn(manager, pledge.fundId);
      const collector = systemPrincipal('strike-funds.pledges', { accounts: new Set([pledge.fromAccountId]) });
      await this.collectIn(manager, fund, pledge, occurrence.runAt, collector, false);
    });
  }

  /**
   * Collects the period holding `at`, once. When the ledger refuses: at the pledge's making, the refusal is
   * the caller's error; later, the pledge is marked FAILED with the reason and its schedule ends.
   */
  private async collectIn(
    manager: EntityManager,
    fund: FundRecord,
    pledge: PledgeRecord,
    at: Date,
    payer: Principal,
    first: boolean,
  ): Promise<void> {
    const fromAccountId = pledge.fromAccountId;
    if (fromAccountId === null) return;
    const period = periodNumber(pledge.period, at);
    const contributionId = stepId('strike-funds.pledge-collection', pledge.id, String(period));
    if ((await this.repository.findContribution(manager, contributionId)) !== null) return;
    const transactionId = stepId('strike-funds.contribution', contributionId);
    const [result] = await this.ledger.applyInTransaction(manager, payer, [
      {
        type: 'TRANSFER',
        id: transactionId,
        unitCode: fund.unitCode,
        kind: 'CONTRIBUTION',
        memo: `Pledge (${pledge.period.toLowerCase()})`,
        metadata: [],
        effectiveAt: null,
        hold: null,
        authority: { kind: 'PLEDGE', id: pledge.id },
        entries: [
          { accountId: fromAccountId, side: 'DEBIT', amount: pledge.amount },
          { accountId: fund.accountId, side: 'CREDIT', amount: pledge.amount },
        ],
      },
    ]);
    if (result === undefined) throw new Error('the ledger answers every request');
    if (!result.ok) {
      if (first) throw DomainError.fromRefusal(result.refusal);
      await this.repository.setPledgeStatus(
        manager,
        pledge.id,
        'FAILED',
        `${result.refusal.reason}: ${result.refusal.message}`,
      );
      await this.scheduler.cancel(manager, COLLECT_PLEDGE, pledge.id);
      return;
    }
    const contribution: ContributionRecord = {
      id: contributionId,
      fundId: fund.id,
      source: 'LEDGER',
      fromAccountId,
      contributorId: pledge.contributorId,
      contributorName: pledge.contributorName,
      visibility: pledge.visibility,
      amount: pledge.amount,
      memo: `Pledge (${pledge.period.toLowerCase()})`,
      pledgeId: pledge.id,
      pledgePeriod: period,
      transactionId,
      recordedBy: nameOf(payer),
      receivedAt: this.clock.now(),
    };
    await this.repository.insertContribution(manager, contribution);
  }

  private async requirePledge(manager: EntityManager, id: string, lock: boolean): Promise<PledgeRecord> {
    const pledge = await this.repository.findPledge(manager, id, lock);
    if (pledge === null)
      throw new DomainError(STRIKE_FUNDS_ERRORS.PLEDGE_NOT_FOUND, `Pledge ${id} does not exist`, { id });
    return pledge;
  }
}
