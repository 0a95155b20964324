/* eslint-disable no-console -- a benchmark reports to its terminal */
/**
 * Eligibility benchmark: builds a fresh PostgreSQL database with N host countries, each with one
 * published list of M entries (default 200 x 300 = 60,000 entries), starts the service on it
 * and, in the same process, a minimal "raw" HTTP server that answers the same question with one
 * hand-written SQL query and a few lines of JavaScript. Then, with autocannon, it measures
 *   - GraphQL checkEligibility (one question per request),
 *   - GraphQL checkEligibilityBatch (100 questions per request),
 *   - the raw server,
 * at 32 connections as fast as they go, and then at a fixed offered rate of 200 requests/s.
 * Before loading, it checks that GraphQL and the raw server give the same answers.
 *
 *   npm run bench -- [--countries 200] [--entries 300] [--duration 10]
 *                    [--server postgres://postgres:postgres@127.0.0.1:5432]
 *                    [--connections 32] [--rate 200] [--rate-duration 10]
 *                    [--client fork|inprocess]
 *
 * The load generator runs by default in a forked child process (`--client fork`), so that it
 * does not share the servers' event loop; `--client inprocess` runs it on the servers' own
 * thread. Either way client, servers and PostgreSQL share the machine's cores.
 *
 * Traffic goes to 127.0.0.1 only; every load run is bounded in time and in requests; the
 * database is dropped at the end, also on error. Exit status 1 when a response carried errors
 * or the two paths disagreed.
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { Client, Pool } from 'pg';
import { INestApplication } from '@nestjs/common';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/config';
import { ISO_3166_ALPHA3 } from '../src/countries/iso3166';
import { createDataSource } from '../src/database/data-source';
import { migrate } from '../src/database/startup-tasks';
import { baselineValue } from '../src/eligibility/baseline';
import { JsonLogger } from '../src/logging/json-logger';
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
  { code: 'AFOLU', name: 'Agriculture, forestry and other land use', ipccSector: 'AFOLU', ipccCategories: ['3.B'] }, // prettier-ignore
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

// ---------------------------------------------------------------- GraphQL documents and types

const RESULT_SELECTION = `{
  status
  matches { status criteria { outcome actual } missingParameters baselineValue explanation }
  listVersion { version }
  explanation
}`;
const CHECK_DOCUMENT = `query Check($q: EligibilityQuery!) { checkEligibility(query: $q) ${RESULT_SELECTION} }`;
const BATCH_DOCUMENT = `query CheckBatch($qs: [EligibilityQuery!]!) { checkEligibilityBatch(queries: $qs) ${RESULT_SELECTION} }`;

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

interface GqlEligibilityResult {
  status: string;
  matches: GqlEntryEligibility[];
  listVersion: { version: number } | null;
  explanation: string;
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
    const versionIds = new Map(countries.map((code) => [code, randomUUID()]));
    await insertRows(
      client,
      'INSERT INTO positive_list_version (id, host_country_code, version, status, title, effective_from, effective_until, created_by_name, submitted_by_name, approved_by_name, published_at)',
      countries.map((code) => [versionIds.get(code), code]),
      ([id, code]) =>
        `(${id},${code},1,'PUBLISHED','bench','2020-01-01',NULL,'bench','bench','bench',now())`,
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
    if (req.method !== 'POST' || req.url !== '/check') return send(res, 404, { error: 'not found' });
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
  url: string;
  bodies: string[];
  connections: number;
  duration: number;
  /** Offered requests per second over all connections; 0: as fast as they go. */
  overallRate: number;
  /** A safety cap on the number of requests of the run. */
  maxRequests: number;
  graphql: boolean;
}

interface LoadResult {
  title: string;
  requests: number;
  seconds: number;
  perSecond: number;
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

async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const path = new URL(spec.url).pathname;
  let next = 0;
  let failedResponses = 0;
  let firstFailure: string | null = null;
  const request: autocannon.Request = {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json' },
    setupRequest: (req) => {
      req.body = spec.bodies[next++ % spec.bodies.length];
      return req;
    },
    onResponse: (status, body) => {
      const failed = status !== 200 || (spec.graphql && body.includes('"errors"'));
      if (failed) {
        failedResponses++;
        firstFailure ??= `HTTP ${status}: ${body.slice(0, 400)}`;
      }
    },
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
    // autocannon corrects for coordinated omission with an expected interval of
    // ceil(1 / per-connection rate) = 1 ms, which floods the histogram with made-up samples.
    options.ignoreCoordinatedOmission = true;
  }
  const result = await autocannon(options);
  const requests = result.requests.total;
  return {
    title: spec.title,
    requests,
    seconds: result.duration,
    perSecond: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    connectionErrors: result.errors,
    timeouts: result.timeouts,
    failedResponses,
    firstFailure,
  };
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
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if (error) reject(error);
      else resolve(result!);
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

async function postJson<T>(url: string, body: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, body: (await res.json()) as T };
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
    if ([...gm.missingParameters].sort().join() !== [...rm.missingParameters].sort().join())
      out.push(`${where}: missingParameters ${gm.missingParameters} vs ${rm.missingParameters}`);
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
    if (raw.status !== 200) {
      problems.push(`raw /check answered HTTP ${raw.status}: ${JSON.stringify(raw.body)}`);
      break;
    }
    statuses.set(raw.body.status, (statuses.get(raw.body.status) ?? 0) + 1);
    if (graphqlFailed) continue;
    const gql = await postJson<GqlResponse<CheckData>>(
      graphqlUrl,
      JSON.stringify({ query: CHECK_DOCUMENT, variables: { q } }),
    );
    if (gql.body.errors || !gql.body.data) {
      problems.push(
        `GraphQL checkEligibility answered HTTP ${gql.status} with errors: ${describeErrors(gql.body.errors)}`,
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
  if (batch.body.errors || !batch.body.data) {
    problems.push(
      `GraphQL checkEligibilityBatch answered HTTP ${batch.status} with errors: ${describeErrors(batch.body.errors)}`,
    );
  } else if (batch.body.data.checkEligibilityBatch.length !== BATCH_SIZE) {
    problems.push(
      `checkEligibilityBatch returned ${batch.body.data.checkEligibilityBatch.length} results for ${BATCH_SIZE} queries`,
    );
  }
  return problems;
}

// ---------------------------------------------------------------- report

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : 'n/a';

function printRun(r: LoadResult, queriesPerRequest: number): void {
  const qps = queriesPerRequest > 1 ? `  = ${fmt(r.perSecond * queriesPerRequest)} queries/s` : '';
  console.log(
    `  ${r.title.padEnd(38)} ${fmt(r.perSecond).padStart(7)} req/s${qps}   p50 ${fmt(r.p50, 1)} ms   p99 ${fmt(r.p99, 1)} ms   (${r.requests} requests in ${r.seconds} s)`,
  );
  const bad = r.failedResponses + r.connectionErrors;
  if (bad > 0) {
    console.log(
      `  !!! ${r.title}: ${r.failedResponses} failed responses (non-2xx: ${r.non2xx}), ${r.connectionErrors} connection errors (${r.timeouts} timeouts)`,
    );
    if (r.firstFailure) console.log(`  !!! first: ${r.firstFailure}`);
  }
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
      'rate-duration': { type: 'string', default: '10' },
      client: { type: 'string', default: 'fork' },
      server: { type: 'string', default: 'postgres://postgres:postgres@127.0.0.1:5432' },
    },
  });
  const countryCount = Number(values.countries);
  const entries = Number(values.entries);
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const rate = Number(values.rate);
  const rateDuration = Number(values['rate-duration']);
  const allCodes = [...ISO_3166_ALPHA3.keys()];
  const whole = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;
  if (
    !whole(countryCount, 1, allCodes.length) ||
    !whole(entries, 1, 100_000) ||
    !whole(duration, 1, 600) ||
    !whole(connections, 1, 1000) ||
    !whole(rate, 1, 100_000) ||
    !whole(rateDuration, 1, 600) ||
    !['fork', 'inprocess'].includes(values.client)
  ) {
    throw new Error(
      `bad arguments: --countries 1..${allCodes.length}, --entries 1..100000, --duration and --rate-duration 1..600 s, --connections 1..1000, --rate 1..100000, --client fork|inprocess`,
    );
  }
  const server = new URL(values.server);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(server.hostname))
    throw new Error('--server must be on 127.0.0.1');
  const load = values.client === 'fork' ? runLoadForked : runLoad;
  const countries = allCodes.slice(0, countryCount);

  const database = `plr_bench_elig_${Date.now()}`;
  const admin = new Client({ connectionString: `${values.server}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = `${values.server}/${database}`;
  let app: INestApplication | undefined;
  let raw: { server: Server; pool: Pool; base: string } | undefined;
  const problems: string[] = [];
  let dropped = false;
  const cleanup = async () => {
    if (dropped) return;
    dropped = true;
    if (raw) {
      raw.server.closeAllConnections();
      await new Promise((resolve) => raw!.server.close(resolve));
      await raw.pool.end();
    }
    if (app) await app.close();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    console.log(`dropped database ${database}`);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`${signal}: cleaning up`);
    cleanup().finally(() => process.exit(130));
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

    const config = loadConfig({
      DATABASE_URL: url,
      BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
      AUDIT_CHECKPOINT_INTERVAL_SECONDS: '0',
      LOG_LEVEL: 'error',
    });
    app = await createApp(config, url, new JsonLogger('error'));
    await app.listen(0, '127.0.0.1');
    const graphqlUrl = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/graphql`;
    raw = await startRawServer(url);
    const rawUrl = `${raw.base}/check`;

    const queries = makeQueries(countries, entries, 4000);
    const checkBodies = queries.map((q) =>
      JSON.stringify({ query: CHECK_DOCUMENT, variables: { q } }),
    );
    const rawBodies = queries.map((q) => JSON.stringify(q));
    const batchBodies: string[] = [];
    for (let i = 0; i + BATCH_SIZE <= queries.length; i += BATCH_SIZE) {
      batchBodies.push(
        JSON.stringify({
          query: BATCH_DOCUMENT,
          variables: { qs: queries.slice(i, i + BATCH_SIZE) },
        }),
      );
    }

    console.log('checking both paths before loading them:');
    t0 = Date.now();
    const found = await preflight(graphqlUrl, rawUrl, queries, batchBodies[0]);
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
    ): LoadSpec => ({
      title,
      url: target,
      bodies,
      connections,
      duration: seconds,
      overallRate,
      maxRequests: seconds * 100_000,
      graphql,
    });
    const warmup = Math.min(2, duration);
    console.log(`warming up (${warmup} s per target, not reported)...`);
    await load(spec('warm-up GraphQL', graphqlUrl, checkBodies, true, warmup));
    await load(spec('warm-up GraphQL batch', graphqlUrl, batchBodies, true, warmup));
    await load(spec('warm-up raw', rawUrl, rawBodies, false, warmup));

    console.log('saturation (as fast as the connections go):');
    const single = await load(
      spec('GraphQL checkEligibility', graphqlUrl, checkBodies, true, duration),
    );
    printRun(single, 1);
    const batch = await load(
      spec(`GraphQL checkEligibilityBatch x${BATCH_SIZE}`, graphqlUrl, batchBodies, true, duration),
    );
    printRun(batch, BATCH_SIZE);
    const rawRun = await load(spec('raw /check', rawUrl, rawBodies, false, duration));
    printRun(rawRun, 1);

    console.log(`fixed offered rate (${rate} requests/s over ${connections} connections):`);
    const singleRated = await load(
      spec(`GraphQL checkEligibility @${rate}/s`, graphqlUrl, checkBodies, true, rateDuration, rate),
    );
    printRun(singleRated, 1);
    const rawRated = await load(
      spec(`raw /check @${rate}/s`, rawUrl, rawBodies, false, rateDuration, rate),
    );
    printRun(rawRated, 1);

    const runs: [LoadResult, number, string][] = [
      [single, 1, 'max'],
      [batch, BATCH_SIZE, 'max'],
      [rawRun, 1, 'max'],
      [singleRated, 1, String(rate)],
      [rawRated, 1, String(rate)],
    ];
    for (const [r] of runs) {
      if (r.failedResponses + r.connectionErrors > 0)
        problems.push(
          `${r.title}: ${r.failedResponses} failed responses, ${r.connectionErrors} connection errors`,
        );
    }
    const valid = (r: LoadResult) => r.failedResponses + r.connectionErrors === 0;

    console.log('');
    console.log(
      `${'run'.padEnd(38)} ${'offered'.padStart(7)} ${'req/s'.padStart(8)} ${'queries/s'.padStart(10)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'failed'.padStart(7)}`,
    );
    for (const [r, perRequest, offered] of runs) {
      console.log(
        `${r.title.padEnd(38)} ${offered.padStart(7)} ${fmt(r.perSecond).padStart(8)} ${fmt(r.perSecond * perRequest).padStart(10)} ${fmt(r.p50, 1).padStart(8)} ${fmt(r.p99, 1).padStart(8)} ${String(r.failedResponses + r.connectionErrors).padStart(7)}`,
      );
    }
    const ratio = (a: LoadResult, perRequest: number) =>
      valid(a) && valid(rawRun) ? fmt((a.perSecond * perRequest) / rawRun.perSecond, 2) : 'n/a';
    console.log(
      `GraphQL/raw throughput: single ${ratio(single, 1)}, batch (queries/s) ${ratio(batch, BATCH_SIZE)}` +
        ` (n/a: a run had failed responses)`,
    );
    console.log(
      `${countryCount} countries x ${entries} entries; ${cores} cores shared by client, servers and PostgreSQL; client: ${values.client}.`,
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
