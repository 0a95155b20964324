import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { PolicyCheck } from '../auth/policy-check';
import { isLanguage } from '../portal/i18n';
import { AuthenticatedPrincipal, RequestContext } from '../auth/principal';
import { CountriesService } from '../countries/countries.service';
import { HostCountryEntity } from '../countries/host-country.entity';
import { PageError } from '../portal/page-error';
import { ConsoleSessions } from '../principals/console-sessions';
import { CONSOLE_PATH } from './console-http';
import { CONSOLE_PAGE, ConsolePageSpec, followedOperation } from './console-route';
import { csrfTokenOf, sameToken, sessionIdOf } from './session-cookie';

/** The signed-in person of a workspace request, and the token their forms carry. */
export interface ConsoleSession {
  principal: AuthenticatedPrincipal;
  csrfToken: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by ConsoleGuard on workspace routes when the session cookie is valid. */
    consoleSession?: ConsoleSession;
  }
}

/** The API's request context for a workspace request: who is signed in, and the request id. */
export const requestContextOf = (session: ConsoleSession, req: FastifyRequest): RequestContext => ({
  principal: session.principal,
  requestId: req.id,
});

/** The host country a workspace URL names, or the portal's "unknown country" page (404). */
export async function countryOfPage(
  countries: CountriesService,
  code: string,
): Promise<HostCountryEntity> {
  const country = /^[A-Za-z]{3}$/.test(code) ? await countries.findCountry(code) : null;
  if (!country) throw PageError.unknownCountry(code);
  return country;
}

/** Sends the person elsewhere (303 See Other): to sign in, or back after a form. */
export class ConsoleRedirect extends Error {
  constructor(readonly location: string) {
    super('redirect');
  }
}

/** A form post without its session's token: refused (403), nothing changes. */
export class CsrfRefused extends Error {
  constructor() {
    super('form token missing or invalid');
  }
}

const SIGN_IN = `${CONSOLE_PATH}/sign-in`;

/**
 * Where a person may be sent back to after signing in: a path of the workspace on this site,
 * never another site (`//evil.example`, `/\evil.example`, `https://...`) nor the sign-in and
 * sign-out routes themselves (the OpenID Connect ones under /console/sign-in/ included).
 */
export function safeNext(next: unknown): string | undefined {
  if (typeof next !== 'string' || next.length > 2000) return undefined;
  if (
    !/^\/console(\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?(\?[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*)?$/.test(
      next,
    )
  )
    return undefined;
  if (next.startsWith('//') || next.includes('//') || next.includes('\\')) return undefined;
  const url = new URL(next, 'http://console.invalid');
  if (url.origin !== 'http://console.invalid') return undefined;
  if (
    url.pathname === SIGN_IN ||
    url.pathname.startsWith(`${SIGN_IN}/`) ||
    url.pathname === `${CONSOLE_PATH}/sign-out`
  )
    return undefined;
  return url.pathname + url.search;
}

/** A workspace location in the language the person chose with `?lang=`, if they did. */
export function keepLanguage(req: FastifyRequest, location: string): string {
  const lang = new URL(req.url, 'http://console.invalid').searchParams.get('lang');
  if (!lang || !isLanguage(lang)) return location;
  const url = new URL(location, 'http://console.invalid');
  url.searchParams.set('lang', lang);
  return url.pathname + url.search;
}

/** The sign-in page, keeping where the person was going (a GET page: forms come back to it). */
export function signInLocation(req: FastifyRequest, expired: boolean): string {
  const query = new URLSearchParams();
  const next = safeNext(req.url);
  if (next && next !== CONSOLE_PATH) query.set('next', next);
  if (expired) query.set('expired', '1');
  const search = query.toString();
  return keepLanguage(req, search ? `${SIGN_IN}?${search}` : SIGN_IN);
}

/**
 * The workspace's guard, on every route of its controllers: fails closed on a route that
 * declares nothing; resolves the session cookie; sends anyone without a live session to sign
 * in (keeping where they were going); refuses a form post without its session's token; then
 * asks PolicyCheck the very question the API's guard asks for the operation the page follows,
 * with the session's principal. A record of another country is NOT_FOUND there, so its pages
 * are 404 here too.
 */
@Injectable()
export class ConsoleGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: ConsoleSessions,
    private readonly policies: PolicyCheck,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const spec = this.reflector.get<ConsolePageSpec | undefined>(
      CONSOLE_PAGE,
      context.getHandler(),
    );
    if (!spec) throw new Error('A workspace route without a page declaration is refused');
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const sessionId = sessionIdOf(req);
    const state = await this.sessions.resolve(sessionId);
    if (state.kind === 'active' && sessionId) {
      req.consoleSession = { principal: state.principal, csrfToken: csrfTokenOf(sessionId) };
    }
    if (spec.kind === 'session') return true;
    const session = req.consoleSession;
    if (!session) throw new ConsoleRedirect(signInLocation(req, state.kind === 'expired'));
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (!sameToken(session.csrfToken, body._csrf)) throw new CsrfRefused();
    }
    const { policy } = followedOperation(spec);
    if (!policy) throw new Error(`${spec.handler} has no access policy`);
    await this.policies.authorize(policy, session.principal, spec.args?.(req) ?? {});
    return true;
  }
}
