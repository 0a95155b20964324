import { createServer } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  PORTAL_ADMIN_KEY,
  Portal,
  SHOTS_DIR,
  expectGoodPage,
  launchBrowser,
  saveWeights,
  seriousViolations,
  startPortal,
} from '../support/portal-browser';
import { sql } from '../support/console-browser';
import { OidcTestProvider, startOidcTestProvider } from '../support/oidc-test-provider';
import { gqlPost } from '../support/service-process';

const SESSION = 'registry_session';
const FLOW = 'registry_oidc_flow';
const CLIENT_ID = 'registry-workspace';
const CLIENT_SECRET = 'test-client-secret-0123456789';

/** A port nobody listens on now, for a service that must know its own address beforehand. */
const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** A principal the identity provider's `sub` stands for (its externalSubject), by the administrator. */
async function registerSubject(portal: Portal, name: string, subject: string): Promise<void> {
  const res = await gqlPost(
    `${portal.base}/graphql`,
    `mutation($input: CreatePrincipalInput!) { createPrincipal(input: $input) { principal { id } } }`,
    {
      input: {
        name,
        role: 'OFFICIAL',
        hostCountry: 'GHA',
        externalSubject: subject,
        reason: 'workspace OpenID Connect browser tests',
      },
    },
    PORTAL_ADMIN_KEY,
  );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
}

/**
 * Signing in to the workspace with the identity provider (OpenID Connect, code flow with
 * PKCE) in a real browser, against a provider on another site: the person clicks the
 * provider's button, continues at the provider and comes back signed in as the principal
 * whose externalSubject is their `sub`; an unregistered subject gets a refusal and no
 * session; a callback without this browser's flow, or with a state that is not its own, is
 * refused; the provider's refusal is shown next to the button.
 */
describe('workspace sign-in with OpenID Connect in a real browser', () => {
  let portal: Portal;
  let provider: OidcTestProvider;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const weights: Record<string, number> = {};

  beforeAll(async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    [provider, browser] = await Promise.all([
      startOidcTestProvider({
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUri: `${base}/console/sign-in/oidc/callback`,
      }),
      launchBrowser(),
    ]);
    portal = await startPortal({
      PORT: String(port),
      PUBLIC_BASE_URL: base,
      AUTH_ISSUER: provider.issuer,
      AUTH_JWKS_URL: `${provider.issuer}/jwks`,
      AUTH_AUDIENCE: 'registry-api',
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_PROVIDER_NAME: 'Test IdP',
    });
    await registerSubject(portal, 'Kofi Boateng', 'idp|kofi');
  });
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    page = await context.newPage();
  });
  afterEach(() => context?.close());
  afterAll(async () => {
    saveWeights('console-oidc', weights);
    await browser?.close();
    await portal?.close();
    await provider?.close();
  });

  const cookie = async (name: string) => (await context.cookies()).find((c) => c.name === name);

  /** From the workspace page `path` to the provider's page, by the provider's button. */
  async function toProvider(path: string): Promise<void> {
    await page.goto(`${portal.base}${path}`);
    await Promise.all([page.waitForURL(`${provider.issuer}/**`), page.click('#oidc-sign-in')]);
  }

  /** The provider's decision, by the person on the provider's own page. */
  async function decide(choice: 'Continue' | 'Deny'): Promise<void> {
    await Promise.all([
      page.waitForURL(`${portal.base}/**`),
      page.click(`button:has-text("${choice}")`),
    ]);
    await page.waitForLoadState('load');
  }

  it('shows the provider’s button beside the API-key form, accessibly', async () => {
    const shown = await expectGoodPage(
      context,
      `${portal.base}/console/sign-in`,
      { name: 'console-sign-in-oidc', status: 200, title: /^Sign in/ },
      weights,
    );
    expect(await shown.textContent('#oidc-sign-in')).toBe('Sign in with Test IdP');
    expect(await shown.locator('h2').allTextContents()).toEqual([
      'With your account at Test IdP',
      'With an API key',
    ]);
    expect(await shown.isVisible('#key')).toBe(true);
    await shown.close();
  });

  it('signs a registered person in with PKCE and brings them back where they were going', async () => {
    provider.subject = 'idp|kofi';
    const before = provider.authorizations.length;
    await toProvider('/console/countries/GHA/versions');
    // Sent to sign in first, then to the provider with a S256 challenge, state and nonce.
    const asked = provider.authorizations[before];
    expect(asked.get('response_type')).toBe('code');
    expect(asked.get('code_challenge_method')).toBe('S256');
    expect(asked.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(asked.get('state')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(asked.get('nonce')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(asked.get('redirect_uri')).toBe(`${portal.base}/console/sign-in/oidc/callback`);
    expect(await cookie(FLOW)).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
      path: '/console/sign-in/oidc',
    });
    // Back on the callback, a page of this site moves on by itself (Refresh), on a
    // navigation the Strict session cookie goes with: a 303 would lose it.
    const signedIn = page.waitForResponse((r) =>
      r.url().includes('/console/sign-in/oidc/callback'),
    );
    await decide('Continue');
    const callback = await signedIn;
    expect(callback.status()).toBe(200);
    expect(callback.headers()['refresh']).toBe('0;url=/console/countries/GHA/versions');
    await page.waitForURL(`${portal.base}/console/countries/GHA/versions`);
    expect(await page.title()).toMatch(/^Versions/);
    expect(await page.textContent('header.site')).toContain('Signed in as Kofi Boateng');
    // The code was redeemed with the verifier whose challenge the provider saw.
    expect(provider.tokenRequests.at(-1)?.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await cookie(SESSION)).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
      path: '/console',
    });
    expect(await cookie(FLOW)).toBeUndefined();
    // Neither the code nor a token is in the address bar now.
    expect(page.url()).not.toMatch(/code=|state=/);
  });

  it('refuses a subject that is not registered: a clear page and no session', async () => {
    provider.subject = 'idp|stranger';
    const sessions = await sql(portal, 'SELECT 1 FROM console_session');
    await toProvider('/console/sign-in');
    await decide('Continue');
    expect(await page.title()).toMatch(/^Your account is not registered/);
    expect(await page.textContent('main')).toContain('idp|stranger');
    expect(await seriousViolations(page)).toEqual([]);
    expect(await cookie(SESSION)).toBeUndefined();
    expect(await sql(portal, 'SELECT 1 FROM console_session')).toBe(sessions);
    mkdirSync(SHOTS_DIR, { recursive: true });
    await page.screenshot({
      path: join(SHOTS_DIR, 'console-oidc-not-registered.png'),
      fullPage: true,
    });
  });

  it('refuses a callback without this browser’s flow, or with another state', async () => {
    provider.subject = 'idp|kofi';
    // Someone else's callback (a code and state planted on this browser): no flow here.
    const planted = await page.goto(
      `${portal.base}/console/sign-in/oidc/callback?code=stolen&state=whatever`,
    );
    expect(planted?.status()).toBe(400);
    expect(await page.textContent('#oidc-error')).toMatch(
      /started too long ago or in another browser/,
    );
    expect(await cookie(SESSION)).toBeUndefined();
    // A flow of this browser, but the state coming back is not its own.
    await toProvider('/console/sign-in');
    const asked = provider.authorizations.at(-1)!;
    const tampered = new URL(`${portal.base}/console/sign-in/oidc/callback`);
    tampered.searchParams.set('code', 'x'.repeat(32));
    tampered.searchParams.set('state', `${asked.get('state')}-tampered`);
    const response = await page.goto(tampered.href);
    expect(response?.status()).toBe(400);
    expect(await page.textContent('#oidc-error')).toMatch(/could not be completed/);
    expect(await cookie(SESSION)).toBeUndefined();
    // Missing state altogether, on a fresh flow.
    await toProvider('/console/sign-in');
    const missing = await page.goto(`${portal.base}/console/sign-in/oidc/callback?code=abc`);
    expect(missing?.status()).toBe(400);
    expect(await cookie(SESSION)).toBeUndefined();
  });

  it('says so next to the button when the provider refuses', async () => {
    await toProvider('/console/sign-in?lang=fr');
    await decide('Deny');
    // In the language the person chose before leaving for the provider.
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.textContent('#oidc-error')).toContain(
      'Test IdP ne vous a pas connecté (réponse « access_denied »)',
    );
    expect(await page.getAttribute('#oidc-sign-in', 'aria-describedby')).toBe(
      'oidc-hint oidc-error',
    );
    expect(await cookie(SESSION)).toBeUndefined();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS_DIR, 'console-oidc-refused-fr.png'), fullPage: true });
  });

  it('keeps codes and tokens out of the log', () => {
    const log = JSON.stringify(portal.service.log);
    for (const request of provider.tokenRequests) {
      expect(log).not.toContain(request.get('code'));
      expect(log).not.toContain(request.get('code_verifier'));
    }
    expect(log).toContain('"method":"oidc"');
  });
});

/** The cookie pairs (`name=value`) a response sets, to send back as a browser would. */
const cookiesOf = (response: Response): string[] =>
  response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .filter((c) => !c.endsWith('='));

/**
 * The same flow over plain HTTP, without a browser, for what a browser test would only
 * repeat: a public client (no secret, PKCE alone), a principal revoked after registering,
 * and a provider that cannot be reached when the code is to be redeemed.
 */
describe('workspace sign-in with OpenID Connect as a public client', () => {
  const ATTEMPTS = 6;
  let portal: Portal;
  let provider: OidcTestProvider;

  beforeAll(async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    provider = await startOidcTestProvider({
      clientId: CLIENT_ID,
      redirectUri: `${base}/console/sign-in/oidc/callback`,
    });
    portal = await startPortal({
      PORT: String(port),
      PUBLIC_BASE_URL: base,
      AUTH_ISSUER: provider.issuer,
      AUTH_JWKS_URL: `${provider.issuer}/jwks`,
      AUTH_AUDIENCE: 'registry-api',
      OIDC_CLIENT_ID: CLIENT_ID,
      CONSOLE_SIGN_IN_ATTEMPTS: String(ATTEMPTS),
    });
  });
  afterAll(async () => {
    await portal?.close();
    await provider?.close();
  });

  /** Starts a flow and lets the provider sign `subject` in: the callback URL and the flow cookie. */
  async function throughProvider(subject: string): Promise<{ callback: string; cookie: string }> {
    provider.subject = subject;
    const started = await fetch(`${portal.base}/console/sign-in/oidc?next=/console`, {
      redirect: 'manual',
    });
    expect(started.status).toBe(303);
    const authorize = new URL(started.headers.get('location')!);
    expect(authorize.origin).toBe(provider.issuer);
    const decided = await fetch(`${provider.issuer}/decide`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams([...authorize.searchParams, ['decision', 'allow']]),
    });
    expect(decided.status).toBe(302);
    return { callback: decided.headers.get('location')!, cookie: cookiesOf(started).join('; ') };
  }

  it('signs in with PKCE alone: no client secret is sent', async () => {
    await registerSubject(portal, 'Esi Owusu', 'idp|esi');
    const { callback, cookie } = await throughProvider('idp|esi');
    const done = await fetch(callback, { headers: { cookie }, redirect: 'manual' });
    expect(done.status).toBe(200);
    expect(done.headers.get('refresh')).toBe('0;url=/console');
    const session = cookiesOf(done).find((c) => c.startsWith(`${SESSION}=`));
    expect(session).toBeDefined();
    const home = await fetch(`${portal.base}/console`, { headers: { cookie: session! } });
    expect(await home.text()).toContain('Esi Owusu');
    const token = provider.tokenRequests.at(-1)!;
    expect(token.get('client_id')).toBe(CLIENT_ID);
    expect(token.get('client_secret')).toBeNull();
    expect(token.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a principal revoked since it was registered, as the API refuses its tokens', async () => {
    await registerSubject(portal, 'Yaw Mensah', 'idp|yaw');
    const listed = await gqlPost(
      `${portal.base}/graphql`,
      `{ principals { id name } }`,
      {},
      PORTAL_ADMIN_KEY,
    );
    const yaw = (listed.data.principals as { id: string; name: string }[]).find(
      (p) => p.name === 'Yaw Mensah',
    )!;
    const revoked = await gqlPost(
      `${portal.base}/graphql`,
      `mutation($input: RevokePrincipalInput!) { revokePrincipal(input: $input) { id } }`,
      { input: { principalId: yaw.id, reason: 'left the ministry' } },
      PORTAL_ADMIN_KEY,
    );
    expect(revoked.errors).toBeUndefined();
    const { callback, cookie } = await throughProvider('idp|yaw');
    const done = await fetch(callback, { headers: { cookie }, redirect: 'manual' });
    expect(done.status).toBe(403);
    expect(await done.text()).toContain('Your account is not registered');
    expect(cookiesOf(done).some((c) => c.startsWith(`${SESSION}=`))).toBe(false);
  });

  it('says the provider cannot be reached when the code cannot be redeemed', async () => {
    await registerSubject(portal, 'Ama Darko', 'idp|ama');
    const { callback, cookie } = await throughProvider('idp|ama');
    await provider.close();
    const done = await fetch(callback, { headers: { cookie }, redirect: 'manual' });
    expect(done.status).toBe(503);
    expect(await done.text()).toContain('cannot be reached right now');
    expect(cookiesOf(done).some((c) => c.startsWith(`${SESSION}=`))).toBe(false);
  });

  it('counts callbacks against the sign-in limit of the client network', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= ATTEMPTS; i++) {
      const callback = await fetch(`${portal.base}/console/sign-in/oidc/callback?code=x&state=y`);
      statuses.push(callback.status);
      if (callback.status === 429) {
        expect(Number(callback.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(await callback.text()).toContain('Too many sign-in attempts');
        break;
      }
    }
    // After the callbacks above, refusals without a flow (400) until the limit (429).
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, -1).every((s) => s === 400)).toBe(true);
  });
});
