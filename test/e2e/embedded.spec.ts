import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { openDatabase, DatabaseEndpoint } from '../../src/database/database';
import { DataDirLockedError } from '../../src/database/data-dir-lock';
import { JsonLogger } from '../../src/logging/json-logger';
import { ADMIN_KEY } from '../support/test-app';

/** The smoke part of the suite on the embedded engine (PGlite): same app, same migrations. */
describe('embedded PostgreSQL (no DATABASE_URL)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'plr-embedded-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
    DB_POOL_SIZE: '4',
  });
  let database: DatabaseEndpoint | undefined;
  let app: INestApplication | undefined;

  const start = async () => {
    database = await openDatabase(config);
    app = await createApp(config, database.url, new JsonLogger('error'));
  };
  const stop = async () => {
    await app?.close();
    await database?.close();
    app = undefined;
    database = undefined;
  };
  const gql = (query: string, variables: object = {}) =>
    request(app!.getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${ADMIN_KEY}`)
      .send({ query, variables });

  afterAll(async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on a fresh directory, migrates and serves GraphQL', async () => {
    await start();
    expect(database!.embedded).toBe(true);
    const res = await gql(
      'mutation { registerHostCountry(input: { code: "GHA", name: "Ghana", reason: "embedded smoke" }) { code } }',
    );
    expect(res.body.errors).toBeUndefined();
    expect((await request(app!.getHttpServer()).get('/health')).status).toBe(200);
  });

  it('handles concurrent audited writes without losing any', async () => {
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
    expect(list.body.data.hostCountries).toHaveLength(codes.length + 1);
  });

  it('refuses a second opener of the same directory while it runs', async () => {
    await expect(openDatabase(config)).rejects.toBeInstanceOf(DataDirLockedError);
    await expect(openDatabase(config)).rejects.toThrow(
      /in use by process .* stop that process first/,
    );
  });

  it('keeps its data across a restart, and signs a checkpoint at shutdown with a key it keeps', async () => {
    expect((await gql('{ auditCheckpoint { treeSize } }')).body.data.auditCheckpoint).toBeNull();
    await stop();
    await start();
    const res = await gql(
      '{ hostCountry(code: "GHA") { name } me { name } auditCheckpoint { treeSize keyId } }',
    );
    expect(res.body.data).toMatchObject({ hostCountry: { name: 'Ghana' }, me: { name: 'admin' } });
    expect(res.body.data.auditCheckpoint.treeSize).toBe(10); // bootstrap admin + 9 countries
    const keyId = res.body.data.auditCheckpoint.keyId;
    await gql(
      'mutation { registerHostCountry(input: { code: "CHL", name: "Chile", reason: "after restart" }) { code } }',
    );
    await stop();
    await start();
    const again = await gql(
      '{ auditCheckpoint { treeSize keyId } verifyAuditTrail { valid message } }',
    );
    expect(again.body.data.auditCheckpoint).toEqual({ treeSize: 11, keyId });
    expect(again.body.data.verifyAuditTrail.valid).toBe(true);
  });
});

describe('the whole list workflow on the embedded engine (one session behind all connections)', () => {
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
    expect(result.alreadyLoaded).toBe(false);
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
