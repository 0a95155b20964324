import {
  addDays,
  countryWithPeople,
  publishedVersion,
  solarEntry,
  today,
} from '../support/list-fixtures';
import { ADMIN_KEY, TestApp } from '../support/test-app';
import { countStatements } from '../support/statement-counter';

/**
 * The portal's pages over HTTP: caching a CDN can rely on, security headers, errors as pages.
 * What they look like, and their accessibility, are tested in a browser (test/browser).
 */
describe('portal pages over HTTP', () => {
  let t: TestApp;
  let people: Awaited<ReturnType<typeof countryWithPeople>>;

  beforeAll(async () => {
    t = await TestApp.start();
    people = await countryWithPeople(t, 'GHA');
    await publishedVersion(t, people, 'GHA', [solarEntry()]);
  });
  afterAll(() => t?.close());

  it('serves a page with an ETag, public caching, and 304 when the tag still holds', async () => {
    const first = await t.http.get('/countries/GHA');
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(first.text).toMatch(/^<!doctype html><html lang="en">/);
    expect(first.text).toContain('Utility-scale solar PV');
    expect(first.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=300');
    expect(first.headers.vary).toMatch(/accept-language/i);
    const etag = first.headers.etag;
    expect(etag).toMatch(/^W\/"[\w-]{27}"$/);
    const again = await t.http.get('/countries/GHA').set('if-none-match', etag);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    // Another language is another page, with its own tag.
    const french = await t.http.get('/countries/GHA?lang=fr').set('if-none-match', etag);
    expect(french.status).toBe(200);
    expect(french.text).toContain('<html lang="fr">');
  });

  it('builds a page once per tag: a second reader costs one statement (the tag), no rendering', async () => {
    const first = await countStatements(() => t.http.get('/countries/GHA?on=2030-01-01'));
    expect(first.result.status).toBe(200);
    expect(first.statements).toBeGreaterThan(1);
    const second = await countStatements(() => t.http.get('/countries/GHA?on=2030-01-01'));
    expect(second.statements).toBe(1);
    expect(second.result.text).toBe(first.result.text);
    expect(second.result.headers.etag).toBe(first.result.headers.etag);
  });

  it('changes the tag when the registry changes: a new version published', async () => {
    const before = (await t.http.get('/countries/GHA')).headers.etag;
    // Version 2 copies version 1 and adds an entry; it takes effect tomorrow.
    const tomorrow = addDays(today(), 1);
    await publishedVersion(
      t,
      people,
      'GHA',
      [solarEntry({ key: 'GHA-SOLAR-PARKS', name: 'Solar parks, revised' })],
      tomorrow,
    );
    const after = await t.http.get('/countries/GHA').set('if-none-match', before);
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(before);
    expect(after.text).not.toContain('Solar parks, revised');
    const next = await t.http.get(`/countries/GHA?on=${tomorrow}`);
    expect(next.text).toContain('Solar parks, revised');
    expect(next.text).toContain('Version 2');
  });

  it('picks the language from Accept-Language when the URL does not say', async () => {
    const res = await t.http.get('/').set('accept-language', 'es-PE,es;q=0.9');
    expect(res.text).toContain('<html lang="es">');
    expect(res.text).toContain('Listas positivas del artículo 6');
  });

  it('sends a Content-Security-Policy without inline script, and helmet’s headers', async () => {
    const res = await t.http.get('/');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    // Nothing on the page asks for inline script or style.
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(res.text).not.toMatch(/\sstyle=/);
  });

  it.each([
    ['/countries/XXX', 404, /“XXX” is not a registered host country/],
    ['/countries/toolong', 404, /is not a registered host country/],
    ['/countries/GHA?on=2026-02-30', 400, /is not a date/],
    ['/countries/GHA?on=yesterday', 400, /is not a date/],
  ])('answers %s with a %i page, not cached, without a stack', async (path, status, text) => {
    const res = await t.http.get(path);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.etag).toBeUndefined();
    expect(res.text).toMatch(text);
    expect(res.text).not.toMatch(/at .*\.js:\d+/);
  });

  it('escapes what countries wrote: markup in an entry is shown as text', async () => {
    const kenya = await countryWithPeople(t, 'KEN');
    await publishedVersion(t, kenya, 'KEN', [
      solarEntry({ key: 'KEN-X', name: '<script>alert(1)</script> & <b>bold</b>' }),
    ]);
    const res = await t.http.get('/countries/KEN');
    expect(res.text).toContain('&lt;script>alert(1)&lt;/script> &amp; &lt;b>bold&lt;/b>');
    expect(res.text).not.toContain('<script>alert(1)');
  });

  it('shows no draft: a country with only a draft has no list in force', async () => {
    const res = await t.http.get('/countries/GHA');
    expect(res.text).not.toContain('DRAFT');
    await countryWithPeople(t, 'PER');
    await t.gql(
      `mutation($input: CreateDraftInput!) { createDraft(input: $input) { id } }`,
      { input: { hostCountry: 'PER', title: 'Peru draft', reason: 'start' } },
      ADMIN_KEY,
    );
    const peru = await t.http.get('/countries/PER');
    expect(peru.status).toBe(200);
    expect(peru.text).toContain('has no list in force');
    expect(peru.text).not.toContain('Peru draft');
  });

  it('serves the stylesheet under a content-named URL, cached for a year', async () => {
    const page = await t.http.get('/');
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(page.text)![1];
    const css = await t.http.get(href);
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(css.text).toContain('@media print');
    expect((await t.http.get('/assets/portal-old.css')).status).toBe(404);
  });
});
