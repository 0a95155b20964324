import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, JWK, KeyLike } from 'jose';
import {
  ADMIN_KEY,
  CREATE_PRINCIPAL,
  TestApp,
  expectError,
  registerCountry,
} from '../support/test-app';

const ISSUER = 'https://idp.test.example/realms/registry';
const AUDIENCE = 'positive-list-registry';

describe('OpenID Connect bearer tokens', () => {
  let t: TestApp;
  let jwks: Server;
  let signingKey: KeyLike;
  let strangerKey: KeyLike;

  beforeAll(async () => {
    // A local identity provider: an RS256 key pair whose public half is served as a JWKS.
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    const publicJwk: JWK = {
      ...(await exportJWK(pair.publicKey)),
      kid: 'test-key',
      alg: 'RS256',
      use: 'sig',
    };
    jwks = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const port = (jwks.address() as AddressInfo).port;
    t = await TestApp.start({
      AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks`,
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
      AUTH_JWT_ALGORITHMS: 'RS256',
    });
    await registerCountry(t, 'GHA', 'Ghana');
    const created = await t.gql(
      CREATE_PRINCIPAL,
      {
        input: {
          name: 'Ama (SSO)',
          role: 'OFFICIAL',
          hostCountry: 'GHA',
          externalSubject: 'user-123',
          reason: 'SSO user',
        },
      },
      ADMIN_KEY,
    );
    expect(created.errors).toBeUndefined();
  });
  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => jwks.close(resolve));
  });

  const token = (
    claims: { sub?: string; iss?: string; aud?: string; exp?: number | string; nbf?: number },
    key = signingKey,
    alg = 'RS256',
  ) => {
    let jwt = new SignJWT({}).setProtectedHeader({ alg, kid: 'test-key' }).setIssuedAt();
    if (claims.sub !== undefined) jwt = jwt.setSubject(claims.sub);
    jwt = jwt
      .setIssuer(claims.iss ?? ISSUER)
      .setAudience(claims.aud ?? AUDIENCE)
      .setExpirationTime(claims.exp ?? '5m');
    if (claims.nbf) jwt = jwt.setNotBefore(claims.nbf);
    return jwt.sign(key);
  };

  it('maps a valid token to the principal registered for its subject', async () => {
    const res = await t.gql(
      '{ me { name role hostCountry externalSubject } }',
      {},
      await token({ sub: 'user-123' }),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.me).toEqual({
      name: 'Ama (SSO)',
      role: 'OFFICIAL',
      hostCountry: 'GHA',
      externalSubject: 'user-123',
    });
  });

  it.each([
    ['an unknown subject', { sub: 'user-999' }],
    ['another issuer', { sub: 'user-123', iss: 'https://evil.example' }],
    ['another audience', { sub: 'user-123', aud: 'some-other-api' }],
    ['an expired token', { sub: 'user-123', exp: Math.floor(Date.now() / 1000) - 3600 }],
    ['a token not yet valid', { sub: 'user-123', nbf: Math.floor(Date.now() / 1000) + 3600 }],
    ['no subject', {}],
  ])('refuses %s with UNAUTHENTICATED', async (_label, claims) => {
    expectError(await t.gql('{ me { id } }', {}, await token(claims)), 'UNAUTHENTICATED');
  });

  it.each([
    ['NUL', 'user-123\u0000'],
    ['a lone surrogate', 'user-\ud800'],
    ['a number', 123],
    ['an object', { id: 'user-123' }],
  ])(
    'refuses a signed token whose subject holds %s with UNAUTHENTICATED, never a fault',
    async (_label, sub) => {
      // Signed by the trusted provider, so only the subject's lookup stands between it and us.
      const jwt = await new SignJWT({ sub } as never)
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime('5m')
        .sign(signingKey);
      const res = await t.gql('{ me { id } }', {}, jwt);
      expect(expectError(res, 'UNAUTHENTICATED').message).toMatch(/"sub" claim/);
    },
  );

  it('refuses a token signed by a key the provider does not publish', async () => {
    expectError(
      await t.gql('{ me { id } }', {}, await token({ sub: 'user-123' }, strangerKey)),
      'UNAUTHENTICATED',
    );
  });

  it('refuses an unsigned (alg none) token and a symmetric one', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const payload = b64({ sub: 'user-123', iss: ISSUER, aud: AUDIENCE, exp: now + 300 });
    expectError(
      await t.gql('{ me { id } }', {}, `${b64({ alg: 'none' })}.${payload}.`),
      'UNAUTHENTICATED',
    );
    const hs = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user-123')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('x'.repeat(32)));
    expectError(await t.gql('{ me { id } }', {}, hs), 'UNAUTHENTICATED');
  });

  it('stops accepting the token once its principal is revoked', async () => {
    // A principal of this test's own, so that the one the other tests sign in as stays valid.
    const created = await t.gql(
      CREATE_PRINCIPAL,
      {
        input: {
          name: 'Kofi (SSO, leaving)',
          role: 'OFFICIAL',
          hostCountry: 'GHA',
          externalSubject: 'user-456',
          reason: 'SSO user',
        },
      },
      ADMIN_KEY,
    );
    expect(created.errors).toBeUndefined();
    const before = await t.gql('{ me { id } }', {}, await token({ sub: 'user-456' }));
    expect(before.errors).toBeUndefined();
    const [row] = await t.sql(`SELECT id FROM principal WHERE external_subject = 'user-456'`);
    expect(before.data.me.id).toBe(row.id);
    const revoked = await t.gql(
      'mutation($input: RevokePrincipalInput!) { revokePrincipal(input: $input) { id } }',
      { input: { principalId: row.id, reason: 'left' } },
      ADMIN_KEY,
    );
    expect(revoked.errors).toBeUndefined();
    expectError(
      await t.gql('{ me { id } }', {}, await token({ sub: 'user-456' })),
      'UNAUTHENTICATED',
    );
  });

  it('still accepts API keys alongside tokens', async () => {
    const res = await t.gql('{ me { name } }', {}, ADMIN_KEY);
    expect(res.data.me.name).toBe('admin');
  });

  it("answers SERVICE_UNAVAILABLE, and logs why, when the provider's keys cannot be fetched", async () => {
    // A provider whose key server is down: nothing listens where its JWKS should be.
    const down = await TestApp.start({
      AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks',
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
      AUTH_JWT_ALGORITHMS: 'RS256',
    });
    try {
      const res = await down.gql('{ me { id } }', {}, await token({ sub: 'user-123' }));
      const error = expectError(res, 'SERVICE_UNAVAILABLE');
      expect(error.message).toMatch(/identity provider's signing keys cannot be fetched/);
      expect((error.extensions as Record<string, unknown>).retryAfterSeconds).toBe(30);
      const logged = down.logLines.find((l) => l.includes('identity provider unreachable'));
      expect(logged).toContain('http://127.0.0.1:9/jwks');
      expect(JSON.parse(logged!).error).toMatch(/ECONNREFUSED|fetch failed|timed out/i);
      // API keys still work while the provider is away.
      expect((await down.gql('{ me { name } }', {}, ADMIN_KEY)).data.me.name).toBe('admin');
    } finally {
      await down.close();
    }
  });
});
