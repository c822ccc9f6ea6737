import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The time bank: settings per bank (with their history), members' hours accounts, the offers-and-requests
 * catalogue, and exchanges (time logs) with every step taken on them.
 *
 * - A bank is an organisation of kind TIME_BANK with one HOURS unit it issues, its own account (which pays
 *   community work) and a clearing account (the other side of exchanges with other banks). Its settings are
 *   changed in place with `version` raised by one; every change is kept in `timebank_settings_change`.
 * - A member has one hours account per bank (`timebank_member`), opened once.
 * - An exchange moves at most `max_minutes_per_log` minutes; its status only moves along the state machine
 *   of src/timebank/rules/exchange-state.ts (PENDING → CONFIRMED | DISPUTED | CANCELLED; DISPUTED →
 *   CONFIRMED | CANCELLED; CONFIRMED → REVERSED), enforced again by the trigger guard_timebank_exchange.
 *   Confirmed minutes never exceed the logged minutes. The steps (`timebank_exchange_step`) and settings
 *   changes are append-only.
 */
export class Timebank1764400000000 implements MigrationInterface {
  name = 'Timebank1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE timebank (
        organization_id uuid PRIMARY KEY CONSTRAINT timebank_organization_fk REFERENCES organization (id),
        unit_code text NOT NULL CONSTRAINT timebank_unit_fk REFERENCES unit (code),
        bank_account_id uuid NOT NULL CONSTRAINT timebank_bank_account_fk REFERENCES account (id),
        clearing_account_id uuid NOT NULL CONSTRAINT timebank_clearing_account_fk REFERENCES account (id),
        auto_confirm_minutes integer NOT NULL
          CONSTRAINT timebank_auto_confirm_range CHECK (auto_confirm_minutes BETWEEN 0 AND 129600),
        max_minutes_per_log integer NOT NULL
          CONSTRAINT timebank_max_minutes_range CHECK (max_minutes_per_log BETWEEN 1 AND 10080),
        default_credit_minutes bigint NOT NULL
          CONSTRAINT timebank_default_credit_range CHECK (default_credit_minutes BETWEEN 0 AND 1000000),
        bank_credit_minutes bigint NOT NULL
          CONSTRAINT timebank_bank_credit_range CHECK (bank_credit_minutes BETWEEN 0 AND 100000000),
        federation_exchanges boolean NOT NULL,
        statement_visibility text NOT NULL
          CONSTRAINT timebank_statement_visibility_known CHECK (statement_visibility IN ('PRIVATE', 'MEMBERS')),
        categories text[] NOT NULL CONSTRAINT timebank_categories_size CHECK (cardinality(categories) <= 50),
        version integer NOT NULL CONSTRAINT timebank_version_positive CHECK (version >= 1),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT timebank_unit_once UNIQUE (unit_code)
      );

      CREATE TABLE timebank_settings_change (
        timebank_id uuid NOT NULL CONSTRAINT timebank_settings_change_bank_fk REFERENCES timebank (organization_id),
        version integer NOT NULL,
        changed_by text NOT NULL,
        authority_kind text NULL,
        authority_id text NULL,
        reason text NOT NULL CONSTRAINT timebank_settings_change_reason_length CHECK (char_length(reason) <= 500),
        before jsonb NULL,
        after jsonb NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT timebank_settings_change_pk PRIMARY KEY (timebank_id, version)
      );
      CREATE TRIGGER timebank_settings_change_append_only BEFORE UPDATE OR DELETE ON timebank_settings_change
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();

      CREATE TABLE timebank_member (
        timebank_id uuid NOT NULL CONSTRAINT timebank_member_bank_fk REFERENCES timebank (organization_id),
        person_id uuid NOT NULL CONSTRAINT timebank_member_person_fk REFERENCES person (id),
        account_id uuid NOT NULL CONSTRAINT timebank_member_account_fk REFERENCES account (id),
        joined_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT timebank_member_pk PRIMARY KEY (timebank_id, person_id),
        CONSTRAINT timebank_member_account_once UNIQUE (account_id)
      );

      -- A bank's account in another bank's unit: what that bank owes it for its members' hours.
      CREATE TABLE timebank_partner_account (
        timebank_id uuid NOT NULL CONSTRAINT timebank_partner_bank_fk REFERENCES timebank (organization_id),
        partner_id uuid NOT NULL CONSTRAINT timebank_partner_partner_fk REFERENCES timebank (organization_id),
        account_id uuid NOT NULL CONSTRAINT timebank_partner_account_fk REFERENCES account (id),
        CONSTRAINT timebank_partner_account_pk PRIMARY KEY (timebank_id, partner_id),
        CONSTRAINT timebank_partner_not_self CHECK (timebank_id <> partner_id)
      );

      CREATE TABLE timebank_listing (
        id uuid PRIMARY KEY,
        timebank_id uuid NOT NULL CONSTRAINT timebank_listing_bank_fk REFERENCES timebank (organization_id),
        author_id uuid NOT NULL CONSTRAINT timebank_listing_author_fk REFERENCES person (id),
        kind text NOT NULL CONSTRAINT timebank_listing_kind_known CHECK (kind IN ('OFFER', 'REQUEST')),
        title text NOT NULL CONSTRAINT timebank_listing_title_length CHECK (char_length(title) BETWEEN 1 AND 200),
        description text NOT NULL CONSTRAINT timebank_listing_description_length CHECK (char_length(description) <= 5000),
        category text NOT NULL CONSTRAINT timebank_listing_category_length CHECK (char_length(category) BETWEEN 1 AND 60),
        estimated_minutes integer NULL CONSTRAINT timebank_listing_minutes_range
          CHECK (estimated_minutes IS NULL OR estimated_minutes BETWEEN 1 AND 10080),
        availability text NOT NULL CONSTRAINT timebank_listing_availability_length CHECK (char_length(availability) <= 500),
        status text NOT NULL CONSTRAINT timebank_listing_status_known CHECK (status IN ('ACTIVE', 'WITHDRAWN')),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        search tsvector GENERATED ALWAYS AS (
          to_tsvector('simple', title || ' ' || description || ' ' || category)) STORED
      );
      CREATE INDEX timebank_listing_newest ON timebank_listing (timebank_id, created_at DESC, id DESC)
        WHERE status = 'ACTIVE';
      CREATE INDEX timebank_listing_search ON timebank_listing USING gin (search);

      CREATE TABLE timebank_exchange (
        id uuid PRIMARY KEY,
        kind text NOT NULL CONSTRAINT timebank_exchange_kind_known CHECK (kind IN ('MEMBER', 'COMMUNITY')),
        timebank_id uuid NOT NULL CONSTRAINT timebank_exchange_bank_fk REFERENCES timebank (organization_id),
        giver_id uuid NOT NULL CONSTRAINT timebank_exchange_giver_fk REFERENCES party (id),
        giver_bank_id uuid NOT NULL CONSTRAINT timebank_exchange_giver_bank_fk REFERENCES timebank (organization_id),
        giver_account_id uuid NOT NULL CONSTRAINT timebank_exchange_giver_account_fk REFERENCES account (id),
        receiver_id uuid NOT NULL CONSTRAINT timebank_exchange_receiver_fk REFERENCES party (id),
        receiver_bank_id uuid NOT NULL
          CONSTRAINT timebank_exchange_receiver_bank_fk REFERENCES timebank (organization_id),
        receiver_account_id uuid NOT NULL CONSTRAINT timebank_exchange_receiver_account_fk REFERENCES account (id),
        minutes integer NOT NULL CONSTRAINT timebank_exchange_minutes_range CHECK (minutes BETWEEN 1 AND 10080),
        confirmed_minutes integer NULL,
        description text NOT NULL CONSTRAINT timebank_exchange_description_length CHECK (char_length(description) <= 500),
        listing_id uuid NULL CONSTRAINT timebank_exchange_listing_fk REFERENCES timebank_listing (id),
        started_by text NOT NULL CONSTRAINT timebank_exchange_started_by_known
          CHECK (started_by IN ('GIVER', 'RECEIVER', 'COORDINATOR')),
        logged_by uuid NOT NULL CONSTRAINT timebank_exchange_logged_by_fk REFERENCES person (id),
        status text NOT NULL CONSTRAINT timebank_exchange_status_known
          CHECK (status IN ('PENDING', 'DISPUTED', 'CONFIRMED', 'CANCELLED', 'REVERSED')),
        due_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        confirmed_at timestamptz NULL,
        closed_at timestamptz NULL,
        CONSTRAINT timebank_exchange_not_self CHECK (giver_id <> receiver_id),
        CONSTRAINT timebank_exchange_confirmed_within CHECK (
          confirmed_minutes IS NULL OR confirmed_minutes BETWEEN 1 AND minutes),
        CONSTRAINT timebank_exchange_confirmed_when CHECK (
          (status IN ('CONFIRMED', 'REVERSED')) = (confirmed_minutes IS NOT NULL AND confirmed_at IS NOT NULL)),
        CONSTRAINT timebank_exchange_closed_when CHECK ((status IN ('CANCELLED', 'REVERSED')) = (closed_at IS NOT NULL))
      );
      CREATE INDEX timebank_exchange_due ON timebank_exchange (due_at) WHERE status = 'PENDING';
      CREATE INDEX timebank_exchange_by_giver ON timebank_exchange (giver_id, created_at);
      CREATE INDEX timebank_exchange_by_receiver ON timebank_exchange (receiver_id, created_at);
      CREATE INDEX timebank_exchange_by_bank ON timebank_exchange (timebank_id, created_at);
      CREATE INDEX timebank_exchange_by_receiver_bank ON timebank_exchange (receiver_bank_id, created_at);

      CREATE FUNCTION guard_timebank_exchange() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'time logs are history: never deleted' USING ERRCODE = 'check_violation';
        END IF;
        IF (NEW.id, NEW.kind, NEW.timebank_id, NEW.giver_id, NEW.giver_account_id, NEW.receiver_id,
            NEW.receiver_account_id, NEW.minutes, NEW.description, NEW.listing_id, NEW.started_by, NEW.logged_by,
            NEW.created_at)
           IS DISTINCT FROM
           (OLD.id, OLD.kind, OLD.timebank_id, OLD.giver_id, OLD.giver_account_id, OLD.receiver_id,
            OLD.receiver_account_id, OLD.minutes, OLD.description, OLD.listing_id, OLD.started_by, OLD.logged_by,
            OLD.created_at) THEN
          RAISE EXCEPTION 'a time log is never edited: only its status moves' USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.status <> OLD.status AND NOT (
             (OLD.status = 'PENDING' AND NEW.status IN ('CONFIRMED', 'DISPUTED', 'CANCELLED'))
          OR (OLD.status = 'DISPUTED' AND NEW.status IN ('CONFIRMED', 'CANCELLED'))
          OR (OLD.status = 'CONFIRMED' AND NEW.status = 'REVERSED')) THEN
          RAISE EXCEPTION 'a time log does not move from % to %', OLD.status, NEW.status
            USING ERRCODE = 'check_violation';
        END IF;
        IF OLD.confirmed_minutes IS NOT NULL AND NEW.confirmed_minutes IS DISTINCT FROM OLD.confirmed_minutes THEN
          RAISE EXCEPTION 'confirmed minutes are never changed' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER timebank_exchange_guard BEFORE UPDATE OR DELETE ON timebank_exchange
        FOR EACH ROW EXECUTE FUNCTION guard_timebank_exchange();

      CREATE TABLE timebank_exchange_step (
        exchange_id uuid NOT NULL CONSTRAINT timebank_exchange_step_exchange_fk REFERENCES timebank_exchange (id),
        step integer NOT NULL CONSTRAINT timebank_exchange_step_positive CHECK (step >= 1),
        action text NOT NULL CONSTRAINT timebank_exchange_step_action_known CHECK (action IN (
          'LOGGED', 'CONFIRMED', 'AUTO_CONFIRMED', 'DISPUTED', 'WITHDRAWN', 'RESOLVED_CONFIRMED',
          'RESOLVED_CANCELLED', 'REVERSED')),
        status text NOT NULL,
        actor text NOT NULL,
        minutes integer NULL,
        reason text NOT NULL CONSTRAINT timebank_exchange_step_reason_length CHECK (char_length(reason) <= 500),
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT timebank_exchange_step_pk PRIMARY KEY (exchange_id, step)
      );
      CREATE TRIGGER timebank_exchange_step_append_only BEFORE UPDATE OR DELETE ON timebank_exchange_step
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE timebank_exchange_step;
      DROP TABLE timebank_exchange;
      DROP FUNCTION guard_timebank_exchange();
      DROP TABLE timebank_listing;
      DROP TABLE timebank_partner_account;
      DROP TABLE timebank_member;
      DROP TABLE timebank_settings_change;
      DROP TABLE timebank;
    `);
  }
}
