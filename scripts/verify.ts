/**
 * `npm run verify`: checks every invariant of the books over the whole database (the ledger's, DESIGN.md, and
 * each module's, where its rows meet the ledger), prints each with its
 * outcome and the first rows that break it, and exits 1 when one is broken. Read-only: it applies no
 * migration. Uses DATABASE_URL, or the embedded PostgreSQL of `npm start` (started if it is not running).
 */
import 'reflect-metadata';
import { loadConfig } from '../src/kernel/config/app-config.js';
import { createDataSource } from '../src/kernel/database/data-source.js';
import { startEmbeddedPostgres } from '../src/kernel/database/embedded-postgres.js';
import { BOOKS } from '../src/domain-modules.js';
import { checkInvariants } from '../src/kernel/invariants.js';

const SHOWN_ROWS = 5;

const config = loadConfig(process.env);
const embedded =
  config.databaseUrl === undefined
    ? await startEmbeddedPostgres({ dataDir: config.embeddedDataDir, port: config.embeddedPort, log: () => undefined })
    : null;
const dataSource = createDataSource(config.databaseUrl ?? embedded?.url ?? '', 1);
await dataSource.initialize();
let broken = 0;
try {
  if (await dataSource.showMigrations()) {
    throw new Error('the database has pending migrations: start the service once (npm start) to apply them');
  }
  const [counts] = await dataSource.query<[Record<string, string>]>(
    `SELECT (SELECT count(*) FROM account) AS accounts, (SELECT count(*) FROM ledger_transaction) AS transactions,
            (SELECT count(*) FROM entry) AS entries, (SELECT count(*) FROM unit) AS units`,
  );
  process.stdout.write(
    `verifying ${counts['units']} units, ${counts['accounts']} accounts, ${counts['transactions']} transactions, ` +
      `${counts['entries']} entries\n`,
  );
  for (const result of await checkInvariants(dataSource.manager, BOOKS)) {
    if (result.rows.length === 0) {
      process.stdout.write(`  ok      ${result.invariant}\n`);
      continue;
    }
    broken += 1;
    process.stdout.write(`  BROKEN  ${result.invariant}: ${result.rows.length} rows, first:\n`);
    for (const row of result.rows.slice(0, SHOWN_ROWS)) process.stdout.write(`          ${JSON.stringify(row)}\n`);
  }
} catch (error) {
  process.stderr.write(`verify could not run: ${error instanceof Error ? error.message : String(error)}\n`);
  broken = -1;
} finally {
  await dataSource.destroy();
  await embedded?.stop();
}
if (broken >= 0) process.stdout.write(broken === 0 ? 'all invariants hold\n' : `${broken} invariants broken\n`);
process.exit(broken === 0 ? 0 : broken > 0 ? 1 : 2);
