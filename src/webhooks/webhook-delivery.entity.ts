import {
  Check,
  Column,
  Entity,
  Generated,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';

/**
 * One event for one endpoint: the outbox row written in the transaction of the change, then
 * the state of its delivery. Its id is the `webhook-id` of every attempt and replay.
 */
@Entity({ name: 'webhook_delivery' })
@Index('uq_webhook_delivery_seq', ['seq'], { unique: true })
@Index('ix_webhook_delivery_endpoint_seq', ['endpointId', 'seq'])
@Index('ix_webhook_delivery_due', ['nextAttemptAt'], { where: `"status" = 'PENDING'` })
@Check('ck_webhook_delivery_status', `"status" IN ('PENDING', 'DELIVERED', 'FAILED')`)
export class WebhookDeliveryEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Creation order, for the delivery log's keyset pagination. */
  @Column({ type: 'bigint' })
  @Generated('increment')
  seq!: number;

  @Column({ name: 'endpoint_id', type: 'uuid' })
  endpointId!: string;

  @ManyToOne(() => WebhookEndpointEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id', foreignKeyConstraintName: 'fk_webhook_delivery_endpoint' })
  endpoint?: WebhookEndpointEntity;

  @Column({ name: 'event_type', type: 'varchar', length: 32 })
  eventType!: string;

  @Column({ name: 'host_country_code', type: 'varchar', length: 3, nullable: true })
  hostCountryCode!: string | null;

  /** The JSON body exactly as sent: every attempt sends the same bytes. */
  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ type: 'int' })
  attempts!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt!: Date;

  /** Failed attempts are retried until then (WEBHOOK_RETRY_WINDOW_SECONDS after it was written or replayed). */
  @Column({ name: 'retry_until', type: 'timestamptz' })
  retryUntil!: Date;

  /** The lease of the instance delivering it; another takes over once it has passed. */
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ name: 'claim_token', type: 'uuid', nullable: true })
  claimToken!: string | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;
}
