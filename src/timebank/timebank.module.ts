import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { GovernanceModule } from '../governance/governance.module.js';
import type { DomainModule } from '../kernel/domain-module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { ExchangesService } from './exchanges.service.js';
import { StatementsService } from './statements.service.js';
import { TIMEBANK_INVARIANTS } from './timebank-invariants.js';
import { TIMEBANK_ERRORS } from './timebank.errors.js';
import { TimebankRepository } from './timebank.repository.js';
import { ListingResolver, TimeBankResolver, TimeLogResolver } from './timebank.resolver.js';
import { TimebankService } from './timebank.service.js';

/**
 * Time banks: settings, members' hours accounts, offers and requests, time logs that the other side
 * confirms (or that confirm themselves), disputes, corrections, community work, exchanges between the banks
 * of a federation, and statements. It registers the motion effect `timebank.change-settings`.
 */
@Module({
  imports: [AuthModule, LedgerModule, OrganizationsModule, GovernanceModule],
  providers: [
    TimebankRepository,
    TimebankService,
    ExchangesService,
    StatementsService,
    TimeBankResolver,
    ListingResolver,
    TimeLogResolver,
  ],
  exports: [TimebankService, ExchangesService, StatementsService],
})
export class TimebankModule {}

export const TIMEBANK: DomainModule = {
  name: 'timebank',
  module: TimebankModule,
  resolvers: [TimeBankResolver, ListingResolver, TimeLogResolver],
  reasons: TIMEBANK_ERRORS,
  tables: [
    'timebank',
    'timebank_settings_change',
    'timebank_member',
    'timebank_partner_account',
    'timebank_listing',
    'timebank_exchange',
    'timebank_exchange_step',
  ],
  invariants: TIMEBANK_INVARIANTS,
};
