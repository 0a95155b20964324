import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpException } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { JsonLogger } from '../logging/json-logger';
import { GRAPHQL_PATH } from './graphql-options';

declare module 'fastify' {
  interface FastifyRequest {
    /** Filled in by the GraphQL logging plugin for the access log line. */
    graphqlOutcome?: { operationName: string | null; errorCodes: string[] };
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Fastify's `genReqId`: honours a well-formed `x-request-id` from the caller (or its proxy),
 * else makes one. It becomes `request.id`, which the audit trail and the logs carry.
 */
export function requestIdOf(raw: IncomingMessage): string {
  const incoming = raw.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** The one route that takes a CSV body, as a stream: the portfolio check. */
export const PORTFOLIO_PATH = '/eligibility/portfolio';

/** Writes a transport-level failure in the same shape as GraphQL errors. */
export function sendRequestError(
  reply: FastifyReply,
  status: number,
  message: string,
): FastifyReply {
  return reply.code(status).send({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] });
}

/** A request body that cannot be parsed: the client's error, with its HTTP status. */
export class RequestBodyError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * What a failure to read or parse a request body tells the client, as status and message, or
 * undefined for any other error. Our JSON parser fails with a {@link RequestBodyError}; Fastify's
 * own checks (the body limit, a media type without a parser) fail with a FastifyError, which
 * Nest hands to the exception filter as an HttpException of the same status. Only the body
 * reader answers 413 and 415 in this service.
 */
export function requestBodyErrorOf(
  error: unknown,
  limitBytes: number,
): { status: number; message: string } | undefined {
  if (error instanceof RequestBodyError)
    return { status: error.statusCode, message: error.message };
  const status =
    error instanceof HttpException
      ? error.getStatus()
      : (error as { statusCode?: unknown } | null)?.statusCode;
  if (status === 413) return { status, message: `Request body is larger than ${limitBytes} bytes` };
  if (status === 415) return { status, message: 'Request body must be application/json' };
  return undefined;
}

/**
 * JSON bodies as Express's `json()` read them: an empty body is `{}`, anything else must be
 * an object or an array (strict), else 400. Fastify's `bodyLimit` caps the size before this
 * runs, counting bytes as they arrive, so an oversize body is refused without being read.
 */
function parseJsonBody(
  _req: FastifyRequest,
  body: string,
  done: (error: Error | null, value?: unknown) => void,
): void {
  if (body.length === 0) return done(null, {});
  const first = /\S/.exec(body)?.[0];
  if (first !== '{' && first !== '[')
    return done(new RequestBodyError(400, 'Request body is not valid JSON'));
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return done(new RequestBodyError(400, 'Request body is not valid JSON'));
  }
  done(null, value);
}

/** What the HTTP edge needs from the rest of the service. */
export interface HttpPipelineOptions {
  logger: JsonLogger;
  /** While true, every response asks the client to reconnect (see `Lifecycle`). */
  draining: () => boolean;
}

/**
 * The HTTP edge as Fastify hooks, ahead of every route (GraphQL and REST):
 * - `onRequest`: the request id goes back on the response.
 * - `onSend`: while the instance drains before shutdown, every response carries
 *   `Connection: close`, those of requests that arrived before the drain began included, so
 *   no idle keep-alive connection holds the server's close up.
 * - the JSON body parser (see `parseJsonBody`), under the instance's `bodyLimit`; CSV bodies
 *   as streams.
 * - `preHandler` on the GraphQL route: batched HTTP requests (a JSON array of operations)
 *   multiply work per request and are refused.
 * - `onResponse`: one JSON access-log line per request once the response is sent: request
 *   id, operation name, duration and outcome. Headers are never logged, so keys and tokens
 *   never reach the log.
 */
export function registerHttpPipeline(fastify: FastifyInstance, options: HttpPipelineOptions): void {
  const { logger, draining } = options;
  fastify.decorateRequest('graphqlOutcome', undefined);

  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });

  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (draining()) void reply.header('connection', 'close');
    done(null, payload);
  });

  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody);
  // A CSV upload (the portfolio check) goes to its route as the request stream, read a batch
  // of rows at a time: the body limit, meant for bodies held whole, does not apply, and the
  // route bounds the rows it reads instead. Any other route refuses CSV as before (415).
  fastify.addContentTypeParser('text/csv', (request, payload, done) => {
    if (request.routeOptions.url === PORTFOLIO_PATH) return done(null, payload);
    done(new RequestBodyError(415, 'Request body must be application/json'));
  });

  fastify.addHook('preHandler', (request, reply, done) => {
    if (request.routeOptions.url === GRAPHQL_PATH && Array.isArray(request.body)) {
      sendRequestError(
        reply,
        400,
        'Batched requests are not supported: send one operation per request',
      );
      return;
    }
    done();
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    // Refused by the rate limit: logged once per client and window there instead.
    if (request.rateLimited) return done();
    const graphql = request.graphqlOutcome;
    const status = reply.statusCode;
    const failed = status >= 400 || (graphql?.errorCodes.length ?? 0) > 0;
    logger.emit(status >= 500 ? 'error' : 'info', 'request', {
      requestId: request.id,
      method: request.method,
      path: request.url.split('?')[0],
      status,
      operationName: graphql?.operationName ?? null,
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
      outcome: failed ? 'error' : 'ok',
      ...(graphql && graphql.errorCodes.length > 0 ? { errorCodes: graphql.errorCodes } : {}),
    });
    done();
  });
}
