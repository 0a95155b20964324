import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig } from '../config/config';
import { CoreModule } from '../core.module';
import { DatabaseEndpoint, openDatabase } from '../database/database';
import { JsonLogger } from '../logging/json-logger';

/** Runs `work` on the configured database (embedded or DATABASE_URL), closing it after. */
export async function withDatabase<T>(
  config: AppConfig,
  work: (database: DatabaseEndpoint) => Promise<T>,
): Promise<T> {
  const database = await openDatabase(config);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

/**
 * Runs `work` with the domain booted as the service boots it (migrations, the audited write
 * path, every feature) but without HTTP: the CLI's way to change the registry.
 */
export function withDomain<T>(
  config: AppConfig,
  work: (app: INestApplicationContext) => Promise<T>,
): Promise<T> {
  return withDatabase(config, async (database) => {
    const app = await NestFactory.createApplicationContext(
      CoreModule.forRoot(config, database.url, new JsonLogger('warn')),
      { logger: false, abortOnError: false },
    );
    try {
      return await work(app);
    } finally {
      await app.close();
    }
  });
}
