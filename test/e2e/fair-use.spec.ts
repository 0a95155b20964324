import { randomInt } from 'node:crypto';
import { countryWithPeople, publishedVersion, solarEntry } from '../support/list-fixtures';
import { ADMIN_KEY, TestApp, createPrincipal, registerCountry } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';

const ME = '{ me { id } }';
const COUNTRIES = '{ hostCountries { code } }';

/** An address of the benchmarking range, different on every run (Redis keeps counts a while). */
const someAddress = () => `198.18.${randomInt(0, 256)}.${randomInt(1, 255)}`;

interface Answer {
  status: number;
  retryAfter: string | undefined;
  code: string | undefined;
  retryAfterSeconds: number | undefined;
  millis: number;
}

/** One GraphQL POST as a given client (its address forwarded by the trusted loopback proxy). */
async function ask(
  t: TestApp,
  address: string,
  query = COUNTRIES,
  key?: string,
  variables?: Record<string, unknown>,
): Promise<Answer & { body: any }> {
  const started = performance.now();
  let req = t.http
    .post('/graphql')
    .set('content-type', 'application/json')
    .set('x-forwarded-for', address);
  if (key) req = req.set('authorization', `Bearer ${key}`);
  const res = await req.send({ query, variables });
  const error = (res.body as { errors?: { extensions?: Record<string, unknown> }[] }).errors?.[0];
  return {
    status: res.status,
    retryAfter: res.headers['retry-after'],
    code: error?.extensions?.code as string | undefined,
    retryAfterSeconds: error?.extensions?.retryAfterSeconds as number | undefined,
    millis: performance.now() - started,
    body: res.body,
  };
}

const statuses = (answers: Answer[]) =>
  answers.reduce<Record<number, number>>((counts, a) => {
    counts[a.status] = (counts[a.status] ?? 0) + 1;
    return counts;
  }, {});

function expectRateLimited(answer: Answer, windowSeconds: number) {
  expect(answer.status).toBe(429);
  expect(answer.code).toBe('RATE_LIMITED');
  const seconds = Number(answer.retryAfter);
  expect(Number.isInteger(seconds)).toBe(true);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(windowSeconds);
  expect(answer.retryAfterSeconds).toBe(seconds);
}

describe('rate limits per client', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({
      RATE_LIMIT_ANONYMOUS: '20',
      RATE_LIMIT_AUTHENTICATED: '30',
      RATE_LIMIT_WINDOW_SECONDS: '60',
      TRUST_PROXY: 'loopback',
    });
    await registerCountry(t, 'GHA', 'Ghana');
  });
  afterAll(() => t.close());

  it('answers a flooding client 429 RATE_LIMITED with Retry-After once its budget is spent, while another client is served', async () => {
    const flooder = someAddress();
    const other = someAddress();
    const flood = ask.bind(null, t, flooder);
    const logged = t.logLines.length;
    const answers = await Promise.all(Array.from({ length: 100 }, () => flood()));
    expect(statuses(answers)).toEqual({ 200: 20, 429: 80 });
    for (const answer of answers.filter((a) => a.status === 429)) expectRateLimited(answer, 60);
    // Refused before the body was parsed or the operation ran: no data at all.
    expect(answers.find((a) => a.status === 429)!.body.data).toBeUndefined();
    // Logged once, not once per refusal: a flood must not cost more in logging than refusing.
    const lines = t.logLines.slice(logged).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l.msg === 'rate limit reached')).toEqual([
      expect.objectContaining({
        level: 'warn',
        client: `ip:${flooder}`,
        retryAfterSeconds: expect.any(Number),
      }),
    ]);
    expect(lines.filter((l) => l.msg === 'request').map((l) => l.status)).toEqual(
      Array.from({ length: 20 }, () => 200),
    );

    const served = [];
    for (let i = 0; i < 10; i++) served.push(await ask(t, other));
    expect(statuses(served)).toEqual({ 200: 10 });
    expect(served[0].body.data.hostCountries).toEqual([{ code: 'GHA' }]);
    // The flooder is still refused meanwhile.
    expectRateLimited(await flood(), 60);
  });

  it('counts an authenticated principal on its own budget, wherever it calls from', async () => {
    const official = await createPrincipal(t, 'OFFICIAL', 'GHA', 'flood-official');
    const address = someAddress();
    for (let i = 0; i < 20; i++) await ask(t, address);
    expect((await ask(t, address)).status).toBe(429);
    // The official calls from the same, exhausted address: its own 30 requests are served.
    const answers = await Promise.all(
      Array.from({ length: 35 }, () => ask(t, address, ME, official.key)),
    );
    expect(statuses(answers)).toEqual({ 200: 30, 429: 5 });
    expect(answers.find((a) => a.status === 200)!.body.data.me.id).toBe(official.id);
    // ... and from any other address the same principal's budget is spent too.
    expectRateLimited(await ask(t, someAddress(), ME, official.key), 60);
  });

  it('counts requests with a bad credential against the address, so keys cannot be guessed at speed', async () => {
    const address = someAddress();
    const answers = await Promise.all(
      Array.from({ length: 25 }, (_, i) => ask(t, address, ME, `guess-${i}`)),
    );
    expect(statuses(answers)).toEqual({ 200: 20, 429: 5 });
    expect(answers.filter((a) => a.status === 200).map((a) => a.code)).toEqual(
      Array.from({ length: 20 }, () => 'UNAUTHENTICATED'),
    );
  });

  it('counts IPv6 clients by /64 network, so one host cannot rotate through its addresses', async () => {
    const network = `2001:db8:${randomInt(0, 0xffff).toString(16)}:1`;
    const answers = await Promise.all(
      Array.from({ length: 21 }, (_, i) => ask(t, `${network}::${(i + 1).toString(16)}`)),
    );
    expect(statuses(answers)).toEqual({ 200: 20, 429: 1 });
    expect((await ask(t, `2001:db8:ffff:2::1`)).status).toBe(200);
  });

  it('never limits /health, which load balancers must always reach', async () => {
    const address = someAddress();
    for (let i = 0; i < 20; i++) await ask(t, address);
    expect((await ask(t, address)).status).toBe(429);
    const res = await t.http.get('/health').set('x-forwarded-for', address);
    expect(res.status).toBe(200);
  });

  it('limits the REST audit export like any other request', async () => {
    const address = someAddress();
    for (let i = 0; i < 20; i++) await ask(t, address);
    const res = await t.http
      .get('/audit/export')
      .set('x-forwarded-for', address)
      .set('authorization', 'Bearer not-a-key');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.body.errors[0].extensions.code).toBe('RATE_LIMITED');
  });
});

describe('rate limits shared through Redis (REDIS_URL)', () => {
  it('counts one budget across instances', async () => {
    const db = await createTestDatabase();
    const env = {
      REDIS_URL: 'redis://127.0.0.1:6379',
      RATE_LIMIT_ANONYMOUS: '10',
      TRUST_PROXY: 'loopback',
    };
    const a = await TestApp.start(env, undefined, db);
    const b = await TestApp.start(env, undefined, db);
    try {
      const address = someAddress();
      const first = [];
      for (let i = 0; i < 6; i++) first.push(await ask(a, address));
      const second = [];
      for (let i = 0; i < 6; i++) second.push(await ask(b, address));
      expect(statuses(first)).toEqual({ 200: 6 });
      // Instance b knows the six requests a served: four more, then 429.
      expect(second.map((x) => x.status)).toEqual([200, 200, 200, 200, 429, 429]);
      expectRateLimited(second[5], 60);
      expect((await ask(a, address)).status).toBe(429);
    } finally {
      await a.app.close();
      await b.app.close();
      await db.drop();
    }
  });

  it('keeps limiting, in memory, while Redis is unreachable, and says so in the log', async () => {
    const t = await TestApp.start({
      // Nothing listens on port 1.
      REDIS_URL: 'redis://127.0.0.1:1',
      RATE_LIMIT_ANONYMOUS: '5',
      TRUST_PROXY: 'loopback',
    });
    try {
      const address = someAddress();
      const answers = [];
      for (let i = 0; i < 7; i++) answers.push(await ask(t, address));
      expect(answers.map((x) => x.status)).toEqual([200, 200, 200, 200, 200, 429, 429]);
      expect(t.logLines.some((l) => l.includes('rate-limit store unreachable'))).toBe(true);
    } finally {
      await t.close();
    }
  });
});

describe('expensive operations per client', () => {
  const BATCH = `query($qs: [EligibilityQuery!]!) { checkEligibilityBatch(queries: $qs) { status matches { status baselineValue } } }`;
  const questions = Array.from({ length: 100 }, (_, i) => ({
    hostCountry: 'GHA',
    activityKey: 'GHA-SOLAR-UTILITY',
    parameters: [{ name: 'capacityMW', number: 1 + (i % 80) }],
    baselineYear: 2030,
  }));
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ RATE_LIMIT_CONCURRENT_EXPENSIVE: '1', TRUST_PROXY: 'loopback' });
    const people = await countryWithPeople(t, 'GHA');
    await publishedVersion(t, people, 'GHA', [solarEntry()]);
  });
  afterAll(() => t.close());

  it('runs one batch of a client at a time and refuses the others with 429 and Retry-After: 1, while another client is served', async () => {
    const busy = someAddress();
    const other = someAddress();
    const [flood, served] = await Promise.all([
      Promise.all(
        Array.from({ length: 12 }, () => ask(t, busy, BATCH, undefined, { qs: questions })),
      ),
      // Shortly after the flood started: another client's batch is not held up by it.
      new Promise((resolve) => setTimeout(resolve, 20)).then(() =>
        ask(t, other, BATCH, undefined, { qs: questions }),
      ),
    ]);
    const counts = statuses(flood);
    expect(counts[200]).toBeGreaterThanOrEqual(1);
    expect(counts[429]).toBeGreaterThanOrEqual(1);
    expect((counts[200] ?? 0) + (counts[429] ?? 0)).toBe(12);
    for (const answer of flood.filter((a) => a.status === 429)) {
      expect(answer.retryAfter).toBe('1');
      expect(answer.code).toBe('RATE_LIMITED');
      expect(answer.body.errors[0].message).toMatch(/expensive operations \(cost 20000 or more\)/);
    }
    for (const answer of flood.filter((a) => a.status === 200)) {
      expect(answer.body.data.checkEligibilityBatch).toHaveLength(100);
    }
    expect(served.status).toBe(200);
    expect(served.body.data.checkEligibilityBatch[0].status).toBe('ELIGIBLE');
  });

  it('serves the same client batch after batch when it waits for each', async () => {
    const client = someAddress();
    for (let i = 0; i < 3; i++) {
      const answer = await ask(t, client, BATCH, undefined, { qs: questions });
      expect(answer.status).toBe(200);
    }
  });

  it('does not count cheap operations: single questions run side by side', async () => {
    const client = someAddress();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        ask(
          t,
          client,
          'query($q: EligibilityQuery!) { checkEligibility(query: $q) { status } }',
          undefined,
          { q: questions[0] },
        ),
      ),
    );
    expect(statuses(answers)).toEqual({ 200: 8 });
  });
});

describe('response size cap (GRAPHQL_MAX_RESPONSE_BYTES)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ GRAPHQL_MAX_RESPONSE_BYTES: '4096' });
    const people = await countryWithPeople(t, 'GHA');
    await publishedVersion(t, people, 'GHA', [solarEntry()]);
  });
  afterAll(() => t.close());

  it('sends a response under the cap unchanged', async () => {
    const res = await t.gql('{ hostCountries { code name } }');
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ hostCountries: [{ code: 'GHA', name: 'GHA' }] });
  });

  it('replaces a response over the cap with BAD_USER_INPUT stating its size and the cap, sending none of it', async () => {
    const res = await t.http
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({
        query: `query($qs: [EligibilityQuery!]!) { checkEligibilityBatch(queries: $qs) { status explanation } }`,
        variables: {
          qs: Array.from({ length: 50 }, () => ({ hostCountry: 'GHA', technology: 'solar PV' })),
        },
      });
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT' });
    const [, bytes] =
      /^The response would be (\d+) bytes, over the limit of 4096: ask for fewer fields, or page lists with first$/.exec(
        res.body.errors[0].message,
      ) ?? [];
    expect(Number(bytes)).toBeGreaterThan(4096);
    expect(JSON.stringify(res.body).length).toBeLessThan(400);
  });

  it('counts bytes, not characters', async () => {
    // A description of 1,500 three-byte characters: 1,500 characters but 4,500 bytes.
    const description = '€'.repeat(1500);
    const written = await t.gql(
      `mutation($input: UpsertNdcSectorInput!) { upsertNdcSector(input: $input) { code } }`,
      {
        input: {
          hostCountry: 'GHA',
          code: 'AFOLU',
          name: 'AFOLU',
          ipccSector: 'AFOLU',
          ipccCategories: ['3.B'],
          description,
          reason: 'size test',
        },
      },
      ADMIN_KEY,
    );
    expect(written.errors).toBeUndefined();
    const res = await t.gql('{ hostCountry(code: "GHA") { sectors { description } } }');
    expect(res.status).toBe(400);
    // 1,500 characters of the description alone are 4,500 bytes: over 4,096 only in bytes.
    const [, bytes] = /^The response would be (\d+) bytes/.exec(res.errors![0].message) ?? [];
    expect(Number(bytes)).toBeGreaterThan(4500);
    expect(Number(bytes)).toBeLessThan(4700);
  });
});
