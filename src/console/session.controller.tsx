import { Controller, Get, Inject, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JsonLogger } from '../logging/json-logger';
import { ConsoleSessions } from '../principals/console-sessions';
import { ConsoleGuard, CsrfRefused, keepLanguage, safeNext } from './console-access';
import { ConsoleExceptionFilter, ConsolePages } from './console-pages';
import { SessionRoute } from './console-route';
import {
  clearSessionCookie,
  clearSignInCookie,
  sameToken,
  sessionIdOf,
  setSessionCookie,
  signInCookieOf,
  signInToken,
} from './session-cookie';
import { SignInLimiter } from './sign-in-limiter';
import { SignInNotice, SignInPage } from './views/sign-in';

const field = (body: unknown, name: string): string | undefined => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * Signing in with an API key and out again. Neither is a registry change, so neither is an
 * audit event: both are logged (principal and request id, never the key or the session id).
 */
@Controller('console')
@UseGuards(ConsoleGuard)
@UseFilters(ConsoleExceptionFilter)
export class ConsoleSessionController {
  constructor(
    private readonly sessions: ConsoleSessions,
    private readonly pages: ConsolePages,
    private readonly limiter: SignInLimiter,
    private readonly logger: JsonLogger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('sign-in')
  @SessionRoute()
  async signInPage(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const query = req.query as Record<string, unknown>;
    const next = safeNext(query.next);
    if (req.consoleSession)
      return this.pages.redirect(reply, keepLanguage(req, next ?? '/console'));
    const notice: SignInNotice | undefined =
      query.expired === '1'
        ? { kind: 'expired' }
        : query['signed-out'] === '1'
          ? { kind: 'signedOut' }
          : undefined;
    return this.form(req, reply, next, notice);
  }

  @Post('sign-in')
  @SessionRoute()
  async signIn(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const next = safeNext(field(req.body, 'next'));
    const expected = signInCookieOf(req);
    if (!expected || !sameToken(expected, field(req.body, '_csrf'))) {
      void reply.code(403);
      return this.form(req, reply, next, { kind: 'formExpired' });
    }
    const wait = await this.limiter.attempt(req.ip);
    if (wait !== undefined) {
      void reply.code(429).header('retry-after', String(wait));
      return this.form(req, reply, next, { kind: 'tooMany', seconds: wait });
    }
    const key = field(req.body, 'key') ?? '';
    if (key.trim() === '') {
      void reply.code(400);
      return this.form(req, reply, next, { kind: 'missingKey' });
    }
    const signedIn = await this.sessions.signIn(key);
    if (!signedIn) {
      this.logger.emit('warn', 'workspace sign-in refused', { requestId: req.id });
      void reply.code(401);
      return this.form(req, reply, next, { kind: 'refused' });
    }
    setSessionCookie(req, reply, signedIn.sessionId);
    clearSignInCookie(req, reply);
    this.logger.emit('info', 'workspace sign-in', {
      requestId: req.id,
      principalId: signedIn.principal.id,
      role: signedIn.principal.role,
    });
    return this.pages.redirect(reply, keepLanguage(req, next ?? '/console'));
  }

  @Post('sign-out')
  @SessionRoute()
  async signOut(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = req.consoleSession;
    if (session && !sameToken(session.csrfToken, field(req.body, '_csrf'))) throw new CsrfRefused();
    await this.sessions.signOut(sessionIdOf(req));
    clearSessionCookie(req, reply);
    if (session) {
      this.logger.emit('info', 'workspace sign-out', {
        requestId: req.id,
        principalId: session.principal.id,
      });
    }
    return this.pages.redirect(reply, keepLanguage(req, '/console/sign-in?signed-out=1'));
  }

  private form(
    req: FastifyRequest,
    reply: FastifyReply,
    next: string | undefined,
    notice: SignInNotice | undefined,
  ): Promise<void> {
    const token = signInToken(req, reply);
    const idleMinutes = Math.round(this.config.console.sessionIdleSeconds / 60);
    return this.pages.send(req, reply, (ctx) =>
      Promise.resolve(
        <SignInPage
          ctx={ctx}
          next={next}
          token={token}
          notice={notice}
          idleMinutes={idleMinutes}
          provider={this.config.console.oidcSignIn?.providerName}
        />,
      ),
    );
  }
}
