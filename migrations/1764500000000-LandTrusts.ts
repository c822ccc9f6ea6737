import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Community land trusts: parcels and homes, ground leases over time, versioned fees, charges once per lease
 * and period, payments, and hardship relief (waivers and deferrals).
 *
 * - A land trust is an organisation's programme, in one unit the organisation issues, with three accounts
 *   of its own: income, the stewardship reserve, and receipts (money received from outside the ledger).
 *   Each lease has a receivable account, held by the trust: charges debit it, payments and waivers credit it.
 * - Leases are never deleted; the only change a lease takes is its termination (once, with a reason). No two
 *   leases of a parcel overlap in time (guard_ground_lease, under the parcel's row lock).
 * - Fee versions, charges, payments and reliefs are append-only history. A charge is unique per lease and
 *   period, and its income and reserve parts sum to its amount. A waiver never takes a charge below zero
 *   (guard_ground_lease_relief, under the charge's row lock).
 */
export class LandTrusts1764500000000 implements MigrationInterface {
  name = 'LandTrusts1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE land_trust (
        id uuid PRIMARY KEY,
        organization_id uuid NOT NULL CONSTRAINT land_trust_organization_fk REFERENCES organization (id)
          CONSTRAINT land_trust_organization_unique UNIQUE,
        name text NOT NULL CONSTRAINT land_trust_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
        unit_code text NOT NULL CONSTRAINT land_trust_unit_fk REFERENCES unit (code),
        income_account_id uuid NOT NULL CONSTRAINT land_trust_income_fk REFERENCES account (id),
        reserve_account_id uuid NOT NULL CONSTRAINT land_trust_reserve_fk REFERENCES account (id),
        receipts_account_id uuid NOT NULL CONSTRAINT land_trust_receipts_fk REFERENCES account (id),
        resale_formula jsonb NOT NULL CONSTRAINT land_trust_resale_formula_object
          CHECK (jsonb_typeof(resale_formula) = 'object' AND resale_formula->>'kind' IN ('APPRECIATION_SHARE', 'INDEXED')),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );

      CREATE TABLE land_parcel (
        id uuid PRIMARY KEY,
        trust_id uuid NOT NULL CONSTRAINT land_parcel_trust_fk REFERENCES land_trust (id),
        name text NOT NULL CONSTRAINT land_parcel_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
        description text NOT NULL CONSTRAINT land_parcel_description_length CHECK (char_length(description) <= 2000),
        home_description text NULL CONSTRAINT land_parcel_home_length CHECK (char_length(home_description) <= 2000),
        purchase_price bigint NULL CONSTRAINT land_parcel_purchase_price_non_negative CHECK (purchase_price >= 0),
        purchased_on date NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT land_parcel_purchase_whole CHECK ((purchase_price IS NULL) = (purchased_on IS NULL)),
        CONSTRAINT land_parcel_name_unique UNIQUE (trust_id, name)
      );

      CREATE TABLE ground_lease (
        id uuid PRIMARY KEY,
        trust_id uuid NOT NULL CONSTRAINT ground_lease_trust_fk REFERENCES land_trust (id),
        parcel_id uuid NOT NULL CONSTRAINT ground_lease_parcel_fk REFERENCES land_parcel (id),
        leaseholder_id uuid NOT NULL CONSTRAINT ground_lease_leaseholder_fk REFERENCES party (id),
        account_id uuid NOT NULL CONSTRAINT ground_lease_account_fk REFERENCES account (id)
          CONSTRAINT ground_lease_account_unique UNIQUE,
        starts_on date NOT NULL,
        ends_on date NULL,
        due_day smallint NOT NULL CONSTRAINT ground_lease_due_day_range CHECK (due_day BETWEEN 1 AND 28),
        terminated_on date NULL,
        termination_reason text NULL CONSTRAINT ground_lease_termination_reason_length
          CHECK (char_length(termination_reason) BETWEEN 1 AND 2000),
        terminated_by text NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT ground_lease_ends_after_start CHECK (ends_on IS NULL OR ends_on >= starts_on),
        CONSTRAINT ground_lease_terminated_after_start CHECK (terminated_on IS NULL OR terminated_on >= starts_on - 1),
        CONSTRAINT ground_lease_termination_whole CHECK (
          (terminated_on IS NULL) = (termination_reason IS NULL) AND (terminated_on IS NULL) = (terminated_by IS NULL)
        )
      );
      CREATE INDEX ground_lease_by_parcel ON ground_lease (parcel_id, starts_on);
      CREATE INDEX ground_lease_by_trust ON ground_lease (trust_id, id);
      CREATE INDEX ground_lease_by_leaseholder ON ground_lease (leaseholder_id);

      -- A lease's last day: the earlier of its end date and its termination (LEAST ignores NULL).
      CREATE FUNCTION guard_ground_lease() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        last_day date := LEAST(NEW.ends_on, NEW.terminated_on);
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          IF OLD.terminated_on IS NOT NULL THEN
            RAISE EXCEPTION 'lease % is terminated already', OLD.id USING ERRCODE = 'integrity_constraint_violation';
          END IF;
          IF (NEW.id, NEW.trust_id, NEW.parcel_id, NEW.leaseholder_id, NEW.account_id, NEW.starts_on, NEW.due_day,
              NEW.created_by, NEW.created_at) IS DISTINCT FROM
             (OLD.id, OLD.trust_id, OLD.parcel_id, OLD.leaseholder_id, OLD.account_id, OLD.starts_on, OLD.due_day,
              OLD.created_by, OLD.created_at)
             OR NEW.ends_on IS DISTINCT FROM OLD.ends_on THEN
            RAISE EXCEPTION 'a lease changes only by its termination' USING ERRCODE = 'integrity_constraint_violation';
          END IF;
          RETURN NEW;
        END IF;
        PERFORM 1 FROM land_parcel WHERE id = NEW.parcel_id FOR UPDATE;
        IF EXISTS (
          SELECT 1 FROM ground_lease other
          WHERE other.parcel_id = NEW.parcel_id AND other.id <> NEW.id
            AND other.starts_on <= COALESCE(last_day, 'infinity'::date)
            AND NEW.starts_on <= COALESCE(LEAST(other.ends_on, other.terminated_on), 'infinity'::date)
            AND NEW.starts_on <= COALESCE(last_day, 'infinity'::date)
            AND other.starts_on <= COALESCE(LEAST(other.ends_on, other.terminated_on), 'infinity'::date)
        ) THEN
          RAISE EXCEPTION 'leases of parcel % overlap', NEW.parcel_id
            USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'ground_lease_no_overlap';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER ground_lease_guard BEFORE INSERT OR UPDATE ON ground_lease
        FOR EACH ROW EXECUTE FUNCTION guard_ground_lease();
      CREATE TRIGGER ground_lease_never_deleted BEFORE DELETE ON ground_lease
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();

      CREATE TABLE ground_lease_fee (
        lease_id uuid NOT NULL CONSTRAINT ground_lease_fee_lease_fk REFERENCES ground_lease (id),
        effective_on date NOT NULL,
        fee bigint NOT NULL CONSTRAINT ground_lease_fee_non_negative CHECK (fee >= 0),
        reserve_share_points integer NOT NULL CONSTRAINT ground_lease_fee_reserve_share_range
          CHECK (reserve_share_points BETWEEN 0 AND 10000),
        motion_id uuid NULL,
        reason text NOT NULL CONSTRAINT ground_lease_fee_reason_length CHECK (char_length(reason) <= 2000),
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT ground_lease_fee_pk PRIMARY KEY (lease_id, effective_on)
      );
      CREATE TRIGGER ground_lease_fee_append_only BEFORE UPDATE OR DELETE ON ground_lease_fee
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();

      CREATE TABLE ground_lease_charge (
        id uuid PRIMARY KEY,
        lease_id uuid NOT NULL CONSTRAINT ground_lease_charge_lease_fk REFERENCES ground_lease (id),
        period text NOT NULL CONSTRAINT ground_lease_charge_period_format CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        due_on date NOT NULL,
        amount bigint NOT NULL CONSTRAINT ground_lease_charge_amount_non_negative CHECK (amount >= 0),
        income_amount bigint NOT NULL CONSTRAINT ground_lease_charge_income_non_negative CHECK (income_amount >= 0),
        reserve_amount bigint NOT NULL CONSTRAINT ground_lease_charge_reserve_non_negative CHECK (reserve_amount >= 0),
        reserve_share_points integer NOT NULL CONSTRAINT ground_lease_charge_reserve_share_range
          CHECK (reserve_share_points BETWEEN 0 AND 10000),
        days_charged smallint NOT NULL CONSTRAINT ground_lease_charge_days_range CHECK (days_charged BETWEEN 1 AND 31),
        days_in_period smallint NOT NULL CONSTRAINT ground_lease_charge_period_days CHECK (days_in_period BETWEEN 28 AND 31),
        transaction_id uuid NULL,
        posted_by text NOT NULL,
        posted_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT ground_lease_charge_once_per_period UNIQUE (lease_id, period),
        CONSTRAINT ground_lease_charge_split_whole CHECK (income_amount + reserve_amount = amount),
        CONSTRAINT ground_lease_charge_due_in_period CHECK (to_char(due_on, 'YYYY-MM') = period),
        CONSTRAINT ground_lease_charge_posted_when_positive CHECK ((transaction_id IS NULL) = (amount = 0))
      );
      CREATE TRIGGER ground_lease_charge_append_only BEFORE UPDATE OR DELETE ON ground_lease_charge
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();

      CREATE TABLE ground_lease_payment (
        id uuid PRIMARY KEY,
        lease_id uuid NOT NULL CONSTRAINT ground_lease_payment_lease_fk REFERENCES ground_lease (id),
        amount bigint NOT NULL CONSTRAINT ground_lease_payment_amount_positive CHECK (amount > 0),
        source text NOT NULL CONSTRAINT ground_lease_payment_source_known CHECK (source IN ('RECEIVED', 'ACCOUNT')),
        from_account_id uuid NULL CONSTRAINT ground_lease_payment_account_fk REFERENCES account (id),
        received_on date NOT NULL,
        memo text NOT NULL CONSTRAINT ground_lease_payment_memo_length CHECK (char_length(memo) <= 500),
        transaction_id uuid NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT ground_lease_payment_source_account CHECK ((source = 'ACCOUNT') = (from_account_id IS NOT NULL))
      );
      CREATE INDEX ground_lease_payment_by_lease ON ground_lease_payment (lease_id, received_on);
      CREATE TRIGGER ground_lease_payment_append_only BEFORE UPDATE OR DELETE ON ground_lease_payment
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();

      CREATE TABLE ground_lease_relief (
        id uuid PRIMARY KEY,
        charge_id uuid NOT NULL CONSTRAINT ground_lease_relief_charge_fk REFERENCES ground_lease_charge (id),
        kind text NOT NULL CONSTRAINT ground_lease_relief_kind_known CHECK (kind IN ('WAIVE', 'DEFER')),
        amount bigint NULL CONSTRAINT ground_lease_relief_amount_positive CHECK (amount > 0),
        deferred_to date NULL,
        reason text NOT NULL CONSTRAINT ground_lease_relief_reason_length CHECK (char_length(reason) BETWEEN 1 AND 2000),
        motion_id uuid NULL,
        transaction_id uuid NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT ground_lease_relief_shape CHECK (
          (kind = 'WAIVE' AND amount IS NOT NULL AND transaction_id IS NOT NULL AND deferred_to IS NULL)
          OR (kind = 'DEFER' AND amount IS NULL AND transaction_id IS NULL AND deferred_to IS NOT NULL)
        )
      );
      CREATE INDEX ground_lease_relief_by_charge ON ground_lease_relief (charge_id, recorded_at);
      CREATE TRIGGER ground_lease_relief_append_only BEFORE UPDATE OR DELETE ON ground_lease_relief
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();

      -- A waiver never takes a charge below zero; a deferral only moves its due date later.
      CREATE FUNCTION guard_ground_lease_relief() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        charged bigint;
        due date;
      BEGIN
        SELECT amount, due_on INTO charged, due FROM ground_lease_charge WHERE id = NEW.charge_id FOR UPDATE;
        IF NEW.kind = 'WAIVE' AND NEW.amount + COALESCE(
             (SELECT sum(amount) FROM ground_lease_relief WHERE charge_id = NEW.charge_id AND kind = 'WAIVE'), 0)
           > charged THEN
          RAISE EXCEPTION 'waivers of charge % exceed its amount', NEW.charge_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ground_lease_relief_within_charge';
        END IF;
        IF NEW.kind = 'DEFER' AND NEW.deferred_to <= due THEN
          RAISE EXCEPTION 'a deferral of charge % moves its due date later', NEW.charge_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ground_lease_relief_defers_later';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER ground_lease_relief_guard BEFORE INSERT ON ground_lease_relief
        FOR EACH ROW EXECUTE FUNCTION guard_ground_lease_relief();
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE ground_lease_relief;
      DROP FUNCTION guard_ground_lease_relief();
      DROP TABLE ground_lease_payment;
      DROP TABLE ground_lease_charge;
      DROP TABLE ground_lease_fee;
      DROP TABLE ground_lease;
      DROP FUNCTION guard_ground_lease();
      DROP TABLE land_parcel;
      DROP TABLE land_trust;
    `);
  }
}
