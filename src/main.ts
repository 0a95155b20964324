import 'reflect-metadata';
import { createApp } from './bootstrap';
import { ConfigError, loadConfig } from './config/config';
import { openDatabase } from './database/database';
import { DataDirLockedError } from './database/data-dir-lock';
import { EmbeddedPostgresError } from './database/embedded-postgres';
import { PendingMigrationsError } from './database/startup-tasks';
import { BootstrapKeyRefusedError } from './principals/principals.service';
import { JsonLogger } from './logging/json-logger';
import { Lifecycle } from './health/lifecycle';

async function main(): Promise<void> {
  const startedAt = Date.now();
  const config = loadConfig();
  const logger = new JsonLogger(config.logLevel);
  const database = await openDatabase(config, {
    onEvent: (message, detail) => logger.emit('warn', message, detail),
  });
  logger.emit('info', database.embedded ? 'embedded PostgreSQL started' : 'using DATABASE_URL', {
    ...(database.embedded ? { dataDir: config.dataDir, serverPid: database.serverPid } : {}),
  });

  let app;
  try {
    app = await createApp(config, database.url, logger);
    await app.listen(config.port, config.host);
  } catch (error) {
    await app?.close().catch(() => undefined);
    await database.close();
    throw error;
  }
  const url = await app.getUrl();
  logger.emit('info', 'listening', {
    graphql: `${url.replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost')}/graphql`,
    startupMs: Date.now() - startedAt,
    database: database.embedded ? 'embedded' : 'server',
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.emit('info', 'shutting down', { signal });
    // First drain: keep serving what arrives while /health says 503 so that load balancers
    // stop routing here. Then close: the HTTP server stops accepting, in-flight requests
    // finish, the last checkpoint is signed, the pool closes, and the embedded server
    // shuts down and the directory is released.
    const force = setTimeout(() => {
      logger.emit('error', 'shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    app.get(Lifecycle).startDraining();
    new Promise((resolve) => setTimeout(resolve, config.shutdownDrainMs))
      .then(() => app.close())
      .then(() => database.close())
      .then(() => {
        logger.emit('info', 'stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.emit('error', 'shutdown failed', { error: String(error) });
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError ||
    error instanceof DataDirLockedError ||
    error instanceof EmbeddedPostgresError ||
    error instanceof PendingMigrationsError ||
    error instanceof BootstrapKeyRefusedError
      ? error.message
      : `Failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  process.stderr.write(message + '\n');
  process.exit(1);
});
