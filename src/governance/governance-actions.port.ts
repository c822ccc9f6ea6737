import type { EntityManager } from 'typeorm';
import type { AssemblyRecord, ApprovalRequestRecord, MotionRecord } from './governance.records.js';

/**
 * What decisions can do, offered by the modules that own what they change. Governance sits below the
 * institutions on the domain map: a module above registers its effects and actions with governance
 * (GovernanceService `registerEffect`, `registerAction`) when it starts, and governance calls them back
 * through these interfaces. Governance itself offers only ledger-level ones (disbursing from a fund,
 * setting a credit line). Every ledger transaction an effect or action writes names the decision as its
 * authority: `{ kind: 'MOTION', id }` or `{ kind: 'APPROVAL_REQUEST', id }`.
 */
export interface MotionEffectHandler {
  /**
   * When the motion is proposed: whether its assembly may decide this, and whether the parameters are well
   * formed (a DomainError when not). Returns the parameters as they are stored.
   */
  check(
    manager: EntityManager,
    context: { readonly assembly: AssemblyRecord; readonly params: Readonly<Record<string, unknown>> },
  ): Promise<Record<string, unknown>>;
  /**
   * In the database transaction that records the passed outcome. Throws when it cannot apply (a fund that no
   * longer holds the amount): the outcome stands, the effect is recorded as failed with the reason, and
   * nothing of it is written. Returns what it did, for the outcome.
   */
  apply(
    manager: EntityManager,
    context: {
      readonly motion: MotionRecord;
      readonly assembly: AssemblyRecord;
      readonly params: Readonly<Record<string, unknown>>;
    },
  ): Promise<Record<string, unknown>>;
}

export interface ApprovalActionHandler {
  /**
   * When the request is made or changed: whether the organisation may act so, and the parameters as stored,
   * with the parties the action pays (who may never approve it).
   */
  check(
    manager: EntityManager,
    context: { readonly organizationId: string; readonly params: Readonly<Record<string, unknown>> },
  ): Promise<{ readonly params: Record<string, unknown>; readonly payeeIds: readonly string[] }>;
  /**
   * Once, when the approval that completes N is recorded, in the same database transaction. When it cannot
   * apply (the fund no longer holds the amount), it throws: that approval is not recorded, the request stays
   * open, and the approver sees why. Returns what it did, kept as the request's result.
   */
  apply(
    manager: EntityManager,
    context: { readonly request: ApprovalRequestRecord; readonly params: Readonly<Record<string, unknown>> },
  ): Promise<Record<string, unknown>>;
  /**
   * When the request ends without being approved (declined, expired or withdrawn), in that database
   * transaction: the module releases whatever it set aside for it. `status` says how it ended. Optional.
   */
  /**
   * Whether the request hides who asked and who is paid from everyone but its author (blind review of a
   * hardship draw): its approvers then see neither the author, nor the payees, nor the parameters. Optional.
   */
  hidesParties?(request: ApprovalRequestRecord): boolean;
  closed?(
    manager: EntityManager,
    context: { readonly request: ApprovalRequestRecord; readonly status: 'DECLINED' | 'EXPIRED' | 'WITHDRAWN' },
  ): Promise<void>;
}
