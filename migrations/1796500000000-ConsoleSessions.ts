import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions of the officials' workspace, kept in PostgreSQL so that any instance can serve any
 * request of a signed-in person and signing out ends the session everywhere at once. Rows are
 * keyed by a hash of the session id; the id itself exists only in the person's cookie.
 */
export class ConsoleSessions1796500000000 implements MigrationInterface {
  name = 'ConsoleSessions1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "console_session" ("id_hash" character(64) NOT NULL, "principal_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_ed5157f60ba4d233e9dfdb42e21" PRIMARY KEY ("id_hash"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_console_session_principal" ON "console_session"  ("principal_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "console_session" ADD CONSTRAINT "fk_console_session_principal" FOREIGN KEY ("principal_id") REFERENCES "principal"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "console_session" DROP CONSTRAINT "fk_console_session_principal"`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_console_session_principal"`);
    await queryRunner.query(`DROP TABLE "console_session"`);
  }
}
