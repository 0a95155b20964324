import { addDays, countryWithPeople, publishedVersion, solarEntry } from '../support/list-fixtures';
import { SettableClock } from '../support/settable-clock';
import { ADMIN_KEY, TestApp, registerCountry } from '../support/test-app';

/** Eligibility on the registry's today (no \`on\`): what is in force turns over at midnight. */
const IN_FORCE = `query InForce($c: String!, $tech: String!) {
  checkEligibility(query: { hostCountry: $c, technology: $tech }) { status listVersion { version } } }`;
const SOLAR = { c: 'PER', tech: 'solar PV' };

/** HTTP caching of anonymous GET queries: Cache-Control, ETag and 304 for CDNs and browsers. */
describe('HTTP caching of public reads', () => {
  const clock = new SettableClock('2031-03-10T12:00:00Z');
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({}, clock);
    const people = await countryWithPeople(t, 'PER');
    // In force from tomorrow: today's answer changes at midnight without any write.
    await publishedVersion(t, people, 'PER', [solarEntry({ key: 'PER-SOLAR' })], '2031-03-11');
  });
  afterAll(() => t.close());

  const get = (query: string, variables?: Record<string, unknown>) => {
    const params = new URLSearchParams({ query });
    if (variables) params.set('variables', JSON.stringify(variables));
    return t.http.get(`/graphql?${params.toString()}`).set('apollo-require-preflight', 'true');
  };

  it('answers an anonymous GET query with Cache-Control, Vary and an ETag', async () => {
    const res = await get(IN_FORCE, SOLAR);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: { checkEligibility: { status: 'NO_LIST_IN_FORCE', listVersion: null } },
    });
    expect(res.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=300');
    expect(res.headers.vary).toMatch(/authorization/i);
    expect(res.headers.etag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
    // The same request, the same tag; another request, another tag.
    expect((await get(IN_FORCE, SOLAR)).headers.etag).toBe(res.headers.etag);
    const other = await get(IN_FORCE, { ...SOLAR, tech: 'wind' });
    expect(other.status).toBe(200);
    expect(other.headers.etag).toMatch(/^W\//);
    expect(other.headers.etag).not.toBe(res.headers.etag);
  });

  it('answers 304 with no body when If-None-Match names the current tag, without running the query', async () => {
    const first = await get(IN_FORCE, SOLAR);
    const before = t.logLines.length;
    const again = await get(IN_FORCE, SOLAR).set('if-none-match', first.headers.etag);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=300');
    // A list of tags, one of them current, matches too.
    const listed = await get(IN_FORCE, SOLAR).set(
      'if-none-match',
      `W/"stale", ${first.headers.etag}`,
    );
    expect(listed.status).toBe(304);
    const logged = t.logLines.slice(before).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.filter((l) => l.msg === 'request').map((l) => l.status)).toEqual([304, 304]);
  });

  it('changes the tag when the day turns (a version comes into force) and after any write', async () => {
    const today = await get(IN_FORCE, SOLAR);
    clock.set(`${addDays('2031-03-10', 1)}T00:00:01Z`);
    const tomorrow = await get(IN_FORCE, SOLAR).set('if-none-match', today.headers.etag);
    expect(tomorrow.status).toBe(200);
    expect(tomorrow.body.data.checkEligibility.listVersion).toEqual({ version: 1 });
    expect(tomorrow.headers.etag).not.toBe(today.headers.etag);

    await registerCountry(t, 'KEN', 'Kenya');
    const afterWrite = await get(IN_FORCE, SOLAR).set('if-none-match', tomorrow.headers.etag);
    expect(afterWrite.status).toBe(200);
    expect(afterWrite.headers.etag).not.toBe(tomorrow.headers.etag);
  });

  it('keeps answers to a credential private, and leaves POST alone', async () => {
    const params = new URLSearchParams({ query: '{ me { role } }' });
    const withKey = await t.http
      .get(`/graphql?${params.toString()}`)
      .set('apollo-require-preflight', 'true')
      .set('authorization', `Bearer ${ADMIN_KEY}`);
    expect(withKey.status).toBe(200);
    expect(withKey.body.data.me.role).toBe('ADMIN');
    expect(withKey.headers['cache-control']).toBe('private, no-store');
    expect(withKey.headers.etag).toBeUndefined();

    const post = await t.http
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({ query: IN_FORCE, variables: SOLAR });
    expect(post.status).toBe(200);
    expect(post.headers.etag).toBeUndefined();
    // Apollo's own default for what no cache policy covers.
    expect(post.headers['cache-control']).toBe('no-store');
  });

  it('does not mark errors cacheable, and keeps CSRF prevention for GET', async () => {
    const bad = await get('{ hostCountry(code: "PER") { nope } }');
    expect(bad.status).toBe(400);
    expect(bad.headers.etag).toBeUndefined();
    expect(bad.headers['cache-control']).toBe('no-store');

    // A plain browser GET (no preflight header) is refused by Apollo's CSRF prevention.
    const params = new URLSearchParams({ query: '{ hostCountries { code } }' });
    const simple = await t.http.get(`/graphql?${params.toString()}`);
    expect(simple.status).toBe(400);
    expect(simple.text).toMatch(/CSRF/);
  });

  it('never answers a mutation over GET', async () => {
    const params = new URLSearchParams({
      query: `mutation { registerHostCountry(input: { code: "TZA", name: "Tanzania", reason: "get" }) { code } }`,
    });
    const res = await t.http
      .get(`/graphql?${params.toString()}`)
      .set('apollo-require-preflight', 'true')
      .set('authorization', `Bearer ${ADMIN_KEY}`);
    expect(res.status).toBe(405);
    expect(await t.sql(`SELECT 1 FROM host_country WHERE code = 'TZA'`)).toEqual([]);
  });
});
