import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { HostCountryEntity } from '../countries/host-country.entity';

/** Someone (or something) that may call the registry with a credential. */
@Entity({ name: 'principal' })
@Check('ck_principal_role', `"role" IN ('ADMIN', 'OFFICIAL', 'APPROVER', 'AUDITOR')`)
@Check(
  'ck_principal_country_for_role',
  `("role" IN ('OFFICIAL', 'APPROVER')) = ("host_country_code" IS NOT NULL)`,
)
@Index('uq_principal_api_key_hash', ['apiKeyHash'], { unique: true })
@Index('uq_principal_external_subject', ['externalSubject'], { unique: true })
export class PrincipalEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: string;

  @Column({ name: 'host_country_code', type: 'varchar', length: 3, nullable: true })
  hostCountryCode!: string | null;

  @ManyToOne(() => HostCountryEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'host_country_code', foreignKeyConstraintName: 'fk_principal_country' })
  hostCountry?: HostCountryEntity | null;

  /** SHA-256 (hex) of the API key; the key itself is never stored. */
  @Column({ name: 'api_key_hash', type: 'char', length: 64, nullable: true })
  apiKeyHash!: string | null;

  /** `sub` claim of an OpenID Connect token that acts as this principal. */
  @Column({ name: 'external_subject', type: 'varchar', length: 300, nullable: true })
  externalSubject!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
