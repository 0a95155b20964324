import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Client } from 'pg';
import {
  Portal,
  SHOTS_DIR,
  expectGoodPage,
  launchBrowser,
  saveWeights,
  seriousViolations,
  startPortal,
} from '../support/portal-browser';
import { createPrincipal, signIn } from '../support/console-browser';

/** A complete KEN entry, added to the draft through the API. */
const BIOGAS = {
  key: 'KEN-AUDIT-BIOGAS',
  kind: 'POSITIVE',
  name: 'Household biogas digesters',
  technologies: ['biogas digester'],
  sectorCodes: ['ENERGY'],
  ndcComponent: 'CONDITIONAL',
  criteria: [{ parameter: 'digesterVolumeM3', operator: 'LTE', threshold: 12, unit: 'm3' }],
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
  crediting: { periodYears: 5, renewals: 2 },
  authorization: { authorizedUses: ['NDC'], correspondingAdjustment: true },
  legalBasis: 'Illustrative notice',
};

/**
 * The audit trail in the workspace, in a real browser: what an official of Kenya did through
 * the API (a draft, an entry added then changed, each with a reason, then submitted) is listed
 * for an auditor, filtered by action and country; one event shows its field changes before and
 * after, its reason and the very request id the API call carried. An official of Ghana sees
 * none of it (no rows, 403 when asking for Kenya, 404 on the event); anonymous people are sent
 * to sign in. Both pages pass axe-core in English and Spanish.
 */
describe('the audit trail in the workspace, in a real browser', () => {
  let portal: Portal;
  let browser: Browser;
  let auditor: BrowserContext;
  let kenyan: BrowserContext;
  let ghanaian: BrowserContext;
  let draft: { id: string; version: number };
  /** The request id the API returned for addEntry (the client sent none). */
  let addRequestId: string;
  /** The request id the client chose for updateEntry. */
  const updateRequestId = 'audit-spec-update-entry-0001';
  const weights: Record<string, number> = {};
  const keys = { official: '', ghana: '' };

  /** A GraphQL call as a client makes it; the response's x-request-id comes back too. */
  const api = async (
    query: string,
    variables: Record<string, unknown>,
    key: string,
    requestId?: string,
  ) => {
    const res = await fetch(`${portal.base}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${key}`,
        ...(requestId ? { 'x-request-id': requestId } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: any; errors?: unknown };
    if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors));
    return { data: body.data, requestId: res.headers.get('x-request-id') };
  };

  const query = async <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => {
    const client = new Client({ connectionString: portal.db.url });
    await client.connect();
    try {
      return (await client.query<T>(text, params)).rows;
    } finally {
      await client.end();
    }
  };

  /** The seq of the event recorded with this reason, as stored. */
  const seqOf = async (reason: string) => {
    const [row] = await query<{ seq: string }>('SELECT seq FROM audit_event WHERE reason = $1', [
      reason,
    ]);
    return Number(row.seq);
  };

  const cells = (page: Page, column: number) =>
    page.locator(`main table tbody tr > :nth-child(${column})`).allTextContents();

  beforeAll(async () => {
    [portal, browser] = await Promise.all([startPortal(), launchBrowser()]);
    const [officialKey, auditorKey, ghanaKey] = await Promise.all([
      createPrincipal(portal, 'Achieng Odhiambo', 'OFFICIAL', 'KEN'),
      createPrincipal(portal, 'Amara Diallo', 'AUDITOR', null),
      createPrincipal(portal, 'Kwame Asante', 'OFFICIAL', 'GHA'),
    ]);
    keys.official = officialKey;
    keys.ghana = ghanaKey;
    const created = await api(
      'mutation($input: CreateDraftInput!) { createDraft(input: $input) { id version } }',
      { input: { hostCountry: 'KEN', title: 'Revision with biogas', reason: 'yearly review' } },
      officialKey,
    );
    draft = created.data.createDraft;
    const added = await api(
      'mutation($input: AddEntryInput!) { addEntry(input: $input) { id revision } }',
      { input: { listVersionId: draft.id, entry: BIOGAS, reason: 'add household biogas' } },
      officialKey,
    );
    addRequestId = added.requestId!;
    const updated = await api(
      'mutation($input: UpdateEntryInput!) { updateEntry(input: $input) { id } }',
      {
        input: {
          entryId: added.data.addEntry.id,
          expectedRevision: added.data.addEntry.revision,
          entry: {
            ...BIOGAS,
            criteria: [{ ...BIOGAS.criteria[0], threshold: 8 }],
            technologies: ['biogas digester', 'bio-slurry'],
          },
          reason: 'smaller digesters only',
        },
      },
      officialKey,
      updateRequestId,
    );
    expect(updated.requestId).toBe(updateRequestId);
    await api(
      'mutation($input: ListTransitionInput!) { submitDraft(input: $input) { id } }',
      { input: { listVersionId: draft.id, reason: 'ready for the approver' } },
      officialKey,
    );
    [auditor, kenyan, ghanaian] = await Promise.all([
      browser.newContext({ viewport: { width: 1200, height: 900 } }),
      browser.newContext({ viewport: { width: 1200, height: 900 } }),
      browser.newContext({ viewport: { width: 1200, height: 900 } }),
    ]);
    await signIn(await auditor.newPage(), portal.base, auditorKey);
    await signIn(await kenyan.newPage(), portal.base, officialKey);
    await signIn(await ghanaian.newPage(), portal.base, ghanaKey);
  });
  afterAll(async () => {
    saveWeights('console-audit', weights);
    await browser?.close();
    await portal?.close();
  });

  it('sends anonymous people to sign in, keeping the filters to come back to', async () => {
    const page = await (await browser.newContext()).newPage();
    const res = await page.goto(`${portal.base}/console/audit?actions=SUBMIT&hostCountry=KEN`);
    expect(res?.status()).toBe(200);
    const url = new URL(page.url());
    expect(url.pathname).toBe('/console/sign-in');
    expect(url.searchParams.get('next')).toBe('/console/audit?actions=SUBMIT&hostCountry=KEN');
    expect(await page.textContent('main')).not.toContain('ready for the approver');
    await page.close();
  });

  it('lists the official’s events for an auditor, filtered by action and country, from the navigation', async () => {
    const home = await auditor.newPage();
    await home.goto(`${portal.base}/console`);
    expect(await home.getAttribute('nav a[href="/console/audit"]', 'href')).toBe('/console/audit');
    await home.close();

    const page = await expectGoodPage(
      auditor,
      `${portal.base}/console/audit?actions=CREATE&actions=UPDATE&actions=SUBMIT&hostCountry=KEN&actorName=Achieng+Odhiambo`,
      { name: 'console-audit', status: 200, title: /^Audit trail/ },
      weights,
    );
    expect(await page.textContent('caption')).toBe('Audit events, oldest first');
    const reasons = await cells(page, 7);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'yearly review',
        'add household biogas',
        'smaller digesters only',
        'ready for the approver',
      ]),
    );
    // Only what was asked for: these three actions, Kenya, this official.
    expect(new Set(await cells(page, 3))).toEqual(new Set(['created', 'changed', 'submitted']));
    expect(new Set(await cells(page, 5))).toEqual(new Set(['KEN']));
    const [stored] = await query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_event WHERE host_country = 'KEN'
          AND action IN ('CREATE', 'UPDATE', 'SUBMIT') AND actor_name = 'Achieng Odhiambo'`,
    );
    expect(await page.locator('main table tbody tr').count()).toBe(stored.n);
    // The form shows the filters it applied, so they can be changed from there.
    expect(await page.isChecked('input[name=actions][value=SUBMIT]')).toBe(true);
    expect(await page.isChecked('input[name=actions][value=PUBLISH]')).toBe(false);
    expect(await page.inputValue('#filter-hostCountry')).toBe('KEN');

    // One action only, chosen in the form as a person would: the URL carries the filters.
    await page.uncheck('input[name=actions][value=CREATE]');
    await page.uncheck('input[name=actions][value=UPDATE]');
    await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
    expect(new URL(page.url()).searchParams.getAll('actions')).toEqual(['SUBMIT']);
    expect(await cells(page, 7)).toEqual(['ready for the approver']);
    await page.close();
  });

  it('pages through the whole trail in seq order with a next link', async () => {
    const [{ n: total }] = await query<{ n: number }>('SELECT count(*)::int AS n FROM audit_event');
    const page = await auditor.newPage();
    await page.goto(`${portal.base}/console/audit`);
    const first = (await cells(page, 1)).map(Number);
    expect(first).toEqual(Array.from({ length: Math.min(total, 50) }, (_, i) => i + 1));
    expect(await page.locator('a[rel=next]').count()).toBe(total > 50 ? 1 : 0);
    if (total > 50) {
      await Promise.all([page.waitForNavigation(), page.click('a[rel=next]')]);
      expect((await cells(page, 1)).map(Number)[0]).toBe(51);
      expect(await page.locator('nav.pager a:not([rel])').getAttribute('href')).toBe(
        '/console/audit',
      );
    }
    await page.close();
  });

  it('shows one event: who, why, the request id the API call carried, and its field changes before and after', async () => {
    const seq = await seqOf('smaller digesters only');
    const page = await expectGoodPage(
      auditor,
      `${portal.base}/console/audit/events/${seq}`,
      { name: 'console-audit-event', status: 200, title: new RegExp(`^Audit event ${seq}`) },
      weights,
    );
    const facts = await page.textContent('main dl.facts');
    expect(facts).toContain('Achieng Odhiambo');
    expect(facts).toContain('official (KEN)');
    expect(facts).toContain('smaller digesters only');
    expect(await page.textContent('[data-field=requestId]')).toBe(updateRequestId);
    const [stored] = await query<{ hash: string; prev_hash: string }>(
      'SELECT hash, prev_hash FROM audit_event WHERE seq = $1',
      [seq],
    );
    expect(facts).toContain(stored.hash);
    expect(await page.getAttribute(`main dl.facts a[href$="/events/${seq - 1}"]`, 'href')).toBe(
      `/console/audit/events/${seq - 1}`,
    );
    expect(await page.textContent(`main dl.facts a[href$="/events/${seq - 1}"]`)).toBe(
      stored.prev_hash,
    );
    // The entry's draft, linked in the workspace.
    expect(await page.getAttribute('main dl.facts a[href^="/console/countries"]', 'href')).toBe(
      `/console/countries/KEN/versions/${draft.version}`,
    );
    const rows = await page
      .locator('table.changes tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.children).map((c) => (c.textContent ?? '').trim())),
      );
    expect(rows).toEqual(
      expect.arrayContaining([
        ['criteria[0].threshold', '12', '8'],
        ['technologies[1]', '(none)', 'bio-slurry'],
      ]),
    );
    await page.close();

    const spanish = await expectGoodPage(
      auditor,
      `${portal.base}/console/audit/events/${seq}?lang=es`,
      {
        name: 'console-audit-event-es',
        status: 200,
        title: new RegExp(`^Evento de auditoría ${seq}`),
        lang: 'es',
      },
      weights,
    );
    expect(await spanish.textContent('main dl.facts')).toContain('modificación');
    expect(await spanish.textContent('table.changes caption')).toBe(
      `Campos cambiados por el evento ${seq}`,
    );
    await spanish.close();
  });

  it('shows the request id of a call that sent none: the one the API made and returned', async () => {
    expect(addRequestId).toMatch(/^[0-9a-f-]{36}$/);
    const seq = await seqOf('add household biogas');
    const page = await auditor.newPage();
    await page.goto(`${portal.base}/console/audit/events/${seq}`);
    expect(await page.textContent('[data-field=requestId]')).toBe(addRequestId);
    // Created: nothing before, the entry's fields after.
    expect(await page.textContent('table.changes')).toContain('Household biogas digesters');
    await page.close();
  });

  it('lists in Spanish and shows bad filters next to their fields (400), not a stack', async () => {
    const spanish = await expectGoodPage(
      auditor,
      `${portal.base}/console/audit?lang=es&actions=SUBMIT`,
      { name: 'console-audit-es', status: 200, title: /^Pista de auditoría/, lang: 'es' },
      weights,
    );
    expect(await cells(spanish, 3)).toContain('envío');
    await spanish.close();

    const page = await expectGoodPage(
      auditor,
      `${portal.base}/console/audit?from=2026-02-30&hostCountry=kenya&actions=NOPE`,
      { name: 'console-audit-problems', status: 400, title: /^Audit trail/ },
      weights,
    );
    expect(await page.textContent('#filter-from-error')).toBe('must be a date written YYYY-MM-DD');
    expect(await page.getAttribute('#filter-from', 'aria-invalid')).toBe('true');
    // What was typed stays in the field, to be corrected there.
    expect(await page.inputValue('#filter-from')).toBe('2026-02-30');
    expect(await page.textContent('#filter-hostCountry-error')).toContain('ISO 3166-1 alpha-3');
    expect(await page.textContent('#filter-actions-error')).toContain('actions');
    expect(await page.locator('main table').count()).toBe(0);
    expect(await page.textContent('[role=alert]')).toContain('Some filters are not valid');
    await page.close();

    // The days are whole: an event of today is found from today up to today, not before.
    const day = (offset: number) =>
      new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const dated = await auditor.newPage();
    const submitted = (from: string, to: string) =>
      dated
        .goto(`${portal.base}/console/audit?actions=SUBMIT&hostCountry=KEN&from=${from}&to=${to}`)
        .then(() => cells(dated, 7));
    expect(await submitted(day(0), day(0))).toContain('ready for the approver');
    expect(await submitted(day(-3), day(-1))).toEqual([]);
    expect(await submitted(day(1), day(3))).toEqual([]);
    expect(await dated.textContent('main')).toContain('No event matches these filters.');
    await dated.close();
  });

  it('links a version’s page to its history in the trail', async () => {
    const page = await kenyan.newPage();
    await page.goto(`${portal.base}/console/countries/KEN/versions/${draft.version}`);
    const link = page.locator('main a', { hasText: 'History of this version in the audit trail' });
    expect(await link.getAttribute('href')).toBe(`/console/audit?entityId=${draft.id}`);
    await Promise.all([page.waitForNavigation(), link.click()]);
    expect(await cells(page, 7)).toEqual(['yearly review', 'ready for the approver']);
    expect(await page.textContent('main')).toContain('You see the events of KEN only.');
    expect(await page.locator('#filter-hostCountry').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('shows an official of another country none of it: no rows, 403 for Kenya, 404 for the event', async () => {
    const page = await ghanaian.newPage();
    await page.goto(`${portal.base}/console/audit`);
    const countries = new Set(await cells(page, 5));
    expect([...countries].filter((c) => c !== 'GHA')).toEqual([]);
    await page.goto(`${portal.base}/console/audit?entityId=${draft.id}`);
    expect(await page.textContent('main')).toContain('No event matches these filters.');
    const kenya = await page.goto(`${portal.base}/console/audit?hostCountry=KEN`);
    expect(kenya?.status()).toBe(403);
    expect(await page.textContent('main')).not.toContain('ready for the approver');
    const seq = await seqOf('smaller digesters only');
    const event = await page.goto(`${portal.base}/console/audit/events/${seq}`);
    expect(event?.status()).toBe(404);
    expect(await page.textContent('main')).not.toContain('smaller digesters only');
    expect(await seriousViolations(page)).toEqual([]);
    // As for a seq that names nothing.
    const missing = await page.goto(`${portal.base}/console/audit/events/999999`);
    expect(missing?.status()).toBe(404);
    await page.screenshot({ path: `${SHOTS_DIR}/console-audit-not-found.png`, fullPage: true });
    await page.close();

    const own = await kenyan.newPage();
    const mine = await own.goto(`${portal.base}/console/audit/events/${seq}`);
    expect(mine?.status()).toBe(200);
    expect(await own.textContent('[data-field=requestId]')).toBe(updateRequestId);
    await own.close();
  });

  it('answers the API’s auditEvent query with the same rule: NOT_FOUND for another country', async () => {
    const seq = await seqOf('smaller digesters only');
    const ask = (key: string) =>
      fetch(`${portal.base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({
          query: 'query($seq: Int!) { auditEvent(seq: $seq) { seq reason requestId } }',
          variables: { seq },
        }),
      }).then((r) => r.json() as Promise<{ data?: any; errors?: any[] }>);
    const ghana = await ask(keys.ghana);
    expect(ghana.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    const kenya = await ask(keys.official);
    expect(kenya.data.auditEvent).toEqual({
      seq,
      reason: 'smaller digesters only',
      requestId: updateRequestId,
    });
  });
});
