import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';
import { Clock } from '../common/clock';
import { matchesEtag, PublicDataVersion } from '../graphql/http-cache';
import { negotiateLanguage, translator } from './i18n';
import { STYLESHEET_URL } from './assets';
import { PageContext } from './views/page-context';
import { ErrorPage } from './views/error';
import { PageError } from './page-error';
import { clientErrorOf } from '../graphql/error-mapping';
import { ErrorCode } from '../common/errors';
import { JsonLogger } from '../logging/json-logger';

/** Rendered pages kept in memory (a page is 2 to 15 KB: a few megabytes at most). */
const MAX_KEPT_PAGES = 500;

/** How long browsers and shared caches may keep a page, then serve it stale while revalidating. */
export interface PageCachePolicy {
  maxAgeSeconds: number;
  staleWhileRevalidateSeconds: number;
}

/** A file a reader downloads (an export, a template), produced only when it is sent. */
export interface Download {
  filename: string;
  mediaType: string;
  /**
   * What the file is made from, for its ETag. `data: 'published'`: only published content
   * that never changes (a version, by its digest); `'public'`: whatever is public, so the
   * tag also rests on the public data version and today's date (lists in force).
   */
  tag: { data: 'published' | 'public'; parts: unknown[] };
  body(): string | Readable;
}

/** The reader's language and the helpers every view needs, from the request. */
export function pageContext(req: FastifyRequest): PageContext {
  const url = new URL(req.url, 'http://portal.invalid');
  const requested = url.searchParams.get('lang');
  const lang = negotiateLanguage(requested, req.headers['accept-language']);
  url.searchParams.delete('lang');
  return {
    t: translator(lang),
    lang,
    langInUrl: requested === lang,
    path: url.pathname,
    query: url.searchParams,
    stylesheet: STYLESHEET_URL,
  };
}

/** A complete HTML document from a view. */
export const htmlDocument = (view: VNode): string => `<!doctype html>${render(view)}`;

/**
 * Serves one public page with the caching of public GraphQL reads: an ETag from the
 * registry's public data version (every write and checkpoint changes it), today's date (what
 * is in force turns over at midnight UTC), the language and the URL; `304` without
 * rendering when `If-None-Match` names it; `Cache-Control: public` with
 * `stale-while-revalidate`, so a CDN can serve the portal to any number of readers.
 *
 * The tag names everything a page is made from, so the page itself is kept under it too: a
 * reader who asks for a page someone already read since the last change gets it from memory,
 * without its queries or its rendering (the budget is 50 ms at p99; a list's page takes 10 to
 * 20 ms to build). Any write or checkpoint changes every tag, and midnight too, so nothing
 * kept can be served stale; the oldest pages go first past MAX_KEPT_PAGES.
 */
export class PageResponder {
  private readonly kept = new Map<string, { status: number; html: string }>();

  constructor(
    private readonly version: PublicDataVersion,
    private readonly clock: Clock,
    private readonly policy: PageCachePolicy,
    private readonly logger: JsonLogger,
  ) {}

  async send(
    req: FastifyRequest,
    reply: FastifyReply,
    build: (ctx: PageContext) => Promise<VNode>,
  ): Promise<void> {
    const ctx = pageContext(req);
    try {
      await this.sendPage(ctx, req, reply, build);
    } catch (error) {
      await this.sendError(ctx, reply, error);
    }
  }

  private async sendPage(
    ctx: PageContext,
    req: FastifyRequest,
    reply: FastifyReply,
    build: (ctx: PageContext) => Promise<VNode>,
  ): Promise<void> {
    const etag = `W/"${createHash('sha256')
      .update(JSON.stringify([await this.version.current(), this.clock.today(), ctx.lang, req.url]))
      .digest('base64url')
      .slice(0, 27)}"`;
    void reply
      .header('etag', etag)
      .header('vary', 'accept-language')
      .header(
        'cache-control',
        `public, max-age=${this.policy.maxAgeSeconds}, stale-while-revalidate=${this.policy.staleWhileRevalidateSeconds}`,
      );
    if (matchesEtag(req.headers['if-none-match'], etag)) {
      await reply.code(304).send();
      return;
    }
    let page = this.kept.get(etag);
    if (!page) {
      const html = htmlDocument(await build(ctx));
      page = { status: reply.statusCode, html };
      this.kept.set(etag, page);
      if (this.kept.size > MAX_KEPT_PAGES) this.kept.delete(this.kept.keys().next().value!);
    }
    await reply.code(page.status).type('text/html; charset=utf-8').send(page.html);
  }

  /**
   * Serves a download with the pages' caching (ETag, 304, `Cache-Control: public`), or the
   * error page when `make` refuses (unknown country, a draft's number, a bad date).
   */
  async sendDownload(
    req: FastifyRequest,
    reply: FastifyReply,
    make: () => Promise<Download>,
  ): Promise<void> {
    const ctx = pageContext(req);
    try {
      const download = await make();
      const basis =
        download.tag.data === 'public'
          ? [await this.version.current(), this.clock.today(), ...download.tag.parts]
          : download.tag.parts;
      const etag = `W/"${createHash('sha256').update(JSON.stringify(basis)).digest('base64url').slice(0, 27)}"`;
      void reply
        .header('etag', etag)
        .header(
          'cache-control',
          `public, max-age=${this.policy.maxAgeSeconds}, stale-while-revalidate=${this.policy.staleWhileRevalidateSeconds}`,
        );
      if (matchesEtag(req.headers['if-none-match'], etag)) {
        await reply.code(304).send();
        return;
      }
      await reply
        .code(200)
        .type(download.mediaType)
        .header('content-disposition', `attachment; filename="${download.filename}"`)
        .send(download.body());
    } catch (error) {
      await this.sendError(ctx, reply, error);
    }
  }

  /** An error page with its status, never a stack; faults are logged, not shown. */
  private async sendError(ctx: PageContext, reply: FastifyReply, error: unknown): Promise<void> {
    const { t } = ctx;
    let status = 500;
    let title = t('error.faultTitle');
    let message = t('error.faultText');
    const client = clientErrorOf(error);
    if (error instanceof PageError) {
      status = error.status;
      title = t(status === 404 ? 'error.notFoundTitle' : 'error.badRequestTitle');
      message = error.explain(t);
    } else if (client?.code === ErrorCode.SERVICE_UNAVAILABLE) {
      status = 503;
      title = t('error.unavailableTitle');
      message = t('error.unavailableText');
      void reply.header('retry-after', String(client.retryAfterSeconds ?? 5));
    } else if (client?.code === ErrorCode.NOT_FOUND) {
      status = 404;
      title = t('error.notFoundTitle');
      message = t('error.notFound');
    } else if (client) {
      status = 400;
      title = t('error.badRequestTitle');
      message = client.message;
    } else {
      this.logger.emit('error', 'page failed', {
        error: error instanceof Error ? error.message : String(error),
        stack: error instanceof Error ? error.stack : undefined,
      });
    }
    void reply.removeHeader('etag');
    await reply
      .code(status)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(htmlDocument(<ErrorPage ctx={ctx} title={title} message={message} />));
  }
}
