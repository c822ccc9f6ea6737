import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import type { MercuriusDriverConfig } from '@nestjs/mercurius';
import { AuditRepository } from './audit/audit.repository.js';
import { AuditService } from './audit/audit.service.js';
import type { AppConfig } from './config/app-config.js';
import { APP_CONFIG, ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { EMAIL_SENDER, LogEmailSender, OutboxEmailSender } from './email-sender.js';
import { createValidationPipe } from './errors/validation-pipe.js';
import { graphqlOptions } from './graphql/graphql-options.js';
import { HealthController, HealthProbes } from './health/health.controller.js';
import { BOOKS_INVARIANTS, type Invariant } from './invariants.js';
import { CLOCK, ControlledClock, SystemClock } from './scheduling/clock.js';
import { SchedulerRepository } from './scheduling/scheduler.repository.js';
import { SchedulerService } from './scheduling/scheduler.service.js';

/** The kernel's own tables (the domain modules declare theirs in the registry). */
export const KERNEL_TABLES: readonly string[] = ['audit_event', 'scheduled_work', 'scheduled_occurrence'];

/**
 * What every module stands on, provided once and globally: the configuration, the database, GraphQL, the
 * audit log, the email port, the clock and scheduled work, input validation, /health, and the invariants of
 * the books (every module's, given by the application).
 */
@Global()
@Module({})
export class KernelModule {
  static forRoot(config: AppConfig, books: readonly Invariant[]): DynamicModule {
    return {
      module: KernelModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        GraphQLModule.forRoot<MercuriusDriverConfig>(graphqlOptions(config)),
      ],
      controllers: [HealthController],
      providers: [
        AuditRepository,
        AuditService,
        { provide: CLOCK, useClass: config.scheduler.clock === 'controlled' ? ControlledClock : SystemClock },
        SchedulerRepository,
        SchedulerService,
        HealthProbes,
        {
          provide: EMAIL_SENDER,
          inject: [APP_CONFIG],
          useFactory: (appConfig: AppConfig) =>
            appConfig.auth.emailDelivery === 'memory' ? new OutboxEmailSender() : new LogEmailSender(),
        },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: BOOKS_INVARIANTS, useValue: books },
      ],
      exports: [AuditService, EMAIL_SENDER, CLOCK, SchedulerService, HealthProbes, BOOKS_INVARIANTS],
    };
  }
}
