import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { Change } from '../audit/change-runner';
import { PrincipalEntity } from './principal.entity';
import { Role } from '../auth/role';

/** All SQL about principals. Writes take a {@link Change}, so they are always audited. */
@Injectable()
export class PrincipalsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(PrincipalEntity);
  }

  findByKeyHash(apiKeyHash: string, change?: Change): Promise<PrincipalEntity | null> {
    return (change?.manager ?? this.dataSource.manager)
      .getRepository(PrincipalEntity)
      .findOneBy({ apiKeyHash });
  }

  findByExternalSubject(externalSubject: string, change?: Change): Promise<PrincipalEntity | null> {
    // Inside a change, read through its transaction: it sees the change's own writes and
    // holds no second pool connection.
    return (change?.manager ?? this.dataSource.manager)
      .getRepository(PrincipalEntity)
      .findOneBy({ externalSubject });
  }

  findById(id: string): Promise<PrincipalEntity | null> {
    return this.repo.findOneBy({ id });
  }

  listAll(): Promise<PrincipalEntity[]> {
    return this.repo.find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async activeAdminExists(change: Change): Promise<boolean> {
    return (
      (await change.manager.getRepository(PrincipalEntity).countBy({
        role: Role.ADMIN,
        revokedAt: IsNull(),
      })) > 0
    );
  }

  async insert(change: Change, principal: PrincipalEntity): Promise<PrincipalEntity> {
    return change.manager.getRepository(PrincipalEntity).save(principal);
  }

  /** Locks the row so that concurrent revocations see each other. */
  findByIdForUpdate(change: Change, id: string): Promise<PrincipalEntity | null> {
    return change.manager
      .getRepository(PrincipalEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async markRevoked(change: Change, id: string, at: Date): Promise<void> {
    await change.manager.getRepository(PrincipalEntity).update({ id }, { revokedAt: at });
  }

  /** Serializes bootstrap across instances starting at the same time. */
  async lockBootstrap(change: Change): Promise<void> {
    await change.manager.query('SELECT pg_advisory_xact_lock($1)', [7_215_100_002]);
  }
}
