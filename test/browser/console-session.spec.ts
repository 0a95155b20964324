import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  PORTAL_ADMIN_KEY,
  Portal,
  expectGoodPage,
  launchBrowser,
  saveWeights,
  startPortal,
} from '../support/portal-browser';
import { createPrincipal, signIn, signInHere, sql } from '../support/console-browser';
import { gqlPost } from '../support/service-process';

const SESSION = 'registry_session';

/**
 * Signing in and out of the officials' workspace in a real browser: anonymous people are
 * sent to sign in and come back where they were going, a refused key says so, sign-out
 * revokes the session on the server (the old cookie no longer works), an expired session
 * keeps where the person was going, and a form without its token is refused.
 */
describe('workspace sessions in a real browser', () => {
  let portal: Portal;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let officialKey: string;
  const weights: Record<string, number> = {};

  beforeAll(async () => {
    [portal, browser] = await Promise.all([startPortal(), launchBrowser()]);
    officialKey = await createPrincipal(portal, 'Ama Mensah', 'OFFICIAL', 'GHA');
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    saveWeights('console-session', weights);
    await browser?.close();
    await portal?.close();
  });

  const sessionCookie = async (ctx: BrowserContext = context) =>
    (await ctx.cookies()).find((c) => c.name === SESSION);

  it('sends anonymous people to sign in, keeping where they were going', async () => {
    const response = await page.goto(`${portal.base}/console/countries/GHA/versions`);
    expect(response?.status()).toBe(200);
    const url = new URL(page.url());
    expect(url.pathname).toBe('/console/sign-in');
    expect(url.searchParams.get('next')).toBe('/console/countries/GHA/versions');
    expect(await page.title()).toMatch(/^Sign in/);
    // The first hop is a 303 (See Other), as POST/redirect/GET expects.
    const first = await fetch(`${portal.base}/console`, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/console/sign-in');
  });

  it('shows the sign-in form accessibly, in English and in French', async () => {
    for (const [name, path, lang, title] of [
      ['console-sign-in', '/console/sign-in', 'en', /^Sign in/],
      ['console-sign-in-fr', '/console/sign-in?lang=fr', 'fr', /^Connexion/],
    ] as const) {
      const shown = await expectGoodPage(
        context,
        portal.base + path,
        { name, status: 200, title, lang },
        weights,
      );
      await shown.close();
    }
  });

  it('refuses an unknown key, and says so next to the field', async () => {
    await page.goto(`${portal.base}/console/sign-in`);
    await page.fill('#key', 'plr_not-a-key-of-this-registry');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('form.stack button[type=submit]'),
    ]);
    expect(response.status()).toBe(401);
    await page.waitForLoadState('load');
    expect(await page.textContent('#key-error')).toMatch(/not accepted/);
    expect(await page.getAttribute('#key', 'aria-invalid')).toBe('true');
    expect(await sessionCookie()).toBeUndefined();
  });

  it('signs in with a key into a session cookie (httpOnly, SameSite=Strict, /console) and goes back', async () => {
    await page.goto(`${portal.base}/console/countries/GHA/versions`);
    await signInHere(page, officialKey);
    expect(new URL(page.url()).pathname).toBe('/console/countries/GHA/versions');
    expect(await page.textContent('header.site')).toContain('Signed in as Ama Mensah');
    const cookie = await sessionCookie();
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console' });
    // Plain HTTP here: Secure only when the request came over TLS.
    expect(cookie?.secure).toBe(false);
    // The key is in no URL, and only a hash of the session id is stored.
    expect(page.url()).not.toContain(officialKey);
    expect(
      await sql(portal, `SELECT 1 FROM console_session WHERE id_hash = '${cookie?.value}'`),
    ).toBe(0);
    expect(await sql(portal, 'SELECT 1 FROM console_session WHERE revoked_at IS NULL')).toBe(1);
  });

  it('is Secure behind a TLS proxy the service trusts', async () => {
    const trusted = await startPortal({ TRUST_PROXY: 'loopback' });
    try {
      const key = await createPrincipal(trusted, 'TLS official', 'OFFICIAL', 'GHA');
      const form = await fetch(`${trusted.base}/console/sign-in`, {
        headers: { 'x-forwarded-proto': 'https' },
      });
      const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1];
      const cookie = form.headers.getSetCookie().map((c) => c.split(';')[0]);
      expect(form.headers.getSetCookie().join()).toMatch(/Secure/);
      const signedIn = await fetch(`${trusted.base}/console/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'x-forwarded-proto': 'https',
          'content-type': 'application/x-www-form-urlencoded',
          cookie: cookie.join('; '),
        },
        body: new URLSearchParams({ key, _csrf: token }).toString(),
      });
      expect(signedIn.status).toBe(303);
      const session = signedIn.headers.getSetCookie().find((c) => c.startsWith(`${SESSION}=`));
      expect(session).toMatch(/; Secure/);
      expect(session).toMatch(/; HttpOnly/);
      expect(session).toMatch(/; SameSite=Strict/);
    } finally {
      await trusted.close();
    }
  });

  it('refuses a form post without its token: 403, and nothing changes', async () => {
    const versions = async () =>
      (
        await gqlPost(
          `${portal.base}/graphql`,
          `query { hostCountry(code: "GHA") { listVersions { id } } }`,
          {},
          officialKey,
        )
      ).data.hostCountry.listVersions.length as number;
    const before = await versions();
    // The person's own cookie goes along (as a cross-site form would make it, were it sent).
    const forms: Record<string, string>[] = [
      { title: 'Forged', reason: 'no token' },
      { title: 'Forged', reason: 'wrong token', _csrf: 'x'.repeat(43) },
    ];
    for (const form of forms) {
      const response = await page.request.post(`${portal.base}/console/countries/GHA/versions`, {
        form,
        maxRedirects: 0,
      });
      expect(response.status()).toBe(403);
      expect(await response.text()).toContain('Nothing was changed');
    }
    expect(await versions()).toBe(before);
  });

  it('sends an expired session to sign in, and back to the page after signing in again', async () => {
    await page.goto(`${portal.base}/console/countries/GHA/versions/1?lang=fr`);
    expect(await page.title()).toMatch(/^Version 1/);
    // 31 minutes without a request (the idle timeout is 30 minutes by default).
    expect(
      await sql(
        portal,
        `UPDATE console_session SET last_seen_at = last_seen_at - interval '31 minutes' WHERE revoked_at IS NULL`,
      ),
    ).toBe(1);
    await page.goto(`${portal.base}/console/countries/GHA/versions/1?lang=fr`);
    const url = new URL(page.url());
    expect(url.pathname).toBe('/console/sign-in');
    expect(url.searchParams.get('expired')).toBe('1');
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.textContent('main')).toContain('Votre session a pris fin');
    await signInHere(page, officialKey);
    expect(new URL(page.url()).pathname).toBe('/console/countries/GHA/versions/1');
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
  });

  it('ends an absolute session after 12 hours, however active', async () => {
    await page.goto(`${portal.base}/console`);
    expect(
      await sql(
        portal,
        `UPDATE console_session SET expires_at = now() - interval '1 second'
          WHERE id_hash = (SELECT id_hash FROM console_session ORDER BY created_at DESC LIMIT 1)`,
      ),
    ).toBe(1);
    await page.goto(`${portal.base}/console`);
    expect(new URL(page.url()).searchParams.get('expired')).toBe('1');
    await signInHere(page, officialKey);
    expect(new URL(page.url()).pathname).toBe('/console');
  });

  it('signs out on the server: the old cookie is refused afterwards', async () => {
    await page.goto(`${portal.base}/console`);
    const old = await sessionCookie();
    expect(old).toBeDefined();
    await Promise.all([page.waitForLoadState('load'), page.click('form.account button')]);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    expect(await page.textContent('main')).toContain('You have signed out');
    expect(await sessionCookie()).toBeUndefined();
    // Someone who kept a copy of the cookie gets nothing from it.
    const thief = await browser.newContext();
    await thief.addCookies([{ ...old!, sameSite: 'Strict' }]);
    const stolen = await thief.newPage();
    await stolen.goto(`${portal.base}/console`);
    expect(new URL(stolen.url()).pathname).toBe('/console/sign-in');
    await thief.close();
  });

  it('stops a revoked principal’s session at once', async () => {
    const key = await createPrincipal(portal, 'Kofi Boateng', 'OFFICIAL', 'GHA');
    const other = await browser.newContext();
    const own = await other.newPage();
    await signIn(own, portal.base, key);
    expect(new URL(own.url()).pathname).toBe('/console');
    const me = await gqlPost(`${portal.base}/graphql`, 'query { me { id } }', {}, key);
    const revoked = await gqlPost(
      `${portal.base}/graphql`,
      `mutation($input: RevokePrincipalInput!) { revokePrincipal(input: $input) { id } }`,
      { input: { principalId: me.data.me.id, reason: 'left the ministry' } },
      PORTAL_ADMIN_KEY,
    );
    expect(revoked.errors).toBeUndefined();
    await own.goto(`${portal.base}/console`);
    expect(new URL(own.url()).pathname).toBe('/console/sign-in');
    await other.close();
  });
});
