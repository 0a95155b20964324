import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AuditAction } from '../../src/audit/audit-action';
import { eventHash } from '../../src/audit/audit-event';
import { ChangeRunner, UnrecordedChangeError } from '../../src/audit/change-runner';
import { GENESIS_HASH } from '../../src/audit/merkle';
import { ADMIN_KEY, REGISTER_COUNTRY, TestApp, expectError } from '../support/test-app';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the one audited write path', () => {
  // One service; each test writes countries of its own (the rolled-back ones are never
  // registered by any test), and the test that forks the chain does it on a service of its own.
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('is the only code that opens transactions or writes through a bare repository', () => {
    const src = join(__dirname, '..', '..', 'src');
    const offenders = sourceFiles(src)
      .filter((file) => !file.endsWith(join('audit', 'change-runner.ts')))
      // Restoring a dump into an empty database is a database operation like a migration, and
      // so is granting the app role its privileges (no business data changes).
      .filter((file) => !file.endsWith(join('database', 'import-dump.ts')))
      .filter((file) => !file.endsWith(join('database', 'app-role.ts')))
      .filter((file) =>
        /\.transaction\(|startTransaction\(|['"`]\s*(BEGIN|START TRANSACTION)\s*;?\s*['"`]/i.test(
          readFileSync(file, 'utf8'),
        ),
      );
    expect(offenders.map((f) => f.slice(src.length + 1))).toEqual([]);
    // Repositories write only through the Change they are handed (change.manager): the
    // statement that makes each write call must start from it.
    const writes = sourceFiles(src)
      .filter((file) => file.endsWith('.repository.ts'))
      // Workspace sessions are not registry records (no audit event, by decision: README).
      .filter((file) => !file.endsWith(join('principals', 'console-sessions.repository.ts')))
      .flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        return [...text.matchAll(/\.(save|insert|update|delete|remove)\(/g)]
          .filter((m) => {
            const start = Math.max(text.lastIndexOf(';', m.index), text.lastIndexOf('{', m.index));
            return !text.slice(start, m.index).includes('change.manager');
          })
          .map((m) => `${file}: ${text.slice(m.index - 40, m.index + 10).replace(/\s+/g, ' ')}`);
      });
    expect(writes).toEqual([]);
  });

  it('writes raw SQL only in the audit log itself and the checkpoint store', () => {
    const src = join(__dirname, '..', '..', 'src');
    const writers = sourceFiles(src)
      .filter((file) =>
        /\b(INSERT INTO|UPDATE\s+\w+\s+SET|DELETE FROM)\b/.test(readFileSync(file, 'utf8')),
      )
      .map((f) => f.slice(src.length + 1))
      .sort();
    // audit-log.ts appends events inside the ChangeRunner's transaction; audit.repository.ts
    // stores checkpoints and audit-tree.repository.ts the Merkle tree's stored nodes, both
    // derived from the log (and checked against signed roots), not business changes.
    // webhooks.repository.ts writes the outbox and replays in the change's transaction
    // (change.manager), and outside any change only the dispatcher's bookkeeping of
    // deliveries (claims, attempts, their states), which is not a registry change: the
    // attempt log is its record.
    expect(writers).toEqual([
      join('audit', 'audit-log.ts'),
      join('audit', 'audit-tree.repository.ts'),
      join('audit', 'audit.repository.ts'),
      join('webhooks', 'webhooks.repository.ts'),
    ]);
  });

  it('refuses to commit a change that recorded no audit event, keeping nothing', async () => {
    const runner = t.app.get(ChangeRunner);
    await expect(
      runner.run(
        {
          actor: { principalId: null, name: 'test', role: 'SYSTEM', hostCountry: null },
          reason: 'r',
          requestId: null,
        },
        async (change) => {
          await change.manager.query(
            `INSERT INTO host_country (code, name) VALUES ('KEN', 'Kenya')`,
          );
        },
      ),
    ).rejects.toBeInstanceOf(UnrecordedChangeError);
    expect(await t.sql(`SELECT 1 FROM host_country WHERE code = 'KEN'`)).toHaveLength(0);
  });

  it('rolls back a change it was told changed nothing, even if it wrote', async () => {
    const runner = t.app.get(ChangeRunner);
    const result = await runner.run(
      {
        actor: { principalId: null, name: 'test', role: 'SYSTEM', hostCountry: null },
        reason: 'r',
        requestId: null,
      },
      async (change) => {
        await change.manager.query(
          `INSERT INTO host_country (code, name) VALUES ('UGA', 'Uganda')`,
        );
        change.unchanged();
        return 'done';
      },
    );
    expect(result).toBe('done');
    expect(await t.sql(`SELECT 1 FROM host_country WHERE code = 'UGA'`)).toHaveLength(0);
  });

  it('leaves no business change behind when the audit insert fails', async () => {
    await t.sql(
      `CREATE FUNCTION test_fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit storage failed'; END $$`,
    );
    await t.sql(
      `CREATE TRIGGER test_fail_audit BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION test_fail_audit()`,
    );
    try {
      const res = await t.gql(
        REGISTER_COUNTRY,
        { input: { code: 'THA', name: 'Thailand', reason: 'r' } },
        ADMIN_KEY,
      );
      expectError(res, 'INTERNAL_SERVER_ERROR');
      expect(await t.sql(`SELECT 1 FROM host_country WHERE code = 'THA'`)).toHaveLength(0);
    } finally {
      await t.sql(`DROP TRIGGER test_fail_audit ON audit_event`);
      await t.sql(`DROP FUNCTION test_fail_audit()`);
    }
    const again = await t.gql(
      REGISTER_COUNTRY,
      { input: { code: 'THA', name: 'Thailand', reason: 'r' } },
      ADMIN_KEY,
    );
    expect(again.errors).toBeUndefined();
  });

  it('chains every event to its predecessor with the hash docs/domain.md specifies', async () => {
    for (const code of ['GHA', 'SGP', 'CHE']) {
      await t.gql(
        REGISTER_COUNTRY,
        { input: { code, name: code, reason: `register ${code}` } },
        ADMIN_KEY,
      );
    }
    const rows = await t.sql(`SELECT * FROM audit_event ORDER BY seq`);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    let prev = GENESIS_HASH;
    for (const r of rows) {
      expect(r.prev_hash).toBe(prev);
      const recomputed = eventHash({
        seq: r.seq,
        occurredAt: new Date(r.occurred_at).toISOString(),
        actor: {
          principalId: r.actor_principal_id,
          name: r.actor_name,
          role: r.actor_role,
          hostCountry: r.actor_host_country,
        },
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        hostCountry: r.host_country,
        reason: r.reason,
        requestId: r.request_id,
        changes: r.changes,
        before: r.before,
        after: r.after,
        prevHash: r.prev_hash,
      });
      expect(r.hash).toBe(recomputed);
      prev = r.hash;
    }
  });

  it('keeps seq contiguous and the chain unforked under many concurrent writers', async () => {
    const codes = [
      'TZA',
      'NGA',
      'IND',
      'BRA',
      'CHL',
      'PER',
      'COL',
      'MAR',
      'SEN',
      'RWA',
      'VNM',
      'IDN',
      'PHL',
      'MEX',
      'ZAF',
      'EGY',
    ];
    const results = await Promise.all(
      codes.map((code) =>
        t.gql(REGISTER_COUNTRY, { input: { code, name: code, reason: 'parallel' } }, ADMIN_KEY),
      ),
    );
    expect(results.filter((r) => r.errors)).toEqual([]);
    const rows = await t.sql<{ seq: string; prev_hash: string; hash: string }>(
      `SELECT seq, prev_hash, hash FROM audit_event ORDER BY seq`,
    );
    rows.forEach((r, i) => {
      expect(Number(r.seq)).toBe(i + 1);
      if (i > 0) expect(r.prev_hash).toBe(rows[i - 1].hash);
    });
    const created = await t.sql(
      `SELECT count(*)::int AS n FROM audit_event WHERE reason = 'parallel' AND action = $1`,
      [AuditAction.CREATE],
    );
    expect(created[0].n).toBe(codes.length);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit rows at the database', async () => {
    await expect(
      t.sql(`UPDATE audit_event SET reason = 'rewritten' WHERE seq = 1`),
    ).rejects.toThrow(/append-only/);
    await expect(t.sql(`DELETE FROM audit_event WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(t.sql(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
    await expect(
      t.sql(`SET session_replication_role = replica; DELETE FROM audit_event WHERE seq = 1`),
    ).rejects.toThrow(/append-only/);
  });

  it('refuses changes to audit rows from an application role even when it holds the privileges', async () => {
    const role = `plr_app_${process.pid}_${Date.now()}`;
    await t.sql(`CREATE ROLE ${role} LOGIN PASSWORD 'app-password'`);
    try {
      await t.sql(`GRANT ALL ON audit_event TO ${role}`);
      const url = new URL(t.db.url);
      url.username = role;
      url.password = 'app-password';
      const { Client } = await import('pg');
      const app = new Client({ connectionString: url.toString() });
      await app.connect();
      try {
        await expect(
          app.query(`UPDATE audit_event SET reason = 'x' WHERE seq = 1`),
        ).rejects.toThrow(/append-only/);
        await expect(app.query(`DELETE FROM audit_event WHERE seq = 1`)).rejects.toThrow(
          /append-only/,
        );
        await expect(app.query(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
        await expect(app.query(`ALTER TABLE audit_event DISABLE TRIGGER ALL`)).rejects.toThrow(
          /must be owner/,
        );
      } finally {
        await app.end();
      }
    } finally {
      await t.sql(`REVOKE ALL ON audit_event FROM ${role}`);
      await t.sql(`DROP ROLE ${role}`);
    }
  });

  it('makes a writer that skips the lock fail loudly instead of forking the chain', async () => {
    // A service of its own: the first of the two writes leaves an event no hash chain accepts.
    const own = await TestApp.start();
    try {
      const ds = own.app.get(DataSource);
      const [head] = await ds.query(`SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1`);
      const fork = (hash: string) =>
        ds.query(
          `INSERT INTO audit_event (seq, occurred_at, actor_name, actor_role, action, entity_type, entity_id, changes, prev_hash, hash)
         VALUES ($1, now(), 'x', 'SYSTEM', 'CREATE', 'X', 'x', '[]', $2, $3)`,
          [Number(head.seq) + 1, head.hash, hash],
        );
      await fork('a'.repeat(64));
      await expect(fork('b'.repeat(64))).rejects.toThrow(/duplicate key/);
    } finally {
      await own.close();
    }
  });
});
