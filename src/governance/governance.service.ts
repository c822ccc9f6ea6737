import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../kernel/principal.js';
import { ApprovalsService } from './approvals.service.js';
import { EffectRegistry } from './effect-registry.js';
import type { ApprovalActionHandler, MotionEffectHandler } from './governance-actions.port.js';
import type { ApprovalRequestRecord, NewApprovalRequest } from './governance.records.js';

/**
 * What governance offers the modules above it. A module registers the effects a motion may have and the
 * actions an approval request may run (in its `onModuleInit`), named `<module>.<name>`; governance calls
 * them back through the port when a motion passes or a request is approved, in that database transaction,
 * with the decision as the authority of every ledger transaction they write. A module whose workflow needs
 * sign-off makes an approval request in its own transaction.
 */
@Injectable()
export class GovernanceService {
  constructor(
    @Inject(EffectRegistry) private readonly registry: EffectRegistry,
    @Inject(ApprovalsService) private readonly approvals: ApprovalsService,
  ) {}

  registerEffect(kind: string, handler: MotionEffectHandler): void {
    this.registry.addEffect(kind, handler);
  }

  registerAction(kind: string, handler: ApprovalActionHandler): void {
    this.registry.addAction(kind, handler);
  }

  /** Makes an approval request in the caller's transaction, authored by the person the principal names. */
  async requestApproval(
    manager: EntityManager,
    principal: Principal,
    request: NewApprovalRequest,
  ): Promise<ApprovalRequestRecord> {
    return this.approvals.requestIn(manager, principal, request);
  }

  async approvalRequest(manager: EntityManager, id: string): Promise<ApprovalRequestRecord | null> {
    return this.approvals.find(manager, id);
  }
}
