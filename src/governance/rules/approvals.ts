/**
 * Rule: an approval request (N of M sign-off) is approved when N of its approvers approve the current
 * version of the action. For actions a rule says need sign-off rather than a vote: a strike-fund draw, a
 * large disbursement.
 *
 * - The author of the request and the payees of the action never count, even when they hold the approver
 *   role: they may not approve, refuse or recuse (AUTHOR_OR_PAYEE), and any decision of theirs is ignored.
 * - An approver may recuse (a declared conflict of interest): they are then not counted in M, the set of
 *   approvers who could still approve.
 * - Any change to the action (amount, payee, destination account) raises its version and voids every
 *   decision taken on an older version: approvals, refusals and recusals alike. The approvers decide again
 *   on what the action now is. (Open Collective let payees change payout details after approval; here the
 *   change itself takes the approval away.)
 * - One decision per approver per version (ALREADY_DECIDED), taken while the request is open.
 *
 * Status, the first that applies:
 *   1. APPROVED when at least N eligible approvers approved the current version;
 *   2. DECLINED when N can no longer be reached: approvals plus eligible approvers yet to decide are fewer
 *      than N (enough refused or recused, or there were never N eligible approvers);
 *   3. EXPIRED when the expiry instant has come (now ≥ expiresAt) before either;
 *   4. OPEN otherwise.
 * Decisions are accepted only while OPEN, so approvals and refusals on record were all made before the
 * expiry, and APPROVED and DECLINED stand after it.
 *
 * Why: sign-off by several people protects a fund from one person's mistake or fraud, but only if the
 * people who benefit cannot sign, and a signature cannot be carried over to a different payment.
 *
 * SQL twins: the governance migration's approval_decision table with UNIQUE (request, approver, version),
 * a CHECK that the decision's version is the request's at the time (trigger), a trigger refusing decisions
 * by the author or a payee, and CHECK (required >= 1) on the request.
 */
import { assert } from '../../kernel/assert.js';

export interface ApprovalRequestState {
  readonly required: number;
  readonly approvers: readonly string[];
  /** The author and the payees: never count. */
  readonly excluded: readonly string[];
  readonly version: number;
  readonly expiresAt: Date;
  readonly now: Date;
}

export type DecisionKind = 'APPROVE' | 'REFUSE' | 'RECUSE';

export interface Decision {
  readonly approver: string;
  readonly decision: DecisionKind;
  readonly version: number;
}

export interface ApprovalVerdict {
  readonly status: 'OPEN' | 'APPROVED' | 'DECLINED' | 'EXPIRED';
  /** The approvers who count (M): approvers, less the author and payees, less those who recused. */
  readonly eligible: readonly string[];
  readonly approvals: readonly string[];
  readonly refusals: readonly string[];
  readonly recused: readonly string[];
  /** Eligible approvers who have not decided on the current version. */
  readonly undecided: readonly string[];
  /** Approvers whose decision was on an older version and no longer counts (they have not decided again). */
  readonly voided: readonly string[];
  /** How many more approvals N needs (0 once approved). */
  readonly stillNeeded: number;
}

/** The most approvers one request may name. */
export const MAX_APPROVERS = 100;

/**
 * Refusal reason for a new request, or null: REQUIRED_NOT_POSITIVE, TOO_MANY_APPROVERS,
 * DUPLICATE_APPROVER, NOT_ENOUGH_APPROVERS (fewer than N approvers who are not the author or a payee),
 * EXPIRY_NOT_IN_FUTURE.
 */
export function checkApprovalRequest(request: Omit<ApprovalRequestState, 'version'>): string | null {
  if (!Number.isSafeInteger(request.required) || request.required < 1) return 'REQUIRED_NOT_POSITIVE';
  if (request.approvers.length > MAX_APPROVERS) return 'TOO_MANY_APPROVERS';
  if (new Set(request.approvers).size !== request.approvers.length) return 'DUPLICATE_APPROVER';
  const excluded = new Set(request.excluded);
  if (request.approvers.filter((a) => !excluded.has(a)).length < request.required) return 'NOT_ENOUGH_APPROVERS';
  if (request.expiresAt.getTime() <= request.now.getTime()) return 'EXPIRY_NOT_IN_FUTURE';
  return null;
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

export function decideApprovals(state: ApprovalRequestState, decisions: readonly Decision[]): ApprovalVerdict {
  assert(Number.isSafeInteger(state.required) && state.required >= 1, 'an approval request needs N >= 1');
  const approvers = new Set(state.approvers);
  const excluded = new Set(state.excluded);
  const counts = (approver: string): boolean => approvers.has(approver) && !excluded.has(approver);

  const current = new Map<string, DecisionKind>();
  const older = new Set<string>();
  for (const decision of decisions) {
    assert(decision.version <= state.version, 'a decision is on a version the action never had');
    if (!counts(decision.approver)) continue;
    if (decision.version < state.version) {
      older.add(decision.approver);
      continue;
    }
    assert(!current.has(decision.approver), `${decision.approver} decided twice on one version`);
    current.set(decision.approver, decision.decision);
  }
  const withDecision = (kind: DecisionKind): string[] =>
    sorted([...current].filter(([, decision]) => decision === kind).map(([approver]) => approver));
  const approvals = withDecision('APPROVE');
  const refusals = withDecision('REFUSE');
  const recused = withDecision('RECUSE');
  const eligible = sorted([...approvers].filter((a) => counts(a) && current.get(a) !== 'RECUSE'));
  const undecided = eligible.filter((a) => !current.has(a));
  const voided = sorted([...older].filter((a) => !current.has(a)));

  let status: ApprovalVerdict['status'] = 'OPEN';
  if (approvals.length >= state.required) status = 'APPROVED';
  else if (approvals.length + undecided.length < state.required) status = 'DECLINED';
  else if (state.now.getTime() >= state.expiresAt.getTime()) status = 'EXPIRED';

  return {
    status,
    eligible,
    approvals,
    refusals,
    recused,
    undecided,
    voided,
    stillNeeded: Math.max(0, state.required - approvals.length),
  };
}

/**
 * Refusal reason for `approver` deciding `decision` now, or null, in this order: NOT_AN_APPROVER,
 * AUTHOR_OR_PAYEE (may not approve, refuse or recuse), REQUEST_CLOSED (approved, declined or expired),
 * ALREADY_DECIDED (on the current version). `decisions` are the request's decisions so far.
 */
export function checkDecision(
  state: ApprovalRequestState,
  approver: string,
  decision: DecisionKind,
  decisions: readonly Decision[],
): string | null {
  if (!['APPROVE', 'REFUSE', 'RECUSE'].includes(decision)) return 'UNKNOWN_DECISION';
  if (!state.approvers.includes(approver)) return 'NOT_AN_APPROVER';
  if (state.excluded.includes(approver)) return 'AUTHOR_OR_PAYEE';
  if (decideApprovals(state, decisions).status !== 'OPEN') return 'REQUEST_CLOSED';
  if (decisions.some((d) => d.approver === approver && d.version === state.version)) return 'ALREADY_DECIDED';
  return null;
}
