import { INestApplication } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { createApp } from '../../src/bootstrap';
import { Clock } from '../../src/common/clock';
import { AppConfig, loadConfig } from '../../src/config/config';
import { JsonLogger } from '../../src/logging/json-logger';
import { createTestDatabase, TestDatabase } from './test-database';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdefghijklmnopqrstuv';

export interface GqlResponse<T = any> {
  status: number;
  data?: T;
  errors?: {
    message: string;
    path?: string[];
    extensions?: { code?: string; fields?: { field: string; message: string }[] };
  }[];
}

/** A running service on its own migrated database, with helpers to talk to it. */
export class TestApp {
  private constructor(
    readonly app: INestApplication,
    readonly db: TestDatabase,
    readonly config: AppConfig,
    /** Every log line the service wrote, for assertions on logging. */
    readonly logLines: string[],
  ) {}

  /** A service on a fresh database; with `clock`, on the day and instant the test sets. */
  static async start(
    env: Record<string, string> = {},
    clock?: Clock,
    /** Another instance on this database (the caller drops it), instead of a fresh one. */
    shared?: TestDatabase,
  ): Promise<TestApp> {
    const db = shared ?? (await createTestDatabase());
    const config = loadConfig({
      BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
      LOG_LEVEL: 'info',
      DB_POOL_SIZE: '5',
      // Each instance keeps its last signed checkpoint in a file of its own.
      AUDIT_CHECKPOINT_FILE: join(mkdtempSync(join(tmpdir(), 'registry-cp-')), 'checkpoint.json'),
      // Tests send hundreds of requests a second from one address; the fair-use tests
      // (test/e2e/fair-use.spec.ts) set the limits they exercise.
      RATE_LIMIT_ANONYMOUS: '0',
      RATE_LIMIT_AUTHENTICATED: '0',
      RATE_LIMIT_CONCURRENT_EXPENSIVE: '0',
      ...env,
      DATABASE_URL: db.url,
    });
    const lines: string[] = [];
    const logger = new JsonLogger(config.logLevel, (line) => lines.push(line));
    const app = await createApp(config, db.url, logger, clock);
    return new TestApp(app, db, config, lines);
  }

  get http() {
    return request(this.app.getHttpServer());
  }

  /** POSTs one GraphQL operation, with `key` as the bearer credential when given. */
  async gql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    key?: string,
    headers: Record<string, string> = {},
  ): Promise<GqlResponse<T>> {
    let req = this.http.post('/graphql').set('content-type', 'application/json');
    if (key) req = req.set('authorization', `Bearer ${key}`);
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
    const res = await req.send({ query, variables });
    const body = res.body as { data?: T; errors?: GqlResponse['errors'] };
    return { status: res.status, data: body.data, errors: body.errors };
  }

  /** Runs SQL directly on this app's database (as the superuser), for assertions and drills. */
  async sql<R = any>(text: string, params: unknown[] = []): Promise<R[]> {
    const client = new Client({ connectionString: this.db.url });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as R[];
    } finally {
      await client.end();
    }
  }

  async auditCount(): Promise<number> {
    const [row] = await this.sql<{ n: number }>('SELECT count(*)::int AS n FROM audit_event');
    return row.n;
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.db.drop();
  }
}

/** Asserts a GraphQL response failed with `code` and returns its first error. */
export function expectError(res: GqlResponse, code: string) {
  expect(res.errors?.map((e) => e.extensions?.code)).toEqual([code]);
  return res.errors![0];
}

export const REGISTER_COUNTRY = `mutation($input: RegisterHostCountryInput!) { registerHostCountry(input: $input) { code name ndc { title netZeroTargetYear } } }`;
export const UPSERT_SECTOR = `mutation($input: UpsertNdcSectorInput!) { upsertNdcSector(input: $input) { id code name ipccSector ipccCategories description } }`;
export const CREATE_PRINCIPAL = `mutation($input: CreatePrincipalInput!) { createPrincipal(input: $input) { apiKey principal { id name role hostCountry revokedAt } } }`;

/** Registers a country and returns nothing; fails the test if it did not work. */
export async function registerCountry(t: TestApp, code: string, name = code): Promise<void> {
  const res = await t.gql(
    REGISTER_COUNTRY,
    { input: { code, name, reason: 'test set-up' } },
    ADMIN_KEY,
  );
  expect(res.errors).toBeUndefined();
}

/** Creates a principal and returns its id and API key. */
export async function createPrincipal(
  t: TestApp,
  role: string,
  hostCountry?: string,
  name = `${role.toLowerCase()}-${hostCountry ?? 'global'}`,
) {
  const res = await t.gql(
    CREATE_PRINCIPAL,
    { input: { name, role, hostCountry, reason: 'test set-up' } },
    ADMIN_KEY,
  );
  expect(res.errors).toBeUndefined();
  return {
    id: res.data.createPrincipal.principal.id as string,
    key: res.data.createPrincipal.apiKey as string,
  };
}
