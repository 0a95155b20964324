import { createHash, randomBytes } from 'node:crypto';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

/**
 * A small OpenID Connect provider in this process, standing in for the external identity
 * provider (a test double of an outside system, never of our database): discovery, its key
 * set, an authorisation endpoint whose page signs in whoever `subject` names when the person
 * clicks Continue (or refuses with access_denied on Deny), and a token endpoint that checks
 * the client, the redirect URI and the PKCE verifier before it issues a signed ID token.
 * It is reached as http://localhost:PORT, while the service runs on 127.0.0.1: another site
 * for the browser, as a real provider is.
 */
export interface OidcTestProvider {
  issuer: string;
  /** Whom the next sign-in at the provider is for. */
  subject: string;
  /** Every authorisation request's query, as the browser brought it. */
  authorizations: URLSearchParams[];
  /** Every token request's body (the code verifier included). */
  tokenRequests: URLSearchParams[];
  close(): Promise<void>;
}

interface Grant {
  subject: string;
  clientId: string;
  redirectUri: string;
  nonce: string | undefined;
  challenge: string;
  method: string;
}

const html = (res: ServerResponse, status: number, body: string) => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(
    `<!doctype html><html lang="en"><head><title>Test IdP</title></head><body>${body}</body></html>`,
  );
};

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function bodyOf(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startOidcTestProvider(client: {
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
}): Promise<OidcTestProvider> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const grants = new Map<string, Grant>();
  const provider: OidcTestProvider = {
    issuer: '',
    subject: 'nobody',
    authorizations: [],
    tokenRequests: [],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', provider.issuer);
    if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
      return json(res, 200, {
        issuer: provider.issuer,
        authorization_endpoint: `${provider.issuer}/authorize`,
        token_endpoint: `${provider.issuer}/token`,
        jwks_uri: `${provider.issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
        scopes_supported: ['openid'],
      });
    }
    if (req.method === 'GET' && url.pathname === '/jwks') return json(res, 200, { keys: [jwk] });
    if (req.method === 'GET' && url.pathname === '/authorize') {
      const q = url.searchParams;
      provider.authorizations.push(q);
      if (q.get('client_id') !== client.clientId || q.get('redirect_uri') !== client.redirectUri)
        return html(res, 400, '<h1>Unknown client or redirect URI</h1>');
      // The person decides on the provider's own page: their click, from this site, is what
      // sends the browser back, as with a real provider.
      const hidden = [...q.entries()]
        .map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`)
        .join('');
      return html(
        res,
        200,
        `<h1>Test IdP</h1><p>Sign in as ${escape(provider.subject)}?</p>` +
          `<form method="post" action="/decide">${hidden}` +
          `<button name="decision" value="allow">Continue</button> ` +
          `<button name="decision" value="deny">Deny</button></form>`,
      );
    }
    if (req.method === 'POST' && url.pathname === '/decide') {
      const q = await bodyOf(req);
      const back = new URL(q.get('redirect_uri') ?? '');
      if (q.get('state')) back.searchParams.set('state', q.get('state')!);
      if (q.get('decision') !== 'allow') {
        back.searchParams.set('error', 'access_denied');
      } else {
        const code = randomBytes(24).toString('base64url');
        grants.set(code, {
          subject: provider.subject,
          clientId: q.get('client_id') ?? '',
          redirectUri: q.get('redirect_uri') ?? '',
          nonce: q.get('nonce') ?? undefined,
          challenge: q.get('code_challenge') ?? '',
          method: q.get('code_challenge_method') ?? 'plain',
        });
        back.searchParams.set('code', code);
      }
      res.writeHead(302, { location: back.href });
      return void res.end();
    }
    if (req.method === 'POST' && url.pathname === '/token') {
      const body = await bodyOf(req);
      provider.tokenRequests.push(body);
      let clientId = body.get('client_id');
      let secret: string | undefined;
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
      if (basic) {
        const [id, pw] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
        [clientId, secret] = [decodeURIComponent(id), decodeURIComponent(pw ?? '')];
      }
      if (clientId !== client.clientId || secret !== client.clientSecret)
        return json(res, 401, { error: 'invalid_client' });
      const code = body.get('code') ?? '';
      const grant = grants.get(code);
      grants.delete(code);
      const verifier = body.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (
        body.get('grant_type') !== 'authorization_code' ||
        !grant ||
        grant.clientId !== clientId ||
        grant.redirectUri !== body.get('redirect_uri') ||
        grant.method !== 'S256' ||
        grant.challenge !== challenge
      )
        return json(res, 400, { error: 'invalid_grant' });
      const idToken = await new SignJWT({ ...(grant.nonce ? { nonce: grant.nonce } : {}) })
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setIssuer(provider.issuer)
        .setAudience(client.clientId)
        .setSubject(grant.subject)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
      return json(res, 200, {
        access_token: randomBytes(24).toString('base64url'),
        token_type: 'Bearer',
        expires_in: 300,
        id_token: idToken,
      });
    }
    res.writeHead(404).end();
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  provider.issuer = `http://localhost:${(server.address() as AddressInfo).port}`;
  return provider;
}
