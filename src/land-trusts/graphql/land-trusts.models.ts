import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { PageInfoModel } from '../../kernel/graphql/page-info.model.js';
import { MoneyScalar } from '../../kernel/money/money.scalar.js';
import type {
  AgeingBucket,
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
} from '../land-trusts.records.js';
import { AgeingBucketEnum, PaymentSourceEnum, ReliefKindEnum, ResaleFormulaKindEnum } from './land-trusts.enums.js';

@ObjectType('ResaleIndex')
export class ResaleIndexModel {
  @Field(() => Int)
  year!: number;

  @Field(() => String)
  value!: string;
}

@ObjectType('ResaleFormula', { description: "The trust's formula for the most a home on its land may be resold for." })
export class ResaleFormulaModel {
  @Field(() => ResaleFormulaKindEnum)
  kind!: ResaleFormulaKindEnum;

  @Field(() => Int, { nullable: true })
  sharePoints!: number | null;

  @Field(() => [ResaleIndexModel])
  indexes!: ResaleIndexModel[];

  static from(formula: ResaleFormula): ResaleFormulaModel {
    return Object.assign(new ResaleFormulaModel(), {
      kind: formula.kind as ResaleFormulaKindEnum,
      sharePoints: formula.kind === 'APPRECIATION_SHARE' ? formula.sharePoints : null,
      indexes: formula.kind === 'INDEXED' ? formula.indexes.map((index) => ({ ...index })) : [],
    });
  }
}

@ObjectType('LandTrust', { description: "An organisation's community land trust: its land, leases and books." })
export class LandTrustModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  organizationId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  unitCode!: string;

  @Field(() => ID, { description: "The trust's ground-lease income." })
  incomeAccountId!: string;

  @Field(() => ID, { description: 'The stewardship reserve: its share of every charge.' })
  reserveAccountId!: string;

  @Field(() => ID, { description: 'Where payments received from outside the ledger come from.' })
  receiptsAccountId!: string;

  @Field(() => ResaleFormulaModel)
  resaleFormula!: ResaleFormulaModel;

  @Field(() => Date)
  createdAt!: Date;

  static from(record: LandTrustRecord): LandTrustModel {
    return Object.assign(new LandTrustModel(), {
      ...record,
      resaleFormula: ResaleFormulaModel.from(record.resaleFormula),
    });
  }
}

@ObjectType('LandParcel', { description: 'A parcel of the trust, and the home on it.' })
export class ParcelModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  trustId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  description!: string;

  @Field(() => String, { nullable: true })
  homeDescription!: string | null;

  @Field(() => MoneyScalar, { nullable: true })
  purchasePrice!: bigint | null;

  @Field(() => String, { nullable: true })
  purchasedOn!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  static from(record: ParcelRecord): ParcelModel {
    return Object.assign(new ParcelModel(), { ...record, purchasePrice: record.purchasePriceMinor });
  }
}

@ObjectType('ParcelEdge')
export class ParcelEdgeModel {
  @Field(() => String)
  cursor!: string;

  @Field(() => ParcelModel)
  node!: ParcelModel;
}

@ObjectType('ParcelConnection')
export class ParcelConnectionModel {
  @Field(() => [ParcelEdgeModel])
  edges!: ParcelEdgeModel[];

  @Field(() => PageInfoModel)
  pageInfo!: PageInfoModel;
}

@ObjectType('LeaseFee', { description: 'A version of the fee, from the day it takes effect.' })
export class LeaseFeeModel {
  @Field(() => String)
  effectiveOn!: string;

  @Field(() => MoneyScalar, { description: 'Per month.' })
  fee!: bigint;

  @Field(() => Int)
  reserveSharePoints!: number;

  @Field(() => ID, { nullable: true, description: 'The motion that decided it, if one did.' })
  motionId!: string | null;

  @Field(() => String)
  reason!: string;

  @Field(() => String)
  recordedBy!: string;

  @Field(() => Date)
  recordedAt!: Date;

  static from(record: FeeVersionRecord): LeaseFeeModel {
    return Object.assign(new LeaseFeeModel(), { ...record, fee: record.feeMinor });
  }
}

@ObjectType('GroundLease', { description: "A leaseholder's lease of a parcel, over time." })
export class GroundLeaseModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  trustId!: string;

  @Field(() => ID)
  parcelId!: string;

  @Field(() => ID, { description: 'A person or a household organisation.' })
  leaseholderId!: string;

  @Field(() => ID, { description: 'The receivable account of the lease: charges debit it, payments credit it.' })
  accountId!: string;

  @Field(() => String)
  startsOn!: string;

  @Field(() => String, { nullable: true })
  endsOn!: string | null;

  @Field(() => Int)
  dueDay!: number;

  @Field(() => String, { nullable: true, description: 'The last day a termination gave it.' })
  terminatedOn!: string | null;

  @Field(() => String, { nullable: true })
  terminationReason!: string | null;

  @Field(() => String, { nullable: true, description: 'The earlier of its end and its termination; none: open-ended.' })
  lastDay!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  static from(record: LeaseRecord, lastDay: string | null): GroundLeaseModel {
    return Object.assign(new GroundLeaseModel(), { ...record, lastDay });
  }
}

@ObjectType('GroundLeaseEdge')
export class GroundLeaseEdgeModel {
  @Field(() => String)
  cursor!: string;

  @Field(() => GroundLeaseModel)
  node!: GroundLeaseModel;
}

@ObjectType('GroundLeaseConnection')
export class GroundLeaseConnectionModel {
  @Field(() => [GroundLeaseEdgeModel])
  edges!: GroundLeaseEdgeModel[];

  @Field(() => PageInfoModel)
  pageInfo!: PageInfoModel;
}

@ObjectType('LeaseCharge', { description: 'One period of a lease, charged once.' })
export class LeaseChargeModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  leaseId!: string;

  @Field(() => String, { description: 'YYYY-MM.' })
  period!: string;

  @Field(() => String, { description: 'The day it fell due, as posted.' })
  dueOn!: string;

  @Field(() => MoneyScalar)
  amount!: bigint;

  @Field(() => MoneyScalar)
  income!: bigint;

  @Field(() => MoneyScalar)
  reserve!: bigint;

  @Field(() => Int)
  reserveSharePoints!: number;

  @Field(() => Int, {
    description: 'Days of the month the lease ran (proration: amount = Σ daily fee / days in month).',
  })
  daysCharged!: number;

  @Field(() => Int)
  daysInPeriod!: number;

  @Field(() => ID, { nullable: true })
  transactionId!: string | null;

  @Field(() => String)
  postedBy!: string;

  @Field(() => Date)
  postedAt!: Date;

  static from(record: ChargeRecord): LeaseChargeModel {
    return Object.assign(new LeaseChargeModel(), {
      ...record,
      amount: record.amountMinor,
      income: record.incomeMinor,
      reserve: record.reserveMinor,
    });
  }
}

@ObjectType('StatementCharge', { description: 'A charge with what was waived, paid and is still owed on it.' })
export class StatementChargeModel {
  @Field(() => LeaseChargeModel)
  charge!: LeaseChargeModel;

  @Field(() => MoneyScalar)
  waived!: bigint;

  @Field(() => MoneyScalar)
  paid!: bigint;

  @Field(() => MoneyScalar)
  outstanding!: bigint;

  @Field(() => String, { description: 'The due date in force (a deferral moves it).' })
  dueOn!: string;

  @Field(() => AgeingBucketEnum)
  bucket!: AgeingBucketEnum;

  @Field(() => Int, { nullable: true })
  daysLate!: number | null;

  static from(line: ChargeLine): StatementChargeModel {
    return Object.assign(new StatementChargeModel(), {
      charge: LeaseChargeModel.from(line.charge),
      waived: line.waivedMinor,
      paid: line.paidMinor,
      outstanding: line.outstandingMinor,
      dueOn: line.dueOn,
      bucket: line.bucket as AgeingBucketEnum,
      daysLate: line.daysLate,
    });
  }
}

@ObjectType('LeasePayment')
export class LeasePaymentModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  leaseId!: string;

  @Field(() => MoneyScalar)
  amount!: bigint;

  @Field(() => PaymentSourceEnum)
  source!: PaymentSourceEnum;

  @Field(() => ID, { nullable: true })
  fromAccountId!: string | null;

  @Field(() => String)
  receivedOn!: string;

  @Field(() => String)
  memo!: string;

  @Field(() => ID)
  transactionId!: string;

  @Field(() => String)
  recordedBy!: string;

  @Field(() => Date)
  recordedAt!: Date;

  static from(record: PaymentRecord): LeasePaymentModel {
    return Object.assign(new LeasePaymentModel(), {
      ...record,
      amount: record.amountMinor,
      source: record.source as PaymentSourceEnum,
    });
  }
}

@ObjectType('ChargeRelief', { description: 'Hardship relief on a charge: a waiver or a deferral, with its reason.' })
export class ChargeReliefModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  chargeId!: string;

  @Field(() => ReliefKindEnum)
  kind!: ReliefKindEnum;

  @Field(() => MoneyScalar, { nullable: true })
  amount!: bigint | null;

  @Field(() => String, { nullable: true })
  deferredTo!: string | null;

  @Field(() => String)
  reason!: string;

  @Field(() => ID, { nullable: true })
  motionId!: string | null;

  @Field(() => ID, { nullable: true })
  transactionId!: string | null;

  @Field(() => String)
  recordedBy!: string;

  @Field(() => Date)
  recordedAt!: Date;

  static from(record: ReliefRecord): ChargeReliefModel {
    return Object.assign(new ChargeReliefModel(), {
      ...record,
      amount: record.amountMinor,
      kind: record.kind as ReliefKindEnum,
    });
  }
}

@ObjectType('PaymentAllocation', { description: 'What part of a payment went to which charge (oldest first).' })
export class PaymentAllocationModel {
  @Field(() => ID)
  paymentId!: string;

  @Field(() => ID)
  chargeId!: string;

  @Field(() => MoneyScalar)
  amount!: bigint;
}

@ObjectType('ArrearsBuckets')
export class ArrearsBucketsModel {
  @Field(() => MoneyScalar, { description: 'Owed, not yet due (deferred).' })
  notDue!: bigint;

  @Field(() => MoneyScalar, { description: '0 to 29 days past due.' })
  current!: bigint;

  @Field(() => MoneyScalar)
  days30!: bigint;

  @Field(() => MoneyScalar)
  days60!: bigint;

  @Field(() => MoneyScalar)
  days90Plus!: bigint;

  static from(buckets: Readonly<Record<AgeingBucket, bigint>>): ArrearsBucketsModel {
    return Object.assign(new ArrearsBucketsModel(), {
      notDue: buckets.NOT_DUE,
      current: buckets.CURRENT,
      days30: buckets.DAYS_30,
      days60: buckets.DAYS_60,
      days90Plus: buckets.DAYS_90_PLUS,
    });
  }
}

@ObjectType('LeaseStanding', {
  description: 'Where a lease stands on a day: what was charged, paid, waived and is owed.',
})
export class LeaseStandingModel {
  @Field(() => GroundLeaseModel)
  lease!: GroundLeaseModel;

  @Field(() => String)
  asOf!: string;

  @Field(() => MoneyScalar)
  charged!: bigint;

  @Field(() => MoneyScalar)
  paid!: bigint;

  @Field(() => MoneyScalar)
  waived!: bigint;

  @Field(() => MoneyScalar, { description: 'Charged less waived less paid, never below zero.' })
  outstanding!: bigint;

  @Field(() => MoneyScalar, { description: 'Paid beyond the charges: taken by the next ones.' })
  credit!: bigint;

  @Field(() => MoneyScalar, { description: 'Outstanding and due.' })
  overdue!: bigint;

  @Field(() => Int, { nullable: true, description: 'Days the oldest overdue charge is late.' })
  daysLate!: number | null;

  @Field(() => ArrearsBucketsModel)
  buckets!: ArrearsBucketsModel;

  static fill<T extends LeaseStandingModel>(model: T, standing: LeaseStanding, lastDay: string | null): T {
    return Object.assign(model, {
      lease: GroundLeaseModel.from(standing.lease, lastDay),
      asOf: standing.asOf,
      charged: standing.chargedMinor,
      paid: standing.paidMinor,
      waived: standing.waivedMinor,
      outstanding: standing.outstandingMinor,
      credit: standing.creditMinor,
      overdue: standing.overdueMinor,
      daysLate: standing.daysLate,
      buckets: ArrearsBucketsModel.from(standing.buckets),
    });
  }
}

@ObjectType('LeaseStatement', {
  description: "A lease's statement: every fee, charge, payment and relief, and how they met.",
})
export class LeaseStatementModel extends LeaseStandingModel {
  @Field(() => [LeaseFeeModel])
  fees!: LeaseFeeModel[];

  @Field(() => [StatementChargeModel])
  charges!: StatementChargeModel[];

  @Field(() => [LeasePaymentModel])
  payments!: LeasePaymentModel[];

  @Field(() => [ChargeReliefModel])
  reliefs!: ChargeReliefModel[];

  @Field(() => [PaymentAllocationModel])
  allocations!: PaymentAllocationModel[];

  @Field(() => MoneyScalar, { description: "The lease's receivable account in the ledger: credit − outstanding." })
  accountBalance!: bigint;

  static from(statement: StatementRecord, lastDay: string | null): LeaseStatementModel {
    const model = LeaseStandingModel.fill(new LeaseStatementModel(), statement, lastDay);
    return Object.assign(model, {
      fees: statement.fees.map((fee) => LeaseFeeModel.from(fee)),
      charges: statement.charges.map((line) => StatementChargeModel.from(line)),
      payments: statement.payments.map((payment) => LeasePaymentModel.from(payment)),
      reliefs: statement.reliefs.map((relief) => ChargeReliefModel.from(relief)),
      allocations: statement.allocations.map((allocation) => ({
        paymentId: allocation.paymentId,
        chargeId: allocation.chargeId,
        amount: allocation.amountMinor,
      })),
      accountBalance: statement.accountBalanceMinor,
    });
  }
}

@ObjectType('ArrearsTotals')
export class ArrearsTotalsModel {
  @Field(() => Int)
  leasesInArrears!: number;

  @Field(() => MoneyScalar)
  charged!: bigint;

  @Field(() => MoneyScalar)
  paid!: bigint;

  @Field(() => MoneyScalar)
  waived!: bigint;

  @Field(() => MoneyScalar)
  outstanding!: bigint;

  @Field(() => MoneyScalar)
  overdue!: bigint;

  @Field(() => ArrearsBucketsModel)
  buckets!: ArrearsBucketsModel;
}

@ObjectType('ArrearsReport', {
  description: "The trust's leases with something owed, aged, with the trust-wide totals.",
})
export class ArrearsReportModel {
  @Field(() => ID)
  trustId!: string;

  @Field(() => String)
  asOf!: string;

  @Field(() => ArrearsTotalsModel)
  totals!: ArrearsTotalsModel;

  @Field(() => [LeaseStandingModel], { description: 'A page of the leases owing, by id.' })
  leases!: LeaseStandingModel[];

  @Field(() => PageInfoModel)
  pageInfo!: PageInfoModel;
}

@ObjectType('ResaleComputation', { description: 'How the resale price of a home is reached, step by step.' })
export class ResaleComputationModel {
  @Field(() => ID)
  parcelId!: string;

  @Field(() => ResaleFormulaModel)
  formula!: ResaleFormulaModel;

  @Field(() => MoneyScalar)
  purchasePrice!: bigint;

  @Field(() => String)
  purchasedOn!: string;

  @Field(() => MoneyScalar)
  appraisedValue!: bigint;

  @Field(() => Int)
  saleYear!: number;

  @Field(() => MoneyScalar)
  formulaPrice!: bigint;

  @Field(() => MoneyScalar, { description: 'The most the home may be resold for.' })
  resalePrice!: bigint;

  @Field(() => Boolean)
  cappedByAppraisal!: boolean;

  @Field(() => [String])
  steps!: string[];
}

@ObjectType('PostedCharges')
export class PostedChargesModel {
  @Field(() => ID)
  trustId!: string;

  @Field(() => String, { description: 'Charges due on or before this day were posted.' })
  upTo!: string;

  @Field(() => Int, { description: 'How many were posted now (none when another run had posted them).' })
  posted!: number;
}
