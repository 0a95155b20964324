import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CONSOLE_PATH } from './console-http';
import type { OidcFlow } from './oidc-sign-in';

/** The session cookie: the session id, which exists nowhere else (the database keeps its hash). */
export const SESSION_COOKIE = 'registry_session';
/** The sign-in form's own token, before there is a session to bind one to. */
export const SIGN_IN_COOKIE = 'registry_sign_in';

/**
 * httpOnly (no script reads it), SameSite=Strict (no other site's page sends it), only under
 * /console, and Secure whenever the request came over TLS: directly, or through a proxy the
 * service trusts (TRUST_PROXY), whose X-Forwarded-Proto Fastify reads into `protocol`.
 */
function cookieOptions(req: FastifyRequest): CookieSerializeOptions {
  return {
    httpOnly: true,
    sameSite: 'strict',
    path: CONSOLE_PATH,
    secure: req.protocol === 'https',
  };
}

export const sessionIdOf = (req: FastifyRequest): string | undefined => req.cookies[SESSION_COOKIE];

export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, id: string): void {
  // No max-age: the server decides when a session ends; the browser forgets it when closed.
  void reply.setCookie(SESSION_COOKIE, id, cookieOptions(req));
}

export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, cookieOptions(req));
}

/**
 * The synchroniser token of a session's forms: an HMAC of a fixed label keyed with the
 * session id. Bound to the session (another session's token does not fit), needs no storage,
 * and reveals nothing of the id.
 */
export const csrfTokenOf = (sessionId: string): string =>
  createHmac('sha256', sessionId).update('registry console form').digest('base64url');

/** Compares in constant time, so the token cannot be guessed byte by byte. */
export function sameToken(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const [a, b] = [Buffer.from(expected), Buffer.from(given)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The sign-in form's token (double submit): a random value in a cookie of its own and in the
 * form. Only a page of this site can have set the cookie (SameSite=Strict, httpOnly), so a
 * post from another site cannot sign a person in under the attacker's key.
 */
export function signInToken(req: FastifyRequest, reply: FastifyReply): string {
  const existing = req.cookies[SIGN_IN_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  void reply.setCookie(SIGN_IN_COOKIE, token, cookieOptions(req));
  return token;
}

export const signInCookieOf = (req: FastifyRequest): string | undefined =>
  req.cookies[SIGN_IN_COOKIE];

export function clearSignInCookie(req: FastifyRequest, reply: FastifyReply): void {
  void reply.clearCookie(SIGN_IN_COOKIE, cookieOptions(req));
}

/** An OpenID Connect sign-in under way: its state, nonce, PKCE verifier and `next`. */
export const OIDC_FLOW_COOKIE = 'registry_oidc_flow';
const OIDC_FLOW_PATH = `${CONSOLE_PATH}/sign-in/oidc`;
/** Long enough to sign in at the provider, short enough that a forgotten tab is no risk. */
const OIDC_FLOW_SECONDS = 600;

/**
 * SameSite=Lax, unlike the others: the provider sends the browser back with a top-level GET
 * from its own site, on which a Strict cookie is not sent, and without this one the callback
 * could not tell this browser's flow from a code planted by someone else. Lax still keeps it
 * off other sites' subrequests and POSTs. httpOnly, only under /console/sign-in/oidc, ten
 * minutes, and cleared by the callback whatever the outcome: one flow, one use.
 */
function flowCookieOptions(req: FastifyRequest): CookieSerializeOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    path: OIDC_FLOW_PATH,
    secure: req.protocol === 'https',
  };
}

export function setOidcFlowCookie(req: FastifyRequest, reply: FastifyReply, flow: OidcFlow): void {
  const value = Buffer.from(JSON.stringify(flow), 'utf8').toString('base64url');
  void reply.setCookie(OIDC_FLOW_COOKIE, value, {
    ...flowCookieOptions(req),
    maxAge: OIDC_FLOW_SECONDS,
  });
}

/** The flow this browser started, or undefined (none, expired, or not one of ours). */
export function oidcFlowOf(req: FastifyRequest): OidcFlow | undefined {
  const raw = req.cookies[OIDC_FLOW_COOKIE];
  if (!raw || raw.length > 2000) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const { state, nonce, verifier, next } = parsed;
    if (typeof state !== 'string' || typeof nonce !== 'string' || typeof verifier !== 'string')
      return undefined;
    return { state, nonce, verifier, next: typeof next === 'string' ? next : undefined };
  } catch {
    return undefined;
  }
}

export function clearOidcFlowCookie(req: FastifyRequest, reply: FastifyReply): void {
  void reply.clearCookie(OIDC_FLOW_COOKIE, flowCookieOptions(req));
}
