import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, LessThan } from 'typeorm';
import { ConsoleSessionEntity } from './console-session.entity';
import { PrincipalEntity } from './principal.entity';

/**
 * All SQL about workspace sessions. The one repository that writes without a Change: a
 * session is not a registry record, so it has no audit event (see the README's "Signing in
 * and out are not audit events"); test/e2e/audited-writes.spec.ts names this exception.
 */
@Injectable()
export class ConsoleSessionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(ConsoleSessionEntity);
  }

  async insert(session: ConsoleSessionEntity): Promise<void> {
    await this.repo.insert(session);
  }

  /** The session with its principal, as stored now. */
  findWithPrincipal(
    idHash: string,
  ): Promise<(ConsoleSessionEntity & { principal: PrincipalEntity }) | null> {
    return this.repo.findOne({ where: { idHash }, relations: { principal: true } }) as Promise<
      (ConsoleSessionEntity & { principal: PrincipalEntity }) | null
    >;
  }

  async touch(idHash: string, at: Date): Promise<void> {
    await this.repo.update({ idHash }, { lastSeenAt: at });
  }

  async revoke(idHash: string, at: Date): Promise<void> {
    await this.repo.update({ idHash, revokedAt: IsNull() }, { revokedAt: at });
  }

  /** Sessions past their absolute expiry can never be used again: nothing to keep. */
  async deleteExpired(before: Date): Promise<void> {
    await this.repo.delete({ expiresAt: LessThan(before) });
  }
}
