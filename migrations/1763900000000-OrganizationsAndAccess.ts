import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Owners and the door: persons, organisations, federations, memberships with roles, invitations, sessions
 * with rotating refresh tokens, organisation API tokens, a login throttle and an append-only audit log.
 * Accounts get real holders (a party: a person or an organisation) and units a real issuer.
 *
 * Accounts and units written before this migration named their holder or issuer as free text; each such
 * name becomes an organisation (slug `legacy-…`), so that no account is left without an owner.
 */
export class OrganizationsAndAccess1763900000000 implements MigrationInterface {
  name = 'OrganizationsAndAccess1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      -- A party is whoever can hold an account: a person or an organisation. One id space, one foreign key.
      CREATE TABLE party (
        id uuid PRIMARY KEY,
        kind text NOT NULL CONSTRAINT party_kind_known CHECK (kind IN ('PERSON', 'ORGANIZATION')),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT party_id_kind_unique UNIQUE (id, kind)
      );

      CREATE TABLE person (
        id uuid PRIMARY KEY,
        party_kind text NOT NULL DEFAULT 'PERSON' CONSTRAINT person_party_kind CHECK (party_kind = 'PERSON'),
        name text NOT NULL CONSTRAINT person_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
        email text NOT NULL CONSTRAINT person_email_format CHECK (email ~ '^[^@\\s]+@[^@\\s]+$' AND char_length(email) <= 254),
        password_hash text NOT NULL,
        status text NOT NULL DEFAULT 'ACTIVE' CONSTRAINT person_status_known CHECK (status IN ('ACTIVE', 'DISABLED')),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        password_changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT person_party_fk FOREIGN KEY (id, party_kind) REFERENCES party (id, kind)
      );
      CREATE UNIQUE INDEX person_email_unique ON person (lower(email));

      CREATE TABLE organization (
        id uuid PRIMARY KEY,
        party_kind text NOT NULL DEFAULT 'ORGANIZATION'
          CONSTRAINT organization_party_kind CHECK (party_kind = 'ORGANIZATION'),
        kind text NOT NULL CONSTRAINT organization_kind_known CHECK (kind IN ('COOPERATIVE', 'TIME_BANK',
          'STRIKE_FUND', 'LAND_TRUST', 'MUTUAL_AID', 'TENANT_UNION', 'COMMUNITY_ASSEMBLY', 'FEDERATION')),
        name text NOT NULL CONSTRAINT organization_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
        slug text NOT NULL CONSTRAINT organization_slug_unique UNIQUE
          CONSTRAINT organization_slug_format CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$'),
        description text NOT NULL DEFAULT ''
          CONSTRAINT organization_description_length CHECK (char_length(description) <= 2000),
        balance_visibility text NOT NULL DEFAULT 'MEMBERS'
          CONSTRAINT organization_balance_visibility_known CHECK (balance_visibility IN ('MEMBERS', 'FEDERATION', 'PUBLIC')),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT organization_party_fk FOREIGN KEY (id, party_kind) REFERENCES party (id, kind)
      );

      -- Roles are rows, so that later modules add theirs with a migration that inserts, not one that alters.
      CREATE TABLE role (
        code text PRIMARY KEY CONSTRAINT role_code_format CHECK (code ~ '^[A-Z][A-Z_]{1,31}$'),
        description text NOT NULL
      );
      INSERT INTO role (code, description) VALUES
        ('MEMBER', 'Belongs to the organisation and sees its accounts'),
        ('TREASURER', 'Moves the organisation''s money; in an issuer, sets credit lines'),
        ('COORDINATOR', 'Runs the organisation''s day-to-day work and corrects mistakes'),
        ('ADMIN', 'Manages memberships, invitations, settings and API tokens');

      CREATE TABLE membership (
        id uuid PRIMARY KEY,
        organization_id uuid NOT NULL CONSTRAINT membership_organization_fk REFERENCES organization (id),
        person_id uuid NOT NULL CONSTRAINT membership_person_fk REFERENCES person (id),
        status text NOT NULL CONSTRAINT membership_status_known CHECK (status IN ('ACTIVE', 'LEFT', 'REMOVED')),
        joined_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        ended_at timestamptz NULL,
        ended_by uuid NULL CONSTRAINT membership_ended_by_fk REFERENCES person (id),
        CONSTRAINT membership_ended_when_not_active CHECK ((status = 'ACTIVE') = (ended_at IS NULL))
      );
      CREATE UNIQUE INDEX membership_one_active ON membership (organization_id, person_id) WHERE status = 'ACTIVE';
      CREATE INDEX membership_by_person ON membership (person_id) WHERE status = 'ACTIVE';

      CREATE TABLE membership_role (
        membership_id uuid NOT NULL CONSTRAINT membership_role_membership_fk REFERENCES membership (id),
        role text NOT NULL CONSTRAINT membership_role_role_fk REFERENCES role (code),
        CONSTRAINT membership_role_pk PRIMARY KEY (membership_id, role)
      );

      -- An organisation asks to join a federation; the federation admits it. Edges never form a cycle
      -- (checked under one lock by the trigger below, and before that by the service).
      CREATE TABLE federation_membership (
        id uuid PRIMARY KEY,
        federation_id uuid NOT NULL CONSTRAINT federation_membership_federation_fk REFERENCES organization (id),
        member_id uuid NOT NULL CONSTRAINT federation_membership_member_fk REFERENCES organization (id),
        status text NOT NULL CONSTRAINT federation_membership_status_known
          CHECK (status IN ('PENDING', 'ACTIVE', 'DECLINED', 'ENDED')),
        requested_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        decided_at timestamptz NULL,
        ended_at timestamptz NULL,
        CONSTRAINT federation_membership_not_self CHECK (federation_id <> member_id)
      );
      CREATE UNIQUE INDEX federation_membership_one_open ON federation_membership (federation_id, member_id)
        WHERE status IN ('PENDING', 'ACTIVE');
      CREATE INDEX federation_membership_by_member ON federation_membership (member_id) WHERE status = 'ACTIVE';

      CREATE FUNCTION guard_federation_membership() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (SELECT kind FROM organization WHERE id = NEW.federation_id) <> 'FEDERATION' THEN
          RAISE EXCEPTION 'organisation % is not a federation', NEW.federation_id USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.status IN ('PENDING', 'ACTIVE') THEN
          -- One lock for all edge changes, so that two concurrent joins cannot close a cycle together.
          PERFORM pg_advisory_xact_lock(7263540101);
          IF EXISTS (
            WITH RECURSIVE above (id) AS (
              SELECT NEW.federation_id
              UNION
              SELECT f.federation_id FROM federation_membership f JOIN above a ON f.member_id = a.id
              WHERE f.status = 'ACTIVE' AND f.id <> NEW.id
            )
            SELECT 1 FROM above WHERE id = NEW.member_id
          ) THEN
            RAISE EXCEPTION 'federation membership % would make a cycle', NEW.id USING ERRCODE = 'check_violation';
          END IF;
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER federation_membership_guard BEFORE INSERT OR UPDATE ON federation_membership
        FOR EACH ROW EXECUTE FUNCTION guard_federation_membership();

      CREATE TABLE invitation (
        id uuid PRIMARY KEY,
        organization_id uuid NOT NULL CONSTRAINT invitation_organization_fk REFERENCES organization (id),
        email text NOT NULL CONSTRAINT invitation_email_length CHECK (char_length(email) BETWEEN 3 AND 254),
        roles text[] NOT NULL CONSTRAINT invitation_roles_present CHECK (cardinality(roles) BETWEEN 1 AND 16),
        token_hash bytea NOT NULL CONSTRAINT invitation_token_hash_unique UNIQUE
          CONSTRAINT invitation_token_hash_length CHECK (octet_length(token_hash) = 32),
        invited_by uuid NOT NULL CONSTRAINT invitation_invited_by_fk REFERENCES person (id),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz NULL,
        accepted_by uuid NULL CONSTRAINT invitation_accepted_by_fk REFERENCES person (id),
        revoked_at timestamptz NULL,
        CONSTRAINT invitation_accepted_or_revoked CHECK (accepted_at IS NULL OR revoked_at IS NULL)
      );
      CREATE INDEX invitation_by_organization ON invitation (organization_id, created_at);

      -- A session is a family of refresh tokens; revoking it ends every token of the family and the access
      -- tokens that name it.
      CREATE TABLE auth_session (
        id uuid PRIMARY KEY,
        person_id uuid NOT NULL CONSTRAINT auth_session_person_fk REFERENCES person (id),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz NULL,
        revoke_reason text NULL CONSTRAINT auth_session_revoke_reason_known
          CHECK (revoke_reason IN ('LOGOUT', 'PASSWORD_CHANGED', 'REFRESH_TOKEN_REUSED', 'PERSON_DISABLED')),
        CONSTRAINT auth_session_revoked_with_reason CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
      );
      CREATE INDEX auth_session_by_person ON auth_session (person_id) WHERE revoked_at IS NULL;

      CREATE TABLE refresh_token (
        id uuid PRIMARY KEY,
        session_id uuid NOT NULL CONSTRAINT refresh_token_session_fk REFERENCES auth_session (id),
        token_hash bytea NOT NULL CONSTRAINT refresh_token_hash_length CHECK (octet_length(token_hash) = 32),
        issued_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        rotated_at timestamptz NULL
      );
      CREATE INDEX refresh_token_by_session ON refresh_token (session_id);

      CREATE TABLE api_token (
        id uuid PRIMARY KEY,
        organization_id uuid NOT NULL CONSTRAINT api_token_organization_fk REFERENCES organization (id),
        name text NOT NULL CONSTRAINT api_token_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
        scopes text[] NOT NULL CONSTRAINT api_token_scopes_present CHECK (cardinality(scopes) BETWEEN 1 AND 16),
        token_hash bytea NOT NULL CONSTRAINT api_token_hash_length CHECK (octet_length(token_hash) = 32),
        created_by uuid NOT NULL CONSTRAINT api_token_created_by_fk REFERENCES person (id),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        expires_at timestamptz NULL,
        revoked_at timestamptz NULL
      );
      CREATE INDEX api_token_by_organization ON api_token (organization_id, created_at);

      -- Failed logins per key (an email, or a client address), shared by every API process.
      CREATE TABLE login_throttle (
        key text PRIMARY KEY,
        failures integer NOT NULL CONSTRAINT login_throttle_failures_non_negative CHECK (failures >= 0),
        window_started_at timestamptz NOT NULL,
        locked_until timestamptz NULL
      );

      CREATE TABLE audit_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_person_id uuid NULL CONSTRAINT audit_event_actor_person_fk REFERENCES person (id),
        actor_api_token_id uuid NULL CONSTRAINT audit_event_actor_api_token_fk REFERENCES api_token (id),
        organization_id uuid NOT NULL CONSTRAINT audit_event_organization_fk REFERENCES organization (id),
        related_organization_id uuid NULL CONSTRAINT audit_event_related_organization_fk REFERENCES organization (id),
        action text NOT NULL CONSTRAINT audit_event_action_format CHECK (action ~ '^[A-Z][A-Z_]{1,63}$'),
        subject_type text NOT NULL,
        subject_id text NOT NULL,
        before jsonb NULL,
        after jsonb NULL
      );
      CREATE INDEX audit_event_by_organization ON audit_event (organization_id, id);
      CREATE INDEX audit_event_by_related_organization ON audit_event (related_organization_id, id)
        WHERE related_organization_id IS NOT NULL;
      CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();

      -- Earlier free-text holders and issuers become organisations.
      CREATE TEMPORARY TABLE legacy_party ON COMMIT DROP AS
        SELECT name, gen_random_uuid() AS id, 'legacy-' || substr(md5(name), 1, 16) AS slug,
               bool_or(is_issuer) AS is_issuer
        FROM (
          SELECT holder AS name, false AS is_issuer FROM account
          UNION ALL SELECT coalesce(issuer, 'unnamed issuer'), true FROM unit
        ) names
        GROUP BY name;
      INSERT INTO party (id, kind) SELECT id, 'ORGANIZATION' FROM legacy_party;
      INSERT INTO organization (id, kind, name, slug, description)
        SELECT id, CASE WHEN is_issuer THEN 'FEDERATION' ELSE 'COOPERATIVE' END, left(name, 200), slug,
               'Created from the free-text holder or issuer "' || left(name, 200) || '"'
        FROM legacy_party;

      ALTER TABLE unit ADD COLUMN issuer_id uuid NULL CONSTRAINT unit_issuer_fk REFERENCES organization (id);
      ALTER TABLE unit DISABLE TRIGGER unit_append_only;
      UPDATE unit SET issuer_id = l.id FROM legacy_party l WHERE l.name = coalesce(unit.issuer, 'unnamed issuer');
      ALTER TABLE unit ENABLE TRIGGER unit_append_only;
      ALTER TABLE unit ALTER COLUMN issuer_id SET NOT NULL, DROP COLUMN issuer;
      CREATE INDEX unit_by_issuer ON unit (issuer_id);

      ALTER TABLE account DISABLE TRIGGER account_guard;
      ALTER TABLE account ADD COLUMN holder_id uuid NULL CONSTRAINT account_holder_fk REFERENCES party (id);
      UPDATE account SET holder_id = l.id FROM legacy_party l WHERE l.name = account.holder;
      ALTER TABLE account ENABLE TRIGGER account_guard;
      DROP INDEX account_by_holder;
      ALTER TABLE account ALTER COLUMN holder_id SET NOT NULL, DROP COLUMN holder;
      CREATE INDEX account_by_holder ON account (holder_id, unit_code, id);
    `);
    await queryRunner.query(GUARD_ACCOUNT_UPDATE.replaceAll('HOLDER_COLUMN', 'holder_id'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE account DISABLE TRIGGER account_guard;
      ALTER TABLE account ADD COLUMN holder text NULL
        CONSTRAINT account_holder_length CHECK (char_length(holder) BETWEEN 1 AND 200);
      UPDATE account SET holder = coalesce((SELECT 'org:' || slug FROM organization o WHERE o.id = account.holder_id),
        (SELECT 'person:' || p.id FROM person p WHERE p.id = account.holder_id));
      ALTER TABLE account ENABLE TRIGGER account_guard;
      DROP INDEX account_by_holder;
      ALTER TABLE account ALTER COLUMN holder SET NOT NULL, DROP COLUMN holder_id;
      CREATE INDEX account_by_holder ON account (holder, unit_code, id);

      ALTER TABLE unit ADD COLUMN issuer text NULL CONSTRAINT unit_issuer_length CHECK (char_length(issuer) BETWEEN 1 AND 200);
      ALTER TABLE unit DISABLE TRIGGER unit_append_only;
      UPDATE unit SET issuer = (SELECT 'org:' || slug FROM organization o WHERE o.id = unit.issuer_id);
      ALTER TABLE unit ENABLE TRIGGER unit_append_only;
      DROP INDEX unit_by_issuer;
      ALTER TABLE unit DROP COLUMN issuer_id;

      DROP TABLE audit_event;
      DROP TABLE login_throttle;
      DROP TABLE api_token;
      DROP TABLE refresh_token;
      DROP TABLE auth_session;
      DROP TABLE invitation;
      DROP TABLE federation_membership;
      DROP FUNCTION guard_federation_membership();
      DROP TABLE membership_role;
      DROP TABLE membership;
      DROP TABLE role;
      DROP TABLE organization;
      DROP TABLE person;
      DROP TABLE party;
    `);
    await queryRunner.query(GUARD_ACCOUNT_UPDATE.replaceAll('HOLDER_COLUMN', 'holder'));
  }
}

/** The account guard of the ledger's foundation, naming the holder column of the schema it runs in. */
const GUARD_ACCOUNT_UPDATE = `
  CREATE OR REPLACE FUNCTION guard_account_update() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    balance numeric := NEW.credits_posted - NEW.debits_posted;
  BEGIN
    IF NEW.id <> OLD.id OR NEW.unit_code <> OLD.unit_code OR NEW.HOLDER_COLUMN <> OLD.HOLDER_COLUMN
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
  END $$;`;
