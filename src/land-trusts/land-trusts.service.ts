import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { assert } from '../kernel/assert.js';
import { AuditService } from '../kernel/audit/audit.service.js';
import { runInTransaction, sqlState } from '../kernel/database/run-in-transaction.js';
import { DomainError } from '../kernel/errors/domain-error.js';
import { isUuid, stepId } from '../kernel/ids.js';
import { nameOf, systemPrincipal, type Principal } from '../kernel/principal.js';
import { CLOCK, type Clock } from '../kernel/scheduling/clock.js';
import { SchedulerService } from '../kernel/scheduling/scheduler.service.js';
import { AccountsService } from '../ledger/accounts.service.js';
import { MAX_ENTRY_AMOUNT, type Authority, type LedgerRequest } from '../ledger/ledger.records.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { LAND_TRUSTS_ERRORS } from './land-trusts.errors.js';
import type {
  ChargeLine,
  ChargeRecord,
  FeeVersionRecord,
  LandTrustRecord,
  LeaseRecord,
  LeaseStanding,
  ParcelRecord,
  PaymentRecord,
  ReliefRecord,
  ResaleFormula,
  StatementRecord,
} from './land-trusts.records.js';
import { LandTrustsRepository } from './land-trusts.repository.js';
import { allocatePayments } from './rules/allocate-payments.js';
import { ageArrears, bucketOf } from './rules/arrears-ageing.js';
import { dateOfInstant, isCalendarDate, maxDate, periodOf } from './rules/calendar.js';
import { chargeFor, dueCharges, type LeaseTerms } from './rules/charge-schedule.js';
import {
  isSteward,
  mayPayFromAccount,
  maySeeStatement,
  maySeeTrust,
  maySetUpTrust,
} from './rules/land-trust-access.js';
import {
  checkResale,
  formulaFrom,
  resalePrice,
  type ResaleComputation,
  type ResaleFormulaDraft,
} from './rules/resale-formula.js';
import { splitCharge } from './rules/split-charge.js';

/** The scheduled work that posts a trust's charges as they fall due (one recurring work per trust). */
export const POST_CHARGES = 'land-trusts.post-charges';
/** Daily at 00:15 UTC; after downtime only the latest occurrence runs, and it posts every missed period. */
export const POST_CHARGES_CRON = '15 0 * * *';
const CHARGES_ACTOR = 'land-trusts.charges';
const SETUP_ACTOR = 'land-trusts.setup';
const PAYMENTS_ACTOR = 'land-trusts.payments';
const RELIEF_ACTOR = 'land-trusts.relief';
/** How far below zero a lease's receivable and the trust's receipts account may go: what is owed or received. */
const RECEIVABLE_LIMIT = 100_000_000_000_000_000n;
/** Leases per database transaction when charges are posted, and periods per lease per pass. */
export const CHARGE_CHUNK = 200;
const PERIODS_PER_PASS = 60;
const MAX_PASSES = 40;
const MAX_TEXT = 2000;
export const MAX_PAGE = 200;

export interface NewLandTrust {
  readonly id: string;
  readonly organizationId: string;
  readonly name: string;
  readonly unitCode: string;
  readonly resaleFormula: ResaleFormulaDraft;
}

export interface NewParcel {
  readonly id: string;
  readonly trustId: string;
  readonly name: string;
  readonly description: string;
  readonly homeDescription: string | null;
  readonly purchasePriceMinor: bigint | null;
  readonly purchasedOn: string | null;
}

export interface NewLease {
  readonly id: string;
  readonly parcelId: string;
  readonly leaseholderId: string;
  readonly startsOn: string;
  readonly endsOn: string | null;
  readonly dueDay: number;
  readonly feeMinor: bigint;
  readonly reserveSharePoints: number;
}

export interface FeeChange {
  readonly leaseId: string;
  readonly effectiveOn: string;
  readonly feeMinor: bigint;
  readonly reserveSharePoints: number;
  readonly reason: string;
}

export interface NewPayment {
  readonly id: string;
  readonly leaseId: string;
  readonly amountMinor: bigint;
  readonly receivedOn: string | null;
  readonly memo: string;
  /** Null: received from outside the ledger (a steward records it). */
  readonly fromAccountId: string | null;
}

export type NewRelief =
  | {
      readonly id: string;
      readonly chargeId: string;
      readonly kind: 'WAIVE';
      readonly amountMinor: bigint | null;
      readonly reason: string;
    }
  | {
      readonly id: string;
      readonly chargeId: string;
      readonly kind: 'DEFER';
      readonly deferTo: string;
      readonly reason: string;
    };

export interface ArrearsReport {
  readonly asOf: string;
  readonly trust: LandTrustRecord;
  readonly totals: Omit<LeaseStanding, 'lease' | 'asOf' | 'daysLate'> & { readonly leasesInArrears: number };
  readonly leases: readonly LeaseStanding[];
  readonly hasNextPage: boolean;
}

/**
 * Community land trusts: parcels and homes, ground leases, their versioned fees, the charges the scheduler
 * posts once per lease and period, payments allocated to the oldest charges, hardship relief, arrears and
 * statements, and the resale formula. Every write is one database transaction (READ COMMITTED) with its
 * ledger transactions, whose ids are derived from what the step is, so a retry replays.
 */
@Injectable()
export class LandTrustsService implements OnModuleInit {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(LandTrustsRepository) private readonly repository: LandTrustsRepository,
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(OrganizationsService) private readonly organizations: OrganizationsService,
    @Inject(SchedulerService) private readonly scheduler: SchedulerService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.scheduler.register(POST_CHARGES, async (occurrence) => {
      await this.postChargesUpTo(occurrence.key, dateOfInstant(occurrence.runAt));
    });
  }

  today(): string {
    return dateOfInstant(this.clock.now());
  }

  // Trusts and parcels

  async createLandTrust(principal: Principal, input: NewLandTrust): Promise<LandTrustRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      await this.organizations.requireOrganization(manager, input.organizationId, true);
      if (!maySetUpTrust(principal, input.organizationId)) {
        throw new DomainError(
          LAND_TRUSTS_ERRORS.TRUST_ROLE_REQUIRED,
          'Only a TREASURER or ADMIN sets up a land trust',
          {
            organizationId: input.organizationId,
          },
        );
      }
      const existing = await this.repository.findTrust(manager, input.id);
      if (existing !== null) {
        if (existing.organizationId === input.organizationId && existing.unitCode === input.unitCode) return existing;
        throw new DomainError(LAND_TRUSTS_ERRORS.TRUST_EXISTS, `The id ${input.id} names another land trust`, {
          id: input.id,
        });
      }
      if ((await this.repository.findTrustOf(manager, input.organizationId)) !== null) {
        throw new DomainError(LAND_TRUSTS_ERRORS.TRUST_EXISTS, 'The organisation runs a land trust already', {
          organizationId: input.organizationId,
        });
      }
      const resaleFormula = requireFormula(input.resaleFormula);
      const name = requireText(input.name, 'name', 1, 200);
      const setup = systemPrincipal(SETUP_ACTOR, { organizations: new Set([input.organizationId]) });
      const open = (role: string, kind: 'FUND' | 'RESERVE' | 'EXTERNAL', creditLimit: bigint, label: string) =>
        this.accounts.openAccountIn(manager, setup, {
          id: stepId('land-trusts.account', input.id, role),
          unitCode: input.unitCode,
          holderId: input.organizationId,
          name: `${label} (${name})`.slice(0, 100),
          kind,
          creditLimit,
          upperLimit: null,
        });
      const income = await open('income', 'FUND', 0n, 'Ground-lease income');
      if (income.issuerId !== input.organizationId) {
        throw new DomainError(
          LAND_TRUSTS_ERRORS.UNIT_NOT_ISSUED_BY_TRUST,
          `Unit ${input.unitCode} is issued by another organisation`,
          {
            unitCode: input.unitCode,
          },
        );
      }
      const reserve = await open('reserve', 'RESERVE', 0n, 'Stewardship reserve');
      const receipts = await open('receipts', 'EXTERNAL', RECEIVABLE_LIMIT, 'Payments received');
      const trust = {
        id: input.id,
        organizationId: input.organizationId,
        name,
        unitCode: input.unitCode,
        incomeAccountId: income.id,
        reserveAccountId: reserve.id,
        receiptsAccountId: receipts.id,
        resaleFormula,
      };
      await this.repository.insertTrust(manager, trust);
      await this.scheduler.every(manager, {
        work: POST_CHARGES,
        key: trust.id,
        cron: POST_CHARGES_CRON,
        catchUp: 'LATEST',
      });
      await this.audit.record(manager, {
        actor: principal,
        action: 'LAND_TRUST_CREATED',
        organizationId: trust.organizationId,
        subject: { type: 'LAND_TRUST', id: trust.id },
        after: { name, unitCode: trust.unitCode, resaleFormula: trust.resaleFormula },
      });
      return this.requireTrust(manager, trust.id);
    });
  }

  async setResaleFormula(
    principal: Principal,
    input: { trustId: string; formula: ResaleFormulaDraft },
  ): Promise<LandTrustRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const trust = await this.requireTrust(manager, input.trustId, true);
      if (!maySetUpTrust(principal, trust.organizationId)) {
        throw new DomainError(
          LAND_TRUSTS_ERRORS.TRUST_ROLE_REQUIRED,
          'Only a TREASURER or ADMIN sets the resale formula',
          {
            trustId: trust.id,
          },
        );
      }
      const formula = requireFormula(input.formula);
      await this.repository.setResaleFormula(manager, trust.id, formula);
      await this.audit.record(manager, {
        actor: principal,
        action: 'RESALE_FORMULA_SET',
        organizationId: trust.organizationId,
        subject: { type: 'LAND_TRUST', id: trust.id },
        before: { resaleFormula: trust.resaleFormula },
        after: { resaleFormula: formula },
      });
      return this.requireTrust(manager, trust.id);
    });
  }

  async addParcel(principal: Principal, input: NewParcel): Promise<ParcelRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const trust = await this.requireTrust(manager, input.trustId);
      this.requireSteward(principal, trust);
      const existing = await this.repository.findParcel(manager, input.id);
      if (existing !== null) {
        if (existing.trustId === trust.id && existing.name === input.name.trim()) return existing;
        throw new DomainError(LAND_TRUSTS_ERRORS.ID_IN_USE, `The id ${input.id} names another parcel`, {
          id: input.id,
        });
      }
      const name = requireText(input.name, 'name', 1, 200);
      const description = requireText(input.description, 'description', 0, MAX_TEXT);
      const homeDescription =
        input.homeDescription === null ? null : requireText(input.homeDescription, 'homeDescription', 0, MAX_TEXT);
      if ((input.purchasePriceMinor === null) !== (input.purchasedOn === null)) {
        refuse('a home has both a purchase price and a purchase date, or neither');
      }
      if (
        input.purchasePriceMinor !== null &&
        (input.purchasePriceMinor < 0n || input.purchasePriceMinor > MAX_ENTRY_AMOUNT)
      ) {
        refuse(`a purchase price is 0 to ${MAX_ENTRY_AMOUNT} minor units`);
      }
      if (input.purchasedOn !== null) requireDate(input.purchasedOn, 'purchasedOn');
      if (await this.repository.parcelNameTaken(manager, trust.id, name, input.id)) {
        refuse('a parcel of this trust has this name already');
      }
      await this.repository.insertParcel(manager, { ...input, name, description, homeDescription });
      await this.audit.record(manager, {
        actor: principal,
        action: 'PARCEL_ADDED',
        organizationId: trust.organizationId,
        subject: { type: 'LAND_PARCEL', id: input.id },
        after: { name, description, homeDescription, purchasePrice: input.purchasePriceMinor?.toString() ?? null },
      });
      return this.requireParcel(manager, input.id);
    });
  }

  // Leases

  async signLease(principal: Principal, input: NewLease): Promise<LeaseRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const parcel = await this.requireParcel(manager, input.parcelId, true);
      const trust = await this.requireTrust(manager, parcel.trustId);
      this.requireSteward(principal, trust);
      const existing = await this.repository.findLease(manager, input.id);
      if (existing !== null) {
        const [fee] = await this.repository.listFees(manager, [existing.id]);
        const same =
          existing.parcelId === input.parcelId &&
          existing.leaseholderId === input.leaseholderId.toLowerCase() &&
          existing.startsOn === input.startsOn &&
          existing.endsOn === input.endsOn &&
          existing.dueDay === input.dueDay &&
          fee?.feeMinor === input.feeMinor &&
          fee.reserveSharePoints === input.reserveSharePoints;
        if (same) return existing;
        throw new DomainError(LAND_TRUSTS_ERRORS.ID_IN_USE, `The id ${input.id} names another lease`, { id: input.id });
      }
      requireDate(input.startsOn, 'startsOn');
      if (input.endsOn !== null) {
        requireDate(input.endsOn, 'endsOn');
        if (input.endsOn < input.startsOn) refuse('a lease ends on or after the day it starts');
      }
      if (!Number.isInteger(input.dueDay) || input.dueDay < 1 || input.dueDay > 28) refuse('the due day is 1 to 28');
      requireFee(input.feeMinor, input.reserveSharePoints);
      const leaseholderId = input.leaseholderId.toLowerCase();
      if (!(await this.repository.partyExists(manager, leaseholderId))) {
        throw new DomainError(
          LAND_TRUSTS_ERRORS.LEASEHOLDER_NOT_FOUND,
          `No person or organisation has the id ${leaseholderId}`,
          {
            leaseholderId,
          },
        );
      }
      const overlapping = await this.repository.overlappingLeases(manager, parcel.id, input.startsOn, input.endsOn);
      if (overlapping.length > 0) {
        throw new DomainError(
          LAND_TRUSTS_ERRORS.LEASES_OVERLAP,
          'Another lease of the parcel runs during these dates',
          {
            parcelId: parcel.id,
            leaseIds: overlapping,
          },
        );
      }
      const account = await this.accounts.openAccountIn(
        manager,
        systemPrincipal(SETUP_ACTOR, { organizations: new Set([trust.organizationId]) }),
        {
          id: stepId('land-trusts.lease-account', input.id),
          unitCode: trust.unitCode,
          holderId: trust.organizationId,
          name: `Ground lease ${parcel.name}`.slice(0, 100),
          kind: 'CLEARING',
          creditLimit: RECEIVABLE_LIMIT,
          upperLimit: null,
        },
      );
      await this.translateOverlap(() =>
        this.repository.insertLease(manager, {
          id: input.id,
          trustId: trust.id,
          parcelId: parcel.id,
          leaseholderId,
          accountId: account.id,
          startsOn: input.startsOn,
          endsOn: input.endsOn,
          dueDay: input.dueDay,
          createdBy: nameOf(principal),
        }),
      );
      await this.repository.insertFee(manager, {
        leaseId: input.id,
        effectiveOn: input.startsOn,
        feeMinor: input.feeMinor,
        reserveSharePoints: input.reserveSharePoints,
        motionId: null,
        reason: 'Fee at signing',
        recordedBy: nameOf(principal),
      });
      await this.audit.record(manager, {
        actor: principal,
        action: 'LEASE_SIGNED',
        organizationId: trust.organizationId,
        relatedPartyId: leaseholderId,
        subject: { type: 'GROUND_LEASE', id: input.id },
        after: {
          parcelId: parcel.id,
          startsOn: input.startsOn,
          endsOn: input.endsOn,
          dueDay: input.dueDay,
          fee: input.feeMinor.toString(),
          reserveSharePoints: input.reserveSharePoints,
        },
      });
      return this.requireLease(manager, input.id);
    });
  }

  async changeFee(principal: Principal, input: FeeChange): Promise<FeeVersionRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const lease = await this.requireLease(manager, input.leaseId, true);
      this.requireSteward(principal, await this.requireTrust(manager, lease.trustId));
      return this.changeFeeIn(manager, principal, lease, input, null);
    });
  }

  /** A fee version, from a steward or a motion (then `motionId`); the lease is locked by the caller. */
  private async changeFeeIn(
    manager: EntityManager,
    actor: Principal,
    lease: LeaseRecord,
    input: FeeChange,
    motionId: string | null,
  ): Promise<FeeVersionRecord> {
    requireDate(input.effectiveOn, 'effectiveOn');
    requireFee(input.feeMinor, input.reserveSharePoints);
    const reason = requireText(input.reason, 'reason', 0, MAX_TEXT);
    const fees = await this.repository.listFees(manager, [lease.id]);
    const same = fees.find((fee) => fee.effectiveOn === input.effectiveOn);
    if (same !== undefined) {
      if (
        same.feeMinor === input.feeMinor &&
        same.reserveSharePoints === input.reserveSharePoints &&
        same.motionId === motionId
      ) {
        return same;
      }
      refuse(`a fee version takes effect on ${input.effectiveOn} already`);
    }
    const lastDay = lastDayOf(lease);
    if (lastDay !== null && lastDay < this.today()) this.leaseEnded(lease);
    if (input.effectiveOn <= lease.startsOn) refuse('a new fee takes effect after the lease starts');
    if (lastDay !== null && input.effectiveOn > lastDay) refuse('a new fee takes effect before the lease ends');
    const lastPeriod = (await this.repository.listCharges(manager, [lease.id])).at(-1)?.period ?? null;
    if (lastPeriod !== null && periodOf(input.effectiveOn) <= lastPeriod) {
      throw new DomainError(LAND_TRUSTS_ERRORS.PERIOD_ALREADY_CHARGED, `Period ${lastPeriod} is charged already`, {
        leaseId: lease.id,
        lastChargedPeriod: lastPeriod,
      });
    }
    const version = {
      leaseId: lease.id,
      effectiveOn: input.effectiveOn,
      feeMinor: input.feeMinor,
      reserveSharePoints: input.reserveSharePoints,
      motionId,
      reason,
      recordedBy: nameOf(actor),
    };
    await this.repository.insertFee(manager, version);
    await this.audit.record(manager, {
      actor,
      action: 'LEASE_FEE_CHANGED',
      organizationId: lease.organizationId,
      relatedPartyId: lease.leaseholderId,
      subject: { type: 'GROUND_LEASE', id: lease.id },
      after: {
        effectiveOn: version.effectiveOn,
        fee: version.feeMinor.toString(),
        reserveSharePoints: version.reserveSharePoints,
        motionId,
        reason,
      },
    });
    const stored = (await this.repository.listFees(manager, [lease.id])).find(
      (fee) => fee.effectiveOn === input.effectiveOn,
    );
    assert(stored !== undefined, 'the fee version was stored');
    return stored;
  }

  /**
   * Ends a lease early: its last day is `lastDay` (the day before it starts, for a lease that never began).
   * Charges already posted for days after it are credited back, as waivers with the termination's reason.
   */
  async terminateLease(
    principal: Principal,
    input: { leaseId: string; lastDay: string; reason: string },
  ): Promise<LeaseRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const lease = await this.requireLease(manager, input.leaseId, true);
      const trust = await this.requireTrust(manager, lease.trustId);
      this.requireSteward(principal, trust);
      requireDate(input.lastDay, 'lastDay');
      const reason = requireText(input.reason, 'reason', 1, MAX_TEXT);
      if (lease.terminatedOn !== null) {
        if (lease.terminatedOn === input.lastDay && lease.terminationReason === reason) return lease;
        this.leaseEnded(lease);
      }
      if (lease.endsOn !== null && lease.endsOn < this.today()) this.leaseEnded(lease);
      if (input.lastDay < addDay(lease.startsOn, -1)) refuse('a lease ends at the earliest the day before it starts');
      if (lease.endsOn !== null && input.lastDay >= lease.endsOn)
        refuse('a termination ends the lease before its end date');
      await this.repository.terminateLease(manager, {
        leaseId: lease.id,
        terminatedOn: input.lastDay,
        reason,
        terminatedBy: nameOf(principal),
      });
      const terminated = await this.requireLease(manager, lease.id);
      // Days charged after the last day are credited back.
      const fees = await this.repository.listFees(manager, [lease.id]);
      const terms = termsOf(terminated, fees);
      const reliefs = await this.repository.listReliefs(manager, [lease.id]);
      for (const charge of await this.repository.listCharges(manager, [lease.id])) {
        const now = input.lastDay < terminated.startsOn ? null : chargeFor(terms, charge.period);
        const owed = now === null || charge.period > periodOf(input.lastDay) ? 0n : now.amountMinor;
        const waived = reliefs
          .filter((relief) => relief.chargeId === charge.id && relief.kind === 'WAIVE')
          .reduce((sum, relief) => sum + (relief.amountMinor ?? 0n), 0n);
        const credit = charge.amountMinor - waived - owed;
        if (credit > 0n) {
          await this.waiveIn(manager, principal, trust, terminated, charge, {
            id: stepId('land-trusts.termination-credit', lease.id, charge.period),
            amountMinor: credit,
            reason: `Lease terminated (last day ${input.lastDay}): ${reason}`.slice(0, MAX_TEXT),
            motionId: null,
          });
        }
      }
      await this.audit.record(manager, {
        actor: principal,
        action: 'LEASE_TERMINATED',
        organizationId: trust.organizationId,
        relatedPartyId: lease.leaseholderId,
        subject: { type: 'GROUND_LEASE', id: lease.id },
        after: { lastDay: input.lastDay, reason },
      });
      return terminated;
    });
  }

  // Charges

  /** What a steward runs to post the charges due today at once (the scheduler does it daily). */
  async postDueCharges(principal: Principal, trustId: string): Promise<number> {
    const trust = await this.requireTrust(this.dataSource.manager, trustId);
    this.requireSteward(principal, trust);
    return this.postChargesUpTo(trust.id, this.today());
  }

  /**
   * Posts every charge of the trust's leases due on or before `upTo` that is not posted yet, each with its
   * own due date; returns how many it posted. Leases go in chunks, each chunk one database transaction
   * (its charge rows and their ledger transactions together). Safe to run twice, in two processes, or again
   * after a crash: a charge's id and its transaction's id come from the lease and the period, and a charge
   * another run inserted first is skipped (its insert waits for that run to commit, then does nothing).
   */
  async postChargesUpTo(trustId: string, upTo: string): Promise<number> {
    let posted = 0;
    for (let pass = 0; pass < MAX_PASSES; pass += 1) {
      let postedInPass = 0;
      let afterId: string | null = null;
      for (;;) {
        const chunk: { posted: number; lastId: string | null } = await runInTransaction(
          this.dataSource,
          'READ COMMITTED',
          (manager) => this.postChunk(manager, trustId, upTo, afterId),
        );
        postedInPass += chunk.posted;
        if (chunk.lastId === null) break;
        afterId = chunk.lastId;
      }
      posted += postedInPass;
      if (postedInPass === 0) return posted;
    }
    return posted;
  }

  private async postChunk(
    manager: EntityManager,
    trustId: string,
    upTo: string,
    afterId: string | null,
  ): Promise<{ posted: number; lastId: string | null }> {
    const trust = await this.requireTrust(manager, trustId);
    const leases = await this.repository.leasesToCharge(manager, { trustId, upTo, afterId, limit: CHARGE_CHUNK });
    if (leases.length === 0) return { posted: 0, lastId: null };
    const fees = groupBy(
      await this.repository.listFees(
        manager,
        leases.map((row) => row.lease.id),
      ),
      (fee) => fee.leaseId,
    );
    const actor = systemPrincipal(CHARGES_ACTOR, {
      organizations: new Set([trust.organizationId]),
      accounts: new Set(leases.map((row) => row.lease.accountId)),
    });
    const drafts: Omit<ChargeRecord, 'postedAt'>[] = [];
    const accountOf = new Map<string, string>();
    for (const { lease, lastPeriod } of leases) {
      const lastDay = lastDayOf(lease);
      if (lastDay !== null && lastDay < lease.startsOn) continue;
      const terms = termsOf(lease, fees.get(lease.id) ?? []);
      for (const due of dueCharges(terms, { upTo, after: lastPeriod, limit: PERIODS_PER_PASS })) {
        const split = splitCharge(due.amountMinor, due.reserveSharePoints);
        const id = stepId('land-trusts.charge', lease.id, due.period);
        accountOf.set(id, lease.accountId);
        drafts.push({
          id,
          leaseId: lease.id,
          period: due.period,
          dueOn: due.dueOn,
          amountMinor: due.amountMinor,
          incomeMinor: split.incomeMinor,
          reserveMinor: split.reserveMinor,
          reserveSharePoints: due.reserveSharePoints,
          daysCharged: due.daysCharged,
          daysInPeriod: due.daysInPeriod,
          transactionId: due.amountMinor === 0n ? null : stepId('land-trusts.charge-posting', lease.id, due.period),
          postedBy: nameOf(actor),
        });
      }
    }
    const inserted = await this.repository.insertCharges(manager, drafts);
    const requests: LedgerRequest[] = [];
    for (const charge of drafts) {
      if (!inserted.has(charge.id) || charge.transactionId === null) continue;
      requests.push({
        type: 'TRANSFER',
        id: charge.transactionId,
        unitCode: trust.unitCode,
        kind: 'GROUND_LEASE_CHARGE',
        memo: `Ground-lease charge ${charge.period}`,
        metadata: [
          { key: 'leaseId', value: charge.leaseId },
          { key: 'period', value: charge.period },
        ],
        effectiveAt: new Date(`${charge.dueOn}T00:00:00.000Z`),
        hold: null,
        authority: { kind: 'GROUND_LEASE_CHARGE', id: charge.id },
        entries: [
          { accountId: accountOf.get(charge.id) ?? '', side: 'DEBIT', amount: charge.amountMinor },
          ...(charge.incomeMinor > 0n
            ? [{ accountId: trust.incomeAccountId, side: 'CREDIT' as const, amount: charge.incomeMinor }]
            : []),
          ...(charge.reserveMinor > 0n
            ? [{ accountId: trust.reserveAccountId, side: 'CREDIT' as const, amount: charge.reserveMinor }]
            : []),
        ],
      });
    }
    for (let start = 0; start < requests.length; start += 500) {
      const results = await this.ledger.applyInTransaction(manager, actor, requests.slice(start, start + 500));
      for (const result of results) {
        if (!result.ok) throw DomainError.fromRefusal(result.refusal, { trustId });
      }
    }
    return { posted: inserted.size, lastId: leases.at(-1)?.lease.id ?? null };
  }

  // Payments and relief

  async recordPayment(principal: Principal, input: NewPayment): Promise<PaymentRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const lease = await this.requireLease(manager, input.leaseId);
      const trust = await this.requireTrust(manager, lease.trustId);
      if (input.fromAccountId === null) this.requireSteward(principal, trust);
      else if (!mayPayFromAccount(principal, lease)) {
        throw new DomainError(LAND_TRUSTS_ERRORS.MAY_NOT_PAY, 'Only the leaseholder pays toward this lease', {
          leaseId: lease.id,
        });
      }
      const receivedOn = input.receivedOn ?? this.today();
      const existing = await this.repository.findPayment(manager, input.id);
      if (existing !== null) {
        const same =
          existing.leaseId === lease.id &&
          existing.amountMinor === input.amountMinor &&
          existing.fromAccountId === (input.fromAccountId?.toLowerCase() ?? null) &&
          existing.receivedOn === receivedOn;
        if (same) return existing;
        throw new DomainError(LAND_TRUSTS_ERRORS.ID_IN_USE, `The id ${input.id} names another payment`, {
          id: input.id,
        });
      }
      if (input.amountMinor <= 0n || input.amountMinor > MAX_ENTRY_AMOUNT) {
        refuse(`a payment is 1 to ${MAX_ENTRY_AMOUNT} minor units`);
      }
      requireDate(receivedOn, 'receivedOn');
      if (receivedOn > this.today()) refuse('a payment is received today or earlier');
      const memo = requireText(input.memo, 'memo', 0, 500);
      let payer: Principal;
      let fromAccountId: string;
      if (input.fromAccountId === null) {
        payer = systemPrincipal(PAYMENTS_ACTOR, { accounts: new Set([trust.receiptsAccountId]) });
        fromAccountId = trust.receiptsAccountId;
      } else {
        const [account] = await this.accounts.accountsIn(manager, [input.fromAccountId.toLowerCase()]);
        if (account !== undefined && account.unitCode !== trust.unitCode) {
          throw new DomainError(LAND_TRUSTS_ERRORS.WRONG_UNIT, `Payments to this lease are in ${trust.unitCode}`, {
            unitCode: trust.unitCode,
          });
        }
        const trustAccounts = [lease.accountId, trust.incomeAccountId, trust.reserveAccountId, trust.receiptsAccountId];
        if (account !== undefined && trustAccounts.includes(account.id)) {
          refuse("a payment comes from an account outside the trust's own books (a waiver forgives a charge)");
        }
        payer = principal;
        fromAccountId = input.fromAccountId.toLowerCase();
      }
      const transactionId = stepId('land-trusts.payment', input.id);
      const [result] = await this.ledger.applyInTransaction(manager, payer, [
        {
          type: 'TRANSFER',
          id: transactionId,
          unitCode: trust.unitCode,
          kind: 'GROUND_LEASE_PAYMENT',
          memo: memo === '' ? 'Ground-lease payment' : memo,
          metadata: [{ key: 'leaseId', value: lease.id }],
          effectiveAt: null,
          hold: null,
          authority: { kind: 'GROUND_LEASE_PAYMENT', id: input.id },
          entries: [
            { accountId: fromAccountId, side: 'DEBIT', amount: input.amountMinor },
            { accountId: lease.accountId, side: 'CREDIT', amount: input.amountMinor },
          ],
        },
      ]);
      assert(result !== undefined, 'the ledger answers every request');
      if (!result.ok) throw DomainError.fromRefusal(result.refusal, { leaseId: lease.id });
      await this.repository.insertPayment(manager, {
        id: input.id,
        leaseId: lease.id,
        amountMinor: input.amountMinor,
        source: input.fromAccountId === null ? 'RECEIVED' : 'ACCOUNT',
        fromAccountId: input.fromAccountId === null ? null : fromAccountId,
        receivedOn,
        memo,
        transactionId,
        recordedBy: nameOf(principal),
      });
      await this.audit.record(manager, {
        actor: principal,
        action: 'LEASE_PAYMENT_RECORDED',
        organizationId: trust.organizationId,
        relatedPartyId: lease.leaseholderId,
        subject: { type: 'GROUND_LEASE', id: lease.id },
        after: {
          paymentId: input.id,
          amount: input.amountMinor.toString(),
          receivedOn,
          fromAccountId: input.fromAccountId,
        },
      });
      const stored = await this.repository.findPayment(manager, input.id);
      assert(stored !== null, 'the payment was stored');
      return stored;
    });
  }

  async relieveCharge(principal: Principal, input: NewRelief): Promise<ReliefRecord> {
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const charge = await this.requireCharge(manager, input.chargeId, true);
      const lease = await this.requireLease(manager, charge.leaseId);
      const trust = await this.requireTrust(manager, lease.trustId);
      this.requireSteward(principal, trust);
      return this.relieveIn(manager, principal, { trust, lease, charge }, input, null);
    });
  }

  private async relieveIn(
    manager: EntityManager,
    actor: Principal,
    target: { trust: LandTrustRecord; lease: LeaseRecord; charge: ChargeRecord },
    input: NewRelief,
    motionId: string | null,
  ): Promise<ReliefRecord> {
    const existing = await this.repository.findRelief(manager, input.id);
    if (existing !== null) {
      const same =
        existing.chargeId === target.charge.id &&
        existing.kind === input.kind &&
        (input.kind === 'DEFER'
          ? existing.deferredTo === input.deferTo
          : input.amountMinor === null || existing.amountMinor === input.amountMinor);
      if (same) return existing;
      throw new DomainError(LAND_TRUSTS_ERRORS.ID_IN_USE, `The id ${input.id} names another relief`, { id: input.id });
    }
    const reason = requireText(input.reason, 'reason', 1, MAX_TEXT);
    const reliefs = (await this.repository.listReliefs(manager, [target.lease.id])).filter(
      (relief) => relief.chargeId === target.charge.id,
    );
    if (input.kind === 'DEFER') {
      requireDate(input.deferTo, 'deferTo');
      const dueNow = reliefs.reduce(
        (due, relief) => (relief.deferredTo === null ? due : maxDate(due, relief.deferredTo)),
        target.charge.dueOn,
      );
      if (input.deferTo <= dueNow) {
        throw new DomainError(LAND_TRUSTS_ERRORS.DEFERRAL_NOT_LATER, `The charge is due on ${dueNow}`, {
          chargeId: target.charge.id,
          dueOn: dueNow,
        });
      }
      await this.repository.insertRelief(manager, {
        id: input.id,
        chargeId: target.charge.id,
        kind: 'DEFER',
        amountMinor: null,
        deferredTo: input.deferTo,
        reason,
        motionId,
        transactionId: null,
        recordedBy: nameOf(actor),
      });
      await this.audit.record(manager, {
        actor,
        action: 'LEASE_CHARGE_DEFERRED',
        organizationId: target.trust.organizationId,
        relatedPartyId: target.lease.leaseholderId,
        subject: { type: 'GROUND_LEASE_CHARGE', id: target.charge.id },
        after: { reliefId: input.id, deferredTo: input.deferTo, reason, motionId },
      });
    } else {
      const waived = reliefs.reduce((sum, relief) => sum + (relief.amountMinor ?? 0n), 0n);
      const left = target.charge.amountMinor - waived;
      let amount = input.amountMinor;
      if (amount === null) {
        // All of what is still owed on it (after payments, oldest first).
        const standing = await this.standingOf(manager, target.lease, this.today());
        amount = standing.charges.find((line) => line.charge.id === target.charge.id)?.outstandingMinor ?? 0n;
        if (amount === 0n) refuse('nothing is owed on this charge: give the amount to waive');
      }
      if (amount <= 0n) refuse('a waiver is more than zero');
      if (amount > left) {
        throw new DomainError(
          LAND_TRUSTS_ERRORS.WAIVER_EXCEEDS_CHARGE,
          `At most ${left} of the charge is left to waive`,
          {
            chargeId: target.charge.id,
            left: left.toString(),
          },
        );
      }
      await this.waiveIn(manager, actor, target.trust, target.lease, target.charge, {
        id: input.id,
        amountMinor: amount,
        reason,
        motionId,
      });
    }
    const stored = await this.repository.findRelief(manager, input.id);
    assert(stored !== null, 'the relief was stored');
    return stored;
  }

  /** Writes a waiver: the lease's receivable credited, the income and the reserve debited by the charge's split. */
  private async waiveIn(
    manager: EntityManager,
    actor: Principal,
    trust: LandTrustRecord,
    lease: LeaseRecord,
    charge: ChargeRecord,
    waiver: { id: string; amountMinor: bigint; reason: string; motionId: string | null },
  ): Promise<void> {
    const split = splitCharge(waiver.amountMinor, charge.reserveSharePoints);
    const transactionId = stepId('land-trusts.waiver', waiver.id);
    const payer = systemPrincipal(RELIEF_ACTOR, { accounts: new Set([trust.incomeAccountId, trust.reserveAccountId]) });
    const authority: Authority =
      waiver.motionId === null
        ? { kind: 'GROUND_LEASE_RELIEF', id: waiver.id }
        : { kind: 'MOTION', id: waiver.motionId };
    const [result] = await this.ledger.applyInTransaction(manager, payer, [
      {
        type: 'TRANSFER',
        id: transactionId,
        unitCode: trust.unitCode,
        kind: 'GROUND_LEASE_WAIVER',
        memo: `Waiver of the ${charge.period} charge`,
        metadata: [
          { key: 'leaseId', value: lease.id },
          { key: 'chargeId', value: charge.id },
        ],
        effectiveAt: null,
        hold: null,
        authority,
        entries: [
          ...(split.incomeMinor > 0n
            ? [{ accountId: trust.incomeAccountId, side: 'DEBIT' as const, amount: split.incomeMinor }]
            : []),
          ...(split.reserveMinor > 0n
            ? [{ accountId: trust.reserveAccountId, side: 'DEBIT' as const, amount: split.reserveMinor }]
            : []),
          { accountId: lease.accountId, side: 'CREDIT', amount: waiver.amountMinor },
        ],
      },
    ]);
    assert(result !== undefined, 'the ledger answers every request');
    if (!result.ok) throw DomainError.fromRefusal(result.refusal, { chargeId: charge.id });
    await this.repository.insertRelief(manager, {
      id: waiver.id,
      chargeId: charge.id,
      kind: 'WAIVE',
      amountMinor: waiver.amountMinor,
      deferredTo: null,
      reason: waiver.reason,
      motionId: waiver.motionId,
      transactionId,
      recordedBy: nameOf(actor),
    });
    await this.audit.record(manager, {
      actor,
      action: 'LEASE_CHARGE_WAIVED',
      organizationId: trust.organizationId,
      relatedPartyId: lease.leaseholderId,
      subject: { type: 'GROUND_LEASE_CHARGE', id: charge.id },
      after: {
        reliefId: waiver.id,
        amount: waiver.amountMinor.toString(),
        reason: waiver.reason,
        motionId: waiver.motionId,
      },
    });
  }

  // Governance: what the trust's assembly may decide

  /** Motion effects: `land-trusts.change-fee` and `land-trusts.relieve-charge` (see land-trust-decisions.ts). */
  async checkDecision(
    manager: EntityManager,
    organizationId: string,
    kind: 'change-fee' | 'relieve-charge',
    params: Readonly<Record<string, unknown>>,
  ): Promise<Record<string, unknown>> {
    const leaseId =
      kind === 'change-fee'
        ? uuidParam(params, 'leaseId')
        : (await this.requireCharge(manager, uuidParam(params, 'chargeId'))).leaseId;
    const lease = await this.requireLease(manager, leaseId);
    if (lease.organizationId !== organizationId)
      decisionRefused("the lease belongs to the deciding organisation's land trust");
    if (kind === 'change-fee') {
      const effectiveOn = stringParam(params, 'effectiveOn');
      if (!isCalendarDate(effectiveOn)) decisionRefused('effectiveOn is a day, YYYY-MM-DD');
      const fee = amountParam(params, 'fee');
      const points = params['reserveSharePoints'];
      if (typeof points !== 'number' || !Number.isInteger(points) || points < 0 || points > 10_000) {
        decisionRefused('reserveSharePoints is a whole number from 0 to 10000');
      }
      requireFee(fee, points);
      return {
        leaseId,
        effectiveOn,
        fee: fee.toString(),
        reserveSharePoints: points,
        reason: optionalText(params, 'reason'),
      };
    }
    const chargeId = uuidParam(params, 'chargeId');
    const reliefKind = params['kind'];
    if (reliefKind === 'DEFER') {
      const deferTo = stringParam(params, 'deferTo');
      if (!isCalendarDate(deferTo)) decisionRefused('deferTo is a day, YYYY-MM-DD');
      return { chargeId, kind: 'DEFER', deferTo, reason: stringParam(params, 'reason') };
    }
    if (reliefKind !== 'WAIVE') decisionRefused('kind is WAIVE or DEFER');
    const amount = params['amount'] === undefined || params['amount'] === null ? null : amountParam(params, 'amount');
    if (amount !== null && amount <= 0n) decisionRefused('amount is more than zero');
    return { chargeId, kind: 'WAIVE', amount: amount?.toString() ?? null, reason: stringParam(params, 'reason') };
  }

  async applyDecision(
    manager: EntityManager,
    motionId: string,
    kind: 'change-fee' | 'relieve-charge',
    params: Readonly<Record<string, unknown>>,
  ): Promise<Record<string, unknown>> {
    if (kind === 'change-fee') {
      const lease = await this.requireLease(manager, String(params['leaseId']), true);
      const actor = systemPrincipal('land-trusts.decisions', { organizations: new Set([lease.organizationId]) });
      const version = await this.changeFeeIn(
        manager,
        actor,
        lease,
        {
          leaseId: lease.id,
          effectiveOn: String(params['effectiveOn']),
          feeMinor: BigInt(String(params['fee'])),
          reserveSharePoints: Number(params['reserveSharePoints']),
          reason: typeof params['reason'] === 'string' ? params['reason'] : '',
        },
        motionId,
      );
      return { leaseId: lease.id, effectiveOn: version.effectiveOn, fee: version.feeMinor.toString() };
    }
    const charge = await this.requireCharge(manager, String(params['chargeId']), true);
    const lease = await this.requireLease(manager, charge.leaseId);
    const trust = await this.requireTrust(manager, lease.trustId);
    const actor = systemPrincipal('land-trusts.decisions', { organizations: new Set([lease.organizationId]) });
    const id = stepId('land-trusts.motion-relief', motionId);
    const relief: NewRelief =
      params['kind'] === 'DEFER'
        ? {
            id,
            chargeId: charge.id,
            kind: 'DEFER',
            deferTo: String(params['deferTo']),
            reason: String(params['reason']),
          }
        : {
            id,
            chargeId: charge.id,
            kind: 'WAIVE',
            amountMinor: typeof params['amount'] === 'string' ? BigInt(params['amount']) : null,
            reason: String(params['reason']),
          };
    const stored = await this.relieveIn(manager, actor, { trust, lease, charge }, relief, motionId);
    return {
      reliefId: stored.id,
      chargeId: charge.id,
      kind: stored.kind,
      amount: stored.amountMinor?.toString() ?? null,
    };
  }

  // Reading

  async landTrust(principal: Principal, id: string): Promise<LandTrustRecord> {
    const trust = await this.requireTrust(this.dataSource.manager, id);
    this.requireVisible(principal, trust);
    return trust;
  }

  async landTrustOf(principal: Principal, organizationId: string): Promise<LandTrustRecord | null> {
    const trust = await this.repository.findTrustOf(this.dataSource.manager, organizationId);
    if (trust === null) return null;
    this.requireVisible(principal, trust);
    return trust;
  }

  async parcels(
    principal: Principal,
    trustId: string,
    afterName: string | null,
    limit: number,
  ): Promise<ParcelRecord[]> {
    const trust = await this.landTrust(principal, trustId);
    return this.repository.listParcels(this.dataSource.manager, trust.id, afterName, limit);
  }

  async parcel(principal: Principal, id: string): Promise<ParcelRecord> {
    const parcel = await this.requireParcel(this.dataSource.manager, id);
    await this.landTrust(principal, parcel.trustId);
    return parcel;
  }

  /** A trust's leases (stewards; a member who is not a steward sees only their own household's). */
  async leases(
    principal: Principal,
    filter: { trustId: string; parcelId: string | null; afterId: string | null; limit: number },
  ): Promise<LeaseRecord[]> {
    const trust = await this.landTrust(principal, filter.trustId);
    const leaseholderIds = isSteward(principal, trust.organizationId) ? null : partiesOf(principal);
    return this.repository.listLeases(this.dataSource.manager, { ...filter, leaseholderIds });
  }

  /** The leases the caller holds, themselves or through a household they are a member of. */
  async myLeases(principal: Principal): Promise<LeaseRecord[]> {
    if (principal.kind !== 'PERSON') return [];
    return this.repository.leasesOf(this.dataSource.manager, partiesOf(principal));
  }

  async lease(principal: Principal, id: string): Promise<LeaseRecord> {
    const lease = await this.requireLease(this.dataSource.manager, id);
    this.requireStatementAccess(principal, lease);
    return lease;
  }

  async fees(leaseId: string): Promise<FeeVersionRecord[]> {
    return this.repository.listFees(this.dataSource.manager, [leaseId]);
  }

  async statement(principal: Principal, leaseId: string, asOf: string | null): Promise<StatementRecord> {
    const lease = await this.requireLease(this.dataSource.manager, leaseId);
    this.requireStatementAccess(principal, lease);
    if (asOf !== null) requireDate(asOf, 'asOf');
    return this.standingOf(this.dataSource.manager, lease, asOf ?? this.today());
  }

  /** The trust's leases with something overdue or owed, with the trust-wide totals (stewards). */
  async arrearsReport(
    principal: Principal,
    input: { trustId: string; asOf: string | null; afterId: string | null; limit: number },
  ): Promise<ArrearsReport> {
    const manager = this.dataSource.manager;
    const trust = await this.requireTrust(manager, input.trustId);
    this.requireSteward(principal, trust);
    if (input.asOf !== null) requireDate(input.asOf, 'asOf');
    const asOf = input.asOf ?? this.today();
    const totals = {
      chargedMinor: 0n,
      paidMinor: 0n,
      waivedMinor: 0n,
      outstandingMinor: 0n,
      creditMinor: 0n,
      overdueMinor: 0n,
      buckets: { NOT_DUE: 0n, CURRENT: 0n, DAYS_30: 0n, DAYS_60: 0n, DAYS_90_PLUS: 0n },
      leasesInArrears: 0,
    };
    const page: LeaseStanding[] = [];
    let hasNextPage = false;
    let afterId: string | null = null;
    for (;;) {
      const owing = await this.repository.leasesOwing(manager, { trustId: trust.id, afterId, limit: 500 });
      if (owing.length === 0) break;
      for (const standing of await this.standingsOf(manager, owing, asOf)) {
        totals.chargedMinor += standing.chargedMinor;
        totals.paidMinor += standing.paidMinor;
        totals.waivedMinor += standing.waivedMinor;
        totals.outstandingMinor += standing.outstandingMinor;
        totals.creditMinor += standing.creditMinor;
        totals.overdueMinor += standing.overdueMinor;
        for (const bucket of Object.keys(totals.buckets) as (keyof typeof totals.buckets)[]) {
          totals.buckets[bucket] += standing.buckets[bucket];
        }
        totals.leasesInArrears += 1;
        if (input.afterId === null || standing.lease.id > input.afterId) {
          if (page.length < input.limit) page.push(standing);
          else hasNextPage = true;
        }
      }
      afterId = owing.at(-1)?.id ?? null;
    }
    return { asOf, trust, totals, leases: page, hasNextPage };
  }

  async resale(
    principal: Principal,
    input: { parcelId: string; appraisedValueMinor: bigint; saleYear: number },
  ): Promise<{
    parcel: ParcelRecord;
    formula: ResaleFormula;
    computation: ResaleComputation;
    appraisedValueMinor: bigint;
    saleYear: number;
  }> {
    const parcel = await this.requireParcel(this.dataSource.manager, input.parcelId);
    const trust = await this.landTrust(principal, parcel.trustId);
    if (parcel.purchasePriceMinor === null || parcel.purchasedOn === null) {
      throw new DomainError(
        LAND_TRUSTS_ERRORS.INVALID_RESALE_FORMULA,
        'The home on this parcel has no purchase price',
        {
          problem: 'NO_PURCHASE_PRICE',
        },
      );
    }
    if (input.appraisedValueMinor < 0n || input.appraisedValueMinor > MAX_ENTRY_AMOUNT) {
      throw new DomainError(LAND_TRUSTS_ERRORS.INVALID_RESALE_FORMULA, 'The appraised value is out of range', {
        problem: 'APPRAISAL_OUT_OF_RANGE',
      });
    }
    const purchaseYear = Number(parcel.purchasedOn.slice(0, 4));
    if (!Number.isInteger(input.saleYear) || input.saleYear < purchaseYear || input.saleYear > 9999) {
      throw new DomainError(LAND_TRUSTS_ERRORS.INVALID_RESALE_FORMULA, 'A sale is in or after the year of purchase', {
        problem: 'SALE_BEFORE_PURCHASE',
      });
    }
    const sale = {
      purchasePriceMinor: parcel.purchasePriceMinor,
      purchaseYear,
      appraisedValueMinor: input.appraisedValueMinor,
      saleYear: input.saleYear,
    };
    const problem = checkResale(trust.resaleFormula, sale);
    if (problem !== null) {
      throw new DomainError(
        LAND_TRUSTS_ERRORS.INVALID_RESALE_FORMULA,
        `The resale price cannot be computed: ${problem}`,
        { problem },
      );
    }
    return {
      parcel,
      formula: trust.resaleFormula,
      computation: resalePrice(trust.resaleFormula, sale),
      appraisedValueMinor: input.appraisedValueMinor,
      saleYear: input.saleYear,
    };
  }

  // Standing: charges, reliefs and payments folded by the rules

  private async standingOf(manager: EntityManager, lease: LeaseRecord, asOf: string): Promise<StatementRecord> {
    const [standing] = await this.standingsOf(manager, [lease], asOf);
    assert(standing !== undefined, 'a lease has a standing');
    return standing;
  }

  private async standingsOf(
    manager: EntityManager,
    leases: readonly LeaseRecord[],
    asOf: string,
  ): Promise<StatementRecord[]> {
    const ids = leases.map((lease) => lease.id);
    const fees = groupBy(await this.repository.listFees(manager, ids), (fee) => fee.leaseId);
    const charges = groupBy(await this.repository.listCharges(manager, ids), (charge) => charge.leaseId);
    const payments = groupBy(await this.repository.listPayments(manager, ids), (payment) => payment.leaseId);
    const allReliefs = await this.repository.listReliefs(manager, ids);
    const accounts = new Map(
      (
        await this.accounts.accountsIn(
          manager,
          leases.map((lease) => lease.accountId),
        )
      ).map((account) => [account.id, account]),
    );
    return leases.map((lease) => {
      const leaseCharges = charges.get(lease.id) ?? [];
      const chargeIds = new Set(leaseCharges.map((charge) => charge.id));
      const reliefs = allReliefs.filter((relief) => chargeIds.has(relief.chargeId));
      const waived = new Map<string, bigint>();
      const deferred = new Map<string, string>();
      for (const relief of reliefs) {
        if (relief.kind === 'WAIVE')
          waived.set(relief.chargeId, (waived.get(relief.chargeId) ?? 0n) + (relief.amountMinor ?? 0n));
        else if (relief.deferredTo !== null) {
          deferred.set(relief.chargeId, maxDate(deferred.get(relief.chargeId) ?? relief.deferredTo, relief.deferredTo));
        }
      }
      const leasePayments = payments.get(lease.id) ?? [];
      const allocation = allocatePayments(
        leaseCharges.map((charge) => ({
          id: charge.id,
          period: charge.period,
          amountMinor: charge.amountMinor,
          waivedMinor: waived.get(charge.id) ?? 0n,
        })),
        leasePayments.map((payment) => ({
          id: payment.id,
          receivedOn: payment.receivedOn,
          recordedAt: payment.recordedAt,
          amountMinor: payment.amountMinor,
        })),
      );
      const standings = new Map(allocation.charges.map((line) => [line.chargeId, line]));
      const lines: ChargeLine[] = leaseCharges.map((charge) => {
        const line = standings.get(charge.id);
        const dueOn = deferred.get(charge.id) ?? charge.dueOn;
        const outstandingMinor = line?.outstandingMinor ?? 0n;
        const placed = bucketOf(dueOn, asOf);
        return {
          charge,
          waivedMinor: waived.get(charge.id) ?? 0n,
          paidMinor: line?.paidMinor ?? 0n,
          outstandingMinor,
          dueOn,
          bucket: placed.bucket,
          daysLate: outstandingMinor > 0n ? placed.daysLate : null,
        };
      });
      const ageing = ageArrears(lines, asOf);
      const account = accounts.get(lease.accountId);
      assert(account !== undefined, "a lease's account exists");
      return {
        lease,
        asOf,
        chargedMinor: leaseCharges.reduce((sum, charge) => sum + charge.amountMinor, 0n),
        paidMinor: leasePayments.reduce((sum, payment) => sum + payment.amountMinor, 0n),
        waivedMinor: [...waived.values()].reduce((sum, amount) => sum + amount, 0n),
        outstandingMinor: allocation.outstandingMinor,
        creditMinor: allocation.creditMinor,
        overdueMinor: ageing.overdueMinor,
        daysLate: ageing.daysLate,
        buckets: ageing.buckets,
        fees: fees.get(lease.id) ?? [],
        charges: lines,
        payments: leasePayments,
        reliefs,
        allocations: allocation.allocations,
        accountBalanceMinor: account.creditsPosted - account.debitsPosted,
      };
    });
  }

  // Finding and refusing

  private async requireTrust(manager: EntityManager, id: string, lock = false): Promise<LandTrustRecord> {
    const trust = await this.repository.findTrust(manager, id, lock);
    if (trust === null)
      throw new DomainError(LAND_TRUSTS_ERRORS.LAND_TRUST_NOT_FOUND, `No land trust has the id ${id}`, { id });
    return trust;
  }

  private async requireParcel(manager: EntityManager, id: string, lock = false): Promise<ParcelRecord> {
    const parcel = await this.repository.findParcel(manager, id, lock);
    if (parcel === null)
      throw new DomainError(LAND_TRUSTS_ERRORS.PARCEL_NOT_FOUND, `No parcel has the id ${id}`, { id });
    return parcel;
  }

  private async requireLease(manager: EntityManager, id: string, lock = false): Promise<LeaseRecord> {
    const lease = await this.repository.findLease(manager, id, lock);
    if (lease === null) throw new DomainError(LAND_TRUSTS_ERRORS.LEASE_NOT_FOUND, `No lease has the id ${id}`, { id });
    return lease;
  }

  private async requireCharge(manager: EntityManager, id: string, lock = false): Promise<ChargeRecord> {
    const charge = await this.repository.findCharge(manager, id, lock);
    if (charge === null)
      throw new DomainError(LAND_TRUSTS_ERRORS.CHARGE_NOT_FOUND, `No charge has the id ${id}`, { id });
    return charge;
  }

  private requireSteward(principal: Principal, trust: LandTrustRecord): void {
    if (!isSteward(principal, trust.organizationId)) {
      throw new DomainError(LAND_TRUSTS_ERRORS.STEWARD_REQUIRED, 'Only a steward of the land trust may do this', {
        trustId: trust.id,
      });
    }
  }

  private requireVisible(principal: Principal, trust: LandTrustRecord): void {
    if (!maySeeTrust(principal, trust.organizationId)) {
      throw new DomainError(
        LAND_TRUSTS_ERRORS.TRUST_NOT_VISIBLE,
        "Only the organisation's members see its land trust",
        {
          trustId: trust.id,
        },
      );
    }
  }

  private requireStatementAccess(principal: Principal, lease: LeaseRecord): void {
    if (!maySeeStatement(principal, lease)) {
      throw new DomainError(
        LAND_TRUSTS_ERRORS.LEASE_STATEMENT_NOT_VISIBLE,
        "Only the leaseholder and the trust's stewards see this lease",
        {
          leaseId: lease.id,
        },
      );
    }
  }

  private leaseEnded(lease: LeaseRecord): never {
    throw new DomainError(LAND_TRUSTS_ERRORS.LEASE_ENDED, `Lease ${lease.id} has ended`, {
      leaseId: lease.id,
      lastDay: lastDayOf(lease),
    });
  }

  /** The database's twin of the overlap check (two stewards at once) answers as the service would. */
  private async translateOverlap<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (sqlState(error) === '23P01') {
        throw new DomainError(LAND_TRUSTS_ERRORS.LEASES_OVERLAP, 'Another lease of the parcel runs during these dates');
      }
      throw error;
    }
  }
}

/** A lease's last day: the earlier of its end and its termination; null while open-ended. */
export function lastDayOf(lease: Pick<LeaseRecord, 'endsOn' | 'terminatedOn'>): string | null {
  if (lease.endsOn === null) return lease.terminatedOn;
  if (lease.terminatedOn === null) return lease.endsOn;
  return lease.endsOn < lease.terminatedOn ? lease.endsOn : lease.terminatedOn;
}

/** The parties a caller holds leases as: themselves, and the households (organisations) they are members of. */
function partiesOf(principal: Principal): string[] {
  return principal.kind === 'PERSON' ? [principal.personId, ...principal.roles.keys()] : [];
}

function termsOf(lease: LeaseRecord, fees: readonly FeeVersionRecord[]): LeaseTerms {
  return {
    startsOn: lease.startsOn,
    lastDay: lastDayOf(lease),
    dueDay: lease.dueDay,
    fees: fees.map((fee) => ({
      effectiveOn: fee.effectiveOn,
      feeMinor: fee.feeMinor,
      reserveSharePoints: fee.reserveSharePoints,
    })),
  };
}

function addDay(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group === undefined) groups.set(key(item), [item]);
    else group.push(item);
  }
  return groups;
}

function refuse(problem: string): never {
  throw new DomainError(LAND_TRUSTS_ERRORS.INVALID_LEASE, `Not well formed: ${problem}`, { problem });
}

function requireDate(date: string, field: string): void {
  if (!isCalendarDate(date)) refuse(`${field} is a day between 1900 and 9999, as YYYY-MM-DD`);
}

function requireText(text: string, field: string, min: number, max: number): string {
  const trimmed = text.trim();
  if ([...trimmed].length < min || [...trimmed].length > max) refuse(`${field} has ${min} to ${max} characters`);
  return trimmed;
}

function requireFee(feeMinor: bigint, reserveSharePoints: number): void {
  if (feeMinor < 0n || feeMinor > MAX_ENTRY_AMOUNT) refuse(`a fee is 0 to ${MAX_ENTRY_AMOUNT} minor units`);
  if (!Number.isInteger(reserveSharePoints) || reserveSharePoints < 0 || reserveSharePoints > 10_000) {
    refuse('the reserve share is 0 to 10000 basis points');
  }
}

function requireFormula(draft: ResaleFormulaDraft): ResaleFormula {
  const formula = formulaFrom(draft);
  if (typeof formula === 'string') {
    throw new DomainError(
      LAND_TRUSTS_ERRORS.INVALID_RESALE_FORMULA,
      `The resale formula is not well formed: ${formula}`,
      {
        problem: formula,
      },
    );
  }
  return formula;
}

function decisionRefused(problem: string): never {
  throw new DomainError(LAND_TRUSTS_ERRORS.INVALID_LEASE, `The decision cannot be taken: ${problem}`, { problem });
}

function stringParam(params: Readonly<Record<string, unknown>>, name: string): string {
  const value = params[name];
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT) decisionRefused(`${name} is text`);
  return value;
}

function optionalText(params: Readonly<Record<string, unknown>>, name: string): string {
  const value = params[name] ?? '';
  if (typeof value !== 'string' || value.length > MAX_TEXT) decisionRefused(`${name} is text`);
  return value;
}

function uuidParam(params: Readonly<Record<string, unknown>>, name: string): string {
  const value = params[name];
  if (typeof value !== 'string' || !isUuid(value)) {
    decisionRefused(`${name} is an id (a UUID)`);
  }
  return value;
}

function amountParam(params: Readonly<Record<string, unknown>>, name: string): bigint {
  const value = params[name];
  if (typeof value !== 'string' || !/^(0|[1-9]\d{0,17})$/.test(value))
    decisionRefused(`${name} is minor units as a decimal string`);
  return BigInt(value);
}
