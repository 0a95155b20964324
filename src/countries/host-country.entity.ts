import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The NDC a country's lists refer to, stored as one JSON document. */
export interface NdcReferenceData {
  title: string;
  version: string | null;
  submittedOn: string | null;
  url: string | null;
  netZeroTargetYear: number | null;
}

@Entity({ name: 'host_country' })
export class HostCountryEntity {
  /** ISO 3166-1 alpha-3, upper case. */
  @PrimaryColumn({ type: 'varchar', length: 3 })
  code!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'jsonb', nullable: true })
  ndc!: NdcReferenceData | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
