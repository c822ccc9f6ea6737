import { Module } from '@nestjs/common';
import { GovernanceModule } from '../governance/governance.module.js';
import type { DomainModule } from '../kernel/domain-module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { DrawsService } from './draws.service.js';
import { EscrowService } from './escrow.service.js';
import { FundsService } from './funds.service.js';
import { PledgesService } from './pledges.service.js';
import { STRIKE_FUNDS_INVARIANTS } from './strike-funds-invariants.js';
import { StrikeFundsRepository } from './strike-funds.repository.js';
import { STRIKE_FUNDS_ERRORS } from './strike-funds.errors.js';
import { StrikeFundsResolver } from './strike-funds.resolver.js';
import { StrikesService } from './strikes.service.js';

/**
 * Strike funds, mutual aid and rent-strike escrow: money held in trust and paid out with due process. It
 * registers with governance what its decisions do: paying a stipend batch or a hardship draw (N-of-M
 * approval actions) and releasing escrow (a motion's effect).
 */
@Module({
  imports: [LedgerModule, OrganizationsModule, GovernanceModule],
  providers: [
    StrikeFundsRepository,
    FundsService,
    PledgesService,
    StrikesService,
    DrawsService,
    EscrowService,
    StrikeFundsResolver,
  ],
  exports: [FundsService, PledgesService, StrikesService, DrawsService, EscrowService],
})
export class StrikeFundsModule {}

export const STRIKE_FUNDS: DomainModule = {
  name: 'strike-funds',
  module: StrikeFundsModule,
  resolvers: [StrikeFundsResolver],
  reasons: STRIKE_FUNDS_ERRORS,
  tables: [
    'strike_fund',
    'fund_pledge',
    'fund_contribution',
    'strike',
    'stipend_rule',
    'striker',
    'picket_shift',
    'stipend_batch',
    'stipend_line',
    'hardship_draw',
    'escrow_deposit',
    'escrow_release',
    'escrow_release_share',
  ],
  invariants: STRIKE_FUNDS_INVARIANTS,
};
