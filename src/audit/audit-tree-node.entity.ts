import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A stored interior node of the audit log's Merkle tree: the RFC 6962 hash of the perfect,
 * aligned subtree of 2^level leaves starting at leaf idx * 2^level. Only levels 4, 8, 12 ...
 * are kept (about one row per 15 events), so any subtree hash, and with it any proof, is at
 * most a few hundred stored hashes away: proofs on a log of millions of events read a few
 * rows instead of scanning it. Derived from the log, like checkpoints; a forged node only
 * yields a proof that fails against a signed root.
 */
@Entity({ name: 'audit_tree_node' })
export class AuditTreeNodeEntity {
  @PrimaryColumn({ type: 'smallint' })
  level!: number;

  @PrimaryColumn({ type: 'bigint' })
  idx!: number;

  @Column({ type: 'bytea' })
  hash!: Buffer;
}
