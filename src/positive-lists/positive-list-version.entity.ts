import {
  Check,
  Exclusion,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { HostCountryEntity } from '../countries/host-country.entity';
import { ListStatus } from './list-types';

/**
 * One version of a country's list. Stored status is DRAFT, SUBMITTED, PUBLISHED or WITHDRAWN;
 * SUPERSEDED is derived from `effective_until` (a published version stops being in force on
 * the date its successor takes effect), so "in force on date D" is a plain range query.
 */
@Entity({ name: 'positive_list_version' })
@Index('uq_list_version_number', ['hostCountryCode', 'version'], { unique: true })
@Index('uq_list_version_open', ['hostCountryCode'], {
  unique: true,
  where: `"status" IN ('DRAFT', 'SUBMITTED')`,
})
@Index('ix_list_version_in_force', ['hostCountryCode', 'effectiveFrom'])
@Check(
  'ck_list_version_status',
  `"status" IN ('DRAFT', 'SUBMITTED', 'PUBLISHED', 'WITHDRAWN', 'DISCARDED')`,
)
// One version in force per country and day, by construction (docs/domain.md section 2).
@Exclusion(
  'ex_list_version_one_in_force',
  `USING gist ("host_country_code" WITH =, daterange("effective_from", "effective_until", '[)') WITH &&) WHERE ("status" IN ('PUBLISHED', 'WITHDRAWN'))`,
)
@Check(
  'ck_list_version_published_dated',
  `("status" IN ('PUBLISHED', 'WITHDRAWN')) = ("effective_from" IS NOT NULL)`,
)
@Check(
  'ck_list_version_effective_range',
  `"effective_until" IS NULL OR "effective_until" >= "effective_from"`,
)
@Check('ck_list_version_number', `"version" > 0`)
export class PositiveListVersionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'host_country_code', type: 'varchar', length: 3 })
  hostCountryCode!: string;

  @ManyToOne(() => HostCountryEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'host_country_code', foreignKeyConstraintName: 'fk_list_version_country' })
  hostCountry?: HostCountryEntity;

  @Column({ type: 'int' })
  version!: number;

  /** Stored: never SUPERSEDED, which is derived from the dates (see visibleStatus). */
  @Column({ type: 'varchar', length: 16 })
  status!: ListStatus;

  @Column({ type: 'varchar', length: 300 })
  title!: string;

  @Column({ name: 'legal_basis', type: 'text', nullable: true })
  legalBasis!: string | null;

  @Column({ name: 'effective_from', type: 'date', nullable: true })
  effectiveFrom!: string | null;

  /** Exclusive: the version is in force on dates D with effectiveFrom <= D < effectiveUntil. */
  @Column({ name: 'effective_until', type: 'date', nullable: true })
  effectiveUntil!: string | null;

  @Column({ name: 'review_due', type: 'date', nullable: true })
  reviewDue!: string | null;

  @Column({ name: 'based_on_version_id', type: 'uuid', nullable: true })
  basedOnVersionId!: string | null;

  @Column({ name: 'created_by_id', type: 'uuid', nullable: true })
  createdById!: string | null;

  @Column({ name: 'created_by_name', type: 'varchar', length: 200 })
  createdByName!: string;

  @Column({ name: 'submitted_by_id', type: 'uuid', nullable: true })
  submittedById!: string | null;

  @Column({ name: 'submitted_by_name', type: 'varchar', length: 200, nullable: true })
  submittedByName!: string | null;

  @Column({ name: 'approved_by_id', type: 'uuid', nullable: true })
  approvedById!: string | null;

  @Column({ name: 'approved_by_name', type: 'varchar', length: 200, nullable: true })
  approvedByName!: string | null;

  @Column({ name: 'published_at', type: 'timestamptz', precision: 3, nullable: true })
  publishedAt!: Date | null;

  /** hex SHA-256 of the published content (content-digest.ts); null until published. */
  @Column({ name: 'content_digest', type: 'char', length: 64, nullable: true })
  contentDigest!: string | null;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', precision: 3, nullable: true })
  withdrawnAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
