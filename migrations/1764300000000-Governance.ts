import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Governance: assemblies, motions, ballots, delegation, outcomes, and N-of-M approval requests.
 *
 * - An assembly belongs to an organisation. A MEMBERS assembly's voters are its members; a CONFEDERAL
 *   assembly (of a federation) seats its member organisations, each with a weight and a delegate.
 * - Who may vote on a motion is fixed when it opens (`motion_voter`).
 * - Open ballots are kept with their voter and every change (`ballot`, `ballot_change`). Secret ballots are
 *   kept with no voter, no time and no order that could join them back to a voter (`secret_ballot`, random
 *   ids); who took part is kept apart (`secret_participation`). A secret ballot is changed only by whoever
 *   holds its receipt, kept as a hash.
 * - A motion's outcome, with its full tally and what became of its effect, is written once and never
 *   edited, as are ballot changes, delegations' history and approval decisions.
 * - Delegations never form a cycle: no chain of delegations in force (for one motion or for all) leads
 *   back to the delegator. Checked under one lock per assembly by the trigger below, and by the service
 *   before (rules/delegation.ts).
 */
export class Governance1764300000000 implements MigrationInterface {
  name = 'Governance1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE assembly (
        id uuid PRIMARY KEY,
        organization_id uuid NOT NULL CONSTRAINT assembly_organization_fk REFERENCES organization (id),
        name text NOT NULL CONSTRAINT assembly_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
        kind text NOT NULL CONSTRAINT assembly_kind_known CHECK (kind IN ('MEMBERS', 'CONFEDERAL')),
        delegation_allowed boolean NOT NULL,
        outcomes_public boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE INDEX assembly_by_organization ON assembly (organization_id);

      CREATE TABLE assembly_seat (
        assembly_id uuid NOT NULL CONSTRAINT assembly_seat_assembly_fk REFERENCES assembly (id),
        organization_id uuid NOT NULL CONSTRAINT assembly_seat_organization_fk REFERENCES organization (id),
        weight bigint NOT NULL CONSTRAINT assembly_seat_weight_positive CHECK (weight BETWEEN 1 AND 1000000),
        delegate_id uuid NULL CONSTRAINT assembly_seat_delegate_fk REFERENCES person (id),
        CONSTRAINT assembly_seat_pk PRIMARY KEY (assembly_id, organization_id)
      );

      CREATE TABLE motion (
        id uuid PRIMARY KEY,
        assembly_id uuid NOT NULL CONSTRAINT motion_assembly_fk REFERENCES assembly (id),
        title text NOT NULL CONSTRAINT motion_title_length CHECK (char_length(title) BETWEEN 1 AND 200),
        body text NOT NULL CONSTRAINT motion_body_length CHECK (char_length(body) <= 20000),
        ballot_kind text NOT NULL CONSTRAINT motion_ballot_kind_known
          CHECK (ballot_kind IN ('YES_NO', 'RANKED', 'APPROVAL', 'BUDGET')),
        rule text NOT NULL CONSTRAINT motion_rule_known
          CHECK (rule IN ('MAJORITY', 'SUPERMAJORITY', 'CONSENSUS', 'CONSENT', 'UNANIMITY')),
        supermajority_numerator bigint NULL,
        supermajority_denominator bigint NULL,
        quorum_numerator bigint NULL,
        quorum_denominator bigint NULL,
        options jsonb NOT NULL CONSTRAINT motion_options_array CHECK (jsonb_typeof(options) = 'array'),
        budget jsonb NULL,
        effect jsonb NULL,
        secret boolean NOT NULL,
        results_hidden boolean NOT NULL,
        changeable boolean NOT NULL,
        early_close boolean NOT NULL,
        -- Whether delegation applies, fixed with the voters when the motion opens (never on a secret ballot).
        delegation_applies boolean NULL,
        opens_at timestamptz NOT NULL,
        closes_at timestamptz NOT NULL,
        status text NOT NULL CONSTRAINT motion_status_known CHECK (status IN ('SCHEDULED', 'OPEN', 'CLOSED', 'WITHDRAWN')),
        proposed_by uuid NOT NULL CONSTRAINT motion_proposed_by_fk REFERENCES person (id),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT motion_closes_after_opening CHECK (closes_at > opens_at),
        CONSTRAINT motion_no_delegation_when_secret CHECK (NOT (secret AND coalesce(delegation_applies, false))),
        CONSTRAINT motion_fixed_when_open CHECK ((status = 'SCHEDULED') = (delegation_applies IS NULL)
                                                 OR status = 'WITHDRAWN'),
        CONSTRAINT motion_early_close_when_final CHECK (NOT (early_close AND changeable)),
        CONSTRAINT motion_supermajority_whole CHECK (
          (rule = 'SUPERMAJORITY') = (supermajority_numerator IS NOT NULL)
          AND (supermajority_numerator IS NULL) = (supermajority_denominator IS NULL)
          AND (supermajority_numerator IS NULL
               OR (supermajority_numerator > 0 AND supermajority_denominator > 0
                   AND supermajority_numerator <= supermajority_denominator))),
        CONSTRAINT motion_quorum_whole CHECK (
          (quorum_numerator IS NULL) = (quorum_denominator IS NULL)
          AND (quorum_numerator IS NULL
               OR (quorum_numerator > 0 AND quorum_denominator > 0 AND quorum_numerator <= quorum_denominator))),
        -- Delegation and changes on secret ballots: see ballots below.
        CONSTRAINT motion_budget_is_a_budget CHECK ((ballot_kind = 'BUDGET') = (budget IS NOT NULL))
      );
      CREATE INDEX motion_by_assembly ON motion (assembly_id, created_at);

      CREATE TABLE motion_voter (
        motion_id uuid NOT NULL CONSTRAINT motion_voter_motion_fk REFERENCES motion (id),
        voter_id uuid NOT NULL,
        weight bigint NOT NULL CONSTRAINT motion_voter_weight_positive CHECK (weight > 0),
        -- The person who casts this voter's ballot: the member, or the seat's delegate.
        person_id uuid NOT NULL CONSTRAINT motion_voter_person_fk REFERENCES person (id),
        CONSTRAINT motion_voter_pk PRIMARY KEY (motion_id, voter_id)
      );
      CREATE INDEX motion_voter_by_person ON motion_voter (person_id, motion_id);

      CREATE TABLE ballot (
        motion_id uuid NOT NULL,
        voter_id uuid NOT NULL,
        choice jsonb NOT NULL,
        reason text NOT NULL CONSTRAINT ballot_reason_length CHECK (char_length(reason) <= 2000),
        version integer NOT NULL CONSTRAINT ballot_version_positive CHECK (version >= 1),
        cast_at timestamptz NOT NULL,
        CONSTRAINT ballot_pk PRIMARY KEY (motion_id, voter_id),
        CONSTRAINT ballot_voter_fk FOREIGN KEY (motion_id, voter_id) REFERENCES motion_voter (motion_id, voter_id)
      );
      CREATE TABLE ballot_change (
        motion_id uuid NOT NULL,
        voter_id uuid NOT NULL,
        version integer NOT NULL,
        choice jsonb NOT NULL,
        reason text NOT NULL,
        cast_at timestamptz NOT NULL,
        CONSTRAINT ballot_change_pk PRIMARY KEY (motion_id, voter_id, version),
        CONSTRAINT ballot_change_voter_fk FOREIGN KEY (motion_id, voter_id) REFERENCES motion_voter (motion_id, voter_id)
      );
      CREATE TRIGGER ballot_change_append_only BEFORE UPDATE OR DELETE ON ballot_change
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();

      -- Secret ballots: who took part, and apart from it, how (no voter, no time, random ids).
      CREATE TABLE secret_participation (
        motion_id uuid NOT NULL,
        voter_id uuid NOT NULL,
        CONSTRAINT secret_participation_pk PRIMARY KEY (motion_id, voter_id),
        CONSTRAINT secret_participation_voter_fk FOREIGN KEY (motion_id, voter_id)
          REFERENCES motion_voter (motion_id, voter_id)
      );
      CREATE TABLE secret_ballot (
        id uuid PRIMARY KEY,
        motion_id uuid NOT NULL CONSTRAINT secret_ballot_motion_fk REFERENCES motion (id),
        -- The hash of the receipt its voter holds, to replace it until the motion closes; cleared at close.
        receipt_hash bytea NULL CONSTRAINT secret_ballot_receipt_unique UNIQUE,
        weight bigint NOT NULL CONSTRAINT secret_ballot_weight_positive CHECK (weight > 0),
        choice jsonb NOT NULL,
        reason text NOT NULL CONSTRAINT secret_ballot_reason_length CHECK (char_length(reason) <= 2000)
      );
      CREATE INDEX secret_ballot_by_motion ON secret_ballot (motion_id);

      -- Rules/motion-terms.ts ballotProblem, twinned: a ballot fits its motion, which is open.
      CREATE FUNCTION guard_ballot() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        motion_row motion%ROWTYPE;
        allowed jsonb;
        named jsonb;
      BEGIN
        SELECT * INTO motion_row FROM motion WHERE id = NEW.motion_id;
        IF motion_row.status IS DISTINCT FROM 'OPEN' THEN
          RAISE EXCEPTION 'motion % is not open for ballots', NEW.motion_id USING ERRCODE = 'check_violation';
        END IF;
        allowed := CASE WHEN motion_row.budget IS NULL THEN motion_row.options
                        ELSE jsonb_path_query_array(motion_row.budget, '$.proposals[*].id') END;
        CASE NEW.choice ->> 'kind'
          WHEN 'YES_NO' THEN
            IF motion_row.ballot_kind <> 'YES_NO'
               OR NOT coalesce(NEW.choice ->> 'choice' = ANY (CASE motion_row.rule
                    WHEN 'CONSENSUS' THEN ARRAY['YES', 'NO', 'ABSTAIN', 'BLOCK']
                    WHEN 'CONSENT' THEN ARRAY['YES', 'ABSTAIN', 'OBJECT']
                    ELSE ARRAY['YES', 'NO', 'ABSTAIN'] END), false)
               OR (NEW.choice ->> 'choice' IN ('BLOCK', 'OBJECT') AND btrim(NEW.reason) = '') THEN
              RAISE EXCEPTION 'the ballot does not fit motion %', NEW.motion_id USING ERRCODE = 'check_violation';
            END IF;
          WHEN 'RANKED' THEN
            named := jsonb_path_query_array(NEW.choice, '$.ranking[*][*]');
            IF motion_row.ballot_kind <> 'RANKED'
               OR jsonb_typeof(NEW.choice -> 'ranking') IS DISTINCT FROM 'array'
               OR jsonb_path_exists(NEW.choice, '$.ranking[*] ? (@.size() == 0)')
               OR NOT allowed @> named
               OR jsonb_array_length(named) <> (SELECT count(DISTINCT option) FROM jsonb_array_elements(named) option) THEN
              RAISE EXCEPTION 'the ballot does not fit motion %', NEW.motion_id USING ERRCODE = 'check_violation';
            END IF;
          WHEN 'APPROVAL' THEN
            named := NEW.choice -> 'approved';
            IF motion_row.ballot_kind NOT IN ('APPROVAL', 'BUDGET')
               OR jsonb_typeof(named) IS DISTINCT FROM 'array'
               OR NOT allowed @> named
               OR jsonb_array_length(named) <> (SELECT count(DISTINCT option) FROM jsonb_array_elements(named) option) THEN
              RAISE EXCEPTION 'the ballot does not fit motion %', NEW.motion_id USING ERRCODE = 'check_violation';
            END IF;
          ELSE
            RAISE EXCEPTION 'the ballot does not fit motion %', NEW.motion_id USING ERRCODE = 'check_violation';
        END CASE;
        RETURN NEW;
      END $$;
      CREATE TRIGGER ballot_fits_motion BEFORE INSERT OR UPDATE ON ballot
        FOR EACH ROW EXECUTE FUNCTION guard_ballot();
      CREATE TRIGGER secret_ballot_fits_motion BEFORE INSERT OR UPDATE ON secret_ballot
        FOR EACH ROW EXECUTE FUNCTION guard_ballot();

      CREATE TABLE delegation (
        id uuid PRIMARY KEY,
        assembly_id uuid NOT NULL CONSTRAINT delegation_assembly_fk REFERENCES assembly (id),
        from_voter uuid NOT NULL,
        to_voter uuid NOT NULL,
        motion_id uuid NULL CONSTRAINT delegation_motion_fk REFERENCES motion (id),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        revoked_at timestamptz NULL,
        CONSTRAINT delegation_not_to_self CHECK (from_voter <> to_voter)
      );
      CREATE UNIQUE INDEX delegation_one_in_force
        ON delegation (assembly_id, from_voter, coalesce(motion_id, '00000000-0000-0000-0000-000000000000'::uuid))
        WHERE revoked_at IS NULL;

      CREATE FUNCTION guard_delegation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.revoked_at IS NULL THEN
          -- One lock per assembly, so that two concurrent delegations cannot close a cycle together.
          PERFORM pg_advisory_xact_lock(hashtextextended(NEW.assembly_id::text, 7263540102));
          -- No chain of delegations in force, for any motion or for all, leads back to the delegator.
          IF EXISTS (
            WITH RECURSIVE chain (voter) AS (
              SELECT NEW.to_voter
              UNION
              SELECT d.to_voter FROM chain c
              JOIN delegation d ON d.assembly_id = NEW.assembly_id AND d.from_voter = c.voter AND d.revoked_at IS NULL
            ) SELECT 1 FROM chain WHERE voter = NEW.from_voter
          ) THEN
            RAISE EXCEPTION 'delegation % → % would close a cycle', NEW.from_voter, NEW.to_voter
              USING ERRCODE = 'check_violation';
          END IF;
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER delegation_acyclic BEFORE INSERT ON delegation FOR EACH ROW EXECUTE FUNCTION guard_delegation();

      -- The delegations a closed motion was tallied with: a recount uses these, whatever changed since.
      CREATE TABLE motion_delegation (
        motion_id uuid NOT NULL CONSTRAINT motion_delegation_motion_fk REFERENCES motion (id),
        from_voter uuid NOT NULL,
        to_voter uuid NOT NULL,
        for_this_motion boolean NOT NULL,
        CONSTRAINT motion_delegation_pk PRIMARY KEY (motion_id, from_voter, for_this_motion)
      );
      CREATE TRIGGER motion_delegation_append_only BEFORE UPDATE OR DELETE ON motion_delegation
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();

      CREATE TABLE motion_outcome (
        motion_id uuid PRIMARY KEY CONSTRAINT motion_outcome_motion_fk REFERENCES motion (id),
        closed_at timestamptz NOT NULL,
        passed boolean NOT NULL,
        tally jsonb NOT NULL,
        effect_status text NOT NULL CONSTRAINT motion_outcome_effect_status_known
          CHECK (effect_status IN ('NONE', 'APPLIED', 'FAILED', 'NOT_PASSED')),
        effect_detail jsonb NOT NULL DEFAULT '{}'
      );
      CREATE TRIGGER motion_outcome_append_only BEFORE UPDATE OR DELETE ON motion_outcome
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();

      CREATE TABLE approval_request (
        id uuid PRIMARY KEY,
        organization_id uuid NOT NULL CONSTRAINT approval_request_organization_fk REFERENCES organization (id),
        title text NOT NULL CONSTRAINT approval_request_title_length CHECK (char_length(title) BETWEEN 1 AND 200),
        action jsonb NOT NULL,
        approver_role text NULL CONSTRAINT approval_request_role_fk REFERENCES role (code),
        committee uuid[] NULL,
        required integer NOT NULL CONSTRAINT approval_request_required_positive CHECK (required >= 1),
        author_id uuid NOT NULL CONSTRAINT approval_request_author_fk REFERENCES person (id),
        payee_ids uuid[] NOT NULL,
        version integer NOT NULL CONSTRAINT approval_request_version_positive CHECK (version >= 1),
        expires_at timestamptz NOT NULL,
        status text NOT NULL CONSTRAINT approval_request_status_known
          CHECK (status IN ('OPEN', 'APPROVED', 'DECLINED', 'EXPIRED', 'WITHDRAWN')),
        result jsonb NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        decided_at timestamptz NULL,
        CONSTRAINT approval_request_one_approver_set CHECK ((approver_role IS NULL) <> (committee IS NULL)),
        CONSTRAINT approval_request_decided_when_closed CHECK ((status = 'OPEN') = (decided_at IS NULL))
      );
      CREATE INDEX approval_request_by_organization ON approval_request (organization_id, created_at);

      CREATE TABLE approval_decision (
        request_id uuid NOT NULL CONSTRAINT approval_decision_request_fk REFERENCES approval_request (id),
        approver_id uuid NOT NULL CONSTRAINT approval_decision_approver_fk REFERENCES person (id),
        version integer NOT NULL,
        decision text NOT NULL CONSTRAINT approval_decision_known CHECK (decision IN ('APPROVE', 'REFUSE', 'RECUSE')),
        reason text NOT NULL CONSTRAINT approval_decision_reason_length CHECK (char_length(reason) <= 2000),
        decided_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT approval_decision_once_per_version PRIMARY KEY (request_id, approver_id, version)
      );
      CREATE TRIGGER approval_decision_append_only BEFORE UPDATE OR DELETE ON approval_decision
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE approval_decision;
      DROP TABLE approval_request;
      DROP TABLE motion_outcome;
      DROP TABLE motion_delegation;
      DROP TRIGGER delegation_acyclic ON delegation;
      DROP FUNCTION guard_delegation();
      DROP TABLE delegation;
      DROP TABLE secret_ballot;
      DROP TABLE secret_participation;
      DROP TABLE ballot_change;
      DROP TABLE ballot;
      DROP FUNCTION guard_ballot();
      DROP TABLE motion_voter;
      DROP TABLE motion;
      DROP TABLE assembly_seat;
      DROP TABLE assembly;
    `);
  }
}
