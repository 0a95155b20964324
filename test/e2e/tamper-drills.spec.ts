import { execFile } from 'node:child_process';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AuditEventView, eventHash, exportedEvent } from '../../src/audit/audit-event';
import { toEventView } from '../../src/audit/audit.repository';
import { ChainVerifier } from '../../src/audit/chain-verifier';
import { CheckpointsService } from '../../src/audit/checkpoints.service';
import { CheckpointView, keyIdFor, rawPublicKey, signCheckpoint } from '../../src/audit/checkpoint';
import { merkleRoot } from '../../src/audit/merkle';
import { verifyAuditFile } from '../../src/audit/offline-verifier';
import { ADMIN_KEY, TestApp } from '../support/test-app';
import {
  CHECKPOINT_FIELDS,
  exportAudit,
  newSigningKeyPem,
  writeSomeHistory,
} from '../support/audit-fixtures';

const run = promisify(execFile);
/** What the service's checkpoint file says of a history that no longer extends its last signature. */
const REWRITTEN_PER_FILE =
  /^checkpoint file: the log no longer matches the checkpoint of \d+ events this service signed \(root [0-9a-f]{64}\): its history was rewritten$/;
const ORIGIN = 'registry.test/positive-lists';
const VERIFY =
  '{ verifyAuditTrail { valid eventsChecked firstInvalidSeq message problems { seq listVersionId message } } }';
/** A problem as verifyAuditTrail lists it: about an event (or none), never a list version. */
const problem = (seq: number | null, message: string | RegExp) => ({
  seq,
  listVersionId: null,
  message: typeof message === 'string' ? message : expect.stringMatching(message),
});

/** A service with a history of 9+ events, a signed checkpoint of all of them, and its export. */
async function loggedService(signingKeyPem: string) {
  const t = await TestApp.start({
    AUDIT_SIGNING_KEY: signingKeyPem,
    AUDIT_LOG_ORIGIN: ORIGIN,
    AUDIT_CHECKPOINT_INTERVAL_SECONDS: '0',
  });
  await writeSomeHistory(t);
  await t.app.get(CheckpointsService).checkpoint();
  const checkpoint: CheckpointView = (await t.gql(`{ auditCheckpoint { ${CHECKPOINT_FIELDS} } }`))
    .data.auditCheckpoint;
  const res = await exportAudit(t, ADMIN_KEY);
  return { t, checkpoint, ndjson: res.body as string };
}

/**
 * What a careful forger does after editing event `from` (0-based): gives it and every later
 * event a fresh hash and the next one's prevHash, with the project's own canonical form, so
 * that every hash and every link checks out again. Only a checkpoint's root can tell.
 */
function rehashFrom(events: AuditEventView[], from: number): AuditEventView[] {
  const out = events.map((e) => ({ ...e }));
  for (let i = from; i < out.length; i++) {
    if (i > 0) out[i].prevHash = out[i - 1].hash;
    const { hash: _old, ...unsigned } = out[i];
    out[i].hash = eventHash(unsigned);
  }
  return out;
}

/** Whether a sequence of events passes every per-event check (seq, link, hash). */
function chainHolds(events: AuditEventView[]): boolean {
  const verifier = new ChainVerifier();
  return events.every((e) => verifier.check(e)) && verifier.verdict().valid;
}

/** Tampering as the database superuser: the append-only triggers must be switched off first. */
async function asSuperuser(t: TestApp, ...statements: string[]) {
  await t.sql('ALTER TABLE audit_event DISABLE TRIGGER ALL');
  await t.sql('ALTER TABLE audit_checkpoint DISABLE TRIGGER ALL');
  for (const statement of statements) await t.sql(statement);
}

describe('tamper drills', () => {
  const signingKeyPem = newSigningKeyPem();
  /** The publisher's key as a verifier pins it: derived from the key the service was given. */
  const publisherKey = rawPublicKey(createPublicKey(signingKeyPem));
  const attackerKey = generateKeyPairSync('ed25519').privateKey;
  const dir = mkdtempSync(join(tmpdir(), 'plr-drills-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('on the database, found by verifyAuditTrail', () => {
    let t: TestApp;
    let head: number;
    beforeEach(async () => {
      ({ t } = await loggedService(signingKeyPem));
      head = await t.auditCount();
      expect((await t.gql(VERIFY, {}, ADMIN_KEY)).data.verifyAuditTrail.valid).toBe(true);
    });
    afterEach(() => t.close());

    it('finds one changed field, as one problem, and checks the rest of the log', async () => {
      await asSuperuser(t, `UPDATE audit_event SET reason = 'nothing to see here' WHERE seq = 3`);
      expect((await t.gql(VERIFY, {}, ADMIN_KEY)).data.verifyAuditTrail).toEqual({
        valid: false,
        eventsChecked: head,
        firstInvalidSeq: 3,
        message: 'event 3: hash does not match the event content: the event was altered',
        problems: [
          problem(3, 'event 3: hash does not match the event content: the event was altered'),
        ],
      });
    });

    it('finds two changed events far apart, both of them', async () => {
      await asSuperuser(
        t,
        `UPDATE audit_event SET reason = 'nothing to see here' WHERE seq = 2`,
        `UPDATE audit_event SET entity_id = 'elsewhere' WHERE seq = ${head - 1}`,
      );
      const altered = 'hash does not match the event content: the event was altered';
      expect((await t.gql(VERIFY, {}, ADMIN_KEY)).data.verifyAuditTrail).toEqual({
        valid: false,
        eventsChecked: head,
        firstInvalidSeq: 2,
        message: `event 2: ${altered} (2 problems in all)`,
        problems: [
          problem(2, `event 2: ${altered}`),
          problem(head - 1, `event ${head - 1}: ${altered}`),
        ],
      });
    });

    it('finds a deleted middle event, and that the log no longer reaches its checkpoint', async () => {
      await asSuperuser(t, `DELETE FROM audit_event WHERE seq = 4`);
      expect((await t.gql(VERIFY, {}, ADMIN_KEY)).data.verifyAuditTrail).toEqual({
        valid: false,
        eventsChecked: head - 1,
        firstInvalidSeq: 5,
        message:
          'event 5: expected seq 4 but found 5: events are missing before it (3 problems in all)',
        problems: [
          problem(5, 'event 5: expected seq 4 but found 5: events are missing before it'),
          problem(
            head,
            `checkpoint of ${head} events was signed but the log ends at ${head - 1}: events were removed from the end`,
          ),
          // The service's own file of its last signature sees it too (and would sign nothing).
          problem(
            null,
            `checkpoint file: the log cannot be checked against the checkpoint of ${head} events this service signed: the audit log or its tree index lacks hashes a proof needs`,
          ),
        ],
      });
    });

    it('finds a deleted tail through the signed checkpoint', async () => {
      await asSuperuser(t, `DELETE FROM audit_event WHERE seq > ${head - 2}`);
      const message = `checkpoint of ${head} events was signed but the log ends at ${head - 2}: events were removed from the end`;
      expect((await t.gql(VERIFY, {}, ADMIN_KEY)).data.verifyAuditTrail).toEqual({
        valid: false,
        eventsChecked: head - 2,
        firstInvalidSeq: head - 1,
        message: `${message} (2 problems in all)`,
        problems: [
          problem(head - 1, message),
          problem(
            null,
            `checkpoint file: the log holds ${head - 2} events but this service signed a checkpoint of ${head}: events were removed`,
          ),
        ],
      });
    });

    it('finds two reordered events', async () => {
      await asSuperuser(
        t,
        `UPDATE audit_event SET seq = 1000000 WHERE seq = 4`,
        `UPDATE audit_event SET seq = 4 WHERE seq = 5`,
        `UPDATE audit_event SET seq = 5 WHERE seq = 1000000`,
      );
      const verdict = (await t.gql(VERIFY, {}, ADMIN_KEY)).data.verifyAuditTrail;
      expect(verdict).toMatchObject({ valid: false, eventsChecked: head, firstInvalidSeq: 4 });
      // Both moved events fail their link and their hash (seq is hashed); the event after
      // them links to what is now stored at 5; the signed root is over the old order.
      const altered = 'hash does not match the event content: the event was altered';
      expect(verdict.problems).toEqual([
        problem(
          4,
          `event 4: prevHash does not equal the hash of event 3: the chain is broken; ${altered}`,
        ),
        problem(
          5,
          `event 5: prevHash does not equal the hash of event 4: the chain is broken; ${altered}`,
        ),
        problem(6, 'event 6: prevHash does not equal the hash of event 5: the chain is broken'),
        problem(
          null,
          `checkpoint of ${head} events does not match the events: the log was rewritten`,
        ),
        problem(null, REWRITTEN_PER_FILE),
      ]);
      expect(verdict.message).toBe(`${verdict.problems[0].message} (5 problems in all)`);
    });

    it('finds an edited event whose chain was re-hashed from there on, by the signed checkpoint root', async () => {
      const stored = async () =>
        (await t.sql(`SELECT * FROM audit_event ORDER BY seq`)).map(toEventView);
      const events = await stored();
      expect(events).toHaveLength(head);
      events[2].reason = 'nothing to see here';
      const forged = rehashFrom(events, 2);
      await asSuperuser(t);
      for (const e of forged.slice(2)) {
        await t.sql(
          `UPDATE audit_event SET reason = $1, prev_hash = $2, hash = $3 WHERE seq = $4`,
          [e.reason, e.prevHash, e.hash, e.seq],
        );
      }
      // What is stored now passes every per-event check: seq, link and hash...
      const rewritten = await stored();
      expect(rewritten.map((e) => e.hash)).toEqual(forged.map((e) => e.hash));
      expect(rewritten[2].reason).toBe('nothing to see here');
      expect(chainHolds(rewritten)).toBe(true);
      // ...so only the signed checkpoint's root, which no longer matches, gives it away.
      const message = `checkpoint of ${head} events does not match the events: the log was rewritten`;
      expect((await t.gql(VERIFY, {}, ADMIN_KEY)).data.verifyAuditTrail).toEqual({
        valid: false,
        eventsChecked: head,
        firstInvalidSeq: null,
        message: `${message} (2 problems in all)`,
        problems: [problem(null, message), problem(null, REWRITTEN_PER_FILE)],
      });
    });

    it('finds a checkpoint re-signed with another key', async () => {
      const [row] = await t.sql(`SELECT tree_size, root_hash FROM audit_checkpoint`);
      const forged = signCheckpoint(
        attackerKey,
        ORIGIN,
        Number(row.tree_size),
        row.root_hash,
        new Date(),
      );
      await asSuperuser(
        t,
        `DELETE FROM audit_checkpoint`,
        `INSERT INTO audit_checkpoint VALUES (${forged.treeSize}, '${forged.rootHash}', now(), '${forged.keyId}', '${forged.publicKey}', '${forged.signature}', '${forged.body.replace(/\n/g, "' || chr(10) || '")}', '{"size":0,"nodes":[]}')`,
      );
      const message = `checkpoint of ${forged.treeSize} events: checkpoint is signed by a key other than the trusted one`;
      expect((await t.gql(VERIFY, {}, ADMIN_KEY)).data.verifyAuditTrail).toEqual({
        valid: false,
        eventsChecked: head,
        firstInvalidSeq: null,
        message,
        problems: [problem(null, message)],
      });
    });
  });

  describe('on an exported file, found by the offline verifier', () => {
    let lines: string[];
    let checkpoint: CheckpointView;
    const file = (name: string, content: string[] | string) => {
      const path = join(dir, name);
      writeFileSync(path, Array.isArray(content) ? content.join('\n') + '\n' : content);
      return path;
    };

    beforeAll(async () => {
      const logged = await loggedService(signingKeyPem);
      await logged.t.close();
      lines = logged.ndjson.trimEnd().split('\n');
      checkpoint = logged.checkpoint;
      expect(checkpoint.treeSize).toBe(lines.length);
    });

    /** Verifies with the publisher's key pinned (the configured one, not the checkpoint's). */
    const verify = (path: string, cp: CheckpointView | undefined = checkpoint) =>
      verifyAuditFile(path, { checkpoint: cp, trustedPublicKey: publisherKey.toString('base64') });

    /** The export with event 3's reason edited and the chain re-hashed from there on. */
    const rehashedExport = () => {
      const events = lines.map((l) => JSON.parse(l) as AuditEventView);
      events[2].reason = 'rewritten';
      return rehashFrom(events, 2);
    };
    const rootRewritten = () =>
      `the Merkle root of events 1..${lines.length} differs from the checkpoint: the history was rewritten`;

    it('accepts the untouched export', async () => {
      expect((await verify(file('clean.ndjson', lines))).ok).toBe(true);
    });

    const messagesOf = (verdict: { problems: { message: string }[] }) =>
      verdict.problems.map((p) => p.message);
    const altered = 'hash does not match the event content: the event was altered';
    const shortOf = (events: number, line: number) =>
      `the checkpoint covers ${lines.length} events but the file ends after ${events} (line ${line}): events are missing from the end`;

    it('finds one changed field', async () => {
      const edited = [...lines];
      edited[2] = edited[2].replace(/"reason":"[^"]*"/, '"reason":"nothing to see here"');
      expect(await verify(file('edited.ndjson', edited))).toMatchObject({
        ok: false,
        eventsChecked: lines.length,
        message: `line 3: event 3: ${altered}`,
        problems: [{ seq: 3, message: `line 3: event 3: ${altered}` }],
      });
    });

    it('finds every edited line, each once, not only the first', async () => {
      const edited = [...lines];
      expect(lines.length).toBeGreaterThanOrEqual(7);
      edited[1] = edited[1].replace(/"entityId":"[^"]*"/, '"entityId":"elsewhere"');
      edited[4] = edited[4].replace(/"entityId":"[^"]*"/, '"entityId":"elsewhere"');
      edited[6] = edited[6].replace('{"action"', '{ "action"');
      const verdict = await verify(file('edited-many.ndjson', edited));
      expect(messagesOf(verdict)).toEqual([
        `line 2: event 2: ${altered}`,
        `line 5: event 5: ${altered}`,
        expect.stringMatching(/^line 7: event 7: is not in the RFC 8785 canonical form/),
      ]);
      expect(verdict).toMatchObject({ ok: false, eventsChecked: lines.length, problemCount: 3 });
    });

    it('finds a deleted middle event, and that the file no longer reaches the checkpoint', async () => {
      const cut = lines.filter((_, i) => i !== 3);
      const verdict = await verify(file('middle.ndjson', cut));
      expect(messagesOf(verdict)).toEqual([
        'line 4: event 5: expected seq 4 but found 5: events are missing before it',
        shortOf(lines.length - 1, lines.length - 1),
      ]);
      expect(verdict.message).toBe(
        'line 4: event 5: expected seq 4 but found 5: events are missing before it (2 problems in all)',
      );
    });

    it('finds a deleted tail, given the checkpoint', async () => {
      const cut = lines.slice(0, -2);
      const verdict = await verify(file('tail.ndjson', cut));
      expect(messagesOf(verdict)).toEqual([shortOf(lines.length - 2, lines.length - 2)]);
      expect(verdict.message).toBe(shortOf(lines.length - 2, lines.length - 2));
    });

    it('finds reordered lines, each of them, and the root they no longer give', async () => {
      const swapped = [...lines];
      [swapped[3], swapped[4]] = [swapped[4], swapped[3]];
      expect(messagesOf(await verify(file('reordered.ndjson', swapped)))).toEqual([
        'line 4: event 5: expected seq 4 but found 5: events are missing before it',
        'line 5: event 4: expected seq 6 but found 4: events are duplicated or out of order',
        rootRewritten(),
      ]);
    });

    it('finds a truncated file', async () => {
      const text = lines.join('\n');
      expect(
        messagesOf(await verify(file('truncated.ndjson', text.slice(0, text.length - 40)))),
      ).toEqual([
        `line ${lines.length}: is not valid JSON (truncated or edited?)`,
        shortOf(lines.length - 1, lines.length),
      ]);
    });

    it('refuses a line with a duplicate key whose visible value is forged', async () => {
      const forged = [...lines];
      forged[4] = forged[4].replace('"reason":', '"reason":"approved by the minister","reason":');
      expect(messagesOf(await verify(file('duplicate.ndjson', forged)))).toEqual([
        expect.stringMatching(/^line 5: event 5: has the key "reason" twice/),
      ]);
    });

    it('finds a checkpoint re-signed with another key when the publisher’s key is pinned', async () => {
      const forged = signCheckpoint(
        attackerKey,
        ORIGIN,
        checkpoint.treeSize,
        checkpoint.rootHash,
        new Date(),
      );
      expect((await verify(file('clean2.ndjson', lines), forged)).message).toBe(
        'checkpoint: checkpoint is signed by a key other than the trusted one',
      );
    });

    it('finds a rewritten history re-signed by someone else even without a pin, by its root', async () => {
      const rewritten = rehashedExport();
      // Every hash and link holds: without a checkpoint the file passes.
      expect(chainHolds(rewritten)).toBe(true);
      const path = file('rewritten.ndjson', rewritten.map(exportedEvent));
      expect((await verifyAuditFile(path)).ok).toBe(true);
      const forged = signCheckpoint(
        attackerKey,
        ORIGIN,
        checkpoint.treeSize,
        checkpoint.rootHash,
        new Date(),
      );
      expect(await verifyAuditFile(path, { checkpoint: forged })).toMatchObject({
        ok: false,
        eventsChecked: lines.length,
        message: rootRewritten(),
        problems: [{ seq: null, message: rootRewritten() }],
      });
    });

    it("finds a re-hashed history by the root of the publisher's own checkpoint", async () => {
      const rewritten = rehashedExport();
      expect(chainHolds(rewritten)).toBe(true);
      const path = file('rehashed.ndjson', rewritten.map(exportedEvent));
      expect(await verify(path)).toMatchObject({
        ok: false,
        eventsChecked: lines.length,
        message: rootRewritten(),
        problems: [{ seq: null, message: rootRewritten() }],
      });
    });

    it('takes a re-hashed history with a checkpoint re-signed over its new root only when no key is pinned, and says to pin one', async () => {
      const rewritten = rehashedExport();
      const path = file('resigned.ndjson', rewritten.map(exportedEvent));
      const forged = signCheckpoint(
        attackerKey,
        ORIGIN,
        rewritten.length,
        merkleRoot(rewritten.map((e) => e.hash)),
        new Date(),
      );
      const unpinned = await verifyAuditFile(path, { checkpoint: forged });
      expect(unpinned.ok).toBe(true);
      expect(unpinned.message).toMatch(
        /; signature not checked against a trusted key \(only against the key inside the checkpoint; pin the publisher's key with --public-key\)$/,
      );
      expect(await verify(path, forged)).toMatchObject({
        ok: false,
        eventsChecked: lines.length,
        message: 'checkpoint: checkpoint is signed by a key other than the trusted one',
        problemCount: 1,
      });
    });

    const cli = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');
    const verifyAudit = (args: string[]) =>
      run(process.execPath, [cli, 'verify-audit', ...args]).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    const checkpointFile = () =>
      file('checkpoint.json', JSON.stringify({ data: { auditCheckpoint: checkpoint } }));
    const pinnedKey = () => ['--public-key', publisherKey.toString('base64')];

    it('gives a verdict and a non-zero exit from the CLI, progress on stderr', async () => {
      const cpFile = checkpointFile();
      const pin = pinnedKey();
      const ok = await verifyAudit([file('clean3.ndjson', lines), '--checkpoint', cpFile, ...pin]);
      // The verdict names what the CLI read: the file's head and the checkpoint's size, and
      // the key id of the configured key (computed here from it, not taken from the file).
      const headHash = (JSON.parse(lines[lines.length - 1]) as AuditEventView).hash;
      expect(ok.code).toBe(0);
      expect(ok.stdout.trim().split('\n')).toEqual([
        `OK: ${lines.length} events, head ${headHash}; checkpoint of ${lines.length} events matches and is signed by the pinned key ${keyIdFor(ORIGIN, publisherKey)}`,
      ]);
      expect(ok.stderr).toMatch(
        new RegExp(`^${lines.length} events in .* s \\(\\d+ events/s\\)`, 'm'),
      );

      const edited = [...lines];
      edited[5] = edited[5].replace('"action":"CREATE"', '"action":"UPDATE"');
      const bad = await verifyAudit([file('bad.ndjson', edited), '--checkpoint', cpFile]);
      expect(bad).toMatchObject({ code: 1 });
      expect(bad.stdout.trim()).toBe(
        'INVALID: line 6: event 6: hash does not match the event content: the event was altered',
      );

      // An edit re-hashed all the way down: only the checkpoint's root catches it.
      const rehashed = file('rehashed-cli.ndjson', rehashedExport().map(exportedEvent));
      expect(await verifyAudit([rehashed])).toMatchObject({ code: 0 });
      const caught = await verifyAudit([rehashed, '--checkpoint', cpFile, ...pin]);
      expect(caught).toMatchObject({ code: 1 });
      expect(caught.stdout.trim()).toBe(`INVALID: ${rootRewritten()}`);

      // The checkpoint is read from the file given: one signed by another key is refused.
      const forgedFile = file(
        'forged-checkpoint.json',
        JSON.stringify(
          signCheckpoint(attackerKey, ORIGIN, checkpoint.treeSize, checkpoint.rootHash, new Date()),
        ),
      );
      const refused = await verifyAudit([
        file('clean4.ndjson', lines),
        '--checkpoint',
        forgedFile,
        ...pin,
      ]);
      expect(refused).toMatchObject({ code: 1 });
      expect(refused.stdout.trim()).toBe(
        'INVALID: checkpoint: checkpoint is signed by a key other than the trusted one',
      );
    });

    it('prints every problem from the CLI, after the verdict', async () => {
      const edited = [...lines];
      edited[1] = edited[1].replace(/"entityId":"[^"]*"/, '"entityId":"elsewhere"');
      edited[5] = edited[5].replace(/"entityId":"[^"]*"/, '"entityId":"elsewhere"');
      const out = await verifyAudit([
        file('bad-many.ndjson', edited),
        '--checkpoint',
        checkpointFile(),
      ]);
      expect(out).toMatchObject({ code: 1 });
      expect(out.stdout.trimEnd().split('\n')).toEqual([
        `INVALID: line 2: event 2: ${altered} (2 problems in all)`,
        `  line 2: event 2: ${altered}`,
        `  line 6: event 6: ${altered}`,
      ]);
    });

    it('says plainly when no key was pinned, and takes the pin from --config', async () => {
      const clean = file('clean5.ndjson', lines);
      const cpFile = checkpointFile();
      const unpinned = await verifyAudit([clean, '--checkpoint', cpFile]);
      expect(unpinned).toMatchObject({ code: 0 });
      expect(unpinned.stdout).toContain('signature not checked against a trusted key');
      const config = file(
        'verifier.json',
        JSON.stringify({ publicKey: publisherKey.toString('base64') }),
      );
      const configured = await verifyAudit([
        clean,
        '--checkpoint',
        cpFile,
        '--config',
        config,
        '--require-key',
      ]);
      expect(configured).toMatchObject({ code: 0 });
      expect(configured.stdout).toContain(
        `signed by the pinned key ${keyIdFor(ORIGIN, publisherKey)}`,
      );
      // A key given in base64url (no padding) is the same key. In the `--option=value` form:
      // a base64url key may begin with "-", which parseArgs would otherwise take for an option.
      const urlKey = publisherKey.toString('base64url');
      expect(
        await verifyAudit([clean, '--checkpoint', cpFile, `--public-key=${urlKey}`]),
      ).toMatchObject({ code: 0 });
      // Without a checkpoint it gives the root of the whole file to compare with one.
      const bare = await verifyAudit([clean]);
      expect(bare.stdout).toContain(
        `Merkle root of all ${lines.length} events: ${checkpoint.rootHash}`,
      );
    });

    it.each([
      [
        'a missing file',
        (f: string) => [`${f}.missing`],
        /^verify-audit needs an NDJSON export file/,
      ],
      [
        '--require-key without a key',
        (f: string) => [f, '--checkpoint', 'CP', '--require-key'],
        /^--require-key: no trusted public key given/,
      ],
      [
        '--require-key without a checkpoint',
        (f: string) => [f, '--require-key', ...pinnedKey()],
        /^--require-key needs --checkpoint/,
      ],
      [
        'a key that is not an Ed25519 key',
        (f: string) => [f, '--public-key', 'bm90IGEga2V5'],
        /^--public-key is not a base64 Ed25519 public key/,
      ],
      [
        'a config with an unknown setting',
        (f: string) => [f, '--config', file('bad-config.json', '{"publickey":"x"}')],
        /unknown setting "publickey"/,
      ],
      [
        'a checkpoint that is not JSON',
        (f: string) => [f, '--checkpoint', file('bad-cp.json', '{')],
        /the checkpoint is not valid JSON/,
      ],
      [
        'a checkpoint without its fields',
        (f: string) => [f, '--checkpoint', file('empty-cp.json', '{}')],
        /the checkpoint has no treeSize/,
      ],
    ])('exits 2, checking nothing, on %s', async (_label, args, message) => {
      const clean = file('clean6.ndjson', lines);
      const cpArgs = args(clean).map((a) => (a === 'CP' ? checkpointFile() : a));
      const out = await verifyAudit(cpArgs);
      expect(out).toMatchObject({ code: 2, stdout: '' });
      expect(out.stderr.trim()).toMatch(message);
    });
  });
});
