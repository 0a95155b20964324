import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirLock } from './data-dir-lock';

/**
 * PostgreSQL compiled to WASM (PGlite), served on a loopback port to the ordinary `pg`
 * driver, so the service has exactly one database code path whether it runs embedded or
 * against a PostgreSQL server. Data lives in `<dataDir>/pgdata`.
 *
 * PGlite has a single session behind all connections: the socket server queues queries
 * and keeps a transaction's connection exclusive until it ends, so `maxConnections` only
 * needs to be at least the pool size (extra connections would be refused).
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    private readonly lock: DataDirLock,
    readonly url: string,
  ) {}

  static async start(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
    const lock = DataDirLock.acquire(dataDir);
    try {
      const pgdata = join(dataDir, 'pgdata');
      mkdirSync(pgdata, { recursive: true });
      const db = await PGlite.create(pgdata);
      const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
      await server.start();
      const [host, port] = server.getServerConn().split(':');
      return new EmbeddedPostgres(db, server, lock, `postgres://postgres@${host}:${port}/postgres`);
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  /** Stops accepting connections, flushes PGlite to disk and releases the directory. */
  async stop(): Promise<void> {
    try {
      await this.server.stop();
      await this.db.close();
    } finally {
      this.lock.release();
    }
  }
}
