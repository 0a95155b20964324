import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { JsonLogger } from '../logging/json-logger';

/**
 * Lets GraphQL errors through untouched to the one mapping at the Apollo edge (Nest would
 * otherwise log every client error as a server fault), and answers REST routes with a
 * generic body, never a stack trace.
 */
@Catch()
export class EdgeExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: JsonLogger) {}

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() === 'graphql') return exception;
    const res = host.switchToHttp().getResponse<Response>();
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
