import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CONSOLE_PATH } from './console-http';

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
