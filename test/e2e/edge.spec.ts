import { ADMIN_KEY, TestApp, expectError } from '../support/test-app';
import { onServer } from '../support/pg-admin';

describe('GraphQL and HTTP edge', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({
      GRAPHQL_MAX_DEPTH: '2',
      GRAPHQL_MAX_ALIASES: '3',
      GRAPHQL_MAX_TOKENS: '300',
      BODY_LIMIT_BYTES: '4096',
    });
  });
  afterAll(() => t.close());

  it('reports health 200 when the database answers', async () => {
    const res = await t.http.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up' });
  });

  it('returns a generated x-request-id, or keeps a well-formed incoming one', async () => {
    const generated = await t.http.get('/health');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await t.http.get('/health').set('x-request-id', 'trace-abc.123');
    expect(kept.headers['x-request-id']).toBe('trace-abc.123');
    const replaced = await t.http.get('/health').set('x-request-id', 'bad id with spaces');
    expect(replaced.headers['x-request-id']).not.toBe('bad id with spaces');
  });

  it('records the request id in audit events', async () => {
    await t.gql(
      'mutation { registerHostCountry(input: { code: "GHA", name: "Ghana", reason: "r" }) { code } }',
      {},
      ADMIN_KEY,
      { 'x-request-id': 'req-audit-1' },
    );
    const [event] = await t.sql(`SELECT request_id FROM audit_event WHERE entity_id = 'GHA'`);
    expect(event.request_id).toBe('req-audit-1');
  });

  it('writes one JSON log line per request with id, operation, duration and outcome, never the key', async () => {
    const before = t.logLines.length;
    await t.gql('query ListCountries { hostCountries { code } }', {}, ADMIN_KEY, {
      'x-request-id': 'req-log-1',
    });
    const lines = t.logLines.slice(before).map((l) => JSON.parse(l));
    const line = lines.find((l) => l.requestId === 'req-log-1');
    expect(line).toMatchObject({
      msg: 'request',
      operationName: 'ListCountries',
      status: 200,
      outcome: 'ok',
      path: '/graphql',
    });
    expect(typeof line.durationMs).toBe('number');
    expect(t.logLines.join('\n')).not.toContain(ADMIN_KEY);
  });

  it('answers malformed JSON with 400 in the GraphQL error shape', async () => {
    const res = await t.http
      .post('/graphql')
      .set('content-type', 'application/json')
      .send('{"query": "{ hostCountries { code } }"');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('answers an oversize body with 413 without reading it all', async () => {
    const res = await t.http
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({ query: `{ hostCountries { code } } # ${'x'.repeat(5000)}` });
    expect(res.status).toBe(413);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses batched requests', async () => {
    const res = await t.http
      .post('/graphql')
      .set('content-type', 'application/json')
      .send([{ query: '{ hostCountries { code } }' }, { query: '{ hostCountries { code } }' }]);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['too deep', '{ hostCountries { sectors { code } } }', /too deep/],
    [
      'too many aliases',
      '{ a: hostCountries { code } b: hostCountries { code } c: hostCountries { code } d: hostCountries { code } }',
      /aliases/,
    ],
    [
      'too many tokens',
      `{ ${Array.from({ length: 80 }, () => 'hostCountries { code }').join(' ')} }`,
      /tokens/,
    ],
    ['unknown field', '{ hostCountries { code population } }', /population/],
    ['syntax error', '{ hostCountries { code ', /Syntax Error/],
    ['no query', '', /must contain a non-empty `query`/],
  ])(
    'rejects a document that is %s with BAD_USER_INPUT before execution',
    async (_label, query, message) => {
      const before = t.logLines.length;
      const res = await t.http
        .post('/graphql')
        .set('content-type', 'application/json')
        .set('authorization', `Bearer ${ADMIN_KEY}`)
        .send({ query });
      expect(res.status).toBe(400);
      expect(
        res.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code),
      ).toEqual(['BAD_USER_INPUT']);
      expect(res.body.errors[0].message).toMatch(message);
      expect(res.body).not.toHaveProperty('data'); // refused before execution
      expect(JSON.stringify(res.body)).not.toMatch(/stack|at .*\.js/);
      expect(t.logLines.slice(before).join('\n')).not.toContain('"level":"error"');
    },
  );

  it('accepts a document exactly at the depth limit', async () => {
    const ok = await t.gql('{ hostCountries { code name } me { id } }', {}, ADMIN_KEY);
    expect(ok.errors).toBeUndefined();
  });

  it('still serves introspection, which client libraries need', async () => {
    const res = await t.gql(
      '{ __schema { types { name fields { name type { name ofType { name ofType { name ofType { name } } } } } } } }',
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.__schema.types.map((x: { name: string }) => x.name)).toContain('HostCountry');
  });

  it('masks unexpected faults as INTERNAL_SERVER_ERROR with no SQL or stack, and logs them with the request id', async () => {
    await t.sql('ALTER TABLE host_country RENAME TO host_country_moved');
    try {
      const before = t.logLines.length;
      const res = await t.gql('{ hostCountries { code } }', {}, undefined, {
        'x-request-id': 'req-fault-1',
      });
      const error = expectError(res, 'INTERNAL_SERVER_ERROR');
      expect(error.message).toBe('Internal server error');
      expect(JSON.stringify(res)).not.toMatch(/host_country|relation|SELECT|stack/i);
      const logged = t.logLines
        .slice(before)
        .map((l) => JSON.parse(l))
        .find((l) => l.msg === 'unexpected error');
      expect(logged).toMatchObject({ requestId: 'req-fault-1' });
      expect(logged.error).toMatch(/host_country/);
    } finally {
      await t.sql('ALTER TABLE host_country_moved RENAME TO host_country');
    }
  });

  it('reports health 503 when the database is gone', async () => {
    // A service of its own: its database is dropped under it.
    const own = await TestApp.start();
    try {
      await onServer((c) => c.query(`DROP DATABASE "${own.db.name}" WITH (FORCE)`));
      const res = await own.http.get('/health');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 'unavailable', database: 'down' });
    } finally {
      await own.close();
    }
  });
});
