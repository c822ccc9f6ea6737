import { randomBytes } from 'node:crypto';
import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { createDataSource } from './data-source.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres.js';

const EMBEDDED_DATABASE = Symbol('EMBEDDED_DATABASE');

/** The secret that signs access tokens: JWT_SECRET, else the embedded database's, else one per process. */
export const SIGNING_SECRET = Symbol('SIGNING_SECRET');

/**
 * Provides the DataSource: the configured server when DATABASE_URL is set, otherwise the embedded one.
 * Pending migrations run before anything else touches the database.
 */
@Global()
@Module({
  providers: [
    {
      provide: EMBEDDED_DATABASE,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<EmbeddedDatabase | null> => {
        if (config.databaseUrl !== undefined) return null;
        const logger = new Logger('EmbeddedPostgres');
        return startEmbeddedPostgres({
          dataDir: config.embeddedDataDir,
          port: config.embeddedPort,
          log: (message) => logger.debug(message),
        });
      },
    },
    {
      provide: DataSource,
      inject: [APP_CONFIG, EMBEDDED_DATABASE],
      useFactory: async (config: AppConfig, embedded: EmbeddedDatabase | null): Promise<DataSource> => {
        const url = config.databaseUrl ?? embedded?.url;
        if (url === undefined) throw new Error('no database: DATABASE_URL unset and no embedded server');
        const dataSource = createDataSource(url, config.databasePoolSize);
        await dataSource.initialize();
        const applied = await dataSource.runMigrations({ transaction: 'each' });
        if (applied.length > 0) {
          new Logger('Database').log(`applied migrations: ${applied.map((migration) => migration.name).join(', ')}`);
        }
        return dataSource;
      },
    },
    {
      provide: SIGNING_SECRET,
      inject: [APP_CONFIG, EMBEDDED_DATABASE],
      useFactory: (config: AppConfig, embedded: EmbeddedDatabase | null): string => {
        const secret = config.auth.jwtSecret ?? embedded?.jwtSecret;
        if (secret !== undefined) return secret;
        new Logger('Auth').warn(
          'JWT_SECRET is not set: access tokens are signed with a secret of this process only ' +
            '(they stop working on restart and are not accepted by other processes)',
        );
        return randomBytes(48).toString('base64url');
      },
    },
  ],
  exports: [DataSource, SIGNING_SECRET],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EMBEDDED_DATABASE) private readonly embedded: EmbeddedDatabase | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.embedded?.stop();
  }
}
