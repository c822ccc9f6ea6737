import type { DecisionRule, Quorum } from './rules/tally.js';

/** Rows of governance as the repository returns them, and the vocabulary other modules use with it. */
export type AssemblyKind = 'MEMBERS' | 'CONFEDERAL';

export interface AssemblyRecord {
  readonly id: string;
  readonly organizationId: string;
  readonly name: string;
  readonly kind: AssemblyKind;
  readonly delegationAllowed: boolean;
  /** Whether the members of the federations above its organisation see its motions and outcomes. */
  readonly outcomesPublic: boolean;
  readonly createdAt: Date;
}

/** A confederal assembly's seat: a member organisation, its weight, and the person it appointed. */
export interface SeatRecord {
  readonly assemblyId: string;
  readonly organizationId: string;
  readonly weight: bigint;
  readonly delegateId: string | null;
}

export type BallotKind = 'YES_NO' | 'RANKED' | 'APPROVAL' | 'BUDGET';
export type MotionStatus = 'SCHEDULED' | 'OPEN' | 'CLOSED' | 'WITHDRAWN';
export type BudgetMethod = 'GREEDY' | 'EQUAL_SHARES';

/** What a passed motion does: an effect a module registered (governance.service `registerEffect`). */
export interface MotionEffect {
  readonly kind: string;
  readonly params: Readonly<Record<string, unknown>>;
}

export interface BudgetProposalTerms {
  readonly id: string;
  readonly title: string;
  readonly cost: bigint;
  /** Where the money goes when the proposal is funded. */
  readonly payeeAccountId: string;
}

export interface BudgetTerms {
  readonly unitCode: string;
  /** The fund that pays the winners, held by the assembly's organisation. */
  readonly fundAccountId: string;
  readonly amount: bigint;
  readonly method: BudgetMethod;
  readonly proposals: readonly BudgetProposalTerms[];
}

export interface MotionRecord {
  readonly id: string;
  readonly assemblyId: string;
  readonly title: string;
  readonly body: string;
  readonly ballotKind: BallotKind;
  readonly rule: DecisionRule;
  readonly quorum: Quorum | null;
  readonly options: readonly string[];
  readonly budget: BudgetTerms | null;
  readonly effect: MotionEffect | null;
  readonly secret: boolean;
  readonly resultsHidden: boolean;
  readonly changeable: boolean;
  readonly earlyClose: boolean;
  /** Whether delegation applies, fixed when the motion opens (null until then). */
  readonly delegationApplies: boolean | null;
  readonly opensAt: Date;
  readonly closesAt: Date;
  readonly status: MotionStatus;
  readonly proposedBy: string;
  readonly createdAt: Date;
}

export interface MotionVoterRecord {
  readonly motionId: string;
  readonly voterId: string;
  readonly weight: bigint;
  /** Who casts this voter's ballot: the member, or the seat's delegate. */
  readonly personId: string;
}

export type BallotChoice =
  | { readonly kind: 'YES_NO'; readonly choice: 'YES' | 'NO' | 'ABSTAIN' | 'BLOCK' | 'OBJECT' }
  | { readonly kind: 'RANKED'; readonly ranking: readonly (readonly string[])[] }
  | { readonly kind: 'APPROVAL'; readonly approved: readonly string[] };

export interface BallotRecord {
  readonly motionId: string;
  readonly voterId: string;
  readonly choice: BallotChoice;
  readonly reason: string;
  readonly version: number;
  readonly castAt: Date;
}

export interface SecretBallotRecord {
  readonly choice: BallotChoice;
  readonly reason: string;
  readonly weight: bigint;
}

export interface DelegationRecord {
  readonly id: string;
  readonly assemblyId: string;
  readonly fromVoter: string;
  readonly toVoter: string;
  readonly motionId: string | null;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

export type EffectStatus = 'NONE' | 'APPLIED' | 'FAILED' | 'NOT_PASSED';

export interface OutcomeRecord {
  readonly motionId: string;
  readonly closedAt: Date;
  readonly passed: boolean;
  /** The full tally, as plain JSON (amounts and weights as decimal strings). */
  readonly tally: Readonly<Record<string, unknown>>;
  readonly effectStatus: EffectStatus;
  readonly effectDetail: Readonly<Record<string, unknown>>;
}

export type ApprovalStatus = 'OPEN' | 'APPROVED' | 'DECLINED' | 'EXPIRED' | 'WITHDRAWN';

/** What an approved request does: an action a module registered (governance.service `registerAction`). */
export interface ApprovalAction {
  readonly kind: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** Who approves: the holders of a role in the request's organisation (now), or a named committee. */
export type Approvers = { readonly role: string } | { readonly committee: readonly string[] };

/** A request as a module (or the API) makes it. */
export interface NewApprovalRequest {
  readonly id: string;
  readonly organizationId: string;
  readonly title: string;
  readonly action: ApprovalAction;
  readonly approvers: Approvers;
  readonly required: number;
  readonly expiresAt: Date;
}

export interface ApprovalRequestRecord {
  readonly id: string;
  readonly organizationId: string;
  readonly title: string;
  readonly action: ApprovalAction;
  /** Who approves: the holders of a role in the organisation, or a named committee. */
  readonly approverRole: string | null;
  readonly committee: readonly string[] | null;
  readonly required: number;
  readonly authorId: string;
  readonly payeeIds: readonly string[];
  readonly version: number;
  readonly expiresAt: Date;
  readonly status: ApprovalStatus;
  readonly result: Readonly<Record<string, unknown>> | null;
  readonly createdAt: Date;
  readonly decidedAt: Date | null;
}

export interface ApprovalDecisionRecord {
  readonly requestId: string;
  readonly approverId: string;
  readonly version: number;
  readonly decision: 'APPROVE' | 'REFUSE' | 'RECUSE';
  readonly reason: string;
  readonly decidedAt: Date;
}
