import { ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { OperationTypeNode } from 'graphql';
import { createHash } from 'node:crypto';
import { Clock } from '../common/clock';
import { GraphqlContext } from './context';

/**
 * What changes whenever anything a public read can return changes: every write is an audit
 * event, and checkpoints are signed apart from events. The audit feature implements it.
 */
export abstract class PublicDataVersion {
  abstract current(): Promise<string>;
}

/** How long a shared cache may serve a public read, then serve it stale while it revalidates. */
export interface HttpCachePolicy {
  maxAgeSeconds: number;
  staleWhileRevalidateSeconds: number;
}

/** True when `header` (an If-None-Match value) names `etag`, weakly compared (RFC 9110). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/**
 * The ETag of an anonymous GET query: the public data version, the registry's day and the
 * query string (see {@link httpCachePlugin}). Shared with the eligibility fast path, which
 * answers the same requests without Apollo and must tag them alike.
 */
export async function publicReadEtag(
  version: PublicDataVersion,
  clock: Clock,
  search: string,
): Promise<string> {
  const tag = createHash('sha256')
    .update(JSON.stringify([await version.current(), clock.today(), search]))
    .digest('base64url')
    .slice(0, 27);
  return `W/"${tag}"`;
}

/** `Cache-Control` of a successful anonymous GET query. */
export function publicCacheControl(policy: HttpCachePolicy): string {
  return `public, max-age=${policy.maxAgeSeconds}, stale-while-revalidate=${policy.staleWhileRevalidateSeconds}`;
}

/**
 * HTTP caching for anonymous GET queries, so that a CDN or reverse proxy in front can serve
 * public reads (lists in force, eligibility answers, countries) to any number of readers:
 * - `Cache-Control: public, max-age=…, stale-while-revalidate=…` on successful answers;
 * - an `ETag` from the registry's public data version (the audit log's head and its latest
 *   checkpoint), the registry's calendar day (what is in force, and "today" in eligibility
 *   answers, turn over at midnight UTC without any write) and the request itself. A GraphQL
 *   query may read any number of countries and versions, so the one value that changes with
 *   every one of them is what the tag rests on: it is never stale, at the price of changing
 *   with every write anywhere;
 * - `304 Not Modified` without running the query when `If-None-Match` names that tag.
 * POST, mutations and requests with credentials are left alone (`Cache-Control: private,
 * no-store` for the latter): an answer depends on who asks. Every other answer gets
 * `no-store`: this plugin replaces Apollo's cache-control plugin, which said the same but
 * wrapped every field's resolver to compute per-field hints we never use (issue #13). Apollo's CSRF prevention stays on,
 * so GET queries carry `apollo-require-preflight: true` (or a non-simple content type).
 */
export function httpCachePlugin(
  version: PublicDataVersion,
  clock: Clock,
  policy: HttpCachePolicy,
): ApolloServerPlugin<GraphqlContext> {
  return {
    requestDidStart({ request, contextValue }) {
      const http = request.http;
      if (!http) return Promise.resolve();
      const anonymous = !http.headers.get('authorization');
      if (!anonymous) {
        return Promise.resolve({
          willSendResponse({ response }) {
            response.http.headers.set('cache-control', 'private, no-store');
            return Promise.resolve();
          },
        });
      }
      const noStore = {
        willSendResponse({ response }: { response: { http: { headers: HeaderMap } } }) {
          response.http.headers.set('cache-control', 'no-store');
          return Promise.resolve();
        },
      };
      if (http.method !== 'GET' || contextValue.authError) return Promise.resolve(noStore);
      let etag: string | undefined;
      return Promise.resolve({
        async responseForOperation({ operation }) {
          if (operation.operation !== OperationTypeNode.QUERY) return null;
          etag = await publicReadEtag(version, clock, http.search);
          if (!matchesEtag(http.headers.get('if-none-match'), etag)) return null;
          return {
            http: { status: 304, headers: new HeaderMap([['etag', etag]]) },
            body: { kind: 'single', singleResult: {} },
          };
        },
        willSendResponse({ response }) {
          if (!etag) return noStore.willSendResponse({ response });
          const body = response.body;
          const status = response.http.status ?? 200;
          const ok = body.kind === 'single' && !body.singleResult.errors && status < 300;
          if (!ok && status !== 304) return noStore.willSendResponse({ response });
          response.http.headers.set('etag', etag);
          // The same URL with a credential is another answer, never this one.
          response.http.headers.set('vary', 'authorization');
          response.http.headers.set('cache-control', publicCacheControl(policy));
          return Promise.resolve();
        },
      });
    },
  };
}
