import { AppConfig } from '../config/config';
import { EmbeddedPostgres, EmbeddedPostgresOptions } from './embedded-postgres';

/** Where the service's PostgreSQL is, and how to let go of it. */
export interface DatabaseEndpoint {
  url: string;
  embedded: boolean;
  /** The embedded server's process id (0 on DATABASE_URL). */
  serverPid: number;
  close(): Promise<void>;
}

/**
 * Resolves the database to use: `DATABASE_URL` when set, otherwise the embedded PostgreSQL
 * server under `DATA_DIR`, started here and stopped by `close()` after the pool has been
 * closed. Both are real PostgreSQL servers reached through the same driver and pool.
 */
export async function openDatabase(
  config: AppConfig,
  options: EmbeddedPostgresOptions = {},
): Promise<DatabaseEndpoint> {
  if (config.databaseUrl) {
    return {
      url: config.databaseUrl,
      embedded: false,
      serverPid: 0,
      close: () => Promise.resolve(),
    };
  }
  const embedded = await EmbeddedPostgres.start(config.dataDir, options);
  return {
    url: embedded.url,
    embedded: true,
    serverPid: embedded.serverPid,
    close: () => embedded.stop(),
  };
}
