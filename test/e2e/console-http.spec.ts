import { createHash, randomInt } from 'node:crypto';
import { createTestDatabase } from '../support/test-database';
import { SettableClock } from '../support/settable-clock';
import { ADMIN_KEY, TestApp, createPrincipal, registerCountry } from '../support/test-app';

const TOKEN = /name="_csrf" value="([^"]+)"/;

/** The cookies a response sets, as `name=value` for the next request's Cookie header. */
const cookiesOf = (res: { headers: Record<string, unknown> }): Record<string, string> =>
  Object.fromEntries(
    ((res.headers['set-cookie'] as string[] | undefined) ?? []).map((c) => {
      const [pair] = c.split(';');
      const at = pair.indexOf('=');
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
const header = (cookies: Record<string, string>) =>
  Object.entries(cookies)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

/** Signs in as a browser would; returns the session's cookie header and the response. */
async function signInAt(app: TestApp, key: string, ip: string) {
  const form = await app.http.get('/console/sign-in').set('x-forwarded-for', ip);
  const cookies = cookiesOf(form);
  const res = await app.http
    .post('/console/sign-in')
    .set('x-forwarded-for', ip)
    .set('cookie', header(cookies))
    .type('form')
    .send({ key, _csrf: TOKEN.exec(form.text)![1] });
  return { res, cookie: header({ ...cookies, ...cookiesOf(res) }) };
}

/**
 * The workspace's HTTP edge without a browser: sign-in attempts are rate-limited, sessions
 * follow the registry's clock (idle and absolute expiry), no key, session id or form token
 * reaches the log, a session's form token fits no other session, and the GraphQL endpoint
 * still refuses form bodies.
 */
describe('the workspace over HTTP', () => {
  const clock = new SettableClock('2031-03-02T08:00:00.000Z');
  let t: TestApp;
  let official: { id: string; key: string };

  beforeAll(async () => {
    // Behind a proxy on loopback, so each test signs in from an address of its own.
    t = await TestApp.start({ CONSOLE_SIGN_IN_ATTEMPTS: '4', TRUST_PROXY: 'loopback' }, clock);
    await registerCountry(t, 'GHA', 'Ghana');
    official = await createPrincipal(t, 'OFFICIAL', 'GHA', 'Ama Mensah');
  });
  afterAll(() => t.close());

  const signIn = (key: string, ip = '203.0.113.7') => signInAt(t, key, ip);

  it('stores only a hash of the session id, and follows the registry clock for idle expiry', async () => {
    const { res, cookie } = await signIn(official.key);
    expect(res.status).toBe(303);
    const id = /registry_session=([^;]+)/.exec(cookie)![1];
    const rows = await t.sql<{ id_hash: string; principal_id: string; expires_at: Date }>(
      'SELECT id_hash, principal_id, expires_at FROM console_session',
    );
    expect(rows).toEqual([
      {
        id_hash: createHash('sha256').update(id).digest('hex'),
        principal_id: official.id,
        expires_at: new Date('2031-03-02T20:00:00.000Z'),
      },
    ]);
    expect((await t.http.get('/console').set('cookie', cookie)).status).toBe(200);
    // 29 minutes later the session is alive (and its idle clock restarts) ...
    clock.set('2031-03-02T08:29:00.000Z');
    expect((await t.http.get('/console').set('cookie', cookie)).status).toBe(200);
    clock.set('2031-03-02T08:58:00.000Z');
    expect((await t.http.get('/console').set('cookie', cookie)).status).toBe(200);
    // ... then 30 minutes without a request end it.
    clock.set('2031-03-02T09:28:00.000Z');
    const expired = await t.http.get('/console/countries/GHA/versions').set('cookie', cookie);
    expect(expired.status).toBe(303);
    expect(expired.headers.location).toBe(
      '/console/sign-in?next=%2Fconsole%2Fcountries%2FGHA%2Fversions&expired=1',
    );
  });

  it('ends a session 12 hours after signing in, however active', async () => {
    clock.set('2031-03-03T08:00:00.000Z');
    const { cookie } = await signIn(official.key, '203.0.113.10');
    // A request every 25 minutes, never idle for long, until 19:55.
    const start = Date.parse('2031-03-03T08:00:00.000Z');
    for (let minutes = 25; minutes < 12 * 60; minutes += 25) {
      clock.set(new Date(start + minutes * 60_000).toISOString());
      expect((await t.http.get('/console').set('cookie', cookie)).status).toBe(200);
    }
    clock.set('2031-03-03T20:00:00.000Z');
    expect((await t.http.get('/console').set('cookie', cookie)).headers.location).toBe(
      '/console/sign-in?expired=1',
    );
  });

  it('refuses the form token of another session', async () => {
    const mine = await signIn(official.key, '203.0.113.8');
    const theirs = await signIn(official.key, '203.0.113.8');
    const page = await t.http.get('/console/countries/GHA/versions').set('cookie', theirs.cookie);
    const res = await t.http
      .post('/console/countries/GHA/versions')
      .set('cookie', mine.cookie)
      .type('form')
      .send({ title: 'T', reason: 'R', _csrf: TOKEN.exec(page.text)![1] });
    expect(res.status).toBe(403);
    expect(await t.sql('SELECT 1 FROM positive_list_version')).toEqual([]);
  });

  it('records the web request id and the principal of a draft started in a form; logs no secret', async () => {
    const { cookie } = await signIn(official.key, '203.0.113.9');
    const page = await t.http.get('/console/countries/GHA/versions').set('cookie', cookie);
    const csrf = TOKEN.exec(page.text)![1];
    const res = await t.http
      .post('/console/countries/GHA/versions')
      .set('cookie', cookie)
      .type('form')
      .send({ title: 'First list', start: 'empty', reason: 'Decree 12/2031', _csrf: csrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/console/countries/GHA/versions?created=1');
    const [event] = await t.sql(
      `SELECT actor_principal_id, actor_name, reason, request_id FROM audit_event
        WHERE entity_type = 'PositiveListVersion' AND action = 'CREATE'`,
    );
    expect(event).toEqual({
      actor_principal_id: official.id,
      actor_name: 'Ama Mensah',
      reason: 'Decree 12/2031',
      request_id: res.headers['x-request-id'],
    });
    const log = t.logLines.join('\n');
    const sessionId = /registry_session=([^;]+)/.exec(cookie)![1];
    for (const secret of [official.key, ADMIN_KEY, sessionId, csrf])
      expect(log).not.toContain(secret);
    expect(log).toContain('"msg":"workspace sign-in"');
  });

  it('limits sign-in attempts per client network, the right key included once spent', async () => {
    const ip = '198.51.100.20';
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await signIn('plr_wrong', ip)).res.status);
    expect(statuses).toEqual([401, 401, 401, 401]);
    const refused = await signIn(official.key, ip);
    expect(refused.res.status).toBe(429);
    expect(Number(refused.res.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.res.text).toContain('Too many sign-in attempts');
    expect(refused.cookie).not.toContain('registry_session=');
    // Another network is not affected.
    expect((await signIn(official.key, '198.51.100.21')).res.status).toBe(303);
  });

  it('keeps refusing form bodies on the GraphQL endpoint', async () => {
    const res = await t.http.post('/graphql').type('form').send({ query: '{ __typename }' });
    expect(res.status).toBe(415);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('sign-in attempts counted across instances (REDIS_URL)', () => {
  it('lets a client network spend one budget, whichever instance it reaches', async () => {
    const db = await createTestDatabase();
    const env = {
      REDIS_URL: 'redis://127.0.0.1:6379',
      CONSOLE_SIGN_IN_ATTEMPTS: '3',
      TRUST_PROXY: 'loopback',
    };
    const a = await TestApp.start(env, undefined, db);
    const b = await TestApp.start(env, undefined, db);
    try {
      // An address of its own per run: Redis keeps counting between runs for a minute.
      const ip = `198.18.${randomInt(256)}.${randomInt(1, 255)}`;
      const seen = [];
      seen.push((await signInAt(a, 'plr_wrong', ip)).res.status);
      seen.push((await signInAt(a, 'plr_wrong', ip)).res.status);
      seen.push((await signInAt(b, 'plr_wrong', ip)).res.status);
      seen.push((await signInAt(b, 'plr_wrong', ip)).res.status);
      expect(seen).toEqual([401, 401, 401, 429]);
      expect((await signInAt(a, 'plr_wrong', ip)).res.status).toBe(429);
    } finally {
      await a.app.close();
      await b.app.close();
      await db.drop();
    }
  });
});
