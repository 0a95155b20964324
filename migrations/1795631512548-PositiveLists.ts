import { MigrationInterface, QueryRunner } from 'typeorm';

/** Versioned positive and negative lists, their entries, and entry-to-sector links. */

export class PositiveLists1795631512548 implements MigrationInterface {
  name = 'PositiveLists1795631512548';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "positive_list_version" ("id" uuid NOT NULL, "host_country_code" character varying(3) NOT NULL, "version" integer NOT NULL, "status" character varying(16) NOT NULL, "title" character varying(300) NOT NULL, "legal_basis" text, "effective_from" date, "effective_until" date, "review_due" date, "based_on_version_id" uuid, "created_by_id" uuid, "created_by_name" character varying(200) NOT NULL, "submitted_by_id" uuid, "submitted_by_name" character varying(200), "approved_by_id" uuid, "approved_by_name" character varying(200), "published_at" TIMESTAMP(3) WITH TIME ZONE, "withdrawn_at" TIMESTAMP(3) WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_list_version_number" CHECK ("version" > 0), CONSTRAINT "ck_list_version_effective_range" CHECK ("effective_until" IS NULL OR "effective_until" >= "effective_from"), CONSTRAINT "ck_list_version_published_dated" CHECK (("status" IN ('PUBLISHED', 'WITHDRAWN')) = ("effective_from" IS NOT NULL)), CONSTRAINT "ck_list_version_status" CHECK ("status" IN ('DRAFT', 'SUBMITTED', 'PUBLISHED', 'WITHDRAWN')), CONSTRAINT "PK_f20b1e19a4d6c0919b24f937c98" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_list_version_in_force" ON "positive_list_version"  ("host_country_code", "effective_from") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_list_version_open" ON "positive_list_version"  ("host_country_code") WHERE "status" IN ('DRAFT', 'SUBMITTED')`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_list_version_number" ON "positive_list_version"  ("host_country_code", "version") `,
    );
    await queryRunner.query(
      `CREATE TABLE "activity_entry" ("id" uuid NOT NULL, "list_version_id" uuid NOT NULL, "key" character varying(64) NOT NULL, "kind" character varying(16) NOT NULL, "name" character varying(300) NOT NULL, "description" text, "technologies" text array NOT NULL, "ndc_component" character varying(16) NOT NULL, "ndc_measure_ref" text, "additionality_rationale" text, "criteria" jsonb NOT NULL, "methodologies" text array NOT NULL, "baseline" jsonb, "crediting" jsonb, "authorization" jsonb, "valid_from" date, "valid_until" date, "review_due" date, "legal_basis" text, "revision" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_activity_entry_revision" CHECK ("revision" >= 1), CONSTRAINT "ck_activity_entry_validity" CHECK ("valid_from" IS NULL OR "valid_until" IS NULL OR "valid_from" <= "valid_until"), CONSTRAINT "ck_activity_entry_positive_complete" CHECK ("kind" <> 'POSITIVE' OR ("baseline" IS NOT NULL AND "additionality_rationale" IS NOT NULL)), CONSTRAINT "ck_activity_entry_negative_bare" CHECK ("kind" <> 'NEGATIVE' OR ("baseline" IS NULL AND jsonb_array_length("criteria") = 0)), CONSTRAINT "ck_activity_entry_ndc_component" CHECK ("ndc_component" IN ('UNCONDITIONAL', 'CONDITIONAL', 'OUTSIDE_NDC')), CONSTRAINT "ck_activity_entry_kind" CHECK ("kind" IN ('POSITIVE', 'NEGATIVE')), CONSTRAINT "PK_97b653f3442bfbcb09e6193ff83" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_activity_entry_key" ON "activity_entry"  ("list_version_id", "key") `,
    );
    await queryRunner.query(
      `CREATE TABLE "activity_entry_sector" ("entry_id" uuid NOT NULL, "sector_id" uuid NOT NULL, CONSTRAINT "PK_5a667e7c254839988966bfcd6be" PRIMARY KEY ("entry_id", "sector_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_activity_entry_sector_sector" ON "activity_entry_sector"  ("sector_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "positive_list_version" ADD CONSTRAINT "fk_list_version_country" FOREIGN KEY ("host_country_code") REFERENCES "host_country"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "activity_entry" ADD CONSTRAINT "fk_activity_entry_version" FOREIGN KEY ("list_version_id") REFERENCES "positive_list_version"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "activity_entry_sector" ADD CONSTRAINT "fk_entry_sector_entry" FOREIGN KEY ("entry_id") REFERENCES "activity_entry"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "activity_entry_sector" ADD CONSTRAINT "fk_entry_sector_sector" FOREIGN KEY ("sector_id") REFERENCES "ndc_sector"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "activity_entry_sector" DROP CONSTRAINT "fk_entry_sector_sector"`,
    );
    await queryRunner.query(
      `ALTER TABLE "activity_entry_sector" DROP CONSTRAINT "fk_entry_sector_entry"`,
    );
    await queryRunner.query(
      `ALTER TABLE "activity_entry" DROP CONSTRAINT "fk_activity_entry_version"`,
    );
    await queryRunner.query(
      `ALTER TABLE "positive_list_version" DROP CONSTRAINT "fk_list_version_country"`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_activity_entry_sector_sector"`);
    await queryRunner.query(`DROP TABLE "activity_entry_sector"`);
    await queryRunner.query(`DROP INDEX "public"."uq_activity_entry_key"`);
    await queryRunner.query(`DROP TABLE "activity_entry"`);
    await queryRunner.query(`DROP INDEX "public"."uq_list_version_number"`);
    await queryRunner.query(`DROP INDEX "public"."uq_list_version_open"`);
    await queryRunner.query(`DROP INDEX "public"."ix_list_version_in_force"`);
    await queryRunner.query(`DROP TABLE "positive_list_version"`);
  }
}
