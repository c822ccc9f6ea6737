import { Module } from '@nestjs/common';
import { AccountResolver } from './account.resolver.js';
import { AccountsService } from './accounts.service.js';
import { HoldExpiryScheduler } from './hold-expiry.scheduler.js';
import { LedgerRepository } from './ledger.repository.js';
import { LedgerService } from './ledger.service.js';
import { EntryResolver, TransactionResolver } from './transaction.resolver.js';
import { UnitResolver } from './unit.resolver.js';

/** Units, accounts, transactions, holds: the double-entry ledger. Knows nothing of who holds accounts. */
@Module({
  providers: [
    LedgerRepository,
    LedgerService,
    AccountsService,
    HoldExpiryScheduler,
    UnitResolver,
    AccountResolver,
    TransactionResolver,
    EntryResolver,
  ],
  exports: [LedgerService, AccountsService],
})
export class LedgerModule {}

/** Every resolver of the ledger, for generating schema.graphql without a database. */
export const LEDGER_RESOLVERS = [UnitResolver, AccountResolver, TransactionResolver, EntryResolver];
