import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { AuthorizationTerms, BaselineRule, CreditingTerms, Criterion } from './list-types';
import { EntryKind } from './list-types';
import { PositiveListVersionEntity } from './positive-list-version.entity';

/** An activity type on one list version; `key` is stable across versions. */
@Entity({ name: 'activity_entry' })
@Index('uq_activity_entry_key', ['listVersionId', 'key'], { unique: true })
@Check('ck_activity_entry_kind', `"kind" IN ('POSITIVE', 'NEGATIVE')`)
@Check(
  'ck_activity_entry_ndc_component',
  `"ndc_component" IN ('UNCONDITIONAL', 'CONDITIONAL', 'OUTSIDE_NDC')`,
)
@Check(
  'ck_activity_entry_negative_bare',
  `"kind" <> 'NEGATIVE' OR ("baseline" IS NULL AND jsonb_array_length("criteria") = 0)`,
)
@Check(
  'ck_activity_entry_positive_complete',
  `"kind" <> 'POSITIVE' OR ("baseline" IS NOT NULL AND "additionality_rationale" IS NOT NULL)`,
)
@Check(
  'ck_activity_entry_validity',
  `"valid_from" IS NULL OR "valid_until" IS NULL OR "valid_from" <= "valid_until"`,
)
@Check('ck_activity_entry_revision', `"revision" >= 1`)
export class ActivityEntryEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'list_version_id', type: 'uuid' })
  listVersionId!: string;

  @ManyToOne(() => PositiveListVersionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'list_version_id', foreignKeyConstraintName: 'fk_activity_entry_version' })
  listVersion?: PositiveListVersionEntity;

  @Column({ type: 'varchar', length: 64 })
  key!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: EntryKind;

  @Column({ type: 'varchar', length: 300 })
  name!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'text', array: true })
  technologies!: string[];

  @Column({ name: 'ndc_component', type: 'varchar', length: 16 })
  ndcComponent!: string;

  @Column({ name: 'ndc_measure_ref', type: 'text', nullable: true })
  ndcMeasureRef!: string | null;

  @Column({ name: 'additionality_rationale', type: 'text', nullable: true })
  additionalityRationale!: string | null;

  @Column({ type: 'jsonb' })
  criteria!: Criterion[];

  @Column({ type: 'text', array: true })
  methodologies!: string[];

  @Column({ type: 'jsonb', nullable: true })
  baseline!: BaselineRule | null;

  @Column({ type: 'jsonb', nullable: true })
  crediting!: CreditingTerms | null;

  @Column({ type: 'jsonb', nullable: true })
  authorization!: AuthorizationTerms | null;

  @Column({ name: 'valid_from', type: 'date', nullable: true })
  validFrom!: string | null;

  @Column({ name: 'valid_until', type: 'date', nullable: true })
  validUntil!: string | null;

  @Column({ name: 'review_due', type: 'date', nullable: true })
  reviewDue!: string | null;

  @Column({ name: 'legal_basis', type: 'text', nullable: true })
  legalBasis!: string | null;

  /** Increments on every change; updates must name the revision they read. */
  @Column({ type: 'int', default: 1 })
  revision!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
