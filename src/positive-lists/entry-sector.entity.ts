import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { NdcSectorEntity } from '../countries/ndc-sector.entity';
import { ActivityEntryEntity } from './activity-entry.entity';

/** Links an entry to the NDC sectors of its country. */
@Entity({ name: 'activity_entry_sector' })
@Index('ix_activity_entry_sector_sector', ['sectorId'])
export class EntrySectorEntity {
  @PrimaryColumn({ name: 'entry_id', type: 'uuid' })
  entryId!: string;

  @PrimaryColumn({ name: 'sector_id', type: 'uuid' })
  sectorId!: string;

  @ManyToOne(() => ActivityEntryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'entry_id', foreignKeyConstraintName: 'fk_entry_sector_entry' })
  entry?: ActivityEntryEntity;

  @ManyToOne(() => NdcSectorEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sector_id', foreignKeyConstraintName: 'fk_entry_sector_sector' })
  sector?: NdcSectorEntity;
}
