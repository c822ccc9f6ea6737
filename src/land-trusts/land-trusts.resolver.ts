import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { toConnection } from '../kernel/graphql/connection.js';
import { decodeCursor, encodeCursor } from '../kernel/graphql/cursor.js';
import { CurrentPrincipal } from '../kernel/graphql/request-principal.js';
import { requireUuid } from '../kernel/ids.js';
import type { Principal } from '../kernel/principal.js';
import {
  AddLandParcelInput,
  ArrearsReportArgs,
  ChangeGroundLeaseFeeInput,
  CreateLandTrustInput,
  DeferLeaseChargeInput,
  GroundLeasesArgs,
  LeaseStatementArgs,
  ParcelsArgs,
  PostDueLeaseChargesInput,
  RecordLeasePaymentInput,
  ResaleFormulaInput,
  ResalePriceArgs,
  SetResaleFormulaInput,
  SignGroundLeaseInput,
  TerminateGroundLeaseInput,
  WaiveLeaseChargeInput,
} from './graphql/land-trusts.inputs.js';
import {
  ArrearsBucketsModel,
  ArrearsReportModel,
  ChargeReliefModel,
  GroundLeaseConnectionModel,
  GroundLeaseModel,
  LandTrustModel,
  LeaseFeeModel,
  LeasePaymentModel,
  LeaseStandingModel,
  LeaseStatementModel,
  ParcelConnectionModel,
  ParcelModel,
  PostedChargesModel,
  ResaleComputationModel,
  ResaleFormulaModel,
} from './graphql/land-trusts.models.js';
import type { LeaseRecord } from './land-trusts.records.js';
import { LandTrustsService, lastDayOf } from './land-trusts.service.js';
import type { ResaleFormulaDraft } from './rules/resale-formula.js';

const UUID_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NAME_KEY = /^.{1,200}$/su;

@Resolver(() => GroundLeaseModel)
export class LandTrustsResolver {
  constructor(@Inject(LandTrustsService) private readonly landTrusts: LandTrustsService) {}

  @Mutation(() => LandTrustModel, {
    description:
      "Sets up the organisation's land trust in a unit it issues, with its income, reserve and receipts accounts (TREASURER or ADMIN).",
  })
  async createLandTrust(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CreateLandTrustInput,
  ): Promise<LandTrustModel> {
    return LandTrustModel.from(
      await this.landTrusts.createLandTrust(principal, {
        id: requireUuid(input.id, 'id'),
        organizationId: requireUuid(input.organizationId, 'organizationId'),
        name: input.name,
        unitCode: input.unitCode,
        resaleFormula: draftOf(input.resaleFormula),
      }),
    );
  }

  @Mutation(() => LandTrustModel, { description: "Changes the trust's resale formula (TREASURER or ADMIN)." })
  async setResaleFormula(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: SetResaleFormulaInput,
  ): Promise<LandTrustModel> {
    return LandTrustModel.from(
      await this.landTrusts.setResaleFormula(principal, {
        trustId: requireUuid(input.trustId, 'trustId'),
        formula: draftOf(input.formula),
      }),
    );
  }

  @Mutation(() => ParcelModel, { description: 'Adds a parcel (and the home on it) to the trust (a steward).' })
  async addLandParcel(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: AddLandParcelInput,
  ): Promise<ParcelModel> {
    return ParcelModel.from(
      await this.landTrusts.addParcel(principal, {
        id: requireUuid(input.id, 'id'),
        trustId: requireUuid(input.trustId, 'trustId'),
        name: input.name,
        description: input.description,
        homeDescription: input.homeDescription ?? null,
        purchasePriceMinor: input.purchasePrice ?? null,
        purchasedOn: input.purchasedOn ?? null,
      }),
    );
  }

  @Mutation(() => GroundLeaseModel, {
    description:
      'Signs a ground lease of a parcel with a person or a household; no two leases of a parcel overlap (a steward).',
  })
  async signGroundLease(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: SignGroundLeaseInput,
  ): Promise<GroundLeaseModel> {
    return leaseModel(
      await this.landTrusts.signLease(principal, {
        id: requireUuid(input.id, 'id'),
        parcelId: requireUuid(input.parcelId, 'parcelId'),
        leaseholderId: requireUuid(input.leaseholderId, 'leaseholderId'),
        startsOn: input.startsOn,
        endsOn: input.endsOn ?? null,
        dueDay: input.dueDay,
        feeMinor: input.fee,
        reserveSharePoints: input.reserveSharePoints,
      }),
    );
  }

  @Mutation(() => LeaseFeeModel, {
    description:
      'A new version of the fee, from a day in a period not yet charged (a steward; an assembly by motion: land-trusts.change-fee).',
  })
  async changeGroundLeaseFee(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ChangeGroundLeaseFeeInput,
  ): Promise<LeaseFeeModel> {
    return LeaseFeeModel.from(
      await this.landTrusts.changeFee(principal, {
        leaseId: requireUuid(input.leaseId, 'leaseId'),
        effectiveOn: input.effectiveOn,
        feeMinor: input.fee,
        reserveSharePoints: input.reserveSharePoints,
        reason: input.reason,
      }),
    );
  }

  @Mutation(() => GroundLeaseModel, {
    description:
      'Ends a lease early with a reason; days already charged after its last day are credited back (a steward).',
  })
  async terminateGroundLease(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: TerminateGroundLeaseInput,
  ): Promise<GroundLeaseModel> {
    return leaseModel(
      await this.landTrusts.terminateLease(principal, {
        leaseId: requireUuid(input.leaseId, 'leaseId'),
        lastDay: input.lastDay,
        reason: input.reason,
      }),
    );
  }

  @Mutation(() => LeasePaymentModel, {
    description:
      'A payment toward a lease: received from outside (a steward records it) or paid from a ledger account (the leaseholder). Allocated to the oldest charges first.',
  })
  async recordLeasePayment(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: RecordLeasePaymentInput,
  ): Promise<LeasePaymentModel> {
    return LeasePaymentModel.from(
      await this.landTrusts.recordPayment(principal, {
        id: requireUuid(input.id, 'id'),
        leaseId: requireUuid(input.leaseId, 'leaseId'),
        amountMinor: input.amount,
        receivedOn: input.receivedOn ?? null,
        memo: input.memo,
        fromAccountId:
          input.fromAccountId === null || input.fromAccountId === undefined
            ? null
            : requireUuid(input.fromAccountId, 'fromAccountId'),
      }),
    );
  }

  @Mutation(() => ChargeReliefModel, { description: 'Waives a charge, or part of it, with a reason (a steward).' })
  async waiveLeaseCharge(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: WaiveLeaseChargeInput,
  ): Promise<ChargeReliefModel> {
    return ChargeReliefModel.from(
      await this.landTrusts.relieveCharge(principal, {
        id: requireUuid(input.id, 'id'),
        chargeId: requireUuid(input.chargeId, 'chargeId'),
        kind: 'WAIVE',
        amountMinor: input.amount ?? null,
        reason: input.reason,
      }),
    );
  }

  @Mutation(() => ChargeReliefModel, { description: 'Defers a charge to a later due date, with a reason (a steward).' })
  async deferLeaseCharge(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: DeferLeaseChargeInput,
  ): Promise<ChargeReliefModel> {
    return ChargeReliefModel.from(
      await this.landTrusts.relieveCharge(principal, {
        id: requireUuid(input.id, 'id'),
        chargeId: requireUuid(input.chargeId, 'chargeId'),
        kind: 'DEFER',
        deferTo: input.deferTo,
        reason: input.reason,
      }),
    );
  }

  @Mutation(() => PostedChargesModel, {
    description:
      'Posts the charges due today now, as the scheduler does daily; each period once, whoever runs it (a steward).',
  })
  async postDueLeaseCharges(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: PostDueLeaseChargesInput,
  ): Promise<PostedChargesModel> {
    const trustId = requireUuid(input.trustId, 'trustId');
    const posted = await this.landTrusts.postDueCharges(principal, trustId);
    return Object.assign(new PostedChargesModel(), { trustId, upTo: this.landTrusts.today(), posted });
  }

  @Query(() => LandTrustModel, { description: "A land trust (its organisation's members)." })
  async landTrust(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<LandTrustModel> {
    return LandTrustModel.from(await this.landTrusts.landTrust(principal, requireUuid(id, 'id')));
  }

  @Query(() => LandTrustModel, {
    nullable: true,
    description: "The organisation's land trust, if it runs one (its members).",
  })
  async landTrustOf(
    @CurrentPrincipal() principal: Principal,
    @Args('organizationId', { type: () => ID }) organizationId: string,
  ): Promise<LandTrustModel | null> {
    const trust = await this.landTrusts.landTrustOf(principal, requireUuid(organizationId, 'organizationId'));
    return trust === null ? null : LandTrustModel.from(trust);
  }

  @Query(() => ParcelConnectionModel, { description: "The trust's parcels, by name (its organisation's members)." })
  async landParcels(
    @CurrentPrincipal() principal: Principal,
    @Args() args: ParcelsArgs,
  ): Promise<ParcelConnectionModel> {
    const rows = await this.landTrusts.parcels(
      principal,
      requireUuid(args.trustId, 'trustId'),
      decodeCursor('land-parcel', args.after, NAME_KEY),
      args.first + 1,
    );
    return toConnection(
      rows,
      args.first,
      'land-parcel',
      (row) => row.name,
      (row) => ParcelModel.from(row),
    );
  }

  @Query(() => GroundLeaseConnectionModel, {
    description: "The trust's leases (stewards see all; a member sees their own household's).",
  })
  async groundLeases(
    @CurrentPrincipal() principal: Principal,
    @Args() args: GroundLeasesArgs,
  ): Promise<GroundLeaseConnectionModel> {
    const rows = await this.landTrusts.leases(principal, {
      trustId: requireUuid(args.trustId, 'trustId'),
      parcelId: args.parcelId === null || args.parcelId === undefined ? null : requireUuid(args.parcelId, 'parcelId'),
      afterId: decodeCursor('ground-lease', args.after, UUID_KEY),
      limit: args.first + 1,
    });
    return toConnection(rows, args.first, 'ground-lease', (row) => row.id, leaseModel);
  }

  @Query(() => GroundLeaseModel, { description: 'A lease (its leaseholder and the stewards).' })
  async groundLease(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<GroundLeaseModel> {
    return leaseModel(await this.landTrusts.lease(principal, requireUuid(id, 'id')));
  }

  @Query(() => [GroundLeaseModel], { description: 'The leases you hold, yourself or through your household.' })
  async myGroundLeases(@CurrentPrincipal() principal: Principal): Promise<GroundLeaseModel[]> {
    return (await this.landTrusts.myLeases(principal)).map(leaseModel);
  }

  @Query(() => LeaseStatementModel, {
    description:
      'What a lease owes and why: every charge, payment, waiver and deferral, aged (its leaseholder and the stewards).',
  })
  async leaseStatement(
    @CurrentPrincipal() principal: Principal,
    @Args() args: LeaseStatementArgs,
  ): Promise<LeaseStatementModel> {
    const statement = await this.landTrusts.statement(
      principal,
      requireUuid(args.leaseId, 'leaseId'),
      args.asOf ?? null,
    );
    return LeaseStatementModel.from(statement, lastDayOf(statement.lease));
  }

  @Query(() => ArrearsReportModel, { description: "The trust's arrears, aged 30/60/90+ days, with totals (stewards)." })
  async arrearsReport(
    @CurrentPrincipal() principal: Principal,
    @Args() args: ArrearsReportArgs,
  ): Promise<ArrearsReportModel> {
    const report = await this.landTrusts.arrearsReport(principal, {
      trustId: requireUuid(args.trustId, 'trustId'),
      asOf: args.asOf ?? null,
      afterId: decodeCursor('arrears', args.after, UUID_KEY),
      limit: args.first,
    });
    const last = report.leases.at(-1);
    return Object.assign(new ArrearsReportModel(), {
      trustId: report.trust.id,
      asOf: report.asOf,
      totals: {
        leasesInArrears: report.totals.leasesInArrears,
        charged: report.totals.chargedMinor,
        paid: report.totals.paidMinor,
        waived: report.totals.waivedMinor,
        outstanding: report.totals.outstandingMinor,
        overdue: report.totals.overdueMinor,
        buckets: ArrearsBucketsModel.from(report.totals.buckets),
      },
      leases: report.leases.map((standing) =>
        LeaseStandingModel.fill(new LeaseStandingModel(), standing, lastDayOf(standing.lease)),
      ),
      pageInfo: {
        hasNextPage: report.hasNextPage,
        endCursor: last === undefined ? null : encodeCursor('arrears', last.lease.id),
      },
    });
  }

  @Query(() => ResaleComputationModel, {
    description: "The most the home on a parcel may be resold for, by the trust's formula, step by step (its members).",
  })
  async resalePrice(
    @CurrentPrincipal() principal: Principal,
    @Args() args: ResalePriceArgs,
  ): Promise<ResaleComputationModel> {
    const result = await this.landTrusts.resale(principal, {
      parcelId: requireUuid(args.parcelId, 'parcelId'),
      appraisedValueMinor: args.appraisedValue,
      saleYear: args.saleYear,
    });
    return Object.assign(new ResaleComputationModel(), {
      parcelId: result.parcel.id,
      formula: ResaleFormulaModel.from(result.formula),
      purchasePrice: result.parcel.purchasePriceMinor,
      purchasedOn: result.parcel.purchasedOn,
      appraisedValue: result.appraisedValueMinor,
      saleYear: result.saleYear,
      formulaPrice: result.computation.formulaPriceMinor,
      resalePrice: result.computation.resalePriceMinor,
      cappedByAppraisal: result.computation.cappedByAppraisal,
      steps: [...result.computation.steps],
    });
  }

  @ResolveField(() => [LeaseFeeModel], { description: 'Every version of the fee, oldest first.' })
  async fees(@Parent() lease: GroundLeaseModel): Promise<LeaseFeeModel[]> {
    return (await this.landTrusts.fees(lease.id)).map((fee) => LeaseFeeModel.from(fee));
  }
}

function leaseModel(record: LeaseRecord): GroundLeaseModel {
  return GroundLeaseModel.from(record, lastDayOf(record));
}

function draftOf(input: ResaleFormulaInput): ResaleFormulaDraft {
  return {
    kind: input.kind,
    sharePoints: input.sharePoints ?? null,
    indexes: input.indexes?.map((index) => ({ year: index.year, value: index.value })) ?? null,
  };
}
