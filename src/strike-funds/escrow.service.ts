import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../kernel/audit/audit.service.js';
import { runInTransaction } from '../kernel/database/run-in-transaction.js';
import { DomainError } from '../kernel/errors/domain-error.js';
import { requirePerson } from '../kernel/graphql/request-principal.js';
import { isUuid, stepId } from '../kernel/ids.js';
import { parseMinorUnits } from '../kernel/money/minor-units.js';
import { nameOf, systemPrincipal, type Principal } from '../kernel/principal.js';
import { CLOCK, type Clock } from '../kernel/scheduling/clock.js';
import type { AssemblyRecord, MotionRecord } from '../governance/governance.records.js';
import { GovernanceService } from '../governance/governance.service.js';
import { MAX_ENTRY_AMOUNT, type LedgerRequest } from '../ledger/ledger.records.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { FundsService, refuse } from './funds.service.js';
import { isFirstOfMonth } from './rules/calendar.js';
import { releaseShares, type ReleaseMode } from './rules/escrow.js';
import { mayManageFund } from './rules/fund-access.js';
import { STRIKE_FUNDS_ERRORS } from './strike-funds.errors.js';
import type { DepositRecord, DepositSource, FundRecord, ReleaseRecord, TenantHolding } from './strike-funds.records.js';
import { StrikeFundsRepository } from './strike-funds.repository.js';

export const RELEASE_ESCROW = 'strike-funds.release-escrow';
const PAYMENTS_PER_TRANSACTION = 63;

type Params = Readonly<Record<string, unknown>>;

export interface NewDeposit {
  readonly id: string;
  readonly fundId: string;
  readonly tenantId: string;
  readonly tenantAccountId: string;
  readonly month: string;
  readonly amount: bigint;
  readonly source: DepositSource;
}

/**
 * Rent-strike escrow. A deposit is a ledger transfer into the union's escrow fund, from the tenant's own
 * account or recorded by the treasurer as received from outside, one per tenant and month, and kept on the
 * tenant's sub-ledger (escrow_deposit). Only a passed motion of the union's assembly releases it
 * (`strike-funds.release-escrow`, registered with governance): to the landlord in one payment with the
 * per-tenant breakdown, or back to each tenant less what the motion withholds; with the motion as authority.
 */
@Injectable()
export class EscrowService implements OnModuleInit {
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
    this.governance.registerEffect(RELEASE_ESCROW, {
      check: (manager, { assembly, params }) => this.checkRelease(manager, assembly, params),
      apply: (manager, { motion, params }) => this.release(manager, motion, params),
    });
  }

  async deposit(principal: Principal, input: NewDeposit): Promise<DepositRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const fund = await this.funds.requireFundIn(manager, input.fundId);
      const manages = mayManageFund(principal, fund.organizationId);
      const isTenant = principal.kind === 'PERSON' && principal.personId === input.tenantId;
      if (!manages && !(isTenant && input.source === 'TENANT_ACCOUNT')) {
        throw new DomainError(
          STRIKE_FUNDS_ERRORS.FUND_ROLE_REQUIRED,
          'A tenant deposits from their own account; the TREASURER or ADMIN records money from outside',
          { fundId: fund.id },
        );
      }
      this.funds.requirePurpose(fund, ['RENT_ESCROW']);
      const existing = await this.repository.findDeposit(manager, input.id);
      if (existing !== null) {
        if (existing.fundId === fund.id && existing.tenantId === input.tenantId && existing.amount === input.amount) {
          return existing;
        }
        throw new DomainError(STRIKE_FUNDS_ERRORS.FUND_RECORD_ID_TAKEN, `The id ${input.id} names another deposit`, {
          id: input.id,
        });
      }
      if (!isFirstOfMonth(input.month))
        refuse(STRIKE_FUNDS_ERRORS.INVALID_DEPOSIT, 'month is its first day, YYYY-MM-01');
      if (input.amount <= 0n || input.amount > MAX_ENTRY_AMOUNT)
        refuse(STRIKE_FUNDS_ERRORS.INVALID_DEPOSIT, 'a deposit is more than zero');
      const members = await this.organizations.activeMembers(manager, fund.organizationId);
      if (!members.some((member) => member.personId === input.tenantId)) {
        refuse(STRIKE_FUNDS_ERRORS.INVALID_DEPOSIT, 'the tenant is a member of the union');
      }
      const tenantAccount = await this.funds.requireAccountOf(manager, fund, input.tenantAccountId, input.tenantId);
      const taken = await this.repository.findDepositFor(manager, fund.id, input.tenantId, input.month);
      if (taken !== null) {
        throw new DomainError(STRIKE_FUNDS_ERRORS.DEPOSIT_EXISTS, `The tenant has deposited for ${input.month}`, {
          depositId: taken.id,
        });
      }
      const from = input.source === 'OUTSIDE' ? fund.outsideAccountId : tenantAccount.id;
      const transactionId = stepId('strike-funds.escrow-deposit', input.id);
      await this.funds.applyOne(manager, principal, {
        type: 'TRANSFER',
        id: transactionId,
        unitCode: fund.unitCode,
        kind: 'ESCROW_DEPOSIT',
        memo: `Rent withheld for ${input.month.slice(0, 7)}, held in escrow`,
        metadata: [],
        effectiveAt: null,
        hold: null,
        authority: { kind: 'ESCROW_DEPOSIT', id: input.id },
        entries: [
          { accountId: from, side: 'DEBIT', amount: input.amount },
          { accountId: fund.accountId, side: 'CREDIT', amount: input.amount },
        ],
      });
      const deposit: DepositRecord = {
        id: input.id,
        fundId: fund.id,
        tenantId: input.tenantId,
        tenantAccountId: tenantAccount.id,
        month: input.month,
        amount: input.amount,
        source: input.source,
        transactionId,
        recordedBy: nameOf(principal),
        recordedAt: this.clock.now(),
      };
      const inserted = await this.repository.insertDeposit(manager, deposit);
      if (inserted === 'MONTH_TAKEN') {
        throw new DomainError(STRIKE_FUNDS_ERRORS.DEPOSIT_EXISTS, `The tenant has deposited for ${input.month}`, {});
      }
      return deposit;
    });
  }

  // The motion's effect

  private async checkRelease(
    manager: EntityManager,
    assembly: AssemblyRecord,
    params: Params,
  ): Promise<Record<string, unknown>> {
    const fundId = params['fundId'];
    if (typeof fundId !== 'string' || !isUuid(fundId))
      refuse(STRIKE_FUNDS_ERRORS.INVALID_DEPOSIT, 'fundId is a fund id');
    const fund = await this.funds.requireFundIn(manager, fundId);
    if (fund.organizationId !== assembly.organizationId) {
      refuse(STRIKE_FUNDS_ERRORS.INVALID_DEPOSIT, "the escrow fund is the deciding assembly's organisation's");
    }
    this.funds.requirePurpose(fund, ['RENT_ESCROW']);
    const mode = params['mode'];
    if (mode !== 'TO_LANDLORD' && mode !== 'TO_TENANTS')
      refuse(STRIKE_FUNDS_ERRORS.INVALID_DEPOSIT, 'mode is TO_LANDLORD or TO_TENANTS');
    let landlordAccountId: string | null = null;
    if (mode === 'TO_LANDLORD') {
      const landlord = params['landlordAccountId'];
      if (typeof landlord !== 'string' || !isUuid(landlord)) {
        refuse(STRIKE_FUNDS_ERRORS.INVALID_DEPOSIT, 'a release to the landlord names landlordAccountId');
      }
      const account = await this.funds.requireAccountOf(manager, fund, landlord, null);
      if (account.id === fund.accountId)
        refuse(STRIKE_FUNDS_ERRORS.INVALID_DEPOSIT, 'the landlord is paid outside the fund');
      landlordAccountId = account.id;
    }
    const withheldText = params['withheldPerTenant'] ?? '0';
    let withheld: bigint;
    try {
      if (typeof withheldText !== 'string') throw new TypeError('not a string');
      withheld = parseMinorUnits(withheldText);
    } catch {
      return refuse(STRIKE_FUNDS_ERRORS.INVALID_DEPOSIT, 'withheldPerTenant is minor units as a decimal string');
    }
    if (withheld < 0n || (mode === 'TO_LANDLORD' && withheld !== 0n)) {
      refuse(
        STRIKE_FUNDS_ERRORS.INVALID_DEPOSIT,
        'withheldPerTenant is zero or more, and only for a release to tenants',
      );
    }
    return { fundId: fund.id, mode, landlordAccountId, withheldPerTenant: withheld.toString() };
  }

  private async release(
    manager: EntityManager,
    motion: MotionRecord,
    params: Params,
  ): Promise<Record<string, unknown>> {
    const fund = await this.funds.requireFundIn(manager, String(params['fundId']), true);
    const already = await this.repository.findReleaseByMotion(manager, motion.id);
    if (already !== null) return { releaseId: already.id, total: already.total.toString() };
    const mode = params['mode'] as ReleaseMode;
    const withheld = BigInt(typeof params['withheldPerTenant'] === 'string' ? params['withheldPerTenant'] : '0');
    const holdings = await this.repository.holdings(manager, fund.id);
    const shares = releaseShares(
      holdings.map((holding) => ({
        tenantId: holding.tenantId,
        accountId: holding.accountId,
        held: holding.deposited - holding.released,
      })),
      mode,
      withheld,
    );
    if (shares.length === 0) {
      throw new DomainError(STRIKE_FUNDS_ERRORS.NOTHING_TO_RELEASE, 'The escrow holds nothing to release', {
        fundId: fund.id,
      });
    }
    const total = shares.reduce((sum, share) => sum + share.paid, 0n);
    const releaseId = stepId('strike-funds.escrow-release', motion.id);
    const payer = systemPrincipal('strike-funds.escrow', { accounts: new Set([fund.accountId]) });
    const requests: LedgerRequest[] = [];
    if (mode === 'TO_LANDLORD') {
      const landlordAccountId = String(params['landlordAccountId']);
      requests.push({
        type: 'TRANSFER',
        id: stepId('strike-funds.escrow-pay', releaseId, '0'),
        unitCode: fund.unitCode,
        kind: 'ESCROW_RELEASE',
        memo: `Rent escrow released to the landlord on settlement (${shares.length} tenants)`,
        metadata: [],
        effectiveAt: null,
        hold: null,
        entries: [
          { accountId: fund.accountId, side: 'DEBIT', amount: total },
          { accountId: landlordAccountId, side: 'CREDIT', amount: total },
        ],
      });
    } else {
      const paid = shares.filter((share) => share.paid > 0n);
      for (let start = 0, index = 0; start < paid.length; start += PAYMENTS_PER_TRANSACTION, index += 1) {
        const part = paid.slice(start, start + PAYMENTS_PER_TRANSACTION);
        requests.push({
          type: 'TRANSFER',
          id: stepId('strike-funds.escrow-pay', releaseId, String(index)),
          unitCode: fund.unitCode,
          kind: 'ESCROW_RELEASE',
          memo: 'Rent escrow returned to tenants',
          metadata: [],
          effectiveAt: null,
          hold: null,
          entries: [
            { accountId: fund.accountId, side: 'DEBIT', amount: part.reduce((sum, share) => sum + share.paid, 0n) },
            ...part.map((share) => ({ accountId: share.accountId, side: 'CREDIT' as const, amount: share.paid })),
          ],
        });
      }
    }
    if (requests.length > 0) await this.ledger.applyGroup(manager, payer, { kind: 'MOTION', id: motion.id }, requests);
    const release: ReleaseRecord = {
      id: releaseId,
      fundId: fund.id,
      motionId: motion.id,
      mode,
      landlordAccountId: mode === 'TO_LANDLORD' ? String(params['landlordAccountId']) : null,
      withheldPerTenant: withheld,
      total,
      releasedAt: this.clock.now(),
    };
    await this.repository.insertRelease(manager, release, shares);
    await this.audit.record(manager, {
      actor: payer,
      action: 'ESCROW_RELEASED',
      organizationId: fund.organizationId,
      subject: { type: 'STRIKE_FUND', id: fund.id },
      after: { motionId: motion.id, mode, total: total.toString(), tenants: shares.length },
    });
    return {
      releaseId,
      mode,
      total: total.toString(),
      shares: shares.map((share) => ({
        tenantId: share.tenantId,
        held: share.held.toString(),
        paid: share.paid.toString(),
      })),
    };
  }

  // Reads

  /** A tenant's own deposits, or (the union's TREASURER or ADMIN) everyone's. */
  async deposits(principal: Principal, fundId: string, tenantId: string | null): Promise<DepositRecord[]> {
    const { personId } = requirePerson(principal);
    const manager = this.dataSource.manager;
    const fund = await this.funds.requireFundIn(manager, fundId);
    this.funds.requireMember(principal, fund);
    const manages = mayManageFund(principal, fund.organizationId);
    if (tenantId === null) return this.repository.listDeposits(manager, fund.id, manages ? null : personId);
    if (tenantId !== personId) this.funds.requireManager(principal, fund);
    return this.repository.listDeposits(manager, fund.id, tenantId);
  }

  /** What the escrow holds per tenant (TREASURER or ADMIN) and in total (any member). */
  async holdings(principal: Principal, fundId: string): Promise<{ fund: FundRecord; holdings: TenantHolding[] }> {
    const manager = this.dataSource.manager;
    const fund = await this.funds.requireFundIn(manager, fundId);
    this.funds.requireMember(principal, fund);
    const holdings = await this.repository.holdings(manager, fund.id);
    if (mayManageFund(principal, fund.organizationId)) return { fund, holdings };
    const own =
      principal.kind === 'PERSON' ? holdings.filter((holding) => holding.tenantId === principal.personId) : [];
    return { fund, holdings: own };
  }

  async totalHeld(fundId: string): Promise<bigint> {
    const holdings = await this.repository.holdings(this.dataSource.manager, fundId);
    return holdings.reduce((sum, holding) => sum + holding.deposited - holding.released, 0n);
  }

  async releases(principal: Principal, fundId: string): Promise<ReleaseRecord[]> {
    const manager = this.dataSource.manager;
    const fund = await this.funds.requireFundIn(manager, fundId);
    this.funds.requireMember(principal, fund);
    return this.repository.listReleases(manager, fund.id);
  }

  async shares(releaseId: string) {
    return this.repository.listShares(this.dataSource.manager, releaseId);
  }
}
