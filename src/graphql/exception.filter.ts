import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { ErrorCode, serviceUnavailable } from '../common/errors';
import { JsonLogger } from '../logging/json-logger';
import { clientErrorOf, isDatabaseUnreachable } from './error-mapping';

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
 * for faults, never a stack trace.
 */
@Catch()
export class EdgeExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: JsonLogger) {}

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
    const res = host.switchToHttp().getResponse<Response>();
    const clientError = clientErrorOf(exception);
    if (clientError) {
      if (clientError.retryAfterSeconds !== undefined)
        res.setHeader('retry-after', String(clientError.retryAfterSeconds));
      res.status(HTTP_STATUS[clientError.code]).json({
        errors: [{ message: clientError.message, extensions: { code: clientError.code } }],
      });
      return undefined;
    }
    if (exception instanceof HttpException) {
      res.status(exception.getStatus()).json({ message: exception.message });
      return undefined;
    }
    this.logger.emit('error', 'unexpected error', {
      error: exception instanceof Error ? exception.message : String(exception),
      stack: exception instanceof Error ? exception.stack : undefined,
    });
    res.status(500).json({ message: 'Internal server error' });
    return undefined;
  }
}
