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
import { createPrincipal, post, signInHere } from '../support/console-browser';
import { gqlPost } from '../support/service-process';

const POSITIVE = 'SEN-SOLAR-MINIGRID';
const NEGATIVE = 'SEN-COAL-POWER';

const SAVE = 'form.entry-form button[type=submit]:not([hidden])[value=save]';

/**
 * A list's whole life in the workspace, in one real browser, as the people who run it would
 * live it: a country with no list yet; its official signs in, starts a draft, adds a positive
 * entry (two criteria, a downward-adjusted BAU baseline) and a negative one, fixes a problem
 * shown next to its field, and submits with a reason; the official cannot publish; an
 * approver signs in (in Spanish), reviews the diff and publishes it effective today; the
 * public portal and checkEligibility answer from it at once; and the audit trail holds every
 * step with its reason and the person who took it.
 */
describe('a list’s whole life in the workspace, in a real browser', () => {
  let portal: Portal;
  let browser: Browser;
  let officialContext: BrowserContext;
  let approverContext: BrowserContext;
  let official: Page;
  let approver: Page;
  let officialKey: string;
  let approverKey: string;
  let version: number;
  let today: string;
  const weights: Record<string, number> = {};

  beforeAll(async () => {
    [portal, browser] = await Promise.all([startPortal(), launchBrowser()]);
    // A country that has never had a list, so that the first one can take effect today.
    for (const [query, input] of [
      [
        'mutation($input: RegisterHostCountryInput!) { registerHostCountry(input: $input) { code } }',
        { code: 'SEN', name: 'Senegal', reason: 'joined the registry' },
      ],
      [
        'mutation($input: UpsertNdcSectorInput!) { upsertNdcSector(input: $input) { code } }',
        {
          hostCountry: 'SEN',
          code: 'ENERGY',
          name: 'Energy',
          ipccSector: 'ENERGY',
          ipccCategories: ['1.A.1'],
          reason: 'NDC 2020, section 3',
        },
      ],
    ] as const) {
      const res = await gqlPost(`${portal.base}/graphql`, query, { input }, PORTAL_ADMIN_KEY);
      if (res.errors) throw new Error(JSON.stringify(res.errors));
    }
    [officialKey, approverKey] = await Promise.all([
      createPrincipal(portal, 'Aminata Diallo', 'OFFICIAL', 'SEN'),
      createPrincipal(portal, 'Moussa Ndiaye', 'APPROVER', 'SEN'),
    ]);
    officialContext = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    approverContext = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    official = await officialContext.newPage();
    approver = await approverContext.newPage();
  });
  afterAll(async () => {
    saveWeights('console-lifecycle', weights);
    await browser?.close();
    await portal?.close();
  });

  it('the official signs in and starts a draft of a country with no list', async () => {
    // Anonymous: sent to sign in, keeping where they were going.
    await official.goto(`${portal.base}/console/countries/SEN/versions`);
    expect(new URL(official.url()).pathname).toBe('/console/sign-in');
    await signInHere(official, officialKey);
    expect(new URL(official.url()).pathname).toBe('/console/countries/SEN/versions');
    expect(await official.textContent('main')).toContain('Senegal');
    await official.fill('#title', 'First positive list of Senegal');
    await official.check('input[name=start][value=empty]');
    await official.fill('#reason', 'Arrêté ministériel 2026-15');
    expect((await post(official, 'form.stack button[type=submit]')).status()).toBe(303);
    version = Number(/Version (\d+)/.exec((await official.textContent('[role=status]'))!)![1]);
    expect(version).toBe(1);
  });

  it('adds a positive entry with two criteria and a BAU_DOWNWARD_ADJUSTED baseline, fixing a problem shown next to its field', async () => {
    await official.goto(`${portal.base}/console/countries/SEN/versions/${version}/entries/new`);
    await official.fill('#f-key', POSITIVE);
    await official.fill('#f-name', 'Solar mini-grids for rural electrification');
    await official.fill('#f-technologies', 'solar PV; mini-grid; battery storage');
    await official.check('input[name=sectorCodes][value=ENERGY]');
    await official.fill(
      '#f-additionalityRationale',
      'Not financed under the NDC’s conditional part.',
    );
    await official.fill('#f-criteria-0-parameter', 'capacityMW');
    await official.selectOption('#f-criteria-0-operator', 'LTE');
    await official.fill('#f-criteria-0-threshold', '1');
    await official.fill('#f-criteria-0-unit', 'MW');
    await official.fill('#f-criteria-1-parameter', 'householdsConnected');
    await official.selectOption('#f-criteria-1-operator', 'GTE');
    await official.fill('#f-criteria-1-threshold', '200');
    await official.selectOption('#f-baseline-approach', 'BAU_DOWNWARD_ADJUSTED');
    await post(official, 'button[value=approach]');
    // The reference value left out: the API's own rule, next to its field.
    await official.fill('#f-baseline-unit', 'tCO2e/MWh');
    await official.fill('#f-baseline-referenceYear', '2025');
    await official.fill('#f-baseline-initialAdjustmentPct', '10');
    await official.fill('#f-baseline-annualTighteningPct', '1.5');
    await official.fill('#f-reason', 'Arrêté ministériel 2026-15, article 2');
    const refused = await post(official, SAVE);
    expect(refused.status()).toBe(400);
    const problem = await official.textContent('#f-baseline-referenceValue-error');
    expect(problem).toBeTruthy();
    expect(await official.getAttribute('#f-baseline-referenceValue', 'aria-invalid')).toBe('true');
    expect(await official.inputValue('#f-criteria-1-threshold')).toBe('200');
    expect(await seriousViolations(official)).toEqual([]);
    await official.screenshot({
      path: `${SHOTS_DIR}/console-lifecycle-problem.png`,
      fullPage: true,
    });

    await official.fill('#f-baseline-referenceValue', '0.62');
    expect((await post(official, SAVE)).status()).toBe(303);
    expect(await official.textContent('[role=status]')).toContain(
      `Entry ${POSITIVE} has been added`,
    );
  });

  it('adds a negative entry and submits the draft with a reason', async () => {
    await official.goto(`${portal.base}/console/countries/SEN/versions/${version}/entries/new`);
    await official.fill('#f-key', NEGATIVE);
    await official.selectOption('#f-kind', 'NEGATIVE');
    await official.fill('#f-name', 'Coal-fired power generation');
    await official.check('input[name=sectorCodes][value=ENERGY]');
    await official.fill('#f-reason', 'Arrêté ministériel 2026-15, article 3');
    expect((await post(official, SAVE)).status()).toBe(303);

    const draftPage = `${portal.base}/console/countries/SEN/versions/${version}`;
    await official.goto(draftPage);
    const keys = await official
      .locator('section[aria-labelledby=draft-entries] tbody th code')
      .allTextContents();
    expect(keys.sort()).toEqual([NEGATIVE, POSITIVE].sort());
    // From the keyboard: type the reason, Tab to the button, Enter.
    await official.focus('#submit-reason');
    await official.keyboard.type('Ready for the minister’s signature');
    await official.keyboard.press('Tab');
    expect(await official.evaluate(() => document.activeElement?.textContent)).toBe(
      'Submit the draft',
    );
    const [submitted] = await Promise.all([
      official.waitForResponse((r) => r.request().method() === 'POST'),
      official.keyboard.press('Enter'),
    ]);
    await official.waitForLoadState('load');
    expect(submitted.status()).toBe(303);
    expect(await official.textContent('[role=status]')).toContain(`${version}`);
  });

  it('the official cannot publish: no publish form, and a forced post is refused', async () => {
    const url = `${portal.base}/console/countries/SEN/versions/${version}`;
    await official.goto(url);
    expect(await official.locator('#publish').count()).toBe(0);
    const versions = async () =>
      (
        await gqlPost(
          `${portal.base}/graphql`,
          'query { hostCountry(code: "SEN") { listVersions { id version status } } }',
          {},
          officialKey,
        )
      ).data?.hostCountry.listVersions as { id: string; version: number; status: string }[];
    const [submitted] = await versions();
    const forced = await official.request.post(`${url}/publish`, {
      form: {
        _csrf: await official.inputValue('form.account input[name=_csrf]'),
        listVersionId: submitted.id,
        effectiveFrom: new Date().toISOString().slice(0, 10),
        reason: 'publishing my own work',
      },
      maxRedirects: 0,
    });
    expect(forced.status()).toBe(403);
    expect(await versions()).toEqual([{ id: submitted.id, version, status: 'SUBMITTED' }]);
  });

  it('the approver signs in, in Spanish, reviews the diff and publishes effective today', async () => {
    await approver.goto(`${portal.base}/console/sign-in?lang=es`);
    expect(await seriousViolations(approver)).toEqual([]);
    await signInHere(approver, approverKey);
    const queue = await expectGoodPage(
      approverContext,
      `${portal.base}/console/countries/SEN/review?lang=es`,
      { name: 'console-lifecycle-queue-es', status: 200, title: /Senegal/, lang: 'es' },
      weights,
    );
    await Promise.all([queue.waitForLoadState('load'), queue.click('tbody tr a')]);
    expect(new URL(queue.url()).pathname).toBe(`/console/countries/SEN/versions/${version}`);
    await queue.close();
    const review = await expectGoodPage(
      approverContext,
      `${portal.base}/console/countries/SEN/versions/${version}?lang=es`,
      { name: 'console-lifecycle-review-es', status: 200, title: /Senegal/, lang: 'es' },
      weights,
    );
    // No version in force: every entry is new, and the page says so.
    expect(await review.textContent('#submission + dl')).toContain(
      'Ready for the minister’s signature',
    );
    expect(await review.textContent('main')).toContain(POSITIVE);
    expect(await review.textContent('main')).toContain(NEGATIVE);
    today = await review.inputValue('#publish-effectiveFrom');
    expect(today).toBe(new Date().toISOString().slice(0, 10));
    await review.fill('#publish-reason', 'Firmado por el ministro');
    expect((await post(review, 'section[aria-labelledby="publish"] button')).status()).toBe(303);
    expect(await review.textContent('p.notice[role=status]')).toContain(`${version}`);
    await review.screenshot({
      path: `${SHOTS_DIR}/console-lifecycle-published-es.png`,
      fullPage: true,
    });
    await review.close();
  });

  it('the public portal and checkEligibility answer from the new version at once', async () => {
    const reader = await (await browser.newContext()).newPage();
    await reader.goto(`${portal.base}/countries/SEN`);
    const main = await reader.textContent('main');
    expect(main).toContain(`Version ${version}`);
    expect(main).toContain('Solar mini-grids for rural electrification');
    expect(main).toContain('Coal-fired power generation');
    await reader.close();
    const answer = await gqlPost(
      `${portal.base}/graphql`,
      `query($q: EligibilityQuery!) { checkEligibility(query: $q) { status listVersion { version } matches { status } } }`,
      {
        q: {
          hostCountry: 'SEN',
          activityKey: POSITIVE,
          on: today,
          parameters: [
            { name: 'capacityMW', number: 0.5 },
            { name: 'householdsConnected', number: 350 },
          ],
        },
      },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.checkEligibility.listVersion.version).toBe(version);
    expect(answer.data?.checkEligibility.status).toBe('ELIGIBLE');
  });

  it('the audit trail shows every step with its reason and the person who took it', async () => {
    const trail = await expectGoodPage(
      officialContext,
      `${portal.base}/console/audit?entityType=PositiveListVersion`,
      { name: 'console-lifecycle-audit', status: 200, title: /audit/i },
      weights,
    );
    const rows = async (page: Page) =>
      page.locator('table tbody tr').evaluateAll((trs) =>
        trs.map((tr) => {
          const cells = Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '');
          // when, action, record, country, who (name and role), reason
          return { action: cells[1], country: cells[3], who: cells[4], reason: cells[5] };
        }),
      );
    const versionSteps = await rows(trail);
    expect(versionSteps.map((r) => r.action)).toEqual(['created', 'submitted', 'published']);
    expect(versionSteps.map((r) => r.reason)).toEqual([
      'Arrêté ministériel 2026-15',
      'Ready for the minister’s signature',
      'Firmado por el ministro',
    ]);
    expect(versionSteps.map((r) => r.who.startsWith('Aminata Diallo'))).toEqual([
      true,
      true,
      false,
    ]);
    expect(versionSteps[2].who).toContain('Moussa Ndiaye');
    expect(versionSteps.every((r) => r.country === 'SEN')).toBe(true);
    await trail.goto(`${portal.base}/console/audit?entityType=ActivityEntry`);
    const entrySteps = await rows(trail);
    expect(entrySteps.map((r) => r.reason)).toEqual([
      'Arrêté ministériel 2026-15, article 2',
      'Arrêté ministériel 2026-15, article 3',
    ]);
    expect(entrySteps.every((r) => r.who.startsWith('Aminata Diallo'))).toBe(true);

    // The publication itself: its request id, and the status it changed.
    await trail.goto(`${portal.base}/console/audit?entityType=PositiveListVersion&actions=PUBLISH`);
    await Promise.all([trail.waitForLoadState('load'), trail.click('table tbody tr th a')]);
    expect(await trail.textContent('[data-field=requestId]')).toMatch(/\S{8,}/);
    expect(await trail.textContent('table.changes')).toContain('SUBMITTED');
    expect(await trail.textContent('table.changes')).toContain('PUBLISHED');
    expect(await seriousViolations(trail)).toEqual([]);
    await trail.close();
  });
});
