import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CheckpointsService } from '../../src/audit/checkpoints.service';
import { CheckpointView, signCheckpoint } from '../../src/audit/checkpoint';
import { verifyAuditFile } from '../../src/audit/offline-verifier';
import { ADMIN_KEY, TestApp } from '../support/test-app';
import {
  CHECKPOINT_FIELDS,
  exportAudit,
  newSigningKeyPem,
  writeSomeHistory,
} from '../support/audit-fixtures';

const run = promisify(execFile);
const ORIGIN = 'registry.test/positive-lists';
const VERIFY = '{ verifyAuditTrail { valid eventsChecked firstInvalidSeq message } }';

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

/** Tampering as the database superuser: the append-only triggers must be switched off first. */
async function asSuperuser(t: TestApp, ...statements: string[]) {
  await t.sql('ALTER TABLE audit_event DISABLE TRIGGER ALL');
  await t.sql('ALTER TABLE audit_checkpoint DISABLE TRIGGER ALL');
  for (const statement of statements) await t.sql(statement);
}

describe('tamper drills', () => {
  const signingKeyPem = newSigningKeyPem();
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

    it('finds one changed field', async () => {
      await asSuperuser(t, `UPDATE audit_event SET reason = 'nothing to see here' WHERE seq = 3`);
      expect((await t.gql(VERIFY, {}, ADMIN_KEY)).data.verifyAuditTrail).toEqual({
        valid: false,
        eventsChecked: 2,
        firstInvalidSeq: 3,
        message: 'event 3: hash does not match the event content: the event was altered',
      });
    });

    it('finds a deleted middle event', async () => {
      await asSuperuser(t, `DELETE FROM audit_event WHERE seq = 4`);
      expect((await t.gql(VERIFY, {}, ADMIN_KEY)).data.verifyAuditTrail).toEqual({
        valid: false,
        eventsChecked: 3,
        firstInvalidSeq: 5,
        message: 'event 5: expected seq 4 but found 5: events are missing before it',
      });
    });

    it('finds a deleted tail through the signed checkpoint', async () => {
      await asSuperuser(t, `DELETE FROM audit_event WHERE seq > ${head - 2}`);
      const verdict = (await t.gql(VERIFY, {}, ADMIN_KEY)).data.verifyAuditTrail;
      expect(verdict).toMatchObject({
        valid: false,
        eventsChecked: head - 2,
        firstInvalidSeq: head - 1,
      });
      expect(verdict.message).toMatch(
        /checkpoint of \d+ events was signed but the log ends at \d+: events were removed from the end/,
      );
    });

    it('finds two reordered events', async () => {
      await asSuperuser(
        t,
        `UPDATE audit_event SET seq = 1000000 WHERE seq = 4`,
        `UPDATE audit_event SET seq = 4 WHERE seq = 5`,
        `UPDATE audit_event SET seq = 5 WHERE seq = 1000000`,
      );
      const verdict = (await t.gql(VERIFY, {}, ADMIN_KEY)).data.verifyAuditTrail;
      expect(verdict).toMatchObject({ valid: false, eventsChecked: 3, firstInvalidSeq: 4 });
      expect(verdict.message).toMatch(/^event 4: prevHash does not equal the hash of event 3/);
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
      const verdict = (await t.gql(VERIFY, {}, ADMIN_KEY)).data.verifyAuditTrail;
      expect(verdict).toMatchObject({ valid: false, firstInvalidSeq: null });
      expect(verdict.message).toMatch(/signed by a key other than the trusted one/);
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

    const verify = (path: string, cp: CheckpointView | undefined = checkpoint) =>
      verifyAuditFile(path, { checkpoint: cp, trustedPublicKey: checkpoint.publicKey });

    it('accepts the untouched export', async () => {
      expect((await verify(file('clean.ndjson', lines))).ok).toBe(true);
    });

    it('finds one changed field', async () => {
      const edited = [...lines];
      edited[2] = edited[2].replace(/"reason":"[^"]*"/, '"reason":"nothing to see here"');
      expect(await verify(file('edited.ndjson', edited))).toMatchObject({
        ok: false,
        message: 'line 3: event 3: hash does not match the event content: the event was altered',
      });
    });

    it('finds a deleted middle event', async () => {
      const cut = lines.filter((_, i) => i !== 3);
      expect((await verify(file('middle.ndjson', cut))).message).toBe(
        'line 4: event 5: expected seq 4 but found 5: events are missing before it',
      );
    });

    it('finds a deleted tail, given the checkpoint', async () => {
      const cut = lines.slice(0, -2);
      expect((await verify(file('tail.ndjson', cut))).message).toBe(
        `the checkpoint covers ${lines.length} events but the file ends after ${lines.length - 2} (line ${lines.length - 2}): events are missing from the end`,
      );
    });

    it('finds reordered lines', async () => {
      const swapped = [...lines];
      [swapped[3], swapped[4]] = [swapped[4], swapped[3]];
      expect((await verify(file('reordered.ndjson', swapped))).message).toBe(
        'line 4: event 5: expected seq 4 but found 5: events are missing before it',
      );
    });

    it('finds a truncated file', async () => {
      const text = lines.join('\n');
      expect(
        (await verify(file('truncated.ndjson', text.slice(0, text.length - 40)))).message,
      ).toBe(`line ${lines.length}: not valid JSON (truncated or edited?)`);
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
      const edited = [...lines];
      edited[2] = edited[2].replace(/"reason":"[^"]*"/, '"reason":"rewritten"');
      const forged = signCheckpoint(
        attackerKey,
        ORIGIN,
        checkpoint.treeSize,
        checkpoint.rootHash,
        new Date(),
      );
      const verdict = await verifyAuditFile(file('rewritten.ndjson', edited), {
        checkpoint: forged,
      });
      expect(verdict.ok).toBe(false);
      expect(verdict.message).toMatch(/^line 3: /);
    });

    it('gives a one-line verdict and a non-zero exit from the CLI, progress on stderr', async () => {
      const cli = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');
      const cpFile = file(
        'checkpoint.json',
        JSON.stringify({ data: { auditCheckpoint: checkpoint } }),
      );
      const ok = await run(process.execPath, [
        cli,
        'verify-audit',
        file('clean3.ndjson', lines),
        '--checkpoint',
        cpFile,
        '--public-key',
        checkpoint.publicKey,
      ]);
      expect(ok.stdout.trim().split('\n')).toEqual([
        expect.stringMatching(
          /^OK: \d+ events, head [0-9a-f]{64}; checkpoint of \d+ events matches and is signed by the pinned key/,
        ),
      ]);
      expect(ok.stderr).toMatch(/events in .* s \(\d+ events\/s\)/);

      const edited = [...lines];
      edited[5] = edited[5].replace('"action":"CREATE"', '"action":"UPDATE"');
      const bad = await run(process.execPath, [
        cli,
        'verify-audit',
        file('bad.ndjson', edited),
        '--checkpoint',
        cpFile,
      ]).catch((e: { code: number; stdout: string }) => e);
      expect(bad).toMatchObject({ code: 1 });
      expect((bad as { stdout: string }).stdout.trim()).toBe(
        'INVALID: line 6: event 6: hash does not match the event content: the event was altered',
      );
      expect(readFileSync(cpFile, 'utf8')).toContain(checkpoint.signature);
    });
  });
});
