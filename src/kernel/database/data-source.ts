import { DataSource } from 'typeorm';
import { MIGRATIONS } from './migrations.js';

/** The one way the service and its tools connect: explicit migrations, never `synchronize`. */
export function createDataSource(url: string, poolSize: number): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    synchronize: false,
    logging: false,
    poolSize,
    extra: { application_name: 'commonwealth-ledger' },
  });
}

export async function migrateDatabase(url: string): Promise<void> {
  const dataSource = createDataSource(url, 1);
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}
