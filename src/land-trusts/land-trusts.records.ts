/** Land trusts' rows as the repository returns them (amounts bigint, days `YYYY-MM-DD`), and their vocabulary. */
import type { AgeingBucket } from './rules/arrears-ageing.js';
import type { ResaleFormula } from './rules/resale-formula.js';

export type { AgeingBucket, ResaleFormula };

export interface LandTrustRecord {
  readonly id: string;
  readonly organizationId: string;
  readonly name: string;
  readonly unitCode: string;
  readonly incomeAccountId: string;
  readonly reserveAccountId: string;
  readonly receiptsAccountId: string;
  readonly resaleFormula: ResaleFormula;
  readonly createdAt: Date;
}

export interface ParcelRecord {
  readonly id: string;
  readonly trustId: string;
  readonly name: string;
  readonly description: string;
  readonly homeDescription: string | null;
  readonly purchasePriceMinor: bigint | null;
  readonly purchasedOn: string | null;
  readonly createdAt: Date;
}

export interface LeaseRecord {
  readonly id: string;
  readonly trustId: string;
  readonly organizationId: string;
  readonly parcelId: string;
  readonly leaseholderId: string;
  readonly accountId: string;
  readonly startsOn: string;
  readonly endsOn: string | null;
  readonly dueDay: number;
  readonly terminatedOn: string | null;
  readonly terminationReason: string | null;
  readonly terminatedBy: string | null;
  readonly createdBy: string;
  readonly createdAt: Date;
}

export interface FeeVersionRecord {
  readonly leaseId: string;
  readonly effectiveOn: string;
  readonly feeMinor: bigint;
  readonly reserveSharePoints: number;
  readonly motionId: string | null;
  readonly reason: string;
  readonly recordedBy: string;
  readonly recordedAt: Date;
}

export interface ChargeRecord {
  readonly id: string;
  readonly leaseId: string;
  readonly period: string;
  readonly dueOn: string;
  readonly amountMinor: bigint;
  readonly incomeMinor: bigint;
  readonly reserveMinor: bigint;
  readonly reserveSharePoints: number;
  readonly daysCharged: number;
  readonly daysInPeriod: number;
  readonly transactionId: string | null;
  readonly postedBy: string;
  readonly postedAt: Date;
}

export type PaymentSource = 'RECEIVED' | 'ACCOUNT';

export interface PaymentRecord {
  readonly id: string;
  readonly leaseId: string;
  readonly amountMinor: bigint;
  readonly source: PaymentSource;
  readonly fromAccountId: string | null;
  readonly receivedOn: string;
  readonly memo: string;
  readonly transactionId: string;
  readonly recordedBy: string;
  readonly recordedAt: Date;
}

export type ReliefKind = 'WAIVE' | 'DEFER';

export interface ReliefRecord {
  readonly id: string;
  readonly chargeId: string;
  readonly kind: ReliefKind;
  readonly amountMinor: bigint | null;
  readonly deferredTo: string | null;
  readonly reason: string;
  readonly motionId: string | null;
  readonly transactionId: string | null;
  readonly recordedBy: string;
  readonly recordedAt: Date;
}

/** A charge as the statement shows it: with what was waived, paid, and is still owed, and when it is due. */
export interface ChargeLine {
  readonly charge: ChargeRecord;
  readonly waivedMinor: bigint;
  readonly paidMinor: bigint;
  readonly outstandingMinor: bigint;
  /** The due date in force (a deferral moves it). */
  readonly dueOn: string;
  readonly bucket: AgeingBucket;
  readonly daysLate: number | null;
}

export interface LeaseStanding {
  readonly lease: LeaseRecord;
  readonly asOf: string;
  readonly chargedMinor: bigint;
  readonly paidMinor: bigint;
  readonly waivedMinor: bigint;
  readonly outstandingMinor: bigint;
  readonly creditMinor: bigint;
  readonly overdueMinor: bigint;
  readonly daysLate: number | null;
  readonly buckets: Readonly<Record<AgeingBucket, bigint>>;
}

export interface StatementRecord extends LeaseStanding {
  readonly fees: readonly FeeVersionRecord[];
  readonly charges: readonly ChargeLine[];
  readonly payments: readonly PaymentRecord[];
  readonly reliefs: readonly ReliefRecord[];
  readonly allocations: readonly { paymentId: string; chargeId: string; amountMinor: bigint }[];
  /** The lease's receivable account balance in the ledger: equals credit − outstanding. */
  readonly accountBalanceMinor: bigint;
}
