import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawPublicKey, signCheckpoint } from '../../src/audit/checkpoint';
import { CheckpointsService } from '../../src/audit/checkpoints.service';
import { verifyAuditFile } from '../../src/audit/offline-verifier';
import { ADMIN_KEY, TestApp, createPrincipal, expectError } from '../support/test-app';
import {
  CHECKPOINT_FIELDS,
  exportAudit,
  newSigningKeyPem,
  writeSomeHistory,
} from '../support/audit-fixtures';

const EVENTS = `query($filter: AuditFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { seq occurredAt action entityType entityId hostCountry reason requestId prevHash hash
      actor { principalId name role hostCountry } changes { path before after } before after } }
  }
}`;

describe('audit trail queries, checkpoints and export', () => {
  const signingKeyPem = newSigningKeyPem();
  /** The publisher's key as a verifier pins it: derived from the key the service was given. */
  const configuredPublicKey = rawPublicKey(createPublicKey(signingKeyPem)).toString('base64');
  const dir = mkdtempSync(join(tmpdir(), 'plr-audit-'));

  /** A service with the same history: GHA, THA and SGP with a sector each, two principals. */
  const startLoggedService = async () => {
    const service = await TestApp.start({
      AUDIT_SIGNING_KEY: signingKeyPem,
      AUDIT_LOG_ORIGIN: 'registry.test/positive-lists',
      AUDIT_CHECKPOINT_INTERVAL_SECONDS: '0',
    });
    await writeSomeHistory(service);
    const auditor = (await createPrincipal(service, 'AUDITOR', undefined, 'Ada Auditor')).key;
    const official = (await createPrincipal(service, 'OFFICIAL', 'GHA', 'Ama Official')).key;
    return { t: service, auditorKey: auditor, officialKey: official };
  };

  // The queries read one shared service, which none of them changes. The tests that sign
  // checkpoints or add events each start a service of their own (see serviceOfItsOwn).
  let t: TestApp;
  let auditorKey: string;
  let officialKey: string;
  beforeAll(async () => {
    ({ t, auditorKey, officialKey } = await startLoggedService());
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh service with the same history and no checkpoint yet, closed after the test. */
  const ownServices: TestApp[] = [];
  afterEach(async () => {
    await Promise.all(ownServices.splice(0).map((service) => service.close()));
  });
  const serviceOfItsOwn = async () => {
    const own = await startLoggedService();
    ownServices.push(own.t);
    return own;
  };

  it('pages through the whole history in order with stable cursors and a total count', async () => {
    const seen: number[] = [];
    let after: string | null = null;
    let total = 0;
    for (let pages = 0; pages < 20; pages++) {
      const res: any = await t.gql(EVENTS, { first: 3, after }, auditorKey);
      expect(res.errors).toBeUndefined();
      const connection = res.data.auditEvents;
      total = connection.totalCount;
      seen.push(...connection.edges.map((e: any) => e.node.seq));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(total).toBe(await t.auditCount());
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });

  it('shows actor, reason, field-level changes, before and after for each event', async () => {
    const res = await t.gql(
      EVENTS,
      { filter: { entityType: 'NdcSector', hostCountry: 'THA' } },
      auditorKey,
    );
    const [edge] = res.data.auditEvents.edges;
    expect(edge.node).toMatchObject({
      action: 'CREATE',
      entityType: 'NdcSector',
      hostCountry: 'THA',
      reason: 'sectors of THA',
      actor: { name: 'admin', role: 'ADMIN', hostCountry: null },
      before: null,
      after: expect.objectContaining({ code: 'ENERGY', hostCountry: 'THA' }),
    });
    expect(edge.node.changes).toEqual(
      expect.arrayContaining([{ path: 'code', before: null, after: 'ENERGY' }]),
    );
  });

  it.each([
    [{ actions: ['REVOKE'] }, 0],
    [{ actions: ['CREATE'], entityType: 'HostCountry' }, 3],
    [{ actorName: 'admin', entityType: 'Principal' }, 2],
    [{ entityType: 'HostCountry', entityId: 'SGP' }, 1],
    [{ from: '2000-01-01T00:00:00Z', to: '2001-01-01T00:00:00Z' }, 0],
  ])('filters by %j', async (filter, count) => {
    const res = await t.gql(EVENTS, { filter, first: 100 }, auditorKey);
    expect(res.errors).toBeUndefined();
    expect(res.data.auditEvents.totalCount).toBe(count);
    expect(res.data.auditEvents.edges).toHaveLength(count);
  });

  it('shows an official only their own country, and refuses another country', async () => {
    const own = await t.gql(EVENTS, { first: 100 }, officialKey);
    expect(own.errors).toBeUndefined();
    const countries = new Set(own.data.auditEvents.edges.map((e: any) => e.node.hostCountry));
    expect([...countries]).toEqual(['GHA']);
    expectError(await t.gql(EVENTS, { filter: { hostCountry: 'THA' } }, officialKey), 'FORBIDDEN');
  });

  const EVENT = `query($seq: Int!) {
    auditEvent(seq: $seq) { seq occurredAt action entityType entityId hostCountry reason requestId prevHash hash
      actor { principalId name role hostCountry } changes { path before after } before after }
  }`;

  it('gives one event by its seq, exactly as auditEvents lists it', async () => {
    const listed = await t.gql(EVENTS, { first: 100 }, auditorKey);
    const nodes = listed.data.auditEvents.edges.map((e: any) => e.node);
    expect(nodes.length).toBeGreaterThan(3);
    for (const node of [nodes[0], nodes[2], nodes.at(-1)]) {
      const res = await t.gql(EVENT, { seq: node.seq }, auditorKey);
      expect(res.errors).toBeUndefined();
      expect(res.data.auditEvent).toEqual(node);
    }
  });

  it.each([0, -1, 999_999])('answers NOT_FOUND for seq %d, which names no event', async (seq) => {
    const res = await t.gql(EVENT, { seq }, auditorKey);
    expect(expectError(res, 'NOT_FOUND').message).toBe(`Audit event "${seq}" does not exist`);
  });

  it('gives an official their own country’s events, and NOT_FOUND for any other, as for no event', async () => {
    const rows = await t.sql<{ seq: number; host_country: string | null }>(
      `SELECT DISTINCT ON (host_country) seq::int AS seq, host_country FROM audit_event
        ORDER BY host_country, seq`,
    );
    const of = (country: string | null) => rows.find((r) => r.host_country === country)!.seq;
    const own = await t.gql(EVENT, { seq: of('GHA') }, officialKey);
    expect(own.errors).toBeUndefined();
    expect(own.data.auditEvent).toMatchObject({ seq: of('GHA'), hostCountry: 'GHA' });
    // Another country's event, and one of no country (a principal created), do not exist.
    for (const seq of [of('THA'), of(null)]) {
      const res = await t.gql(EVENT, { seq }, officialKey);
      expect(expectError(res, 'NOT_FOUND').message).toBe(`Audit event "${seq}" does not exist`);
      expect(res.data?.auditEvent ?? null).toBeNull();
    }
  });

  it.each([
    [{ first: 101 }, 'first'],
    [{ first: 0 }, 'first'],
    [{ after: 'not-a-cursor' }, 'after'],
    [{ after: Buffer.from('entry:5').toString('base64url') }, 'after'],
    [{ filter: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } }, 'filter.to'],
  ])('rejects %j as BAD_USER_INPUT naming %s', async (variables, field) => {
    const error = expectError(await t.gql(EVENTS, variables, auditorKey), 'BAD_USER_INPUT');
    expect(error.extensions!.fields!.map((f) => f.field)).toContain(field);
  });

  it('rejects unknown actions before execution', async () => {
    expectError(
      await t.gql(EVENTS, { filter: { actions: ['ERASE'] } }, auditorKey),
      'BAD_USER_INPUT',
    );
  });

  it('verifies the whole chain', async () => {
    const res = await t.gql(
      '{ verifyAuditTrail { valid eventsChecked headSeq headHash firstInvalidSeq message } }',
      {},
      auditorKey,
    );
    const count = await t.auditCount();
    const [head] = await t.sql(`SELECT hash FROM audit_event WHERE seq = $1`, [count]);
    expect(res.data.verifyAuditTrail).toEqual({
      valid: true,
      eventsChecked: count,
      headSeq: count,
      headHash: head.hash,
      firstInvalidSeq: null,
      message: expect.stringMatching(/verified/),
    });
  });

  it('signs a checkpoint that anyone can check with a plain Ed25519 library', async () => {
    const { t } = await serviceOfItsOwn();
    expect((await t.gql(`{ auditCheckpoint { treeSize } }`)).data.auditCheckpoint).toBeNull();
    await t.app.get(CheckpointsService).checkpoint();
    const res = await t.gql(`{ auditCheckpoint { ${CHECKPOINT_FIELDS} } }`);
    const cp = res.data.auditCheckpoint;
    const count = await t.auditCount();
    expect(cp.treeSize).toBe(count);
    expect(cp.body).toBe(
      `registry.test/positive-lists\n${count}\n${Buffer.from(cp.rootHash, 'hex').toString('base64')}\n`,
    );

    // Independent checks with node:crypto only: the key, the key id, the signature.
    const publicKey = createPublicKey(signingKeyPem);
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
    expect(cp.publicKey).toBe(raw.toString('base64'));
    const keyId = createHash('sha256')
      .update(
        Buffer.concat([
          Buffer.from('registry.test/positive-lists'),
          Buffer.from([0x0a, 0x01]),
          raw,
        ]),
      )
      .digest()
      .subarray(0, 4)
      .toString('hex');
    expect(cp.keyId).toBe(keyId);
    expect(verify(null, Buffer.from(cp.body), publicKey, Buffer.from(cp.signature, 'base64'))).toBe(
      true,
    );

    // The root is the RFC 6962 root over the event hashes 1..treeSize, recomputed here.
    const leaves = (await t.sql(`SELECT hash FROM audit_event ORDER BY seq`)).map((r) =>
      Buffer.from(r.hash, 'hex'),
    );
    const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
    const root = (xs: Buffer[]): Buffer => {
      if (xs.length === 1) return xs[0];
      let k = 1;
      while (k * 2 < xs.length) k *= 2;
      return sha(Buffer.from([1]), root(xs.slice(0, k)), root(xs.slice(k)));
    };
    expect(cp.rootHash).toBe(root(leaves).toString('hex'));
  });

  it('does not sign again while nothing new was logged, and extends the tree when something was', async () => {
    const { t, auditorKey } = await serviceOfItsOwn();
    const service = t.app.get(CheckpointsService);
    const first = await service.checkpoint();
    expect((await service.checkpoint())?.treeSize).toBe(first?.treeSize);
    await writeSomeHistory(t, ['KEN']);
    const next = await service.checkpoint();
    expect(next!.treeSize).toBe(first!.treeSize + 2);
    const verdict = await t.gql('{ verifyAuditTrail { valid message } }', {}, auditorKey);
    expect(verdict.data.verifyAuditTrail).toEqual({
      valid: true,
      message: expect.stringMatching(/2 signed checkpoint\(s\) match/),
    });
  });

  it('exports NDJSON that verifies offline against the checkpoint and the pinned key', async () => {
    const { t, auditorKey } = await serviceOfItsOwn();
    await t.app.get(CheckpointsService).checkpoint();
    const res = await exportAudit(t, auditorKey);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/x-ndjson/);
    const lines = (res.body as string).trimEnd().split('\n');
    expect(lines).toHaveLength(await t.auditCount());
    expect(JSON.parse(lines[0])).toMatchObject({ seq: 1, prevHash: '0'.repeat(64) });

    // Each line is the stored event, in order, exactly as the API shows it: the same seq,
    // hash and link as in the database, and the same content as auditEvents returns.
    const exported = lines.map((l) => JSON.parse(l));
    const stored = await t.sql(`SELECT seq, prev_hash, hash FROM audit_event ORDER BY seq`);
    expect(exported.map((e) => [e.seq, e.prevHash, e.hash])).toEqual(
      stored.map((r) => [Number(r.seq), r.prev_hash, r.hash]),
    );
    const api = await t.gql(EVENTS, { first: 100 }, auditorKey);
    expect(api.errors).toBeUndefined();
    expect(exported).toEqual(api.data.auditEvents.edges.map((e: any) => e.node));

    const file = join(dir, 'export.ndjson');
    writeFileSync(file, res.body as string);
    const cp = (await t.gql(`{ auditCheckpoint { ${CHECKPOINT_FIELDS} } }`)).data.auditCheckpoint;
    expect(cp.treeSize).toBe(lines.length);
    // Pinned: the key the service was configured with, not whatever the checkpoint names.
    const verdict = await verifyAuditFile(file, {
      checkpoint: cp,
      trustedPublicKey: configuredPublicKey,
    });
    expect(verdict).toMatchObject({
      ok: true,
      eventsChecked: lines.length,
      message: expect.stringMatching(/^OK: .* pinned key/),
      problems: [],
    });
    const head = await t.gql('{ verifyAuditTrail { headSeq headHash } }', {}, auditorKey);
    expect(head.data.verifyAuditTrail).toEqual({
      headSeq: exported.length,
      headHash: exported[exported.length - 1].hash,
    });
  });

  it('refuses, offline, a checkpoint signed by any key but the configured one', async () => {
    const { t, auditorKey } = await serviceOfItsOwn();
    await t.app.get(CheckpointsService).checkpoint();
    const file = join(dir, 'export-for-pins.ndjson');
    writeFileSync(file, (await exportAudit(t, auditorKey)).body as string);
    const cp = (await t.gql(`{ auditCheckpoint { ${CHECKPOINT_FIELDS} } }`)).data.auditCheckpoint;
    const otherKey = generateKeyPairSync('ed25519').privateKey;
    // Same size and root, well-formed and validly signed, but by someone else.
    const forged = signCheckpoint(
      otherKey,
      'registry.test/positive-lists',
      cp.treeSize,
      cp.rootHash,
      new Date(),
    );
    expect(await verifyAuditFile(file, { checkpoint: forged })).toMatchObject({ ok: true });
    const otherKeyMessage = 'checkpoint: checkpoint is signed by a key other than the trusted one';
    expect(
      await verifyAuditFile(file, { checkpoint: forged, trustedPublicKey: configuredPublicKey }),
    ).toMatchObject({
      ok: false,
      eventsChecked: cp.treeSize,
      message: otherKeyMessage,
      problems: [{ seq: null, message: otherKeyMessage }],
    });
    // ...and the genuine checkpoint is refused by a verifier that pinned another key.
    const otherPublicKey = rawPublicKey(createPublicKey(otherKey)).toString('base64');
    expect(
      await verifyAuditFile(file, { checkpoint: cp, trustedPublicKey: otherPublicKey }),
    ).toMatchObject({
      ok: false,
      eventsChecked: cp.treeSize,
      message: otherKeyMessage,
      problems: [{ seq: null, message: otherKeyMessage }],
    });
  });

  it('refuses the export to callers who are not auditors or administrators', async () => {
    expect((await t.http.get('/audit/export')).status).toBe(401);
    const res = await t.http.get('/audit/export').set('authorization', `Bearer ${officialKey}`);
    expect(res.status).toBe(403);
    expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(
      (await t.http.get('/audit/export').set('authorization', `Bearer ${ADMIN_KEY}`)).status,
    ).toBe(200);
  });
});
