import {
  ADMIN_KEY,
  CREATE_PRINCIPAL,
  TestApp,
  createPrincipal,
  expectError,
  registerCountry,
} from '../support/test-app';

describe('principals and API keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
    await registerCountry(t, 'GHA', 'Ghana');
  });
  afterAll(() => t.close());

  it('bootstraps exactly one administrator from BOOTSTRAP_ADMIN_KEY', async () => {
    const me = await t.gql('{ me { name role hostCountry } }', {}, ADMIN_KEY);
    expect(me.data.me).toEqual({ name: 'admin', role: 'ADMIN', hostCountry: null });
    const [row] = await t.sql(
      `SELECT actor_role, action, entity_type, reason FROM audit_event WHERE seq = 1`,
    );
    expect(row).toEqual({
      actor_role: 'SYSTEM',
      action: 'CREATE',
      entity_type: 'Principal',
      reason: 'Bootstrap administrator from BOOTSTRAP_ADMIN_KEY',
    });
  });

  it('does not create a second administrator when the service restarts', async () => {
    const { BootstrapOutcome, PrincipalsService } =
      await import('../../src/principals/principals.service');
    const outcome = await t.app.get(PrincipalsService).bootstrapAdmin(ADMIN_KEY);
    expect(outcome).toBe(BootstrapOutcome.KEY_IN_USE);
    const admins = await t.sql(`SELECT id FROM principal WHERE role = 'ADMIN'`);
    expect(admins).toHaveLength(1);
  });

  it('issues a key that is shown once, stored only as a hash, and works', async () => {
    const res = await t.gql(
      CREATE_PRINCIPAL,
      {
        input: { name: 'Ama Mensah', role: 'OFFICIAL', hostCountry: 'GHA', reason: 'desk officer' },
      },
      ADMIN_KEY,
    );
    expect(res.errors).toBeUndefined();
    const { apiKey, principal } = res.data.createPrincipal;
    expect(apiKey).toMatch(/^plr_[A-Za-z0-9_-]{43}$/);
    expect(principal).toMatchObject({
      name: 'Ama Mensah',
      role: 'OFFICIAL',
      hostCountry: 'GHA',
      revokedAt: null,
    });

    const stored = await t.sql(`SELECT * FROM principal WHERE id = $1`, [principal.id]);
    expect(JSON.stringify(stored)).not.toContain(apiKey);
    const events = await t.sql(`SELECT after FROM audit_event WHERE entity_id = $1`, [
      principal.id,
    ]);
    expect(JSON.stringify(events)).not.toContain(apiKey);
    expect(JSON.stringify(events)).not.toContain(stored[0].api_key_hash);

    const me = await t.gql('{ me { id name role hostCountry } }', {}, apiKey);
    expect(me.data.me).toEqual({
      id: principal.id,
      name: 'Ama Mensah',
      role: 'OFFICIAL',
      hostCountry: 'GHA',
    });
  });

  it.each([
    [{ name: 'x', role: 'OFFICIAL' }, 'input.hostCountry'],
    [{ name: 'x', role: 'APPROVER', hostCountry: 'THA' }, 'input.hostCountry'], // not registered
    [{ name: 'x', role: 'AUDITOR', hostCountry: 'GHA' }, 'input.hostCountry'],
    [{ name: ' ', role: 'ADMIN' }, 'input.name'],
  ])('rejects %j naming %s, writing nothing', async (input, field) => {
    const before = await t.auditCount();
    const res = await t.gql(CREATE_PRINCIPAL, { input: { reason: 'r', ...input } }, ADMIN_KEY);
    const error = expectError(res, 'BAD_USER_INPUT');
    expect(error.extensions!.fields!.map((f) => f.field)).toEqual([field]);
    expect(await t.auditCount()).toBe(before);
  });

  it('rejects an unknown role value before anything runs', async () => {
    const res = await t.gql(
      CREATE_PRINCIPAL,
      { input: { name: 'x', role: 'SUPERUSER', reason: 'r' } },
      ADMIN_KEY,
    );
    expectError(res, 'BAD_USER_INPUT');
  });

  it('revokes a principal: its key stops working at once', async () => {
    const auditor = await createPrincipal(t, 'AUDITOR', undefined, 'Temporary auditor');
    expect((await t.gql('{ me { id } }', {}, auditor.key)).data.me.id).toBe(auditor.id);

    const res = await t.gql(
      'mutation($input: RevokePrincipalInput!) { revokePrincipal(input: $input) { id revokedAt } }',
      { input: { principalId: auditor.id, reason: 'contract ended' } },
      ADMIN_KEY,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.revokePrincipal.revokedAt).toEqual(expect.any(String));

    const after = await t.gql('{ hostCountries { code } }', {}, auditor.key);
    expectError(after, 'UNAUTHENTICATED');
    const [event] = await t.sql(
      `SELECT action, reason FROM audit_event WHERE entity_id = $1 ORDER BY seq DESC LIMIT 1`,
      [auditor.id],
    );
    expect(event).toEqual({ action: 'REVOKE', reason: 'contract ended' });

    const again = await t.gql(
      'mutation($input: RevokePrincipalInput!) { revokePrincipal(input: $input) { id } }',
      { input: { principalId: auditor.id, reason: 'again' } },
      ADMIN_KEY,
    );
    expectError(again, 'INVALID_STATE');
  });

  it('gives NOT_FOUND for an unknown principal id and BAD_USER_INPUT for a malformed one', async () => {
    const doc = 'mutation($input: RevokePrincipalInput!) { revokePrincipal(input: $input) { id } }';
    expectError(
      await t.gql(
        doc,
        { input: { principalId: '00000000-0000-4000-8000-000000000000', reason: 'r' } },
        ADMIN_KEY,
      ),
      'NOT_FOUND',
    );
    expectError(
      await t.gql(doc, { input: { principalId: 'not-a-uuid', reason: 'r' } }, ADMIN_KEY),
      'BAD_USER_INPUT',
    );
  });

  it('refuses unknown keys and malformed authorization headers, even on public queries', async () => {
    expectError(
      await t.gql('{ hostCountries { code } }', {}, 'plr_not-a-real-key'),
      'UNAUTHENTICATED',
    );
    const res = await t.http
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', 'Basic abc')
      .send({ query: '{ hostCountries { code } }' });
    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('lists principals for administrators, oldest first, without secrets', async () => {
    // Principals of this test's own: an official, a revoked auditor and a key holder.
    const official = await createPrincipal(t, 'OFFICIAL', 'GHA', 'Listed official');
    const revoked = await createPrincipal(t, 'AUDITOR', undefined, 'Listed auditor, revoked');
    const revocation = await t.gql(
      'mutation($input: RevokePrincipalInput!) { revokePrincipal(input: $input) { id } }',
      { input: { principalId: revoked.id, reason: 'left' } },
      ADMIN_KEY,
    );
    expect(revocation.errors).toBeUndefined();
    const issued = await createPrincipal(t, 'AUDITOR', undefined, 'Key holder');
    // Every field a client can select on Principal, and nothing named like a credential.
    const type = await t.gql(
      '{ __type(name: "Principal") { fields { name type { kind ofType { kind } } } } }',
    );
    const fields = type.data.__type.fields as {
      name: string;
      type: { kind: string; ofType: { kind: string } | null };
    }[];
    expect(
      fields.map((f) => f.name).filter((n) => /key|hash|secret|token|password/i.test(n)),
    ).toEqual([]);
    const leaves = fields
      .filter((f) => ['SCALAR', 'ENUM'].includes(f.type.ofType?.kind ?? f.type.kind))
      .map((f) => f.name);
    expect(leaves).toEqual(expect.arrayContaining(['id', 'name', 'role', 'hostCountry']));

    const res = await t.gql(`{ principals { ${leaves.join(' ')} } }`, {}, ADMIN_KEY);
    expect(res.errors).toBeUndefined();
    expect(res.data.principals[0]).toMatchObject({ name: 'admin', role: 'ADMIN' });
    expect(res.data.principals.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['Listed official', 'Listed auditor, revoked', 'Key holder']),
    );
    // No key, and no stored key hash, appears anywhere in what every field returns.
    const hashes = (
      await t.sql<{ h: string }>(
        `SELECT api_key_hash AS h FROM principal WHERE api_key_hash IS NOT NULL`,
      )
    ).map((r) => r.h);
    expect(hashes.length).toBeGreaterThanOrEqual(3);
    const listed = JSON.stringify(res.data);
    for (const secret of [ADMIN_KEY, official.key, revoked.key, issued.key, ...hashes])
      expect(listed).not.toContain(secret);

    // The credential fields a careless model could expose do not exist.
    for (const field of ['apiKey', 'apiKeyHash', 'keyHash']) {
      const error = expectError(
        await t.gql(`{ principals { id ${field} } }`, {}, ADMIN_KEY),
        'BAD_USER_INPUT',
      );
      expect(error.message).toBe(`Cannot query field "${field}" on type "Principal".`);
    }
  });
});

/**
 * The procedure the README gives ("Rotating the bootstrap admin key"), step by step, and what
 * each later start does with the old key still configured, with a new one, and with the old
 * one once no administrator is left.
 */
describe('rotating the bootstrap admin key', () => {
  const REVOKE =
    'mutation($input: RevokePrincipalInput!) { revokePrincipal(input: $input) { id revokedAt } }';
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  /** Another instance on the same database, started with `env`; the caller closes it. */
  const restart = (env: Record<string, string>) => TestApp.start(env, undefined, t.db);

  it('replaces the bootstrap administrator, and the old key is never given back', async () => {
    // 1. With the bootstrap key, a new administrator; its key is shown once.
    const successor = await createPrincipal(t, 'ADMIN', undefined, 'Registry operations');
    // 2. With the new key, the bootstrap administrator is revoked: the old key stops working.
    const [admin] = await t.sql<{ id: string }>(`SELECT id FROM principal WHERE name = 'admin'`);
    const revoked = await t.gql(
      REVOKE,
      { input: { principalId: admin.id, reason: 'Rotating the bootstrap key' } },
      successor.key,
    );
    expect(revoked.errors).toBeUndefined();
    expectError(await t.gql('{ me { id } }', {}, ADMIN_KEY), 'UNAUTHENTICATED');
    expect((await t.gql('{ me { name role } }', {}, successor.key)).data.me).toEqual({
      name: 'Registry operations',
      role: 'ADMIN',
    });

    // 3. A restart with the old key still configured creates nothing and says it is revoked.
    const admins = () => t.sql(`SELECT id FROM principal WHERE role = 'ADMIN'`);
    const oldKeyStill = await restart({ BOOTSTRAP_ADMIN_KEY: ADMIN_KEY });
    try {
      expect(oldKeyStill.logLines.join('\n')).toContain(
        'BOOTSTRAP_ADMIN_KEY is the key of a revoked principal and grants nothing',
      );
      expectError(await oldKeyStill.gql('{ me { id } }', {}, ADMIN_KEY), 'UNAUTHENTICATED');
    } finally {
      await oldKeyStill.app.close();
    }
    // Changing the variable rotates nothing either, and start-up says so.
    const newValue = await restart({ BOOTSTRAP_ADMIN_KEY: 'n'.repeat(40) });
    try {
      expect(newValue.logLines.join('\n')).toContain('BOOTSTRAP_ADMIN_KEY was not used');
      expectError(await newValue.gql('{ me { id } }', {}, 'n'.repeat(40)), 'UNAUTHENTICATED');
    } finally {
      await newValue.app.close();
    }
    expect(await admins()).toHaveLength(2);

    // 4. Even with no administrator left, the revoked key does not come back: start-up refuses.
    await t.sql(`UPDATE principal SET revoked_at = now() WHERE role = 'ADMIN'`);
    await expect(restart({ BOOTSTRAP_ADMIN_KEY: ADMIN_KEY })).rejects.toThrow(
      /BOOTSTRAP_ADMIN_KEY is the API key of the revoked principal "admin".*never handed out twice/,
    );
    // A new secret bootstraps a new administrator.
    const fresh = await restart({ BOOTSTRAP_ADMIN_KEY: 'f'.repeat(40) });
    try {
      expect((await fresh.gql('{ me { name role } }', {}, 'f'.repeat(40))).data.me).toEqual({
        name: 'admin',
        role: 'ADMIN',
      });
    } finally {
      await fresh.app.close();
    }
  });
});
