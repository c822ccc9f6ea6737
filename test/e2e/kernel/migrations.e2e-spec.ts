/**
 * Goal: the migrations build the whole schema from nothing, undo it completely, and build it again: up →
 * down → up leaves the ledger's and the organisations' tables, triggers and functions in place and nothing
 * behind on the way down. The organisations-and-access migration also goes down and up again (with the one
 * after it) over existing rows: accounts and units keep an owner each way (a free-text name going down, a
 * legacy organisation coming back up).
 * Method: a database of its own (cloned from the migrated template), reached through the service's own
 * createDataSource; the organisations migration is undone and redone over a unit and an account; then every
 * migration is undone until none remain, and the cycle runs; the database is dropped at the end.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../../src/kernel/database/data-source.js';
import { MIGRATIONS } from '../../../src/kernel/database/migrations.js';
import { createTestDatabase } from '../setup/test-database.js';

/** The tables of the ledger's foundation (the first migration). */
const LEDGER_TABLES = [
  'account',
  'account_change',
  'entry',
  'ledger_transaction',
  'open_hold',
  'transaction_outcome',
  'unit',
];
/** Every table, once every migration has run. */
const GOVERNANCE_TABLES = [
  'approval_decision',
  'approval_request',
  'assembly',
  'assembly_seat',
  'ballot',
  'ballot_change',
  'delegation',
  'motion',
  'motion_delegation',
  'motion_outcome',
  'motion_voter',
  'secret_ballot',
  'secret_participation',
];
/** The land trusts' tables (src/land-trusts). */
const LAND_TRUSTS_TABLES = [
  'ground_lease',
  'ground_lease_charge',
  'ground_lease_fee',
  'ground_lease_payment',
  'ground_lease_relief',
  'land_parcel',
  'land_trust',
];
/** The time bank's tables. */
const TIMEBANK_TABLES = [
  'timebank',
  'timebank_exchange',
  'timebank_exchange_step',
  'timebank_listing',
  'timebank_member',
  'timebank_partner_account',
  'timebank_settings_change',
];
/** The strike funds' tables (src/strike-funds). */
const STRIKE_FUNDS_TABLES = [
  'escrow_deposit',
  'escrow_release',
  'escrow_release_share',
  'fund_contribution',
  'fund_pledge',
  'hardship_draw',
  'picket_shift',
  'stipend_batch',
  'stipend_line',
  'stipend_rule',
  'strike',
  'strike_fund',
  'striker',
];
const REDISTRIBUTION_TABLES = [
  'redistribution_policy',
  'redistribution_policy_version',
  'redistribution_run',
  'redistribution_run_line',
];
const TRADE_TABLES = [
  'automatic_payment',
  'clearing_participant',
  'clearing_round',
  'clearing_setoff',
  'clearing_setting',
  'invoice',
  'invoice_event',
  'invoice_line',
];
const TRADE_FUNCTIONS = ['check_invoice_lines', 'guard_clearing_round', 'guard_clearing_setoff', 'guard_invoice'];
const ALL_TABLES = [
  ...LEDGER_TABLES,
  ...GOVERNANCE_TABLES,
  ...TIMEBANK_TABLES,
  ...STRIKE_FUNDS_TABLES,
  ...TRADE_TABLES,
  ...REDISTRIBUTION_TABLES,
  ...LAND_TRUSTS_TABLES,
  'api_token',
  'audit_event',
  'books_check',
  'auth_session',
  'federation_membership',
  'invitation',
  'login_throttle',
  'membership',
  'membership_role',
  'organization',
  'party',
  'person',
  'refresh_token',
  'role',
  'scheduled_occurrence',
  'scheduled_work',
].sort();
const LEDGER_FUNCTIONS = [
  'check_inserted_entries',
  'check_transaction_has_entries',
  'guard_account_update',
  'refuse_history_change',
];
const ORGANIZATION_FUNCTIONS = [...LEDGER_FUNCTIONS, 'guard_federation_membership'].sort();
const REDISTRIBUTION_FUNCTIONS = ['check_policy_version_follows', 'guard_redistribution_run'];
const ALL_FUNCTIONS = [
  ...ORGANIZATION_FUNCTIONS,
  'guard_ballot',
  'guard_delegation',
  'guard_ground_lease',
  'guard_ground_lease_relief',
  'guard_timebank_exchange',
  'lock_ledger_batch',
  ...TRADE_FUNCTIONS,
  ...REDISTRIBUTION_FUNCTIONS,
].sort();

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

  async function columns(table: string): Promise<string[]> {
    const rows: { column_name: string }[] = await dataSource.query(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1
       ORDER BY column_name`,
      [table],
    );
    return rows.map((row) => row.column_name);
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

  it('lists every migration oldest first, as they run', () => {
    const stamps = MIGRATIONS.map((migration) => Number(/\d+$/.exec(new migration().name ?? '')?.[0]));
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
  });

  it('starts from the migrated template, with every migration applied', async () => {
    expect(await applied()).toEqual(MIGRATIONS.map((migration) => new migration().name));
    expect(await dataSource.showMigrations()).toBe(false);
    expect(await tables()).toEqual(ALL_TABLES);
    expect(await functions()).toEqual(ALL_FUNCTIONS);
  });

  /** Undoes migrations until the named one is undone; returns its index. */
  async function undoThrough(name: string): Promise<number> {
    const index = MIGRATIONS.findIndex((migration) => new migration().name.startsWith(name));
    while ((await applied()).length > index) await dataSource.undoLastMigration({ transaction: 'each' });
    return index;
  }

  it('undoes and redoes the write-path migration: lock_ledger_batch goes and comes back', async () => {
    const index = await undoThrough('LedgerWritePath');
    expect(await applied()).toEqual(MIGRATIONS.slice(0, index).map((migration) => new migration().name));
    expect(await functions()).toEqual(ORGANIZATION_FUNCTIONS);
    const redone = await dataSource.runMigrations({ transaction: 'each' });
    expect(redone.map((migration) => migration.name)).toEqual(
      MIGRATIONS.slice(index).map((migration) => new migration().name),
    );
    expect(await functions()).toEqual(ALL_FUNCTIONS);
  });

  it('undoes and redoes the system-actors migration: audit events name one actor, a system actor among them', async () => {
    const organization = randomUUID();
    await dataSource.query(`INSERT INTO party (id, kind) VALUES ($1, 'ORGANIZATION')`, [organization]);
    await dataSource.query(
      `INSERT INTO organization (id, kind, name, slug) VALUES ($1, 'COOPERATIVE', 'Sys', 'sys-actor')`,
      [organization],
    );
    const event = `INSERT INTO audit_event (actor_system, organization_id, action, subject_type, subject_id)
                   VALUES ($1, $2, 'HOLD_EXPIRED', 'TRANSACTION', 'x')`;
    await dataSource.query(event, ['ledger.hold-expiry', organization]);
    await expect(
      dataSource.query(
        `INSERT INTO audit_event (organization_id, action, subject_type, subject_id) VALUES ($1, 'NOBODY', 'X', 'x')`,
        [organization],
      ),
    ).rejects.toThrow(/audit_event_one_actor/);
    await expect(dataSource.query(event, ['Not An Actor', organization])).rejects.toThrow(/actor_system_format/);
    const index = await undoThrough('SystemActors');
    expect(await columns('audit_event')).not.toContain('actor_system');
    expect(
      await dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE organization_id = $1`, [organization]),
    ).toEqual([{ n: 0 }]);
    const redone = await dataSource.runMigrations({ transaction: 'each' });
    expect(redone.map((migration) => migration.name)).toEqual(
      MIGRATIONS.slice(index).map((migration) => new migration().name),
    );
    expect(await columns('audit_event')).toContain('actor_system');
  });

  it('undoes and redoes the organisations migration over existing rows, keeping an owner for every account and unit', async () => {
    const organizationsIndex = MIGRATIONS.findIndex((migration) =>
      new migration().name.startsWith('OrganizationsAndAccess'),
    );
    const federation = randomUUID();
    const coop = randomUUID();
    const accountId = randomUUID();
    await dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO party (id, kind) VALUES ($1, 'ORGANIZATION'), ($2, 'ORGANIZATION')`, [
        federation,
        coop,
      ]);
      await manager.query(
        `INSERT INTO organization (id, kind, name, slug) VALUES ($1, 'FEDERATION', 'Federation', 'round-trip-federation'),
           ($2, 'COOPERATIVE', 'Coop', 'round-trip-coop')`,
        [federation, coop],
      );
      await manager.query(
        `INSERT INTO unit (code, name, kind, scale, issuer_id) VALUES ('RTC', 'Round trip', 'CREDIT', 2, $1)`,
        [federation],
      );
      await manager.query(
        `INSERT INTO account (id, unit_code, holder_id, name, kind, status, credit_limit, version, opened_at)
         VALUES ($1, 'RTC', $2, 'Coop', 'MEMBER', 'ACTIVE', 0, 1, now())`,
        [accountId, coop],
      );
    });

    while ((await applied()).length > organizationsIndex) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await applied()).toEqual(MIGRATIONS.slice(0, organizationsIndex).map((migration) => new migration().name));
    expect(await tables()).toEqual(LEDGER_TABLES);
    expect(await functions()).toEqual(LEDGER_FUNCTIONS);
    expect(await columns('account')).toContain('holder');
    expect(await columns('account')).not.toContain('holder_id');
    expect(await columns('unit')).toContain('issuer');
    expect(await columns('unit')).not.toContain('issuer_id');
    expect(await dataSource.query(`SELECT holder FROM account WHERE id = $1`, [accountId])).toEqual([
      { holder: 'org:round-trip-coop' },
    ]);
    expect(await dataSource.query(`SELECT issuer FROM unit WHERE code = 'RTC'`)).toEqual([
      { issuer: 'org:round-trip-federation' },
    ]);
    // The foundation's account guard is back, naming the free-text holder column.
    await expect(
      dataSource.query(`UPDATE account SET holder = 'org:thief', version = version + 1 WHERE id = $1`, [accountId]),
    ).rejects.toThrow(/identity is immutable/);

    const redone = await dataSource.runMigrations({ transaction: 'each' });
    expect(redone.map((migration) => migration.name)).toEqual(
      MIGRATIONS.slice(organizationsIndex).map((migration) => new migration().name),
    );
    expect(await tables()).toEqual(ALL_TABLES);
    expect(await functions()).toEqual(ALL_FUNCTIONS);
    expect(await columns('account')).toContain('holder_id');
    expect(await columns('account')).not.toContain('holder');
    const owners: { holder_kind: string; holder_name: string; issuer_kind: string; issuer_name: string }[] =
      await dataSource.query(
        `SELECT h.kind AS holder_kind, h.name AS holder_name, i.kind AS issuer_kind, i.name AS issuer_name
         FROM account a JOIN unit u ON u.code = a.unit_code
           JOIN organization h ON h.id = a.holder_id JOIN organization i ON i.id = u.issuer_id
         WHERE a.id = $1`,
        [accountId],
      );
    expect(owners).toEqual([
      {
        holder_kind: 'COOPERATIVE',
        holder_name: 'org:round-trip-coop',
        issuer_kind: 'FEDERATION',
        issuer_name: 'org:round-trip-federation',
      },
    ]);
    // The account guard names holder_id again.
    await expect(
      dataSource.query(`UPDATE account SET holder_id = $2, version = version + 1 WHERE id = $1`, [
        accountId,
        federation,
      ]),
    ).rejects.toThrow(/identity is immutable/);
    expect(await dataSource.showMigrations()).toBe(false);
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

  it('runs up, down and up again, ending with the full schema', async () => {
    const first = await dataSource.runMigrations({ transaction: 'each' });
    expect(first.map((migration) => migration.name)).toEqual(MIGRATIONS.map((migration) => new migration().name));
    expect(await tables()).toEqual(ALL_TABLES);

    expect(await undoAll()).toBe(MIGRATIONS.length);
    expect(await tables()).toEqual([]);

    const second = await dataSource.runMigrations({ transaction: 'each' });
    expect(second).toHaveLength(MIGRATIONS.length);
    expect(await dataSource.runMigrations({ transaction: 'each' })).toEqual([]);
    expect(await dataSource.showMigrations()).toBe(false);

    expect(await tables()).toEqual(ALL_TABLES);
    expect(await functions()).toEqual(ALL_FUNCTIONS);
    const triggers: { tgname: string }[] = await dataSource.query(
      `SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname`,
    );
    expect(triggers.map((row) => row.tgname)).toEqual([
      'account_change_append_only',
      'account_guard',
      'account_not_deleted',
      'approval_decision_append_only',
      'audit_event_append_only',
      'ballot_change_append_only',
      'ballot_fits_motion',
      'clearing_round_guarded',
      'clearing_setoff_guarded',
      'clearing_setoff_not_updated',
      'delegation_acyclic',
      'entry_append_only',
      'entry_balanced',
      'escrow_deposit_append_only',
      'escrow_release_append_only',
      'escrow_release_share_append_only',
      'federation_membership_guard',
      'fund_contribution_append_only',
      'ground_lease_charge_append_only',
      'ground_lease_fee_append_only',
      'ground_lease_guard',
      'ground_lease_never_deleted',
      'ground_lease_payment_append_only',
      'ground_lease_relief_append_only',
      'ground_lease_relief_guard',
      'invoice_event_append_only',
      'invoice_guarded',
      'invoice_line_append_only',
      'invoice_lines_add_up',
      'invoice_not_deleted',
      'ledger_transaction_append_only',
      'ledger_transaction_has_entries',
      'motion_delegation_append_only',
      'motion_outcome_append_only',
      'picket_shift_append_only',
      'redistribution_policy_version_append_only',
      'redistribution_policy_version_follows',
      'redistribution_run_guard',
      'redistribution_run_line_append_only',
      'secret_ballot_fits_motion',
      'stipend_rule_append_only',
      'timebank_exchange_guard',
      'timebank_exchange_step_append_only',
      'timebank_settings_change_append_only',
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
          'account_holder_fk',
          'unit_issuer_fk',
          'person_party_fk',
          'organization_party_fk',
        ],
      ],
    );
    expect(constraints.map((row) => row.conname)).toEqual([
      'account_closed_only_at_zero',
      'account_holder_fk',
      'entry_account_unit_fk',
      'ledger_transaction_referenced_once',
      'organization_party_fk',
      'person_party_fk',
      'unit_hours_in_minutes',
      'unit_issuer_fk',
    ]);
  });

  it('leaves a schema that works: an organisation, its unit and its account can be written and read', async () => {
    const organization = randomUUID();
    await dataSource.query(`INSERT INTO party (id, kind) VALUES ($1, 'ORGANIZATION')`, [organization]);
    await dataSource.query(
      `INSERT INTO organization (id, kind, name, slug) VALUES ($1, 'FEDERATION', 'Test federation', 'test-federation')`,
      [organization],
    );
    await dataSource.query(
      `INSERT INTO unit (code, name, kind, scale, issuer_id) VALUES ('CWC', 'Credit', 'CREDIT', 2, $1)`,
      [organization],
    );
    await dataSource.query(
      `INSERT INTO account (id, unit_code, holder_id, name, kind, status, credit_limit, version, opened_at)
       VALUES (gen_random_uuid(), 'CWC', $1, 'Test', 'MEMBER', 'ACTIVE', 0, 1, now())`,
      [organization],
    );
    const rows: { count: string }[] = await dataSource.query(
      `SELECT count(*) FROM account WHERE unit_code = 'CWC' AND holder_id = $1`,
      [organization],
    );
    expect(rows).toEqual([{ count: '1' }]);
    // A holder must be a party that exists.
    await expect(
      dataSource.query(
        `INSERT INTO account (id, unit_code, holder_id, name, kind, status, credit_limit, version, opened_at)
         VALUES (gen_random_uuid(), 'CWC', $1, 'Test', 'MEMBER', 'ACTIVE', 0, 1, now())`,
        [randomUUID()],
      ),
    ).rejects.toThrow(/account_holder_fk/);
  });
});
