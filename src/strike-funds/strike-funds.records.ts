import type { DrawCategory, DrawStatus } from './rules/hardship-draws.js';
import type { ReleaseMode } from './rules/escrow.js';
import type { PledgePeriod } from './rules/pledges.js';
import type { Shortfall, StipendRules } from './rules/stipends.js';

export type { DrawCategory, DrawStatus, PledgePeriod, ReleaseMode, Shortfall, StipendRules };

export type FundPurpose = 'STRIKE' | 'MUTUAL_AID' | 'RENT_ESCROW';
export type ContributionSource = 'OUTSIDE' | 'LEDGER';
export type ContributorVisibility = 'NAMED' | 'PSEUDONYMOUS' | 'ANONYMOUS';
export type BatchStatus = 'PREVIEW' | 'SUPERSEDED' | 'UNFUNDED' | 'SUBMITTED' | 'PAID' | 'DECLINED';
export type DepositSource = 'TENANT_ACCOUNT' | 'OUTSIDE';

export interface FundRecord {
  readonly id: string;
  readonly organizationId: string;
  readonly name: string;
  readonly purpose: FundPurpose;
  readonly unitCode: string;
  readonly accountId: string;
  readonly outsideAccountId: string;
  readonly committee: readonly string[];
  readonly required: number;
  readonly blindReview: boolean;
  readonly reviewDays: number;
  readonly drawCapPerYear: bigint;
  readonly membersSeeDetail: boolean;
  readonly createdBy: string;
  readonly createdAt: Date;
}

export interface ContributionRecord {
  readonly id: string;
  readonly fundId: string;
  readonly source: ContributionSource;
  readonly fromAccountId: string;
  readonly contributorId: string | null;
  readonly contributorName: string | null;
  readonly visibility: ContributorVisibility;
  readonly amount: bigint;
  readonly memo: string;
  readonly pledgeId: string | null;
  readonly pledgePeriod: number | null;
  readonly transactionId: string;
  readonly recordedBy: string;
  readonly receivedAt: Date;
}

export interface StrikeRecord {
  readonly id: string;
  readonly fundId: string;
  readonly name: string;
  readonly startsOn: string;
  readonly endsOn: string | null;
  readonly drawCapPerStriker: bigint;
  readonly createdBy: string;
  readonly createdAt: Date;
}

export interface RuleVersionRecord extends StipendRules {
  readonly strikeId: string;
  readonly version: number;
  readonly effectiveFrom: string;
  readonly createdBy: string;
  readonly createdAt: Date;
}

export interface StrikerRecord {
  readonly strikeId: string;
  readonly personId: string;
  readonly accountId: string;
  readonly dependants: number;
  readonly enrolledAt: Date;
}

export interface ShiftRecord {
  readonly id: string;
  readonly strikeId: string;
  readonly personId: string;
  readonly day: string;
  readonly minutes: number;
  readonly correctsId: string | null;
  readonly note: string;
  readonly recordedBy: string;
  readonly recordedAt: Date;
}

export interface BatchRecord {
  readonly id: string;
  readonly strikeId: string;
  readonly weekStart: string;
  readonly ruleVersion: number;
  readonly status: BatchStatus;
  readonly requestedTotal: bigint;
  readonly total: bigint;
  readonly available: bigint;
  readonly shortfall: Shortfall | null;
  readonly explanation: string;
  readonly approvalRequestId: string | null;
  readonly computedBy: string;
  readonly computedAt: Date;
  readonly decidedAt: Date | null;
}

export interface BatchLineRecord {
  readonly batchId: string;
  readonly personId: string;
  readonly accountId: string;
  readonly minutes: number;
  readonly dependants: number;
  readonly base: bigint;
  readonly supplement: bigint;
  readonly due: bigint;
  readonly amount: bigint;
  readonly explanation: string;
}

export interface DrawRecord {
  readonly id: string;
  readonly fundId: string;
  readonly strikeId: string | null;
  readonly applicantId: string;
  readonly accountId: string;
  readonly amount: bigint;
  readonly category: DrawCategory;
  readonly dependants: number;
  readonly evictionNotice: boolean;
  readonly shutOffNotice: boolean;
  readonly statement: string;
  readonly priority: number;
  readonly status: DrawStatus;
  readonly approvalRequestId: string;
  readonly paidAmount: bigint | null;
  readonly paidAccountId: string | null;
  readonly createdAt: Date;
  readonly decidedAt: Date | null;
}

export interface DepositRecord {
  readonly id: string;
  readonly fundId: string;
  readonly tenantId: string;
  readonly tenantAccountId: string;
  readonly month: string;
  readonly amount: bigint;
  readonly source: DepositSource;
  readonly transactionId: string;
  readonly recordedBy: string;
  readonly recordedAt: Date;
}

export interface ReleaseRecord {
  readonly id: string;
  readonly fundId: string;
  readonly motionId: string;
  readonly mode: ReleaseMode;
  readonly landlordAccountId: string | null;
  readonly withheldPerTenant: bigint;
  readonly total: bigint;
  readonly releasedAt: Date;
}

export interface TenantHolding {
  readonly tenantId: string;
  readonly accountId: string;
  readonly deposited: bigint;
  readonly released: bigint;
}

export type PledgeStatus = 'ACTIVE' | 'FAILED' | 'ENDED';

export interface PledgeRecord {
  readonly id: string;
  readonly fundId: string;
  readonly contributorId: string | null;
  readonly contributorName: string | null;
  readonly visibility: ContributorVisibility;
  readonly fromAccountId: string | null;
  readonly amount: bigint;
  readonly period: PledgePeriod;
  readonly status: PledgeStatus;
  readonly failure: string | null;
  readonly createdBy: string;
  readonly createdAt: Date;
}
