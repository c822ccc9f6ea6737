import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Co-op trade: invoices between organisations, their payments and set-offs, automatic payment, and
 * multilateral clearing rounds.
 *
 * - An invoice is a payment request from its issuer to its payer, in one unit, paid into the issuer's
 *   account; its lines add up to its total (checked at commit by `invoice_lines_add_up`).
 * - What is settled (paid in the ledger, or set off by a clearing round) never exceeds the total and never
 *   decreases; the status follows what is settled (`invoice_status_fits_settled`), and moves only along the
 *   state machine of src/trade/rules/invoice-lifecycle.ts (`guard_invoice`). Parties, unit, total and
 *   terms never change.
 * - Every step of an invoice is an event (issued, accepted, rejected, cancelled, paid, set off), append-only:
 *   statements are folds of these events.
 * - A clearing round's set-offs are its preview while it is OPEN; once EXECUTED they, and the round, are
 *   frozen (`guard_clearing_setoff`, `guard_clearing_round`).
 */
export class Trade1764600000000 implements MigrationInterface {
  name = 'Trade1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE invoice (
        id uuid PRIMARY KEY,
        issuer_id uuid NOT NULL CONSTRAINT invoice_issuer_fk REFERENCES organization (id),
        payer_id uuid NOT NULL CONSTRAINT invoice_payer_fk REFERENCES organization (id),
        unit_code text NOT NULL CONSTRAINT invoice_unit_fk REFERENCES unit (code),
        credit_account_id uuid NOT NULL CONSTRAINT invoice_credit_account_fk REFERENCES account (id),
        reference text NOT NULL CONSTRAINT invoice_reference_length CHECK (char_length(reference) <= 100),
        notes text NOT NULL CONSTRAINT invoice_notes_length CHECK (char_length(notes) <= 2000),
        due_on date NOT NULL,
        total bigint NOT NULL CONSTRAINT invoice_total_positive CHECK (total > 0 AND total <= 1000000000000000000),
        paid bigint NOT NULL DEFAULT 0 CONSTRAINT invoice_paid_non_negative CHECK (paid >= 0),
        set_off bigint NOT NULL DEFAULT 0 CONSTRAINT invoice_set_off_non_negative CHECK (set_off >= 0),
        status text NOT NULL CONSTRAINT invoice_status_known
          CHECK (status IN ('ISSUED', 'ACCEPTED', 'PARTLY_PAID', 'PAID', 'REJECTED', 'CANCELLED')),
        rejection_reason text NULL CONSTRAINT invoice_rejection_reason_length CHECK (char_length(rejection_reason) <= 500),
        automatic_payment text NULL CONSTRAINT invoice_automatic_payment_known
          CHECK (automatic_payment IN ('PAID', 'OVER_LIMIT', 'REFUSED')),
        issued_by text NOT NULL,
        issued_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT invoice_parties_distinct CHECK (issuer_id <> payer_id),
        CONSTRAINT invoice_settled_within_total CHECK (paid + set_off <= total),
        CONSTRAINT invoice_status_fits_settled CHECK (
          (status = 'PAID') = (paid + set_off = total)
          AND (status NOT IN ('ISSUED', 'ACCEPTED', 'REJECTED', 'CANCELLED') OR paid + set_off = 0)
          AND (status <> 'PARTLY_PAID' OR paid + set_off > 0)
          AND ((status = 'REJECTED') = (rejection_reason IS NOT NULL))
        )
      );
      CREATE INDEX invoice_by_issuer ON invoice (issuer_id, issued_at, id);
      CREATE INDEX invoice_by_payer ON invoice (payer_id, issued_at, id);
      CREATE INDEX invoice_obligations ON invoice (unit_code, status) WHERE status IN ('ACCEPTED', 'PARTLY_PAID');

      CREATE TABLE invoice_line (
        invoice_id uuid NOT NULL CONSTRAINT invoice_line_invoice_fk REFERENCES invoice (id),
        position integer NOT NULL CONSTRAINT invoice_line_position_range CHECK (position BETWEEN 1 AND 100),
        description text NOT NULL CONSTRAINT invoice_line_description_length
          CHECK (char_length(description) BETWEEN 1 AND 200),
        quantity_thousandths bigint NOT NULL CONSTRAINT invoice_line_quantity_positive
          CHECK (quantity_thousandths > 0 AND quantity_thousandths <= 1000000000000),
        unit_price bigint NOT NULL CONSTRAINT invoice_line_unit_price_range
          CHECK (unit_price >= 0 AND unit_price <= 1000000000000000000),
        amount bigint NOT NULL,
        CONSTRAINT invoice_line_pk PRIMARY KEY (invoice_id, position),
        CONSTRAINT invoice_line_amount_rounded CHECK (amount = floor((quantity_thousandths::numeric * unit_price + 500) / 1000))
      );
      CREATE TRIGGER invoice_line_append_only BEFORE UPDATE OR DELETE ON invoice_line
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();

      CREATE FUNCTION check_invoice_lines() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        lines_total numeric;
        invoice_total bigint;
      BEGIN
        SELECT total INTO invoice_total FROM invoice WHERE id = NEW.id;
        SELECT coalesce(sum(amount), 0) INTO lines_total FROM invoice_line WHERE invoice_id = NEW.id;
        IF lines_total <> invoice_total THEN
          RAISE EXCEPTION 'the lines of invoice % add up to %, not its total %', NEW.id, lines_total, invoice_total
            USING ERRCODE = 'check_violation', CONSTRAINT = 'invoice_lines_add_up';
        END IF;
        RETURN NULL;
      END $$;
      CREATE CONSTRAINT TRIGGER invoice_lines_add_up AFTER INSERT ON invoice
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_invoice_lines();

      CREATE FUNCTION guard_invoice() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.id <> OLD.id OR NEW.issuer_id <> OLD.issuer_id OR NEW.payer_id <> OLD.payer_id
          OR NEW.unit_code <> OLD.unit_code OR NEW.credit_account_id <> OLD.credit_account_id
          OR NEW.total <> OLD.total OR NEW.reference <> OLD.reference OR NEW.notes <> OLD.notes
          OR NEW.due_on <> OLD.due_on OR NEW.issued_by <> OLD.issued_by OR NEW.issued_at <> OLD.issued_at THEN
          RAISE EXCEPTION 'an invoice''s parties, unit, account, total and terms never change'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'invoice_terms_fixed';
        END IF;
        IF NEW.paid < OLD.paid OR NEW.set_off < OLD.set_off THEN
          RAISE EXCEPTION 'what is settled on an invoice never decreases'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'invoice_settled_grows';
        END IF;
        IF NEW.status <> OLD.status AND NOT (
          (OLD.status = 'ISSUED' AND NEW.status IN ('ACCEPTED', 'PARTLY_PAID', 'PAID', 'REJECTED', 'CANCELLED'))
          OR (OLD.status = 'ACCEPTED' AND NEW.status IN ('PARTLY_PAID', 'PAID', 'CANCELLED'))
          OR (OLD.status = 'PARTLY_PAID' AND NEW.status = 'PAID')
        ) THEN
          RAISE EXCEPTION 'an invoice does not go from % to %', OLD.status, NEW.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'invoice_status_moves';
        END IF;
        IF NEW.set_off > OLD.set_off AND OLD.status NOT IN ('ACCEPTED', 'PARTLY_PAID') THEN
          RAISE EXCEPTION 'only an accepted obligation is set off'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'invoice_set_off_obligation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER invoice_guarded BEFORE UPDATE ON invoice FOR EACH ROW EXECUTE FUNCTION guard_invoice();
      CREATE TRIGGER invoice_not_deleted BEFORE DELETE ON invoice FOR EACH ROW EXECUTE FUNCTION refuse_history_change();

      CREATE TABLE invoice_event (
        sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        invoice_id uuid NOT NULL CONSTRAINT invoice_event_invoice_fk REFERENCES invoice (id),
        kind text NOT NULL CONSTRAINT invoice_event_kind_known
          CHECK (kind IN ('ISSUED', 'ACCEPTED', 'REJECTED', 'CANCELLED', 'PAYMENT', 'SET_OFF')),
        amount bigint NOT NULL CONSTRAINT invoice_event_amount_non_negative CHECK (amount >= 0),
        payment_id uuid NULL,
        transaction_id uuid NULL,
        round_id uuid NULL,
        actor text NOT NULL,
        reason text NOT NULL DEFAULT '' CONSTRAINT invoice_event_reason_length CHECK (char_length(reason) <= 500),
        at timestamptz NOT NULL,
        CONSTRAINT invoice_event_payment_fits CHECK (
          (kind = 'PAYMENT') = (payment_id IS NOT NULL AND transaction_id IS NOT NULL)
          AND (kind = 'SET_OFF') = (round_id IS NOT NULL)
          AND (kind NOT IN ('PAYMENT', 'SET_OFF') OR amount > 0)
        ),
        CONSTRAINT invoice_event_payment_once UNIQUE (payment_id),
        CONSTRAINT invoice_event_set_off_once UNIQUE (invoice_id, round_id)
      );
      CREATE INDEX invoice_event_by_invoice ON invoice_event (invoice_id, sequence);
      CREATE TRIGGER invoice_event_append_only BEFORE UPDATE OR DELETE ON invoice_event
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();

      CREATE TABLE automatic_payment (
        payer_id uuid NOT NULL CONSTRAINT automatic_payment_payer_fk REFERENCES organization (id),
        issuer_id uuid NOT NULL CONSTRAINT automatic_payment_issuer_fk REFERENCES organization (id),
        unit_code text NOT NULL CONSTRAINT automatic_payment_unit_fk REFERENCES unit (code),
        from_account_id uuid NOT NULL CONSTRAINT automatic_payment_account_fk REFERENCES account (id),
        max_amount bigint NOT NULL CONSTRAINT automatic_payment_max_amount_positive
          CHECK (max_amount > 0 AND max_amount <= 1000000000000000000),
        set_by text NOT NULL,
        set_at timestamptz NOT NULL,
        CONSTRAINT automatic_payment_pk PRIMARY KEY (payer_id, issuer_id, unit_code),
        CONSTRAINT automatic_payment_parties_distinct CHECK (payer_id <> issuer_id)
      );

      CREATE TABLE clearing_setting (
        federation_id uuid PRIMARY KEY CONSTRAINT clearing_setting_federation_fk REFERENCES organization (id),
        consent_by_membership boolean NOT NULL,
        consent_hours integer NOT NULL CONSTRAINT clearing_setting_consent_hours_range CHECK (consent_hours BETWEEN 1 AND 2160),
        set_by text NOT NULL,
        set_at timestamptz NOT NULL
      );

      CREATE TABLE clearing_round (
        id uuid PRIMARY KEY,
        federation_id uuid NOT NULL CONSTRAINT clearing_round_federation_fk REFERENCES organization (id),
        unit_code text NOT NULL CONSTRAINT clearing_round_unit_fk REFERENCES unit (code),
        status text NOT NULL CONSTRAINT clearing_round_status_known CHECK (status IN ('OPEN', 'EXECUTED')),
        consent_by_membership boolean NOT NULL,
        consent_deadline timestamptz NOT NULL,
        version integer NOT NULL CONSTRAINT clearing_round_version_positive CHECK (version >= 1),
        obligation_count integer NOT NULL CONSTRAINT clearing_round_count_non_negative CHECK (obligation_count >= 0),
        total_debt numeric NOT NULL,
        net_internal_debt numeric NOT NULL,
        cleared numeric NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        executed_by text NULL,
        executed_at timestamptz NULL,
        CONSTRAINT clearing_round_totals_fit CHECK (
          cleared >= 0 AND net_internal_debt >= 0 AND total_debt - cleared >= net_internal_debt
        ),
        CONSTRAINT clearing_round_executed_fits CHECK ((status = 'EXECUTED') = (executed_at IS NOT NULL))
      );
      CREATE INDEX clearing_round_by_federation ON clearing_round (federation_id, created_at, id);

      CREATE FUNCTION guard_clearing_round() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR OLD.status = 'EXECUTED' THEN
          RAISE EXCEPTION 'an executed clearing round never changes'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'clearing_round_executed_frozen';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER clearing_round_guarded BEFORE UPDATE OR DELETE ON clearing_round
        FOR EACH ROW EXECUTE FUNCTION guard_clearing_round();

      CREATE TABLE clearing_participant (
        round_id uuid NOT NULL CONSTRAINT clearing_participant_round_fk REFERENCES clearing_round (id),
        organization_id uuid NOT NULL CONSTRAINT clearing_participant_organization_fk REFERENCES organization (id),
        consent text NOT NULL CONSTRAINT clearing_participant_consent_known
          CHECK (consent IN ('PENDING', 'GIVEN', 'BY_MEMBERSHIP', 'DECLINED', 'LAPSED')),
        decided_by text NULL,
        decided_at timestamptz NULL,
        CONSTRAINT clearing_participant_pk PRIMARY KEY (round_id, organization_id)
      );

      CREATE TABLE clearing_setoff (
        round_id uuid NOT NULL CONSTRAINT clearing_setoff_round_fk REFERENCES clearing_round (id),
        invoice_id uuid NOT NULL CONSTRAINT clearing_setoff_invoice_fk REFERENCES invoice (id),
        debtor_id uuid NOT NULL,
        creditor_id uuid NOT NULL,
        amount bigint NOT NULL CONSTRAINT clearing_setoff_positive CHECK (amount > 0),
        remaining bigint NOT NULL CONSTRAINT clearing_setoff_remaining_non_negative CHECK (remaining >= 0),
        CONSTRAINT clearing_setoff_pk PRIMARY KEY (round_id, invoice_id)
      );
      CREATE INDEX clearing_setoff_by_invoice ON clearing_setoff (invoice_id);

      -- One check per statement (a round's preview is replaced whole, up to hundreds of thousands of rows).
      CREATE FUNCTION guard_clearing_setoff() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM old_rows o JOIN clearing_round r ON r.id = o.round_id WHERE r.status = 'EXECUTED') THEN
          RAISE EXCEPTION 'the set-offs of an executed round never change'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'clearing_setoff_executed_frozen';
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER clearing_setoff_guarded AFTER DELETE ON clearing_setoff
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION guard_clearing_setoff();
      CREATE TRIGGER clearing_setoff_not_updated BEFORE UPDATE ON clearing_setoff
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE clearing_setoff;
      DROP FUNCTION guard_clearing_setoff();
      DROP TABLE clearing_participant;
      DROP TABLE clearing_round;
      DROP FUNCTION guard_clearing_round();
      DROP TABLE clearing_setting;
      DROP TABLE automatic_payment;
      DROP TABLE invoice_event;
      DROP TABLE invoice_line;
      DROP TABLE invoice;
      DROP FUNCTION guard_invoice();
      DROP FUNCTION check_invoice_lines();
    `);
  }
}
