import { Module } from '@nestjs/common';
import type { DomainModule } from '../kernel/domain-module.js';
import { AccountResolver } from './account.resolver.js';
import { AccountsService } from './accounts.service.js';
import { LEDGER_INVARIANTS } from './ledger-invariants.js';
import { LedgerWork } from './ledger-work.js';
import { LEDGER_ERRORS } from './ledger.errors.js';
import { LedgerRepository } from './ledger.repository.js';
import { LedgerService } from './ledger.service.js';
import { EntryResolver, TransactionResolver } from './transaction.resolver.js';
import { UnitResolver } from './unit.resolver.js';

/**
 * Units, accounts, transactions, holds: the double-entry ledger. Knows nothing of who holds accounts: who
 * may do what is asked of the LEDGER_ACCESS port, which a module above provides.
 */
@Module({
  providers: [
    LedgerRepository,
    LedgerService,
    AccountsService,
    LedgerWork,
    UnitResolver,
    AccountResolver,
    TransactionResolver,
    EntryResolver,
  ],
  exports: [LedgerService, AccountsService],
})
export class LedgerModule {}

export const LEDGER: DomainModule = {
  name: 'ledger',
  module: LedgerModule,
  resolvers: [UnitResolver, AccountResolver, TransactionResolver, EntryResolver],
  reasons: LEDGER_ERRORS,
  tables: [
    'unit',
    'account',
    'account_change',
    'transaction_outcome',
    'ledger_transaction',
    'entry',
    'open_hold',
    'books_check',
  ],
  invariants: LEDGER_INVARIANTS,
};
