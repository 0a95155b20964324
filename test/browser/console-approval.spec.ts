import type { Browser, BrowserContext } from 'playwright-core';
import {
  Portal,
  expectGoodPage,
  launchBrowser,
  saveWeights,
  startPortal,
} from '../support/portal-browser';
import { createPrincipal, signIn } from '../support/console-browser';
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
  let kenyanApprover: BrowserContext;
  let submitted: { id: string; version: number };
  let removedKey: string;
  const weights: Record<string, number> = {};

  const gql = async (query: string, variables: Record<string, unknown>, key: string) => {
    const res = await gqlPost(`${portal.base}/graphql`, query, variables, key);
    if (res.errors || !res.data) throw new Error(JSON.stringify(res.errors));
    return res.data;
  };

  beforeAll(async () => {
    [portal, browser] = await Promise.all([startPortal(), launchBrowser()]);
    const [officialKey, approverKey, kenyaKey] = await Promise.all([
      createPrincipal(portal, 'Kofi Boateng', 'OFFICIAL', 'GHA'),
      createPrincipal(portal, 'Abena Owusu', 'APPROVER', 'GHA'),
      createPrincipal(portal, 'Otieno Njoroge', 'APPROVER', 'KEN'),
    ]);
    const { createDraft } = await gql(
      'mutation($input: CreateDraftInput!) { createDraft(input: $input) { id version entries { id key } } }',
      { input: { hostCountry: 'GHA', title: 'Revision for review', reason: 'yearly review' } },
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
    [approver, official, kenyanApprover] = await Promise.all([
      browser.newContext({ viewport: { width: 1200, height: 900 } }),
      browser.newContext({ viewport: { width: 1200, height: 900 } }),
      browser.newContext({ viewport: { width: 1200, height: 900 } }),
    ]);
    await signIn(await approver.newPage(), portal.base, approverKey);
    await signIn(await official.newPage(), portal.base, officialKey);
    await signIn(await kenyanApprover.newPage(), portal.base, kenyaKey);
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
      '/console/countries/GHA/review',
    );
    expect(await home.textContent('nav')).toContain('To review (GHA)');
    await home.close();
  });

  it('lists the submitted version, with who submitted it, in English and French', async () => {
    const queue = await expectGoodPage(
      approver,
      `${portal.base}/console/countries/GHA/review`,
      { name: 'console-review-queue', status: 200, title: /^Submissions of Ghana/ },
      weights,
    );
    const row = await queue.textContent('tbody tr');
    expect(row).toContain(`Version ${submitted.version}`);
    expect(row).toContain('Revision for review');
    expect(row).toContain('Kofi Boateng');
    expect(await queue.getAttribute('tbody tr a', 'href')).toBe(
      `/console/countries/GHA/versions/${submitted.version}`,
    );
    expect(await queue.locator('tbody tr').count()).toBe(1);
    await queue.close();
    const french = await expectGoodPage(
      approver,
      `${portal.base}/console/countries/GHA/review?lang=fr`,
      {
        name: 'console-review-queue-fr',
        status: 200,
        title: /^Soumissions de la liste de Ghana/,
        lang: 'fr',
      },
      weights,
    );
    expect(await french.textContent('tbody tr')).toContain('Kofi Boateng');
    await french.close();
  });

  it('refuses the queue to an official and to an approver of another country', async () => {
    const home = await official.newPage();
    await home.goto(`${portal.base}/console`);
    expect(await home.locator('a[href$="/review"]').count()).toBe(0);
    const forOfficial = await home.goto(`${portal.base}/console/countries/GHA/review`);
    expect(forOfficial?.status()).toBe(403);
    expect(await home.textContent('main')).not.toContain('Revision for review');
    await home.close();
    const kenyan = await kenyanApprover.newPage();
    const forKenyan = await kenyan.goto(`${portal.base}/console/countries/GHA/review`);
    expect(forKenyan?.status()).toBe(403);
    expect(await kenyan.textContent('main')).not.toContain('Revision for review');
    const own = await kenyan.goto(`${portal.base}/console/countries/KEN/review`);
    expect(own?.status()).toBe(200);
    expect(await kenyan.textContent('main')).toMatch(
      /^.*Nothing of Kenya.*is waiting for review\./s,
    );
    await kenyan.close();
  });

  it('shows the submission with its reason and its diff against the version in force', async () => {
    const review = await expectGoodPage(
      approver,
      `${portal.base}/console/countries/GHA/versions/${submitted.version}`,
      { name: 'console-review', status: 200, title: /^Version \d+ of Ghana/ },
      weights,
    );
    expect(await review.textContent('#submission + dl')).toMatch(
      /Kofi Boateng.*ready for the approver/s,
    );
    const diff = await review.textContent('.review-diff');
    expect(diff).toMatch(/against version \d+, in force/);
    expect(await review.textContent('section[aria-labelledby="removed"]')).toContain(removedKey);
    expect(await review.textContent('section[aria-labelledby="added"] h2')).toContain('0');
    await review.close();
    const french = await expectGoodPage(
      approver,
      `${portal.base}/console/countries/GHA/versions/${submitted.version}?lang=fr`,
      { name: 'console-review-fr', status: 200, title: /^Version \d+/, lang: 'fr' },
      weights,
    );
    expect(await french.textContent('#submission + dl')).toContain('Motif donné');
    await french.close();
  });
});
