/**
 * Goal: the migrations build the whole schema from nothing, undo it completely, and build it again: up →
 * down → up leaves the ledger's tables, triggers and functions in place and nothing behind on the way down.
 * Method: a database of its own (cloned from the migrated template), reached through the service's own
 * createDataSource; every migration is first undone until none remain, then the cycle runs; the database
 * is dropped at the end.
 */
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../../src/database/data-source.js';
import { MIGRATIONS } from '../../../src/database/migrations.js';
import { createTestDatabase } from '../setup/test-database.js';

const LEDGER_TABLES = [
  'account',
  'account_change',
  'entry',
  'ledger_transaction',
  'open_hold',
  'transaction_outcome',
  'unit',
];
const LEDGER_FUNCTIONS = [
  'check_inserted_entries',
  'check_transaction_has_entries',
  'guard_account_update',
  'refuse_history_change',
];

describe('migrations', () => {
  let dataSource: DataSource;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    dataSource = createDataSource(database.url, 1);
    await dataSource.initialize();
  });
  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await drop?.();
  });

  async function tables(): Promise<string[]> {
    const rows: { table_name: string }[] = await dataSource.query(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = 'public' AND table_name <> 'schema_migration' ORDER BY table_name`,
    );
    return rows.map((row) => row.table_name);
  }

  async function functions(): Promise<string[]> {
    const rows: { proname: string }[] = await dataSource.query(
      `SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = 'public' ORDER BY p.proname`,
    );
    return rows.map((row) => row.proname);
  }

  async function applied(): Promise<string[]> {
    const rows: { name: string }[] = await dataSource.query(`SELECT name FROM schema_migration ORDER BY id`);
    return rows.map((row) => row.name);
  }

  async function undoAll(): Promise<number> {
    let undone = 0;
    while ((await applied()).length > 0) {
      await dataSource.undoLastMigration({ transaction: 'each' });
      undone += 1;
      if (undone > MIGRATIONS.length) throw new Error('undoLastMigration does not make progress');
    }
    return undone;
  }

  it('starts from the migrated template, with every migration applied', async () => {
    expect(await applied()).toEqual(MIGRATIONS.map((migration) => new migration().name));
    expect(await dataSource.showMigrations()).toBe(false);
    expect(await tables()).toEqual(LEDGER_TABLES);
  });

  it('undoes every migration and leaves no ledger table, sequence or function behind', async () => {
    expect(await undoAll()).toBe(MIGRATIONS.length);
    expect(await tables()).toEqual([]);
    expect(await functions()).toEqual([]);
    const sequences: unknown[] = await dataSource.query(
      `SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = 'public' AND sequence_name <> 'schema_migration_id_seq'`,
    );
    expect(sequences).toEqual([]);
    expect(await dataSource.showMigrations()).toBe(true);
  });

  it('runs up, down and up again, ending with the full ledger schema', async () => {
    const first = await dataSource.runMigrations({ transaction: 'each' });
    expect(first.map((migration) => migration.name)).toEqual(MIGRATIONS.map((migration) => new migration().name));
    expect(await tables()).toEqual(LEDGER_TABLES);

    expect(await undoAll()).toBe(MIGRATIONS.length);
    expect(await tables()).toEqual([]);

    const second = await dataSource.runMigrations({ transaction: 'each' });
    expect(second).toHaveLength(MIGRATIONS.length);
    expect(await dataSource.runMigrations({ transaction: 'each' })).toEqual([]);
    expect(await dataSource.showMigrations()).toBe(false);

    expect(await tables()).toEqual(LEDGER_TABLES);
    expect(await functions()).toEqual(LEDGER_FUNCTIONS);
    const triggers: { tgname: string }[] = await dataSource.query(
      `SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname`,
    );
    expect(triggers.map((row) => row.tgname)).toEqual([
      'account_change_append_only',
      'account_guard',
      'account_not_deleted',
      'entry_append_only',
      'entry_balanced',
      'ledger_transaction_append_only',
      'ledger_transaction_has_entries',
      'transaction_outcome_append_only',
      'unit_append_only',
    ]);
    const constraints: { conname: string }[] = await dataSource.query(
      `SELECT conname FROM pg_constraint WHERE conname = ANY($1::text[]) ORDER BY conname`,
      [
        [
          'entry_account_unit_fk',
          'ledger_transaction_referenced_once',
          'unit_hours_in_minutes',
          'account_closed_only_at_zero',
        ],
      ],
    );
    expect(constraints.map((row) => row.conname)).toEqual([
      'account_closed_only_at_zero',
      'entry_account_unit_fk',
      'ledger_transaction_referenced_once',
      'unit_hours_in_minutes',
    ]);
  });

  it('leaves a schema that works: a unit and an account can be written and read', async () => {
    await dataSource.query(`INSERT INTO unit (code, name, kind, scale) VALUES ('CWC', 'Credit', 'CREDIT', 2)`);
    await dataSource.query(
      `INSERT INTO account (id, unit_code, holder, name, kind, status, credit_limit, version, opened_at)
       VALUES (gen_random_uuid(), 'CWC', 'org:test', 'Test', 'MEMBER', 'ACTIVE', 0, 1, now())`,
    );
    const rows: { count: string }[] = await dataSource.query(`SELECT count(*) FROM account WHERE unit_code = 'CWC'`);
    expect(rows).toEqual([{ count: '1' }]);
  });
});
