import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks (issue #16): endpoints, the outbox of deliveries written in the transaction of the
 * change that causes them, and the log of attempts. A trigger notifies
 * `registry_webhooks_due` when new deliveries commit, so a dispatcher LISTENing on any
 * instance starts at once instead of at its next poll; nothing is notified on rollback.
 */
export class Webhooks1796600000000 implements MigrationInterface {
  name = 'Webhooks1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "webhook_endpoint" ("id" uuid NOT NULL, "url" text NOT NULL, "host_country_code" character varying(3), "event_types" text array NOT NULL, "secret" text NOT NULL, "enabled" boolean NOT NULL, "disabled_reason" text, "failing_since" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_by" text NOT NULL, "secret_rotated_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_webhook_endpoint_events" CHECK (cardinality("event_types") > 0), CONSTRAINT "PK_6c98112122b2b8a4f3984d2efa8" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_webhook_endpoint_country" ON "webhook_endpoint"  ("host_country_code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "webhook_delivery" ("id" uuid NOT NULL, "seq" BIGSERIAL NOT NULL, "endpoint_id" uuid NOT NULL, "event_type" character varying(32) NOT NULL, "host_country_code" character varying(3), "body" text NOT NULL, "status" character varying(16) NOT NULL, "attempts" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL, "retry_until" TIMESTAMP WITH TIME ZONE NOT NULL, "locked_until" TIMESTAMP WITH TIME ZONE, "claim_token" uuid, "delivered_at" TIMESTAMP WITH TIME ZONE, "last_error" text, CONSTRAINT "ck_webhook_delivery_status" CHECK ("status" IN ('PENDING', 'DELIVERED', 'FAILED')), CONSTRAINT "PK_b1ae290239a778f12399db91354" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_webhook_delivery_due" ON "webhook_delivery"  ("next_attempt_at") WHERE "status" = 'PENDING'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_webhook_delivery_endpoint_seq" ON "webhook_delivery"  ("endpoint_id", "seq") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_webhook_delivery_seq" ON "webhook_delivery"  ("seq") `,
    );
    await queryRunner.query(
      `CREATE TABLE "webhook_attempt" ("id" BIGSERIAL NOT NULL, "delivery_id" uuid NOT NULL, "attempted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "duration_ms" integer NOT NULL, "status_code" integer, "error" text, CONSTRAINT "PK_e4ff77b66cdd20591ba6189a1f9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_webhook_attempt_delivery" ON "webhook_attempt"  ("delivery_id", "id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_endpoint" ADD CONSTRAINT "fk_webhook_endpoint_country" FOREIGN KEY ("host_country_code") REFERENCES "host_country"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_delivery" ADD CONSTRAINT "fk_webhook_delivery_endpoint" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoint"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_attempt" ADD CONSTRAINT "fk_webhook_attempt_delivery" FOREIGN KEY ("delivery_id") REFERENCES "webhook_delivery"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`
      CREATE FUNCTION notify_webhooks_due() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('registry_webhooks_due', '');
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER webhook_delivery_notify_due AFTER INSERT ON "webhook_delivery"
         FOR EACH STATEMENT EXECUTE FUNCTION notify_webhooks_due()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER webhook_delivery_notify_due ON "webhook_delivery"`);
    await queryRunner.query(`DROP FUNCTION notify_webhooks_due()`);
    await queryRunner.query(
      `ALTER TABLE "webhook_attempt" DROP CONSTRAINT "fk_webhook_attempt_delivery"`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_delivery" DROP CONSTRAINT "fk_webhook_delivery_endpoint"`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_endpoint" DROP CONSTRAINT "fk_webhook_endpoint_country"`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_webhook_attempt_delivery"`);
    await queryRunner.query(`DROP TABLE "webhook_attempt"`);
    await queryRunner.query(`DROP INDEX "public"."uq_webhook_delivery_seq"`);
    await queryRunner.query(`DROP INDEX "public"."ix_webhook_delivery_endpoint_seq"`);
    await queryRunner.query(`DROP INDEX "public"."ix_webhook_delivery_due"`);
    await queryRunner.query(`DROP TABLE "webhook_delivery"`);
    await queryRunner.query(`DROP INDEX "public"."ix_webhook_endpoint_country"`);
    await queryRunner.query(`DROP TABLE "webhook_endpoint"`);
  }
}
