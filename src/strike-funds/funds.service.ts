import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../kernel/audit/audit.service.js';
import { runInTransaction } from '../kernel/database/run-in-transaction.js';
import { DomainError, type ErrorReason } from '../kernel/errors/domain-error.js';
import { requirePerson } from '../kernel/graphql/request-principal.js';
import { stepId } from '../kernel/ids.js';
import { nameOf, type Principal } from '../kernel/principal.js';
import { CLOCK, type Clock } from '../kernel/scheduling/clock.js';
import { AccountsService } from '../ledger/accounts.service.js';
import { MAX_ENTRY_AMOUNT, type AccountRecord, type LedgerRequest } from '../ledger/ledger.records.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { isMember, mayManageFund } from './rules/fund-access.js';
import { periodNumber } from './rules/pledges.js';
import { countShown, suppressSmallGroups, type ShownGroup } from './rules/public-report.js';
import { STRIKE_FUNDS_ERRORS } from './strike-funds.errors.js';
import type {
  ContributionRecord,
  ContributionSource,
  ContributorVisibility,
  FundPurpose,
  FundRecord,
} from './strike-funds.records.js';
import { StrikeFundsRepository, type WeekFlow } from './strike-funds.repository.js';

export const MAX_COMMITTEE = 50;
const MAX_NAME = 200;
const REPORT_WEEKS = 26;

export interface NewFund {
  readonly id: string;
  readonly organizationId: string;
  readonly name: string;
  readonly purpose: FundPurpose;
  readonly unitCode: string;
  readonly committee: readonly string[];
  readonly required: number;
  readonly blindReview: boolean;
  readonly reviewDays: number;
  readonly drawCapPerYear: bigint;
  readonly membersSeeDetail: boolean;
  /** How far the outside account may go below zero: the most money from outside the fund may record. */
  readonly outsideLimit: bigint;
}

export interface NewContribution {
  readonly id: string;
  readonly fundId: string;
  readonly amount: bigint;
  readonly source: ContributionSource;
  readonly fromAccountId: string | null;
  readonly contributorName: string | null;
  readonly visibility: ContributorVisibility;
  readonly memo: string;
  /** Money received from outside that keeps a pledge of money from outside (its period: now). */
  readonly pledgeId: string | null;
}

/** A fund with its account's figures. */
export interface FundStanding {
  readonly fund: FundRecord;
  readonly account: AccountRecord;
}

/** The public report of a fund: no one named, no figure for fewer than five people. */
export interface FundReport {
  readonly fundId: string;
  readonly name: string;
  readonly purpose: FundPurpose;
  readonly unitCode: string;
  readonly balance: bigint;
  readonly weeks: readonly WeekFlow[];
  readonly contributors: number | null;
  readonly received: bigint;
  readonly pledgedPerPeriod: bigint;
  readonly receivedFromPledges: bigint;
  readonly strikes: readonly {
    strikeId: string;
    name: string;
    recipients: number | null;
    paid: bigint;
    weeks: number;
    /** Stipends paid per week, newest first; recipients null when fewer than five. */
    stipendWeeks: readonly { weekStart: string; recipients: number | null; paid: bigint }[];
  }[];
  readonly drawsByCategory: readonly ShownGroup[];
  /** Whether the reader sees the members' view (exact small groups), as the fund's setting allows. */
  readonly membersView: boolean;
}

/**
 * Funds and money in. A fund is opened with its two accounts in one database transaction (READ COMMITTED):
 * the fund itself (credit limit 0, so it never goes below zero) and its outside account, which mirrors money
 * received from outside the ledger. Contributions are ledger transfers into the fund named by the
 * contribution (`FUND_CONTRIBUTION` authority, id derived from the contribution's id): a retry replays.
 */
@Injectable()
export class FundsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(StrikeFundsRepository) private readonly repository: StrikeFundsRepository,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(OrganizationsService) private readonly organizations: OrganizationsService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async createFund(principal: Principal, input: NewFund): Promise<FundRecord> {
    const { personId } = requirePerson(principal);
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const organization = await this.organizations.requireOrganization(manager, input.organizationId);
      if (!mayManageFund(principal, organization.id)) {
        throw new DomainError(STRIKE_FUNDS_ERRORS.FUND_ROLE_REQUIRED, 'Only a TREASURER or ADMIN opens a fund', {
          organizationId: organization.id,
        });
      }
      const existing = await this.repository.findFund(manager, input.id);
      if (existing !== null) {
        if (existing.organizationId === input.organizationId && existing.name === input.name.trim()) return existing;
        throw new DomainError(STRIKE_FUNDS_ERRORS.FUND_RECORD_ID_TAKEN, `The id ${input.id} names another fund`, {
          id: input.id,
        });
      }
      const name = input.name.trim();
      if (name.length === 0 || name.length > MAX_NAME)
        refuse(STRIKE_FUNDS_ERRORS.INVALID_FUND, 'a fund has a name of 1 to 200 characters');
      const committee = [...new Set(input.committee)].sort();
      if (committee.length === 0 || committee.length > MAX_COMMITTEE) {
        refuse(STRIKE_FUNDS_ERRORS.INVALID_FUND, `a committee has 1 to ${MAX_COMMITTEE} people`);
      }
      if (input.required < 1 || input.required > committee.length) {
        refuse(STRIKE_FUNDS_ERRORS.INVALID_FUND, 'the approvals required are 1 to the size of the committee');
      }
      const members = new Set(
        (await this.organizations.activeMembers(manager, organization.id)).map((m) => m.personId),
      );
      if (committee.some((person) => !members.has(person))) {
        refuse(STRIKE_FUNDS_ERRORS.INVALID_FUND, "the committee's people are members of the organisation");
      }
      if (input.reviewDays < 1 || input.reviewDays > 90)
        refuse(STRIKE_FUNDS_ERRORS.INVALID_FUND, 'review takes 1 to 90 days');
      if (input.drawCapPerYear <= 0n || input.drawCapPerYear > MAX_ENTRY_AMOUNT) {
        refuse(STRIKE_FUNDS_ERRORS.INVALID_FUND, 'the yearly cap on draws is more than zero');
      }
      if (input.outsideLimit < 0n || input.outsideLimit > MAX_ENTRY_AMOUNT) {
        refuse(STRIKE_FUNDS_ERRORS.INVALID_FUND, 'the outside limit is zero or more');
      }
      const account = await this.accounts.openAccountIn(manager, principal, {
        id: stepId('strike-funds.fund-account', input.id),
        unitCode: input.unitCode,
        holderId: organization.id,
        name: `${name} (fund)`,
        kind: 'FUND',
        creditLimit: 0n,
        upperLimit: null,
      });
      const outside = await this.accounts.openAccountIn(manager, principal, {
        id: stepId('strike-funds.outside-account', input.id),
        unitCode: input.unitCode,
        holderId: organization.id,
        name: `${name} (received from outside)`,
        kind: 'EXTERNAL',
        creditLimit: input.outsideLimit,
        upperLimit: null,
      });
      await this.repository.insertFund(manager, {
        id: input.id,
        organizationId: organization.id,
        name,
        purpose: input.purpose,
        unitCode: input.unitCode,
        accountId: account.id,
        outsideAccountId: outside.id,
        committee,
        required: input.required,
        blindReview: input.blindReview,
        reviewDays: input.reviewDays,
        drawCapPerYear: input.drawCapPerYear,
        membersSeeDetail: input.membersSeeDetail,
        createdBy: personId,
      });
      const fund = await this.requireFundIn(manager, input.id);
      await this.audit.record(manager, {
        actor: principal,
        action: 'STRIKE_FUND_OPENED',
        organizationId: organization.id,
        subject: { type: 'STRIKE_FUND', id: fund.id },
        after: { name, purpose: fund.purpose, unitCode: fund.unitCode, committee, required: fund.required },
      });
      return fund;
    });
  }

  /**
   * Money into a fund: received from outside (recorded by a TREASURER or ADMIN, from the outside account) or
   * paid from a ledger account the caller may debit (a co-op's levy, a member's own account).
   */
  async recordContribution(principal: Principal, input: NewContribution): Promise<ContributionRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const fund = await this.requireFundIn(manager, input.fundId);
      if (input.source === 'OUTSIDE' && !mayManageFund(principal, fund.organizationId)) {
        throw new DomainError(
          STRIKE_FUNDS_ERRORS.FUND_ROLE_REQUIRED,
          "Only the fund's TREASURER or ADMIN records money received from outside",
          { fundId: fund.id },
        );
      }
      const existing = await this.repository.findContribution(manager, input.id);
      if (existing !== null) {
        if (existing.fundId === fund.id && existing.amount === input.amount && existing.source === input.source) {
          return existing;
        }
        throw new DomainError(
          STRIKE_FUNDS_ERRORS.FUND_RECORD_ID_TAKEN,
          `The id ${input.id} names another contribution`,
          {
            id: input.id,
          },
        );
      }
      const name = input.contributorName?.trim() ?? null;
      if (input.visibility === 'ANONYMOUS' && name !== null && name.length > 0) {
        refuse(STRIKE_FUNDS_ERRORS.INVALID_CONTRIBUTION, 'an anonymous contribution names no contributor');
      }
      if (name !== null && name.length > MAX_NAME)
        refuse(STRIKE_FUNDS_ERRORS.INVALID_CONTRIBUTION, 'a name has at most 200 characters');
      if (input.memo.length > 500)
        refuse(STRIKE_FUNDS_ERRORS.INVALID_CONTRIBUTION, 'a memo has at most 500 characters');
      if (input.amount <= 0n || input.amount > MAX_ENTRY_AMOUNT) {
        refuse(STRIKE_FUNDS_ERRORS.INVALID_CONTRIBUTION, 'a contribution is more than zero');
      }
      let from: AccountRecord;
      if (input.source === 'OUTSIDE') {
        if (input.fromAccountId !== null) {
          refuse(STRIKE_FUNDS_ERRORS.INVALID_CONTRIBUTION, 'money from outside comes from the fund’s outside account');
        }
        from = await this.accounts.requireAccount(manager, fund.outsideAccountId);
      } else {
        if (input.fromAccountId === null)
          refuse(STRIKE_FUNDS_ERRORS.INVALID_CONTRIBUTION, 'a ledger contribution names its account');
        from = await this.accounts.requireAccount(manager, input.fromAccountId);
        if (from.unitCode !== fund.unitCode) {
          throw new DomainError(STRIKE_FUNDS_ERRORS.UNIT_MISMATCH_FUND, `The fund keeps ${fund.unitCode}`, {
            accountId: from.id,
            unitCode: fund.unitCode,
          });
        }
        if (from.id === fund.accountId)
          refuse(STRIKE_FUNDS_ERRORS.INVALID_CONTRIBUTION, 'a fund does not contribute to itself');
      }
      let pledgePeriod: number | null = null;
      if (input.pledgeId !== null) {
        const pledge = await this.repository.findPledge(manager, input.pledgeId, true);
        if (pledge?.fundId !== fund.id) {
          throw new DomainError(STRIKE_FUNDS_ERRORS.PLEDGE_NOT_FOUND, 'No pledge of this fund has this id', {
            pledgeId: input.pledgeId,
          });
        }
        if (input.source !== 'OUTSIDE' || pledge.fromAccountId !== null || pledge.status !== 'ACTIVE') {
          refuse(
            STRIKE_FUNDS_ERRORS.INVALID_CONTRIBUTION,
            'money from outside keeps an active pledge of money from outside',
          );
        }
        pledgePeriod = periodNumber(pledge.period, this.clock.now());
        if (await this.repository.pledgePeriodReceived(manager, pledge.id, pledgePeriod)) {
          throw new DomainError(
            STRIKE_FUNDS_ERRORS.PLEDGE_PERIOD_RECEIVED,
            "This period's pledge is received already",
            {
              pledgeId: pledge.id,
            },
          );
        }
      }
      const transactionId = stepId('strike-funds.contribution', input.id);
      await this.applyOne(manager, principal, {
        type: 'TRANSFER',
        id: transactionId,
        unitCode: fund.unitCode,
        kind: 'CONTRIBUTION',
        memo: input.memo,
        metadata: [],
        effectiveAt: null,
        hold: null,
        authority: { kind: 'FUND_CONTRIBUTION', id: input.id },
        entries: [
          { accountId: from.id, side: 'DEBIT', amount: input.amount },
          { accountId: fund.accountId, side: 'CREDIT', amount: input.amount },
        ],
      });
      const contribution: ContributionRecord = {
        id: input.id,
        fundId: fund.id,
        source: input.source,
        fromAccountId: from.id,
        contributorId: input.source === 'LEDGER' ? from.holderId : null,
        contributorName: input.visibility === 'ANONYMOUS' ? null : name,
        visibility: input.visibility,
        amount: input.amount,
        memo: input.memo,
        pledgeId: input.pledgeId,
        pledgePeriod,
        transactionId,
        recordedBy: nameOf(principal),
        receivedAt: this.clock.now(),
      };
      await this.repository.insertContribution(manager, contribution);
      return contribution;
    });
  }

  // Reads

  async fund(principal: Principal, id: string): Promise<FundStanding> {
    const manager = this.dataSource.manager;
    const fund = await this.requireFundIn(manager, id);
    this.requireMember(principal, fund);
    const [account] = await this.accounts.accountsIn(manager, [fund.accountId]);
    if (account === undefined) throw new Error(`fund ${fund.id} has no account`);
    return { fund, account };
  }

  async funds(principal: Principal, organizationId: string): Promise<FundRecord[]> {
    if (!isMember(principal, organizationId)) {
      throw new DomainError(STRIKE_FUNDS_ERRORS.NOT_A_FUND_MEMBER, "Only the organisation's members see its funds", {
        organizationId,
      });
    }
    return this.repository.listFunds(this.dataSource.manager, organizationId);
  }

  async contributions(principal: Principal, fundId: string): Promise<ContributionRecord[]> {
    const manager = this.dataSource.manager;
    const fund = await this.requireFundIn(manager, fundId);
    if (!mayManageFund(principal, fund.organizationId)) {
      throw new DomainError(
        STRIKE_FUNDS_ERRORS.FUND_ROLE_REQUIRED,
        "Only the fund's TREASURER or ADMIN lists contributions",
        {
          fundId,
        },
      );
    }
    return this.repository.listContributions(manager, fund.id, 500);
  }

  /** The public report: anyone may read it; members see exact small groups where the fund allows it. */
  async report(principal: Principal | null, fundId: string): Promise<FundReport> {
    const manager = this.dataSource.manager;
    const fund = await this.requireFundIn(manager, fundId);
    const membersView = principal !== null && fund.membersSeeDetail && isMember(principal, fund.organizationId);
    const minimum = membersView ? 1 : undefined;
    const [account] = await this.accounts.accountsIn(manager, [fund.accountId]);
    if (account === undefined) throw new Error(`fund ${fund.id} has no account`);
    const totals = await this.repository.contributionTotals(manager, fund.id);
    const strikes = await this.repository.stipendTotals(manager, fund.id);
    const draws = await this.repository.drawTotals(manager, fund.id);
    return {
      fundId: fund.id,
      name: fund.name,
      purpose: fund.purpose,
      unitCode: fund.unitCode,
      balance: account.creditsPosted - account.debitsPosted,
      weeks: await this.repository.weeklyFlows(manager, fund.accountId, REPORT_WEEKS),
      contributors: countShown(totals.contributors, minimum),
      received: totals.received,
      pledgedPerPeriod: totals.pledgedActive,
      receivedFromPledges: totals.pledgeReceived,
      strikes: await Promise.all(
        strikes.map(async (strike) => ({
          ...strike,
          recipients: countShown(strike.recipients, minimum),
          stipendWeeks: (await this.repository.stipendWeeks(manager, strike.strikeId, REPORT_WEEKS)).map((week) => ({
            ...week,
            recipients: countShown(week.recipients, minimum),
          })),
        })),
      ),
      drawsByCategory: suppressSmallGroups(draws, minimum),
      membersView,
    };
  }

  // For the module's other services

  async requireFundIn(manager: EntityManager, id: string, lock = false): Promise<FundRecord> {
    const fund = await this.repository.findFund(manager, id, lock);
    if (fund === null) throw new DomainError(STRIKE_FUNDS_ERRORS.FUND_NOT_FOUND, `Fund ${id} does not exist`, { id });
    return fund;
  }

  requireMember(principal: Principal, fund: FundRecord): void {
    if (!isMember(principal, fund.organizationId)) {
      throw new DomainError(STRIKE_FUNDS_ERRORS.NOT_A_FUND_MEMBER, "Only the fund organisation's members see this", {
        fundId: fund.id,
      });
    }
  }

  requireManager(principal: Principal, fund: FundRecord): void {
    if (!mayManageFund(principal, fund.organizationId)) {
      throw new DomainError(STRIKE_FUNDS_ERRORS.FUND_ROLE_REQUIRED, "Only the fund's TREASURER or ADMIN does this", {
        fundId: fund.id,
      });
    }
  }

  requirePurpose(fund: FundRecord, purposes: readonly FundPurpose[]): void {
    if (!purposes.includes(fund.purpose)) {
      throw new DomainError(STRIKE_FUNDS_ERRORS.WRONG_FUND_PURPOSE, `Fund ${fund.id} is a ${fund.purpose} fund`, {
        fundId: fund.id,
        purpose: fund.purpose,
        expected: purposes,
      });
    }
  }

  /** What the fund may still pay: its balance less what holds set aside. */
  async available(manager: EntityManager, fund: FundRecord): Promise<bigint> {
    const [account] = await this.accounts.accountsIn(manager, [fund.accountId]);
    if (account === undefined) throw new Error(`fund ${fund.id} has no account`);
    return account.creditsPosted - account.debitsPosted - account.debitsPending;
  }

  /** An account of `holderId` in the fund's unit, or the reason it is not. */
  async requireAccountOf(
    manager: EntityManager,
    fund: FundRecord,
    accountId: string,
    holderId: string | null,
  ): Promise<AccountRecord> {
    const account = await this.accounts.requireAccount(manager, accountId);
    if (account.unitCode !== fund.unitCode) {
      throw new DomainError(STRIKE_FUNDS_ERRORS.UNIT_MISMATCH_FUND, `The fund keeps ${fund.unitCode}`, {
        accountId,
        unitCode: fund.unitCode,
      });
    }
    if (holderId !== null && account.holderId !== holderId) {
      throw new DomainError(STRIKE_FUNDS_ERRORS.NOT_YOUR_ACCOUNT, `Account ${accountId} is not held by ${holderId}`, {
        accountId,
      });
    }
    return account;
  }

  /** Applies one ledger request in the step's transaction; a refusal becomes the API error. */
  async applyOne(manager: EntityManager, principal: Principal, request: LedgerRequest): Promise<void> {
    const [result] = await this.ledger.applyInTransaction(manager, principal, [request]);
    if (result === undefined) throw new Error('the ledger answers every request');
    if (!result.ok) throw DomainError.fromRefusal(result.refusal);
  }
}

export function refuse(reason: ErrorReason, problem: string): never {
  throw new DomainError(reason, `Not well formed: ${problem}`, { problem });
}
