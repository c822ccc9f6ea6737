import type { LegSummary, LineRole } from './rules/plan-run.js';

export type PolicyStatus = 'ACTIVE' | 'RETIRED';

export interface PolicyRecord {
  readonly id: string;
  readonly organizationId: string;
  readonly unitCode: string;
  readonly name: string;
  readonly currentVersion: number;
  readonly status: PolicyStatus;
  readonly retiredByMotionId: string | null;
  readonly retiredAt: Date | null;
  readonly createdAt: Date;
}

export interface PolicyVersionRecord {
  readonly policyId: string;
  readonly version: number;
  /** The document as adopted (policy-document.ts `policyJson`). */
  readonly document: Record<string, unknown>;
  readonly motionId: string;
  readonly adoptedAt: Date;
}

export type RunStatus = 'EXECUTED' | 'REVERSED';

/** A leg of a run as stored with it: what it measured and moved, and how many transactions it wrote. */
export interface RunLegRecord extends Omit<LegSummary, 'measured' | 'moved'> {
  readonly measured: bigint;
  readonly moved: bigint;
  readonly transactionCount: number;
}

export interface RunRecord {
  readonly id: string;
  readonly policyId: string;
  readonly version: number;
  readonly periodStart: Date;
  readonly periodEnd: Date;
  readonly total: bigint;
  readonly transactionCount: number;
  readonly lineCount: number;
  readonly digest: string;
  readonly legs: readonly RunLegRecord[];
  readonly executedBy: string;
  readonly executedAt: Date;
  readonly status: RunStatus;
  readonly reversedBy: string | null;
  readonly reversalReason: string | null;
  readonly reversedAt: Date | null;
}

export interface RunLineRecord {
  readonly leg: number;
  readonly role: LineRole;
  readonly accountId: string;
  readonly basis: bigint;
  /** "n/d", or null. */
  readonly exactShare: string | null;
  readonly amount: bigint;
  readonly explanation: string;
}
