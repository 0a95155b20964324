import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A signed checkpoint of the audit log. Derived from the log itself (not a business change,
 * so not itself an audit event); append-only like the log. `frontier` lets the next
 * checkpoint hash only the events added since.
 */
@Entity({ name: 'audit_checkpoint' })
export class AuditCheckpointEntity {
  @PrimaryColumn({ name: 'tree_size', type: 'bigint' })
  treeSize!: number;

  @Column({ name: 'root_hash', type: 'char', length: 64 })
  rootHash!: string;

  @Column({ name: 'signed_at', type: 'timestamptz', precision: 3 })
  signedAt!: Date;

  @Column({ name: 'key_id', type: 'char', length: 8 })
  keyId!: string;

  @Column({ name: 'public_key', type: 'text' })
  publicKey!: string;

  @Column({ type: 'text' })
  signature!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'jsonb' })
  frontier!: unknown;
}
