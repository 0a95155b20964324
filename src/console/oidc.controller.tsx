import { Controller, Get, Inject, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../common/errors';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JsonLogger } from '../logging/json-logger';
import { ConsoleSessions } from '../principals/console-sessions';
import { isLanguage, translator } from '../portal/i18n';
import { PageContext } from '../portal/views/page-context';
import { ConsoleGuard, keepLanguage, safeNext } from './console-access';
import { ConsoleExceptionFilter, ConsolePages } from './console-pages';
import { SessionRoute } from './console-route';
import { OidcSignIn } from './oidc-sign-in';
import {
  clearOidcFlowCookie,
  clearSignInCookie,
  oidcFlowOf,
  setOidcFlowCookie,
  setSessionCookie,
  signInToken,
} from './session-cookie';
import { SignInLimiter } from './sign-in-limiter';
import { NotRegisteredPage } from './views/not-registered';
import { SignedInPage } from './views/signed-in';
import { OidcProblem, SignInNotice, SignInPage } from './views/sign-in';

/**
 * Signing in to the workspace with the identity provider (OpenID Connect, authorisation code
 * with PKCE): the sign-in page's link starts a flow, the provider sends the browser back to
 * the callback, and a verified ID token's subject becomes the same server-side session as an
 * API key's. Both routes 404 when OIDC_CLIENT_ID is not set. Not registry changes, so not
 * audit events: logged without codes, tokens or session ids.
 */
@Controller('console/sign-in/oidc')
@UseGuards(ConsoleGuard)
@UseFilters(ConsoleExceptionFilter)
export class ConsoleOidcController {
  constructor(
    private readonly oidc: OidcSignIn,
    private readonly sessions: ConsoleSessions,
    private readonly pages: ConsolePages,
    private readonly limiter: SignInLimiter,
    private readonly logger: JsonLogger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Sends the browser to the provider (303) with a new flow's state, nonce and PKCE
   * challenge, the flow itself kept in this browser's cookie. A GET, the sign-in page's link:
   * another site may start a flow in a person's browser, but only the person can finish it
   * at the provider, and its callback then signs in only them.
   */
  @Get()
  @SessionRoute()
  async start(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!this.oidc.settings) throw notFound('Page', req.url.split('?')[0]);
    const next = safeNext((req.query as Record<string, unknown>).next);
    const started = await this.oidc.start(keepLanguage(req, next ?? '/console'));
    if (started === 'unavailable') {
      void reply.code(503).header('retry-after', '60');
      return this.form(req, reply, next, { kind: 'oidc', problem: 'unavailable' });
    }
    setOidcFlowCookie(req, reply, started.flow);
    return this.pages.redirect(reply, started.location);
  }

  /**
   * Where the provider sends the browser back. The flow cookie must be there (it is this
   * browser's flow), openid-client checks state, redeems the code with the PKCE verifier and
   * validates the ID token; its subject is then mapped to a principal exactly as a bearer
   * token's is. The flow cookie is cleared whatever happens: one flow, one try.
   */
  @Get('callback')
  @SessionRoute()
  async callback(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const provider = this.oidc.settings?.providerName;
    if (!provider) throw notFound('Page', req.url.split('?')[0]);
    const flow = oidcFlowOf(req);
    clearOidcFlowCookie(req, reply);
    const wait = await this.limiter.attempt(req.ip);
    if (wait !== undefined) {
      void reply.code(429).header('retry-after', String(wait));
      return this.form(req, reply, undefined, { kind: 'tooMany', seconds: wait });
    }
    if (!flow) {
      this.logger.emit('warn', 'workspace sign-in refused', {
        requestId: req.id,
        method: 'oidc',
        reason: 'no sign-in under way in this browser',
      });
      return this.problem(req, reply, undefined, 'flowMissing', 400);
    }
    const next = safeNext(flow.next);
    const query = new URL(req.url, 'http://console.invalid').search;
    const outcome = await this.oidc.finish(query, flow);
    switch (outcome.kind) {
      case 'providerRefused':
        this.logger.emit('info', 'workspace sign-in refused', {
          requestId: req.id,
          method: 'oidc',
          reason: 'refused by the identity provider',
          oauthError: outcome.error || null,
        });
        return this.problem(req, reply, next, 'refused', 401, outcome.error);
      case 'failed':
        return this.problem(req, reply, next, 'failed', 400);
      case 'unavailable':
        void reply.header('retry-after', '60');
        return this.problem(req, reply, next, 'unavailable', 503);
    }
    const signedIn = await this.sessions.signInAs(outcome.subject);
    if (!signedIn) {
      this.logger.emit('warn', 'workspace sign-in refused', {
        requestId: req.id,
        method: 'oidc',
        reason: 'subject not registered',
      });
      void reply.code(403);
      return this.pages.send(req, reply, (ctx) =>
        Promise.resolve(
          <NotRegisteredPage
            ctx={atSignIn(ctx, next)}
            provider={provider}
            subject={outcome.subject}
          />,
        ),
      );
    }
    setSessionCookie(req, reply, signedIn.sessionId);
    clearSignInCookie(req, reply);
    this.logger.emit('info', 'workspace sign-in', {
      requestId: req.id,
      method: 'oidc',
      principalId: signedIn.principal.id,
      role: signedIn.principal.role,
    });
    // A page that moves on by itself, not a 303: see SignedInPage.
    const location = next ?? '/console';
    void reply.header('refresh', `0;url=${location}`);
    return this.pages.send(req, reply, (ctx) =>
      Promise.resolve(
        <SignedInPage
          ctx={atSignIn(ctx, location)}
          name={signedIn.principal.name}
          next={location}
        />,
      ),
    );
  }

  private problem(
    req: FastifyRequest,
    reply: FastifyReply,
    next: string | undefined,
    problem: OidcProblem,
    status: number,
    error?: string,
  ): Promise<void> {
    void reply.code(status);
    return this.form(req, reply, next, { kind: 'oidc', problem, error });
  }

  private form(
    req: FastifyRequest,
    reply: FastifyReply,
    next: string | undefined,
    notice: SignInNotice,
  ): Promise<void> {
    const token = signInToken(req, reply);
    const idleMinutes = Math.round(this.config.console.sessionIdleSeconds / 60);
    return this.pages.send(req, reply, (ctx) =>
      Promise.resolve(
        <SignInPage
          ctx={atSignIn(ctx, next)}
          next={next}
          token={token}
          notice={notice}
          idleMinutes={idleMinutes}
          provider={this.oidc.settings?.providerName}
        />,
      ),
    );
  }
}

/**
 * Pages shown by these routes speak as the sign-in page: their language links point there,
 * never at the callback with the provider's code and state in its query. The callback's URL
 * is the one registered at the provider, without `?lang=`: the language the person chose
 * travels in the flow's `next` instead.
 */
function atSignIn(ctx: PageContext, next?: string): PageContext {
  const shown = { ...ctx, path: '/console/sign-in', query: new URLSearchParams() };
  const lang = next ? new URL(next, 'http://console.invalid').searchParams.get('lang') : null;
  if (!lang || !isLanguage(lang)) return shown;
  return { ...shown, lang, t: translator(lang), langInUrl: true };
}
