import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row of the append-only, hash-chained audit log. Written only by `AuditLog.append`
 * inside the business transaction; triggers refuse UPDATE, DELETE and TRUNCATE.
 */
@Entity({ name: 'audit_event' })
@Check('ck_audit_event_seq_positive', `"seq" > 0`)
@Index('uq_audit_event_prev_hash', ['prevHash'], { unique: true })
@Index('uq_audit_event_hash', ['hash'], { unique: true })
@Index('ix_audit_event_country_seq', ['hostCountry', 'seq'])
@Index('ix_audit_event_entity_seq', ['entityType', 'entityId', 'seq'])
@Index('ix_audit_event_actor_seq', ['actorName', 'seq'])
@Index('ix_audit_event_occurred_at', ['occurredAt'])
export class AuditEventEntity {
  @PrimaryColumn({ type: 'bigint' })
  seq!: number;

  @Column({ name: 'occurred_at', type: 'timestamptz', precision: 3 })
  occurredAt!: Date;

  @Column({ name: 'actor_principal_id', type: 'uuid', nullable: true })
  actorPrincipalId!: string | null;

  @Column({ name: 'actor_name', type: 'text' })
  actorName!: string;

  @Column({ name: 'actor_role', type: 'varchar', length: 16 })
  actorRole!: string;

  @Column({ name: 'actor_host_country', type: 'varchar', length: 3, nullable: true })
  actorHostCountry!: string | null;

  @Column({ type: 'varchar', length: 32 })
  action!: string;

  @Column({ name: 'entity_type', type: 'varchar', length: 64 })
  entityType!: string;

  @Column({ name: 'entity_id', type: 'text' })
  entityId!: string;

  @Column({ name: 'host_country', type: 'varchar', length: 3, nullable: true })
  hostCountry!: string | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  @Column({ type: 'jsonb' })
  changes!: unknown;

  @Column({ type: 'jsonb', nullable: true })
  before!: unknown;

  @Column({ type: 'jsonb', nullable: true })
  after!: unknown;

  @Column({ name: 'prev_hash', type: 'char', length: 64 })
  prevHash!: string;

  @Column({ type: 'char', length: 64 })
  hash!: string;
}
