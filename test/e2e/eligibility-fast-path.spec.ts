import type { FastifyInstance } from 'fastify';
import {
  countryWithPeople,
  publishedVersion,
  redListEntry,
  solarEntry,
} from '../support/list-fixtures';
import { ADMIN_KEY, TestApp, registerCountry } from '../support/test-app';

/**
 * The eligibility fast path (src/eligibility/eligibility-fast-path.ts) answers exactly as
 * Apollo does: the same requests go to an instance with it and to one without it
 * (GRAPHQL_FAST_PATH=false), on one database, and every answer must be the same, byte for
 * byte, with the headers that matter. Each case also says whether the fast path, and not
 * Apollo, is expected to have answered it, so that the comparison is not Apollo against itself.
 */

const FULL = `query Check($q: EligibilityQuery!) { checkEligibility(query: $q) {
  status hostCountry on explanation listVersion { version title effectiveFrom }
  matches { status missingParameters baselineValue explanation
    entry { key name kind methodologies validFrom }
    criteria { outcome actual criterion { parameter operator threshold unit values } } } } }`;
const ALIASED = `query($question: EligibilityQuery!) {
  answer: checkEligibility(query: $question) {
    __typename verdict: status
    version: listVersion { __typename number: version }
    matches { __typename s: status entry { __typename key } criteria { outcome } }
    why: explanation } }`;
const BENCH = `query Check($q: EligibilityQuery!) { checkEligibility(query: $q) { status
  matches { status criteria { outcome actual } missingParameters baselineValue explanation }
  listVersion { version }
  explanation } }`;

const solar = (extra: Record<string, unknown> = {}) => ({
  hostCountry: 'GHA',
  activityKey: 'GHA-SOLAR-UTILITY',
  parameters: [
    { name: 'capacityMW', number: 12 },
    { name: 'region', text: 'Northern' },
  ],
  baselineYear: 2030,
  ...extra,
});

interface Case {
  name: string;
  /** Whether the fast path answers it (else Apollo does, on both instances). */
  fast: boolean;
  method?: 'GET' | 'POST';
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
}

const post = (query: string, variables?: unknown, more: Record<string, unknown> = {}) => ({
  query,
  ...(variables === undefined ? {} : { variables }),
  ...more,
});

const CASES: Case[] = [
  { name: 'every plain field, named', fast: true, body: post(FULL, { q: solar() }) },
  {
    name: 'the same with its operation name',
    fast: true,
    body: post(FULL, { q: solar() }, { operationName: 'Check' }),
  },
  { name: "the benchmark's selection", fast: true, body: post(BENCH, { q: solar() }) },
  {
    name: 'aliases and __typename, anonymous',
    fast: true,
    body: post(ALIASED, { question: solar() }),
  },
  {
    name: 'an answer with a missing parameter',
    fast: true,
    body: post(FULL, { q: solar({ parameters: [{ name: 'capacityMW', number: 80 }] }) }),
  },
  {
    name: 'a technology matching a red-listed entry',
    fast: true,
    body: post(FULL, { q: { hostCountry: 'GHA', technology: 'coal' } }),
  },
  {
    name: 'a country without a list',
    fast: true,
    body: post(FULL, { q: { hostCountry: 'KEN', activityKey: 'X' } }),
  },
  {
    name: 'a date before any list',
    fast: true,
    body: post(FULL, { q: solar({ on: '2001-01-01' }) }),
  },
  // Refused input: Apollo writes every error, on both instances.
  {
    name: 'a nullable variable for the required argument',
    fast: false,
    body: post(ALIASED.replace('EligibilityQuery!', 'EligibilityQuery'), { question: solar() }),
  },
  { name: 'no variables', fast: false, body: post(FULL) },
  { name: 'an empty variables object', fast: false, body: post(FULL, {}) },
  {
    name: 'a variable of the wrong type',
    fast: false,
    body: post(FULL, { q: { hostCountry: 5 } }),
  },
  { name: 'an impossible date', fast: false, body: post(FULL, { q: solar({ on: '2025-02-30' }) }) },
  {
    name: 'a parameter with two values (the class rules)',
    fast: false,
    body: post(FULL, { q: solar({ parameters: [{ name: 'capacityMW', number: 1, text: 'x' }] }) }),
  },
  {
    name: 'text that cannot be stored',
    fast: false,
    body: post(FULL, { q: solar({ activityKey: 'GHA\u0000' }) }),
  },
  {
    name: 'an unknown country',
    fast: false,
    body: post(FULL, { q: solar({ hostCountry: 'ZZZ' }) }),
  },
  {
    name: 'a wrong operation name',
    fast: false,
    body: post(FULL, { q: solar() }, { operationName: 'Other' }),
  },
  {
    name: 'a field that does not exist',
    fast: false,
    body: post(`query($q: EligibilityQuery!) { checkEligibility(query: $q) { nope } }`, {
      q: solar(),
    }),
  },
  // Shapes the fast path leaves to Apollo, answered all the same.
  {
    name: 'a field with a resolver (entry sectors)',
    fast: false,
    body: post(
      `query($q: EligibilityQuery!) { checkEligibility(query: $q) { status matches { entry { key sectors { code } } } } }`,
      { q: solar() },
    ),
  },
  {
    name: 'the receipt',
    fast: false,
    body: post(
      `query($q: EligibilityQuery!) { checkEligibility(query: $q) { status receipt { body } } }`,
      { q: solar() },
    ),
  },
  {
    name: 'a fragment',
    fast: false,
    body: post(
      `query($q: EligibilityQuery!) { checkEligibility(query: $q) { ...R } } fragment R on EligibilityResult { status }`,
      { q: solar() },
    ),
  },
  {
    name: 'a directive',
    fast: false,
    body: post(
      `query($q: EligibilityQuery!, $x: Boolean!) { checkEligibility(query: $q) { status explanation @include(if: $x) } }`,
      { q: solar(), x: false },
    ),
  },
  {
    name: 'two root fields',
    fast: false,
    body: post(
      `query($q: EligibilityQuery!) { a: checkEligibility(query: $q) { status } b: checkEligibility(query: $q) { status } }`,
      { q: solar() },
    ),
  },
  {
    name: 'an inline argument',
    fast: false,
    body: post(
      `{ checkEligibility(query: { hostCountry: "GHA", activityKey: "GHA-SOLAR-UTILITY" }) { status } }`,
    ),
  },
  {
    name: 'with a credential',
    fast: false,
    body: post(BENCH, { q: solar() }),
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  },
  {
    name: 'with a bad credential',
    fast: false,
    body: post(BENCH, { q: solar() }),
    headers: { authorization: 'Bearer nope' },
  },
  {
    name: 'asking for application/graphql-response+json',
    fast: false,
    body: post(BENCH, { q: solar() }),
    headers: { accept: 'application/graphql-response+json' },
  },
  { name: 'a batch', fast: false, body: { batch: true } },
  // GET, as a CDN would pass it on.
  {
    name: 'GET with the preflight header',
    fast: true,
    method: 'GET',
    body: post(BENCH, { q: solar() }),
    headers: { 'apollo-require-preflight': 'true' },
  },
  {
    name: 'GET with an operation name and aliases',
    fast: true,
    method: 'GET',
    body: post(ALIASED, { question: solar() }, { operationName: undefined }),
    headers: { 'x-apollo-operation-name': 'x' },
  },
  {
    name: 'GET without the preflight header',
    fast: false,
    method: 'GET',
    body: post(BENCH, { q: solar() }),
  },
  {
    name: 'GET with bad variables',
    fast: false,
    method: 'GET',
    body: post(BENCH, { q: { hostCountry: 'GHA', on: 'soon' } }),
    headers: { 'apollo-require-preflight': 'true' },
  },
];

/** A GET case's URL: the body's fields as query parameters, as Apollo reads them. */
function getPath(c: Case): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(c.body ?? {})) {
    if (value !== undefined)
      params.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return `/graphql?${params.toString()}`;
}

/** Response headers whose values must agree (the request id is sent, so it is fixed). */
const HEADERS = [
  'content-type',
  'cache-control',
  'etag',
  'vary',
  'x-request-id',
  'content-security-policy',
  'x-content-type-options',
  'cross-origin-resource-policy',
  'connection',
];

describe('the eligibility fast path answers as Apollo does', () => {
  let fast: TestApp;
  let apollo: TestApp;
  const fastPath = () =>
    (fast.app.getHttpAdapter().getInstance() as FastifyInstance).eligibilityFastPath!;

  beforeAll(async () => {
    fast = await TestApp.start();
    apollo = await TestApp.start({ GRAPHQL_FAST_PATH: 'false' }, undefined, fast.db);
    const ghana = await countryWithPeople(fast, 'GHA');
    await publishedVersion(fast, ghana, 'GHA', [
      solarEntry({
        criteria: [
          { parameter: 'capacityMW', operator: 'LTE', threshold: 50, unit: 'MW' },
          { parameter: 'region', operator: 'IN', values: ['Northern', 'Upper East'] },
        ],
      }),
      redListEntry(),
    ]);
    await registerCountry(fast, 'KEN', 'Kenya');
  });
  afterAll(async () => {
    await apollo.app.close();
    await fast.close();
  });

  it('is off with GRAPHQL_FAST_PATH=false', () => {
    expect(fastPath()).toBeDefined();
    expect(
      (apollo.app.getHttpAdapter().getInstance() as FastifyInstance).eligibilityFastPath,
    ).toBeUndefined();
  });

  const send = (t: TestApp, c: Case, id: string) => {
    const headers = { 'x-request-id': id, ...c.headers };
    if (c.method === 'GET') return t.http.get(getPath(c)).set(headers);
    return t.http
      .post('/graphql')
      .set({ 'content-type': 'application/json', ...headers })
      .send(c.body?.batch ? [{ query: BENCH }] : c.body);
  };

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = fastPath().answered;
    const id = `fast-path-${CASES.indexOf(c)}`;
    const a = await send(fast, c, id);
    const answeredFast = fastPath().answered - before;
    const b = await send(apollo, c, id);
    expect(answeredFast).toBe(c.fast ? 1 : 0);
    expect(a.status).toBe(b.status);
    expect(a.text).toBe(b.text);
    for (const header of HEADERS)
      expect([header, a.headers[header]]).toEqual([header, b.headers[header]]);
    if (c.fast) {
      expect(a.status).toBe(200);
      expect(JSON.parse(a.text).errors).toBeUndefined();
    }
  });

  it('logs its answers like Apollo’s, with the operation name', async () => {
    await send(fast, CASES[0], 'fast-path-log');
    const line = fast.logLines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.requestId === 'fast-path-log' && l.msg === 'request');
    expect(line).toMatchObject({ status: 200, operationName: 'Check', outcome: 'ok' });
  });

  it('comes after the edge: rate limits and the body limit refuse before it answers', async () => {
    const limited = await TestApp.start(
      { RATE_LIMIT_ANONYMOUS: '3', BODY_LIMIT_BYTES: '2048' },
      undefined,
      fast.db,
    );
    try {
      const instance = limited.app.getHttpAdapter().getInstance() as FastifyInstance;
      // The body limit first (it counts against the client's budget of three as well).
      const oversize = await limited.http
        .post('/graphql')
        .set('content-type', 'application/json')
        .send({ query: BENCH, variables: { q: solar({ methodology: 'x'.repeat(4096) }) } });
      expect(oversize.status).toBe(413);
      const bench = CASES.find((c) => c.name === "the benchmark's selection")!;
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await send(limited, bench, `limit-${i}`)).status);
      expect(statuses).toEqual([200, 200, 429]);
      expect(instance.eligibilityFastPath!.answered).toBe(2);
    } finally {
      await limited.app.close();
    }
  });

  it('answers a GET revalidation (If-None-Match) through Apollo with a 304', async () => {
    const get = CASES.find((c) => c.name === 'GET with the preflight header')!;
    const first = await send(fast, get, 'etag-1');
    const etag: string = first.headers.etag;
    expect(etag).toMatch(/^W\/"/);
    const before = fastPath().answered;
    const again = await fast.http
      .get(getPath(get))
      .set({ 'apollo-require-preflight': 'true', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(fastPath().answered).toBe(before);
  });
});
