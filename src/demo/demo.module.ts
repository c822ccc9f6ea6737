import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { GovernanceModule } from '../governance/governance.module.js';
import { LandTrustsModule } from '../land-trusts/land-trusts.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { RedistributionModule } from '../redistribution/redistribution.module.js';
import { StrikeFundsModule } from '../strike-funds/strike-funds.module.js';
import { TimebankModule } from '../timebank/timebank.module.js';
import { TradeModule } from '../trade/trade.module.js';
import { DemoLoader } from './demo.loader.js';
import { GovernanceDemo } from './governance-demo.js';
import { LandTrustsDemo } from './land-trusts-demo.js';
import { RedistributionDemo } from './redistribution-demo.js';
import { StrikeFundsDemo } from './strike-funds-demo.js';
import { TimebankDemo } from './timebank-demo.js';
import { TradeDemo } from './trade-demo.js';

/** The demo federation, loaded into an empty database through the modules' own services. */
@Module({
  imports: [
    AuthModule,
    OrganizationsModule,
    LedgerModule,
    GovernanceModule,
    TimebankModule,
    TradeModule,
    StrikeFundsModule,
    LandTrustsModule,
    RedistributionModule,
  ],
  providers: [DemoLoader, GovernanceDemo, TimebankDemo, TradeDemo, StrikeFundsDemo, LandTrustsDemo, RedistributionDemo],
})
export class DemoModule {}
