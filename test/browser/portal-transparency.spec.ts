import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Browser, BrowserContext, ConsoleMessage } from 'playwright-core';
import { keyIdFor, publicKeyFromRaw, rawPublicKey } from '../../src/audit/checkpoint';
import { htmlDocument, pageContext } from '../../src/portal/page';
import { TransparencyPage } from '../../src/portal/views/transparency';
import { eventually } from '../support/eventually';
import {
  Portal,
  expectGoodPage,
  launchBrowser,
  saveWeights,
  startPortal,
} from '../support/portal-browser';
import { gqlPost } from '../support/service-process';

/**
 * The transparency page and the API explorer, as an auditor and a developer reach them. The
 * service signs with a key of the test's own, so the test knows what the page must show.
 */
describe('the transparency page and the API explorer', () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const publishedKey = rawPublicKey(createPublicKey(privateKey)).toString('base64');
  let portal: Portal;
  let browser: Browser;
  let context: BrowserContext;
  let checkpoint: { treeSize: number; rootHash: string; note: string };
  const weights: Record<string, number> = {};
  const requests: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    [portal, browser] = await Promise.all([
      // The seed's events are all there before the service starts; with a one-second interval
      // the service signs one checkpoint of exactly them, and nothing in this spec writes.
      startPortal({
        AUDIT_SIGNING_KEY: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        AUDIT_CHECKPOINT_INTERVAL_SECONDS: '1',
      }),
      launchBrowser(),
    ]);
    const signed = await eventually(async () => {
      const res = await gqlPost(
        `${portal.base}/graphql`,
        '{ auditCheckpoint { treeSize rootHash note } }',
      );
      checkpoint = res.data?.auditCheckpoint;
      return Boolean(checkpoint);
    }, 20_000);
    expect(signed).toBe(true);
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    context.on('request', (request) => requests.push(request.url()));
    context.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    context.on('weberror', (error) => consoleErrors.push(String(error.error())));
  });
  afterAll(async () => {
    saveWeights('portal-transparency', weights);
    await browser?.close();
    await portal?.close();
  });

  it('shows the latest checkpoint, the key and the commands', async () => {
    const page = await expectGoodPage(
      context,
      `${portal.base}/transparency`,
      { name: 'transparency', status: 200, title: /Transparency/ },
      weights,
    );
    try {
      const text = (await page.textContent('main')) ?? '';
      expect(text).toContain(checkpoint.rootHash);
      expect(text).toContain(publishedKey);
      expect(text).toContain('localhost/positive-list-registry');
      const facts = await page.$$eval('dl.facts dd', (dds) => dds.map((dd) => dd.textContent));
      expect(facts[1]).toBe(String(checkpoint.treeSize));
      // The commands are the README's, to copy as they are.
      const commands = await page.$$eval('pre code', (codes) => codes.map((c) => c.textContent));
      expect(commands).toContain(
        'npm run cli -- verify-audit audit.ndjson --checkpoint checkpoint.json --public-key "$PUBLISHED_KEY"',
      );
      expect(commands).toContain(
        'npm run cli -- monitor --url "$URL" --public-key "$PUBLISHED_KEY" --state ~/registry-monitor.json',
      );
      expect(commands).toContain(checkpoint.note);
    } finally {
      await page.close();
    }
  });

  it('is translated', async () => {
    const page = await expectGoodPage(
      context,
      `${portal.base}/transparency?lang=es`,
      { name: 'transparency-es', status: 200, title: /Transparencia/, lang: 'es' },
      weights,
    );
    await page.close();
  });

  it('serves the checkpoint as a signed note that verifies against the key shown', async () => {
    const res = await fetch(`${portal.base}/transparency/checkpoint`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="checkpoint.txt"');
    const note = await res.text();
    expect(note).toBe(checkpoint.note);

    const keyRes = await fetch(`${portal.base}/transparency/public-key`);
    expect(keyRes.headers.get('content-disposition')).toMatch(/^attachment/);
    const key = (await keyRes.text()).trim();
    expect(key).toBe(publishedKey);

    // C2SP signed note: body, blank line, "— <origin> <base64(keyId || signature)>".
    const [body, signatures] = [
      note.slice(0, note.indexOf('\n\n') + 1),
      note.slice(note.indexOf('\n\n') + 2),
    ];
    const [origin, size, root] = body.split('\n');
    expect(Number(size)).toBe(checkpoint.treeSize);
    expect(Buffer.from(root, 'base64').toString('hex')).toBe(checkpoint.rootHash);
    const match = /^\u2014 (\S+) (\S+)\n$/.exec(signatures);
    expect(match?.[1]).toBe(origin);
    const blob = Buffer.from(match![2], 'base64');
    const raw = Buffer.from(key, 'base64');
    expect(blob.subarray(0, 4).toString('hex')).toBe(keyIdFor(origin, raw));
    expect(verify(null, Buffer.from(body), publicKeyFromRaw(raw), blob.subarray(4))).toBe(true);
  });

  it('says plainly when no checkpoint was signed yet', () => {
    const ctx = pageContext({ url: '/transparency', headers: {} } as FastifyRequest);
    const html = htmlDocument(TransparencyPage({ ctx, checkpoint: null, publicKey: undefined }));
    expect(html).toContain('No checkpoint has been signed yet');
    expect(html).not.toContain('/transparency/checkpoint');
  });

  it('opens GraphiQL at /graphql, served from the registry alone, and runs the first example', async () => {
    requests.length = 0;
    consoleErrors.length = 0;
    const page = await expectGoodPage(
      context,
      `${portal.base}/graphql`,
      {
        name: 'graphiql',
        status: 200,
        title: /API explorer/,
        heavy: true,
        // GraphiQL's own interface has serious axe-core violations we cannot fix from outside
        // (CodeMirror's unlabelled textareas, its tab list's nested buttons, the contrast of
        // its syntax colours); the page around it is still checked.
        axeExclude: '.graphiql-container',
      },
      weights,
    );
    try {
      await page.waitForSelector('.graphiql-container');
      await page.click('.graphiql-execute-button');
      await page.waitForFunction(() =>
        document.querySelector('.result-window')?.textContent?.includes('"GHA"'),
      );
      const result = (await page.textContent('.result-window')) ?? '';
      expect(result).toContain('"hostCountries"');
      // The schema comes from a file, not from an introspection query (see sendGraphiqlSchema).
      expect(requests).toContain(`${portal.base}/graphiql/schema.json`);
      expect(requests.filter((url) => !url.startsWith(portal.base))).toEqual([]);
      expect(consoleErrors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('answers API clients at /graphql exactly as before', async () => {
    const post = await fetch(`${portal.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/html, application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(post.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
    expect(await post.json()).toEqual({ data: { __typename: 'Query' } });

    const get = await fetch(`${portal.base}/graphql?query=${encodeURIComponent('{__typename}')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(get.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
    expect(await get.json()).toEqual({ data: { __typename: 'Query' } });

    const plain = await fetch(`${portal.base}/graphql`, {
      headers: { accept: 'application/json' },
    });
    expect(plain.headers.get('content-type')).not.toMatch(/text\/html/);
  });
});
