import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { AccountsService } from '../ledger/accounts.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { DEMO_ACCOUNTS, DEMO_TRANSACTIONS, DEMO_UNITS } from './demo-ledger.js';

/** Loads the demo ledger when DEMO_DATA is on and the database has no units yet. */
@Injectable()
export class DemoLoader implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoLoader.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(LedgerService) private readonly ledger: LedgerService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoData || (await this.accounts.units()).length > 0) return;
    for (const unit of DEMO_UNITS) await this.accounts.createUnit(unit);
    for (const account of DEMO_ACCOUNTS) await this.accounts.openAccount(account);
    const results = await this.ledger.submit(DEMO_TRANSACTIONS);
    const refused = results.filter((result) => !result.ok);
    if (refused.length > 0) throw new Error(`demo transactions refused: ${JSON.stringify(refused)}`);
    this.logger.log(
      `loaded demo data: ${DEMO_UNITS.length} units, ${DEMO_ACCOUNTS.length} accounts, ${results.length} transactions`,
    );
  }
}
