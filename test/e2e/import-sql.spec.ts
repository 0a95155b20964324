import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { seedDemo } from '../../src/cli/seed-demo';
import { gqlPost, startService } from '../support/service-process';
import { ADMIN_KEY, TestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');

/**
 * The way off an old embedded directory (README, "Moving from the PGlite engine"): a
 * `pg_dump --inserts` file loaded with `import-sql` into a fresh embedded directory keeps the
 * lists and a history that still verifies. The dump here comes from a PostgreSQL server;
 * the PGlite one is made the same way by pglite-tools' pg_dump.
 */
describe('import-sql: a registry dump into a fresh embedded directory', () => {
  const work = mkdtempSync(join(tmpdir(), 'plr-import-'));
  // As root, the server's own account must be able to pass through to DATA_DIR.
  chmodSync(work, 0o711);
  const dataDir = join(work, 'data');
  const dump = join(work, 'registry.sql');
  let source: TestApp;

  afterAll(async () => {
    await source?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const cli = (args: string[], into = dataDir) =>
    run(process.execPath, [CLI, ...args], {
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: into },
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it('loads everything in one go, and the service then serves it with a valid audit trail', async () => {
    source = await TestApp.start();
    await seedDemo(source.app, () => undefined);
    const { stdout } = await run('pg_dump', [
      '--inserts',
      '--no-owner',
      '--no-privileges',
      source.db.url,
    ]);
    writeFileSync(dump, stdout);

    const imported = await cli(['import-sql', dump]);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toMatch(/imported .*: \d+ audit events, 4 list versions/);

    const service = await startService({ DATA_DIR: dataDir });
    try {
      const res = await gqlPost(
        service.url,
        '{ hostCountries { code currentList { version entryCount } } verifyAuditTrail { valid eventsChecked } }',
        {},
        ADMIN_KEY,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data.hostCountries.map((c: { code: string }) => c.code)).toEqual([
        'GHA',
        'KEN',
        'THA',
      ]);
      expect(res.data.hostCountries[0].currentList).toEqual({ version: 1, entryCount: 7 });
      expect(res.data.verifyAuditTrail.valid).toBe(true);
      expect(res.data.verifyAuditTrail.eventsChecked).toBeGreaterThan(40);
    } finally {
      await service.stop();
    }
  });

  it('refuses a database that already has tables, and changes nothing', async () => {
    // A directory and a dump of its own: a registry (empty, freshly migrated) loaded once.
    const source = await createTestDatabase();
    const ownDump = join(work, 'empty-registry.sql');
    try {
      const { stdout } = await run('pg_dump', [
        '--inserts',
        '--no-owner',
        '--no-privileges',
        source.url,
      ]);
      writeFileSync(ownDump, stdout);
    } finally {
      await source.drop();
    }
    const ownDir = join(work, 'data-loaded-once');
    const first = await cli(['import-sql', ownDump], ownDir);
    expect(first).toMatchObject({ code: 0, stderr: '' });

    const again = await cli(['import-sql', ownDump], ownDir);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already has \d+ tables.*Nothing was changed/);
  });

  it('refuses a dump made with COPY blocks, saying how to make one it can load', async () => {
    const copyDump = join(work, 'copy.sql');
    writeFileSync(copyDump, 'COPY public.host_country (code, name) FROM stdin;\nGHA\tGhana\n\\.\n');
    const res = await cli(['import-sql', copyDump]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/pg_dump --inserts/);
  });
});
