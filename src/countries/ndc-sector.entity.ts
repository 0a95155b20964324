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
import { HostCountryEntity } from './host-country.entity';

/** A sector of a country's own NDC, mapped to IPCC 2006 categories. */
@Entity({ name: 'ndc_sector' })
@Index('uq_ndc_sector_country_code', ['hostCountryCode', 'code'], { unique: true })
@Check(
  'ck_ndc_sector_ipcc_sector',
  `"ipcc_sector" IN ('ENERGY', 'IPPU', 'AFOLU', 'WASTE', 'OTHER')`,
)
export class NdcSectorEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'host_country_code', type: 'varchar', length: 3 })
  hostCountryCode!: string;

  @ManyToOne(() => HostCountryEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'host_country_code', foreignKeyConstraintName: 'fk_ndc_sector_country' })
  hostCountry?: HostCountryEntity;

  @Column({ type: 'varchar', length: 32 })
  code!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'ipcc_sector', type: 'varchar', length: 16 })
  ipccSector!: string;

  @Column({ name: 'ipcc_categories', type: 'text', array: true })
  ipccCategories!: string[];

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
