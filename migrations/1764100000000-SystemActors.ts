import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Automatic work acts as a named system actor (hold expiry, schedules, the demo loader), and the audit log
 * says so: every event names exactly one actor, a person, an API token or a system actor.
 */
export class SystemActors1764100000000 implements MigrationInterface {
  name = 'SystemActors1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE audit_event
        ADD COLUMN actor_system text NULL
          CONSTRAINT audit_event_actor_system_format CHECK (actor_system ~ '^[a-z][a-z-]*\\.[a-z][a-z0-9-]*$'),
        ADD CONSTRAINT audit_event_one_actor
          CHECK (num_nonnulls(actor_person_id, actor_api_token_id, actor_system) = 1);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      -- Events of system actors cannot be kept without the column: going down forgets them.
      ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only;
      DELETE FROM audit_event WHERE actor_system IS NOT NULL;
      ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only;
      ALTER TABLE audit_event DROP CONSTRAINT audit_event_one_actor, DROP COLUMN actor_system;
    `);
  }
}
