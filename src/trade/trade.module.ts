import { Module } from '@nestjs/common';
import type { DomainModule } from '../kernel/domain-module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { ClearingResolver } from './clearing.resolver.js';
import { ClearingService } from './clearing.service.js';
import { InvoiceResolver } from './invoice.resolver.js';
import { InvoicesService } from './invoices.service.js';
import { TRADE_ERRORS } from './trade.errors.js';
import { TRADE_INVARIANTS } from './trade-invariants.js';
import { TradeRepository } from './trade.repository.js';

/**
 * Co-op trade on the federation's mutual credit: invoices between organisations (issued, accepted, rejected,
 * cancelled, paid in parts, paid automatically up to a limit), statements, and multilateral clearing rounds
 * that set off cycles of debt between a federation's members.
 */
@Module({
  imports: [LedgerModule, OrganizationsModule],
  providers: [TradeRepository, InvoicesService, ClearingService, InvoiceResolver, ClearingResolver],
  exports: [InvoicesService, ClearingService],
})
export class TradeModule {}

export const TRADE: DomainModule = {
  name: 'trade',
  module: TradeModule,
  resolvers: [InvoiceResolver, ClearingResolver],
  reasons: TRADE_ERRORS,
  tables: [
    'invoice',
    'invoice_line',
    'invoice_event',
    'automatic_payment',
    'clearing_setting',
    'clearing_round',
    'clearing_participant',
    'clearing_setoff',
  ],
  invariants: TRADE_INVARIANTS,
};
