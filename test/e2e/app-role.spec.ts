import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { MIGRATIONS } from '../../migrations';
import { CheckpointsService } from '../../src/audit/checkpoints.service';
import { APP_ROLE_PRIVILEGES, scramSha256Verifier } from '../../src/database/app-role';
import { newSigningKeyPem } from '../support/audit-fixtures';
import {
  ADD_ENTRY,
  CREATE_DRAFT,
  PUBLISH,
  SUBMIT,
  UPDATE_ENTRY,
  countryWithPeople,
  redListEntry,
  solarEntry,
  today,
} from '../support/list-fixtures';
import { onServer, quoteIdent, urlFor } from '../support/pg-admin';
import { ADMIN_KEY, GqlResponse, TestApp, UPSERT_SECTOR } from '../support/test-app';
import { TestDatabase } from '../support/test-database';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');
const AUDIT_TABLES = ['audit_event', 'audit_checkpoint', 'audit_tree_node'];

/** The URL of `database` as `role` with `password`. */
function urlAs(database: string, role: string, password: string): string {
  const url = new URL(urlFor(database));
  url.username = role;
  url.password = password;
  return url.toString();
}

/** Runs `sql` as the connection `url` logs in as; resolves to the SQLSTATE it fails with. */
async function sqlState(url: string, sql: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
    return 'succeeded';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end();
  }
}

/**
 * The deployment the compose file makes, on a fresh database: an owner role (not a superuser)
 * applies the migrations and grants the app role with the compiled CLI, as the `migrate`
 * service does; the service then runs as the app role with MIGRATIONS_RUN=false, does every
 * kind of write it has, and the app role cannot touch the audit trail or the schema.
 */
describe('the service as a database role that owns nothing', () => {
  const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const owner = `plr_owner_${suffix}`;
  const app = `plr_app_${suffix}`;
  const ownerPassword = randomBytes(18).toString('hex');
  const appPassword = randomBytes(18).toString('hex');
  // Named like the run's clones, so that global teardown drops it even if this file dies.
  const database = `${process.env.PLR_TEST_TEMPLATE}_c${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'plr-app-role-'));
  const secrets = { owner: join(dir, 'owner-password'), app: join(dir, 'app-password') };
  const ownerUrl = urlAs(database, owner, ownerPassword);
  const appUrl = () => urlAs(database, app, appPassword);
  const signingKeyPem = newSigningKeyPem();

  /** The owner step, as compose's `migrate` service runs it (password from a secret file). */
  const ownerStep = (command: string, extra: string[] = []) =>
    run(process.execPath, [CLI, command, '--role', app, ...extra], {
      env: {
        ...process.env,
        // The URL without a password, the password from its file: as in docker/compose.yaml.
        DATABASE_URL: urlAs(database, owner, ''),
        DATABASE_PASSWORD_FILE: secrets.owner,
      },
      timeout: 60_000,
    });

  let t: TestApp;
  /** Starts the service as the app role, as compose's `registry` service does. */
  const startAsApp = (env: Record<string, string> = {}) => {
    const db: TestDatabase = { name: database, url: appUrl(), drop: () => Promise.resolve() };
    return TestApp.start(
      {
        MIGRATIONS_RUN: 'false',
        AUDIT_SIGNING_KEY: signingKeyPem,
        AUDIT_CHECKPOINT_INTERVAL_SECONDS: '0',
        ...env,
      },
      undefined,
      db,
    );
  };

  beforeAll(async () => {
    writeFileSync(secrets.owner, `${ownerPassword}\n`, { mode: 0o600 });
    writeFileSync(secrets.app, `${appPassword}\n`, { mode: 0o600 });
    await onServer(async (c) => {
      await c.query(`CREATE ROLE ${owner} LOGIN CREATEROLE PASSWORD '${ownerPassword}'`);
      await c.query(`CREATE DATABASE ${quoteIdent(database)} OWNER ${owner}`);
    });
    const { stdout } = await ownerStep('migrate-and-grant', ['--password-file', secrets.app]);
    expect(stdout).toContain(`created role ${app} (password set): owns nothing`);
    expect(stdout).toContain('audit_event: SELECT, INSERT');
    t = await startAsApp();
  });

  afterAll(async () => {
    await t?.app.close();
    await onServer(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
      await c.query(`DROP ROLE IF EXISTS ${app}`);
      await c.query(`DROP ROLE IF EXISTS ${owner}`);
    });
    rmSync(dir, { recursive: true, force: true });
  });

  const ok = async (res: Promise<GqlResponse>) => {
    const answer = await res;
    if (answer.errors) throw new Error(JSON.stringify(answer.errors));
    return answer.data;
  };

  it('serves every kind of write the service has, as the app role', async () => {
    expect((await ok(t.gql('{ me { name role } }', {}, ADMIN_KEY))).me).toEqual({
      name: 'admin',
      role: 'ADMIN',
    });
    const people = await countryWithPeople(t, 'GHA');
    // A sector updated (an UPDATE of ndc_sector), not only inserted.
    await ok(
      t.gql(
        UPSERT_SECTOR,
        {
          input: {
            hostCountry: 'GHA',
            code: 'ENERGY',
            name: 'Energy and power',
            ipccSector: 'ENERGY',
            ipccCategories: ['1.A.1', '1.A.2'],
            reason: 'renamed',
          },
        },
        ADMIN_KEY,
      ),
    );
    const asOfficial = (query: string, variables: Record<string, unknown>) =>
      ok(t.gql(query, variables, people.official.key));
    const asApprover = (query: string, variables: Record<string, unknown>) =>
      ok(t.gql(query, variables, people.approver.key));

    // Version 1: two entries, one edited (its sector links replaced), one removed, published.
    const v1 = (
      await asOfficial(CREATE_DRAFT, {
        input: { hostCountry: 'GHA', title: 'Whitelist 2026', reason: 'first list' },
      })
    ).createDraft.id as string;
    const solar = (
      await asOfficial(ADD_ENTRY, {
        input: { listVersionId: v1, entry: solarEntry(), reason: 'a' },
      })
    ).addEntry.id as string;
    const red = (
      await asOfficial(ADD_ENTRY, {
        input: { listVersionId: v1, entry: redListEntry(), reason: 'b' },
      })
    ).addEntry.id as string;
    await asOfficial(UPDATE_ENTRY, {
      input: {
        entryId: solar,
        expectedRevision: 1,
        entry: solarEntry({ sectorCodes: ['ENERGY', 'WASTE'] }),
        reason: 'also waste',
      },
    });
    await asOfficial('mutation($input: RemoveEntryInput!) { removeEntry(input: $input) { id } }', {
      input: { entryId: red, reason: 'not needed' },
    });
    await asOfficial(SUBMIT, { input: { listVersionId: v1, reason: 'ready' } });
    const published = await asApprover(PUBLISH, {
      input: { listVersionId: v1, effectiveFrom: today(), reason: 'approved' },
    });
    expect(published.publish.status).toBe('PUBLISHED');

    // Version 2 drafted from it and discarded; a principal revoked; version 1 withdrawn.
    const v2 = (
      await asOfficial(CREATE_DRAFT, {
        input: { hostCountry: 'GHA', title: 'Whitelist 2027', reason: 'review' },
      })
    ).createDraft.id as string;
    await asOfficial(
      'mutation($input: ListTransitionInput!) { discardDraft(input: $input) { status } }',
      { input: { listVersionId: v2, reason: 'not now' } },
    );
    const auditor = await ok(
      t.gql(
        'mutation($input: CreatePrincipalInput!) { createPrincipal(input: $input) { principal { id } } }',
        { input: { name: 'Auditor', role: 'AUDITOR', reason: 'audit' } },
        ADMIN_KEY,
      ),
    );
    await ok(
      t.gql(
        'mutation($input: RevokePrincipalInput!) { revokePrincipal(input: $input) { revokedAt } }',
        { input: { principalId: auditor.createPrincipal.principal.id, reason: 'done' } },
        ADMIN_KEY,
      ),
    );
    const eligible = await ok(
      t.gql(
        '{ checkEligibility(query: { hostCountry: "GHA", activityKey: "GHA-SOLAR-UTILITY", parameters: [{ name: "capacityMW", number: 20 }] }) { status } }',
      ),
    );
    expect(eligible.checkEligibility.status).toBe('ELIGIBLE');
    await asApprover(
      'mutation($input: ListTransitionInput!) { withdraw(input: $input) { status } }',
      { input: { listVersionId: v1, reason: 'replaced by law' } },
    );

    // A signed checkpoint (audit_checkpoint and audit_tree_node inserts), a proof read from
    // the stored tree, and the whole trail verified.
    const checkpoint = await t.app.get(CheckpointsService).checkpoint();
    expect(checkpoint?.treeSize).toBeGreaterThanOrEqual(16);
    const [{ nodes }] = await t.sql<{ nodes: number }>(
      'SELECT count(*)::int AS nodes FROM audit_tree_node',
    );
    expect(nodes).toBeGreaterThan(0);
    const proof = await ok(
      t.gql('query($s: Int!) { auditInclusionProof(seq: 3, treeSize: $s) { hashes } }', {
        s: checkpoint!.treeSize,
      }),
    );
    expect(proof.auditInclusionProof.hashes.length).toBeGreaterThan(0);
    const verified = await ok(
      t.gql('{ verifyAuditTrail { valid eventsChecked message } }', {}, ADMIN_KEY),
    );
    expect(verified.verifyAuditTrail).toMatchObject({ valid: true });
  });

  it('holds exactly the declared privileges and owns nothing', async () => {
    const grants = await t.sql<{ table_name: string; privilege_type: string }>(
      `SELECT table_name, privilege_type FROM information_schema.role_table_grants
        WHERE grantee = $1 ORDER BY table_name, privilege_type`,
      [app],
    );
    const held: Record<string, string[]> = {};
    for (const g of grants) (held[g.table_name] ??= []).push(g.privilege_type);
    const declared = Object.fromEntries(
      Object.entries(APP_ROLE_PRIVILEGES).map(([table, p]) => [table, [...p].sort()]),
    );
    expect(held).toEqual(declared);
    const [{ owned }] = await t.sql<{ owned: number }>(
      `SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid)
            + (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid)
            + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid) AS owned
         FROM pg_roles r WHERE rolname = current_user`,
    );
    expect(Number(owned)).toBe(0);
  });

  it('cannot switch off, rewrite or empty the audit tables', async () => {
    for (const table of [...AUDIT_TABLES, 'positive_list_version', 'activity_entry']) {
      // 42501 insufficient_privilege: "must be owner of table".
      expect([table, await sqlState(appUrl(), `ALTER TABLE ${table} DISABLE TRIGGER ALL`)]).toEqual(
        [table, '42501'],
      );
    }
    const aKey: Record<string, string> = {
      audit_event: 'seq',
      audit_checkpoint: 'tree_size',
      audit_tree_node: 'idx',
    };
    for (const table of AUDIT_TABLES) {
      for (const sql of [
        `UPDATE ${table} SET ${aKey[table]} = ${aKey[table]}`,
        `DELETE FROM ${table}`,
        `TRUNCATE ${table}`,
      ]) {
        expect([sql, await sqlState(appUrl(), sql)]).toEqual([sql, '42501']);
      }
    }
    // Nor can it leave the triggers' reach through replication mode (a superuser setting).
    expect(await sqlState(appUrl(), 'SET session_replication_role = replica')).toBe('42501');
    const [{ n }] = await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM audit_event');
    expect(n).toBeGreaterThan(0);
  });

  it('cannot drop any table, create one, or do what the service never does', async () => {
    for (const table of Object.keys(APP_ROLE_PRIVILEGES)) {
      expect([table, await sqlState(appUrl(), `DROP TABLE ${table} CASCADE`)]).toEqual([
        table,
        '42501',
      ]);
    }
    expect(await sqlState(appUrl(), 'CREATE TABLE forged (x int)')).toBe('42501');
    expect(await sqlState(appUrl(), 'CREATE TABLE public.forged (x int)')).toBe('42501');
    expect(await sqlState(appUrl(), 'DELETE FROM principal')).toBe('42501');
    expect(await sqlState(appUrl(), 'DELETE FROM positive_list_version')).toBe('42501');
    expect(await sqlState(appUrl(), `UPDATE ipcc_category SET name = 'x'`)).toBe('42501');
    expect(
      await sqlState(appUrl(), `INSERT INTO schema_migrations (timestamp, name) VALUES (1, 'x')`),
    ).toBe('42501');
    expect(await sqlState(appUrl(), `ALTER ROLE ${app} SUPERUSER`)).toBe('42501');
  });

  it('stores the password as PostgreSQL itself would, never in clear', async () => {
    const probe = `plr_probe_${suffix}`;
    const rows = await onServer(async (c) => {
      await c.query(`CREATE ROLE ${probe} PASSWORD 'probe-password-0123456789'`);
      try {
        return (
          await c.query<{ rolname: string; rolpassword: string }>(
            'SELECT rolname, rolpassword FROM pg_authid WHERE rolname = ANY($1)',
            [[probe, app]],
          )
        ).rows;
      } finally {
        await c.query(`DROP ROLE ${probe}`);
      }
    });
    const stored = (role: string) => rows.find((r) => r.rolname === role)!.rolpassword;
    /** Our verifier for `password` with the salt and iterations of `verifier`. */
    const recomputed = (verifier: string, password: string) => {
      const [, params] = verifier.split('$');
      const [iterations, salt] = params.split(':');
      return scramSha256Verifier(password, Buffer.from(salt, 'base64'), Number(iterations));
    };
    // The server's own SCRAM for a password it hashed itself equals ours with its salt.
    expect(recomputed(stored(probe), 'probe-password-0123456789')).toBe(stored(probe));
    expect(stored(app)).toMatch(/^SCRAM-SHA-256\$4096:/);
    expect(recomputed(stored(app), appPassword)).toBe(stored(app));
  });

  it('grants again idempotently, and refuses a table it does not know or a powerful role', async () => {
    const { stdout } = await ownerStep('grant-app-role');
    expect(stdout).toContain(`updated role ${app}: owns nothing`);
    expect((await t.gql('{ hostCountries { code } }')).data.hostCountries).toEqual([
      { code: 'GHA' },
    ]);

    // A table a migration would add without saying what the service does to it.
    expect(await sqlState(ownerUrl, 'CREATE TABLE undeclared (x int)')).toBe('succeeded');
    await expect(ownerStep('grant-app-role')).rejects.toMatchObject({
      stderr: expect.stringContaining('tables APP_ROLE_PRIVILEGES does not list (undeclared)'),
    });
    expect(await sqlState(ownerUrl, 'DROP TABLE undeclared')).toBe('succeeded');

    // The owner itself, or a role that can create roles, is no role for the service.
    const powerful = `plr_powerful_${suffix}`;
    await onServer((c) => c.query(`CREATE ROLE ${powerful} LOGIN CREATEROLE`));
    try {
      await expect(
        run(process.execPath, [CLI, 'grant-app-role', '--role', powerful], {
          env: { ...process.env, DATABASE_URL: ownerUrl },
        }),
      ).rejects.toMatchObject({ stderr: expect.stringContaining('exists with CREATEROLE') });
      await expect(
        run(process.execPath, [CLI, 'grant-app-role', '--role', owner], {
          env: { ...process.env, DATABASE_URL: ownerUrl },
        }),
      ).rejects.toMatchObject({
        stderr: expect.stringContaining('the service needs a role of its own'),
      });
    } finally {
      await onServer((c) => c.query(`DROP ROLE ${powerful}`));
    }
  });

  it('refuses to start on a schema older than the code, and cannot migrate it itself', async () => {
    // The owner reverts the newest migration: the app role's service must not run on that.
    await run(process.execPath, [CLI, 'migration:revert'], {
      env: { ...process.env, DATABASE_URL: ownerUrl },
    });
    const newest = MIGRATIONS[MIGRATIONS.length - 1].name;
    await expect(startAsApp()).rejects.toThrow(
      new RegExp(
        `lacks 1 migration\\(s\\) this version needs \\(${newest}\\), and MIGRATIONS_RUN=false`,
      ),
    );
    // With MIGRATIONS_RUN=true it tries, and PostgreSQL refuses the role: it may create nothing.
    await expect(startAsApp({ MIGRATIONS_RUN: 'true' })).rejects.toMatchObject({ code: '42501' });
    // The owner step puts it right, and the service starts again.
    await ownerStep('migrate-and-grant');
    const again = await startAsApp();
    await again.app.close();
  });
});
