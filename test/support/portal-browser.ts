import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import AxeBuilder from '@axe-core/playwright';
import { Browser, BrowserContext, Page, chromium } from 'playwright-core';
import { ServiceProcess, startService } from './service-process';
import { TestDatabase, createTestDatabase } from './test-database';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');
export const PORTAL_ADMIN_KEY = 'portal-browser-tests-admin-key-0123456789abcdef';

/** The compiled service on a fresh database holding the demo data, as a newcomer sees it. */
export interface Portal {
  base: string;
  service: ServiceProcess;
  db: TestDatabase;
  close(): Promise<void>;
}

export async function startPortal(env: Record<string, string> = {}): Promise<Portal> {
  const db = await createTestDatabase();
  const common = { DATABASE_URL: db.url, BOOTSTRAP_ADMIN_KEY: PORTAL_ADMIN_KEY };
  await run(process.execPath, [CLI, 'seed-demo'], { env: { ...process.env, ...common } });
  const service = await startService({
    ...common,
    RATE_LIMIT_ANONYMOUS: '0',
    AUDIT_CHECKPOINT_INTERVAL_SECONDS: '0',
    ...env,
  });
  return {
    base: service.url.replace(/\/graphql$/, ''),
    service,
    db,
    close: async () => {
      await service.stop();
      await db.drop();
    },
  };
}

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it when absent). */
function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'])
    .toString()
    .trim();
}

/** Headless, and kept off the network: without these flags it stalls on a closed network. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** axe-core's serious and critical WCAG 2.1 A/AA violations on the page, as readable lines. */
export async function seriousViolations(page: Page, exclude?: string): Promise<string[]> {
  const axe = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  const results = await (exclude ? axe.exclude(exclude) : axe).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}

/**
 * Navigates and counts every byte transferred for the page and what it loads (headers and
 * bodies as sent, compressed where they were), from Chromium's own accounting.
 */
export async function visit(page: Page, url: string): Promise<{ status: number; bytes: number }> {
  const sizes: Promise<number>[] = [];
  const onResponse = (response: import('playwright-core').Response) => {
    sizes.push(
      response
        .request()
        .sizes()
        .then((s) => s.responseBodySize + s.responseHeadersSize)
        .catch(() => 0),
    );
  };
  page.on('response', onResponse);
  try {
    const response = await page.goto(url, { waitUntil: 'load' });
    await page.waitForLoadState('networkidle');
    const bytes = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
    return { status: response?.status() ?? 0, bytes };
  } finally {
    page.off('response', onResponse);
  }
}

/** Issue #14's budget: at most 100 KB transferred per page (GraphiQL exempt). */
export const PAGE_BUDGET_BYTES = 100 * 1024;

/** Where screenshots and page weights go: docs/screenshots with `npm run screenshots`. */
export const SHOTS_DIR = process.env.PORTAL_SCREENSHOTS_DIR ?? join(tmpdir(), 'portal-screenshots');

export interface PageExpectation {
  /** File name of the screenshot and key of the weight. */
  name: string;
  status: number;
  title: RegExp;
  /** `html[lang]`; English when not given. */
  lang?: string;
  /** Exempt from the 100 KB budget (GraphiQL only). */
  heavy?: boolean;
  /** A part of the page axe-core skips: third-party UI we cannot fix (GraphiQL only). */
  axeExclude?: string;
}

/**
 * Opens `url` and checks what every portal page must be: the expected status, a proper
 * title and language, no serious or critical axe-core violation, within the weight budget.
 * Takes a full-page screenshot and records the weight in `weights`.
 */
export async function expectGoodPage(
  context: BrowserContext,
  url: string,
  expected: PageExpectation,
  weights: Record<string, number>,
): Promise<Page> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const page = await context.newPage();
  const { status, bytes } = await visit(page, url);
  expect(status).toBe(expected.status);
  expect(await page.title()).toMatch(expected.title);
  expect(await page.getAttribute('html', 'lang')).toBe(expected.lang ?? 'en');
  expect(await seriousViolations(page, expected.axeExclude)).toEqual([]);
  weights[expected.name] = bytes;
  if (!expected.heavy) expect(bytes).toBeLessThanOrEqual(PAGE_BUDGET_BYTES);
  await page.screenshot({ path: join(SHOTS_DIR, `${expected.name}.png`), fullPage: true });
  return page;
}

/** Writes one spec's page weights next to the screenshots (bytes per page). */
export function saveWeights(spec: string, weights: Record<string, number>): void {
  mkdirSync(SHOTS_DIR, { recursive: true });
  writeFileSync(join(SHOTS_DIR, `weights-${spec}.json`), `${JSON.stringify(weights, null, 2)}\n`);
}
