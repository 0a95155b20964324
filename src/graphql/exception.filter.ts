import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ErrorCode, serviceUnavailable } from '../common/errors';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JsonLogger } from '../logging/json-logger';
import { clientErrorOf, isDatabaseUnreachable } from './error-mapping';
import { requestBodyErrorOf, sendRequestError } from './http-pipeline';

const HTTP_STATUS: Record<ErrorCode, number> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.INVALID_STATE]: 409,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
};

/**
 * Lets GraphQL errors through untouched to the one mapping at the Apollo edge (Nest would
 * otherwise log every client error as a server fault), and answers REST routes with a
 * GraphQL-shaped body for client errors (as the same mapping tells them) and a generic one
 * for faults, never a stack trace. A request body that cannot be read or parsed (too large,
 * malformed JSON) fails before any route runs, GraphQL's included, and is answered here too,
 * in the GraphQL error shape.
 */
@Catch()
export class EdgeExceptionFilter implements ExceptionFilter {
  private readonly bodyLimitBytes: number;

  constructor(
    private readonly logger: JsonLogger,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.bodyLimitBytes = config.bodyLimitBytes;
  }

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() === 'graphql') {
      if (isDatabaseUnreachable(exception)) {
        // The client is told SERVICE_UNAVAILABLE (a DomainError the mapping formats); the
        // cause is logged here, where it is still at hand.
        this.logger.emit('error', 'database unreachable', {
          error: String((exception as { message?: unknown }).message ?? exception),
        });
        return serviceUnavailable();
      }
      return exception;
    }
    const res = host.switchToHttp().getResponse<FastifyReply>();
    const bodyError = requestBodyErrorOf(exception, this.bodyLimitBytes);
    if (bodyError) {
      sendRequestError(res, bodyError.status, bodyError.message);
      return undefined;
    }
    const clientError = clientErrorOf(exception);
    if (clientError) {
      if (clientError.retryAfterSeconds !== undefined)
        void res.header('retry-after', String(clientError.retryAfterSeconds));
      void res.code(HTTP_STATUS[clientError.code]).send({
        errors: [{ message: clientError.message, extensions: { code: clientError.code } }],
      });
      return undefined;
    }
    if (exception instanceof HttpException) {
      void res.code(exception.getStatus()).send({ message: exception.message });
      return undefined;
    }
    this.logger.emit('error', 'unexpected error', {
      error: exception instanceof Error ? exception.message : String(exception),
      stack: exception instanceof Error ? exception.stack : undefined,
    });
    void res.code(500).send({ message: 'Internal server error' });
    return undefined;
  }
}
