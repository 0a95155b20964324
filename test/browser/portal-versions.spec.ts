import type { Browser, BrowserContext } from 'playwright-core';
import {
  PORTAL_ADMIN_KEY,
  Portal,
  expectGoodPage,
  launchBrowser,
  saveWeights,
  startPortal,
} from '../support/portal-browser';
import { gqlPost } from '../support/service-process';

const ENTRY_FIELDS = `id key revision kind name description technologies sectors { code }
  ndcComponent ndcMeasureRef additionalityRationale
  criteria { parameter operator threshold upperThreshold values unit description }
  methodologies
  baseline { approach description referenceValue unit referenceYear initialAdjustmentPct
    annualTighteningPct targetValue targetYear netZeroYear parameterValidation
    updateIntervalYears methodologyReference }
  crediting { periodYears renewals }
  authorization { authorizedUses correspondingAdjustment omgeCancellationPct shareOfProceedsPct
    shareRetainedForNdcPct }
  validFrom validUntil reviewDue legalBasis`;

const VERSIONS = `query { hostCountry(code: "GHA") { listVersions { id version status effectiveFrom basedOn { version } } } }`;

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** An entry as the API gives it, back into the fields the API takes. */
function fieldsOf(entry: Record<string, any>): Record<string, unknown> {
  const { id: _id, revision: _revision, sectors, ...fields } = entry;
  return { ...fields, sectorCodes: (sectors as { code: string }[]).map((s) => s.code) };
}

/**
 * A country's list through time, as a reader sees it: the versions page, each version's page,
 * and the comparison of two. The demo data has GHA versions 1 (in force) and 2 (in 30 days);
 * this spec publishes version 3 through the GraphQL API, as an official and an approver would
 * (one threshold changed, one entry added, one removed), and leaves version 4 a draft.
 */
describe('the versions of a list in a real browser', () => {
  let portal: Portal;
  let browser: Browser;
  let context: BrowserContext;
  const weights: Record<string, number> = {};

  async function gql(query: string, variables: Record<string, unknown> = {}, key?: string) {
    const res = await gqlPost(`${portal.base}/graphql`, query, variables, key);
    if (res.errors || !res.data) throw new Error(JSON.stringify(res.errors));
    return res.data;
  }

  async function principal(role: string): Promise<string> {
    const data = await gql(
      `mutation($input: CreatePrincipalInput!) { createPrincipal(input: $input) { apiKey } }`,
      {
        input: {
          name: `${role.toLowerCase()}-GHA-browser`,
          role,
          hostCountry: 'GHA',
          reason: 'portal versions spec',
        },
      },
      PORTAL_ADMIN_KEY,
    );
    return data.createPrincipal.apiKey as string;
  }

  beforeAll(async () => {
    [portal, browser] = await Promise.all([startPortal(), launchBrowser()]);
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });

    const official = await principal('OFFICIAL');
    const approver = await principal('APPROVER');
    const before = (await gql(VERSIONS)).hostCountry.listVersions as any[];
    const newest = before[0];
    const draft = (
      await gql(
        `mutation($input: CreateDraftInput!) { createDraft(input: $input) { id version entries { ${ENTRY_FIELDS} } } }`,
        {
          input: {
            hostCountry: 'GHA',
            title: 'Browser-test revision 3 (not official)',
            legalBasis: 'Illustrative notice 3',
            basedOnVersionId: newest.id,
            reason: 'portal versions spec: revision 3',
          },
        },
        official,
      )
    ).createDraft;
    expect(draft.version).toBe(3);
    const entry = (key: string) => draft.entries.find((e: { key: string }) => e.key === key);

    const minigrid = entry('GHA-SOLAR-MINIGRID');
    const fields = fieldsOf(minigrid);
    fields.criteria = (fields.criteria as any[]).map((c) =>
      c.parameter === 'capacityMW' ? { ...c, threshold: 10 } : c,
    );
    await gql(
      `mutation($input: UpdateEntryInput!) { updateEntry(input: $input) { id } }`,
      {
        input: {
          entryId: minigrid.id,
          expectedRevision: minigrid.revision,
          entry: fields,
          reason: 'raise the mini-grid capacity limit to 10 MW',
        },
      },
      official,
    );
    await gql(
      `mutation($input: AddEntryInput!) { addEntry(input: $input) { id } }`,
      {
        input: {
          listVersionId: draft.id,
          entry: {
            key: 'GHA-BIOGAS-DIGESTERS',
            kind: 'POSITIVE',
            name: 'Household biogas digesters',
            technologies: ['biogas digester'],
            sectorCodes: ['ENERGY'],
            ndcComponent: 'CONDITIONAL',
            criteria: [
              { parameter: 'digesterVolumeM3', operator: 'LTE', threshold: 12, unit: 'm3' },
            ],
            methodologies: ['CDM AMS-I.E'],
            additionalityRationale: 'Illustrative: beyond the unconditional NDC',
            baseline: {
              approach: 'BENCHMARK',
              referenceValue: 1.2,
              unit: 'tCO2e/household',
              referenceYear: 2025,
              annualTighteningPct: 2,
              parameterValidation: 'EX_ANTE',
            },
          },
          reason: 'add household biogas',
        },
      },
      official,
    );
    await gql(
      `mutation($input: RemoveEntryInput!) { removeEntry(input: $input) { id } }`,
      {
        input: {
          entryId: entry('GHA-LANDFILL-GAS').id,
          reason: 'landfill gas moves to the waste programme',
        },
      },
      official,
    );
    await gql(
      `mutation($input: ListTransitionInput!) { submitDraft(input: $input) { id } }`,
      { input: { listVersionId: draft.id, reason: 'submit revision 3' } },
      official,
    );
    await gql(
      `mutation($input: PublishInput!) { publish(input: $input) { id } }`,
      {
        input: {
          listVersionId: draft.id,
          // After version 2 takes effect: a new version may only follow the last one.
          effectiveFrom: addDays(newest.effectiveFrom as string, 30),
          reason: 'publish revision 3',
        },
      },
      approver,
    );
    // Version 4 stays a draft: it exists, but not for the public.
    const four = await gql(
      `mutation($input: CreateDraftInput!) { createDraft(input: $input) { version } }`,
      {
        input: {
          hostCountry: 'GHA',
          title: 'Unpublished draft',
          reason: 'portal versions spec: a draft',
        },
      },
      official,
    );
    expect(four.createDraft.version).toBe(4);
  });

  afterAll(async () => {
    saveWeights('portal-versions', weights);
    await browser?.close();
    await portal?.close();
  });

  it('the API gives an anonymous reader the same versions as the pages: no draft, with basedOn', async () => {
    const versions = (await gql(VERSIONS)).hostCountry.listVersions as any[];
    expect(versions.map((v) => [v.version, v.status, v.basedOn?.version ?? null])).toEqual([
      [3, 'PUBLISHED', 2],
      [2, 'PUBLISHED', 1],
      [1, 'PUBLISHED', null],
    ]);
  });

  it('versions page: newest first, no draft, a form to compare', async () => {
    const page = await expectGoodPage(
      context,
      `${portal.base}/countries/GHA/versions`,
      { name: 'versions', status: 200, title: /Ghana.*: versions of the list/ },
      weights,
    );
    try {
      const rows = await page.$$eval('tbody th a', (as) => as.map((a) => a.textContent));
      expect(rows).toEqual(['Version 3', 'Version 2', 'Version 1']);
      expect(await page.textContent('tbody')).toContain('Browser-test revision 3');
      expect(await page.textContent('tbody')).not.toContain('Unpublished draft');
    } finally {
      await page.close();
    }
  });

  it('compares two versions with the form, JavaScript turned off: a plain GET', async () => {
    // Its own browser context: the diff page's weight is then measured from a cold cache.
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const page = await noScript.newPage();
    try {
      await page.goto(`${portal.base}/countries/GHA/versions`);
      await page.selectOption('#from', '1');
      await page.selectOption('#to', '3');
      await Promise.all([page.waitForURL(/\/diff\?from=1&to=3/), page.click('main button')]);
      expect(await page.textContent('h1')).toMatch(/version 1 to version 3/);
    } finally {
      await noScript.close();
    }
  });

  it('the country page links to the versions page', async () => {
    const page = await context.newPage();
    try {
      await page.goto(`${portal.base}/countries/GHA?lang=fr`);
      await Promise.all([page.waitForURL(/\/versions/), page.click('a[href*="/versions"]')]);
      expect(await page.getAttribute('html', 'lang')).toBe('fr');
      expect(await page.textContent('h1')).toMatch(/versions de la liste/);
    } finally {
      await page.close();
    }
  });

  it('version 1: its metadata and entries, no earlier version', async () => {
    const page = await expectGoodPage(
      context,
      `${portal.base}/countries/GHA/versions/1`,
      { name: 'version-1', status: 200, title: /Ghana.*: version 1/ },
      weights,
    );
    try {
      const main = await page.textContent('main');
      expect(main).toContain('first published version');
      expect(main).toContain('Landfill gas capture and use');
      expect(await page.$$('#kind-POSITIVE, #kind-NEGATIVE')).toHaveLength(2);
    } finally {
      await page.close();
    }
  });

  it('version 3 in Spanish: based on version 2, a link to what changed', async () => {
    const page = await expectGoodPage(
      context,
      `${portal.base}/countries/GHA/versions/3?lang=es`,
      { name: 'version-3-es', status: 200, title: /Ghana.*: versión 3/, lang: 'es' },
      weights,
    );
    try {
      const main = (await page.textContent('main')) ?? '';
      expect(main).toContain('Illustrative notice 3');
      expect(main).toContain('Household biogas digesters');
      expect(main).not.toContain('Landfill gas capture and use');
      expect(await page.getAttribute('dl a', 'href')).toBe('/countries/GHA/versions/2?lang=es');
      expect(await page.getAttribute('a[href*="/diff"]', 'href')).toBe(
        '/countries/GHA/diff?from=2&to=3&lang=es',
      );
    } finally {
      await page.close();
    }
  });

  it('version 2 page', async () => {
    const page = await expectGoodPage(
      context,
      `${portal.base}/countries/GHA/versions/2`,
      { name: 'version-2', status: 200, title: /Ghana.*: version 2/ },
      weights,
    );
    await page.close();
  });

  it('diff 2 → 3: the added, removed and changed entries, before and after', async () => {
    const page = await expectGoodPage(
      context,
      `${portal.base}/countries/GHA/diff?from=2&to=3`,
      { name: 'diff-2-3', status: 200, title: /Ghana.*: version 2 to version 3/ },
      weights,
    );
    try {
      expect(await page.textContent('section[aria-labelledby=added]')).toContain(
        'Household biogas digesters',
      );
      expect(await page.textContent('section[aria-labelledby=removed]')).toContain(
        'Landfill gas capture and use',
      );
      const changed = page.locator('section[aria-labelledby=changed] tbody tr');
      expect(await changed.allTextContents()).toEqual([
        expect.stringMatching(
          /criteria\[0\]\.threshold\s*5\s*capacityMW at most 5 MW\s*10\s*capacityMW at most 10 MW/,
        ),
      ]);
    } finally {
      await page.close();
    }
  });

  it('diff 1 → 2 in French: the demo revision, with whole criteria in words', async () => {
    const page = await expectGoodPage(
      context,
      `${portal.base}/countries/GHA/diff?from=1&to=2&lang=fr`,
      {
        name: 'diff-1-2-fr',
        status: 200,
        title: /Ghana.* : de la version 1 à la version 2/,
        lang: 'fr',
      },
      weights,
    );
    try {
      const changed = (await page.textContent('section[aria-labelledby=changed]')) ?? '';
      expect(changed).toContain('criteria[0].threshold');
      expect(changed).toMatch(/capacityMW au plus 50 MW[\s\S]*capacityMW au plus 30 MW/);
    } finally {
      await page.close();
    }
  });

  it.each([
    { name: 'draft-version', path: '/countries/GHA/versions/4', status: 404, title: /Not found/ },
    {
      name: 'unknown-version',
      path: '/countries/GHA/versions/99',
      status: 404,
      title: /Not found/,
    },
    {
      name: 'not-a-version',
      path: '/countries/GHA/versions/two',
      status: 400,
      title: /Bad request/,
    },
    {
      name: 'diff-with-draft',
      path: '/countries/GHA/diff?from=3&to=4',
      status: 404,
      title: /Not found/,
    },
    {
      name: 'diff-missing-to',
      path: '/countries/GHA/diff?from=1',
      status: 400,
      title: /Bad request/,
    },
    {
      name: 'diff-bad-from',
      path: '/countries/GHA/diff?from=x&to=2',
      status: 400,
      title: /Bad request/,
    },
    {
      name: 'versions-unknown-country',
      path: '/countries/XXX/versions',
      status: 404,
      title: /Not found/,
    },
  ])('$name ($path): $status', async (route) => {
    const page = await expectGoodPage(context, portal.base + route.path, route, weights);
    await page.close();
  });
});
