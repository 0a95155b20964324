import { ArgumentsHost, Catch, ExceptionFilter, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { ErrorCode } from '../common/errors';
import { clientErrorOf } from '../graphql/error-mapping';
import { JsonLogger } from '../logging/json-logger';
import { describeFailure, htmlDocument, pageContext } from '../portal/page';
import { PageContext } from '../portal/views/page-context';
import { ConsoleRedirect, CsrfRefused, signInLocation } from './console-access';
import { ConsoleErrorPage } from './views/console-layout';

/**
 * Sends the workspace's pages: HTML from the portal's templates, never cached anywhere
 * (`no-store`: they show drafts and who is signed in), and failures as pages of the
 * workspace with the status the API would give (404 for another country's draft, 403 for a
 * role that may not), never a stack.
 */
@Injectable()
export class ConsolePages {
  constructor(private readonly logger: JsonLogger) {}

  async send(
    req: FastifyRequest,
    reply: FastifyReply,
    build: (ctx: PageContext) => Promise<VNode>,
  ): Promise<void> {
    const ctx = pageContext(req);
    try {
      const html = htmlDocument(await build(ctx));
      await reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
    } catch (error) {
      await this.fail(req, reply, error);
    }
  }

  /** POST/redirect/GET: after a form, the browser asks for a page (303 See Other). */
  async redirect(reply: FastifyReply, location: string): Promise<void> {
    await reply.code(303).header('cache-control', 'no-store').header('location', location).send();
  }

  async fail(req: FastifyRequest, reply: FastifyReply, error: unknown): Promise<void> {
    if (error instanceof ConsoleRedirect) return this.redirect(reply, error.location);
    if (clientErrorOf(error)?.code === ErrorCode.UNAUTHENTICATED)
      return this.redirect(reply, signInLocation(req, false));
    const ctx = pageContext(req);
    const failure =
      error instanceof CsrfRefused
        ? { status: 403, title: ctx.t('console:csrf.title'), message: ctx.t('console:csrf.text') }
        : describeFailure(ctx, error, this.logger);
    if (error instanceof CsrfRefused) {
      this.logger.emit('warn', 'workspace form refused: no valid form token', {
        requestId: req.id,
        path: req.url.split('?')[0],
      });
    }
    await reply
      .code(failure.status)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(
        htmlDocument(
          <ConsoleErrorPage
            ctx={ctx}
            session={req.consoleSession}
            title={failure.title}
            message={failure.message}
          />,
        ),
      );
  }
}

/** Whatever the guard or a handler of the workspace throws becomes a page (see ConsolePages). */
@Catch()
@Injectable()
export class ConsoleExceptionFilter implements ExceptionFilter {
  constructor(private readonly pages: ConsolePages) {}

  catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    return this.pages.fail(
      http.getRequest<FastifyRequest>(),
      http.getResponse<FastifyReply>(),
      exception,
    );
  }
}
