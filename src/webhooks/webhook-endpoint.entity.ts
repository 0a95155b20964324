import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { HostCountryEntity } from '../countries/host-country.entity';

/**
 * A receiver that other systems registered to learn of list changes. The signing secret is
 * stored as issued: every delivery is signed with it, so unlike an API key it cannot be kept
 * as a hash.
 */
@Entity({ name: 'webhook_endpoint' })
@Index('ix_webhook_endpoint_country', ['hostCountryCode'])
@Check('ck_webhook_endpoint_events', `cardinality("event_types") > 0`)
export class WebhookEndpointEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  url!: string;

  /** Null: every country (administrators only). */
  @Column({ name: 'host_country_code', type: 'varchar', length: 3, nullable: true })
  hostCountryCode!: string | null;

  @ManyToOne(() => HostCountryEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({
    name: 'host_country_code',
    foreignKeyConstraintName: 'fk_webhook_endpoint_country',
  })
  hostCountry?: HostCountryEntity | null;

  @Column({ name: 'event_types', type: 'text', array: true })
  eventTypes!: string[];

  /** Standard Webhooks form, `whsec_<base64>`. */
  @Column({ type: 'text' })
  secret!: string;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Column({ name: 'disabled_reason', type: 'text', nullable: true })
  disabledReason!: string | null;

  /** Start of the current run of failed attempts; null after any success. */
  @Column({ name: 'failing_since', type: 'timestamptz', nullable: true })
  failingSince!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'secret_rotated_at', type: 'timestamptz', nullable: true })
  secretRotatedAt!: Date | null;
}
