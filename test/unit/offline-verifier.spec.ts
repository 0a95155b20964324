import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawPublicKey, signCheckpoint } from '../../src/audit/checkpoint';
import { merkleRoot } from '../../src/audit/merkle';
import { OfflineOptions, verifyAuditFile } from '../../src/audit/offline-verifier';
import { chainOf, exportLines } from '../support/event-chain';

const ALTERED = 'hash does not match the event content: the event was altered';
const ORIGIN = 'registry.test/positive-lists';

describe('verifyAuditFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plr-offline-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let files = 0;
  const file = (content: string | Buffer) => {
    const path = join(dir, `export-${(files += 1)}.ndjson`);
    writeFileSync(path, content);
    return path;
  };
  const ndjson = (lines: string[]) => lines.join('\n') + '\n';

  const events = chainOf(30);
  const lines = exportLines(events);
  const hashes = events.map((e) => e.hash);
  const publisher = generateKeyPairSync('ed25519').privateKey;
  const publisherKey = rawPublicKey(createPublicKey(publisher)).toString('base64');
  const attacker = generateKeyPairSync('ed25519').privateKey;
  const checkpointOf = (size: number, key = publisher) =>
    signCheckpoint(key, ORIGIN, size, merkleRoot(hashes.slice(0, size)), new Date());
  const verify = (content: string | Buffer, options?: OfflineOptions) =>
    verifyAuditFile(file(content), options);

  it('accepts the export, and gives the root of the whole file to compare with a checkpoint', async () => {
    const root = merkleRoot(hashes);
    const verdict = await verify(ndjson(lines));
    expect(verdict).toEqual({
      ok: true,
      eventsChecked: 30,
      problems: [],
      problemCount: 0,
      rootHash: root,
      message: `OK: 30 events, head ${hashes[29]}; no checkpoint given: signature not checked against a trusted key, and removal of the newest events cannot be detected; Merkle root of all 30 events: ${root} (base64 ${Buffer.from(root, 'hex').toString('base64')}), to compare with a published checkpoint of 30 events`,
    });
  });

  it('accepts a last line without a line feed', async () => {
    expect((await verify(lines.join('\n'))).ok).toBe(true);
  });

  it('says a checkpoint matched and whether its key was the pinned one', async () => {
    const checkpoint = checkpointOf(25);
    const pinned = await verify(ndjson(lines), { checkpoint, trustedPublicKey: publisherKey });
    expect(pinned).toMatchObject({ ok: true, problems: [] });
    expect(pinned.message).toBe(
      `OK: 30 events, head ${hashes[29]}; checkpoint of 25 events matches and is signed by the pinned key ${checkpoint.keyId}; the 5 newer events are vouched for by their hashes and links only`,
    );
    const unpinned = await verify(ndjson(lines), { checkpoint: checkpointOf(30) });
    expect(unpinned.message).toBe(
      `OK: 30 events, head ${hashes[29]}; checkpoint of 30 events matches; signature not checked against a trusted key (only against the key inside the checkpoint; pin the publisher's key with --public-key)`,
    );
  });

  it('lists every problem in the file, each with its line, and goes on to the end', async () => {
    const mangled = [...lines];
    // line 3: a canonical edit; line 8: a non-canonical one; line 12: not JSON; line 17:
    // a duplicate key; line 20 removed; line 26: changes [null]; line 29: an edit.
    mangled[2] = mangled[2].replace('"entityId":"sector-3"', '"entityId":"sector-99"');
    mangled[7] = mangled[7].replace('"action":"UPDATE"', '"action": "UPDATE"');
    mangled[11] = mangled[11].slice(0, 100);
    mangled[16] = mangled[16].replace('"reason":', '"reason":"forged","reason":');
    mangled[25] = mangled[25].replace(
      /"changes":\[.*?\],"entityId"/,
      '"changes":[null],"entityId"',
    );
    mangled[28] = mangled[28].replace('"role":"OFFICIAL"', '"role":"ADMIN"');
    mangled.splice(19, 1);
    const verdict = await verify(ndjson(mangled), {
      checkpoint: checkpointOf(30),
      trustedPublicKey: publisherKey,
    });
    expect(verdict.problems).toEqual([
      { seq: 3, message: `line 3: event 3: ${ALTERED}` },
      {
        seq: 8,
        message: expect.stringMatching(/^line 8: event 8: is not in the RFC 8785 canonical form/),
      },
      { seq: null, message: 'line 12: is not valid JSON (truncated or edited?)' },
      { seq: 17, message: expect.stringMatching(/^line 17: event 17: has the key "reason" twice/) },
      {
        seq: 21,
        message: 'line 20: event 21: expected seq 20 but found 21: events are missing before it',
      },
      { seq: 26, message: 'line 25: event 26: field changes[0] must be an object' },
      { seq: 29, message: `line 28: event 29: ${ALTERED}` },
      {
        seq: null,
        message:
          'the checkpoint covers 30 events but the file ends after 28 (line 29): events are missing from the end',
      },
    ]);
    expect(verdict).toMatchObject({
      ok: false,
      eventsChecked: 28,
      problemCount: 8,
      message: `line 3: event 3: ${ALTERED} (8 problems in all)`,
    });
  });

  it('counts every problem and lists up to the limit', async () => {
    const all = lines.map((l) => l.replace('"action":"UPDATE"', '"action":"CREATE"'));
    const verdict = await verify(ndjson(all), { listLimit: 4 });
    expect(verdict.problemCount).toBe(30);
    expect(verdict.problems.map((p) => p.seq)).toEqual([1, 2, 3, 4]);
    expect(verdict.message).toBe(`line 1: event 1: ${ALTERED} (30 problems, first 4 listed)`);
  });

  it('reports a checkpoint signed by another key and still checks the whole file', async () => {
    const mangled = [...lines];
    mangled[9] = mangled[9].replace('"entityType":"NdcSector"', '"entityType":"Other"');
    const verdict = await verify(ndjson(mangled), {
      checkpoint: checkpointOf(30, attacker),
      trustedPublicKey: publisherKey,
    });
    expect(verdict).toMatchObject({
      ok: false,
      eventsChecked: 30,
      problems: [
        {
          seq: null,
          message: 'checkpoint: checkpoint is signed by a key other than the trusted one',
        },
        { seq: 10, message: `line 10: event 10: ${ALTERED}` },
      ],
    });
  });

  it('reports a root that differs from the checkpoint, with or without a pinned key', async () => {
    const other = { ...checkpointOf(30), rootHash: merkleRoot(hashes.slice(1)) };
    const verdict = await verify(ndjson(lines), { checkpoint: other });
    expect(verdict.problems).toContainEqual({
      seq: null,
      message:
        'the Merkle root of events 1..30 differs from the checkpoint: the history was rewritten',
    });
    expect(verdict.ok).toBe(false);
  });

  it.each([
    ['an empty file', '', ['the file holds no events']],
    [
      'a file of line feeds',
      '\n\n',
      ['line 1: is empty', 'line 2: is empty', 'the file holds no events'],
    ],
    [
      'a byte order mark',
      `\ufeff${ndjson(lines.slice(0, 2))}`,
      ['line 1: starts with a byte order mark (U+FEFF), which the export never writes'],
    ],
    [
      'CRLF line ends',
      lines.slice(0, 2).join('\r\n') + '\r\n',
      [
        expect.stringMatching(/^line 1: ends in a carriage return/),
        expect.stringMatching(/^line 2: ends in a carriage return/),
        'the file holds no events',
      ],
    ],
    [
      'a truncated last line',
      ndjson(lines).slice(0, -60),
      ['line 30: is not valid JSON (truncated or edited?)'],
    ],
  ])('gives a verdict on %s', async (_label, content, messages) => {
    const verdict = await verify(content);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems.map((p) => p.message)).toEqual(messages);
  });

  it('gives a verdict, never an exception, on arbitrary bytes', async () => {
    let seed = 7;
    const noise = Buffer.alloc(200_000);
    for (let i = 0; i < noise.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      // Mostly JSON-ish characters, line feeds and high bytes.
      const alphabet = '{}[]",:0123456789eE+-.\\u \n\x00\xff\xc3\xa9abc';
      noise[i] = alphabet.charCodeAt(seed % alphabet.length);
    }
    const verdict = await verify(noise);
    expect(verdict.ok).toBe(false);
    expect(verdict.problemCount).toBeGreaterThan(0);
  });

  it('reads lines that cross the boundaries of the chunks it reads', async () => {
    // About 3 MB: lines straddle the 1 MiB reads, and one line in the middle is not UTF-8.
    const many = exportLines(chainOf(4000));
    const bytes = Buffer.from(ndjson(many), 'utf8');
    const line2500 = bytes.indexOf(many[2499]);
    bytes[line2500 + 30] = 0xfe;
    const verdict = await verify(bytes);
    expect(verdict).toMatchObject({
      ok: false,
      eventsChecked: 3999,
      problems: [{ seq: null, message: 'line 2500: is not valid UTF-8' }],
    });
    expect((await verify(ndjson(many))).eventsChecked).toBe(4000);
  });

  it('skips a line too long to be an event and goes on after it', async () => {
    const long = `${lines[0].slice(0, -1)}${' '.repeat(3_000_000)}}`;
    const verdict = await verify(ndjson([long, ...lines.slice(1)]), { maxLineBytes: 100_000 });
    expect(verdict).toMatchObject({
      ok: false,
      eventsChecked: 29,
      problems: [{ seq: null, message: 'line 1: is longer than 100000 bytes: not an audit event' }],
    });
  });

  it('rejects when the file cannot be read at all (the CLI exits 2)', async () => {
    await expect(verifyAuditFile(join(dir, 'missing.ndjson'))).rejects.toThrow(/ENOENT/);
    await expect(verifyAuditFile(dir)).rejects.toThrow(/EISDIR/);
  });
});
