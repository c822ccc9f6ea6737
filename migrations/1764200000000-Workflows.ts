import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What every institution needs from the ledger and the kernel.
 *
 * 1. Provenance: a transaction may name what authorised it (an opaque kind and id: a motion, an approval
 *    request, a run, a schedule occurrence…), and records who recorded it (a person, an API token or a
 *    system actor). Both are part of its immutable history; the transactions of one authority are found by
 *    an index.
 * 2. Scheduled work: what is to run once at an instant or again by a cron expression (`scheduled_work`), and
 *    each occurrence handed to the job queue, once (`scheduled_occurrence`, whose id is the job's).
 * 3. The books checked on a schedule (`books_check`): one row per occurrence of the check.
 */
export class Workflows1764200000000 implements MigrationInterface {
  name = 'Workflows1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE ledger_transaction
        ADD COLUMN authority_kind text NULL
          CONSTRAINT ledger_transaction_authority_kind_format CHECK (authority_kind ~ '^[A-Z][A-Z0-9_]{0,63}$'),
        ADD COLUMN authority_id text NULL
          CONSTRAINT ledger_transaction_authority_id_length CHECK (char_length(authority_id) BETWEEN 1 AND 200),
        ADD COLUMN recorded_by text NULL
          CONSTRAINT ledger_transaction_recorded_by_format
          CHECK (recorded_by ~ '^(person|api-token):[0-9a-f-]{36}$' OR recorded_by ~ '^system:[a-z][a-z-]*\\.[a-z][a-z0-9-]*$'),
        ADD CONSTRAINT ledger_transaction_authority_whole CHECK ((authority_kind IS NULL) = (authority_id IS NULL));
      CREATE INDEX ledger_transaction_by_authority ON ledger_transaction (authority_kind, authority_id, sequence)
        WHERE authority_kind IS NOT NULL;

      CREATE TABLE scheduled_work (
        work text NOT NULL CONSTRAINT scheduled_work_work_format CHECK (work ~ '^[a-z][a-z-]*\\.[a-z][a-z0-9-]*$'),
        key text NOT NULL CONSTRAINT scheduled_work_key_length CHECK (char_length(key) BETWEEN 1 AND 200),
        cron text NULL CONSTRAINT scheduled_work_cron_length CHECK (char_length(cron) BETWEEN 9 AND 100),
        catch_up text NOT NULL CONSTRAINT scheduled_work_catch_up_known CHECK (catch_up IN ('EACH', 'LATEST')),
        run_at timestamptz NULL,
        data jsonb NOT NULL DEFAULT '{}' CONSTRAINT scheduled_work_data_object CHECK (jsonb_typeof(data) = 'object'),
        status text NOT NULL CONSTRAINT scheduled_work_status_known CHECK (status IN ('ACTIVE', 'DONE', 'CANCELLED')),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT scheduled_work_pk PRIMARY KEY (work, key),
        -- Active work has its next occurrence; finished work has none.
        CONSTRAINT scheduled_work_next_when_active CHECK ((status = 'ACTIVE') = (run_at IS NOT NULL))
      );
      CREATE INDEX scheduled_work_due ON scheduled_work (run_at) WHERE status = 'ACTIVE';

      CREATE TABLE scheduled_occurrence (
        id uuid PRIMARY KEY,
        work text NOT NULL,
        key text NOT NULL,
        run_at timestamptz NOT NULL,
        queued_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT scheduled_occurrence_once UNIQUE (work, key, run_at),
        CONSTRAINT scheduled_occurrence_work_fk FOREIGN KEY (work, key) REFERENCES scheduled_work (work, key)
      );

      -- Holds placed before this migration expire through the scheduler too: one occurrence per second due.
      INSERT INTO scheduled_work (work, key, catch_up, run_at, status)
        SELECT DISTINCT 'ledger.expire-holds', to_char(date_trunc('second', expires_at) AT TIME ZONE 'UTC',
                        'YYYY-MM-DD"T"HH24:MI:SS".000Z"'), 'EACH', date_trunc('second', expires_at) + interval '1 second',
               'ACTIVE'
        FROM open_hold WHERE expires_at IS NOT NULL;

      CREATE TABLE books_check (
        occurrence_id uuid PRIMARY KEY,
        checked_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        violations jsonb NOT NULL CONSTRAINT books_check_violations_array CHECK (jsonb_typeof(violations) = 'array')
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE books_check;
      DROP TABLE scheduled_occurrence;
      DROP TABLE scheduled_work;
      DROP INDEX ledger_transaction_by_authority;
      ALTER TABLE ledger_transaction
        DROP CONSTRAINT ledger_transaction_authority_whole,
        DROP COLUMN recorded_by,
        DROP COLUMN authority_id,
        DROP COLUMN authority_kind;
    `);
  }
}
