import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateDatabase } from '../../../src/kernel/database/data-source.js';
import { databaseUrlFor } from '../../support/databases.js';

/**
 * Databases for e2e tests: one migrated template per run (made by the first test file that needs it, under an
 * advisory lock), cloned into a fresh database for each test file.
 */
export function adminUrl(): string {
  const url = process.env['TEST_ADMIN_DATABASE_URL'];
  if (url === undefined) throw new Error('TEST_ADMIN_DATABASE_URL is set by the e2e global setup');
  return url;
}

function templateName(): string {
  const name = process.env['TEST_TEMPLATE_DATABASE'];
  if (name === undefined) throw new Error('TEST_TEMPLATE_DATABASE is set by the e2e global setup');
  return name;
}

export async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const TEMPLATE_LOCK = 7_424_001;

async function ensureTemplate(client: pg.Client): Promise<void> {
  await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [templateName()]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE ${templateName()}`);
      try {
        await migrateDatabase(databaseUrlFor(adminUrl(), templateName()));
      } catch (error) {
        await client.query(`DROP DATABASE IF EXISTS ${templateName()} WITH (FORCE)`);
        throw error;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
  }
}

/** A fresh, migrated database for one test file. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `cwl_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(async (client) => {
    await ensureTemplate(client);
    await client.query(`CREATE DATABASE ${name} TEMPLATE ${templateName()}`);
  });
  return {
    url: databaseUrlFor(adminUrl(), name),
    drop: async () => {
      await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
