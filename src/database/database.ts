import { AppConfig } from '../config/config';
import { EmbeddedPostgres } from './embedded-postgres';

/** Where the service's PostgreSQL is, and how to let go of it. */
export interface DatabaseEndpoint {
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Resolves the database to use: `DATABASE_URL` when set, otherwise the embedded PostgreSQL
 * under `DATA_DIR`, started here and stopped by `close()` after the pool has been closed.
 */
export async function openDatabase(config: AppConfig): Promise<DatabaseEndpoint> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, embedded: false, close: () => Promise.resolve() };
  }
  const embedded = await EmbeddedPostgres.start(config.dataDir, config.dbPoolSize + 2);
  return { url: embedded.url, embedded: true, close: () => embedded.stop() };
}
