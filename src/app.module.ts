import { Module, type DynamicModule } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import type { MercuriusDriverConfig } from '@nestjs/mercurius';
import type { AppConfig } from './kernel/config/app-config.js';
import { ConfigModule } from './kernel/config/config.module.js';
import { DatabaseModule } from './kernel/database/database.module.js';
import { DemoModule } from './demo/demo.module.js';
import { createValidationPipe } from './kernel/errors/validation-pipe.js';
import { graphqlOptions } from './kernel/graphql/graphql-options.js';
import { HealthModule } from './kernel/health/health.module.js';
import { LedgerModule } from './ledger/ledger.module.js';
import { OrganizationsModule } from './organizations/organizations.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        GraphQLModule.forRoot<MercuriusDriverConfig>(graphqlOptions(config)),
        HealthModule,
        OrganizationsModule,
        LedgerModule,
        DemoModule,
      ],
      providers: [{ provide: APP_PIPE, useFactory: createValidationPipe }],
    };
  }
}
