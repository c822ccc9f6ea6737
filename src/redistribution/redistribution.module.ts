import { Module } from '@nestjs/common';
import { GovernanceModule } from '../governance/governance.module.js';
import type { DomainModule } from '../kernel/domain-module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { REDISTRIBUTION_ERRORS } from './redistribution.errors.js';
import { REDISTRIBUTION_INVARIANTS } from './redistribution-invariants.js';
import { RedistributionRepository } from './redistribution.repository.js';
import { RedistributionPolicyResolver, RedistributionRunResolver } from './redistribution.resolver.js';
import { RedistributionService } from './redistribution.service.js';

/**
 * Surplus routed by the policies assemblies adopt: policies as versioned data decided by motions, runs
 * previewed, executed once per policy version and period, exact, explained line by line, reversible and
 * scheduled. Registers its motion effects with governance and its scheduled work with the kernel.
 */
@Module({
  imports: [LedgerModule, OrganizationsModule, GovernanceModule],
  providers: [RedistributionRepository, RedistributionService, RedistributionPolicyResolver, RedistributionRunResolver],
  exports: [RedistributionService],
})
export class RedistributionModule {}

export const REDISTRIBUTION: DomainModule = {
  name: 'redistribution',
  module: RedistributionModule,
  resolvers: [RedistributionPolicyResolver, RedistributionRunResolver],
  reasons: REDISTRIBUTION_ERRORS,
  tables: ['redistribution_policy', 'redistribution_policy_version', 'redistribution_run', 'redistribution_run_line'],
  invariants: REDISTRIBUTION_INVARIANTS,
};
