import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../kernel/config/app-config.js';
import { APP_CONFIG } from '../kernel/config/config.module.js';
import { runInTransaction } from '../kernel/database/run-in-transaction.js';
import { HealthProbes } from '../kernel/health/health.controller.js';
import { BOOKS_INVARIANTS, checkInvariants, type Invariant } from '../kernel/invariants.js';
import { SchedulerService, type Occurrence } from '../kernel/scheduling/scheduler.service.js';
import { LedgerRepository } from './ledger.repository.js';
import { EXPIRE_HOLDS, LedgerService } from './ledger.service.js';

/** The recurring check of the books (BOOKS_CHECK_CRON): every module's invariants, kept per occurrence. */
export const CHECK_BOOKS = 'ledger.check-books';

/**
 * The ledger's scheduled work. Hold expiry runs at the instants holds fall due: placing a hold with a timeout
 * schedules its second in the same database transaction (ledger.service.ts). The books check runs every
 * invariant on a schedule and keeps the outcome, one row per occurrence, shown by /health.
 */
@Injectable()
export class LedgerWork implements OnModuleInit {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(LedgerRepository) private readonly repository: LedgerRepository,
    @Inject(SchedulerService) private readonly scheduler: SchedulerService,
    @Inject(HealthProbes) private readonly health: HealthProbes,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BOOKS_INVARIANTS) private readonly books: readonly Invariant[],
  ) {}

  async onModuleInit(): Promise<void> {
    this.scheduler.register(EXPIRE_HOLDS, async () => {
      await this.ledger.expireDueHolds();
    });
    this.scheduler.register(CHECK_BOOKS, (occurrence) => this.checkBooks(occurrence));
    const cron = this.config.scheduler.booksCheckCron;
    await runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      if (cron === null) await this.scheduler.cancel(manager, CHECK_BOOKS, 'all');
      else {
        await this.scheduler.every(manager, {
          work: CHECK_BOOKS,
          key: 'all',
          cron,
          catchUp: this.config.scheduler.booksCheckCatchUp,
        });
      }
    });
    this.health.add('books', async () => {
      const last = await this.repository.lastBooksCheck(this.dataSource.manager);
      return last === null
        ? { checked: false }
        : {
            checked: true,
            checkedAt: last.checkedAt,
            balanced: last.violations.length === 0,
            violations: last.violations,
          };
    });
  }

  private async checkBooks(occurrence: Occurrence): Promise<void> {
    const violations = (await checkInvariants(this.dataSource.manager, this.books))
      .filter((result) => result.rows.length > 0)
      .map((result) => ({ invariant: result.invariant, rows: result.rows.length }));
    await this.repository.recordBooksCheck(this.dataSource.manager, occurrence.id, violations);
  }
}
