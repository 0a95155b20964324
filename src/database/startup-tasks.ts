import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, MigrationExecutor } from 'typeorm';
import { BootstrapOutcome, PrincipalsService } from '../principals/principals.service';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JsonLogger } from '../logging/json-logger';

/**
 * Session-level lock so that instances starting together apply migrations one at a time;
 * granting the app role takes it too, so grants never interleave with a migration.
 */
export const MIGRATION_LOCK = 7_215_100_000;

/** The database lacks migrations this code needs, and this instance may not apply them. */
export class PendingMigrationsError extends Error {
  constructor(readonly pending: string[]) {
    super(
      `The database lacks ${pending.length} migration(s) this version needs (${pending.join(', ')}), ` +
        'and MIGRATIONS_RUN=false: apply them first as the owner of the tables ' +
        '(`migrate-and-grant --role ROLE` or `migration:run`), then start the service.',
    );
    this.name = 'PendingMigrationsError';
  }
}

/**
 * Brings the database up to date before the service takes traffic: applies pending
 * migrations, or with MIGRATIONS_RUN=false (a separate deployment step applies them, and the
 * service may run as a role that owns nothing) checks, reading only, that none is pending;
 * then creates the bootstrap administrator if none exists.
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
    else await assertNoPendingMigrations(this.dataSource);
    if (this.config.bootstrapAdminKey) {
      const outcome = await this.principals.bootstrapAdmin(this.config.bootstrapAdminKey);
      this.report(outcome);
    }
  }

  /** What the operator should know about the bootstrap key; nothing when all is as usual. */
  private report(outcome: BootstrapOutcome): void {
    switch (outcome) {
      case BootstrapOutcome.CREATED:
        this.logger.emit('info', 'created the bootstrap administrator "admin"');
        return;
      case BootstrapOutcome.NOT_USED:
        // Changing the variable does not rotate anything: say so, or the old key stays in
        // force while the operator believes it replaced.
        this.logger.emit(
          'warn',
          'BOOTSTRAP_ADMIN_KEY was not used: an administrator exists, and the key only creates one when none does. It does not replace any key (see "Rotating the bootstrap admin key" in the README)',
        );
        return;
      case BootstrapOutcome.KEY_REVOKED:
        this.logger.emit(
          'warn',
          'BOOTSTRAP_ADMIN_KEY is the key of a revoked principal and grants nothing: remove it from the configuration',
        );
        return;
      case BootstrapOutcome.KEY_IN_USE:
        return;
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

/**
 * Refuses to go on when migrations this code needs are not applied. Reads only (the
 * migrations table, to which the service's role has SELECT): unlike `showMigrations`, it
 * never creates that table, so it works for a role that may create nothing.
 */
export async function assertNoPendingMigrations(dataSource: DataSource): Promise<void> {
  const pending = await new MigrationExecutor(dataSource).getPendingMigrations();
  if (pending.length > 0) throw new PendingMigrationsError(pending.map((m) => m.name));
}
