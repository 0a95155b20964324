import { join } from 'node:path';
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
import { createPrincipal, signIn, sql } from '../support/console-browser';
import { gqlPost } from '../support/service-process';

const HEADER =
  'key,kind,name,technologies,sectorCodes,ndcComponent,additionalityRationale,' +
  'criterion1.parameter,criterion1.operator,criterion1.threshold,criterion1.unit,' +
  'baseline.approach,baseline.referenceValue,baseline.unit,baseline.referenceYear,' +
  'baseline.initialAdjustmentPct,baseline.annualTighteningPct,baseline.parameterValidation';
const SOLAR =
  'GHA-IMPORTED-SOLAR,POSITIVE,Imported solar,solar PV,ENERGY,CONDITIONAL,Needs carbon finance,' +
  'capacityMW,LTE,50,MW,BAU_DOWNWARD_ADJUSTED,0.8,tCO2e/MWh,2025,10,1,EX_ANTE';
const LIGHTING =
  'GHA-IMPORTED-LIGHTING,NEGATIVE,Imported lighting,LED lighting,ENERGY,UNCONDITIONAL';
const csv = (...rows: string[]) => Buffer.from([HEADER, ...rows].join('\n'));

/**
 * Importing entries from a file in the workspace (issue #16 through #15's workspace): choose a
 * file, check it (nothing changes, refused rows named by row and column), then import what
 * was checked with a reason; the audit trail records each entry with the person and reason.
 */
describe('importing entries in the workspace, in a real browser', () => {
  let portal: Portal;
  let browser: Browser;
  let ghana: BrowserContext;
  let kenya: BrowserContext;
  let ghanaKey: string;
  let draftId: string;
  const weights: Record<string, number> = {};

  const entryKeys = async () => {
    const res = await gqlPost(
      `${portal.base}/graphql`,
      'query($id: ID!) { listVersion(id: $id) { entries { key } } }',
      { id: draftId },
      ghanaKey,
    );
    return (res.data!.listVersion.entries as { key: string }[]).map((e) => e.key).sort();
  };
  const check = async (page: Page, file: Buffer) => {
    await page.setInputFiles('#file', { name: 'entries.csv', mimeType: 'text/csv', buffer: file });
    await Promise.all([page.waitForLoadState('load'), page.click('button[value=check]')]);
  };

  beforeAll(async () => {
    [portal, browser] = await Promise.all([startPortal(), launchBrowser()]);
    ghanaKey = await createPrincipal(portal, 'Kofi Boateng', 'OFFICIAL', 'GHA');
    const kenyaKey = await createPrincipal(portal, 'Achieng Otieno', 'OFFICIAL', 'KEN');
    const res = await gqlPost(
      `${portal.base}/graphql`,
      'mutation($input: CreateDraftInput!) { createDraft(input: $input) { id } }',
      { input: { hostCountry: 'GHA', title: 'Imported list', empty: true, reason: 'import test' } },
      ghanaKey,
    );
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    draftId = res.data!.createDraft.id as string;
    ghana = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    kenya = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    await signIn(await ghana.newPage(), portal.base, ghanaKey);
    await signIn(await kenya.newPage(), portal.base, kenyaKey);
  });
  afterAll(async () => {
    saveWeights('console-import', weights);
    await browser?.close();
    await portal?.close();
  });

  it('checks a file without changing anything, naming each refused row and column', async () => {
    const page = await expectGoodPage(
      ghana,
      `${portal.base}/console/versions/${draftId}/import`,
      { name: 'console-import', status: 200, title: /^Import entries into version/ },
      weights,
    );
    await check(page, csv(SOLAR, LIGHTING.replace('ENERGY', 'FORESTRY')));
    const refused = await page.locator('#refused ~ table tbody tr').allTextContents();
    expect(refused).toEqual([
      expect.stringMatching(/^3sectorCodes"FORESTRY" is not an NDC sector/),
    ]);
    // A refused row means no import button: nothing can be imported until the file is fixed.
    expect(await page.locator('button[value=import]').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await entryKeys()).toEqual([]);
    await page.close();
  });

  it('imports what was checked, with a reason, and the audit trail records each entry', async () => {
    const page = await ghana.newPage();
    await page.goto(`${portal.base}/console/versions/${draftId}/import`);
    await check(page, csv(SOLAR, LIGHTING));
    expect(await page.textContent('#report ~ ul')).toContain('New entries: 2');
    await page.screenshot({ path: join(SHOTS_DIR, 'console-import-report.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    expect(await entryKeys()).toEqual([]);
    // Without a reason: refused next to the field, still nothing imported.
    await Promise.all([page.waitForLoadState('load'), page.click('button[value=import]')]);
    expect(await page.textContent('#confirm-reason-error')).toBe('must not be empty');
    expect(await entryKeys()).toEqual([]);
    await page.fill('#confirm-reason', 'Gazette notice 12/2026');
    await Promise.all([page.waitForLoadState('load'), page.click('button[value=import]')]);
    expect(new URL(page.url()).search).toBe('?done=2.0.0.0');
    expect(await page.textContent('[role=status]')).toContain('Imported: 2 new');
    expect(await entryKeys()).toEqual(['GHA-IMPORTED-LIGHTING', 'GHA-IMPORTED-SOLAR']);
    const events = await sql(
      portal,
      `SELECT 1 FROM audit_event WHERE entity_type = 'ActivityEntry' AND action = 'CREATE'
         AND reason = 'Gazette notice 12/2026' AND actor_name = 'Kofi Boateng' AND request_id IS NOT NULL`,
    );
    expect(events).toBe(2);
    await page.close();
  });

  it('refuses a file that is not CSV, and hides the draft from another country', async () => {
    const page = await ghana.newPage();
    await page.goto(`${portal.base}/console/versions/${draftId}/import?lang=fr`);
    await check(page, Buffer.from('%PDF-1.7 binary'));
    expect(await page.textContent('[role=alert]')).toContain('PDF');
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
    const other = await kenya.newPage();
    const res = await other.goto(`${portal.base}/console/versions/${draftId}/import`);
    expect(res?.status()).toBe(404);
    await other.close();
  });
});
