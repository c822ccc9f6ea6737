import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger's tables and the rules PostgreSQL enforces on its own, as the second line behind the
 * TypeScript rules in src/ledger/rules: balanced transactions, no entry across units, limits, statuses,
 * gapless account versions, one outcome per id, one resolution per hold, append-only history.
 */
export class LedgerFoundation1763780000000 implements MigrationInterface {
  name = 'LedgerFoundation1763780000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE unit (
        code text PRIMARY KEY CONSTRAINT unit_code_format CHECK (code ~ '^[A-Z][A-Z0-9_]{1,15}$'),
        name text NOT NULL CONSTRAINT unit_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
        kind text NOT NULL CONSTRAINT unit_kind_known CHECK (kind IN ('HOURS', 'CREDIT', 'CURRENCY')),
        scale smallint NOT NULL CONSTRAINT unit_scale_range CHECK (scale BETWEEN 0 AND 9),
        issuer text NULL CONSTRAINT unit_issuer_length CHECK (char_length(issuer) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT unit_hours_in_minutes CHECK (kind <> 'HOURS' OR scale = 0)
      );

      CREATE TABLE account (
        id uuid PRIMARY KEY,
        unit_code text NOT NULL CONSTRAINT account_unit_fk REFERENCES unit (code),
        holder text NOT NULL CONSTRAINT account_holder_length CHECK (char_length(holder) BETWEEN 1 AND 200),
        name text NOT NULL CONSTRAINT account_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
        kind text NOT NULL CONSTRAINT account_kind_known
          CHECK (kind IN ('MEMBER', 'FUND', 'RESERVE', 'CLEARING', 'ISSUANCE', 'EXTERNAL')),
        status text NOT NULL CONSTRAINT account_status_known CHECK (status IN ('ACTIVE', 'FROZEN', 'CLOSED')),
        credit_limit bigint NOT NULL CONSTRAINT account_credit_limit_non_negative CHECK (credit_limit >= 0),
        upper_limit bigint NULL CONSTRAINT account_upper_limit_non_negative CHECK (upper_limit >= 0),
        debits_posted bigint NOT NULL DEFAULT 0 CONSTRAINT account_debits_posted_non_negative CHECK (debits_posted >= 0),
        credits_posted bigint NOT NULL DEFAULT 0 CONSTRAINT account_credits_posted_non_negative CHECK (credits_posted >= 0),
        debits_pending bigint NOT NULL DEFAULT 0 CONSTRAINT account_debits_pending_non_negative CHECK (debits_pending >= 0),
        credits_pending bigint NOT NULL DEFAULT 0 CONSTRAINT account_credits_pending_non_negative CHECK (credits_pending >= 0),
        version bigint NOT NULL CONSTRAINT account_version_positive CHECK (version >= 1),
        opened_at timestamptz NOT NULL,
        CONSTRAINT account_id_unit_unique UNIQUE (id, unit_code),
        CONSTRAINT account_closed_only_at_zero CHECK (
          status <> 'CLOSED'
          OR (debits_posted = credits_posted AND debits_pending = 0 AND credits_pending = 0)
        )
      );
      CREATE INDEX account_by_holder ON account (holder, unit_code, id);
      CREATE INDEX account_by_unit ON account (unit_code, id);

      -- Every change to an account other than an entry: opening, limits, freezing, closing. With the
      -- entries it accounts for every version of the account, without gaps.
      CREATE TABLE account_change (
        account_id uuid NOT NULL CONSTRAINT account_change_account_fk REFERENCES account (id),
        version bigint NOT NULL,
        change text NOT NULL CONSTRAINT account_change_known
          CHECK (change IN ('OPENED', 'LIMITS_SET', 'FROZEN', 'UNFROZEN', 'CLOSED')),
        status text NOT NULL,
        credit_limit bigint NOT NULL,
        upper_limit bigint NULL,
        reason text NOT NULL DEFAULT '' CONSTRAINT account_change_reason_length CHECK (char_length(reason) <= 500),
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT account_change_pk PRIMARY KEY (account_id, version)
      );

      -- One outcome per transaction id, forever: the transaction it created or the refusal it got.
      CREATE TABLE transaction_outcome (
        id uuid PRIMARY KEY,
        content_hash bytea NOT NULL CONSTRAINT transaction_outcome_hash_length CHECK (octet_length(content_hash) = 32),
        refusal jsonb NULL,
        decided_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );

      CREATE SEQUENCE ledger_transaction_sequence AS bigint;

      CREATE TABLE ledger_transaction (
        id uuid PRIMARY KEY CONSTRAINT ledger_transaction_outcome_fk REFERENCES transaction_outcome (id),
        sequence bigint NOT NULL DEFAULT nextval('ledger_transaction_sequence')
          CONSTRAINT ledger_transaction_sequence_unique UNIQUE,
        unit_code text NOT NULL CONSTRAINT ledger_transaction_unit_fk REFERENCES unit (code),
        operation text NOT NULL CONSTRAINT ledger_transaction_operation_known
          CHECK (operation IN ('TRANSFER', 'HOLD', 'POST_HOLD', 'VOID_HOLD', 'EXPIRE_HOLD', 'REVERSAL')),
        kind text NOT NULL CONSTRAINT ledger_transaction_kind_format CHECK (kind ~ '^[A-Z][A-Z0-9_]{0,31}$'),
        memo text NOT NULL CONSTRAINT ledger_transaction_memo_length CHECK (char_length(memo) <= 500),
        metadata jsonb NOT NULL CONSTRAINT ledger_transaction_metadata_bounded
          CHECK (jsonb_typeof(metadata) = 'object' AND octet_length(metadata::text) <= 8192),
        references_id uuid NULL CONSTRAINT ledger_transaction_references_fk REFERENCES ledger_transaction (id),
        entry_count smallint NOT NULL CONSTRAINT ledger_transaction_entry_count_range CHECK (entry_count BETWEEN 2 AND 64),
        expires_at timestamptz NULL,
        effective_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        -- A hold resolves once; a transaction is reversed once.
        CONSTRAINT ledger_transaction_referenced_once UNIQUE (references_id),
        CONSTRAINT ledger_transaction_reference_needed
          CHECK ((operation IN ('TRANSFER', 'HOLD')) = (references_id IS NULL)),
        CONSTRAINT ledger_transaction_expiry_only_on_holds CHECK (expires_at IS NULL OR operation = 'HOLD')
      );

      CREATE TABLE entry (
        transaction_id uuid NOT NULL CONSTRAINT entry_transaction_fk REFERENCES ledger_transaction (id),
        index smallint NOT NULL CONSTRAINT entry_index_non_negative CHECK (index >= 0),
        account_id uuid NOT NULL,
        unit_code text NOT NULL,
        side text NOT NULL CONSTRAINT entry_side_known CHECK (side IN ('DEBIT', 'CREDIT')),
        amount bigint NOT NULL CONSTRAINT entry_amount_positive CHECK (amount > 0),
        pending boolean NOT NULL,
        account_version bigint NOT NULL,
        balance_after bigint NOT NULL,
        sequence bigint NOT NULL,
        effective_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        CONSTRAINT entry_pk PRIMARY KEY (transaction_id, index),
        -- No entry crosses units: the account's unit is the entry's unit.
        CONSTRAINT entry_account_unit_fk FOREIGN KEY (account_id, unit_code) REFERENCES account (id, unit_code),
        CONSTRAINT entry_account_version_unique UNIQUE (account_id, account_version)
      );
      CREATE INDEX entry_by_account_recorded ON entry (account_id, recorded_at, account_version);
      CREATE INDEX entry_by_account_effective ON entry (account_id, effective_at) INCLUDE (side, amount, pending);

      -- The working set of holds not yet posted, voided or expired (not history: rows leave on resolution).
      CREATE TABLE open_hold (
        transaction_id uuid PRIMARY KEY CONSTRAINT open_hold_transaction_fk REFERENCES ledger_transaction (id),
        expires_at timestamptz NULL
      );
      CREATE INDEX open_hold_by_expiry ON open_hold (expires_at) WHERE expires_at IS NOT NULL;

      CREATE FUNCTION refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'history is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'integrity_constraint_violation';
      END $$;
      CREATE TRIGGER unit_append_only BEFORE UPDATE OR DELETE ON unit
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
      CREATE TRIGGER account_change_append_only BEFORE UPDATE OR DELETE ON account_change
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
      CREATE TRIGGER transaction_outcome_append_only BEFORE UPDATE OR DELETE ON transaction_outcome
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
      CREATE TRIGGER ledger_transaction_append_only BEFORE UPDATE OR DELETE ON ledger_transaction
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
      CREATE TRIGGER entry_append_only BEFORE UPDATE OR DELETE ON entry
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
      CREATE TRIGGER account_not_deleted BEFORE DELETE ON account
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();

      -- An account row changes only forward: a higher version (one per entry or change, gapless, checked by
      -- npm run verify since a batch writes each account once), fixed identity, posted counters that
      -- never shrink, CLOSED for good, no movement while frozen or closed, and no new exposure past a limit.
      -- Lowering a limit below the current position is allowed: it blocks further debits until recovery.
      CREATE FUNCTION guard_account_update() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        balance numeric := NEW.credits_posted - NEW.debits_posted;
      BEGIN
        IF NEW.id <> OLD.id OR NEW.unit_code <> OLD.unit_code OR NEW.holder <> OLD.holder
           OR NEW.kind <> OLD.kind OR NEW.opened_at <> OLD.opened_at THEN
          RAISE EXCEPTION 'account % identity is immutable', OLD.id USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.version <= OLD.version THEN
          RAISE EXCEPTION 'account % version must advance (% -> %)', OLD.id, OLD.version, NEW.version
            USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.debits_posted < OLD.debits_posted OR NEW.credits_posted < OLD.credits_posted THEN
          RAISE EXCEPTION 'account % posted counters never decrease', OLD.id USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF OLD.status = 'CLOSED' THEN
          RAISE EXCEPTION 'account % is closed', OLD.id USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.status <> 'ACTIVE' AND OLD.status <> 'ACTIVE'
           AND (NEW.debits_posted > OLD.debits_posted OR NEW.credits_posted > OLD.credits_posted
                OR NEW.debits_pending > OLD.debits_pending OR NEW.credits_pending > OLD.credits_pending) THEN
          RAISE EXCEPTION 'account % is % and cannot move value', OLD.id, OLD.status
            USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.debits_posted + NEW.debits_pending > OLD.debits_posted + OLD.debits_pending
           AND balance - NEW.debits_pending < -NEW.credit_limit THEN
          RAISE EXCEPTION 'account % would go past its credit limit', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.upper_limit IS NOT NULL
           AND NEW.credits_posted + NEW.credits_pending > OLD.credits_posted + OLD.credits_pending
           AND balance + NEW.credits_pending > NEW.upper_limit THEN
          RAISE EXCEPTION 'account % would go past its upper limit', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER account_guard BEFORE UPDATE ON account
        FOR EACH ROW EXECUTE FUNCTION guard_account_update();

      -- Entries arrive with their transaction, all of them in one statement: each transaction's entries
      -- are complete (entry_count of them), in its unit, balanced, and pending exactly for holds and releases.
      CREATE FUNCTION check_inserted_entries() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        broken uuid;
      BEGIN
        SELECT t.id INTO broken
        FROM inserted_entry e
        JOIN ledger_transaction t ON t.id = e.transaction_id
        GROUP BY t.id, t.entry_count, t.unit_code
        HAVING count(*) <> t.entry_count
            OR max(e.index) <> t.entry_count - 1
            OR bool_or(e.unit_code <> t.unit_code)
            OR sum(CASE WHEN e.side = 'DEBIT' THEN e.amount::numeric ELSE 0 END)
               <> sum(CASE WHEN e.side = 'CREDIT' THEN e.amount::numeric ELSE 0 END)
            OR bool_or(e.pending <> (t.operation IN ('HOLD', 'VOID_HOLD', 'EXPIRE_HOLD')))
        LIMIT 1;
        IF broken IS NOT NULL THEN
          RAISE EXCEPTION 'transaction % has incomplete, unbalanced or mixed entries', broken
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER entry_balanced AFTER INSERT ON entry
        REFERENCING NEW TABLE AS inserted_entry
        FOR EACH STATEMENT EXECUTE FUNCTION check_inserted_entries();

      -- A transaction cannot commit without its entries.
      CREATE FUNCTION check_transaction_has_entries() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM entry WHERE transaction_id = NEW.id AND index = NEW.entry_count - 1) THEN
          RAISE EXCEPTION 'transaction % has no entries', NEW.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$;
      CREATE CONSTRAINT TRIGGER ledger_transaction_has_entries AFTER INSERT ON ledger_transaction
        DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION check_transaction_has_entries();
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE open_hold;
      DROP TABLE entry;
      DROP TABLE ledger_transaction;
      DROP SEQUENCE ledger_transaction_sequence;
      DROP TABLE transaction_outcome;
      DROP TABLE account_change;
      DROP TABLE account;
      DROP TABLE unit;
      DROP FUNCTION check_transaction_has_entries();
      DROP FUNCTION check_inserted_entries();
      DROP FUNCTION guard_account_update();
      DROP FUNCTION refuse_history_change();
    `);
  }
}
