import { join } from 'node:path';
import { Client } from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  Portal,
  SHOTS_DIR,
  expectGoodPage,
  launchBrowser,
  saveWeights,
  seriousViolations,
  startPortal,
} from '../support/portal-browser';
import { createPrincipal, post, signIn } from '../support/console-browser';

const ENTRY = 'GHA-ROOFTOP-SOLAR';

/**
 * An official curates a draft's entries in a real browser, without a line of JavaScript of
 * ours: a positive entry with two criteria and a downward-adjusted BAU baseline (previewed
 * before saving), a negative one, a problem shown next to its field and fixed, an edit
 * conflict between two people redone on top of the other's change, and the draft submitted
 * with a reason. The audit trail records every step with its reason, person and request id.
 */
describe('a draft’s entries in the workspace, in a real browser', () => {
  let portal: Portal;
  let browser: Browser;
  let ama: BrowserContext;
  let kofi: BrowserContext;
  let page: Page;
  let amaKey: string;
  let draft: number;
  const requestIds: string[] = [];
  const weights: Record<string, number> = {};

  beforeAll(async () => {
    [portal, browser] = await Promise.all([startPortal(), launchBrowser()]);
    let kofiKey: string;
    [amaKey, kofiKey] = await Promise.all([
      createPrincipal(portal, 'Ama Mensah', 'OFFICIAL', 'GHA'),
      createPrincipal(portal, 'Kofi Boateng', 'OFFICIAL', 'GHA'),
    ]);
    ama = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    kofi = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    page = await ama.newPage();
    await signIn(page, portal.base, amaKey);
    await signIn(await kofi.newPage(), portal.base, kofiKey);
  });
  afterAll(async () => {
    saveWeights('console-entries', weights);
    await browser?.close();
    await portal?.close();
  });

  it('starts an empty draft, whose page offers to add entries and to submit', async () => {
    await page.goto(`${portal.base}/console/countries/GHA/versions`);
    await page.fill('#title', 'Rooftop solar and a coal exclusion');
    await page.check('input[name=start][value=empty]');
    await page.fill('#reason', 'Cabinet decision 2026/120');
    expect((await post(page, 'form.stack button[type=submit]')).status()).toBe(303);
    draft = Number(/Version (\d+)/.exec((await page.textContent('[role=status]'))!)![1]);
    await page.goto(`${portal.base}/console/countries/GHA/versions/${draft}`);
    expect(await page.isVisible('#draft-entries')).toBe(true);
    expect(await page.isVisible('#submit-draft')).toBe(true);
  });

  it('shows the entry form, in English and French, clean for axe-core', async () => {
    for (const [name, query, lang, title] of [
      ['console-entry-new', '', 'en', /^New entry in version \d+ of Ghana/],
      ['console-entry-new-fr', '?lang=fr', 'fr', /^Nouvelle entrée de la version \d+/],
    ] as const) {
      const form = await expectGoodPage(
        ama,
        `${portal.base}/console/countries/GHA/versions/${draft}/entries/new${query}`,
        { name, status: 200, title, lang },
        weights,
      );
      // Two empty criterion rows to fill; the sectors are the country's.
      expect(await form.locator('fieldset.criterion').count()).toBe(2);
      expect(await form.locator('input[name=sectorCodes]').count()).toBeGreaterThan(1);
      await form.close();
    }
  });

  it('adds a positive entry: a criterion row more, the approach’s fields, a preview, a problem next to its field', async () => {
    await page.goto(`${portal.base}/console/countries/GHA/versions/${draft}`);
    await Promise.all([
      page.waitForLoadState('load'),
      page.click('section[aria-labelledby=draft-entries] a.button'),
    ]);
    await page.fill('#f-key', ENTRY);
    await page.fill('#f-name', 'Rooftop solar photovoltaics');
    await page.fill('#f-technologies', 'rooftop PV; battery storage');
    await page.check('input[name=sectorCodes][value=ENERGY]');
    await page.fill('#f-additionalityRationale', 'Held back by upfront cost; not in the NDC.');
    await page.fill('#f-criteria-0-parameter', 'capacityMw');
    await page.selectOption('#f-criteria-0-operator', 'LTE');
    await page.fill('#f-criteria-0-threshold', '5');
    await page.fill('#f-criteria-0-unit', 'MW');
    // "Add a criterion row" posts back with one row more and saves nothing.
    expect((await post(page, 'button[value=addCriterion]')).status()).toBe(200);
    // The filled row, the two spare ones, and the one asked for.
    expect(await page.locator('fieldset.criterion').count()).toBe(4);
    expect(await page.inputValue('#f-criteria-0-parameter')).toBe('capacityMw');
    await page.fill('#f-criteria-1-parameter', 'gridEmissionFactor');
    await page.selectOption('#f-criteria-1-operator', 'GTE');
    // Not a number: the API's own check, shown at the threshold of row 2.
    await page.fill('#f-criteria-1-threshold', 'high');
    await page.fill('#f-criteria-1-unit', 'tCO2/MWh');
    // With the enhancement script, choosing an approach shows its fields at once...
    await page.selectOption('#f-baseline-approach', 'NDC_TRAJECTORY');
    expect(await page.isVisible('#f-baseline-targetYear')).toBe(true);
    expect(await page.isVisible('#f-baseline-initialAdjustmentPct')).toBe(false);
    // ...and without it the server does: the fields of the approach chosen, and only those.
    await page.selectOption('#f-baseline-approach', 'BAU_DOWNWARD_ADJUSTED');
    await post(page, 'button[value=approach]');
    expect(await page.isVisible('#f-baseline-initialAdjustmentPct')).toBe(true);
    expect(await page.isVisible('#f-baseline-targetYear')).toBe(false);
    await page.fill('#f-baseline-referenceValue', '0.6');
    await page.fill('#f-baseline-unit', 'tCO2/MWh');
    await page.fill('#f-baseline-referenceYear', '2025');
    await page.fill('#f-baseline-initialAdjustmentPct', '10');
    await page.fill('#f-baseline-annualTighteningPct', '2');
    expect((await post(page, 'button[value=preview]')).status()).toBe(200);
    expect(await page.textContent('.preview svg title')).toMatch(/^Baseline from 2025 to 2050/);
    expect(await seriousViolations(page)).toEqual([]);
    await page
      .locator('.preview')
      .screenshot({ path: join(SHOTS_DIR, 'console-entry-preview.png') });
    await page.fill('#f-crediting-periodYears', '7');
    await page.fill('#f-crediting-renewals', '2');
    await page.fill('#f-reason', 'Cabinet decision 2026/120: rooftop solar');
    const refused = await post(
      page,
      'form.entry-form button[type=submit]:not([hidden])[value=save]',
    );
    expect(refused.status()).toBe(400);
    expect(await page.textContent('#f-criteria-1-threshold-error')).toMatch(/number/);
    expect(await page.getAttribute('#f-criteria-1-threshold', 'aria-invalid')).toBe('true');
    // The person's input is all there.
    expect(await page.inputValue('#f-criteria-1-threshold')).toBe('high');
    expect(await page.inputValue('#f-baseline-initialAdjustmentPct')).toBe('10');
    expect(await page.isChecked('input[name=sectorCodes][value=ENERGY]')).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS_DIR, 'console-entry-problems.png'), fullPage: true });

    await page.fill('#f-criteria-1-threshold', '0.3');
    const saved = await post(page, 'form.entry-form button[type=submit]:not([hidden])[value=save]');
    expect(saved.status()).toBe(303);
    requestIds.push(saved.headers()['x-request-id']);
    expect(await page.textContent('[role=status]')).toContain(`Entry ${ENTRY} has been added`);
  });

  it('works without JavaScript: the server shows the chosen approach’s fields', async () => {
    const plain = await browser.newContext({ javaScriptEnabled: false });
    try {
      const form = await plain.newPage();
      await signIn(form, portal.base, amaKey);
      await form.goto(`${portal.base}/console/countries/GHA/versions/${draft}/entries/new`);
      expect(await form.isVisible('#f-baseline-referenceValue')).toBe(false);
      await form.selectOption('#f-baseline-approach', 'NET_ZERO_PATHWAY');
      expect(await form.isVisible('#f-baseline-netZeroYear')).toBe(false);
      expect((await post(form, 'button[value=approach]')).status()).toBe(200);
      expect(await form.isVisible('#f-baseline-netZeroYear')).toBe(true);
      expect(await form.isVisible('#f-baseline-annualTighteningPct')).toBe(false);
    } finally {
      await plain.close();
    }
  });

  it('adds a negative entry', async () => {
    await page.goto(`${portal.base}/console/countries/GHA/versions/${draft}/entries/new`);
    await page.fill('#f-key', 'GHA-NEW-COAL');
    await page.selectOption('#f-kind', 'NEGATIVE');
    await page.fill('#f-name', 'New coal-fired power plants');
    await page.check('input[name=sectorCodes][value=ENERGY]');
    await page.fill('#f-reason', 'Cabinet decision 2026/120: no new coal');
    const saved = await post(page, 'form.entry-form button[type=submit]:not([hidden])[value=save]');
    expect(saved.status()).toBe(303);
    requestIds.push(saved.headers()['x-request-id']);
    expect(await page.locator('section[aria-labelledby=draft-entries] tbody tr').count()).toBe(2);
  });

  it('shows an edit conflict field by field and lets the second person redo the change on top', async () => {
    const edit = `${portal.base}/console/countries/GHA/versions/${draft}/entries/${ENTRY}/edit`;
    const theirs = await kofi.newPage();
    await page.goto(edit);
    await theirs.goto(edit);
    await theirs.fill('#f-name', 'Rooftop and carport solar photovoltaics');
    await theirs.fill('#f-reason', 'Carports count as rooftops');
    expect(
      (
        await post(theirs, 'form.entry-form button[type=submit]:not([hidden])[value=save]')
      ).status(),
    ).toBe(303);

    await page.fill('#f-description', 'Systems on buildings, up to 5 MW.');
    await page.fill('#f-reason', 'Describe the size limit');
    const conflict = await post(
      page,
      'form.entry-form button[type=submit]:not([hidden])[value=save]',
    );
    expect(conflict.status()).toBe(409);
    const table = await page.textContent('table.conflict');
    expect(table).toContain('Rooftop solar photovoltaics');
    expect(table).toContain('Rooftop and carport solar photovoltaics');
    // Their change and the person's both in the form, on the new revision.
    expect(await page.inputValue('#f-name')).toBe('Rooftop and carport solar photovoltaics');
    expect(await page.inputValue('#f-description')).toBe('Systems on buildings, up to 5 MW.');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS_DIR, 'console-entry-conflict.png'), fullPage: true });
    const saved = await post(page, 'form.entry-form button[type=submit]:not([hidden])[value=save]');
    expect(saved.status()).toBe(303);
    requestIds.push(saved.headers()['x-request-id']);

    const again = await expectGoodPage(
      ama,
      edit,
      { name: 'console-entry-edit', status: 200, title: /^Edit GHA-ROOFTOP-SOLAR/ },
      weights,
    );
    expect(await again.inputValue('#f-name')).toBe('Rooftop and carport solar photovoltaics');
    expect(await again.inputValue('#f-description')).toBe('Systems on buildings, up to 5 MW.');
    expect(await again.inputValue('#f-criteria-1-threshold')).toBe('0.3');
    await again.close();
    await theirs.close();
  });

  it('removes an entry with a reason', async () => {
    await page.goto(`${portal.base}/console/countries/GHA/versions/${draft}/entries/new`);
    await page.fill('#f-key', 'GHA-MISTAKE');
    await page.selectOption('#f-kind', 'NEGATIVE');
    await page.fill('#f-name', 'Added by mistake');
    await page.check('input[name=sectorCodes][value=TRANSPORT]');
    await page.fill('#f-reason', 'To be removed');
    expect(
      (await post(page, 'form.entry-form button[type=submit]:not([hidden])[value=save]')).status(),
    ).toBe(303);
    // Its own request id is not looked for: the trail below follows the steps named there.
    requestIds.push('');
    await page.goto(
      `${portal.base}/console/countries/GHA/versions/${draft}/entries/GHA-MISTAKE/edit`,
    );
    await page.fill('#remove-reason', 'Not part of the cabinet decision');
    const removed = await post(page, '#remove-entry + form button[type=submit]');
    expect(removed.status()).toBe(303);
    requestIds.push(removed.headers()['x-request-id']);
    expect(await page.textContent('[role=status]')).toContain('Entry GHA-MISTAKE has been removed');
    expect(await page.locator('section[aria-labelledby=draft-entries] tbody tr').count()).toBe(2);
  });

  it('shows the draft with its entries and the submit form, and the edit form in French, clean for axe-core', async () => {
    for (const [name, path, lang, title] of [
      ['console-draft-entries', '', 'en', /^Version \d+ of Ghana/],
      ['console-draft-entries-fr', '?lang=fr', 'fr', /^Version \d+ de la liste/],
      [
        'console-entry-edit-fr',
        `/entries/${ENTRY}/edit?lang=fr`,
        'fr',
        /^Modifier GHA-ROOFTOP-SOLAR/,
      ],
    ] as const) {
      const shown = await expectGoodPage(
        ama,
        `${portal.base}/console/countries/GHA/versions/${draft}${path}`,
        { name, status: 200, title, lang },
        weights,
      );
      await shown.close();
    }
  });

  it('refuses an official of another country as the mutations do: 404, nothing changed', async () => {
    const kenyaKey = await createPrincipal(portal, 'Wanjiru Kamau', 'OFFICIAL', 'KEN');
    const kenya = await browser.newContext();
    try {
      const other = await kenya.newPage();
      await signIn(other, portal.base, kenyaKey);
      const base = `${portal.base}/console/countries/GHA/versions/${draft}`;
      expect((await other.goto(`${base}/entries/new`))?.status()).toBe(404);
      const token = await other.getAttribute('form.account input[name=_csrf]', 'value');
      await page.goto(`${base}/entries/${ENTRY}/edit`);
      const id = await page.getAttribute('input[name=entryId]', 'value');
      const removed = await other.request.post(`${base}/entries/${ENTRY}/remove`, {
        form: { entryId: id!, reason: 'not mine', _csrf: token! },
        maxRedirects: 0,
      });
      expect(removed.status()).toBe(404);
      await page.goto(base);
      expect(await page.locator('section[aria-labelledby=draft-entries] tbody tr').count()).toBe(2);
    } finally {
      await kenya.close();
    }
  });

  it('submits the draft with a reason; the audit trail has every step with reason, person and request id', async () => {
    await page.goto(`${portal.base}/console/countries/GHA/versions/${draft}`);
    await page.fill('#submit-reason', 'Ready for the minister');
    const submitted = await post(page, '#submit-draft + form button[type=submit]');
    expect(submitted.status()).toBe(303);
    requestIds.push(submitted.headers()['x-request-id']);
    expect(await page.textContent('[role=status]')).toContain(
      `Version ${draft} has been submitted`,
    );
    expect(await page.isVisible('#draft-entries')).toBe(false);

    const client = new Client({ connectionString: portal.db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{
        action: string;
        entity_type: string;
        reason: string;
        actor_name: string;
        request_id: string;
      }>(
        `SELECT action, entity_type, reason, actor_name, request_id FROM audit_event
          WHERE host_country = 'GHA' AND request_id = ANY($1) ORDER BY seq`,
        [requestIds],
      );
      const step = (r: (typeof rows)[number]) => [
        r.action,
        r.entity_type,
        r.reason,
        r.actor_name,
        r.request_id,
      ];
      expect(rows.map(step)).toEqual([
        [
          'CREATE',
          'ActivityEntry',
          'Cabinet decision 2026/120: rooftop solar',
          'Ama Mensah',
          requestIds[0],
        ],
        [
          'CREATE',
          'ActivityEntry',
          'Cabinet decision 2026/120: no new coal',
          'Ama Mensah',
          requestIds[1],
        ],
        ['UPDATE', 'ActivityEntry', 'Describe the size limit', 'Ama Mensah', requestIds[2]],
        [
          'DELETE',
          'ActivityEntry',
          'Not part of the cabinet decision',
          'Ama Mensah',
          requestIds[4],
        ],
        ['SUBMIT', 'PositiveListVersion', 'Ready for the minister', 'Ama Mensah', requestIds[5]],
      ]);
      const kofis = await client.query(
        `SELECT 1 FROM audit_event WHERE actor_name = 'Kofi Boateng' AND reason = 'Carports count as rooftops' AND request_id IS NOT NULL`,
      );
      expect(kofis.rowCount).toBe(1);
    } finally {
      await client.end();
    }
  });
});
