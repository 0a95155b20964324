import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
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
import { signIn } from '../support/console-browser';
import { gqlPost } from '../support/service-process';

/**
 * The administrator's pages of the workspace, in a real browser: registering a host country,
 * adding and editing its NDC sectors (a problem shown next to its field, then fixed), creating
 * an official whose key is shown once and copied, the key signing in, then revoked with a
 * reason and no longer signing in; an official refused the principals page and another
 * country's sectors; the reasons in the audit trail; every page axe-clean in two languages.
 */
describe('the administrator’s pages in the workspace, in a real browser', () => {
  let portal: Portal;
  let browser: Browser;
  let admin: BrowserContext;
  let apiKey: string;
  let officialId: string;
  /** The new official's browser, signed in with the key the administrator copied. */
  let official: BrowserContext;
  const weights: Record<string, number> = {};

  const submit = async (page: Page, selector: string) => {
    const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
    return response!;
  };

  const auditOf = async (filter: Record<string, string>) => {
    const res = await gqlPost(
      `${portal.base}/graphql`,
      `query($filter: AuditFilter) { auditEvents(filter: $filter, first: 50) {
         edges { node { action reason actor { name } } } } }`,
      { filter },
      PORTAL_ADMIN_KEY,
    );
    if (res.errors || !res.data) throw new Error(JSON.stringify(res.errors));
    return (
      res.data.auditEvents.edges as {
        node: { action: string; reason: string; actor: { name: string } };
      }[]
    ).map((e) => e.node);
  };

  beforeAll(async () => {
    [portal, browser] = await Promise.all([startPortal(), launchBrowser()]);
    admin = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    await admin.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: portal.base });
    await signIn(await admin.newPage(), portal.base, PORTAL_ADMIN_KEY);
  });
  afterAll(async () => {
    saveWeights('console-admin', weights);
    await browser?.close();
    await portal?.close();
  });

  it('links the administrator’s home page and navigation to the countries and principals', async () => {
    const page = await admin.newPage();
    await page.goto(`${portal.base}/console`);
    expect(await page.getAttribute('main a[href="/console/countries"]', 'href')).toBeTruthy();
    expect(await page.getAttribute('main a[href="/console/principals"]', 'href')).toBeTruthy();
    const nav = await page.textContent('nav');
    expect(nav).toContain('Host countries');
    expect(nav).toContain('Principals');
    await page.close();
  });

  it('registers a host country, after showing a wrong code next to its field', async () => {
    const page = await expectGoodPage(
      admin,
      `${portal.base}/console/countries`,
      { name: 'console-admin-countries', status: 200, title: /^Host countries/ },
      weights,
    );
    expect(await page.textContent('tbody')).toContain('Kenya');
    await page.fill('#code', 'XXZ');
    await page.fill('#name', 'Senegal');
    await page.fill('#ndcTitle', 'Contribution déterminée au niveau national');
    await page.fill('#ndcVersion', '2020 update');
    await page.fill('#ndcNetZero', '2050');
    await page.fill('#reason', 'Senegal joins the registry');
    const refused = await submit(page, 'form.stack button[type=submit]');
    expect(refused.status()).toBe(400);
    expect(await page.textContent('#code-error')).toContain('"XXZ" is not an ISO 3166-1');
    expect(await page.getAttribute('#code', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#code', 'aria-describedby')).toContain('code-error');
    // What was typed is kept.
    expect(await page.inputValue('#name')).toBe('Senegal');
    expect(await page.inputValue('#reason')).toBe('Senegal joins the registry');
    expect(await seriousViolations(page)).toEqual([]);
    await page.fill('#code', 'SEN');
    const done = await submit(page, 'form.stack button[type=submit]');
    expect(done.status()).toBe(200);
    expect(page.url()).toBe(`${portal.base}/console/countries?registered=SEN`);
    expect(await page.textContent('[role=status]')).toContain('Senegal (SEN) has been registered');
    expect(await page.textContent('tbody')).toContain('2020 update');
    await page.close();
    const french = await expectGoodPage(
      admin,
      `${portal.base}/console/countries?lang=fr`,
      { name: 'console-admin-countries-fr', status: 200, title: /^Pays hôtes/, lang: 'fr' },
      weights,
    );
    expect(await french.textContent('tbody')).toContain('Senegal');
    await french.close();
  });

  it('adds an NDC sector once its IPCC categories fit the sector, then edits it', async () => {
    const page = await expectGoodPage(
      admin,
      `${portal.base}/console/countries/SEN/sectors`,
      { name: 'console-admin-sectors-empty', status: 200, title: /^NDC sectors of Senegal/ },
      weights,
    );
    await page.fill('#code', 'ENERGY');
    await page.fill('#name', 'Electricity and heat');
    await page.selectOption('#ipccSector', 'WASTE');
    await page.fill('#ipccCategories', '1.A.1.a, 1.A.2');
    await page.fill('#reason', 'NDC sectors of the 2020 update');
    const refused = await submit(page, 'form.stack button[type=submit]');
    expect(refused.status()).toBe(400);
    expect(await page.textContent('#ipccCategories-error')).toContain(
      '"1.A.1.a" is not in the IPCC sector WASTE',
    );
    expect(await page.getAttribute('#ipccCategories', 'aria-invalid')).toBe('true');
    expect(await page.locator('[role=alert]').textContent()).toContain('The sector was not saved');
    expect(await page.inputValue('#ipccCategories')).toBe('1.A.1.a, 1.A.2');
    expect(await page.textContent('main')).toContain('Senegal has no NDC sector yet');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({
      path: join(SHOTS_DIR, 'console-admin-sector-problem.png'),
      fullPage: true,
    });
    await page.selectOption('#ipccSector', 'ENERGY');
    const added = await submit(page, 'form.stack button[type=submit]');
    expect(added.status()).toBe(200);
    expect(await page.textContent('[role=status]')).toContain('The sector ENERGY has been added');
    const row = await page.textContent('tbody tr');
    expect(row).toContain('Electricity and heat');
    expect(row).toContain('1.A.1.a, 1.A.2');
    // The add form does not quietly replace a sector of the same code.
    await page.fill('#code', 'ENERGY');
    await page.fill('#name', 'Something else');
    await page.fill('#ipccCategories', '1.A.3');
    await page.fill('#reason', 'a second energy sector');
    expect((await submit(page, 'form.stack button[type=submit]')).status()).toBe(409);
    expect(await page.textContent('#code-error')).toContain('already exists');
    expect(await page.textContent('tbody')).toContain('Electricity and heat');

    await submit(page, 'a[aria-label="Edit the sector ENERGY"]');
    expect(await page.title()).toMatch(/^Edit the sector ENERGY/);
    expect(await page.getAttribute('#code', 'readonly')).not.toBeNull();
    expect(await page.inputValue('#ipccCategories')).toBe('1.A.1.a, 1.A.2');
    expect(await seriousViolations(page)).toEqual([]);
    await page.fill('#name', 'Energy industries');
    await page.fill('#ipccCategories', '1.A.1 1.A.2');
    await page.fill('#reason', 'named as in the NDC');
    const saved = await submit(page, 'form.stack button[type=submit]');
    expect(saved.status()).toBe(200);
    expect(await page.textContent('[role=status]')).toContain('The sector ENERGY has been saved');
    expect(await page.textContent('tbody tr')).toContain('Energy industries');
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.close();
    const spanish = await expectGoodPage(
      admin,
      `${portal.base}/console/countries/SEN/sectors?lang=es`,
      {
        name: 'console-admin-sectors-es',
        status: 200,
        title: /^Sectores NDC de Senegal/,
        lang: 'es',
      },
      weights,
    );
    expect(await spanish.textContent('tbody')).toContain('Energía (1)');
    await spanish.close();
    const country = await auditOf({ entityType: 'HostCountry', entityId: 'SEN' });
    expect(country.map((e) => [e.action, e.reason])).toEqual([
      ['CREATE', 'Senegal joins the registry'],
    ]);
    // Refused attempts changed nothing: one event for the sector's creation, one for its edit.
    const sectors = await auditOf({ entityType: 'NdcSector', hostCountry: 'SEN' });
    expect(sectors.map((e) => [e.action, e.reason]).sort()).toEqual([
      ['CREATE', 'NDC sectors of the 2020 update'],
      ['UPDATE', 'named as in the NDC'],
    ]);
  });

  it('creates an official and shows their key once, with a button that copies it', async () => {
    const page = await expectGoodPage(
      admin,
      `${portal.base}/console/principals`,
      { name: 'console-admin-principals', status: 200, title: /^Principals/ },
      weights,
    );
    expect(await page.textContent('tbody')).toContain('admin');
    await page.fill('#name', 'Aminata Diallo');
    await page.selectOption('#role', 'OFFICIAL');
    await page.fill('#reason', 'new official for Senegal');
    // An official needs a country: the service says so next to the field.
    const refused = await submit(page, 'form.stack button[type=submit]');
    expect(refused.status()).toBe(400);
    expect(await page.textContent('#hostCountry-error')).toContain('is required for the OFFICIAL');
    expect(await seriousViolations(page)).toEqual([]);
    await page.selectOption('#hostCountry', 'SEN');
    const shown = await submit(page, 'form.stack button[type=submit]');
    expect(shown.status()).toBe(201);
    expect(shown.headers()['cache-control']).toBe('no-store');
    // The answer to the POST itself: the URL holds nothing of the key.
    expect(page.url()).toBe(`${portal.base}/console/principals`);
    apiKey = await page.inputValue('#api-key');
    expect(apiKey.length).toBeGreaterThanOrEqual(32);
    expect(page.url()).not.toContain(apiKey);
    expect(await page.getAttribute('#api-key', 'readonly')).not.toBeNull();
    // Without script the button is hidden (it could do nothing); the script shows it.
    const html = await shown.text();
    expect(html).toMatch(/<button type="button" id="copy-key" hidden/);
    expect(await page.isVisible('#copy-key')).toBe(true);
    await page.click('#copy-key');
    await page.waitForFunction(() => document.getElementById('copy-status')?.textContent !== '');
    expect(await page.textContent('#copy-status')).toBe(
      'The key has been copied to the clipboard.',
    );
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(apiKey);
    expect(await page.title()).toMatch(/^The API key of Aminata Diallo/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({
      path: join(SHOTS_DIR, 'console-admin-key.png'),
      fullPage: true,
    });
    // Never again: not on the list, not in the service's log.
    await page.goto(`${portal.base}/console/principals`);
    expect(await page.content()).not.toContain(apiKey);
    expect(JSON.stringify(portal.service.log)).not.toContain(apiKey);
    const link = page.locator('a[aria-label="Revoke Aminata Diallo"]');
    officialId = (await link.getAttribute('href'))!.split('/')[3];
    await page.close();
  });

  it('lets the new key sign in, to its own country’s sectors and not to the principals', async () => {
    official = await browser.newContext();
    const page = await official.newPage();
    await signIn(page, portal.base, apiKey);
    expect(await page.textContent('.account')).toContain('Aminata Diallo');
    expect(await page.getAttribute('main a[href$="/sectors"]', 'href')).toBe(
      '/console/countries/SEN/sectors',
    );
    expect(await page.locator('a[href="/console/principals"]').count()).toBe(0);
    expect((await page.goto(`${portal.base}/console/countries/SEN/sectors`))?.status()).toBe(200);
    expect(await page.textContent('tbody')).toContain('Energy industries');
    expect((await page.goto(`${portal.base}/console/principals`))?.status()).toBe(403);
    expect(await page.textContent('main')).not.toContain('Aminata Diallo');
    expect((await page.goto(`${portal.base}/console/countries/GHA/sectors`))?.status()).toBe(403);
    expect(await page.textContent('main')).not.toContain('Add an NDC sector');
    // The list of countries is a public read; registering one is for administrators only.
    expect((await page.goto(`${portal.base}/console/countries`))?.status()).toBe(200);
    expect(await page.textContent('tbody')).toContain('Senegal');
    expect(await page.locator('form[action="/console/countries"]').count()).toBe(0);
    await page.close();
  });

  it('refuses to revoke the administrator’s own principal, next to the form', async () => {
    const page = await admin.newPage();
    await page.goto(`${portal.base}/console/principals`);
    await submit(page, 'a[aria-label="Revoke admin"]');
    await page.fill('#reason', 'trying');
    expect((await submit(page, 'form.stack button[type=submit]')).status()).toBe(409);
    expect(await page.textContent('[role=alert]')).toContain(
      'An administrator cannot revoke their own principal',
    );
    expect(await page.textContent('main')).not.toContain('revoked on');
    // Pages of what does not exist are 404s, for the administrator too.
    expect((await page.goto(`${portal.base}/console/countries/ZZZ/sectors`))?.status()).toBe(404);
    expect((await page.goto(`${portal.base}/console/countries/SEN/sectors/NOPE`))?.status()).toBe(
      404,
    );
    expect((await page.goto(`${portal.base}/console/principals/not-an-id/revoke`))?.status()).toBe(
      404,
    );
    await page.close();
  });

  it('revokes the official with a reason: the key no longer signs in', async () => {
    const page = await expectGoodPage(
      admin,
      `${portal.base}/console/principals/${officialId}/revoke?lang=fr`,
      {
        name: 'console-admin-revoke-fr',
        status: 200,
        title: /^Révoquer Aminata Diallo/,
        lang: 'fr',
      },
      weights,
    );
    await page.close();
    const revoke = await expectGoodPage(
      admin,
      `${portal.base}/console/principals/${officialId}/revoke`,
      { name: 'console-admin-revoke', status: 200, title: /^Revoke Aminata Diallo/ },
      weights,
    );
    await revoke.fill('#reason', 'left the ministry');
    const done = await submit(revoke, 'form.stack button[type=submit]');
    expect(done.status()).toBe(200);
    expect(await revoke.textContent('[role=status]')).toContain('Aminata Diallo has been revoked');
    const row = await revoke.textContent(`tr[data-principal="${officialId}"]`);
    expect(row).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect(row).not.toContain('active');
    await revoke.close();
    const spanish = await expectGoodPage(
      admin,
      `${portal.base}/console/principals?lang=es`,
      { name: 'console-admin-principals-es', status: 200, title: /^Cuentas/, lang: 'es' },
      weights,
    );
    expect(await spanish.textContent(`tr[data-principal="${officialId}"]`)).not.toContain('activa');
    await spanish.close();

    // The official's open session ends with the principal: back to signing in.
    const open = await official.newPage();
    await open.goto(`${portal.base}/console/countries/SEN/sectors`);
    expect(new URL(open.url()).pathname).toBe('/console/sign-in');
    await official.close();

    const later = await browser.newContext();
    const page2 = await later.newPage();
    await signIn(page2, portal.base, apiKey);
    expect(page2.url()).toContain('/console/sign-in');
    expect(await page2.textContent('main')).toContain('This key was not accepted');
    await later.close();

    const events = await auditOf({ entityType: 'Principal', entityId: officialId });
    expect(events.map((e) => [e.action, e.reason, e.actor.name]).sort()).toEqual([
      ['CREATE', 'new official for Senegal', 'admin'],
      ['REVOKE', 'left the ministry', 'admin'],
    ]);
  });
});
