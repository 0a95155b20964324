import type { Browser, BrowserContext } from 'playwright-core';
import {
  Portal,
  SHOTS_DIR,
  expectGoodPage,
  seriousViolations,
  launchBrowser,
  saveWeights,
  startPortal,
} from '../support/portal-browser';
import { createPrincipal, signIn, sql } from '../support/console-browser';
import { Client } from 'pg';
import { gqlPost } from '../support/service-process';

/**
 * An approver's queue in the workspace, in a real browser: a draft an official submitted
 * through the API is listed for the country's approver (linked from the home page and the
 * navigation), not for an approver of another country nor for the official, and the page
 * passes axe-core in English and French.
 */
describe('the approver’s queue in the workspace, in a real browser', () => {
  let portal: Portal;
  let browser: Browser;
  let approver: BrowserContext;
  let official: BrowserContext;
  let ghanaianApprover: BrowserContext;
  let submitted: { id: string; version: number };
  let removedKey: string;
  let approverKey: string;
  let tomorrow: string;
  const weights: Record<string, number> = {};

  const gql = async (query: string, variables: Record<string, unknown>, key: string) => {
    const res = await gqlPost(`${portal.base}/graphql`, query, variables, key);
    if (res.errors || !res.data) throw new Error(JSON.stringify(res.errors));
    return res.data;
  };

  beforeAll(async () => {
    [portal, browser] = await Promise.all([startPortal(), launchBrowser()]);
    let officialKey: string;
    let ghanaKey: string;
    [officialKey, approverKey, ghanaKey] = await Promise.all([
      createPrincipal(portal, 'Achieng Odhiambo', 'OFFICIAL', 'KEN'),
      createPrincipal(portal, 'Wanjiku Mwangi', 'APPROVER', 'KEN'),
      createPrincipal(portal, 'Kwame Asante', 'APPROVER', 'GHA'),
    ]);
    const { createDraft } = await gql(
      'mutation($input: CreateDraftInput!) { createDraft(input: $input) { id version entries { id key } } }',
      { input: { hostCountry: 'KEN', title: 'Revision for review', reason: 'yearly review' } },
      officialKey,
    );
    const [removed] = createDraft.entries as { id: string; key: string }[];
    removedKey = removed.key;
    await gql(
      'mutation($input: RemoveEntryInput!) { removeEntry(input: $input) { id } }',
      { input: { entryId: removed.id, reason: 'no longer financed' } },
      officialKey,
    );
    await gql(
      'mutation($input: ListTransitionInput!) { submitDraft(input: $input) { id } }',
      { input: { listVersionId: createDraft.id, reason: 'ready for the approver' } },
      officialKey,
    );
    submitted = { id: createDraft.id as string, version: createDraft.version as number };
    [approver, official, ghanaianApprover] = await Promise.all([
      browser.newContext({ viewport: { width: 1200, height: 900 } }),
      browser.newContext({ viewport: { width: 1200, height: 900 } }),
      browser.newContext({ viewport: { width: 1200, height: 900 } }),
    ]);
    await signIn(await approver.newPage(), portal.base, approverKey);
    await signIn(await official.newPage(), portal.base, officialKey);
    await signIn(await ghanaianApprover.newPage(), portal.base, ghanaKey);
  });
  afterAll(async () => {
    saveWeights('console-approval', weights);
    await browser?.close();
    await portal?.close();
  });

  it('links the approver’s home page and navigation to the queue', async () => {
    const home = await expectGoodPage(
      approver,
      `${portal.base}/console`,
      { name: 'console-home-approver', status: 200, title: /^Workspace/ },
      weights,
    );
    expect(await home.getAttribute('main a[href$="/review"]', 'href')).toBe(
      '/console/countries/KEN/review',
    );
    expect(await home.textContent('nav')).toContain('To review (KEN)');
    await home.close();
  });

  it('lists the submitted version, with who submitted it, in English and French', async () => {
    const queue = await expectGoodPage(
      approver,
      `${portal.base}/console/countries/KEN/review`,
      { name: 'console-review-queue', status: 200, title: /^Submissions of Kenya/ },
      weights,
    );
    const row = await queue.textContent('tbody tr');
    expect(row).toContain(`Version ${submitted.version}`);
    expect(row).toContain('Revision for review');
    expect(row).toContain('Achieng Odhiambo');
    expect(await queue.getAttribute('tbody tr a', 'href')).toBe(
      `/console/countries/KEN/versions/${submitted.version}`,
    );
    expect(await queue.locator('tbody tr').count()).toBe(1);
    await queue.close();
    const french = await expectGoodPage(
      approver,
      `${portal.base}/console/countries/KEN/review?lang=fr`,
      {
        name: 'console-review-queue-fr',
        status: 200,
        title: /^Soumissions de la liste de Kenya/,
        lang: 'fr',
      },
      weights,
    );
    expect(await french.textContent('tbody tr')).toContain('Achieng Odhiambo');
    await french.close();
  });

  it('refuses the queue to an official and to an approver of another country', async () => {
    const home = await official.newPage();
    await home.goto(`${portal.base}/console`);
    expect(await home.locator('a[href$="/review"]').count()).toBe(0);
    const forOfficial = await home.goto(`${portal.base}/console/countries/KEN/review`);
    expect(forOfficial?.status()).toBe(403);
    expect(await home.textContent('main')).not.toContain('Revision for review');
    await home.close();
    const ghanaian = await ghanaianApprover.newPage();
    const forGhanan = await ghanaian.goto(`${portal.base}/console/countries/KEN/review`);
    expect(forGhanan?.status()).toBe(403);
    expect(await ghanaian.textContent('main')).not.toContain('Revision for review');
    const own = await ghanaian.goto(`${portal.base}/console/countries/GHA/review`);
    expect(own?.status()).toBe(200);
    expect(await ghanaian.textContent('main')).toMatch(
      /^.*Nothing of Ghana.*is waiting for review\./s,
    );
    await ghanaian.close();
  });

  it('shows the submission with its reason and its diff against the version in force', async () => {
    const review = await expectGoodPage(
      approver,
      `${portal.base}/console/countries/KEN/versions/${submitted.version}`,
      { name: 'console-review', status: 200, title: /^Version \d+ of Kenya/ },
      weights,
    );
    expect(await review.textContent('#submission + dl')).toMatch(
      /Achieng Odhiambo.*ready for the approver/s,
    );
    const diff = await review.textContent('.review-diff');
    expect(diff).toMatch(/against version \d+, in force/);
    expect(await review.textContent('section[aria-labelledby="removed"]')).toContain(removedKey);
    expect(await review.textContent('section[aria-labelledby="added"] h3#added')).toContain('0');
    await review.close();
    const french = await expectGoodPage(
      approver,
      `${portal.base}/console/countries/KEN/versions/${submitted.version}?lang=fr`,
      { name: 'console-review-fr', status: 200, title: /^Version \d+/, lang: 'fr' },
      weights,
    );
    expect(await french.textContent('#submission + dl')).toContain('Motif donné');
    await french.close();
  });

  it('publishes it, with problems next to the date first: the portal and checkEligibility answer from it, the audit trail says who and why', async () => {
    const page = await approver.newPage();
    await page.goto(`${portal.base}/console/countries/KEN/versions/${submitted.version}`);
    const today = await page.inputValue('#publish-effectiveFrom');
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The demo's version 1 takes effect today, so today is refused next to the date field,
    // with the reason kept; the next day is accepted.
    await page.fill('#publish-reason', 'checked against the ministry’s decision');
    const [refused] = await Promise.all([
      page.waitForNavigation(),
      page.click('section[aria-labelledby="publish"] button'),
    ]);
    expect(refused?.status()).toBe(400);
    expect(await page.textContent('#publish-effectiveFrom-error')).toContain(
      `must be after ${today}`,
    );
    expect(await page.inputValue('#publish-reason')).toBe(
      'checked against the ministry’s decision',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS_DIR}/console-publish-problem.png`, fullPage: true });
    tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    await page.fill('#publish-effectiveFrom', tomorrow);
    await Promise.all([
      page.waitForNavigation(),
      page.click('section[aria-labelledby="publish"] button'),
    ]);
    expect(await page.textContent('p.notice[role=status]')).toContain(
      `Version ${submitted.version} has been published.`,
    );
    await page.screenshot({ path: `${SHOTS_DIR}/console-published.png`, fullPage: true });
    await page.close();

    const reader = await (await browser.newContext()).newPage();
    await reader.goto(`${portal.base}/countries/KEN?on=${tomorrow}`);
    expect(await reader.textContent('main')).toContain(`Version ${submitted.version}`);
    await reader.close();
    const answer = await gqlPost(
      `${portal.base}/graphql`,
      `query($q: EligibilityQuery!) { checkEligibility(query: $q) { listVersion { version } } }`,
      { q: { hostCountry: 'KEN', activityKey: removedKey, on: tomorrow } },
    );
    expect(answer.data?.checkEligibility.listVersion.version).toBe(submitted.version);

    const client = new Client({ connectionString: portal.db.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT action, actor_name, reason FROM audit_event
          WHERE entity_id = $1 AND action IN ('SUBMIT', 'PUBLISH') ORDER BY seq`,
        [submitted.id],
      );
      expect(rows).toEqual([
        { action: 'SUBMIT', actor_name: 'Achieng Odhiambo', reason: 'ready for the approver' },
        {
          action: 'PUBLISH',
          actor_name: 'Wanjiku Mwangi',
          reason: 'checked against the ministry’s decision',
        },
      ]);
    } finally {
      await client.end();
    }
  });

  it('withdraws the scheduled version with a reason: it never takes effect, the version it replaced stays in force', async () => {
    const url = `${portal.base}/console/countries/KEN/versions/${submitted.version}`;
    // The official who drafted it sees no withdraw form, and a forced post is refused.
    const officialPage = await official.newPage();
    await officialPage.goto(url);
    expect(await officialPage.locator('#withdraw').count()).toBe(0);
    const forced = await officialPage.request.post(`${url}/withdraw`, {
      form: {
        _csrf: await officialPage.inputValue('form.account input[name=_csrf]'),
        listVersionId: submitted.id,
        reason: 'not mine to withdraw',
      },
      maxRedirects: 0,
    });
    expect(forced.status()).toBe(403);
    await officialPage.close();

    const page = await expectGoodPage(
      approver,
      url,
      { name: 'console-withdraw', status: 200, title: /^Version \d+ of Kenya/ },
      weights,
    );
    expect(await page.textContent('section[aria-labelledby="withdraw"]')).toContain(
      'has not taken effect yet',
    );
    // A blank reason is refused next to the field, and nothing changes.
    await page.fill('#withdraw-reason', '   ');
    const [refused] = await Promise.all([
      page.waitForNavigation(),
      page.click('section[aria-labelledby="withdraw"] button'),
    ]);
    expect(refused?.status()).toBe(400);
    expect(await page.textContent('#withdraw-reason-error')).toContain('must not be empty');
    expect(await seriousViolations(page)).toEqual([]);
    await page.fill('#withdraw-reason', 'the ministry’s decision was annulled');
    await Promise.all([
      page.waitForNavigation(),
      page.click('section[aria-labelledby="withdraw"] button'),
    ]);
    expect(await page.textContent('p.notice[role=status]')).toContain(
      `Version ${submitted.version} has been withdrawn.`,
    );
    expect(await page.textContent('dl.facts')).toMatch(/withdrawn/i);
    expect(await page.textContent('dl.facts')).toContain(
      `never in force (withdrawn before ${tomorrow})`,
    );
    expect(await page.locator('#withdraw').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS_DIR}/console-withdrawn.png`, fullPage: true });
    await page.close();

    const answer = await gqlPost(
      `${portal.base}/graphql`,
      `query($q: EligibilityQuery!) { checkEligibility(query: $q) { listVersion { version } } }`,
      { q: { hostCountry: 'KEN', activityKey: removedKey, on: tomorrow } },
    );
    expect(answer.data?.checkEligibility.listVersion.version).not.toBe(submitted.version);
    expect(
      await sql(
        portal,
        `SELECT 1 FROM audit_event WHERE action = 'WITHDRAW' AND entity_id = '${submitted.id}' AND reason = 'the ministry’s decision was annulled' AND actor_name = 'Wanjiku Mwangi'`,
      ),
    ).toBe(1);
  });

  it('four eyes: an approver who submitted a version is told why they cannot publish it, and a forced post changes nothing', async () => {
    const { createDraft } = await gql(
      'mutation($input: CreateDraftInput!) { createDraft(input: $input) { id version } }',
      { input: { hostCountry: 'KEN', title: 'Approver’s own draft', reason: 'a quick fix' } },
      approverKey,
    );
    await gql(
      'mutation($input: ListTransitionInput!) { submitDraft(input: $input) { id } }',
      { input: { listVersionId: createDraft.id, reason: 'my own submission' } },
      approverKey,
    );
    const url = `${portal.base}/console/countries/KEN/versions/${createDraft.version}`;
    const page = await expectGoodPage(
      approver,
      url,
      { name: 'console-four-eyes', status: 200, title: /^Version \d+ of Kenya/ },
      weights,
    );
    expect(await page.textContent('.four-eyes')).toContain('four eyes');
    expect(await page.locator('#publish-reason').count()).toBe(0);
    const csrf = await page.inputValue('section[aria-labelledby="reject"] input[name=_csrf]');
    const forced = await page.request.post(`${url}/publish`, {
      form: {
        _csrf: csrf,
        listVersionId: createDraft.id,
        effectiveFrom: tomorrow,
        reason: 'publishing anyway',
      },
      maxRedirects: 0,
    });
    expect(forced.status()).toBe(403);
    expect(await forced.text()).toContain('Four eyes: Wanjiku Mwangi submitted version');
    const { listVersion } = await gql(
      'query($id: ID!) { listVersion(id: $id) { status } }',
      { id: createDraft.id },
      approverKey,
    );
    expect(listVersion.status).toBe('SUBMITTED');
    expect(
      await sql(
        portal,
        `SELECT 1 FROM audit_event WHERE action = 'PUBLISH' AND entity_id = '${createDraft.id}'`,
      ),
    ).toBe(0);

    // Rejecting it (with a reason) puts it back to draft.
    await page.fill('#reject-reason', 'needs another look');
    await Promise.all([
      page.waitForLoadState('load'),
      page.click('section[aria-labelledby="reject"] button'),
    ]);
    expect(await page.textContent('p.notice[role=status]')).toContain('is a draft again');
    const after = await gql(
      'query($id: ID!) { listVersion(id: $id) { status } }',
      { id: createDraft.id },
      approverKey,
    );
    expect(after.listVersion.status).toBe('DRAFT');
    expect(
      await sql(
        portal,
        `SELECT 1 FROM audit_event WHERE action = 'REJECT' AND entity_id = '${createDraft.id}' AND reason = 'needs another look' AND actor_name = 'Wanjiku Mwangi'`,
      ),
    ).toBe(1);
    await page.close();
  });
});
