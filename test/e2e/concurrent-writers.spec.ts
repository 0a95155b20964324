import { ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../../src/audit/audit-log';
import { ChainVerdict, ChainVerifier } from '../../src/audit/chain-verifier';
import { ChangeRunner } from '../../src/audit/change-runner';
import { toEventView } from '../../src/audit/audit-event-row';
import { AuditAction } from '../../src/audit/audit-action';
import { createDataSource } from '../../src/database/data-source';
import { ADMIN_KEY } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { Client } from 'pg';

/** Verifies the stored log with the same checks as verifyAuditTrail, reading rows directly. */
async function chainOf(url: string): Promise<{ verdict: ChainVerdict; rows: number }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT * FROM audit_event ORDER BY seq, hash');
    const verifier = new ChainVerifier();
    for (const row of rows) if (!verifier.check(toEventView(row))) break;
    return { verdict: verifier.verdict(), rows: rows.length };
  } finally {
    await client.end();
  }
}

interface Instance {
  child: ChildProcess;
  url: string;
  /** Every JSON log line it wrote so far. */
  log: { msg: string }[];
}

/** Starts the compiled service as its own process and resolves with its GraphQL URL. */
function startInstance(databaseUrl: string, env: Record<string, string> = {}): Promise<Instance> {
  const child = spawn(process.execPath, [join(__dirname, '..', '..', 'dist', 'src', 'main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
      LOG_LEVEL: 'info',
      DB_POOL_SIZE: '8',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const log: Instance['log'] = [];
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const entry = JSON.parse(line) as { msg: string; graphql?: string };
      log.push(entry);
      if (entry.msg === 'listening') resolve({ child, url: entry.graphql!, log });
    });
    child.on('exit', (code) => reject(new Error(`instance exited with ${code}`)));
  });
}

/** Polls `condition` every 20 ms until it holds; fails after `timeoutMs` naming what it waited for. */
async function until(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Whether a new TCP connection to the server behind `url` is refused (it stopped listening). */
function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNREFUSED' ? resolve(true) : reject(error),
    );
  });
}

async function post(url: string, query: string, variables: object): Promise<boolean> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { errors?: unknown[] };
  return res.ok && !body.errors;
}

const UPSERT = 'mutation($input: UpsertNdcSectorInput!) { upsertNdcSector(input: $input) { id } }';

describe('concurrent writers on one PostgreSQL', () => {
  let db: TestDatabase;
  const instances: ChildProcess[] = [];

  afterAll(async () => {
    for (const child of instances) child.kill('SIGTERM');
    await Promise.all(
      instances.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
    );
    await db?.drop();
  });

  it('two service processes, many parallel writers: every acknowledged write is logged once, seq is gapless, the chain verifies', async () => {
    db = await createTestDatabase();
    const [a, b] = await Promise.all([startInstance(db.url), startInstance(db.url)]);
    instances.push(a.child, b.child);
    const countries = ['GHA', 'THA', 'KEN', 'SGP'];
    for (const code of countries) {
      expect(
        await post(
          a.url,
          'mutation($i: RegisterHostCountryInput!) { registerHostCountry(input: $i) { code } }',
          { i: { code, name: code, reason: 'set-up' } },
        ),
      ).toBe(true);
    }

    const writes = Array.from({ length: 240 }, (_, i) => ({
      url: i % 2 === 0 ? a.url : b.url,
      input: {
        hostCountry: countries[i % countries.length],
        code: `S${i}`,
        name: `Sector ${i}`,
        ipccSector: 'ENERGY',
        ipccCategories: ['1.A.1'],
        reason: 'concurrency drill',
      },
    }));
    let acknowledged = 0;
    const queue = [...writes];
    await Promise.all(
      Array.from({ length: 24 }, async () => {
        for (let w = queue.shift(); w; w = queue.shift())
          if (await post(w.url, UPSERT, { input: w.input })) acknowledged += 1;
      }),
    );
    expect(acknowledged).toBe(writes.length);

    const client = new Client({ connectionString: db.url });
    await client.connect();
    const [{ n }] = (
      await client.query(
        `SELECT count(*)::int AS n FROM audit_event WHERE reason = 'concurrency drill'`,
      )
    ).rows;
    const [{ sectors }] = (await client.query(`SELECT count(*)::int AS sectors FROM ndc_sector`))
      .rows;
    await client.end();
    expect(n).toBe(acknowledged);
    expect(sectors).toBe(acknowledged);
    const { verdict, rows } = await chainOf(db.url);
    expect(verdict).toMatchObject({ valid: true, eventsChecked: rows, headSeq: rows });
  });

  it('graceful shutdown: requests in flight when SIGTERM arrives finish, and the process exits 0', async () => {
    const own = await createTestDatabase();
    // The test holds a lock on ndc_sector with `blocker`; `monitor` watches from another
    // session (inside the blocker's transaction pg_stat_activity stays frozen).
    const blocker = new Client({ connectionString: own.url });
    const monitor = new Client({ connectionString: own.url });
    for (const c of [blocker, monitor]) c.on('error', () => undefined); // the DROP may end them
    try {
      const inFlight = 12;
      // A connection for every request, so that each one's wait is visible in pg_stat_activity;
      // no drain period, so the listener closes while the requests are still running.
      const instance = await startInstance(own.url, {
        DB_POOL_SIZE: String(inFlight + 4),
        SHUTDOWN_DRAIN_MS: '0',
      });
      instances.push(instance.child); // stopped by afterAll if the test fails half-way
      expect(
        await post(
          instance.url,
          'mutation($i: RegisterHostCountryInput!) { registerHostCountry(input: $i) { code } }',
          {
            i: { code: 'GHA', name: 'Ghana', reason: 'set-up' },
          },
        ),
      ).toBe(true);
      const exited = new Promise<number | null>((r) =>
        instance.child.once('exit', (code) => r(code)),
      );

      // Hold every write in the middle of its transaction: they all need ndc_sector, which the
      // test locks until the shutdown is under way.
      await blocker.connect();
      await monitor.connect();
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE ndc_sector IN ACCESS EXCLUSIVE MODE');
      let settled = 0;
      const outcomes = Array.from({ length: inFlight }, (_, i) =>
        fetch(instance.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
          body: JSON.stringify({
            query: UPSERT,
            variables: {
              input: {
                hostCountry: 'GHA',
                code: `SHUTDOWN${i}`,
                name: 'x',
                ipccSector: 'ENERGY',
                ipccCategories: ['1.A.1'],
                reason: 'shutdown drill',
              },
            },
          }),
        })
          .then(
            async (res) => ({
              status: res.status,
              body: (await res.json()) as { errors?: unknown[] },
            }),
            (error: { cause?: { code?: string } }) => ({ failed: error.cause?.code ?? 'unknown' }),
          )
          .finally(() => (settled += 1)),
      );
      const waiting = async () =>
        (
          await monitor.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          )
        ).rows[0].n;
      await until(`all ${inFlight} requests wait inside the service`, async () => {
        const n = await waiting();
        expect(n).toBeLessThanOrEqual(inFlight);
        return n === inFlight;
      });

      instance.child.kill('SIGTERM');
      await until('the service logs that it is shutting down', () =>
        instance.log.some((l) => l.msg === 'shutting down'),
      );
      await until('the service stops accepting connections', () =>
        refusesConnections(instance.url),
      );
      // Shutdown is under way and the listener is closed, and every request is still in flight.
      expect(settled).toBe(0);
      expect(await waiting()).toBe(inFlight);
      expect(instance.child.exitCode).toBeNull();

      await blocker.query('ROLLBACK');
      const results = await Promise.all(outcomes);
      expect(await exited).toBe(0);
      // Every request that was in flight was served to the end; none was cut off.
      for (const r of results)
        expect(r).toEqual({
          status: 200,
          body: { data: { upsertNdcSector: { id: expect.any(String) } } },
        });
      expect(instance.log.map((l) => l.msg)).toEqual(expect.arrayContaining(['stopped']));
      const client = new Client({ connectionString: own.url });
      await client.connect();
      const [{ n }] = (
        await client.query(`SELECT count(*)::int AS n FROM ndc_sector WHERE code LIKE 'SHUTDOWN%'`)
      ).rows;
      const [{ logged }] = (
        await client.query(
          `SELECT count(*)::int AS logged FROM audit_event WHERE reason = 'shutdown drill'`,
        )
      ).rows;
      await client.end();
      expect(n).toBe(inFlight);
      expect(logged).toBe(inFlight);
    } finally {
      await Promise.all([blocker, monitor].map((c) => c.end().catch(() => undefined)));
      await own.drop();
    }
  });

  it('negative control: without serialization and without the unique constraints, the same checks catch the fork', async () => {
    const copy = await createTestDatabase();
    const sources: DataSource[] = [];
    try {
      const client = new Client({ connectionString: copy.url });
      await client.connect();
      await client.query(
        'ALTER TABLE audit_event DROP CONSTRAINT "PK_53300da00860bdf4dc3ef7daae6"',
      );
      await client.query('DROP INDEX uq_audit_event_prev_hash');
      await client.query('DROP INDEX uq_audit_event_hash');
      await client.end();

      // Every writer reads the head before any of them appends: what the lock prevents.
      const writers = 6;
      let arrived = 0;
      let release!: () => void;
      const barrier = new Promise<void>((r) => (release = r));
      class UnserializedAuditLog extends AuditLog {
        protected override async serializeAppends(_manager: EntityManager): Promise<void> {
          arrived += 1;
          if (arrived === writers) release();
          await barrier;
        }
      }
      // Two "instances": two pools, each with its own runner.
      for (let i = 0; i < 2; i++) {
        const ds = createDataSource(copy.url, writers);
        await ds.initialize();
        sources.push(ds);
      }
      const runners = sources.map((ds) => new ChangeRunner(ds, new UnserializedAuditLog()));
      const actor = { principalId: null, name: 'drill', role: 'SYSTEM', hostCountry: null };
      await Promise.all(
        ['KEN', 'NGA', 'SEN', 'RWA', 'PER', 'CHL'].map((code, i) =>
          runners[i % 2].run({ actor, reason: 'unserialized', requestId: null }, async (change) => {
            await change.manager.query('INSERT INTO host_country (code, name) VALUES ($1, $1)', [
              code,
            ]);
            change.record({
              action: AuditAction.CREATE,
              entityType: 'HostCountry',
              entityId: code,
              hostCountry: code,
              before: null,
              after: { code },
            });
          }),
        ),
      );
      const { verdict, rows } = await chainOf(copy.url);
      expect(rows).toBe(writers);
      expect(verdict.valid).toBe(false);
      expect(verdict.message).toMatch(/expected seq 2 but found 1|prevHash does not equal/);
    } finally {
      await Promise.all(sources.map((s) => s.destroy()));
      await copy.drop();
    }
  });
});
