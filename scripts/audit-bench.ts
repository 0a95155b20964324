/* eslint-disable no-console -- a benchmark reports to its terminal */
/**
 * Audit-log benchmark: builds a log of N events (default 1,000,000) in a fresh PostgreSQL
 * database, starts the service on it, and measures
 *   - auditEvents latency on the first page and on a deep page (keyset: should match),
 *   - verifyAuditTrail throughput (events/s), signing a checkpoint of the whole log,
 *   - GET /audit/export throughput and the offline verifier's throughput on that file.
 *
 *   npm run bench:audit -- [--events 1000000] [--server postgres://postgres@127.0.0.1:5432]
 *
 * Traffic goes to 127.0.0.1 only; the database is dropped at the end.
 */
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { Client } from 'pg';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { eventHash } from '../src/audit/audit-event';
import { CheckpointsService } from '../src/audit/checkpoints.service';
import { GENESIS_HASH } from '../src/audit/merkle';
import { generateSigningKeyPem } from '../src/audit/signing-key';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/config';
import { createDataSource } from '../src/database/data-source';
import { migrate } from '../src/database/startup-tasks';
import { encodeCursor } from '../src/graphql/pagination';
import { JsonLogger } from '../src/logging/json-logger';

const run = promisify(execFile);
const ADMIN_KEY = 'bench-admin-key-0123456789abcdefghijklmnopqrstuvwxyz';
const COUNTRIES = ['GHA', 'THA', 'SGP', 'KEN', 'IDN', 'PER', 'CHL', 'MAR'];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Appends `total` chained events after event `after` (whose hash is `prevHash`). */
async function generate(
  url: string,
  total: number,
  after = 0,
  prevHash = GENESIS_HASH,
): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  const batch = 1000;
  const started = Date.now();
  for (let first = after + 1; first <= after + total; first += batch) {
    const values: unknown[] = [];
    const rows: string[] = [];
    for (let seq = first; seq < Math.min(first + batch, after + total + 1); seq++) {
      const country = COUNTRIES[seq % COUNTRIES.length];
      const before = {
        code: `S${seq % 500}`,
        name: `Sector ${seq - 1}`,
        ipccCategories: ['1.A.1'],
      };
      const after = {
        code: `S${seq % 500}`,
        name: `Sector ${seq}`,
        ipccCategories: ['1.A.1', '1.A.2'],
      };
      const unsigned = {
        seq,
        occurredAt: new Date(start + seq * 1000).toISOString(),
        actor: {
          principalId: '00000000-0000-4000-8000-000000000001',
          name: `official-${country}`,
          role: 'OFFICIAL',
          hostCountry: country,
        },
        action: 'UPDATE',
        entityType: 'NdcSector',
        entityId: `sector-${seq % 500}`,
        hostCountry: country,
        reason: 'benchmark history',
        requestId: `bench-${seq}`,
        changes: [
          { path: 'ipccCategories[1]', before: null, after: '1.A.2' },
          { path: 'name', before: before.name, after: after.name },
        ],
        before,
        after,
        prevHash,
      };
      const hash = eventHash(unsigned);
      prevHash = hash;
      const p = values.length;
      rows.push(`(${Array.from({ length: 17 }, (_, j) => `$${p + j + 1}`).join(',')})`);
      values.push(
        seq,
        unsigned.occurredAt,
        unsigned.actor.principalId,
        unsigned.actor.name,
        unsigned.actor.role,
        country,
        unsigned.action,
        unsigned.entityType,
        unsigned.entityId,
        country,
        unsigned.reason,
        unsigned.requestId,
        JSON.stringify(unsigned.changes),
        JSON.stringify(before),
        JSON.stringify(after),
        unsigned.prevHash,
        hash,
      );
    }
    await client.query(
      `INSERT INTO audit_event (seq, occurred_at, actor_principal_id, actor_name, actor_role, actor_host_country, action, entity_type, entity_id, host_country, reason, request_id, changes, before, after, prev_hash, hash) VALUES ${rows.join(',')}`,
      values,
    );
    if (first % 100_000 === 1 && first > 1)
      process.stderr.write(
        `  generated ${first - 1} events (${Math.round((first - 1) / ((Date.now() - started) / 1000))}/s)\n`,
      );
  }
  // Autovacuum would have done this on a live system; index-only scans need it.
  if (after === 0) await client.query('VACUUM ANALYZE audit_event');
  await client.end();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '1000000' },
      server: { type: 'string', default: 'postgres://postgres:postgres@127.0.0.1:5432' },
    },
  });
  const total = Number(values.events);
  const database = `plr_bench_${Date.now()}`;
  const admin = new Client({ connectionString: `${values.server}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = `${values.server}/${database}`;
  const dir = mkdtempSync(join(tmpdir(), 'plr-bench-'));
  try {
    const ds = createDataSource(url, 2);
    await ds.initialize();
    await migrate(ds);
    await ds.destroy();

    console.log(`generating ${total} chained events...`);
    let t0 = Date.now();
    await generate(url, total);
    console.log(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const config = loadConfig({
      DATABASE_URL: url,
      BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
      AUDIT_SIGNING_KEY: generateSigningKeyPem(),
      AUDIT_CHECKPOINT_INTERVAL_SECONDS: '0',
      AUDIT_CHECKPOINT_FILE: join(dir, 'last-checkpoint.json'),
      LOG_LEVEL: 'error',
    });
    const app = await createApp(config, url, new JsonLogger('error'));
    await app.listen(0, '127.0.0.1');
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const gql = async (query: string, variables: object = {}) => {
      const res = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
      if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    const selection = '{ edges { node { seq hash changes { path } } } }';
    const counted = '{ totalCount edges { node { seq hash changes { path } } } }';
    const pageQuery = (fields: string) =>
      `query($after: String, $filter: AuditFilter) { auditEvents(first: 100, after: $after, filter: $filter) ${fields} }`;
    const page = pageQuery(selection);
    /** Sends `count` requests one after another (each from `make`), prints p50 and p95. */
    const timeRequests = async (label: string, count: number, make: () => [string, object]) => {
      const times: number[] = [];
      for (let i = 0; i < count; i++) {
        const [document, variables] = make();
        const s = process.hrtime.bigint();
        await gql(document, variables);
        times.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
      times.sort((x, y) => x - y);
      console.log(
        `  ${label.padEnd(44)} p50 ${percentile(times, 50).toFixed(1)} ms   p95 ${percentile(times, 95).toFixed(1)} ms`,
      );
    };
    const timePage = (label: string, variables: object, document = page) =>
      timeRequests(label, 40, () => [document, variables]);
    let head = total + 1; // + the bootstrap administrator
    console.log(`auditEvents (first: 100, 40 requests each, log of ${head} events):`);
    await timePage('first page', {});
    await timePage(`deep page (after seq ${head - 1000})`, {
      after: encodeCursor('audit', head - 1000),
    });
    await timePage('first page, filter hostCountry=KEN', { filter: { hostCountry: 'KEN' } });
    await timePage(`deep page, filter hostCountry=KEN`, {
      filter: { hostCountry: 'KEN' },
      after: encodeCursor('audit', head - 1000),
    });

    await timePage('first page with totalCount', {}, pageQuery(counted));
    await timePage(
      'first page, KEN, with totalCount',
      { filter: { hostCountry: 'KEN' } },
      pageQuery(counted),
    );

    t0 = Date.now();
    const verdict = (await gql('{ verifyAuditTrail { valid eventsChecked message } }'))
      .verifyAuditTrail as { valid: boolean; eventsChecked: number };
    let seconds = (Date.now() - t0) / 1000;
    console.log(
      `verifyAuditTrail: ${verdict.valid ? 'valid' : 'INVALID'}, ${verdict.eventsChecked} events in ${seconds.toFixed(1)} s = ${Math.round(verdict.eventsChecked / seconds)} events/s`,
    );

    t0 = Date.now();
    await app.get(CheckpointsService).checkpoint();
    console.log(
      `first checkpoint (Merkle root over ${head} events, signed): ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    const checkpoint = (
      await gql('{ auditCheckpoint { treeSize rootHash signedAt keyId publicKey signature body } }')
    ).auditCheckpoint as { publicKey: string };
    const checkpointFile = join(dir, 'checkpoint.json');

    // Proofs on the whole log, from the stored subtree hashes (public queries).
    const timeProofs = (label: string, make: () => [string, object]) =>
      timeRequests(label, 200, make);
    const random = (n: number) => 1 + Math.floor(Math.random() * n);
    console.log(`proofs (200 requests each, random positions, tree of ${head} events):`);
    await timeProofs('auditInclusionProof(seq, treeSize: head)', () => [
      'query($s: Int!, $n: Int!) { auditInclusionProof(seq: $s, treeSize: $n) { hashes } }',
      { s: random(head), n: head },
    ]);
    await timeProofs('auditConsistencyProof(random, head)', () => [
      'query($m: Int!, $n: Int!) { auditConsistencyProof(fromSize: $m, toSize: $n) { hashes } }',
      { m: random(head), n: head },
    ]);

    // 1,000 more events, then the next checkpoint: the check against the last signed one
    // (an inclusion proof), the new leaves, the tree index, the signature, the file.
    const client = new Client({ connectionString: url });
    await client.connect();
    const [last] = (
      await client.query('SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1')
    ).rows as { seq: number; hash: string }[];
    await client.end();
    await generate(url, 1000, Number(last.seq), last.hash);
    head += 1000;
    t0 = Date.now();
    await app.get(CheckpointsService).checkpoint();
    console.log(
      `next checkpoint after 1,000 new events (checked against the last, signed, kept): ${Date.now() - t0} ms`,
    );
    writeFileSync(checkpointFile, JSON.stringify(checkpoint));

    const file = join(dir, 'audit.ndjson');
    t0 = Date.now();
    const res = await fetch(`${base}/audit/export`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    await pipeline(Readable.fromWeb(res.body as never), createWriteStream(file));
    seconds = (Date.now() - t0) / 1000;
    console.log(
      `GET /audit/export: ${(statSync(file).size / 1e6).toFixed(0)} MB in ${seconds.toFixed(1)} s = ${Math.round(head / seconds)} events/s`,
    );
    await app.close();

    t0 = Date.now();
    const offline = await run(
      process.execPath,
      [
        join(__dirname, '..', 'src', 'cli', 'main.js'),
        'verify-audit',
        file,
        '--checkpoint',
        checkpointFile,
        '--public-key',
        checkpoint.publicKey,
      ],
      { maxBuffer: 1 << 24 },
    );
    seconds = (Date.now() - t0) / 1000;
    console.log(
      `offline verify-audit: ${offline.stdout.trim().slice(0, 60)}... ${seconds.toFixed(1)} s = ${Math.round(head / seconds)} events/s`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
