import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { PrincipalEntity } from './principal.entity';

/**
 * A signed-in browser session of the officials' workspace. Only a hash of the session id is
 * stored, like API keys: a copy of this table signs nobody in. Instants come from the
 * registry's clock, not the database's, so idle and absolute expiry follow the same time as
 * everything else.
 */
@Entity({ name: 'console_session' })
@Index('ix_console_session_principal', ['principalId'])
export class ConsoleSessionEntity {
  /** SHA-256 (hex) of the session id the cookie carries. */
  @PrimaryColumn({ name: 'id_hash', type: 'char', length: 64 })
  idHash!: string;

  @Column({ name: 'principal_id', type: 'uuid' })
  principalId!: string;

  @ManyToOne(() => PrincipalEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'principal_id', foreignKeyConstraintName: 'fk_console_session_principal' })
  principal?: PrincipalEntity;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Moved forward on every request; the session ends after the idle timeout without one. */
  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;

  /** The absolute end, however active the session is. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  /** Set by signing out: the cookie is refused from then on, wherever it is presented. */
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
