import { AddressInfo, connect } from 'node:net';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { formatGraphqlError } from '../../src/graphql/error-mapping';
import {
  ADD_ENTRY,
  CREATE_DRAFT,
  countryWithPeople,
  publishedVersion,
  solarEntry,
  today,
} from '../support/list-fixtures';
import { ADMIN_KEY, REGISTER_COUNTRY, TestApp, expectError } from '../support/test-app';

const NUL = 'contains a NUL character, which cannot be stored';
const LONE = 'is not well-formed Unicode: it contains a lone UTF-16 surrogate';
const CHECK = `query($q: EligibilityQuery!) { checkEligibility(query: $q) { status hostCountry } }`;
const BATCH = `query($qs: [EligibilityQuery!]!) { checkEligibilityBatch(queries: $qs) { status } }`;

/** Asserts a refusal before execution: HTTP 400, BAD_USER_INPUT, exactly these fields. */
function expectRefused(
  res: { status: number; data?: unknown; errors?: unknown },
  fields: { field: string; message: string }[],
) {
  const error = expectError(res as never, 'BAD_USER_INPUT');
  expect(error.extensions?.fields).toEqual(fields);
  for (const { field } of fields) expect(error.message).toContain(field);
  expect(res.status).toBe(400);
  expect(res.data).toBeUndefined(); // nothing ran
}

describe('text that cannot be stored is refused at the edge (issue #10)', () => {
  let t: TestApp;
  let official: { key: string };
  let draftId: string;
  beforeAll(async () => {
    t = await TestApp.start();
    const fiji = await countryWithPeople(t, 'FJI');
    official = fiji.official;
    await publishedVersion(t, fiji, 'FJI', [solarEntry({ key: 'FJI-SOLAR' })]);
    const draft = await t.gql(
      CREATE_DRAFT,
      { input: { hostCountry: 'FJI', title: 'FJI next', reason: 'next version' } },
      official.key,
    );
    expect(draft.errors).toBeUndefined();
    draftId = draft.data.createDraft.id;
  });
  afterAll(() => t.close());

  const entriesOfDraft = async () =>
    (
      await t.sql<{ n: number }>(
        'SELECT count(*)::int AS n FROM activity_entry WHERE list_version_id = $1',
        [draftId],
      )
    )[0].n;

  it('refuses a lone surrogate in a reason sent as a variable, and writes nothing', async () => {
    const events = await t.auditCount();
    const res = await t.gql(
      REGISTER_COUNTRY,
      { input: { code: 'TON', name: 'Tonga', reason: 'ok \ud800' } },
      ADMIN_KEY,
    );
    expectRefused(res, [{ field: 'input.reason', message: LONE }]);
    expect(await t.auditCount()).toBe(events);
    expect(await t.sql(`SELECT code FROM host_country WHERE code = 'TON'`)).toEqual([]);
  });

  it('names a list element deep inside an input, and writes nothing', async () => {
    const [events, entries] = [await t.auditCount(), await entriesOfDraft()];
    const entry = solarEntry({
      key: 'FJI-WIND',
      criteria: [{ parameter: 'region', operator: 'IN', values: ['North', 'South\udc00'] }],
    });
    const res = await t.gql(
      ADD_ENTRY,
      { input: { listVersionId: draftId, entry, reason: 'wind' } },
      official.key,
    );
    expectRefused(res, [{ field: 'input.entry.criteria[0].values[1]', message: LONE }]);
    expect(await t.auditCount()).toBe(events);
    expect(await entriesOfDraft()).toBe(entries);
  });

  it('names eligibility questions by their argument, alone and in a batch', async () => {
    const question = (name: string) => ({
      hostCountry: 'FJI',
      activityKey: 'FJI-SOLAR',
      parameters: [{ name, number: 12 }],
    });
    const single = await t.gql(CHECK, { q: question('capacityMW\ud800') });
    expectRefused(single, [{ field: 'query.parameters[0].name', message: LONE }]);
    const batch = await t.gql(BATCH, { qs: [question('capacityMW'), question('\u0000')] });
    expectRefused(batch, [{ field: 'queries[1].parameters[0].name', message: NUL }]);
  });

  it('refuses an object key that is not well-formed, naming it escaped', async () => {
    const events = await t.auditCount();
    const res = await t.gql(
      REGISTER_COUNTRY,
      {
        input: { code: 'TON', name: 'Tonga', reason: 'r', ndc: { title: 'NDC', 'x\ud83c': 1 } },
      },
      ADMIN_KEY,
    );
    // Refused as text before graphql-js would report the unknown field.
    expectRefused(res, [{ field: 'input.ndc["x\\ud83c"]', message: `key ${LONE}` }]);
    expect(await t.auditCount()).toBe(events);
  });

  it('refuses NUL in hostCountry(code:) as an inline literal and as a variable', async () => {
    const literal = await t.gql('{ hostCountry(code: "\\u0000") { code } }');
    expectRefused(literal, [{ field: 'code', message: NUL }]);
    expect(literal.errors![0]).toHaveProperty('locations', [{ line: 1, column: 15 }]);
    const variable = await t.gql('query($c: String!) { hostCountry(code: $c) { code } }', {
      c: 'FJI\u0000',
    });
    expectRefused(variable, [{ field: 'code', message: NUL }]);
    const fallback = await t.gql(
      'query($c: String! = "\\u0000") { hostCountry(code: $c) { code } }',
    );
    expectRefused(fallback, [{ field: 'code', message: NUL }]);
  });

  it('checks the arguments of nested fields and fragments too', async () => {
    const res = await t.gql(
      `query { hostCountry(code: "FJI") { ...f } }
       fragment f on HostCountry { listInForce(on: "${today()}") { entry(key: "a\\u0000") { key } } }`,
    );
    expectRefused(res, [{ field: 'key', message: NUL }]);
  });

  it('refuses before the access guard reads a country or record argument', async () => {
    // The guard compares input.hostCountry with the official's country, and looks entries up
    // by id: neither may ever see such a value, nor answer FORBIDDEN or NOT_FOUND for it.
    const draft = await t.gql(
      CREATE_DRAFT,
      { input: { hostCountry: 'FJI\u0000', title: 't', reason: 'r' } },
      official.key,
    );
    expectRefused(draft, [{ field: 'input.hostCountry', message: NUL }]);
    const update = await t.gql(
      'mutation($input: RemoveEntryInput!) { removeEntry(input: $input) { id } }',
      { input: { entryId: '\u0000', reason: 'r' } },
      official.key,
    );
    expectRefused(update, [{ field: 'input.entryId', message: NUL }]);
  });

  it('refuses the whole operation: an earlier valid mutation in it writes nothing', async () => {
    const events = await t.auditCount();
    const res = await t.gql(
      `mutation($good: RegisterHostCountryInput!, $bad: RegisterHostCountryInput!) {
         a: registerHostCountry(input: $good) { code } b: registerHostCountry(input: $bad) { code } }`,
      {
        good: { code: 'VUT', name: 'Vanuatu', reason: 'fine' },
        bad: { code: 'KIR', name: 'Kiribati', reason: 'nul \u0000' },
      },
      ADMIN_KEY,
    );
    expectRefused(res, [{ field: 'input.reason', message: NUL }]);
    expect(await t.auditCount()).toBe(events);
    expect(await t.sql(`SELECT code FROM host_country WHERE code IN ('VUT', 'KIR')`)).toEqual([]);
  });

  it('answers | in an eligibility hostCountry as an unregistered country, never a fault', async () => {
    // It once split a per-request cache key "<country>|<date>" on |, sending "X" as a date.
    for (const hostCountry of ['FJI|X', '|', `FJI|${today()}`]) {
      for (const on of [undefined, today()]) {
        const res = await t.gql(CHECK, { q: { hostCountry, activityKey: 'FJI-SOLAR', on } });
        const error = expectError(res, 'BAD_USER_INPUT');
        expect(error.extensions?.fields).toEqual([
          {
            field: 'query.hostCountry',
            message: `${JSON.stringify(hostCountry)} is not a registered host country`,
          },
        ]);
      }
    }
    const batch = await t.gql(BATCH, {
      qs: [
        { hostCountry: 'FJI', activityKey: 'FJI-SOLAR' },
        { hostCountry: 'FJI|X', activityKey: 'FJI-SOLAR' },
      ],
    });
    expect(expectError(batch, 'BAD_USER_INPUT').extensions?.fields?.[0].field).toBe(
      'queries[1].hostCountry',
    );
    const fiji = await t.gql(CHECK, { q: { hostCountry: 'FJI', activityKey: 'FJI-SOLAR' } });
    expect(fiji.errors).toBeUndefined();
    expect(fiji.data.checkEligibility.hostCountry).toBe('FJI');
  });

  it('refuses the date 0000-01-01, which PostgreSQL does not have', async () => {
    const res = await t.gql(CHECK, {
      q: { hostCountry: 'FJI', activityKey: 'FJI-SOLAR', on: '0000-01-01' },
    });
    expectError(res, 'BAD_USER_INPUT');
    expect(res.status).toBe(400);
    const first = await t.gql(CHECK, {
      q: { hostCountry: 'FJI', activityKey: 'FJI-SOLAR', on: '0001-01-01' },
    });
    expect(first.errors).toBeUndefined();
    expect(first.data.checkEligibility.status).toBe('NO_LIST_IN_FORCE');
  });

  it('refuses a forged search cursor whose key carries NUL', async () => {
    const page = await t.gql('{ searchEntries(first: 1) { pageInfo { endCursor } } }');
    const real = Buffer.from(page.data.searchEntries.pageInfo.endCursor, 'base64url').toString();
    const kind = real.slice(0, real.indexOf(':'));
    expect(JSON.parse(real.slice(kind.length + 1))).toEqual(['FJI', 'FJI-SOLAR']);
    const forged = Buffer.from(`${kind}:["FJI\\u0000","x"]`).toString('base64url');
    const res = await t.gql(`{ searchEntries(after: "${forged}") { totalCount } }`);
    expect(expectError(res, 'BAD_USER_INPUT').extensions?.fields).toEqual([
      { field: 'after', message: 'not a cursor returned by this list' },
    ]);
  });

  it('accepts well-formed text beyond the BMP and returns it exactly', async () => {
    const name = 'Samoa 🌺 𝄞 Sāmoa';
    const reason = 'emoji ✅ 🌏 (a surrogate pair each)';
    const res = await t.gql(REGISTER_COUNTRY, { input: { code: 'WSM', name, reason } }, ADMIN_KEY);
    expect(res.errors).toBeUndefined();
    expect(res.data.registerHostCountry.name).toBe(name);
    const back = await t.gql('{ hostCountry(code: "WSM") { name } }');
    expect(back.data.hostCountry.name).toBe(name);
    // The same pair written as GraphQL escapes in a literal.
    const literal = await t.gql(
      'mutation { registerHostCountry(input: { code: "PLW", name: "Palau \\uD83C\\uDF34", reason: "r \\u{1F334}" }) { name } }',
      {},
      ADMIN_KEY,
    );
    expect(literal.errors).toBeUndefined();
    expect(literal.data.registerHostCountry.name).toBe('Palau 🌴');
    const events = await t.gql(
      'query($f: AuditFilter) { auditEvents(filter: $f) { edges { node { reason after } } } }',
      { f: { entityId: 'WSM' } },
      ADMIN_KEY,
    );
    const [event] = events.data.auditEvents.edges;
    expect(event.node.reason).toBe(reason);
    expect(event.node.after.name).toBe(name);
    // Stored exactly as hashed: the log still verifies.
    const verified = await t.gql(
      '{ verifyAuditTrail { valid problems { message } } }',
      {},
      ADMIN_KEY,
    );
    expect(verified.data.verifyAuditTrail).toEqual({ valid: true, problems: [] });
  });

  describe('HTTP inputs', () => {
    it('checks variables sent in a GET query string like those in a body', async () => {
      const res = await t.http
        .get('/graphql')
        .set('apollo-require-preflight', 'true')
        .query({
          query: 'query($c: String!) { hostCountry(code: $c) { code } }',
          variables: JSON.stringify({ c: '\u0000' }),
        });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions).toEqual({
        code: 'BAD_USER_INPUT',
        fields: [{ field: 'code', message: NUL }],
      });
    });

    it('answers an operation name that is not well-formed as a request problem', async () => {
      const res = await t.http
        .post('/graphql')
        .set('content-type', 'application/json')
        .send({ query: 'query A { hostCountries { code } }', operationName: 'A\ud800' });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: any) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
    });

    it('refuses a header with NUL in Node itself, before any of our code', async () => {
      const server = t.app.getHttpServer();
      if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const { port } = server.address() as AddressInfo;
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () =>
          socket.write('GET /health HTTP/1.1\r\nHost: x\r\nx-request-id: a\u0000b\r\n\r\n'),
        );
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString('latin1')));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    });

    it('treats bytes beyond ASCII in credentials and request ids as unknown, not as faults', async () => {
      const me = await t.gql('{ me { id } }', {}, 'k\u00e9y\u00ff', { 'x-request-id': 'r\u00e9q' });
      expectError(me, 'UNAUTHENTICATED');
      const exported = await t.http
        .get('/audit/export?from=%00&x=%ED%A0%80')
        .set('authorization', 'Bearer \u00ff');
      expect(exported.status).toBe(401);
      expect(exported.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      const health = await t.http.get('/health?x=%00').set('x-request-id', 'r\u00e9q');
      expect(health.status).toBe(200);
      expect(health.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('values PostgreSQL refuses, should one ever slip past the edge', () => {
    const cases: [string, string, string][] = [
      ['22021', 'SELECT $1::text AS v', 'a\u0000'],
      ['22P05', 'SELECT $1::jsonb AS v', '"\\u0000"'],
      ['22P02', 'SELECT $1::uuid AS v', 'not-a-uuid'],
      ['22007', 'SELECT $1::date AS v', 'not-a-date'],
      ['22008', 'SELECT $1::date AS v', '0000-01-01'],
    ];

    it.each(cases)(
      'map %s, as TypeORM and pg raise it, to BAD_USER_INPUT',
      async (state, sql, value) => {
        const viaTypeorm = await t.app
          .get(DataSource)
          .query(sql, [value])
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        const client = new Client({ connectionString: t.db.url });
        await client.connect();
        const viaPg = await client.query(sql, [value]).then(
          () => undefined,
          (e: unknown) => e,
        );
        await client.end();
        for (const error of [viaTypeorm, viaPg]) {
          expect(error).toHaveProperty('code', state);
          const formatted = formatGraphqlError({ message: 'raw', path: ['x'] }, error);
          expect(formatted.extensions).toEqual({ code: 'BAD_USER_INPUT' });
          expect(formatted.message).not.toContain((error as Error).message); // no SQL detail
        }
      },
    );

    it('keep a database error that is not about a value INTERNAL_SERVER_ERROR', async () => {
      const error = await t.app
        .get(DataSource)
        .query('SELECT * FROM no_such_table')
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toHaveProperty('code', '42P01');
      expect(formatGraphqlError({ message: 'raw' }, error).extensions).toEqual({
        code: 'INTERNAL_SERVER_ERROR',
      });
    });
  });
});
