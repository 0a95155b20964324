import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stored subtree hashes of the audit log's Merkle tree (levels 4, 8, 12 ...), so inclusion
 * and consistency proofs read a few rows, not the log. Filled by the service from the log;
 * no backfill here, the first checkpoint after the upgrade indexes the existing events.
 */

export class AuditTreeNodes1796300000000 implements MigrationInterface {
  name = 'AuditTreeNodes1796300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_tree_node" ("level" smallint NOT NULL, "idx" bigint NOT NULL, "hash" bytea NOT NULL, CONSTRAINT "PK_0ec0420a5e80db6c2ce6563cdac" PRIMARY KEY ("level", "idx"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_tree_node"`);
  }
}
