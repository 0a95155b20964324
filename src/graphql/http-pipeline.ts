import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { json } from 'express';
import { JsonLogger } from '../logging/json-logger';

declare module 'express' {
  interface Request {
    requestId?: string;
    /** Filled in by the GraphQL logging plugin for the access log line. */
    graphqlOutcome?: { operationName: string | null; errorCodes: string[] };
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Honours a well-formed `x-request-id` from the caller (or its proxy), else makes one. */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.header('x-request-id');
  req.requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('x-request-id', req.requestId);
  next();
}

/**
 * One JSON line per request once the response is sent: request id, operation name,
 * duration and outcome. Headers are never logged, so keys and tokens never reach the log.
 */
export function accessLogMiddleware(logger: JsonLogger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // Refused by the rate limit: logged once per client and window there instead.
      if (req.rateLimited) return;
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const graphql = req.graphqlOutcome;
      const failed = res.statusCode >= 400 || (graphql?.errorCodes.length ?? 0) > 0;
      logger.emit(res.statusCode >= 500 ? 'error' : 'info', 'request', {
        requestId: req.requestId,
        method: req.method,
        path: req.originalUrl.split('?')[0],
        status: res.statusCode,
        operationName: graphql?.operationName ?? null,
        durationMs: Math.round(durationMs * 100) / 100,
        outcome: failed ? 'error' : 'ok',
        ...(graphql && graphql.errorCodes.length > 0 ? { errorCodes: graphql.errorCodes } : {}),
      });
    });
    next();
  };
}

/** Writes a transport-level failure in the same shape as GraphQL errors. */
export function sendRequestError(res: Response, status: number, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] });
}

/**
 * JSON bodies up to `limitBytes`; malformed or oversize bodies get a 400/413 with a
 * GraphQL-shaped error instead of the framework's HTML error page.
 */
export function jsonBodyMiddleware(limitBytes: number) {
  const parse = json({ limit: limitBytes });
  return (req: Request, res: Response, next: NextFunction): void => {
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const type = (error as { type?: string }).type;
      if (type === 'entity.too.large') {
        return sendRequestError(res, 413, `Request body is larger than ${limitBytes} bytes`);
      }
      if (type === 'entity.parse.failed') {
        return sendRequestError(res, 400, 'Request body is not valid JSON');
      }
      return sendRequestError(res, 400, 'Request body could not be read');
    });
  };
}

/** Batched HTTP requests (a JSON array of operations) multiply work per request: refused. */
export function rejectBatchedRequests(req: Request, res: Response, next: NextFunction): void {
  if (Array.isArray(req.body)) {
    return sendRequestError(
      res,
      400,
      'Batched requests are not supported: send one operation per request',
    );
  }
  next();
}

/** While the instance drains before shutdown, every response asks the client to reconnect. */
export function connectionCloseWhileDraining(draining: () => boolean) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    if (draining()) res.setHeader('connection', 'close');
    next();
  };
}
