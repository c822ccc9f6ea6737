import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Redistribution: policies adopted by motions, and runs of a policy version over a period.
 *
 * - A policy (`redistribution_policy`) belongs to the organisation whose assembly adopted it, in one unit.
 *   Its versions (`redistribution_policy_version`) are the documents the motions adopted, each naming its
 *   motion, numbered from 1 without gaps, never edited. A retired policy names the motion that retired it.
 * - A run (`redistribution_run`) applies one version to one period [start, end), once: its id is derived
 *   from the policy, version and period, and (policy, version, period) is unique. Its lines
 *   (`redistribution_run_line`) say what each account gave or received and why; never edited. Only a run's
 *   reversal is written to it afterwards (who, when, why), once.
 */
export class Redistribution1764800000000 implements MigrationInterface {
  name = 'Redistribution1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE redistribution_policy (
        id uuid PRIMARY KEY,
        organization_id uuid NOT NULL CONSTRAINT redistribution_policy_organization_fk REFERENCES organization (id),
        unit_code text NOT NULL CONSTRAINT redistribution_policy_unit_fk REFERENCES unit (code),
        name text NOT NULL CONSTRAINT redistribution_policy_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
        current_version integer NOT NULL CONSTRAINT redistribution_policy_version_positive CHECK (current_version >= 1),
        status text NOT NULL CONSTRAINT redistribution_policy_status_known CHECK (status IN ('ACTIVE', 'RETIRED')),
        retired_by_motion_id uuid NULL CONSTRAINT redistribution_policy_retired_by_fk REFERENCES motion (id),
        retired_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT redistribution_policy_retirement_recorded
          CHECK ((status = 'RETIRED') = (retired_by_motion_id IS NOT NULL AND retired_at IS NOT NULL))
      );
      CREATE INDEX redistribution_policy_by_organization ON redistribution_policy (organization_id, created_at);

      CREATE TABLE redistribution_policy_version (
        policy_id uuid NOT NULL CONSTRAINT redistribution_policy_version_policy_fk REFERENCES redistribution_policy (id),
        version integer NOT NULL CONSTRAINT redistribution_policy_version_number_positive CHECK (version >= 1),
        document jsonb NOT NULL CONSTRAINT redistribution_policy_version_document_object
          CHECK (jsonb_typeof(document) = 'object' AND octet_length(document::text) <= 65536),
        motion_id uuid NOT NULL CONSTRAINT redistribution_policy_version_motion_fk REFERENCES motion (id),
        adopted_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT redistribution_policy_version_pk PRIMARY KEY (policy_id, version),
        CONSTRAINT redistribution_policy_version_one_per_motion UNIQUE (motion_id)
      );

      -- Versions have no gaps: a new version follows the highest one.
      CREATE FUNCTION check_policy_version_follows() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.version <> COALESCE((SELECT max(version) FROM redistribution_policy_version
                                    WHERE policy_id = NEW.policy_id), 0) + 1 THEN
          RAISE EXCEPTION 'policy % version % does not follow the last one', NEW.policy_id, NEW.version
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER redistribution_policy_version_follows BEFORE INSERT ON redistribution_policy_version
        FOR EACH ROW EXECUTE FUNCTION check_policy_version_follows();
      CREATE TRIGGER redistribution_policy_version_append_only BEFORE UPDATE OR DELETE ON redistribution_policy_version
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();

      CREATE TABLE redistribution_run (
        id uuid PRIMARY KEY,
        policy_id uuid NOT NULL,
        version integer NOT NULL,
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        total bigint NOT NULL CONSTRAINT redistribution_run_total_non_negative CHECK (total >= 0),
        transaction_count integer NOT NULL CONSTRAINT redistribution_run_transactions_non_negative
          CHECK (transaction_count >= 0),
        line_count integer NOT NULL CONSTRAINT redistribution_run_lines_non_negative CHECK (line_count >= 0),
        digest text NOT NULL CONSTRAINT redistribution_run_digest_format CHECK (digest ~ '^[0-9a-f]{64}$'),
        legs jsonb NOT NULL CONSTRAINT redistribution_run_legs_list CHECK (jsonb_typeof(legs) = 'array'),
        executed_by text NOT NULL,
        executed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        status text NOT NULL CONSTRAINT redistribution_run_status_known CHECK (status IN ('EXECUTED', 'REVERSED')),
        reversed_by text NULL,
        reversal_reason text NULL CONSTRAINT redistribution_run_reason_length
          CHECK (reversal_reason IS NULL OR char_length(reversal_reason) BETWEEN 1 AND 500),
        reversed_at timestamptz NULL,
        CONSTRAINT redistribution_run_version_fk FOREIGN KEY (policy_id, version)
          REFERENCES redistribution_policy_version (policy_id, version),
        CONSTRAINT redistribution_run_period_ordered CHECK (period_end > period_start),
        CONSTRAINT redistribution_run_once UNIQUE (policy_id, version, period_start, period_end),
        CONSTRAINT redistribution_run_reversal_recorded
          CHECK ((status = 'REVERSED') = (reversed_by IS NOT NULL AND reversal_reason IS NOT NULL AND reversed_at IS NOT NULL))
      );
      CREATE INDEX redistribution_run_by_policy ON redistribution_run (policy_id, executed_at);

      -- A run is written once; afterwards only its reversal is recorded, once.
      CREATE FUNCTION guard_redistribution_run() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR OLD.status <> 'EXECUTED' OR NEW.status <> 'REVERSED'
           OR (NEW.id, NEW.policy_id, NEW.version, NEW.period_start, NEW.period_end, NEW.total,
               NEW.transaction_count, NEW.line_count, NEW.digest, NEW.legs, NEW.executed_by, NEW.executed_at)
              IS DISTINCT FROM
              (OLD.id, OLD.policy_id, OLD.version, OLD.period_start, OLD.period_end, OLD.total,
               OLD.transaction_count, OLD.line_count, OLD.digest, OLD.legs, OLD.executed_by, OLD.executed_at) THEN
          RAISE EXCEPTION 'a redistribution run is only ever reversed, once' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER redistribution_run_guard BEFORE UPDATE OR DELETE ON redistribution_run
        FOR EACH ROW EXECUTE FUNCTION guard_redistribution_run();

      CREATE TABLE redistribution_run_line (
        run_id uuid NOT NULL CONSTRAINT redistribution_run_line_run_fk REFERENCES redistribution_run (id),
        leg smallint NOT NULL CONSTRAINT redistribution_run_line_leg_range CHECK (leg BETWEEN 0 AND 9),
        role text NOT NULL CONSTRAINT redistribution_run_line_role_known CHECK (role IN ('SOURCE', 'DESTINATION')),
        account_id uuid NOT NULL,
        basis bigint NOT NULL,
        exact_share text NULL CONSTRAINT redistribution_run_line_exact_format
          CHECK (exact_share IS NULL OR exact_share ~ '^-?[0-9]+/[1-9][0-9]*$'),
        amount bigint NOT NULL CONSTRAINT redistribution_run_line_amount_non_negative CHECK (amount >= 0),
        explanation text NOT NULL CONSTRAINT redistribution_run_line_explanation_length
          CHECK (char_length(explanation) <= 2000),
        CONSTRAINT redistribution_run_line_pk PRIMARY KEY (run_id, leg, role, account_id)
      );
      CREATE TRIGGER redistribution_run_line_append_only BEFORE UPDATE OR DELETE ON redistribution_run_line
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE redistribution_run_line;
      DROP TABLE redistribution_run;
      DROP FUNCTION guard_redistribution_run();
      DROP TABLE redistribution_policy_version;
      DROP FUNCTION check_policy_version_follows();
      DROP TABLE redistribution_policy;
    `);
  }
}
