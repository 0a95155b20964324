/* eslint-disable no-console -- a benchmark reports to its terminal */
/**
 * Eligibility benchmark: builds a fresh PostgreSQL database with N host countries, each with one
 * published list of M entries (default 200 x 300 = 60,000 entries), starts the service on it
 * and, in the same process, a minimal "raw" HTTP server that answers the same question with one
 * hand-written SQL query and a few lines of JavaScript. Then, with autocannon, it measures
 *   - GraphQL checkEligibility (one question per request),
 *   - GraphQL checkEligibilityBatch (100 questions per request),
 *   - the raw server,
 *   - GraphQL `{ __typename }` (the HTTP, Nest and Apollo layers alone: no resolver, no SQL),
 *   - GraphQL searchEntries within one country (a page of 20 and its total),
 * at 32 connections as fast as they go, in `--rounds` rounds with the order reversed every other
 * round (medians reported, with the GraphQL/raw throughput ratio per round); then, paced (open
 * loop, one request every 1/rate s), checkEligibility, the raw server and searchEntries within
 * one country at 200 requests/s, and lone requests five times a second (`--batch-rate`): a
 * batch of 100, and searchEntries across all countries; also in rounds. The resident memory
 * of this process (the service, and the small raw server beside it) is sampled meanwhile.
 * Then the cost of signed receipts (issue #11): the service runs with an Ed25519 signing key
 * made for the run (AUDIT_SIGNING_KEY, never written to disk), and checkEligibility, then
 * checkEligibilityBatch x100, are loaded as fast as they go with and without
 * `receipt { body keyId publicKey signature }` selected, alternating the two (ABBA) for
 * `--rounds` rounds each; the medians of req/s, p50 and p99 are reported with the relative cost.
 * Before loading, it checks that GraphQL and the raw server give the same answers, and that a
 * receipt is there, parses and verifies against the run's key.
 *
 *   npm run bench -- [--countries 200] [--entries 300] [--duration 10]
 *                    [--server postgres://postgres:postgres@127.0.0.1:5432]
 *                    [--connections 32] [--rate 200] [--batch-rate 5] [--rate-duration 10]
 *                    [--client fork|inprocess] [--rounds 3] [--only all|edge|receipts]
 *                    [--profile FILE.cpuprofile]
 *
 * `--only receipts` (or BENCH_ONLY=receipts) runs the receipts comparison alone, `--only edge`
 * everything but it; the default, `all`, runs everything. `--profile FILE` adds, at the end, one
 * saturated checkEligibility run under V8's CPU profiler, writes the profile to FILE (open it in
 * Chrome DevTools) and prints where the service's time went, by layer (scripts/cpu-profile.ts).
 *
 * The load generator runs by default in a forked child process (`--client fork`), so that it
 * does not share the servers' event loop; `--client inprocess` runs it on the servers' own
 * thread. Either way client, servers and PostgreSQL share the machine's cores.
 *
 * `npm run bench` runs it with NODE_ENV=production unless NODE_ENV is set, as the Docker image
 * runs the service (graphql-js then skips its development-mode type checks, about a tenth of a
 * question's CPU); the summary says which.
 *
 * Traffic goes to 127.0.0.1 only; every load run is bounded in time and in requests; the
 * database is dropped at the end, also on error (BENCH_KEEP_DATABASE=1 keeps it). Exit status
 * 1 when a response carried errors or the two paths disagreed.
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { ChildProcess, fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import {
  Agent,
  IncomingMessage,
  Server,
  ServerResponse,
  createServer,
  request as httpRequest,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { INestApplication } from '@nestjs/common';
import { rawPublicKey } from '../src/audit/checkpoint';
import { CheckpointsService } from '../src/audit/checkpoints.service';
import { statementProblems } from '../src/audit/statement';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/config';
import { ISO_3166_ALPHA3 } from '../src/countries/iso3166';
import { createDataSource } from '../src/database/data-source';
import { migrate } from '../src/database/startup-tasks';
import { baselineValue } from '../src/positive-lists/baseline';
import { contentDigest } from '../src/positive-lists/content-digest';
import { JsonLogger } from '../src/logging/json-logger';
import { CpuProfile, printProfileSummary, summarizeProfile } from './cpu-profile';
import {
  BaselineApproach,
  BaselineRule,
  ComparisonOperator,
  Criterion,
  ParameterValidation,
} from '../src/positive-lists/list-types';

const ADMIN_KEY = 'bench-admin-key-0123456789abcdefghijklmnopqrstuvwxyz';
const CLIENT_ENV = 'PLR_ELIGIBILITY_BENCH_CLIENT';
const ON = '2025-06-30';
const BEFORE_ANY_LIST = '2019-06-30';
const BASELINE_YEAR = 2030;
const BATCH_SIZE = 100;
const SECTORS = [
  { code: 'ENERGY', name: 'Energy', ipccSector: 'ENERGY', ipccCategories: ['1.A.1'] },
  { code: 'WASTE', name: 'Waste', ipccSector: 'WASTE', ipccCategories: ['4.A'] },
  {
    code: 'AFOLU',
    name: 'Agriculture, forestry, land use',
    ipccSector: 'AFOLU',
    ipccCategories: ['3.B'],
  },
] as const;

// ---------------------------------------------------------------- the question asked

interface BenchParameter {
  name: string;
  number?: number;
  text?: string;
}

/** The fields of the contract's EligibilityQuery this benchmark uses; also the raw body. */
interface BenchQuery {
  hostCountry: string;
  activityKey: string;
  on: string;
  parameters: BenchParameter[];
  baselineYear: number;
}

/** Deterministic pseudo-random numbers (mulberry32), so that runs ask the same questions. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function entryKey(country: string, index: number, entries: number): string {
  return `${country}-E${String(index).padStart(Math.max(3, String(entries).length), '0')}`;
}

/**
 * Questions by activity key: 96% name an existing entry on a date its list is in force, 2% ask
 * before any list took effect (NO_LIST_IN_FORCE), 2% name a key that does not exist. The
 * parameters give a mix of MET, UNMET and MISSING (region is left out one time in five).
 */
function makeQueries(countries: string[], entries: number, count: number): BenchQuery[] {
  const rnd = random(20251130);
  const queries: BenchQuery[] = [];
  for (let n = 0; n < count; n++) {
    const country = countries[Math.floor(rnd() * countries.length)];
    const index = 1 + Math.floor(rnd() * entries);
    const roll = rnd();
    const parameters: BenchParameter[] = [
      { name: 'capacityMW', number: 10 + Math.floor(rnd() * 60) },
      { name: 'gridPenetrationPct', number: Math.round(rnd() * 80) / 10 },
    ];
    if (rnd() < 0.8) parameters.push({ name: 'region', text: ['North', 'South', 'East'][n % 3] });
    queries.push({
      hostCountry: country,
      activityKey: roll < 0.98 ? entryKey(country, index, entries) : `${country}-NONE${index}`,
      on: roll < 0.02 ? BEFORE_ANY_LIST : ON,
      parameters,
      baselineYear: BASELINE_YEAR,
    });
  }
  return queries;
}

/**
 * searchEntries filters, as a developer asks them: within one country, by IPCC sector (a page
 * of 20 out of about 100), or across all countries, by IPCC category prefix and methodology
 * (a page of 20 out of up to a third of all entries, whose total is counted).
 */
function makeSearches(
  countries: string[],
  count: number,
  across: boolean,
): Record<string, unknown>[] {
  const rnd = random(across ? 20261203 : 20261202);
  return Array.from({ length: count }, (_, n) => {
    const filter = across
      ? { ipccCategoryPrefix: ['1.A', '4', '3.B'][n % 3], methodology: 'CDM ACM0002', on: ON }
      : {
          hostCountries: [countries[Math.floor(rnd() * countries.length)]],
          ipccSector: SECTORS[n % SECTORS.length].ipccSector,
          on: ON,
        };
    return { filter, first: 20 };
  });
}

// ---------------------------------------------------------------- GraphQL documents and types

const RESULT_FIELDS = `status
  matches { status criteria { outcome actual } missingParameters baselineValue explanation }
  listVersion { version }
  explanation`;
const RESULT_SELECTION = `{
  ${RESULT_FIELDS}
}`;
/** The same fields and the signed receipt (signed only when selected). */
const RECEIPT_RESULT_SELECTION = `{
  ${RESULT_FIELDS}
  receipt { body keyId publicKey signature }
}`;
const CHECK_DOCUMENT = `query Check($q: EligibilityQuery!) { checkEligibility(query: $q) ${RESULT_SELECTION} }`;
const BATCH_DOCUMENT = `query CheckBatch($qs: [EligibilityQuery!]!) { checkEligibilityBatch(queries: $qs) ${RESULT_SELECTION} }`;
const CHECK_RECEIPT_DOCUMENT = `query Check($q: EligibilityQuery!) { checkEligibility(query: $q) ${RECEIPT_RESULT_SELECTION} }`;
const BATCH_RECEIPT_DOCUMENT = `query CheckBatch($qs: [EligibilityQuery!]!) { checkEligibilityBatch(queries: $qs) ${RECEIPT_RESULT_SELECTION} }`;
/** As the README's developer example: one page of entries with the total count. */
const SEARCH_DOCUMENT = `query Search($filter: EntrySearch, $first: Int) { searchEntries(filter: $filter, first: $first) { totalCount pageInfo { hasNextPage endCursor } edges { node { key name kind } } } }`;
/** In a response to a receipt document: an answer that came without its receipt. */
const NULL_RECEIPT = '"receipt":null';

interface GqlCriterionResult {
  outcome: string;
  actual: string | null;
}

interface GqlEntryEligibility {
  status: string;
  criteria: GqlCriterionResult[];
  missingParameters: string[];
  baselineValue: number | null;
  explanation: string;
}

interface GqlReceipt {
  body: string;
  keyId: string;
  publicKey: string;
  signature: string;
}

interface GqlEligibilityResult {
  status: string;
  matches: GqlEntryEligibility[];
  listVersion: { version: number } | null;
  explanation: string;
  /** Only when the document selects it. */
  receipt?: GqlReceipt | null;
}

interface GqlError {
  message: string;
  extensions?: { code?: string };
}

interface GqlResponse<T> {
  data?: T | null;
  errors?: GqlError[];
}

interface CheckData {
  checkEligibility: GqlEligibilityResult;
}

interface BatchData {
  checkEligibilityBatch: GqlEligibilityResult[];
}

// ---------------------------------------------------------------- data generation

function criteriaFor(index: number): Criterion[] {
  const all: Criterion[] = [
    {
      parameter: 'capacityMW',
      operator: ComparisonOperator.LTE,
      threshold: 50,
      upperThreshold: null,
      values: null,
      unit: 'MW',
      description: 'installed capacity at most 50 MW',
    },
    {
      parameter: 'gridPenetrationPct',
      operator: ComparisonOperator.LT,
      threshold: 5,
      upperThreshold: null,
      values: null,
      unit: '%',
      description: 'technology below 5% of grid generation',
    },
    {
      parameter: 'region',
      operator: ComparisonOperator.IN,
      threshold: null,
      upperThreshold: null,
      values: ['North', 'South'],
      unit: null,
      description: 'northern or southern regions only',
    },
  ];
  return all.slice(0, 1 + (index % 3));
}

function baselineFor(index: number): BaselineRule {
  return {
    approach: BaselineApproach.BAU_DOWNWARD_ADJUSTED,
    description: 'BAU emission factor adjusted downward',
    referenceValue: Math.round((0.5 + (index % 7) * 0.05) * 100) / 100,
    unit: 'tCO2e/MWh',
    referenceYear: 2025,
    initialAdjustmentPct: 10,
    annualTighteningPct: 1,
    targetValue: null,
    targetYear: null,
    netZeroYear: null,
    parameterValidation: ParameterValidation.EX_ANTE,
    updateIntervalYears: 5,
    methodologyReference: 'CDM ACM0002',
  };
}

/** Multi-row INSERTs of `columns` placeholders per row, `batch` rows per statement. */
async function insertRows(
  client: Client,
  head: string,
  rows: unknown[][],
  rowTemplate: (placeholders: string[]) => string,
  batch: number,
): Promise<void> {
  for (let first = 0; first < rows.length; first += batch) {
    const slice = rows.slice(first, first + batch);
    const values: unknown[] = [];
    const tuples = slice.map((row) => {
      const placeholders = row.map((value) => {
        values.push(value);
        return `$${values.length}`;
      });
      return rowTemplate(placeholders);
    });
    await client.query(`${head} VALUES ${tuples.join(',')}`, values);
  }
}

/**
 * Publishes the drafts as the service would: effective from 2020-01-01, with the content digest
 * of docs/domain.md section 6 computed from the stored rows (the columns the integrity
 * migration's backfill reads), so that receipts cite a real digest.
 */
async function publish(
  client: Client,
  countries: string[],
  versionIds: Map<string, string>,
): Promise<void> {
  const { rows } = await client.query<Record<string, unknown> & { list_version_id: string }>(
    `SELECT e.list_version_id, e.key, e.kind, e.name, e.description, e.technologies,
            e.ndc_component AS "ndcComponent", e.ndc_measure_ref AS "ndcMeasureRef",
            e.additionality_rationale AS "additionalityRationale", e.criteria, e.methodologies,
            e.baseline, e.crediting, e.authorization, e.valid_from::text AS "validFrom",
            e.valid_until::text AS "validUntil", e.review_due::text AS "reviewDue",
            e.legal_basis AS "legalBasis",
            coalesce((SELECT array_agg(s.code ORDER BY s.code) FROM activity_entry_sector es
                        JOIN ndc_sector s ON s.id = es.sector_id WHERE es.entry_id = e.id),
                     '{}') AS "sectorCodes"
       FROM activity_entry e WHERE e.list_version_id = ANY($1::uuid[])`,
    [[...versionIds.values()]],
  );
  const byVersion = new Map<string, object[]>();
  for (const { list_version_id: id, ...entry } of rows) {
    const list = byVersion.get(id);
    if (list) list.push(entry);
    else byVersion.set(id, [entry]);
  }
  const ids = countries.map((code) => versionIds.get(code)!);
  const digests = countries.map((code, i) =>
    contentDigest({
      hostCountry: code,
      version: 1,
      title: 'bench',
      legalBasis: null,
      effectiveFrom: '2020-01-01',
      entries: byVersion.get(ids[i]) ?? [],
    }),
  );
  await client.query(
    `UPDATE positive_list_version v
        SET status = 'PUBLISHED', effective_from = '2020-01-01', published_at = now(),
            content_digest = d.digest
       FROM unnest($1::uuid[], $2::text[]) AS d(id, digest)
      WHERE v.id = d.id`,
    [ids, digests],
  );
}

async function generate(url: string, countries: string[], entries: number): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    await insertRows(
      client,
      'INSERT INTO host_country (code, name)',
      countries.map((code) => [code, ISO_3166_ALPHA3.get(code)]),
      (p) => `(${p.join(',')})`,
      1000,
    );
    const sectorIds = new Map<string, string[]>();
    const sectorRows: unknown[][] = [];
    for (const code of countries) {
      const ids = SECTORS.map(() => randomUUID());
      sectorIds.set(code, ids);
      SECTORS.forEach((s, i) =>
        sectorRows.push([ids[i], code, s.code, s.name, s.ipccSector, [...s.ipccCategories]]),
      );
    }
    await insertRows(
      client,
      'INSERT INTO ndc_sector (id, host_country_code, code, name, ipcc_sector, ipcc_categories)',
      sectorRows,
      (p) => `(${p.join(',')})`,
      1000,
    );
    // Drafts first: the triggers refuse entries on a published version. Published below.
    const versionIds = new Map(countries.map((code) => [code, randomUUID()]));
    await insertRows(
      client,
      'INSERT INTO positive_list_version (id, host_country_code, version, status, title, effective_from, effective_until, created_by_name, submitted_by_name, approved_by_name, published_at)',
      countries.map((code) => [versionIds.get(code), code]),
      ([id, code]) => `(${id},${code},1,'DRAFT','bench',NULL,NULL,'bench','bench','bench',NULL)`,
      1000,
    );
    const entryRows: unknown[][] = [];
    const linkRows: unknown[][] = [];
    for (const code of countries) {
      for (let i = 1; i <= entries; i++) {
        const id = randomUUID();
        const negative = i % 10 === 0;
        entryRows.push([
          id,
          versionIds.get(code),
          entryKey(code, i, entries),
          negative ? 'NEGATIVE' : 'POSITIVE',
          `Activity ${i} in ${code}`,
          `Benchmark activity type number ${i}`,
          [`tech${i % 20}`],
          negative ? null : `Conditional measure ${i % 12}`,
          negative ? null : 'Beyond the unconditional NDC: needs carbon finance to be viable.',
          JSON.stringify(negative ? [] : criteriaFor(i)),
          negative ? null : JSON.stringify(baselineFor(i)),
        ]);
        linkRows.push([id, sectorIds.get(code)![i % SECTORS.length]]);
      }
    }
    await insertRows(
      client,
      'INSERT INTO activity_entry (id, list_version_id, key, kind, name, description, technologies, ndc_measure_ref, additionality_rationale, criteria, baseline, ndc_component, methodologies, revision)',
      entryRows,
      (p) => `(${p.join(',')},'CONDITIONAL',ARRAY['CDM ACM0002'],1)`,
      2000,
    );
    await insertRows(
      client,
      'INSERT INTO activity_entry_sector (entry_id, sector_id)',
      linkRows,
      (p) => `(${p.join(',')})`,
      5000,
    );
    await publish(client, countries, versionIds);
    await client.query('COMMIT');
    await client.query('VACUUM ANALYZE');
    return entryRows.length;
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------- the raw database path

interface RawCriterionResult {
  parameter: string;
  outcome: 'MET' | 'UNMET' | 'MISSING';
  actual: string | null;
}

interface RawMatch {
  key: string;
  status: string;
  criteria: RawCriterionResult[];
  missingParameters: string[];
  baselineValue: number | null;
  explanation: string;
}

interface RawResult {
  status: string;
  hostCountry: string;
  on: string;
  listVersion: { id: string; version: number } | null;
  matches: RawMatch[];
  explanation: string;
}

interface RawRow {
  version_id: string;
  version: number;
  key: string | null;
  kind: string | null;
  criteria: Criterion[] | null;
  baseline: BaselineRule | null;
}

class BadRequest extends Error {}

/** The version in force on the date and, if it has one valid on that date, the entry with the key. */
const RAW_SQL = `
SELECT v.id AS version_id, v.version, e.key, e.kind, e.criteria, e.baseline
FROM positive_list_version v
LEFT JOIN activity_entry e
  ON e.list_version_id = v.id AND e.key = $2
  AND (e.valid_from IS NULL OR e.valid_from <= $3::date)
  AND (e.valid_until IS NULL OR $3::date <= e.valid_until)
WHERE v.host_country_code = $1 AND v.status IN ('PUBLISHED', 'WITHDRAWN')
  AND v.effective_from <= $3::date AND (v.effective_until IS NULL OR $3::date < v.effective_until)
LIMIT 1`;

function evaluateCriterion(c: Criterion, supplied: BenchParameter | undefined): RawCriterionResult {
  if (!supplied) return { parameter: c.parameter, outcome: 'MISSING', actual: null };
  const numeric =
    c.operator !== ComparisonOperator.IN &&
    c.operator !== ComparisonOperator.NOT_IN &&
    !(
      (c.operator === ComparisonOperator.EQ || c.operator === ComparisonOperator.NEQ) &&
      c.threshold === null
    );
  let met: boolean;
  let actual: string;
  if (numeric) {
    if (typeof supplied.number !== 'number')
      throw new BadRequest(`parameter ${c.parameter} must be a number`);
    const x = supplied.number;
    const t = c.threshold ?? 0;
    actual = String(x);
    switch (c.operator) {
      case ComparisonOperator.LT:
        met = x < t;
        break;
      case ComparisonOperator.LTE:
        met = x <= t;
        break;
      case ComparisonOperator.GT:
        met = x > t;
        break;
      case ComparisonOperator.GTE:
        met = x >= t;
        break;
      case ComparisonOperator.BETWEEN:
        met = x >= t && x <= (c.upperThreshold ?? t);
        break;
      case ComparisonOperator.EQ:
        met = x === t;
        break;
      default:
        met = x !== t;
    }
  } else {
    if (typeof supplied.text !== 'string')
      throw new BadRequest(`parameter ${c.parameter} must be text`);
    actual = supplied.text;
    const listed = (c.values ?? []).includes(actual);
    met =
      c.operator === ComparisonOperator.IN || c.operator === ComparisonOperator.EQ
        ? listed
        : !listed;
  }
  return { parameter: c.parameter, outcome: met ? 'MET' : 'UNMET', actual };
}

function rawAnswer(q: BenchQuery, row: RawRow | undefined): RawResult {
  const base = { hostCountry: q.hostCountry, on: q.on };
  if (!row) {
    return {
      ...base,
      status: 'NO_LIST_IN_FORCE',
      listVersion: null,
      matches: [],
      explanation: `${q.hostCountry} has no list in force on ${q.on}.`,
    };
  }
  const listVersion = { id: row.version_id, version: row.version };
  if (row.key === null) {
    return {
      ...base,
      status: 'NOT_ELIGIBLE',
      listVersion,
      matches: [],
      explanation: `No entry ${q.activityKey} on version ${row.version}.`,
    };
  }
  if (row.kind === 'NEGATIVE') {
    return {
      ...base,
      status: 'EXCLUDED',
      listVersion,
      matches: [
        {
          key: row.key,
          status: 'EXCLUDED',
          criteria: [],
          missingParameters: [],
          baselineValue: null,
          explanation: `${row.key} is on the negative list.`,
        },
      ],
      explanation: `${row.key} is excluded.`,
    };
  }
  const byName = new Map(q.parameters.map((p) => [p.name, p]));
  const criteria = (row.criteria ?? []).map((c) => evaluateCriterion(c, byName.get(c.parameter)));
  const missingParameters = [
    ...new Set(criteria.filter((c) => c.outcome === 'MISSING').map((c) => c.parameter)),
  ];
  const unmet = criteria.filter((c) => c.outcome === 'UNMET').map((c) => c.parameter);
  const status =
    unmet.length > 0 ? 'NOT_ELIGIBLE' : missingParameters.length > 0 ? 'INDETERMINATE' : 'ELIGIBLE';
  const explanation =
    status === 'NOT_ELIGIBLE'
      ? `${row.key}: not met: ${unmet.join(', ')}.`
      : status === 'INDETERMINATE'
        ? `${row.key}: still needed: ${missingParameters.join(', ')}.`
        : `${row.key}: all ${criteria.length} criteria met.`;
  return {
    ...base,
    status,
    listVersion,
    matches: [
      {
        key: row.key,
        status,
        criteria,
        missingParameters,
        baselineValue: row.baseline ? baselineValue(row.baseline, q.baselineYear) : null,
        explanation,
      },
    ],
    explanation,
  };
}

function parseRawQuery(text: string): BenchQuery {
  const body = JSON.parse(text) as Partial<BenchQuery>;
  if (
    typeof body.hostCountry !== 'string' ||
    typeof body.activityKey !== 'string' ||
    typeof body.on !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}$/.test(body.on) ||
    (body.parameters !== undefined && !Array.isArray(body.parameters))
  ) {
    throw new BadRequest('expected {hostCountry, activityKey, on, parameters}');
  }
  return {
    hostCountry: body.hostCountry.toUpperCase(),
    activityKey: body.activityKey,
    on: body.on,
    parameters: body.parameters ?? [],
    baselineYear: typeof body.baselineYear === 'number' ? body.baselineYear : BASELINE_YEAR,
  };
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) reject(new BadRequest('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function startRawServer(url: string): Promise<{ server: Server; pool: Pool; base: string }> {
  const pool = new Pool({ connectionString: url, max: 10 });
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST' || req.url !== '/check')
      return send(res, 404, { error: 'not found' });
    try {
      const q = parseRawQuery(await readBody(req, 64 * 1024));
      const { rows } = await pool.query<RawRow>({
        name: 'bench-eligibility-check',
        text: RAW_SQL,
        values: [q.hostCountry, q.activityKey, q.on],
      });
      send(res, 200, rawAnswer(q, rows[0]));
    } catch (error: unknown) {
      if (error instanceof BadRequest || error instanceof SyntaxError)
        send(res, 400, { error: error.message });
      else send(res, 500, { error: error instanceof Error ? error.message : String(error) });
    }
  };
  const server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, pool, base: `http://127.0.0.1:${port}` };
}

// ---------------------------------------------------------------- load runs

interface LoadSpec {
  title: string;
  /** autocannon, or an evenly paced open-loop client (one request every 1/rate s). */
  mode: 'autocannon' | 'paced';
  url: string;
  bodies: string[];
  connections: number;
  duration: number;
  /** Offered requests per second over all connections; 0: as fast as they go (autocannon). */
  overallRate: number;
  /** A safety cap on the number of requests of the run. */
  maxRequests: number;
  graphql: boolean;
  /** A response whose body contains this text also counts as failed (e.g. a null receipt). */
  failIfIncludes?: string;
}

interface LoadResult {
  title: string;
  requests: number;
  seconds: number;
  perSecond: number;
  /** Milliseconds, from the client's own per-response times (sub-millisecond resolution). */
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  connectionErrors: number;
  timeouts: number;
  /** Responses that were not HTTP 200 or whose body carried GraphQL `errors`. */
  failedResponses: number;
  firstFailure: string | null;
}

function percentiles(latencies: number[]): { p50: number; p99: number; max: number } {
  const sorted = Float64Array.from(latencies).sort();
  const at = (q: number) =>
    sorted.length === 0 ? NaN : sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
  return { p50: at(0.5), p99: at(0.99), max: at(1) };
}

/** Counts responses that failed: not HTTP 200, or (GraphQL) a body carrying `errors`. */
class FailureCounter {
  failed = 0;
  first: string | null = null;
  constructor(
    private readonly graphql: boolean,
    private readonly forbidden?: string,
  ) {}
  check(status: number, body: string): void {
    if (
      status !== 200 ||
      (this.graphql && body.includes('"errors"')) ||
      (this.forbidden !== undefined && body.includes(this.forbidden))
    ) {
      this.failed++;
      this.first ??= `HTTP ${status}: ${body.slice(0, 400)}`;
    }
  }
}

async function runAutocannon(spec: LoadSpec): Promise<LoadResult> {
  let next = 0;
  const failures = new FailureCounter(spec.graphql, spec.failIfIncludes);
  const request: autocannon.Request = {
    method: 'POST',
    path: new URL(spec.url).pathname,
    headers: { 'content-type': 'application/json' },
    setupRequest: (req) => {
      req.body = spec.bodies[next++ % spec.bodies.length];
      return req;
    },
    onResponse: (status, body) => failures.check(status, body),
  };
  const options: autocannon.Options = {
    url: spec.url,
    connections: spec.connections,
    duration: spec.duration,
    timeout: 10,
    maxOverallRequests: spec.maxRequests,
    requests: [request],
  };
  if (spec.overallRate > 0) {
    options.overallRate = spec.overallRate;
    // autocannon's correction for coordinated omission assumes an interval of
    // ceil(1 / per-connection rate) = 1 ms and floods the histogram with made-up samples.
    options.ignoreCoordinatedOmission = true;
  }
  // autocannon's own histogram has 1 ms resolution: keep every response time instead.
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error: unknown, r: autocannon.Result) =>
      error ? reject(error instanceof Error ? error : new Error('autocannon failed')) : resolve(r),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) =>
      latencies.push(responseTime),
    );
  });
  const requests = result.requests.total;
  return {
    title: spec.title,
    requests,
    seconds: result.duration,
    perSecond: requests / result.duration,
    ...percentiles(latencies),
    non2xx: result.non2xx,
    connectionErrors: result.errors,
    timeouts: result.timeouts,
    failedResponses: failures.failed,
    firstFailure: failures.first,
  };
}

/**
 * Open-loop client: request i is due at start + i / rate, whatever happened before, and its
 * latency counts from that due time (so a stalled server is not hidden by a stalled client).
 * At most `connections` requests are in flight; the others wait for a socket.
 */
async function runPaced(spec: LoadSpec): Promise<LoadResult> {
  const target = new URL(spec.url);
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const total = Math.min(spec.maxRequests, Math.round(spec.overallRate * spec.duration));
  const interval = 1000 / spec.overallRate;
  const failures = new FailureCounter(spec.graphql, spec.failIfIncludes);
  const latencies: number[] = [];
  let non2xx = 0;
  let connectionErrors = 0;
  let timeouts = 0;
  let sent = 0;
  let completed = 0;
  const start = performance.now();
  let last = start;
  await new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = setTimeout(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (spec.duration + 15) * 1000,
    );
    const complete = () => {
      last = performance.now();
      if (++completed === total) {
        clearTimeout(deadline);
        resolve();
      }
    };
    const fire = (due: number, body: string) => {
      let done = false;
      const req = httpRequest(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
          timeout: 10_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            if (done) return;
            done = true;
            latencies.push(performance.now() - due);
            const status = res.statusCode ?? 0;
            if (status < 200 || status > 299) non2xx++;
            failures.check(status, Buffer.concat(chunks).toString('utf8'));
            complete();
          });
        },
      );
      req.on('timeout', () => {
        timeouts++;
        req.destroy(new Error('request timed out'));
      });
      req.on('error', (error) => {
        if (done) return;
        done = true;
        connectionErrors++;
        failures.first ??= error.message;
        complete();
      });
      req.end(body);
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) {
        fire(start + sent * interval, spec.bodies[sent % spec.bodies.length]);
        sent++;
      }
      if (sent < total) timer = setTimeout(tick, start + sent * interval - performance.now());
    };
    tick();
  });
  agent.destroy();
  const seconds = (last - start) / 1000;
  return {
    title: spec.title,
    requests: completed,
    seconds: Math.round(seconds * 100) / 100,
    perSecond: completed / seconds,
    ...percentiles(latencies),
    non2xx,
    connectionErrors: connectionErrors + (sent - completed),
    timeouts,
    failedResponses: failures.failed,
    firstFailure: failures.first,
  };
}

function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return spec.mode === 'paced' ? runPaced(spec) : runAutocannon(spec);
}

/** Runs the load generator in a child process of this same script; kills it if it overruns. */
function runLoadForked(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = fork(__filename, [], {
      env: { ...process.env, [CLIENT_ENV]: '1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    const finish = (error: Error | null, result?: LoadResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(watchdog);
      if (error) {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        reject(error);
      } else resolve(result!); // the child exits by itself once the result is sent
    };
    const watchdog = setTimeout(
      () => finish(new Error(`load client for "${spec.title}" overran; killed`)),
      (spec.duration + 60) * 1000,
    );
    child.on('message', (message: LoadResult) => finish(null, message));
    child.on('error', (error) => finish(error));
    child.on('exit', (code, signal) =>
      finish(new Error(`load client exited (${code ?? signal}) without a result`)),
    );
    child.send(spec);
  });
}

function clientMain(): void {
  process.on('disconnect', () => process.exit(1));
  process.once('message', (spec: LoadSpec) => {
    runLoad(spec).then(
      (result) => process.send!(result, () => process.exit(0)),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}

// ---------------------------------------------------------------- checks before loading

/** POSTs JSON; a body that is not JSON is reported in `text` with `body` null. */
async function postJson<T>(
  url: string,
  body: string,
): Promise<{ status: number; body: T | null; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as T, text };
  } catch {
    return { status: res.status, body: null, text };
  }
}

function describeErrors(errors: GqlError[] | undefined): string {
  return (errors ?? [])
    .slice(0, 3)
    .map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`)
    .join(' | ');
}

/** Differences between the GraphQL answer and the raw one to the same question. */
function differences(q: BenchQuery, g: GqlEligibilityResult, r: RawResult): string[] {
  const out: string[] = [];
  const where = `${q.hostCountry} ${q.activityKey} on ${q.on}`;
  if (g.status !== r.status) out.push(`${where}: status GraphQL ${g.status}, raw ${r.status}`);
  if ((g.listVersion?.version ?? null) !== (r.listVersion?.version ?? null))
    out.push(`${where}: listVersion differs`);
  if (g.matches.length !== r.matches.length) {
    out.push(`${where}: ${g.matches.length} matches from GraphQL, ${r.matches.length} raw`);
    return out;
  }
  g.matches.forEach((gm, i) => {
    const rm = r.matches[i];
    if (gm.status !== rm.status) out.push(`${where}: match status ${gm.status} vs ${rm.status}`);
    const go = gm.criteria.map((c) => `${c.outcome}:${c.actual ?? ''}`).join(',');
    const ro = rm.criteria.map((c) => `${c.outcome}:${c.actual ?? ''}`).join(',');
    if (go !== ro) out.push(`${where}: criteria [${go}] vs [${ro}]`);
    const gMissing = [...gm.missingParameters].sort().join(',');
    const rMissing = [...rm.missingParameters].sort().join(',');
    if (gMissing !== rMissing)
      out.push(`${where}: missingParameters [${gMissing}] vs [${rMissing}]`);
    const gb = gm.baselineValue;
    const rb = rm.baselineValue;
    if ((gb === null) !== (rb === null) || (gb !== null && rb !== null && Math.abs(gb - rb) > 1e-9))
      out.push(`${where}: baselineValue ${gb} vs ${rb}`);
  });
  return out;
}

/** One question of each kind through both paths; returns the problems found. */
async function preflight(
  graphqlUrl: string,
  rawUrl: string,
  queries: BenchQuery[],
  batchBody: string,
): Promise<string[]> {
  const problems: string[] = [];
  const sample = queries.slice(0, 60);
  const statuses = new Map<string, number>();
  const diffs: string[] = [];
  let graphqlFailed = false;
  for (const q of sample) {
    const raw = await postJson<RawResult>(rawUrl, JSON.stringify(q));
    if (raw.status !== 200 || !raw.body) {
      problems.push(`raw /check answered HTTP ${raw.status}: ${raw.text.slice(0, 400)}`);
      break;
    }
    statuses.set(raw.body.status, (statuses.get(raw.body.status) ?? 0) + 1);
    if (graphqlFailed) continue;
    const gql = await postJson<GqlResponse<CheckData>>(
      graphqlUrl,
      JSON.stringify({ query: CHECK_DOCUMENT, variables: { q } }),
    );
    if (!gql.body?.data || gql.body.errors) {
      problems.push(
        `GraphQL checkEligibility answered HTTP ${gql.status} with errors: ${gql.body ? describeErrors(gql.body.errors) : gql.text.slice(0, 400)}`,
      );
      graphqlFailed = true;
      continue;
    }
    diffs.push(...differences(q, gql.body.data.checkEligibility, raw.body));
  }
  console.log(
    `  raw answers to ${sample.length} sample questions: ${[...statuses].map(([s, n]) => `${s} ${n}`).join(', ')}`,
  );
  if (!graphqlFailed) {
    console.log(
      `  GraphQL and raw agree on ${sample.length - new Set(diffs.map((d) => d.split(':')[0])).size} of ${sample.length}`,
    );
  }
  if (diffs.length > 0) {
    problems.push(
      `GraphQL and raw disagree (${diffs.length} differences), e.g.\n      ${diffs.slice(0, 5).join('\n      ')}`,
    );
  }
  const batch = await postJson<GqlResponse<BatchData>>(graphqlUrl, batchBody);
  if (!batch.body?.data || batch.body.errors) {
    problems.push(
      `GraphQL checkEligibilityBatch answered HTTP ${batch.status} with errors: ${batch.body ? describeErrors(batch.body.errors) : batch.text.slice(0, 400)}`,
    );
  } else if (batch.body.data.checkEligibilityBatch.length !== BATCH_SIZE) {
    problems.push(
      `checkEligibilityBatch returned ${batch.body.data.checkEligibilityBatch.length} results for ${BATCH_SIZE} queries`,
    );
  }
  return problems;
}

/** searchEntries answers a sample of the filters without errors. */
async function preflightSearch(
  graphqlUrl: string,
  bodies: string[],
  what: string,
): Promise<string[]> {
  const totals: number[] = [];
  for (const body of bodies) {
    const res = await postJson<GqlResponse<{ searchEntries: { totalCount: number } }>>(
      graphqlUrl,
      body,
    );
    if (!res.body?.data || res.body.errors) {
      return [
        `GraphQL searchEntries answered HTTP ${res.status} with errors: ${res.body ? describeErrors(res.body.errors) : res.text.slice(0, 400)}`,
      ];
    }
    totals.push(res.body.data.searchEntries.totalCount);
  }
  console.log(
    `  searchEntries, ${what}: ${bodies.length} sample filters, ${Math.min(...totals)} to ${Math.max(...totals)} entries each`,
  );
  return [];
}

/** What a receipt says about its answer; problems with it are pushed onto `out`. */
function receiptProblems(
  where: string,
  result: GqlEligibilityResult,
  publicKey: string,
  q: BenchQuery,
  out: string[],
): void {
  const receipt = result.receipt;
  if (!receipt) {
    out.push(`${where}: receipt is ${receipt === null ? 'null' : 'missing'}`);
    return;
  }
  let body: { status?: unknown; query?: { hostCountry?: unknown; activityKey?: unknown } };
  try {
    body = JSON.parse(receipt.body) as typeof body;
  } catch {
    out.push(`${where}: receipt body does not parse: ${receipt.body.slice(0, 200)}`);
    return;
  }
  if (body.status !== result.status)
    out.push(`${where}: receipt says ${String(body.status)}, the answer ${result.status}`);
  if (body.query?.hostCountry !== q.hostCountry || body.query?.activityKey !== q.activityKey)
    out.push(`${where}: receipt names another question`);
  for (const p of statementProblems(receipt, publicKey)) out.push(`${where}: receipt: ${p}`);
}

/**
 * Receipts before loading them: on single answers and on one batch, every answer carries a
 * receipt whose body parses, states the answer given and verifies against the run's key.
 */
async function preflightReceipts(
  graphqlUrl: string,
  queries: BenchQuery[],
  batchReceiptBody: string,
  publicKey: string,
): Promise<string[]> {
  const problems: string[] = [];
  const sample = queries.slice(0, 20);
  let checked = 0;
  let firstBody: string | undefined;
  for (const q of sample) {
    const where = `${q.hostCountry} ${q.activityKey} on ${q.on}`;
    const gql = await postJson<GqlResponse<CheckData>>(
      graphqlUrl,
      JSON.stringify({ query: CHECK_RECEIPT_DOCUMENT, variables: { q } }),
    );
    if (!gql.body?.data || gql.body.errors) {
      problems.push(
        `GraphQL checkEligibility with receipt answered HTTP ${gql.status} with errors: ${gql.body ? describeErrors(gql.body.errors) : gql.text.slice(0, 400)}`,
      );
      return problems;
    }
    const result = gql.body.data.checkEligibility;
    receiptProblems(where, result, publicKey, q, problems);
    firstBody ??= result.receipt?.body;
    checked++;
  }
  const batchQueries = (JSON.parse(batchReceiptBody) as { variables: { qs: BenchQuery[] } })
    .variables.qs;
  const batch = await postJson<GqlResponse<BatchData>>(graphqlUrl, batchReceiptBody);
  if (!batch.body?.data || batch.body.errors) {
    problems.push(
      `GraphQL checkEligibilityBatch with receipts answered HTTP ${batch.status} with errors: ${batch.body ? describeErrors(batch.body.errors) : batch.text.slice(0, 400)}`,
    );
  } else {
    const results = batch.body.data.checkEligibilityBatch;
    if (results.length !== batchQueries.length)
      problems.push(`batch with receipts: ${results.length} results for ${batchQueries.length}`);
    results.forEach((r, i) =>
      receiptProblems(`batch answer ${i}`, r, publicKey, batchQueries[i], problems),
    );
    console.log(`  receipts: ${checked} single answers and ${results.length} batch answers`);
  }
  if (firstBody)
    console.log(`  e.g. ${firstBody.length} characters: ${firstBody.slice(0, 300)}...`);
  if (problems.length === 0) console.log('  every receipt is there, parses and verifies');
  return problems.length > 5
    ? [...problems.slice(0, 5), `... ${problems.length - 5} more receipt problems`]
    : problems;
}

/** Runs `work` under V8's CPU profiler (through the inspector) and writes the profile to `file`. */
async function profiled<T>(
  file: string,
  work: () => Promise<T>,
): Promise<{ result: T; profile: CpuProfile }> {
  const session = new Session();
  session.connect();
  const post = <R>(method: string): Promise<R> =>
    new Promise((resolve, reject) =>
      session.post(method, (error, answer) => (error ? reject(error) : resolve(answer as R))),
    );
  try {
    await post('Profiler.enable');
    await post('Profiler.start');
    const result = await work();
    const { profile } = await post<{ profile: CpuProfile }>('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    return { result, profile };
  } finally {
    session.disconnect();
  }
}

/** The counters of a pg Pool that tell whether it is busy. */
interface PoolCounters {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * Waits (at most `limitMs`) until the service's connection pool has been idle for 300 ms on
 * end. autocannon stops at its deadline and abandons the requests still in flight, which the
 * service goes on answering: without this, the next run would start behind the previous one's
 * backlog (up to a second of batch work), and closing the service would cut those requests'
 * queries short.
 */
async function settle(pool: PoolCounters | undefined, limitMs = 30_000): Promise<void> {
  if (!pool) return;
  const start = Date.now();
  let idleSince: number | undefined;
  while (Date.now() - start < limitMs) {
    const now = Date.now();
    if (pool.waitingCount === 0 && pool.idleCount === pool.totalCount) {
      idleSince ??= now;
      if (now - idleSince >= 300) return;
    } else idleSince = undefined;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  console.log(`  (the service was still busy after ${limitMs / 1000} s; going on)`);
}

// ---------------------------------------------------------------- report

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : 'n/a';

function printRun(r: LoadResult, queriesPerRequest: number): void {
  const qps = queriesPerRequest > 1 ? `  = ${fmt(r.perSecond * queriesPerRequest)} queries/s` : '';
  console.log(
    `  ${r.title.padEnd(56)} ${fmt(r.perSecond).padStart(7)} req/s${qps}   p50 ${fmt(r.p50, 1)} ms   p99 ${fmt(r.p99, 1)} ms   (${r.requests} requests in ${r.seconds} s)`,
  );
  const bad = r.failedResponses + r.connectionErrors;
  if (bad > 0) {
    console.log(
      `  !!! ${r.title}: ${r.failedResponses} failed responses (non-2xx: ${r.non2xx}), ${r.connectionErrors} connection errors (${r.timeouts} timeouts)`,
    );
    if (r.firstFailure) console.log(`  !!! first: ${r.firstFailure}`);
  }
}

/** One target of the edge comparison: a load run, and how many questions a request asks. */
interface EdgeTarget {
  spec: LoadSpec;
  perRequest: number;
}

/** Every round of every target of the edge comparison, and the memory seen meanwhile. */
interface EdgeRounds {
  saturated: { target: EdgeTarget; results: LoadResult[] }[];
  paced: { target: EdgeTarget; results: LoadResult[] }[];
  rssIdleMb: number;
  rssPeakMb: number;
}

/** Samples this process's resident set size every 100 ms until stopped; the peak in MB. */
class RssSampler {
  readonly idleMb = process.memoryUsage.rss() / 2 ** 20;
  private peak = this.idleMb;
  private readonly timer = setInterval(() => {
    this.peak = Math.max(this.peak, process.memoryUsage.rss() / 2 ** 20);
  }, 100);

  stop(): number {
    clearInterval(this.timer);
    return Math.max(this.peak, process.memoryUsage.rss() / 2 ** 20);
  }
}

/**
 * The edge comparison as Markdown: medians over the rounds, the GraphQL/raw throughput ratio
 * (of the medians, and round by round, each GraphQL run against the raw run of its round), and
 * the issue's targets met or not.
 */
function printEdge(
  edge: EdgeRounds,
  rounds: number,
  connections: number,
  duration: number,
  rate: number,
  batchRate: number,
): void {
  const m = (rs: LoadResult[]) => ({
    perSecond: median(rs.map((r) => r.perSecond)),
    p50: median(rs.map((r) => r.p50)),
    p99: median(rs.map((r) => r.p99)),
  });
  const failed = (rs: LoadResult[]) =>
    rs.some((r) => r.failedResponses + r.connectionErrors > 0) ? ' (failed responses)' : '';
  console.log('');
  console.log(
    `edge: saturated at ${connections} connections, ${duration} s per run; paced at ${rate}/s (batches ${batchRate}/s); median of ${rounds} rounds each`,
  );
  console.log('');
  console.log('| run | req/s | queries/s | p50 ms | p99 ms |');
  console.log('|---|---:|---:|---:|---:|');
  for (const { target, results } of [...edge.saturated, ...edge.paced]) {
    const v = m(results);
    console.log(
      `| ${target.spec.title}${failed(results)} | ${fmt(v.perSecond)} | ${fmt(v.perSecond * target.perRequest)} | ${fmt(v.p50, 1)} | ${fmt(v.p99, 1)} |`,
    );
  }
  // Runs by title, not by position: targets are added to the lists over time.
  const titled = (title: string) =>
    [...edge.saturated, ...edge.paced].find((t) => t.target.spec.title === title)!;
  const single = titled('GraphQL checkEligibility');
  const batch = titled(`GraphQL checkEligibilityBatch x${BATCH_SIZE}`);
  const raw = titled('raw /check');
  const floor = titled('GraphQL { __typename } (floor)');
  const ratios = (t: { target: EdgeTarget; results: LoadResult[] }) => {
    const perRound = t.results.map(
      (r, i) => (r.perSecond * t.target.perRequest) / raw.results[i].perSecond,
    );
    const ofMedians = (m(t.results).perSecond * t.target.perRequest) / m(raw.results).perSecond;
    return {
      ofMedians,
      perRound,
      text: `${fmt(ofMedians, 2)} (per round ${perRound.map((x) => fmt(x, 2)).join(', ')})`,
    };
  };
  const singleRatio = ratios(single);
  console.log('');
  console.log(
    `GraphQL/raw throughput: checkEligibility ${singleRatio.text}; { __typename } ${ratios(floor).text}; checkEligibilityBatch questions/s over raw req/s ${ratios(batch).text}`,
  );
  console.log(
    `resident memory of the service's process: ${fmt(edge.rssIdleMb)} MB before the saturated runs, ${fmt(edge.rssPeakMb)} MB at most during them (an upper bound: the process also holds the raw server and the benchmark's request bodies; npm run bench:footprint measures the service alone)`,
  );
  const pacedSingle = m(titled(`GraphQL checkEligibility @${rate}/s paced`).results);
  const pacedSearch = m(titled(`GraphQL searchEntries, one country @${rate}/s paced`).results);
  const pacedBatch = m(
    titled(`GraphQL checkEligibilityBatch x${BATCH_SIZE} @${batchRate}/s paced`).results,
  );
  const pacedAcross = m(
    titled(`GraphQL searchEntries, all countries @${batchRate}/s paced`).results,
  );
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log(
    `targets (issue #13): checkEligibility >= 0.5x raw: ${fmt(singleRatio.ofMedians, 2)}x, ${verdict(singleRatio.ofMedians >= 0.5)}; ` +
      `p99 < 20 ms @${rate}/s: checkEligibility ${fmt(pacedSingle.p99, 1)} ms ${verdict(pacedSingle.p99 < 20)}, searchEntries in one country ${fmt(pacedSearch.p99, 1)} ms ${verdict(pacedSearch.p99 < 20)} (across all countries, alone: ${fmt(pacedAcross.p99, 1)} ms); ` +
      `batch x${BATCH_SIZE} p50 < 50 ms: ${fmt(pacedBatch.p50, 1)} ms ${verdict(pacedBatch.p50 < 50)}; ` +
      // This process also holds the raw server and every request body: only an upper bound,
      // which can meet the target but not miss it. bench:footprint measures the service alone.
      `RSS <= 300 MB: ${fmt(edge.rssPeakMb)} MB for this whole process, ${edge.rssPeakMb <= 300 ? 'met' : 'not decided here (npm run bench:footprint measures the service alone)'}`,
  );
}

/** Rounds of one document with and without the receipt field, in the order they ran. */
interface ReceiptComparison {
  name: string;
  perRequest: number;
  without: LoadResult[];
  with: LoadResult[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0
    ? NaN
    : sorted.length % 2 === 1
      ? sorted[mid]
      : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Receipts' cost as a Markdown table: medians over the rounds, and the relative change. */
function printReceipts(
  comparisons: ReceiptComparison[],
  rounds: number,
  connections: number,
  duration: number,
): void {
  const pct = (n: number) => `${n >= 0 ? '+' : ''}${fmt(n, 1)}%`;
  console.log('');
  console.log(
    `receipts (issue #11): saturated, ${connections} connections, ${duration} s per run, median of ${rounds} rounds each, alternated ABBA`,
  );
  console.log('');
  console.log('| run | req/s | queries/s | p50 ms | p99 ms |');
  console.log('|---|---:|---:|---:|---:|');
  const costs: string[] = [];
  for (const c of comparisons) {
    const m = (rs: LoadResult[]) => ({
      perSecond: median(rs.map((r) => r.perSecond)),
      p50: median(rs.map((r) => r.p50)),
      p99: median(rs.map((r) => r.p99)),
    });
    const without = m(c.without);
    const withReceipt = m(c.with);
    for (const [label, v] of [
      ['without receipt', without],
      ['with receipt', withReceipt],
    ] as const) {
      console.log(
        `| ${c.name} ${label} | ${fmt(v.perSecond)} | ${fmt(v.perSecond * c.perRequest)} | ${fmt(v.p50, 1)} | ${fmt(v.p99, 1)} |`,
      );
    }
    const cost = (1 - withReceipt.perSecond / without.perSecond) * 100;
    // The same, paired round by round (the two runs of a round ran back to back).
    const paired = c.with.map((w, i) => (1 - w.perSecond / c.without[i].perSecond) * 100);
    costs.push(
      `${c.name}: receipts cost ${fmt(cost, 1)}% of throughput (medians; per round ${paired.map((x) => `${fmt(x, 1)}%`).join(', ')}, median ${fmt(median(paired), 1)}%); ` +
        `p50 ${pct((withReceipt.p50 / without.p50 - 1) * 100)}, p99 ${pct((withReceipt.p99 / without.p99 - 1) * 100)}; ` +
        `${cost > 15 ? 'above' : 'within'} issue #11's 15%`,
    );
  }
  console.log('');
  for (const line of costs) console.log(line);
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      countries: { type: 'string', default: '200' },
      entries: { type: 'string', default: '300' },
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '32' },
      rate: { type: 'string', default: '200' },
      'batch-rate': { type: 'string', default: '5' },
      'rate-duration': { type: 'string', default: '10' },
      client: { type: 'string', default: 'fork' },
      rounds: { type: 'string', default: '3' },
      only: { type: 'string', default: process.env.BENCH_ONLY ?? 'all' },
      server: { type: 'string', default: 'postgres://postgres:postgres@127.0.0.1:5432' },
      profile: { type: 'string' },
    },
  });
  const countryCount = Number(values.countries);
  const entries = Number(values.entries);
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const rate = Number(values.rate);
  const batchRate = Number(values['batch-rate']);
  const rateDuration = Number(values['rate-duration']);
  const rounds = Number(values.rounds);
  const edgeRuns = values.only !== 'receipts';
  const receiptRuns = values.only !== 'edge';
  const allCodes = [...ISO_3166_ALPHA3.keys()];
  const whole = (n: number, min: number, max: number) =>
    Number.isInteger(n) && n >= min && n <= max;
  if (
    !whole(countryCount, 1, allCodes.length) ||
    !whole(entries, 1, 100_000) ||
    !whole(duration, 1, 600) ||
    !whole(connections, 1, 1000) ||
    !whole(rate, 1, 100_000) ||
    !whole(batchRate, 1, 1000) ||
    !whole(rateDuration, 1, 600) ||
    !whole(rounds, 1, 20) ||
    !['fork', 'inprocess'].includes(values.client) ||
    !['all', 'edge', 'receipts'].includes(values.only)
  ) {
    throw new Error(
      `bad arguments: --countries 1..${allCodes.length}, --entries 1..100000, --duration and --rate-duration 1..600 s, --connections 1..1000, --rate 1..100000, --batch-rate 1..1000, --client fork|inprocess, --rounds 1..20, --only all|edge|receipts (or BENCH_ONLY)`,
    );
  }
  const server = new URL(values.server);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(server.hostname))
    throw new Error('--server must be on 127.0.0.1');
  const runClient = values.client === 'fork' ? runLoadForked : runLoad;
  const countries = allCodes.slice(0, countryCount);

  const database = `plr_bench_elig_${Date.now()}`;
  const admin = new Client({ connectionString: `${values.server}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = `${values.server}/${database}`;
  let app: INestApplication | undefined;
  let raw: { server: Server; pool: Pool; base: string } | undefined;
  let servicePool: PoolCounters | undefined;
  // Every run starts once the service has finished the previous run's abandoned requests.
  const load = async (spec: LoadSpec): Promise<LoadResult> => {
    await settle(servicePool);
    return runClient(spec);
  };
  const problems: string[] = [];
  const step = async (what: string, action: () => Promise<unknown>) => {
    try {
      await action();
    } catch (error: unknown) {
      console.error(`cleanup: ${what} failed:`, error);
    }
  };
  let cleaning: Promise<void> | undefined;
  // Once only; every caller (signal handler, finally) waits for the same drop.
  const cleanup = () =>
    (cleaning ??= (async () => {
      const rawServer = raw;
      if (rawServer) {
        await step('closing the raw server', async () => {
          rawServer.server.closeAllConnections();
          await new Promise((resolve) => rawServer.server.close(resolve));
          await rawServer.pool.end();
        });
      }
      const service = app;
      if (service) {
        await step('waiting for the service to finish', () => settle(servicePool, 15_000));
        await step('closing the service', () => service.close());
      }
      // BENCH_KEEP_DATABASE=1 leaves the generated data behind, to EXPLAIN a query against it.
      if (process.env.BENCH_KEEP_DATABASE === '1') console.log(`kept database ${database}`);
      else
        await step(`dropping database ${database}`, async () => {
          await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
          console.log(`dropped database ${database}`);
        });
      await step('closing the admin connection', () => admin.end());
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const ds = createDataSource(url, 2);
    await ds.initialize();
    await migrate(ds);
    await ds.destroy();

    console.log(
      `generating ${countryCount} countries x ${entries} entries in database ${database}...`,
    );
    let t0 = Date.now();
    const total = await generate(url, countries, entries);
    console.log(
      `  ${total} entries (${countryCount * 3} NDC sectors, ${countryCount} published versions), with VACUUM ANALYZE, in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );

    // A signing key for this run only, so that receipts are signed (not null).
    const signingKey = generateKeyPairSync('ed25519').privateKey;
    const publicKey = rawPublicKey(createPublicKey(signingKey)).toString('base64');
    const config = loadConfig({
      DATABASE_URL: url,
      BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
      AUDIT_CHECKPOINT_INTERVAL_SECONDS: '0',
      AUDIT_SIGNING_KEY: signingKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      LOG_LEVEL: 'error',
      // All load comes from one address here: per-client limits would measure themselves.
      RATE_LIMIT_ANONYMOUS: '0',
      RATE_LIMIT_AUTHENTICATED: '0',
      RATE_LIMIT_CONCURRENT_EXPENSIVE: '0',
      // GRAPHQL_FAST_PATH=false measures the service with every request through Apollo.
      GRAPHQL_FAST_PATH: process.env.GRAPHQL_FAST_PATH ?? 'true',
    });
    app = await createApp(config, url, new JsonLogger('error'));
    await app.listen(0, '127.0.0.1');
    servicePool = (app.get(DataSource).driver as unknown as { master: PoolCounters }).master;
    // Receipts cite the latest checkpoint: sign one now if the audit log has events.
    const checkpoint = await app.get(CheckpointsService).checkpoint();
    console.log(
      `service signs receipts with a key made for this run (${publicKey}); latest checkpoint: ${checkpoint ? `tree size ${checkpoint.treeSize}` : 'none (the audit log is empty)'}`,
    );
    const graphqlUrl = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/graphql`;
    raw = await startRawServer(url);
    const rawUrl = `${raw.base}/check`;

    const queries = makeQueries(countries, entries, 4000);
    const checkBodies = queries.map((q) =>
      JSON.stringify({ query: CHECK_DOCUMENT, variables: { q } }),
    );
    const rawBodies = queries.map((q) => JSON.stringify(q));
    const checkReceiptBodies = queries.map((q) =>
      JSON.stringify({ query: CHECK_RECEIPT_DOCUMENT, variables: { q } }),
    );
    const batchBodies: string[] = [];
    const batchReceiptBodies: string[] = [];
    for (let i = 0; i + BATCH_SIZE <= queries.length; i += BATCH_SIZE) {
      const qs = queries.slice(i, i + BATCH_SIZE);
      batchBodies.push(JSON.stringify({ query: BATCH_DOCUMENT, variables: { qs } }));
      batchReceiptBodies.push(JSON.stringify({ query: BATCH_RECEIPT_DOCUMENT, variables: { qs } }));
    }
    const searchBody = (variables: Record<string, unknown>) =>
      JSON.stringify({ query: SEARCH_DOCUMENT, variables });
    const searchBodies = makeSearches(countries, 1000, false).map(searchBody);
    const searchAcrossBodies = makeSearches(countries, 30, true).map(searchBody);

    console.log('checking both paths before loading them:');
    t0 = Date.now();
    const found = [
      ...(await preflight(graphqlUrl, rawUrl, queries, batchBodies[0])),
      ...(await preflightSearch(graphqlUrl, searchBodies.slice(0, 20), 'one country')),
      ...(await preflightSearch(graphqlUrl, searchAcrossBodies.slice(0, 6), 'all countries')),
      ...(await preflightReceipts(graphqlUrl, queries, batchReceiptBodies[0], publicKey)),
    ];
    console.log(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    for (const p of found) console.log(`  !!! ${p}`);
    problems.push(...found);

    const cores = cpus().length;
    console.log(
      `load: ${connections} connections, ${duration} s per run, client ${values.client === 'fork' ? 'in a forked child process' : "on the servers' event loop"}; ` +
        `client, both servers and PostgreSQL share this machine's ${cores} cores, so absolute numbers are lower bounds.`,
    );
    const spec = (
      title: string,
      target: string,
      bodies: string[],
      graphql: boolean,
      seconds: number,
      overallRate = 0,
      mode: LoadSpec['mode'] = 'autocannon',
      failIfIncludes?: string,
    ): LoadSpec => ({
      title,
      mode,
      url: target,
      bodies,
      connections,
      duration: seconds,
      overallRate,
      maxRequests: seconds * 100_000,
      graphql,
      failIfIncludes,
    });
    const warmup = Math.min(2, duration);
    console.log(`warming up (${warmup} s per target, not reported)...`);
    await load(spec('warm-up GraphQL', graphqlUrl, checkBodies, true, warmup));
    await load(spec('warm-up GraphQL batch', graphqlUrl, batchBodies, true, warmup));
    if (edgeRuns) {
      await load(spec('warm-up raw', rawUrl, rawBodies, false, warmup));
      await load(spec('warm-up GraphQL search', graphqlUrl, searchBodies, true, warmup));
      await load(
        spec(
          'warm-up GraphQL search across',
          graphqlUrl,
          searchAcrossBodies,
          true,
          warmup,
          batchRate,
          'paced',
        ),
      );
    }
    if (receiptRuns) {
      await load(spec('warm-up GraphQL receipt', graphqlUrl, checkReceiptBodies, true, warmup));
      await load(
        spec('warm-up GraphQL batch receipt', graphqlUrl, batchReceiptBodies, true, warmup),
      );
    }

    const runs: { result: LoadResult; perRequest: number; offered: string }[] = [];
    const measure = async (s: LoadSpec, perRequest = 1): Promise<LoadResult> => {
      const result = await load(s);
      printRun(result, perRequest);
      runs.push({ result, perRequest, offered: s.overallRate ? String(s.overallRate) : 'max' });
      return result;
    };
    let edgeRounds: EdgeRounds | undefined;
    if (edgeRuns) {
      // The same targets in every round, the order reversed every other round (ABBA), so that
      // drift on a shared machine falls on all alike; medians over the rounds are reported.
      const runRounds = async (targets: EdgeTarget[]): Promise<Map<string, LoadResult[]>> => {
        const results = new Map(targets.map((t) => [t.spec.title, [] as LoadResult[]]));
        for (let round = 1; round <= rounds; round++) {
          const order = round % 2 === 1 ? targets : [...targets].reverse();
          for (const t of order) {
            const result = await measure(
              { ...t.spec, title: `${t.spec.title} #${round}` },
              t.perRequest,
            );
            results.get(t.spec.title)!.push(result);
          }
        }
        return results;
      };
      const rss = new RssSampler();
      console.log(
        `saturation (as fast as the connections go), ${rounds} rounds, order reversed every other round:`,
      );
      const saturated: EdgeTarget[] = [
        {
          spec: spec('GraphQL checkEligibility', graphqlUrl, checkBodies, true, duration),
          perRequest: 1,
        },
        {
          spec: spec(
            `GraphQL checkEligibilityBatch x${BATCH_SIZE}`,
            graphqlUrl,
            batchBodies,
            true,
            duration,
          ),
          perRequest: BATCH_SIZE,
        },
        { spec: spec('raw /check', rawUrl, rawBodies, false, duration), perRequest: 1 },
        // How many searches in one country an instance answers at most (one SQL statement each).
        {
          spec: spec(
            'GraphQL searchEntries, one country',
            graphqlUrl,
            searchBodies,
            true,
            duration,
          ),
          perRequest: 1,
        },
        // What the framework alone costs here (HTTP layer + Nest + Apollo, no resolver work,
        // no SQL): the ceiling of any GraphQL operation on this machine.
        {
          spec: spec(
            'GraphQL { __typename } (floor)',
            graphqlUrl,
            [JSON.stringify({ query: '{ __typename }' })],
            true,
            duration,
          ),
          perRequest: 1,
        },
      ];
      const saturatedResults = await runRounds(saturated);
      const rssUnderLoad = rss.stop();

      const rated = `@${rate}/s`;
      console.log(
        `fixed offered rate, paced (open loop, latency counted from when each request was due), ${rounds} rounds: one request every ${fmt(1000 / rate, 1)} ms; a lone batch every ${fmt(1000 / batchRate, 0)} ms:`,
      );
      const paced: EdgeTarget[] = [
        {
          spec: spec(
            `GraphQL checkEligibility ${rated} paced`,
            graphqlUrl,
            checkBodies,
            true,
            rateDuration,
            rate,
            'paced',
          ),
          perRequest: 1,
        },
        {
          spec: spec(
            `raw /check ${rated} paced`,
            rawUrl,
            rawBodies,
            false,
            rateDuration,
            rate,
            'paced',
          ),
          perRequest: 1,
        },
        {
          spec: spec(
            `GraphQL searchEntries, one country ${rated} paced`,
            graphqlUrl,
            searchBodies,
            true,
            rateDuration,
            rate,
            'paced',
          ),
          perRequest: 1,
        },
        {
          spec: spec(
            `GraphQL checkEligibilityBatch x${BATCH_SIZE} @${batchRate}/s paced`,
            graphqlUrl,
            batchBodies,
            true,
            rateDuration,
            batchRate,
            'paced',
          ),
          perRequest: BATCH_SIZE,
        },
        // Lone requests, like the batch: at 200/s these would only measure a queue.
        {
          spec: spec(
            `GraphQL searchEntries, all countries @${batchRate}/s paced`,
            graphqlUrl,
            searchAcrossBodies,
            true,
            rateDuration,
            batchRate,
            'paced',
          ),
          perRequest: 1,
        },
      ];
      const pacedResults = await runRounds(paced);
      edgeRounds = {
        saturated: saturated.map((t) => ({
          target: t,
          results: saturatedResults.get(t.spec.title)!,
        })),
        paced: paced.map((t) => ({ target: t, results: pacedResults.get(t.spec.title)! })),
        rssIdleMb: rss.idleMb,
        rssPeakMb: rssUnderLoad,
      };
    }

    // Receipts (issue #11): the same document with and without the receipt field, alternated
    // ABBA round by round so that drift on a shared machine falls on both alike.
    if (receiptRuns)
      console.log(
        `receipts, saturation: with and without receipt { body keyId publicKey signature }, ${rounds} rounds each, alternated:`,
      );
    const compare = async (
      name: string,
      plainBodies: string[],
      receiptBodies: string[],
      perRequest: number,
    ): Promise<ReceiptComparison> => {
      const comparison: ReceiptComparison = { name, perRequest, without: [], with: [] };
      for (let round = 1; round <= rounds; round++) {
        for (const signed of round % 2 === 1 ? [false, true] : [true, false]) {
          const result = await measure(
            signed
              ? spec(
                  `${name} with receipt #${round}`,
                  graphqlUrl,
                  receiptBodies,
                  true,
                  duration,
                  0,
                  'autocannon',
                  NULL_RECEIPT,
                )
              : spec(`${name} without receipt #${round}`, graphqlUrl, plainBodies, true, duration),
            perRequest,
          );
          (signed ? comparison.with : comparison.without).push(result);
        }
      }
      return comparison;
    };
    const comparisons = receiptRuns
      ? [
          await compare('GraphQL checkEligibility', checkBodies, checkReceiptBodies, 1),
          await compare(
            `GraphQL checkEligibilityBatch x${BATCH_SIZE}`,
            batchBodies,
            batchReceiptBodies,
            BATCH_SIZE,
          ),
        ]
      : [];

    // One more saturated checkEligibility run with V8's sampling profiler on in this process
    // (the service's; the raw server idles meanwhile, the load comes from the forked client).
    const profiledRun = values.profile
      ? await profiled(values.profile, () =>
          load(
            spec('GraphQL checkEligibility (profiled)', graphqlUrl, checkBodies, true, duration),
          ),
        )
      : undefined;

    const failedCount = (r: LoadResult) => r.failedResponses + r.connectionErrors;
    for (const { result: r } of runs) {
      if (failedCount(r) > 0)
        problems.push(
          `${r.title}: ${r.failedResponses} failed responses, ${r.connectionErrors} connection errors`,
        );
    }

    const width = Math.max(...runs.map((r) => r.result.title.length));
    console.log('');
    console.log(
      `${'run'.padEnd(width)} ${'offered'.padStart(7)} ${'req/s'.padStart(8)} ${'queries/s'.padStart(10)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'failed'.padStart(7)}`,
    );
    for (const { result: r, perRequest, offered } of runs) {
      console.log(
        `${r.title.padEnd(width)} ${offered.padStart(7)} ${fmt(r.perSecond).padStart(8)} ${fmt(r.perSecond * perRequest).padStart(10)} ${fmt(r.p50, 1).padStart(8)} ${fmt(r.p99, 1).padStart(8)} ${String(failedCount(r)).padStart(7)}`,
      );
    }
    if (edgeRounds) printEdge(edgeRounds, rounds, connections, duration, rate, batchRate);
    if (profiledRun) {
      console.log('');
      console.log(
        `profiled: GraphQL checkEligibility saturated, ${fmt(profiledRun.result.perSecond)} req/s under the profiler; profile in ${values.profile}`,
      );
      printProfileSummary(summarizeProfile(profiledRun.profile), profiledRun.result.requests);
    }
    if (receiptRuns) printReceipts(comparisons, rounds, connections, duration);
    console.log(
      `${countryCount} countries x ${entries} entries; client (${values.client === 'fork' ? 'forked process' : 'in-process'}), both servers and PostgreSQL share ${cores} cores; NODE_ENV=${process.env.NODE_ENV ?? '(unset)'}.`,
    );
  } finally {
    await cleanup();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  if (problems.length > 0) {
    console.error(`\nFAILED (${problems.length} problems):`);
    for (const p of problems) console.error(`  - ${p}`);
    process.exit(1);
  }
  process.exit(0);
}

if (process.env[CLIENT_ENV] === '1') {
  clientMain();
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
