import { Module } from '@nestjs/common';
import { GovernanceModule } from '../governance/governance.module.js';
import type { DomainModule } from '../kernel/domain-module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { LandTrustDecisions } from './land-trust-decisions.js';
import { LAND_TRUSTS_INVARIANTS } from './land-trusts-invariants.js';
import { LAND_TRUSTS_ERRORS } from './land-trusts.errors.js';
import { LandTrustsRepository } from './land-trusts.repository.js';
import { LandTrustsResolver } from './land-trusts.resolver.js';
import { LandTrustsService } from './land-trusts.service.js';

/**
 * Community land trusts: parcels and homes, ground leases with versioned fees and a stewardship-reserve
 * share, charges posted once per lease and period by the scheduler, payments to the oldest charge first,
 * arrears ageing, hardship relief, statements and the resale formula.
 */
@Module({
  imports: [LedgerModule, OrganizationsModule, GovernanceModule],
  providers: [LandTrustsRepository, LandTrustsService, LandTrustDecisions, LandTrustsResolver],
  exports: [LandTrustsService],
})
export class LandTrustsModule {}

export const LAND_TRUSTS: DomainModule = {
  name: 'land-trusts',
  module: LandTrustsModule,
  resolvers: [LandTrustsResolver],
  reasons: LAND_TRUSTS_ERRORS,
  tables: [
    'land_trust',
    'land_parcel',
    'ground_lease',
    'ground_lease_fee',
    'ground_lease_charge',
    'ground_lease_payment',
    'ground_lease_relief',
  ],
  invariants: LAND_TRUSTS_INVARIANTS,
};
