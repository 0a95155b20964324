import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createDataSource } from '../../src/database/data-source';
import { pendingSchemaChanges } from '../../src/database/migrations-tool';
import { migrate } from '../../src/database/startup-tasks';
import { MIGRATIONS } from '../../migrations';
import { createTestDatabase } from '../support/test-database';

describe('migrations', () => {
  it('produce exactly the schema the entities describe (nothing left to generate)', async () => {
    const db = await createTestDatabase();
    const dataSource = createDataSource(db.url, 2);
    await dataSource.initialize();
    try {
      expect(await pendingSchemaChanges(dataSource)).toEqual({ up: [], down: [] });
    } finally {
      await dataSource.destroy();
      await db.drop();
    }
  });

  it('are all listed in migrations/index.ts', () => {
    const files = readdirSync(join(__dirname, '..', '..', 'migrations')).filter((f) =>
      /^\d+-\w+\.ts$/.test(f),
    );
    expect(MIGRATIONS).toHaveLength(files.length);
  });

  it('revert cleanly and apply again, concurrently from two instances without conflict', async () => {
    const db = await createTestDatabase();
    const a = createDataSource(db.url, 2);
    const b = createDataSource(db.url, 2);
    await Promise.all([a.initialize(), b.initialize()]);
    try {
      for (let i = 0; i < MIGRATIONS.length; i++)
        await a.undoLastMigration({ transaction: 'each' });
      const [{ n }] = await a.query(
        `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`,
      );
      expect(n).toBe(0);
      await Promise.all([migrate(a), migrate(b)]);
      const [{ count }] = await a.query(`SELECT count(*)::int AS count FROM ipcc_category`);
      expect(count).toBe(289);
      expect(await pendingSchemaChanges(a)).toEqual({ up: [], down: [] });
    } finally {
      await Promise.all([a.destroy(), b.destroy()]);
      await db.drop();
    }
  });

  it('never switch synchronize on', () => {
    const source = readFileSync(
      join(__dirname, '..', '..', 'src', 'database', 'data-source.ts'),
      'utf8',
    );
    expect(source).toMatch(/synchronize: false/);
    expect(createDataSource('postgres://x@127.0.0.1/x', 2).options.synchronize).toBe(false);
  });
});
