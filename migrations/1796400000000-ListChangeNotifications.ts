import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every statement that changes list versions or host countries notifies channel
 * `registry_lists_changed` when it commits (nothing when it rolls back). Instances keep which
 * version is in force in memory and drop it on this signal, so a publish on any instance, or
 * an operator's SQL, reaches all of them. A trigger, not application code: it also covers
 * writes that do not go through the service.
 */
export class ListChangeNotifications1796400000000 implements MigrationInterface {
  name = 'ListChangeNotifications1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION notify_lists_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Notifications with the same payload in one transaction are delivered once.
        PERFORM pg_notify('registry_lists_changed', TG_TABLE_NAME);
        RETURN NULL;
      END $$`);
    for (const table of ['positive_list_version', 'host_country']) {
      await queryRunner.query(
        `CREATE TRIGGER ${table}_notify_changed
           AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "${table}"
           FOR EACH STATEMENT EXECUTE FUNCTION notify_lists_changed()`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['positive_list_version', 'host_country']) {
      await queryRunner.query(`DROP TRIGGER ${table}_notify_changed ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION notify_lists_changed()`);
  }
}
