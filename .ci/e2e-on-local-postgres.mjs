// Runs `npm run test:e2e` with DATABASE_URL pointing at a fresh database on the local PostgreSQL server,
// when one answers at 127.0.0.1:5432 (trust auth); skips, saying so, when none does.
import { spawnSync } from 'node:child_process';
import pg from 'pg';

const server = process.env.CI_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `cwl_ci_${process.pid}`;

async function admin(sql) {
  const client = new pg.Client({ connectionString: server, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

try {
  await admin(`CREATE DATABASE ${database}`);
} catch (error) {
  console.log(`No PostgreSQL at ${server} (${error.message}): the DATABASE_URL path was not run here.`);
  process.exit(0);
}
const url = new URL(server);
url.pathname = `/${database}`;
console.log(`Running the e2e suite against ${url.host} (DATABASE_URL path)`);
const run = spawnSync('npm', ['run', 'test:e2e'], {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: url.toString() },
});
await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
process.exit(run.status ?? 1);
