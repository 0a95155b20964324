import { execFile } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventHash } from '../../src/audit/audit-event';
import { toEventView } from '../../src/audit/audit.repository';
import { rawPublicKey, verifySignedNote } from '../../src/audit/checkpoint';
import { CheckpointRefusedError, CheckpointsService } from '../../src/audit/checkpoints.service';
import { verifyConsistency, verifyInclusion } from '../../src/audit/merkle-proofs';
import { ADMIN_KEY, TestApp, expectError } from '../support/test-app';
import { newSigningKeyPem, writeSomeHistory } from '../support/audit-fixtures';

const run = promisify(execFile);
const ORIGIN = 'registry.test/positive-lists';
const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');
const CHECKPOINTS = `query($first: Int, $after: String) { auditCheckpoints(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { treeSize rootHash note } } } }`;
const INCLUSION = `query($seq: Int!, $size: Int!) { auditInclusionProof(seq: $seq, treeSize: $size) { seq treeSize leafHash hashes } }`;
const CONSISTENCY = `query($from: Int!, $to: Int!) { auditConsistencyProof(fromSize: $from, toSize: $to) { fromSize toSize hashes } }`;
const VERIFY = '{ verifyAuditTrail { valid message problems { seq message } } }';

const hex = (h: string) => Buffer.from(h, 'hex');

/** Runs the compiled CLI; resolves with its exit code and output, whatever the code. */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, [CLI, ...args]).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

/** The service listening on a local port, for clients that speak HTTP (the monitor). */
async function listening(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** Makes `n` more audit events (registering sectors of a fresh country). */
async function moreHistory(t: TestApp, country: string): Promise<void> {
  await writeSomeHistory(t, [country]);
}

describe('audit proofs, checkpoints and the checkpoint rule', () => {
  const signingKeyPem = newSigningKeyPem();
  const publicKey = rawPublicKey(createPublicKey(signingKeyPem)).toString('base64');
  const dir = mkdtempSync(join(tmpdir(), 'plr-proofs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const start = (checkpointFile: string, extra: Record<string, string> = {}) =>
    TestApp.start({
      AUDIT_SIGNING_KEY: signingKeyPem,
      AUDIT_LOG_ORIGIN: ORIGIN,
      AUDIT_CHECKPOINT_INTERVAL_SECONDS: '0',
      AUDIT_CHECKPOINT_FILE: checkpointFile,
      ...extra,
    });

  describe('proofs against signed checkpoints', () => {
    let t: TestApp;
    const countries = [
      'GHA',
      'THA',
      'SGP',
      'KEN',
      'IDN',
      'PER',
      'CHL',
      'MAR',
      'NGA',
      'ZAF',
      'BRA',
      'MEX',
      'IND',
      'CHN',
      'VNM',
      'PHL',
      'COL',
    ];
    beforeAll(async () => {
      t = await start(join(dir, 'proofs.json'));
      await writeSomeHistory(t, countries.slice(0, 4));
      await t.app.get(CheckpointsService).checkpoint();
      await writeSomeHistory(t, countries.slice(4));
      await t.app.get(CheckpointsService).checkpoint();
    });
    afterAll(() => t.close());

    it('lists every signed checkpoint, newest first, with a C2SP note the pinned key verifies', async () => {
      const page1 = (await t.gql(CHECKPOINTS, { first: 1 })).data.auditCheckpoints;
      expect(page1.totalCount).toBe(2);
      expect(page1.pageInfo.hasNextPage).toBe(true);
      const page2 = (await t.gql(CHECKPOINTS, { first: 1, after: page1.pageInfo.endCursor })).data
        .auditCheckpoints;
      expect(page2.pageInfo.hasNextPage).toBe(false);
      const [newer, older] = [page1.edges[0].node, page2.edges[0].node];
      expect(newer.treeSize).toBe(await t.auditCount());
      expect(older.treeSize).toBeLessThan(newer.treeSize);
      for (const cp of [newer, older]) {
        const note = verifySignedNote(cp.note, publicKey);
        expect(note).toMatchObject({
          origin: ORIGIN,
          treeSize: cp.treeSize,
          rootHash: cp.rootHash,
        });
        expect(cp.note).toMatch(
          new RegExp(`\\n\\n\u2014 ${ORIGIN.replace('.', '\\.')} [A-Za-z0-9+/]{91}=\\n$`),
        );
      }
      // Another key, or a flipped signature byte, is refused.
      expect(() =>
        verifySignedNote(
          newer.note,
          rawPublicKey(createPublicKey(newSigningKeyPem())).toString('base64'),
        ),
      ).toThrow(/no signature by the trusted key/);
      const flipped = newer.note.replace(
        / ([A-Za-z0-9+/])([A-Za-z0-9+/]+=)\n$/,
        (_m: string, a: string, rest: string) => ` ${a === 'A' ? 'B' : 'A'}${rest}\n`,
      );
      expect(() => verifySignedNote(flipped, publicKey)).toThrow();
    });

    it('proves every event is in the signed tree, and the later tree extends the earlier', async () => {
      const edges = (await t.gql(CHECKPOINTS, {})).data.auditCheckpoints.edges;
      const [newer, older] = edges.map(
        (e: { node: { treeSize: number; rootHash: string } }) => e.node,
      );
      // Enough events that the stored tree nodes are used (16-leaf subtrees and up).
      expect(newer.treeSize).toBeGreaterThan(32);
      const [{ n }] = await t.sql(`SELECT count(*)::int AS n FROM audit_tree_node`);
      expect(n).toBeGreaterThan(0);
      for (let seq = 1; seq <= newer.treeSize; seq++) {
        const proof = (await t.gql(INCLUSION, { seq, size: newer.treeSize })).data
          .auditInclusionProof;
        const [{ hash }] = await t.sql(`SELECT hash FROM audit_event WHERE seq = $1`, [seq]);
        expect(proof.leafHash).toBe(hash);
        expect(
          verifyInclusion(
            seq - 1,
            newer.treeSize,
            hex(hash),
            proof.hashes.map(hex),
            hex(newer.rootHash),
          ),
        ).toBe(true);
        // The same path does not place the event anywhere else.
        if (newer.treeSize > 1)
          expect(
            verifyInclusion(
              seq % newer.treeSize,
              newer.treeSize,
              hex(hash),
              proof.hashes.map(hex),
              hex(newer.rootHash),
            ),
          ).toBe(false);
      }
      const consistency = (await t.gql(CONSISTENCY, { from: older.treeSize, to: newer.treeSize }))
        .data.auditConsistencyProof;
      expect(consistency).toMatchObject({ fromSize: older.treeSize, toSize: newer.treeSize });
      expect(
        verifyConsistency(
          older.treeSize,
          newer.treeSize,
          consistency.hashes.map(hex),
          hex(older.rootHash),
          hex(newer.rootHash),
        ),
      ).toBe(true);
      expect(
        verifyConsistency(
          older.treeSize,
          newer.treeSize,
          consistency.hashes.map(hex),
          hex(newer.rootHash),
          hex(newer.rootHash),
        ),
      ).toBe(false);
    });

    it('answers the same proofs from stored nodes as from the leaves alone', async () => {
      const size = await t.auditCount();
      const ask = async () => [
        (await t.gql(INCLUSION, { seq: 7, size })).data.auditInclusionProof.hashes,
        (await t.gql(CONSISTENCY, { from: 5, to: size })).data.auditConsistencyProof.hashes,
        (await t.gql(CONSISTENCY, { from: 16, to: size - 1 })).data.auditConsistencyProof.hashes,
      ];
      const indexed = await ask();
      await t.sql('DELETE FROM audit_tree_node');
      expect(await ask()).toEqual(indexed);
    });

    it('refuses impossible proofs with BAD_USER_INPUT naming the argument', async () => {
      const size = await t.auditCount();
      const beyond = expectError(
        await t.gql(INCLUSION, { seq: 1, size: size + 1 }),
        'BAD_USER_INPUT',
      );
      expect(beyond.extensions?.fields).toEqual([
        { field: 'treeSize', message: `must be at most ${size}, the log's size` },
      ]);
      const outside = expectError(await t.gql(INCLUSION, { seq: 5, size: 4 }), 'BAD_USER_INPUT');
      expect(outside.extensions?.fields?.[0].field).toBe('treeSize');
      expectError(await t.gql(INCLUSION, { seq: 0, size: 3 }), 'BAD_USER_INPUT');
      const backwards = expectError(await t.gql(CONSISTENCY, { from: 4, to: 3 }), 'BAD_USER_INPUT');
      expect(backwards.extensions?.fields?.[0].field).toBe('toSize');
      expectError(await t.gql(CONSISTENCY, { from: 0, to: 3 }), 'BAD_USER_INPUT');
      // Equal sizes: an empty proof, as RFC 6962 has it.
      expect(
        (await t.gql(CONSISTENCY, { from: size, to: size })).data.auditConsistencyProof.hashes,
      ).toEqual([]);
    });
  });

  describe('the checkpoint rule: never sign a history that does not extend the last signature', () => {
    it('refuses to sign a rewritten, re-hashed history whose checkpoints were deleted, and says so', async () => {
      const file = join(dir, 'drill.json');
      const t = await start(file);
      try {
        await writeSomeHistory(t, ['GHA', 'THA']);
        const signed = await t.app.get(CheckpointsService).checkpoint();
        expect(signed).not.toBeNull();
        const kept = JSON.parse(readFileSync(file, 'utf8'));
        expect(kept).toMatchObject({ treeSize: signed!.treeSize, rootHash: signed!.rootHash });
        const url = await listening(t);
        const state = join(dir, 'drill-monitor.json');
        expect(
          (await cli(['monitor', '--url', url, '--public-key', publicKey, '--state', state])).code,
        ).toBe(0);

        // The superuser rewrites event 2, re-hashes the chain, and removes every trace.
        await t.sql('ALTER TABLE audit_event DISABLE TRIGGER ALL');
        await t.sql('ALTER TABLE audit_checkpoint DISABLE TRIGGER ALL');
        const events = (await t.sql('SELECT * FROM audit_event ORDER BY seq')).map(toEventView);
        events[1].reason = 'a different story';
        for (let i = 1; i < events.length; i++) {
          events[i].prevHash = events[i - 1].hash;
          const { hash: _old, ...unsigned } = events[i];
          events[i].hash = eventHash(unsigned);
          await t.sql(
            'UPDATE audit_event SET reason = $1, prev_hash = $2, hash = $3 WHERE seq = $4',
            [events[i].reason, events[i].prevHash, events[i].hash, events[i].seq],
          );
        }
        await t.sql('DELETE FROM audit_checkpoint');
        await t.sql('DELETE FROM audit_tree_node');
        await moreHistory(t, 'SGP');

        // The service signs nothing, logs it on every attempt, and verifyAuditTrail reports it.
        const errorsBefore = t.logLines.filter((l) => l.includes('refusing to sign')).length;
        await expect(t.app.get(CheckpointsService).checkpoint()).rejects.toBeInstanceOf(
          CheckpointRefusedError,
        );
        await expect(t.app.get(CheckpointsService).checkpoint()).rejects.toThrow(
          /history was rewritten/,
        );
        expect(t.logLines.filter((l) => l.includes('refusing to sign')).length).toBe(
          errorsBefore + 2,
        );
        expect(await t.sql('SELECT * FROM audit_checkpoint')).toEqual([]);
        expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(kept);
        const verdict = (await t.gql(VERIFY, {}, ADMIN_KEY)).data.verifyAuditTrail;
        expect(verdict.valid).toBe(false);
        expect(verdict.problems).toContainEqual({
          seq: null,
          message: expect.stringMatching(
            /^checkpoint file: the log no longer matches the checkpoint of \d+ events this service signed/,
          ),
        });

        // A fresh start on that database, with that file, checks at once and logs it.
        const restarted = await TestApp.start(
          {
            AUDIT_SIGNING_KEY: signingKeyPem,
            AUDIT_LOG_ORIGIN: ORIGIN,
            AUDIT_CHECKPOINT_FILE: file,
          },
          undefined,
          t.db,
        );
        try {
          await waitFor(() => restarted.logLines.some((l) => l.includes('refusing to sign')));
        } finally {
          await restarted.app.close();
        }

        // An instance whose file was thrown away trusts the database and signs the forged
        // history; the monitor, which kept the earlier checkpoint, fails against it.
        const blank = await TestApp.start(
          {
            AUDIT_SIGNING_KEY: signingKeyPem,
            AUDIT_LOG_ORIGIN: ORIGIN,
            AUDIT_CHECKPOINT_INTERVAL_SECONDS: '0',
            AUDIT_CHECKPOINT_FILE: join(dir, 'thrown-away.json'),
          },
          undefined,
          t.db,
        );
        try {
          const resigned = await blank.app.get(CheckpointsService).checkpoint();
          expect(resigned!.treeSize).toBeGreaterThan(signed!.treeSize);
          const forgedUrl = await listening(blank);
          const caught = await cli([
            'monitor',
            '--url',
            forgedUrl,
            '--public-key',
            publicKey,
            '--state',
            state,
          ]);
          expect(caught.code).toBe(1);
          expect(caught.stdout).toMatch(
            /^INCONSISTENT: fork: the log of \d+ events does not extend the \d+ seen/,
          );
          // The state still holds the last good checkpoint, so every later run fails too.
          expect(JSON.parse(readFileSync(state, 'utf8')).rootHash).toBe(signed!.rootHash);
        } finally {
          await blank.app.close();
        }
      } finally {
        await t.close();
      }
    });

    it('puts back a deleted checkpoint from its file when the log still matches, and signs on', async () => {
      const file = join(dir, 'restore.json');
      const t = await start(file);
      try {
        await writeSomeHistory(t, ['GHA']);
        const first = await t.app.get(CheckpointsService).checkpoint();
        await t.sql('ALTER TABLE audit_checkpoint DISABLE TRIGGER ALL');
        await t.sql('DELETE FROM audit_checkpoint');
        const verdict = (await t.gql(VERIFY, {}, ADMIN_KEY)).data.verifyAuditTrail;
        expect(verdict.valid).toBe(true);
        await moreHistory(t, 'THA');
        const next = await t.app.get(CheckpointsService).checkpoint();
        expect(next!.treeSize).toBeGreaterThan(first!.treeSize);
        const rows = await t.sql(
          'SELECT tree_size, root_hash FROM audit_checkpoint ORDER BY tree_size',
        );
        expect(rows).toEqual([
          { tree_size: first!.treeSize, root_hash: first!.rootHash },
          { tree_size: next!.treeSize, root_hash: next!.rootHash },
        ]);
      } finally {
        await t.close();
      }
    });

    it("lets instances sharing a database take over each other's later checkpoints, consistently", async () => {
      const a = await start(join(dir, 'instance-a.json'));
      const b = await TestApp.start(
        {
          AUDIT_SIGNING_KEY: signingKeyPem,
          AUDIT_LOG_ORIGIN: ORIGIN,
          AUDIT_CHECKPOINT_INTERVAL_SECONDS: '0',
          AUDIT_CHECKPOINT_FILE: join(dir, 'instance-b.json'),
        },
        undefined,
        a.db,
      );
      try {
        await writeSomeHistory(a, ['GHA']);
        const one = await a.app.get(CheckpointsService).checkpoint();
        await writeSomeHistory(b, ['THA']);
        const two = await b.app.get(CheckpointsService).checkpoint();
        await writeSomeHistory(a, ['SGP']);
        const three = await a.app.get(CheckpointsService).checkpoint();
        expect([one!.treeSize < two!.treeSize, two!.treeSize < three!.treeSize]).toEqual([
          true,
          true,
        ]);
        expect(JSON.parse(readFileSync(join(dir, 'instance-a.json'), 'utf8')).treeSize).toBe(
          three!.treeSize,
        );
      } finally {
        await b.app.close();
        await a.close();
      }
    });
  });

  describe('the monitor CLI', () => {
    it('follows one registry, then fails on a second one forked from the same start', async () => {
      const a = await start(join(dir, 'fork-a.json'));
      const b = await start(join(dir, 'fork-b.json'));
      try {
        const [urlA, urlB] = [await listening(a), await listening(b)];
        const state = join(dir, 'fork-monitor.json');
        const watch = (url: string, key = publicKey) =>
          cli(['monitor', '--url', url, '--public-key', key, '--state', state]);
        await writeSomeHistory(a, ['GHA']);
        await a.app.get(CheckpointsService).checkpoint();
        const first = await watch(urlA);
        expect(first).toMatchObject({ code: 0 });
        expect(first.stdout).toMatch(/^OK: .* first checkpoint seen/);
        expect((await watch(urlA)).stdout).toMatch(/unchanged since/);
        await writeSomeHistory(a, ['THA']);
        await a.app.get(CheckpointsService).checkpoint();
        const grown = await watch(urlA);
        expect(grown).toMatchObject({ code: 0 });
        expect(grown.stdout).toMatch(/extends the \d+ events seen/);

        // The same key and origin, a different history: a fork, whatever its size.
        await writeSomeHistory(b, ['KEN', 'IDN', 'PER']);
        await b.app.get(CheckpointsService).checkpoint();
        const fork = await watch(urlB);
        expect(fork.code).toBe(1);
        expect(fork.stdout).toMatch(/^INCONSISTENT: fork/);

        // A checkpoint from a file works the same way; a smaller one is a rollback.
        const older = (await a.gql(CHECKPOINTS, {})).data.auditCheckpoints.edges[1].node.note;
        const noteFile = join(dir, 'note.txt');
        writeFileSync(noteFile, older);
        const rolledBack = await cli([
          'monitor',
          '--checkpoint',
          noteFile,
          '--public-key',
          publicKey,
          '--state',
          join(dir, 'fork-monitor.json'),
        ]);
        expect(rolledBack.code).toBe(1);
        expect(rolledBack.stdout).toMatch(
          /^INCONSISTENT: rollback: the log is at \d+ events, behind the \d+ seen/,
        );

        // Signed by another key: refused before anything else.
        const badKey = await watch(
          urlA,
          rawPublicKey(createPublicKey(newSigningKeyPem())).toString('base64'),
        );
        expect(badKey.code).toBe(1);
        expect(badKey.stdout).toMatch(/^INCONSISTENT: bad checkpoint signature/);

        // Nobody there: exit 2, state untouched.
        const before = readFileSync(state, 'utf8');
        const gone = await watch('http://127.0.0.1:9');
        expect(gone.code).toBe(2);
        expect(gone.stderr).toMatch(/could not fetch the checkpoint/);
        expect(readFileSync(state, 'utf8')).toBe(before);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
});

async function waitFor(condition: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
