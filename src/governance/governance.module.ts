import { Module } from '@nestjs/common';
import type { DomainModule } from '../kernel/domain-module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { ApprovalRequestResolver } from './approval.resolver.js';
import { ApprovalsService } from './approvals.service.js';
import { AssembliesService } from './assemblies.service.js';
import { AssemblyResolver } from './assembly.resolver.js';
import { EffectRegistry } from './effect-registry.js';
import { GOVERNANCE_ERRORS } from './governance.errors.js';
import { GovernanceRepository } from './governance.repository.js';
import { GovernanceService } from './governance.service.js';
import { LedgerDecisions } from './ledger-decisions.js';
import { MotionResolver } from './motion.resolver.js';
import { MotionsService } from './motions.service.js';

/**
 * Assemblies, motions, ballots, delegation, outcomes and N-of-M approval requests: decisions that move
 * money. The modules above register what decisions can do through GovernanceService (the port's handlers).
 */
@Module({
  imports: [LedgerModule, OrganizationsModule],
  providers: [
    GovernanceRepository,
    EffectRegistry,
    AssembliesService,
    MotionsService,
    ApprovalsService,
    GovernanceService,
    LedgerDecisions,
    AssemblyResolver,
    MotionResolver,
    ApprovalRequestResolver,
  ],
  exports: [GovernanceService, AssembliesService, MotionsService, ApprovalsService],
})
export class GovernanceModule {}

export const GOVERNANCE: DomainModule = {
  name: 'governance',
  module: GovernanceModule,
  resolvers: [AssemblyResolver, MotionResolver, ApprovalRequestResolver],
  reasons: GOVERNANCE_ERRORS,
  tables: [
    'assembly',
    'assembly_seat',
    'motion',
    'motion_voter',
    'ballot',
    'ballot_change',
    'secret_participation',
    'secret_ballot',
    'delegation',
    'motion_delegation',
    'motion_outcome',
    'approval_request',
    'approval_decision',
  ],
  invariants: [],
};
