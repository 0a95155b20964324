import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  Portal,
  expectGoodPage,
  launchBrowser,
  saveWeights,
  startPortal,
} from '../support/portal-browser';

/**
 * The eligibility question and the search, as a reader uses them: the forms submitted with
 * JavaScript on and off, answers with their reasons, input problems next to the form, the
 * signed receipt downloaded, search results paged by cursor.
 */
describe('the portal eligibility form and search in a real browser', () => {
  let portal: Portal;
  let browser: Browser;
  let context: BrowserContext;
  const weights: Record<string, number> = {};

  beforeAll(async () => {
    // A signing key, so that answers come with a receipt to download.
    const signingKey = generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    [portal, browser] = await Promise.all([
      startPortal({ AUDIT_SIGNING_KEY: signingKey }),
      launchBrowser(),
    ]);
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  });
  afterAll(async () => {
    saveWeights('portal-eligibility', weights);
    await browser?.close();
    await portal?.close();
  });

  /** Asks about GHA solar PV through the form, as typed by a reader. */
  async function askSolar(page: Page, parameters: [string, string][]): Promise<void> {
    await page.goto(`${portal.base}/eligibility`);
    await page.selectOption('#country', 'GHA');
    await page.fill('#technology', 'solar PV');
    await page.fill('#baselineYear', '2030');
    for (const [i, [name, value]] of parameters.entries()) {
      await page.fill(`#pn-${i}`, name);
      await page.fill(`#pv-${i}`, value);
    }
    await Promise.all([page.waitForURL(/country=GHA/), page.click('form button[type=submit]')]);
  }

  it('shows the form alone when nothing is asked', async () => {
    const page = await expectGoodPage(
      context,
      `${portal.base}/eligibility`,
      { name: 'eligibility-form', status: 200, title: /Is my activity eligible/ },
      weights,
    );
    expect(await page.$('.answer')).toBeNull();
    expect(await page.$$('input[name=pn]')).toHaveLength(4);
    await page.close();
  });

  it('answers ELIGIBLE with JavaScript on, with the version, criteria and baseline', async () => {
    // A context of its own, so that the page check below loads the answer afresh and weighs it.
    const asking = await browser.newContext();
    const page = await asking.newPage();
    try {
      await askSolar(page, [
        ['capacityMW', '20'],
        ['gridPenetrationPct', '2'],
      ]);
      expect(await page.textContent('.answer .badge.status')).toBe('Eligible');
      expect(await page.textContent('.answer')).toMatch(/GHA’s list, version 1/);
      expect(await page.getAttribute('.answer a[href^="/countries/GHA"]', 'href')).toBe(
        '/countries/GHA',
      );
      expect(await page.$$eval('.match tr.outcome-MET', (rows) => rows.length)).toBe(2);
      expect(await page.textContent('.baseline-value')).toMatch(/Baseline in 2030/);
      // The parameters come back in the form, with four empty rows below them.
      expect(await page.inputValue('#pv-0')).toBe('20');
      expect(await page.$$('input[name=pn]')).toHaveLength(6);
      await expectGoodPage(
        context,
        page.url(),
        { name: 'eligibility-eligible', status: 200, title: /Is my activity eligible/ },
        weights,
      );
    } finally {
      await asking.close();
    }
  });

  it('answers NOT_ELIGIBLE with JavaScript off, naming the unmet criterion', async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const page = await noScript.newPage();
    try {
      await askSolar(page, [
        ['capacityMW', '80'],
        ['gridPenetrationPct', '2'],
      ]);
      expect(await page.textContent('.answer .badge.status')).toBe('Not eligible');
      const unmet = await page.textContent('.match tr.outcome-UNMET');
      expect(unmet).toMatch(/capacityMW at most 50 MW/);
      expect(unmet).toMatch(/not met/);
      expect(unmet).toMatch(/80/);
      // axe-core runs as script: the page itself is checked in the scripted context.
      await expectGoodPage(
        context,
        page.url(),
        { name: 'eligibility-not-eligible', status: 200, title: /Is my activity eligible/ },
        weights,
      );
    } finally {
      await noScript.close();
    }
  });

  it('shows a parameter not given as missing, from a hand-written URL', async () => {
    const page = await expectGoodPage(
      context,
      `${portal.base}/eligibility?country=GHA&technology=solar+PV&p.capacityMW=20`,
      { name: 'eligibility-missing', status: 200, title: /Is my activity eligible/ },
      weights,
    );
    expect(await page.textContent('.answer .badge.status')).toMatch(/Undecided/);
    expect(await page.textContent('.match .missing')).toMatch(/gridPenetrationPct/);
    expect(await page.textContent('.match tr.outcome-MISSING')).toMatch(/missing/);
    await page.close();
  });

  it('shows a bad date next to the field, with status 400', async () => {
    const page = await expectGoodPage(
      context,
      `${portal.base}/eligibility?country=GHA&technology=solar+PV&on=2026-02-30`,
      { name: 'eligibility-bad-date', status: 400, title: /Is my activity eligible/ },
      weights,
    );
    expect(await page.textContent('#err-on')).toMatch(/YYYY-MM-DD/);
    expect(await page.getAttribute('#on', 'aria-invalid')).toBe('true');
    expect(await page.$('.answer')).toBeNull();
    await page.close();
  });

  it('shows a value of the wrong kind and a repeated parameter on their rows', async () => {
    const page = await context.newPage();
    try {
      const kind = await page.goto(
        `${portal.base}/eligibility?country=GHA&technology=solar+PV&pn=capacityMW&pv=large`,
      );
      expect(kind?.status()).toBe(400);
      expect(await page.textContent('#err-pv-0')).toMatch(/wrong kind/);
      const twice = await page.goto(
        `${portal.base}/eligibility?country=GHA&technology=solar+PV&pn=capacityMW&pv=20&pn=capacityMW&pv=30`,
      );
      expect(twice?.status()).toBe(400);
      expect(await page.textContent('#err-pn-1')).toMatch(/given twice/);
      expect(await page.inputValue('#pv-1')).toBe('30');
    } finally {
      await page.close();
    }
  });

  it('downloads the signed receipt of the answer as JSON', async () => {
    const page = await context.newPage();
    try {
      await page.goto(
        `${portal.base}/eligibility?country=GHA&technology=solar+PV&p.capacityMW=20&p.gridPenetrationPct=2`,
      );
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click('text=Download signed receipt'),
      ]);
      expect(download.suggestedFilename()).toMatch(/^eligibility-receipt-GHA-.*\.json$/);
      const receipt = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
        body: string;
        signature: string;
        publicKey: string;
      };
      expect(receipt.signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
      const body = JSON.parse(receipt.body) as { status: string; query: { hostCountry: string } };
      expect(body.status).toBe('ELIGIBLE');
      expect(body.query.hostCountry).toBe('GHA');
    } finally {
      await page.close();
    }
  });

  it('answers in French', async () => {
    const page = await expectGoodPage(
      context,
      `${portal.base}/eligibility?lang=fr&country=GHA&technology=solar+PV&p.capacityMW=20&p.gridPenetrationPct=2`,
      {
        name: 'eligibility-fr',
        status: 200,
        title: /Mon activité est-elle éligible/,
        lang: 'fr',
      },
      weights,
    );
    expect(await page.textContent('.answer .badge.status')).toBe('Éligible');
    expect(await page.textContent('.match tr.outcome-MET')).toMatch(/rempli/);
    await page.close();
  });

  it('searches the entries in force and pages through them by cursor', async () => {
    const page = await expectGoodPage(
      context,
      `${portal.base}/search?q=solar`,
      { name: 'search-solar', status: 200, title: /Search the lists in force/ },
      weights,
    );
    const keys = await page.$$eval('tr.hit .muted', (spans) => spans.map((s) => s.textContent));
    expect(keys).toEqual(expect.arrayContaining(['GHA-SOLAR-UTILITY', 'GHA-SOLAR-MINIGRID']));
    expect(await page.getAttribute('tr.hit a[href*="GHA-SOLAR-UTILITY"]', 'href')).toBe(
      '/countries/GHA/entries/GHA-SOLAR-UTILITY',
    );
    expect(await page.textContent('#results')).toMatch(new RegExp(`${keys.length} entries found`));
    await page.close();

    // One entry a page: each "next page" link moves on by one, to the last.
    const paged = await expectGoodPage(
      context,
      `${portal.base}/search?q=solar&first=1`,
      { name: 'search-paged', status: 200, title: /Search the lists in force/ },
      weights,
    );
    const seen: (string | null)[] = [];
    for (;;) {
      seen.push(await paged.textContent('tr.hit .muted'));
      const next = await paged.$('a[rel=next]');
      if (!next) break;
      await Promise.all([paged.waitForURL(/after=/), next.click()]);
    }
    expect(seen).toEqual(keys);
    await paged.close();
  });

  it('searches one country, empty search shows the form only, and a bad cursor is a 400 page', async () => {
    const page = await expectGoodPage(
      context,
      `${portal.base}/search?q=solar&country=GHA&kind=POSITIVE`,
      { name: 'search-country', status: 200, title: /Search/ },
      weights,
    );
    const countries = await page.$$eval('tr.hit td:nth-child(2)', (tds) =>
      tds.map((td) => td.textContent),
    );
    expect(countries.length).toBeGreaterThan(0);
    expect(countries.every((name) => name?.startsWith('Ghana'))).toBe(true);
    await page.close();

    const empty = await expectGoodPage(
      context,
      `${portal.base}/search`,
      { name: 'search-empty', status: 200, title: /Search/ },
      weights,
    );
    expect(await empty.$('#results')).toBeNull();
    await empty.close();

    const bad = await expectGoodPage(
      context,
      `${portal.base}/search?q=solar&after=not-a-cursor`,
      { name: 'search-bad-cursor', status: 400, title: /Bad request/ },
      weights,
    );
    await bad.close();
  });
});
