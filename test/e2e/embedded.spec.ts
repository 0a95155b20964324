import { INestApplication } from '@nestjs/common';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { Client } from 'pg';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { openDatabase, DatabaseEndpoint } from '../../src/database/database';
import { DataDirLockedError } from '../../src/database/data-dir-lock';
import { EmbeddedPostgresError, locateBinaries } from '../../src/database/embedded-postgres';
import { JsonLogger } from '../../src/logging/json-logger';
import { ADMIN_KEY } from '../support/test-app';

/** The service in embedded mode on `dataDir`, which a test starts, stops and starts again. */
function embeddedService(dataDir: string) {
  const config = loadConfig({
    DATA_DIR: dataDir,
    BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
    DB_POOL_SIZE: '4',
  });
  const service = {
    config,
    database: undefined as DatabaseEndpoint | undefined,
    app: undefined as INestApplication | undefined,
    async start() {
      service.database = await openDatabase(config);
      service.app = await createApp(config, service.database.url, new JsonLogger('error'));
    },
    async stop() {
      await service.app?.close();
      await service.database?.close();
      service.app = undefined;
      service.database = undefined;
    },
    gql: (query: string, variables: object = {}) =>
      request(service.app!.getHttpServer())
        .post('/graphql')
        .set('content-type', 'application/json')
        .set('authorization', `Bearer ${ADMIN_KEY}`)
        .send({ query, variables }),
  };
  return service;
}

/** The smoke part of the suite on the embedded PostgreSQL server: same app, same migrations. */
describe('embedded PostgreSQL (no DATABASE_URL)', () => {
  // One server, started on a fresh directory before the tests; each test writes countries of
  // its own. The restart test stops and starts its server, so it has a directory of its own.
  const dataDir = mkdtempSync(join(tmpdir(), 'plr-embedded-'));
  const service = embeddedService(dataDir);
  const { config, gql } = service;

  beforeAll(() => service.start());
  afterAll(async () => {
    await service.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on a fresh directory, migrates and serves GraphQL', async () => {
    const { database, app } = service;
    expect(database!.embedded).toBe(true);
    const res = await gql(
      'mutation { registerHostCountry(input: { code: "GHA", name: "Ghana", reason: "embedded smoke" }) { code } }',
    );
    expect(res.body.errors).toBeUndefined();
    expect((await request(app!.getHttpServer()).get('/health')).status).toBe(200);
  });

  it('handles concurrent audited writes without losing any', async () => {
    const before = (await gql('{ hostCountries { code } }')).body.data.hostCountries.length;
    const codes = ['KEN', 'NGA', 'SEN', 'RWA', 'THA', 'VNM', 'IDN', 'PER'];
    const results = await Promise.all(
      codes.map((code) =>
        gql('mutation($i: RegisterHostCountryInput!) { registerHostCountry(input: $i) { code } }', {
          i: { code, name: code, reason: 'parallel' },
        }),
      ),
    );
    expect(results.map((r) => r.body.errors)).toEqual(codes.map(() => undefined));
    const list = await gql('{ hostCountries { code } }');
    expect(list.body.data.hostCountries).toHaveLength(before + codes.length);
  });

  it('refuses a second opener of the same directory while it runs', async () => {
    await expect(openDatabase(config)).rejects.toBeInstanceOf(DataDirLockedError);
    await expect(openDatabase(config)).rejects.toThrow(
      /in use by process .* stop that process first/,
    );
  });

  it('keeps its files to itself: nothing world-readable, the password and key 0600, the key outside the cluster', () => {
    const worldReadable = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
        const path = join(dir, d.name);
        const mode = lstatSync(path).mode;
        const own = (mode & 0o006) !== 0 && !d.isSymbolicLink() ? [path] : [];
        return d.isDirectory() ? [...own, ...worldReadable(path)] : own;
      });
    expect(worldReadable(dataDir)).toEqual([]);
    expect(statSync(dataDir).mode & 0o077).toBe(process.getuid?.() === 0 ? 0o011 : 0);
    expect(statSync(join(dataDir, 'postgres.password')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'postgres')).mode & 0o777).toBe(0o700);
    const keyFile = config.audit.signingKeyFile!;
    expect(keyFile).toBe(join(dataDir, 'keys', 'audit-signing-key.pem'));
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'keys')).mode & 0o777).toBe(0o700);
    if (process.getuid?.() === 0) {
      // The server runs unprivileged and owns its cluster, not the key or the password.
      expect(statSync(join(dataDir, 'postgres')).uid).not.toBe(0);
      expect(statSync(keyFile).uid).toBe(0);
    }
  });

  it('listens on 127.0.0.1 only, with a password, and no unix socket', async () => {
    const { database } = service;
    const url = new URL(database!.url);
    expect(url.hostname).toBe('127.0.0.1');
    const withoutPassword = new Client({
      host: '127.0.0.1',
      port: Number(url.port),
      user: 'postgres',
      password: 'wrong',
      database: 'postgres',
    });
    await expect(withoutPassword.connect()).rejects.toThrow(/password authentication failed/);
    const client = new Client({ connectionString: database!.url });
    await client.connect();
    const { rows } = await client.query(
      "SELECT current_setting('listen_addresses') AS listen, current_setting('unix_socket_directories') AS sockets, current_setting('server_version_num')::int AS version",
    );
    await client.end();
    expect(rows[0]).toMatchObject({ listen: '127.0.0.1', sockets: '' });
    expect(rows[0].version).toBeGreaterThanOrEqual(180000);
  });

  it('keeps its data across a restart, and signs a checkpoint at shutdown with a key it keeps', async () => {
    const ownDir = mkdtempSync(join(tmpdir(), 'plr-embedded-restart-'));
    const own = embeddedService(ownDir);
    try {
      await own.start();
      const setUp = await own.gql(
        'mutation { registerHostCountry(input: { code: "GHA", name: "Ghana", reason: "before restart" }) { code } }',
      );
      expect(setUp.body.errors).toBeUndefined();
      expect(
        (await own.gql('{ auditCheckpoint { treeSize } }')).body.data.auditCheckpoint,
      ).toBeNull();
      await own.stop();
      await own.start();
      const res = await own.gql(
        '{ hostCountry(code: "GHA") { name } me { name } auditCheckpoint { treeSize keyId } }',
      );
      expect(res.body.data).toMatchObject({
        hostCountry: { name: 'Ghana' },
        me: { name: 'admin' },
      });
      expect(res.body.data.auditCheckpoint.treeSize).toBe(2); // bootstrap admin + 1 country
      const keyId = res.body.data.auditCheckpoint.keyId;
      await own.gql(
        'mutation { registerHostCountry(input: { code: "CHL", name: "Chile", reason: "after restart" }) { code } }',
      );
      await own.stop();
      await own.start();
      const again = await own.gql(
        '{ auditCheckpoint { treeSize keyId } verifyAuditTrail { valid message } }',
      );
      expect(again.body.data.auditCheckpoint).toEqual({ treeSize: 3, keyId });
      expect(again.body.data.verifyAuditTrail.valid).toBe(true);
    } finally {
      await own.stop();
      rmSync(ownDir, { recursive: true, force: true });
    }
  });
});

describe('the whole list workflow on the embedded PostgreSQL server', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'plr-embedded-lists-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
    DB_POOL_SIZE: '4',
  });
  let database: DatabaseEndpoint | undefined;
  let app: INestApplication | undefined;

  afterAll(async () => {
    await app?.close();
    await database?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loads the demo data (countries, principals, drafts, entries, submissions, publications) without deadlock', async () => {
    database = await openDatabase(config);
    app = await createApp(config, database.url, new JsonLogger('error'));
    const { seedDemo } = await import('../../src/cli/seed-demo');
    const result = await seedDemo(app, () => undefined);
    expect(result.loaded).toEqual(['GHA', 'THA', 'KEN']);
    const res = await request(app.getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${ADMIN_KEY}`)
      .send({
        query:
          '{ hostCountry(code: "GHA") { currentList { version entryCount } listVersions { version } } verifyAuditTrail { valid } }',
      });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.hostCountry.currentList.version).toBe(1);
    expect(
      res.body.data.hostCountry.listVersions.map((v: { version: number }) => v.version),
    ).toEqual([2, 1]);
    expect(res.body.data.verifyAuditTrail.valid).toBe(true);
  });
});

describe('embedded PostgreSQL: what it refuses, and says why', () => {
  it('a DATA_DIR of the earlier PGlite engine is refused, and nothing in it is touched', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'plr-legacy-'));
    try {
      mkdirSync(join(dataDir, 'pgdata'));
      writeFileSync(join(dataDir, 'pgdata', 'PG_VERSION'), '17\n');
      const config = loadConfig({ DATA_DIR: dataDir });
      const error = await openDatabase(config).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EmbeddedPostgresError);
      expect((error as Error).message).toMatch(
        /earlier embedded engine \(PGlite\).*Nothing was changed/,
      );
      expect(readdirSync(dataDir).sort()).toEqual(['pgdata']);
      expect(readdirSync(join(dataDir, 'pgdata'))).toEqual(['PG_VERSION']);
      // The directory is free again for whoever fixes it.
      await expect(openDatabase(config)).rejects.toBeInstanceOf(EmbeddedPostgresError);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a platform without binaries is told to set DATABASE_URL', () => {
    expect(() => locateBinaries('sunos', 'x64')).toThrow(
      /No embedded PostgreSQL for sunos-x64.*set DATABASE_URL/,
    );
    expect(() => locateBinaries('win32', 'arm64')).toThrow(/set DATABASE_URL/);
  });

  it('this platform has its binaries', () => {
    const binaries = locateBinaries();
    for (const path of Object.values(binaries)) expect(statSync(path).isFile()).toBe(true);
  });
});
