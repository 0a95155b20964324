import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed checkpoints of the audit log, append-only like the log (same refusing function,
 * triggers that fire ALWAYS), and indexes for the auditor's actor and time filters.
 */

export class AuditCheckpoints1795630254035 implements MigrationInterface {
  name = 'AuditCheckpoints1795630254035';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_checkpoint" ("tree_size" bigint NOT NULL, "root_hash" character(64) NOT NULL, "signed_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "key_id" character(8) NOT NULL, "public_key" text NOT NULL, "signature" text NOT NULL, "body" text NOT NULL, "frontier" jsonb NOT NULL, CONSTRAINT "PK_0b13d285aa4fcde23331d54d388" PRIMARY KEY ("tree_size"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_audit_event_occurred_at" ON "audit_event"  ("occurred_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_audit_event_actor_seq" ON "audit_event"  ("actor_name", "seq") `,
    );
    await queryRunner.query(`CREATE TRIGGER audit_checkpoint_no_update_delete
      BEFORE UPDATE OR DELETE ON "audit_checkpoint"
      FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER audit_checkpoint_no_truncate
      BEFORE TRUNCATE ON "audit_checkpoint"
      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()`);
    await queryRunner.query(
      `ALTER TABLE "audit_checkpoint" ENABLE ALWAYS TRIGGER audit_checkpoint_no_update_delete`,
    );
    await queryRunner.query(
      `ALTER TABLE "audit_checkpoint" ENABLE ALWAYS TRIGGER audit_checkpoint_no_truncate`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_audit_event_actor_seq"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_event_occurred_at"`);
    await queryRunner.query(`DROP TABLE "audit_checkpoint"`);
  }
}
