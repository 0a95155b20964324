import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PrincipalsService } from '../principals/principals.service';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JsonLogger } from '../logging/json-logger';

/** Session-level lock so that instances starting together apply migrations one at a time. */
const MIGRATION_LOCK = 7_215_100_000;

/**
 * Brings the database up to date before the service takes traffic: applies pending
 * migrations (unless MIGRATIONS_RUN=false, for deployments that run them as a separate
 * step), then creates the bootstrap administrator if none exists.
 */
@Injectable()
export class StartupTasks implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly principals: PrincipalsService,
    private readonly logger: JsonLogger,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.runMigrations) await migrate(this.dataSource, this.logger);
    if (this.config.bootstrapAdminKey) {
      const created = await this.principals.bootstrapAdmin(this.config.bootstrapAdminKey);
      if (created) this.logger.emit('info', 'created the bootstrap administrator "admin"');
    }
  }
}

/** Applies pending migrations under a lock shared by every instance on the same database. */
export async function migrate(dataSource: DataSource, logger?: JsonLogger): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const migration of applied)
      logger?.emit('info', 'applied migration', { migration: migration.name });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
