import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { GovernanceModule } from '../governance/governance.module.js';
import { RedistributionModule } from '../redistribution/redistribution.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { DemoLoader } from './demo.loader.js';
import { GovernanceDemo } from './governance-demo.js';
import { RedistributionDemo } from './redistribution-demo.js';

/** The demo federation, loaded into an empty database through the modules' own services. */
@Module({
  imports: [AuthModule, OrganizationsModule, LedgerModule, GovernanceModule, RedistributionModule],
  providers: [DemoLoader, GovernanceDemo, RedistributionDemo],
})
export class DemoModule {}
