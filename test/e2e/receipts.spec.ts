import { execFile } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CheckpointsService } from '../../src/audit/checkpoints.service';
import { rawPublicKey, signCheckpoint, signedNote } from '../../src/audit/checkpoint';
import { newSigningKeyPem } from '../support/audit-fixtures';
import { countryWithPeople, publishedVersion, solarEntry, today } from '../support/list-fixtures';
import { ADMIN_KEY, TestApp } from '../support/test-app';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');
const RECEIPT = 'receipt { body keyId publicKey signature }';

/** Signed eligibility receipts (docs/domain.md section 6), checked field by field and offline. */
describe('eligibility receipts', () => {
  const signingKeyPem = newSigningKeyPem();
  const configuredKey = rawPublicKey(createPublicKey(createPrivateKey(signingKeyPem))).toString(
    'base64',
  );
  const dir = mkdtempSync(join(tmpdir(), 'plr-receipts-'));
  let t: TestApp;
  let url: string;
  let versionId: string;

  beforeAll(async () => {
    t = await TestApp.start({
      AUDIT_SIGNING_KEY: signingKeyPem,
      AUDIT_LOG_ORIGIN: 'registry.example.gov/positive-lists',
    });
    const people = await countryWithPeople(t, 'GHA');
    ({ versionId } = await publishedVersion(t, people, 'GHA', [solarEntry()]));
    await t.app.get(CheckpointsService).checkpoint();
    await t.app.listen(0, '127.0.0.1');
    url = `${await t.app.getUrl()}/graphql`.replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ask = () =>
    t.gql(
      `query($q: EligibilityQuery!) { checkEligibility(query: $q) { status on listVersion { id version contentDigest }
         matches { entry { key } status baselineValue } ${RECEIPT} } auditCheckpoint { treeSize rootHash } }`,
      {
        q: {
          hostCountry: 'GHA',
          activityKey: 'GHA-SOLAR-UTILITY',
          parameters: [
            { name: 'region', text: 'Northern' },
            { name: 'capacityMW', number: 12 },
          ],
          baselineYear: 2030,
        },
      },
    );
  const cli = (...args: string[]) =>
    run(process.execPath, [CLI, 'verify-receipt', ...args]).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  it('states the question as asked, the answer, the version and its digest, and the latest checkpoint', async () => {
    const res = await ask();
    expect(res.errors).toBeUndefined();
    const answer = res.data.checkEligibility;
    const receipt = answer.receipt;
    expect(receipt.publicKey).toBe(configuredKey);
    const body = JSON.parse(receipt.body);
    expect(body).toEqual({
      origin: 'registry.example.gov/positive-lists',
      issuedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      query: {
        hostCountry: 'GHA',
        activityKey: 'GHA-SOLAR-UTILITY',
        technology: null,
        sectorCode: null,
        methodology: null,
        on: today(),
        // sorted by name
        parameters: [
          { name: 'capacityMW', number: 12, text: null },
          { name: 'region', number: null, text: 'Northern' },
        ],
        baselineYear: 2030,
      },
      status: answer.status,
      listVersion: { id: versionId, version: 1, contentDigest: answer.listVersion.contentDigest },
      matches: answer.matches.map(
        (m: { entry: { key: string }; status: string; baselineValue: number }) => ({
          key: m.entry.key,
          status: m.status,
          baselineValue: m.baselineValue,
        }),
      ),
      checkpoint: res.data.auditCheckpoint,
    });
    expect(body.status).toBe('ELIGIBLE');
    expect(body.matches).toEqual([
      { key: 'GHA-SOLAR-UTILITY', status: 'ELIGIBLE', baselineValue: 0.684712835928 },
    ]);
    expect(answer.listVersion.contentDigest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('verifies offline with the pinned key, and against the live registry', async () => {
    const { receipt } = (await ask()).data.checkEligibility;
    const path = file('receipt.json', receipt);
    const ok = await cli(path, '--public-key', configuredKey);
    expect(ok).toEqual({
      code: 0,
      stdout: expect.stringMatching(
        /^OK: receipt signed by key [0-9a-f]{8} \(the pinned key\); version 1 with digest [0-9a-f]{64}\n$/,
      ),
    });
    const live = await cli(path, '--public-key', configuredKey, '--registry', url);
    expect(live.code).toBe(0);
    expect(live.stdout).toContain(
      "the registry still publishes that content; its latest signed checkpoint is the receipt's",
    );
    // The log grows and a later checkpoint is signed: it provably extends the receipt's.
    await t.gql(
      `mutation($i: UpsertNdcSectorInput!) { upsertNdcSector(input: $i) { code } }`,
      {
        i: {
          hostCountry: 'GHA',
          code: 'WASTE',
          name: 'Waste',
          ipccSector: 'WASTE',
          ipccCategories: ['4.A'],
          reason: 'a later change',
        },
      },
      ADMIN_KEY,
    );
    const later = await t.app.get(CheckpointsService).checkpoint();
    const cited = JSON.parse(receipt.body).checkpoint;
    expect(later!.treeSize).toBeGreaterThan(cited.treeSize);
    const grown = await cli(path, '--public-key', configuredKey, '--registry', url);
    expect(grown.code).toBe(0);
    expect(grown.stdout).toContain(
      `its latest signed checkpoint (${later!.treeSize} events) provably extends the receipt's (${cited.treeSize})`,
    );
    // Without a pin it says plainly what it did not check.
    expect((await cli(path)).stdout).toContain('signature not checked against a trusted key');
  });

  it("refuses against a registry whose later signed checkpoint does not extend the receipt's", async () => {
    const { receipt } = (await ask()).data.checkEligibility;
    const cited = JSON.parse(receipt.body).checkpoint;
    // A registry that signed (with its real key) a history of its own: another root, larger.
    const forged = signCheckpoint(
      createPrivateKey(signingKeyPem),
      'registry.example.gov/positive-lists',
      cited.treeSize + 3,
      'ab'.repeat(32),
      new Date(),
    );
    const liveProof = (
      await t.gql(
        `query($f: Int!, $t: Int!) { auditConsistencyProof(fromSize: $f, toSize: $t) { hashes } }`,
        { f: cited.treeSize, t: cited.treeSize },
      )
    ).data.auditConsistencyProof.hashes;
    const server = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        const query = (JSON.parse(text) as { query: string }).query;
        const data = query.includes('auditConsistencyProof')
          ? { auditConsistencyProof: { hashes: [...liveProof, 'cd'.repeat(32)] } }
          : {
              listVersion: { contentDigest: JSON.parse(receipt.body).listVersion.contentDigest },
              auditCheckpoint: { ...forged, note: signedNote(forged) },
            };
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ data }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const caught = await cli(
        file('forked.json', receipt),
        '--public-key',
        configuredKey,
        '--registry',
        `http://127.0.0.1:${port}`,
      );
      expect(caught.code).toBe(1);
      expect(caught.stdout).toMatch(
        /^INVALID: the registry's log of \d+ events does not extend the receipt's checkpoint of \d+ \(the consistency proof fails\)/,
      );
    } finally {
      server.close();
    }
  });

  it('refuses a receipt with one byte changed, or signed by another key, and says why', async () => {
    const { receipt } = (await ask()).data.checkEligibility;
    const edited = { ...receipt, body: receipt.body.replace('"ELIGIBLE"', '"ELIGIBLF"') };
    expect(await cli(file('edited.json', edited), '--public-key', configuredKey)).toEqual({
      code: 1,
      stdout:
        'INVALID: signature does not verify: the body was changed or signed with another key\n',
    });
    const otherKey = rawPublicKey(createPublicKey(createPrivateKey(newSigningKeyPem()))).toString(
      'base64',
    );
    expect(await cli(file('good.json', receipt), '--public-key', otherKey)).toEqual({
      code: 1,
      stdout: 'INVALID: signed by a key other than the pinned one\n',
    });
    const unreachable = await cli(
      file('good2.json', receipt),
      '--registry',
      'http://127.0.0.1:9/graphql',
    );
    expect(unreachable.code).toBe(2);
  });

  it('gives every answer of a batch its own receipt', async () => {
    const res = await t.gql(
      `query($qs: [EligibilityQuery!]!) { checkEligibilityBatch(queries: $qs) { hostCountry status ${RECEIPT} } }`,
      {
        qs: [
          {
            hostCountry: 'GHA',
            technology: 'solar PV',
            parameters: [{ name: 'capacityMW', number: 60 }],
          },
          { hostCountry: 'GHA', sectorCode: 'ENERGY' },
        ],
      },
    );
    expect(res.errors).toBeUndefined();
    const bodies = res.data.checkEligibilityBatch.map((r: { receipt: { body: string } }) =>
      JSON.parse(r.receipt.body),
    );
    expect(
      bodies.map((b: { status: string; query: { technology: string | null } }) => [
        b.status,
        b.query.technology,
      ]),
    ).toEqual([
      [res.data.checkEligibilityBatch[0].status, 'solar PV'],
      [res.data.checkEligibilityBatch[1].status, null],
    ]);
  });

  it('is null where the registry has no signing key', async () => {
    const unsigned = await TestApp.start();
    try {
      const res = await unsigned.gql(
        `{ checkEligibility(query: { hostCountry: "GHA", sectorCode: "ENERGY" }) { ${RECEIPT} } }`,
      );
      // GHA is not registered there: the question is refused before any receipt is made.
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      await countryWithPeople(unsigned, 'GHA');
      const again = await unsigned.gql(
        `{ checkEligibility(query: { hostCountry: "GHA", sectorCode: "ENERGY" }) { status ${RECEIPT} } }`,
      );
      expect(again.data.checkEligibility).toEqual({ status: 'NO_LIST_IN_FORCE', receipt: null });
    } finally {
      await unsigned.close();
    }
  });
});
