import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { GovernanceModule } from '../governance/governance.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { TradeModule } from '../trade/trade.module.js';
import { DemoLoader } from './demo.loader.js';
import { GovernanceDemo } from './governance-demo.js';
import { TradeDemo } from './trade-demo.js';

/** The demo federation, loaded into an empty database through the modules' own services. */
@Module({
  imports: [AuthModule, OrganizationsModule, LedgerModule, GovernanceModule, TradeModule],
  providers: [DemoLoader, GovernanceDemo, TradeDemo],
})
export class DemoModule {}
