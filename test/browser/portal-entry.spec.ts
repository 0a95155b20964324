import type { Browser, BrowserContext } from 'playwright-core';
import {
  PORTAL_ADMIN_KEY,
  PageExpectation,
  Portal,
  expectGoodPage,
  launchBrowser,
  saveWeights,
  startPortal,
} from '../support/portal-browser';

const SOLAR = '/countries/GHA/entries/GHA-SOLAR-UTILITY';
/** Everything EntryFields takes, as ActivityEntry gives it back (sectors apart). */
const ENTRY_FIELDS = `id revision key kind name description technologies ndcComponent ndcMeasureRef
  additionalityRationale methodologies validFrom validUntil reviewDue legalBasis sectors { code }
  criteria { parameter operator threshold upperThreshold values unit description }
  crediting { periodYears renewals }
  authorization { authorizedUses correspondingAdjustment shareRetainedForNdcPct shareOfProceedsPct omgeCancellationPct }
  baseline { approach description referenceValue unit referenceYear initialAdjustmentPct
    annualTighteningPct targetValue targetYear netZeroYear parameterValidation updateIntervalYears
    methodologyReference }`;
const addDays = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The entry page (issue #14): one entry of a list in force in full, its baseline drawn and
 * tabulated, and what each published version did to it. The demo data has GHA version 1 in
 * force and version 2 (solar's capacity limit lowered, e-mobility removed) in 30 days.
 */
const ROUTES: (PageExpectation & { path: string })[] = [
  { name: 'entry', path: SOLAR, status: 200, title: /Utility-scale solar PV/ },
  {
    name: 'entry-es',
    path: `${SOLAR}?lang=es`,
    status: 200,
    title: /Utility-scale solar PV · Registro/,
    lang: 'es',
  },
  {
    name: 'entry-negative',
    path: '/countries/GHA/entries/GHA-EFFICIENT-LIGHTING?lang=fr',
    status: 200,
    title: /Registre/,
    lang: 'fr',
  },
  {
    name: 'entry-unknown',
    path: '/countries/GHA/entries/GHA-NOPE',
    status: 404,
    title: /Not found/,
  },
  {
    name: 'entry-before-any-list',
    path: `${SOLAR}?on=2020-01-01`,
    status: 404,
    title: /Not found/,
  },
  { name: 'entry-bad-date', path: `${SOLAR}?on=2026-13-01`, status: 400, title: /Bad request/ },
];

describe('the entry page in a real browser', () => {
  let portal: Portal;
  let browser: Browser;
  let context: BrowserContext;
  const weights: Record<string, number> = {};

  /** The service's GraphQL API, as a client calls it. */
  const gql = async (query: string, variables: Record<string, unknown>, key: string) => {
    const res = await fetch(portal.service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: any; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };

  beforeAll(async () => {
    [portal, browser] = await Promise.all([startPortal(), launchBrowser()]);
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  });
  afterAll(async () => {
    saveWeights('portal-entry', weights);
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

  it('draws the baseline with labelled axes, beside a table of every year', async () => {
    const page = await context.newPage();
    try {
      await page.goto(portal.base + SOLAR);
      const svg = page.locator('svg[role=img]');
      expect(await svg.count()).toBe(1);
      expect(await page.textContent('svg title')).toMatch(
        /Baseline from 2025 to 2050, in tCO2e\/MWh/,
      );
      expect(await page.$$eval('.x-ticks text', (ts) => ts.map((t) => t.textContent))).toEqual([
        '2025',
        '2030',
        '2035',
        '2040',
        '2045',
        '2050',
      ]);
      const yTicks = await page.$$eval('.y-ticks text', (ts) => ts.map((t) => t.textContent));
      expect(yTicks[0]).toBe('0');
      expect(yTicks.length).toBeGreaterThan(2);
      expect(await page.textContent('.x-title')).toBe('Year');
      expect(await page.textContent('.y-title')).toBe('Baseline (tCO2e/MWh)');
      expect(await page.getAttribute('path.trajectory', 'd')).toMatch(
        /^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){25}$/,
      );
      // 0.8 less 10 %, then 1 % a year: a row per year from 2025 to 2050.
      const rows = await page.$$eval('.values tbody tr', (trs) =>
        trs.map((tr) => [tr.querySelector('th')?.textContent, tr.querySelector('td')?.textContent]),
      );
      expect(rows).toHaveLength(26);
      expect(rows[0]).toEqual(['2025', '0.72']);
      expect(rows[1]).toEqual(['2026', '0.7128']);
      expect(rows.at(-1)![0]).toBe('2050');
    } finally {
      await page.close();
    }
  });

  it('tells the history: the demo version 2, and a version 3 published through the API', async () => {
    const page = await context.newPage();
    try {
      await page.goto(portal.base + SOLAR);
      expect(await page.textContent('.history')).toMatch(
        /Added in version 1.*Changed in version 2/s,
      );
      expect(await page.textContent('.history')).toMatch(/criteria\[0\]\.threshold\s*5030/);
      await page.goto(`${portal.base}/countries/GHA/entries/GHA-E-MOBILITY`);
      expect(await page.textContent('.history')).toMatch(/Removed in version 2/);

      // Version 3, drafted from version 2, lowers the grid-penetration threshold.
      const principal = async (role: string) =>
        (
          await gql(
            'mutation($input: CreatePrincipalInput!) { createPrincipal(input: $input) { apiKey } }',
            { input: { name: `entry-page-${role}`, role, hostCountry: 'GHA', reason: 'test' } },
            PORTAL_ADMIN_KEY,
          )
        ).createPrincipal.apiKey as string;
      const official = await principal('OFFICIAL');
      const approver = await principal('APPROVER');
      const { hostCountry } = await gql(
        'query { hostCountry(code: "GHA") { listVersions { id version status } } }',
        {},
        official,
      );
      const v2 = hostCountry.listVersions.find((v: { version: number }) => v.version === 2);
      const draft = (
        await gql(
          `mutation($input: CreateDraftInput!) { createDraft(input: $input) { id version
            entry(key: "GHA-SOLAR-UTILITY") { ${ENTRY_FIELDS} } } }`,
          {
            input: {
              hostCountry: 'GHA',
              title: 'revision 3',
              basedOnVersionId: v2.id,
              reason: 'lower the grid penetration threshold',
            },
          },
          official,
        )
      ).createDraft;
      expect(draft.version).toBe(3);
      const { id, revision, sectors, ...fields } = draft.entry;
      const criteria = fields.criteria.map((c: { parameter: string; threshold: number }) =>
        c.parameter === 'gridPenetrationPct' ? { ...c, threshold: 4 } : c,
      );
      await gql(
        'mutation($input: UpdateEntryInput!) { updateEntry(input: $input) { id } }',
        {
          input: {
            entryId: id,
            expectedRevision: revision,
            entry: {
              ...fields,
              criteria,
              sectorCodes: sectors.map((sector: { code: string }) => sector.code),
            },
            reason: 'grid penetration below 4 %',
          },
        },
        official,
      );
      await gql(
        'mutation($input: ListTransitionInput!) { submitDraft(input: $input) { id } }',
        { input: { listVersionId: draft.id, reason: 'ready' } },
        official,
      );
      await gql(
        'mutation($input: PublishInput!) { publish(input: $input) { id } }',
        { input: { listVersionId: draft.id, effectiveFrom: addDays(60), reason: 'approved' } },
        approver,
      );

      // A new reader: pages may be cached for a minute, so the first one could still see v2.
      const reader = await (await browser.newContext()).newPage();
      await reader.goto(portal.base + SOLAR);
      const history = await reader.textContent('.history');
      expect(history).toMatch(/Changed in version 2.*Changed in version 3/s);
      expect(history).toMatch(/criteria\[1\]\.threshold\s*54/);
      // The link of a step shows the entry as that version lists it.
      await reader.click('text=Changed in version 3');
      expect(new URL(reader.url()).searchParams.get('on')).toBe(addDays(60));
      expect(await reader.textContent('main')).toMatch(/gridPenetrationPct less than 4 %/);
      await reader.context().close();
    } finally {
      await page.close();
    }
  });
});
