import { MigrationInterface, QueryRunner } from 'typeorm';
import { contentDigest } from '../src/positive-lists/content-digest';

/**
 * Published lists that cannot change behind anyone's back (docs/domain.md sections 2 and 6):
 *
 * - a DISCARDED status, so a discarded draft stays on record and its number is never reused;
 * - `content_digest` on published versions, backfilled here for those published before;
 * - one version in force per country and day, as an exclusion constraint (btree_gist) over
 *   the days each published or withdrawn version is in force;
 * - triggers that refuse any change to a published or withdrawn version's content (the
 *   version row but for the timeline fields that publishing the next version or withdrawing
 *   sets, its entries, and their sectors), whatever the role's privileges. ENABLE ALWAYS keeps
 *   them firing under session_replication_role = replica; only the tables' owner can drop or
 *   disable them, and verifyAuditTrail's digest check catches what that owner does.
 */
export class PublishedListsIntegrity1796190000000 implements MigrationInterface {
  name = 'PublishedListsIntegrity1796190000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await queryRunner.query(
      `ALTER TABLE "positive_list_version" DROP CONSTRAINT "ck_list_version_status"`,
    );
    await queryRunner.query(
      `ALTER TABLE "positive_list_version" ADD CONSTRAINT "ck_list_version_status" CHECK ("status" IN ('DRAFT', 'SUBMITTED', 'PUBLISHED', 'WITHDRAWN', 'DISCARDED'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "positive_list_version" ADD "content_digest" character(64)`,
    );
    await this.backfillDigests(queryRunner);
    await queryRunner.query(
      `ALTER TABLE "positive_list_version" ADD CONSTRAINT "ex_list_version_one_in_force" EXCLUDE USING gist ("host_country_code" WITH =, daterange("effective_from", "effective_until", '[)') WITH &&) WHERE ("status" IN ('PUBLISHED', 'WITHDRAWN'))`,
    );

    await queryRunner.query(`CREATE FUNCTION list_version_guard() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status NOT IN ('PUBLISHED', 'WITHDRAWN') THEN
          RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
        END IF;
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'list version % is published: it cannot be deleted', OLD.id
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        -- Publishing the next version ends this one; withdrawing sets the status and time;
        -- a version published before digests existed gets its digest once. Nothing else.
        IF NOT (NEW.status = OLD.status OR (OLD.status = 'PUBLISHED' AND NEW.status = 'WITHDRAWN'))
           OR (to_jsonb(NEW) - 'effective_until' - 'status' - 'withdrawn_at' - 'updated_at'
                 - CASE WHEN OLD.content_digest IS NULL THEN 'content_digest' ELSE '' END)
              IS DISTINCT FROM
              (to_jsonb(OLD) - 'effective_until' - 'status' - 'withdrawn_at' - 'updated_at'
                 - CASE WHEN OLD.content_digest IS NULL THEN 'content_digest' ELSE '' END)
        THEN
          RAISE EXCEPTION 'list version % is published: its content cannot change', OLD.id
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(`CREATE FUNCTION list_entry_guard() RETURNS trigger
      LANGUAGE plpgsql AS $$
      DECLARE
        version_ids uuid[];
      BEGIN
        IF TG_TABLE_NAME = 'activity_entry' THEN
          version_ids := ARRAY[
            CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.list_version_id END,
            CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.list_version_id END];
        ELSE
          SELECT array_agg(e.list_version_id) INTO version_ids FROM activity_entry e
           WHERE e.id IN (CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.entry_id END,
                          CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.entry_id END);
        END IF;
        IF EXISTS (SELECT 1 FROM positive_list_version v
                    WHERE v.id = ANY(version_ids) AND v.status IN ('PUBLISHED', 'WITHDRAWN')) THEN
          RAISE EXCEPTION 'the entries of a published list version cannot change (% on %)',
            TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
      END
      $$`);
    for (const [table, trigger, fn] of [
      ['positive_list_version', 'list_version_immutable', 'list_version_guard'],
      ['activity_entry', 'activity_entry_immutable', 'list_entry_guard'],
      ['activity_entry_sector', 'activity_entry_sector_immutable', 'list_entry_guard'],
    ]) {
      const events =
        table === 'positive_list_version' ? 'UPDATE OR DELETE' : 'INSERT OR UPDATE OR DELETE';
      await queryRunner.query(
        `CREATE TRIGGER ${trigger} BEFORE ${events} ON "${table}" FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
      );
      await queryRunner.query(`ALTER TABLE "${table}" ENABLE ALWAYS TRIGGER ${trigger}`);
    }
  }

  /** Digests for versions published before this migration, from their stored rows. */
  private async backfillDigests(queryRunner: QueryRunner): Promise<void> {
    const versions: {
      id: string;
      host_country_code: string;
      version: number;
      title: string;
      legal_basis: string | null;
      effective_from: string;
    }[] = (await queryRunner.query(
      `SELECT id, host_country_code, version, title, legal_basis, effective_from::text AS effective_from
         FROM positive_list_version WHERE status IN ('PUBLISHED', 'WITHDRAWN')`,
    )) as never;
    for (const v of versions) {
      const entries = (await queryRunner.query(
        `SELECT e.key, e.kind, e.name, e.description, e.technologies, e.ndc_component AS "ndcComponent",
                e.ndc_measure_ref AS "ndcMeasureRef", e.additionality_rationale AS "additionalityRationale",
                e.criteria, e.methodologies, e.baseline, e.crediting, e.authorization,
                e.valid_from::text AS "validFrom", e.valid_until::text AS "validUntil",
                e.review_due::text AS "reviewDue", e.legal_basis AS "legalBasis",
                coalesce((SELECT array_agg(s.code ORDER BY s.code) FROM activity_entry_sector es
                            JOIN ndc_sector s ON s.id = es.sector_id WHERE es.entry_id = e.id),
                         '{}') AS "sectorCodes"
           FROM activity_entry e WHERE e.list_version_id = $1`,
        [v.id],
      )) as Record<string, unknown>[];
      const digest = contentDigest({
        hostCountry: v.host_country_code,
        version: v.version,
        title: v.title,
        legalBasis: v.legal_basis,
        effectiveFrom: v.effective_from,
        entries,
      });
      await queryRunner.query(
        `UPDATE positive_list_version SET content_digest = $1 WHERE id = $2`,
        [digest, v.id],
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP TRIGGER activity_entry_sector_immutable ON "activity_entry_sector"`,
    );
    await queryRunner.query(`DROP TRIGGER activity_entry_immutable ON "activity_entry"`);
    await queryRunner.query(`DROP TRIGGER list_version_immutable ON "positive_list_version"`);
    await queryRunner.query(`DROP FUNCTION list_entry_guard()`);
    await queryRunner.query(`DROP FUNCTION list_version_guard()`);
    await queryRunner.query(
      `ALTER TABLE "positive_list_version" DROP CONSTRAINT "ex_list_version_one_in_force"`,
    );
    await queryRunner.query(`ALTER TABLE "positive_list_version" DROP COLUMN "content_digest"`);
    await queryRunner.query(
      `ALTER TABLE "positive_list_version" DROP CONSTRAINT "ck_list_version_status"`,
    );
    await queryRunner.query(
      `ALTER TABLE "positive_list_version" ADD CONSTRAINT "ck_list_version_status" CHECK ("status" IN ('DRAFT', 'SUBMITTED', 'PUBLISHED', 'WITHDRAWN'))`,
    );
  }
}
