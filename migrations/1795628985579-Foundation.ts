import { MigrationInterface, QueryRunner } from 'typeorm';
import { IPCC_2006_CATEGORIES } from './data/ipcc2006-categories';

/**
 * The foundation schema: host countries, NDC sectors, IPCC 2006 reference data, principals
 * and the append-only audit log. Tables were generated from the entities; the IPCC seed and
 * the audit-log guards below were written by hand.
 */

export class Foundation1795628985579 implements MigrationInterface {
  name = 'Foundation1795628985579';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_event" ("seq" bigint NOT NULL, "occurred_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "actor_principal_id" uuid, "actor_name" text NOT NULL, "actor_role" character varying(16) NOT NULL, "actor_host_country" character varying(3), "action" character varying(32) NOT NULL, "entity_type" character varying(64) NOT NULL, "entity_id" text NOT NULL, "host_country" character varying(3), "reason" text, "request_id" text, "changes" jsonb NOT NULL, "before" jsonb, "after" jsonb, "prev_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "ck_audit_event_seq_positive" CHECK ("seq" > 0), CONSTRAINT "PK_53300da00860bdf4dc3ef7daae6" PRIMARY KEY ("seq"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_audit_event_entity_seq" ON "audit_event"  ("entity_type", "entity_id", "seq") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_audit_event_country_seq" ON "audit_event"  ("host_country", "seq") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_audit_event_hash" ON "audit_event"  ("hash") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_audit_event_prev_hash" ON "audit_event"  ("prev_hash") `,
    );
    await queryRunner.query(
      `CREATE TABLE "host_country" ("code" character varying(3) NOT NULL, "name" character varying(200) NOT NULL, "ndc" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7c17db4ee38c4d407381bf60785" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "principal" ("id" uuid NOT NULL, "name" character varying(200) NOT NULL, "role" character varying(16) NOT NULL, "host_country_code" character varying(3), "api_key_hash" character(64), "external_subject" character varying(300), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_principal_country_for_role" CHECK (("role" IN ('OFFICIAL', 'APPROVER')) = ("host_country_code" IS NOT NULL)), CONSTRAINT "ck_principal_role" CHECK ("role" IN ('ADMIN', 'OFFICIAL', 'APPROVER', 'AUDITOR')), CONSTRAINT "PK_b3ff9fc87cb26d8e16f1cc56745" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_principal_external_subject" ON "principal"  ("external_subject") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_principal_api_key_hash" ON "principal"  ("api_key_hash") `,
    );
    await queryRunner.query(
      `CREATE TABLE "ipcc_category" ("code" character varying(16) NOT NULL, "name" text NOT NULL, "parent_code" character varying(16), CONSTRAINT "PK_7807ba0890cd5b89b24ecf2100f" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "ndc_sector" ("id" uuid NOT NULL, "host_country_code" character varying(3) NOT NULL, "code" character varying(32) NOT NULL, "name" character varying(200) NOT NULL, "ipcc_sector" character varying(16) NOT NULL, "ipcc_categories" text array NOT NULL, "description" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_ndc_sector_ipcc_sector" CHECK ("ipcc_sector" IN ('ENERGY', 'IPPU', 'AFOLU', 'WASTE', 'OTHER')), CONSTRAINT "PK_c829921a8b5a151e0ec6227ed1a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_ndc_sector_country_code" ON "ndc_sector"  ("host_country_code", "code") `,
    );
    await queryRunner.query(
      `ALTER TABLE "principal" ADD CONSTRAINT "fk_principal_country" FOREIGN KEY ("host_country_code") REFERENCES "host_country"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ipcc_category" ADD CONSTRAINT "fk_ipcc_category_parent" FOREIGN KEY ("parent_code") REFERENCES "ipcc_category"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ndc_sector" ADD CONSTRAINT "fk_ndc_sector_country" FOREIGN KEY ("host_country_code") REFERENCES "host_country"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    // IPCC 2006 categories are reference data, frozen in this migration (parents first).
    for (const category of IPCC_2006_CATEGORIES) {
      await queryRunner.query(
        `INSERT INTO "ipcc_category" ("code", "name", "parent_code") VALUES ($1, $2, $3)`,
        [category.code, category.name, category.parent],
      );
    }

    // The audit log is append-only for everyone who is not the table owner acting through
    // DDL: row triggers refuse UPDATE and DELETE, a statement trigger refuses TRUNCATE, and
    // ENABLE ALWAYS keeps them firing under session_replication_role = replica.
    await queryRunner.query(`CREATE FUNCTION audit_event_refuse_change() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await queryRunner.query(`CREATE TRIGGER audit_event_no_update_delete
      BEFORE UPDATE OR DELETE ON "audit_event"
      FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER audit_event_no_truncate
      BEFORE TRUNCATE ON "audit_event"
      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()`);
    await queryRunner.query(
      `ALTER TABLE "audit_event" ENABLE ALWAYS TRIGGER audit_event_no_update_delete`,
    );
    await queryRunner.query(
      `ALTER TABLE "audit_event" ENABLE ALWAYS TRIGGER audit_event_no_truncate`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_event_no_truncate ON "audit_event"`);
    await queryRunner.query(`DROP TRIGGER audit_event_no_update_delete ON "audit_event"`);
    await queryRunner.query(`DROP FUNCTION audit_event_refuse_change()`);
    await queryRunner.query(`ALTER TABLE "ndc_sector" DROP CONSTRAINT "fk_ndc_sector_country"`);
    await queryRunner.query(
      `ALTER TABLE "ipcc_category" DROP CONSTRAINT "fk_ipcc_category_parent"`,
    );
    await queryRunner.query(`ALTER TABLE "principal" DROP CONSTRAINT "fk_principal_country"`);
    await queryRunner.query(`DROP INDEX "public"."uq_ndc_sector_country_code"`);
    await queryRunner.query(`DROP TABLE "ndc_sector"`);
    await queryRunner.query(`DROP TABLE "ipcc_category"`);
    await queryRunner.query(`DROP INDEX "public"."uq_principal_api_key_hash"`);
    await queryRunner.query(`DROP INDEX "public"."uq_principal_external_subject"`);
    await queryRunner.query(`DROP TABLE "principal"`);
    await queryRunner.query(`DROP TABLE "host_country"`);
    await queryRunner.query(`DROP INDEX "public"."uq_audit_event_prev_hash"`);
    await queryRunner.query(`DROP INDEX "public"."uq_audit_event_hash"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_event_country_seq"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_event_entity_seq"`);
    await queryRunner.query(`DROP TABLE "audit_event"`);
  }
}
