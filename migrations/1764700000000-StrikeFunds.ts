import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Strike funds, mutual aid and rent-strike escrow (src/strike-funds).
 *
 * - A fund belongs to an organisation and owns two ledger accounts: the fund (never below zero) and its
 *   outside account (money received from outside the ledger: bank transfers, cash at a rally).
 * - Contributions, picket shifts, stipend rule versions and escrow deposits are history: never updated or
 *   deleted (refuse_history_change). A correction of a shift is a new shift naming the one it corrects.
 * - A stipend batch is paid once per strike and week: at most one batch per strike and week is SUBMITTED or
 *   PAID (stipend_batch_once_per_week), and its ledger ids derive from the batch.
 * - An escrow deposit is one per tenant, fund and month; what a release paid each tenant is kept per tenant.
 */
export class StrikeFunds1764700000000 implements MigrationInterface {
  name = 'StrikeFunds1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE strike_fund (
        id uuid PRIMARY KEY,
        organization_id uuid NOT NULL CONSTRAINT strike_fund_organization_fk REFERENCES organization (id),
        name text NOT NULL CONSTRAINT strike_fund_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
        purpose text NOT NULL CONSTRAINT strike_fund_purpose_known CHECK (purpose IN ('STRIKE', 'MUTUAL_AID', 'RENT_ESCROW')),
        unit_code text NOT NULL,
        account_id uuid NOT NULL CONSTRAINT strike_fund_account_fk REFERENCES account (id)
          CONSTRAINT strike_fund_account_unique UNIQUE,
        outside_account_id uuid NOT NULL CONSTRAINT strike_fund_outside_account_fk REFERENCES account (id)
          CONSTRAINT strike_fund_outside_account_unique UNIQUE,
        committee uuid[] NOT NULL,
        required integer NOT NULL,
        blind_review boolean NOT NULL,
        review_days integer NOT NULL CONSTRAINT strike_fund_review_days_range CHECK (review_days BETWEEN 1 AND 90),
        draw_cap_per_year bigint NOT NULL CONSTRAINT strike_fund_draw_cap_positive CHECK (draw_cap_per_year > 0),
        members_see_detail boolean NOT NULL,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT strike_fund_required_reachable
          CHECK (required >= 1 AND required <= cardinality(committee) AND cardinality(committee) <= 50)
      );
      CREATE INDEX strike_fund_by_organization ON strike_fund (organization_id);

      CREATE TABLE fund_pledge (
        id uuid PRIMARY KEY,
        fund_id uuid NOT NULL CONSTRAINT fund_pledge_fund_fk REFERENCES strike_fund (id),
        contributor_id uuid NULL,
        contributor_name text NULL CONSTRAINT fund_pledge_name_length CHECK (char_length(contributor_name) <= 200),
        visibility text NOT NULL CONSTRAINT fund_pledge_visibility_known
          CHECK (visibility IN ('NAMED', 'PSEUDONYMOUS', 'ANONYMOUS')),
        from_account_id uuid NULL CONSTRAINT fund_pledge_from_account_fk REFERENCES account (id),
        amount bigint NOT NULL CONSTRAINT fund_pledge_amount_positive CHECK (amount > 0),
        period text NOT NULL CONSTRAINT fund_pledge_period_known CHECK (period IN ('ONCE', 'WEEKLY', 'MONTHLY')),
        status text NOT NULL CONSTRAINT fund_pledge_status_known CHECK (status IN ('ACTIVE', 'FAILED', 'ENDED')),
        failure text NULL,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL,
        CONSTRAINT fund_pledge_failure_when_failed CHECK ((status = 'FAILED') = (failure IS NOT NULL))
      );
      CREATE INDEX fund_pledge_by_fund ON fund_pledge (fund_id);

      CREATE TABLE fund_contribution (
        id uuid PRIMARY KEY,
        fund_id uuid NOT NULL CONSTRAINT fund_contribution_fund_fk REFERENCES strike_fund (id),
        source text NOT NULL CONSTRAINT fund_contribution_source_known CHECK (source IN ('OUTSIDE', 'LEDGER')),
        from_account_id uuid NOT NULL CONSTRAINT fund_contribution_from_account_fk REFERENCES account (id),
        contributor_id uuid NULL,
        contributor_name text NULL CONSTRAINT fund_contribution_name_length CHECK (char_length(contributor_name) <= 200),
        visibility text NOT NULL CONSTRAINT fund_contribution_visibility_known
          CHECK (visibility IN ('NAMED', 'PSEUDONYMOUS', 'ANONYMOUS')),
        amount bigint NOT NULL CONSTRAINT fund_contribution_amount_positive CHECK (amount > 0),
        memo text NOT NULL CONSTRAINT fund_contribution_memo_length CHECK (char_length(memo) <= 500),
        pledge_id uuid NULL CONSTRAINT fund_contribution_pledge_fk REFERENCES fund_pledge (id),
        pledge_period integer NULL,
        transaction_id uuid NOT NULL CONSTRAINT fund_contribution_transaction_fk REFERENCES ledger_transaction (id),
        recorded_by text NOT NULL,
        received_at timestamptz NOT NULL,
        CONSTRAINT fund_contribution_anonymous_unnamed
          CHECK (visibility <> 'ANONYMOUS' OR contributor_name IS NULL),
        CONSTRAINT fund_contribution_pledge_period CHECK ((pledge_id IS NULL) = (pledge_period IS NULL)),
        CONSTRAINT fund_contribution_pledge_once UNIQUE (pledge_id, pledge_period)
      );
      CREATE INDEX fund_contribution_by_fund ON fund_contribution (fund_id, received_at);

      CREATE TABLE strike (
        id uuid PRIMARY KEY,
        fund_id uuid NOT NULL CONSTRAINT strike_fund_fk REFERENCES strike_fund (id),
        name text NOT NULL CONSTRAINT strike_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
        starts_on date NOT NULL,
        ends_on date NULL,
        draw_cap_per_striker bigint NOT NULL CONSTRAINT strike_draw_cap_positive CHECK (draw_cap_per_striker > 0),
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT strike_ends_after_start CHECK (ends_on IS NULL OR ends_on >= starts_on)
      );
      CREATE INDEX strike_by_fund ON strike (fund_id);

      CREATE TABLE stipend_rule (
        strike_id uuid NOT NULL CONSTRAINT stipend_rule_strike_fk REFERENCES strike (id),
        version integer NOT NULL CONSTRAINT stipend_rule_version_positive CHECK (version >= 1),
        effective_from date NOT NULL CONSTRAINT stipend_rule_from_monday CHECK (extract(isodow FROM effective_from) = 1),
        weekly_rate bigint NOT NULL CONSTRAINT stipend_rule_rate_positive CHECK (weekly_rate > 0),
        full_minutes integer NOT NULL CONSTRAINT stipend_rule_full_minutes CHECK (full_minutes BETWEEN 1 AND 10080),
        minimum_minutes integer NOT NULL,
        dependant_supplement bigint NOT NULL CONSTRAINT stipend_rule_supplement_range CHECK (dependant_supplement >= 0),
        cap_per_striker bigint NULL CONSTRAINT stipend_rule_cap_positive CHECK (cap_per_striker > 0),
        shortfall text NOT NULL CONSTRAINT stipend_rule_shortfall_known CHECK (shortfall IN ('PRO_RATA', 'PAY_NONE')),
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL,
        CONSTRAINT stipend_rule_pk PRIMARY KEY (strike_id, version),
        CONSTRAINT stipend_rule_minimum_range CHECK (minimum_minutes BETWEEN 0 AND full_minutes)
      );

      CREATE TABLE striker (
        strike_id uuid NOT NULL CONSTRAINT striker_strike_fk REFERENCES strike (id),
        person_id uuid NOT NULL CONSTRAINT striker_person_fk REFERENCES person (id),
        account_id uuid NOT NULL CONSTRAINT striker_account_fk REFERENCES account (id),
        dependants integer NOT NULL CONSTRAINT striker_dependants_range CHECK (dependants BETWEEN 0 AND 20),
        enrolled_at timestamptz NOT NULL,
        CONSTRAINT striker_pk PRIMARY KEY (strike_id, person_id)
      );

      CREATE TABLE picket_shift (
        id uuid PRIMARY KEY,
        strike_id uuid NOT NULL CONSTRAINT picket_shift_strike_fk REFERENCES strike (id),
        person_id uuid NOT NULL,
        day date NOT NULL,
        minutes integer NOT NULL CONSTRAINT picket_shift_minutes_range CHECK (minutes BETWEEN -1440 AND 1440 AND minutes <> 0),
        corrects_id uuid NULL CONSTRAINT picket_shift_corrects_fk REFERENCES picket_shift (id),
        note text NOT NULL CONSTRAINT picket_shift_note_length CHECK (char_length(note) <= 500),
        recorded_by uuid NOT NULL,
        recorded_at timestamptz NOT NULL,
        CONSTRAINT picket_shift_striker_fk FOREIGN KEY (strike_id, person_id) REFERENCES striker (strike_id, person_id),
        CONSTRAINT picket_shift_negative_corrects CHECK (minutes > 0 OR corrects_id IS NOT NULL)
      );
      CREATE INDEX picket_shift_by_strike_day ON picket_shift (strike_id, day);

      CREATE TABLE stipend_batch (
        id uuid PRIMARY KEY,
        strike_id uuid NOT NULL CONSTRAINT stipend_batch_strike_fk REFERENCES strike (id),
        week_start date NOT NULL CONSTRAINT stipend_batch_week_monday CHECK (extract(isodow FROM week_start) = 1),
        rule_version integer NOT NULL,
        status text NOT NULL CONSTRAINT stipend_batch_status_known
          CHECK (status IN ('PREVIEW', 'SUPERSEDED', 'UNFUNDED', 'SUBMITTED', 'PAID', 'DECLINED')),
        requested_total bigint NOT NULL CONSTRAINT stipend_batch_requested_range CHECK (requested_total >= 0),
        total bigint NOT NULL CONSTRAINT stipend_batch_total_range CHECK (total >= 0 AND total <= requested_total),
        available bigint NOT NULL,
        shortfall text NULL CONSTRAINT stipend_batch_shortfall_known CHECK (shortfall IN ('PRO_RATA', 'PAY_NONE')),
        explanation text NOT NULL,
        approval_request_id uuid NULL,
        computed_by uuid NOT NULL,
        computed_at timestamptz NOT NULL,
        decided_at timestamptz NULL,
        CONSTRAINT stipend_batch_rule_fk FOREIGN KEY (strike_id, rule_version) REFERENCES stipend_rule (strike_id, version),
        CONSTRAINT stipend_batch_request_when_submitted
          CHECK ((status IN ('SUBMITTED', 'PAID', 'DECLINED')) = (approval_request_id IS NOT NULL))
      );
      CREATE UNIQUE INDEX stipend_batch_once_per_week ON stipend_batch (strike_id, week_start)
        WHERE status IN ('SUBMITTED', 'PAID');
      CREATE UNIQUE INDEX stipend_batch_one_preview ON stipend_batch (strike_id, week_start)
        WHERE status IN ('PREVIEW', 'UNFUNDED');

      CREATE TABLE stipend_line (
        batch_id uuid NOT NULL CONSTRAINT stipend_line_batch_fk REFERENCES stipend_batch (id),
        person_id uuid NOT NULL,
        account_id uuid NOT NULL CONSTRAINT stipend_line_account_fk REFERENCES account (id),
        minutes integer NOT NULL,
        dependants integer NOT NULL,
        base bigint NOT NULL CONSTRAINT stipend_line_base_range CHECK (base >= 0),
        supplement bigint NOT NULL CONSTRAINT stipend_line_supplement_range CHECK (supplement >= 0),
        due bigint NOT NULL CONSTRAINT stipend_line_due_range CHECK (due >= 0 AND due <= base + supplement),
        amount bigint NOT NULL CONSTRAINT stipend_line_amount_range CHECK (amount >= 0 AND amount <= due),
        explanation text NOT NULL,
        CONSTRAINT stipend_line_pk PRIMARY KEY (batch_id, person_id)
      );
      CREATE INDEX stipend_line_by_person ON stipend_line (person_id);

      CREATE TABLE hardship_draw (
        id uuid PRIMARY KEY,
        fund_id uuid NOT NULL CONSTRAINT hardship_draw_fund_fk REFERENCES strike_fund (id),
        strike_id uuid NULL CONSTRAINT hardship_draw_strike_fk REFERENCES strike (id),
        applicant_id uuid NOT NULL CONSTRAINT hardship_draw_applicant_fk REFERENCES person (id),
        account_id uuid NOT NULL CONSTRAINT hardship_draw_account_fk REFERENCES account (id),
        amount bigint NOT NULL CONSTRAINT hardship_draw_amount_positive CHECK (amount > 0),
        category text NOT NULL CONSTRAINT hardship_draw_category_known
          CHECK (category IN ('RENT', 'UTILITIES', 'FOOD', 'MEDICAL', 'CHILDCARE', 'TRANSPORT', 'OTHER')),
        dependants integer NOT NULL CONSTRAINT hardship_draw_dependants_range CHECK (dependants BETWEEN 0 AND 20),
        eviction_notice boolean NOT NULL,
        shut_off_notice boolean NOT NULL,
        statement text NOT NULL CONSTRAINT hardship_draw_statement_length CHECK (char_length(statement) <= 4000),
        priority integer NOT NULL,
        status text NOT NULL CONSTRAINT hardship_draw_status_known
          CHECK (status IN ('IN_REVIEW', 'PAID', 'DECLINED', 'EXPIRED', 'WITHDRAWN')),
        approval_request_id uuid NOT NULL CONSTRAINT hardship_draw_request_unique UNIQUE,
        paid_amount bigint NULL,
        paid_account_id uuid NULL,
        created_at timestamptz NOT NULL,
        decided_at timestamptz NULL,
        CONSTRAINT hardship_draw_paid_when_paid CHECK ((status = 'PAID') = (paid_amount IS NOT NULL))
      );
      CREATE INDEX hardship_draw_by_fund ON hardship_draw (fund_id, status, priority DESC, created_at);
      CREATE INDEX hardship_draw_by_applicant ON hardship_draw (applicant_id, fund_id);

      CREATE TABLE escrow_deposit (
        id uuid PRIMARY KEY,
        fund_id uuid NOT NULL CONSTRAINT escrow_deposit_fund_fk REFERENCES strike_fund (id),
        tenant_id uuid NOT NULL CONSTRAINT escrow_deposit_tenant_fk REFERENCES person (id),
        tenant_account_id uuid NOT NULL CONSTRAINT escrow_deposit_tenant_account_fk REFERENCES account (id),
        month date NOT NULL CONSTRAINT escrow_deposit_month_first CHECK (extract(day FROM month) = 1),
        amount bigint NOT NULL CONSTRAINT escrow_deposit_amount_positive CHECK (amount > 0),
        source text NOT NULL CONSTRAINT escrow_deposit_source_known CHECK (source IN ('TENANT_ACCOUNT', 'OUTSIDE')),
        transaction_id uuid NOT NULL CONSTRAINT escrow_deposit_transaction_fk REFERENCES ledger_transaction (id),
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL,
        CONSTRAINT escrow_deposit_once_per_month UNIQUE (fund_id, tenant_id, month)
      );

      CREATE TABLE escrow_release (
        id uuid PRIMARY KEY,
        fund_id uuid NOT NULL CONSTRAINT escrow_release_fund_fk REFERENCES strike_fund (id),
        motion_id uuid NOT NULL CONSTRAINT escrow_release_motion_unique UNIQUE,
        mode text NOT NULL CONSTRAINT escrow_release_mode_known CHECK (mode IN ('TO_LANDLORD', 'TO_TENANTS')),
        landlord_account_id uuid NULL CONSTRAINT escrow_release_landlord_fk REFERENCES account (id),
        withheld_per_tenant bigint NOT NULL CONSTRAINT escrow_release_withheld_range CHECK (withheld_per_tenant >= 0),
        total bigint NOT NULL CONSTRAINT escrow_release_total_range CHECK (total >= 0),
        released_at timestamptz NOT NULL,
        CONSTRAINT escrow_release_landlord_when_landlord CHECK ((mode = 'TO_LANDLORD') = (landlord_account_id IS NOT NULL))
      );

      CREATE TABLE escrow_release_share (
        release_id uuid NOT NULL CONSTRAINT escrow_release_share_release_fk REFERENCES escrow_release (id),
        tenant_id uuid NOT NULL,
        held bigint NOT NULL CONSTRAINT escrow_release_share_held_positive CHECK (held > 0),
        paid bigint NOT NULL CONSTRAINT escrow_release_share_paid_range CHECK (paid >= 0 AND paid <= held),
        CONSTRAINT escrow_release_share_pk PRIMARY KEY (release_id, tenant_id)
      );

      CREATE TRIGGER fund_contribution_append_only BEFORE UPDATE OR DELETE ON fund_contribution
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
      CREATE TRIGGER stipend_rule_append_only BEFORE UPDATE OR DELETE ON stipend_rule
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
      CREATE TRIGGER picket_shift_append_only BEFORE UPDATE OR DELETE ON picket_shift
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
      CREATE TRIGGER escrow_deposit_append_only BEFORE UPDATE OR DELETE ON escrow_deposit
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
      CREATE TRIGGER escrow_release_append_only BEFORE UPDATE OR DELETE ON escrow_release
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
      CREATE TRIGGER escrow_release_share_append_only BEFORE UPDATE OR DELETE ON escrow_release_share
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE escrow_release_share;
      DROP TABLE escrow_release;
      DROP TABLE escrow_deposit;
      DROP TABLE hardship_draw;
      DROP TABLE stipend_line;
      DROP TABLE stipend_batch;
      DROP TABLE picket_shift;
      DROP TABLE striker;
      DROP TABLE stipend_rule;
      DROP TABLE strike;
      DROP TABLE fund_contribution;
      DROP TABLE fund_pledge;
      DROP TABLE strike_fund;
    `);
  }
}
