import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../kernel/config/app-config.js';
import { APP_CONFIG } from '../kernel/config/config.module.js';
import { LedgerService } from './ledger.service.js';

/** Expires due holds every HOLD_EXPIRY_INTERVAL_MS (0 turns it off); one sweep at a time per process. */
@Injectable()
export class HoldExpiryScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HoldExpiryScheduler.name);
  private timer: NodeJS.Timeout | undefined;
  private sweep: Promise<void> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LedgerService) private readonly ledger: LedgerService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.holdExpiryIntervalMs === 0) return;
    this.timer = setInterval(() => {
      this.sweep ??= this.ledger
        .expireDueHolds()
        .then((expired) => {
          if (expired > 0) this.logger.log(`expired ${expired} holds`);
        })
        .catch((error: unknown) => this.logger.error(`hold expiry failed: ${String(error)}`))
        .finally(() => {
          this.sweep = undefined;
        });
    }, this.config.holdExpiryIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweep;
  }
}
