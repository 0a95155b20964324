import type { Browser, BrowserContext } from 'playwright-core';
import {
  PageExpectation,
  Portal,
  expectGoodPage,
  launchBrowser,
  saveWeights,
  startPortal,
} from '../support/portal-browser';

/**
 * Every portal route, as a reader reaches it. Each is checked for its status, a proper title
 * and language, no serious or critical axe-core violation, and its weight; the main ones are
 * photographed (`npm run screenshots` writes them to docs/screenshots for the README).
 */
const ROUTES: (PageExpectation & { path: string })[] = [
  { name: 'home', path: '/', status: 200, title: /Article 6 positive lists/ },
  { name: 'country', path: '/countries/GHA', status: 200, title: /Ghana.*lists in force/ },
  {
    name: 'country-fr',
    path: '/countries/GHA?lang=fr',
    status: 200,
    title: /Ghana.*listes en vigueur/,
    lang: 'fr',
  },
  {
    name: 'country-before-any-list',
    path: '/countries/KEN?on=2020-01-01',
    status: 200,
    title: /Kenya/,
  },
  { name: 'unknown-country', path: '/countries/XXX', status: 404, title: /Not found/ },
  { name: 'bad-date', path: '/countries/GHA?on=2026-02-30', status: 400, title: /Bad request/ },
];

describe('the portal in a real browser', () => {
  let portal: Portal;
  let browser: Browser;
  let context: BrowserContext;
  const weights: Record<string, number> = {};

  beforeAll(async () => {
    [portal, browser] = await Promise.all([startPortal(), launchBrowser()]);
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  });
  afterAll(async () => {
    saveWeights('portal-pages', weights);
    await browser?.close();
    await portal?.close();
  });

  it.each(ROUTES)(
    '$name ($path): status, title, language, accessibility, weight',
    async (route) => {
      const page = await expectGoodPage(context, portal.base + route.path, route, weights);
      await page.close();
    },
  );

  it('reaches every section from the navigation, by keyboard', async () => {
    const page = await context.newPage();
    try {
      await page.goto(`${portal.base}/`);
      // The skip link comes first, then the brand and the navigation.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('#main');
      const links = await page.$$eval('header nav a', (as) =>
        as.map((a) => a.getAttribute('href')),
      );
      expect(links).toEqual(['/', '/search', '/eligibility', '/transparency', '/graphql']);
      await page.click('text=Ghana');
      expect(new URL(page.url()).pathname).toBe('/countries/GHA');
      await page.click('text=Français');
      expect(await page.getAttribute('html', 'lang')).toBe('fr');
      expect(await page.textContent('h1')).toMatch(/listes en vigueur/);
    } finally {
      await page.close();
    }
  });

  it('works with JavaScript turned off: the date form shows the list on another day', async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const page = await noScript.newPage();
    try {
      await page.goto(`${portal.base}/countries/KEN`);
      await page.fill('#on', '2020-01-01');
      await Promise.all([page.waitForURL(/on=2020-01-01/), page.click('button[type=submit]')]);
      expect(await page.textContent('.notice')).toMatch(/no list in force on 2020-01-01/);
    } finally {
      await noScript.close();
    }
  });
});
