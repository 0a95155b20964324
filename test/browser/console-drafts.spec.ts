import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  Portal,
  SHOTS_DIR,
  expectGoodPage,
  seriousViolations,
  launchBrowser,
  saveWeights,
  startPortal,
} from '../support/portal-browser';
import { createPrincipal, signIn } from '../support/console-browser';
import { gqlPost } from '../support/service-process';

/**
 * An official's first steps in the workspace, in a real browser: the home page, the
 * country's versions, starting a draft with a reason (the audit trail records the person and
 * the web request's id, as for the API), its page read-only, and what an official of another
 * country sees of it (nothing: 404). Every page passes axe-core, in English and French, and
 * is photographed (`npm run screenshots`).
 */
describe('drafting in the workspace, in a real browser', () => {
  let portal: Portal;
  let browser: Browser;
  let ghana: BrowserContext;
  let kenya: BrowserContext;
  let page: Page;
  let auditorKey: string;
  let draftNumber: number;
  const weights: Record<string, number> = {};

  beforeAll(async () => {
    [portal, browser] = await Promise.all([startPortal(), launchBrowser()]);
    const [ghanaKey, kenyaKey] = await Promise.all([
      createPrincipal(portal, 'Ama Mensah', 'OFFICIAL', 'GHA'),
      createPrincipal(portal, 'Wanjiru Kamau', 'OFFICIAL', 'KEN'),
    ]);
    auditorKey = await createPrincipal(portal, 'Ines Auditor', 'AUDITOR', null);
    ghana = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    kenya = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    page = await ghana.newPage();
    await signIn(page, portal.base, ghanaKey);
    await signIn(await kenya.newPage(), portal.base, kenyaKey);
  });
  afterAll(async () => {
    saveWeights('console-drafts', weights);
    await browser?.close();
    await portal?.close();
  });

  it('shows who is signed in on the home page, with the way to their country’s versions', async () => {
    const home = await expectGoodPage(
      ghana,
      `${portal.base}/console`,
      { name: 'console-home', status: 200, title: /^Workspace/ },
      weights,
    );
    const facts = await home.textContent('dl.facts');
    expect(facts).toContain('Ama Mensah');
    expect(facts).toContain('official');
    expect(facts).toContain('Ghana');
    await Promise.all([home.waitForLoadState('load'), home.click('main a[href$="/versions"]')]);
    expect(new URL(home.url()).pathname).toBe('/console/countries/GHA/versions');
    await home.close();
    const french = await expectGoodPage(
      ghana,
      `${portal.base}/console?lang=fr`,
      { name: 'console-home-fr', status: 200, title: /^Espace de travail/, lang: 'fr' },
      weights,
    );
    expect(await french.textContent('dl.facts')).toContain('agent');
    await french.close();
  });

  it('lists the country’s versions with the form to start a draft', async () => {
    const versions = await expectGoodPage(
      ghana,
      `${portal.base}/console/countries/GHA/versions`,
      { name: 'console-versions', status: 200, title: /^Versions of Ghana/ },
      weights,
    );
    expect(await versions.locator('tbody tr').count()).toBe(2);
    expect(await versions.isVisible('form.stack #title')).toBe(true);
    await versions.close();
    const french = await expectGoodPage(
      ghana,
      `${portal.base}/console/countries/GHA/versions?lang=fr`,
      { name: 'console-versions-fr', status: 200, title: /^Versions de la liste/, lang: 'fr' },
      weights,
    );
    expect(await french.textContent('#start-draft')).toBe('Commencer un brouillon');
    await french.close();
  });

  it('shows a form refused for its token as an accessible page, and keeps nothing', async () => {
    await page.goto(`${portal.base}/console/countries/GHA/versions`);
    await page.fill('#title', 'Tampered');
    await page.fill('#reason', 'the token was changed');
    await page.$eval('form.stack input[name=_csrf]', (input) => {
      (input as HTMLInputElement).value = 'tampered';
    });
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('form.stack button[type=submit]'),
    ]);
    expect(response.status()).toBe(403);
    await page.waitForLoadState('load');
    expect(await page.title()).toMatch(/^Form refused/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS_DIR, 'console-form-refused.png'), fullPage: true });
    await page.goto(`${portal.base}/console/countries/GHA/versions`);
    expect(await page.locator('tbody tr').count()).toBe(2);
  });

  it('shows the problems of a draft that cannot start next to their fields, and changes nothing', async () => {
    await page.goto(`${portal.base}/console/countries/GHA/versions`);
    // Blank after trimming, as the API's own checks say.
    await page.fill('#title', '   ');
    await page.fill('#reason', '   ');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('form.stack button[type=submit]'),
    ]);
    expect(response.status()).toBe(400);
    await page.waitForLoadState('load');
    expect(await page.textContent('#title-error')).toMatch(/must not be empty/);
    expect(await page.textContent('#reason-error')).toMatch(/must not be empty/);
    expect(await page.getAttribute('#title', 'aria-invalid')).toBe('true');
    expect(await page.locator('tbody tr').count()).toBe(2);
    await page.screenshot({
      path: join(SHOTS_DIR, 'console-draft-problems.png'),
      fullPage: true,
    });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('starts a draft with a reason; the audit trail shows the official and the request id', async () => {
    await page.goto(`${portal.base}/console/countries/GHA/versions`);
    await page.fill('#title', 'Revision adding rooftop solar');
    await page.check('input[name=start][value=copy]');
    await page.fill('#reason', 'Cabinet decision 2026/114: rooftop solar joins the list');
    // Keyboard only: the button is reached with Tab and pressed with Enter.
    await page.focus('#reason');
    await page.keyboard.press('Tab');
    const [posted] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.keyboard.press('Enter'),
    ]);
    expect(posted.status()).toBe(303);
    const requestId = posted.headers()['x-request-id'];
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await page.waitForLoadState('load');
    expect(await page.textContent('[role=status]')).toMatch(/Version (\d+) has been created/);
    draftNumber = Number(/Version (\d+)/.exec((await page.textContent('[role=status]'))!)![1]);
    expect(await page.locator('tbody tr').count()).toBe(3);

    const trail = await gqlPost(
      `${portal.base}/graphql`,
      `query { auditEvents(filter: { hostCountry: "GHA", entityType: "PositiveListVersion", actions: [CREATE] }, first: 50) {
        edges { node { actor { name role hostCountry } reason requestId after } } } }`,
      {},
      auditorKey,
    );
    expect(trail.errors).toBeUndefined();
    const created = (trail.data.auditEvents.edges as { node: any }[])
      .map((e) => e.node)
      .filter((n) => n.after.version === draftNumber);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      actor: { name: 'Ama Mensah', role: 'OFFICIAL', hostCountry: 'GHA' },
      reason: 'Cabinet decision 2026/114: rooftop solar joins the list',
      requestId,
    });
    expect(created[0].after.entriesCopied).toBeGreaterThan(0);
  });

  it('shows the draft read-only, in English and French', async () => {
    for (const [name, query, lang, title] of [
      ['console-version-draft', '', 'en', /^Version \d+ of Ghana/],
      ['console-version-draft-fr', '?lang=fr', 'fr', /^Version \d+ de la liste/],
    ] as const) {
      const shown = await expectGoodPage(
        ghana,
        `${portal.base}/console/countries/GHA/versions/${draftNumber}${query}`,
        { name, status: 200, title, lang },
        weights,
      );
      expect(await shown.textContent('.badge')).toMatch(/draft|brouillon/);
      expect(await shown.locator('article.entry').count()).toBeGreaterThan(0);
      // A draft's entries have no public page to link to.
      expect(await shown.locator('article.entry h4 a').count()).toBe(0);
      await shown.close();
    }
    // The form gives way to the open draft: one open version per country.
    await page.goto(`${portal.base}/console/countries/GHA/versions`);
    expect(await page.isVisible('form.stack')).toBe(false);
    expect(await page.textContent('#start-draft + p')).toContain(`Version ${draftNumber} is open`);
  });

  it('does not exist for an official of another country (404), who cannot start one either', async () => {
    const missing = await expectGoodPage(
      kenya,
      `${portal.base}/console/countries/GHA/versions/${draftNumber}`,
      { name: 'console-not-found', status: 404, title: /^Not found/ },
      weights,
    );
    await missing.close();
    const versions = await kenya.newPage();
    await versions.goto(`${portal.base}/console/countries/GHA/versions`);
    // The published versions only, as the API shows them to this official; no draft form.
    expect(await versions.locator('tbody tr').count()).toBe(2);
    expect(await versions.textContent('main')).not.toContain(`Version ${draftNumber}`);
    expect(await versions.isVisible('form.stack')).toBe(false);
    // Posting anyway, with a valid token of their own: refused as createDraft refuses it.
    const token = await versions.getAttribute('form.account input[name=_csrf]', 'value');
    const response = await versions.request.post(`${portal.base}/console/countries/GHA/versions`, {
      form: { title: 'Not mine', reason: 'trying', _csrf: token! },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(403);
    await versions.close();
  });

  it('discards the draft with a reason: it keeps its number, and a new draft can be started', async () => {
    const url = `${portal.base}/console/countries/GHA/versions/${draftNumber}`;
    await page.goto(url);
    const listVersionId = await page.inputValue(
      'section[aria-labelledby=discard] input[name=listVersionId]',
    );
    // Not for an official of another country: the draft does not exist for them.
    const other = await kenya.newPage();
    await other.goto(`${portal.base}/console`);
    const forced = await other.request.post(`${url}/discard`, {
      form: {
        _csrf: (await other.getAttribute('form.account input[name=_csrf]', 'value'))!,
        listVersionId,
        reason: 'not mine',
      },
      maxRedirects: 0,
    });
    expect(forced.status()).toBe(404);
    await other.close();

    await page.fill('#discard-reason', 'Overtaken by the cabinet’s new plan');
    const [discarded] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('section[aria-labelledby=discard] button[type=submit]'),
    ]);
    await page.waitForLoadState('load');
    expect(discarded.status()).toBe(303);
    expect(await page.textContent('p.notice[role=status]')).toContain(
      `Version ${draftNumber} has been discarded.`,
    );
    expect(await page.textContent('.badge')).toBe('discarded');
    expect(await page.locator('#discard').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    const { data } = await gqlPost(
      `${portal.base}/graphql`,
      `query { auditEvents(filter: { hostCountry: "GHA", actions: [DELETE], entityType: "PositiveListVersion" }) { edges { node { reason actor { name } } } } }`,
      {},
      auditorKey,
    );
    expect(data?.auditEvents.edges.map((e: { node: unknown }) => e.node)).toEqual([
      { reason: 'Overtaken by the cabinet’s new plan', actor: { name: 'Ama Mensah' } },
    ]);
    // One open version per country: with this one gone, the form to start a draft is back.
    await page.goto(`${portal.base}/console/countries/GHA/versions`);
    expect(await page.isVisible('form.stack')).toBe(true);
  });
});
