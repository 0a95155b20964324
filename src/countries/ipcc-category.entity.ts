import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/** IPCC 2006 category, reference data seeded by migration (e.g. `1.A.1.a`). */
@Entity({ name: 'ipcc_category' })
export class IpccCategoryEntity {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'parent_code', type: 'varchar', length: 16, nullable: true })
  parentCode!: string | null;

  @ManyToOne(() => IpccCategoryEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'parent_code', foreignKeyConstraintName: 'fk_ipcc_category_parent' })
  parent?: IpccCategoryEntity | null;
}
