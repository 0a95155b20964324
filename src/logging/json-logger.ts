import { LoggerService } from '@nestjs/common';
import { LOG_LEVELS, LogLevelName } from './log-levels';

type Fields = Record<string, unknown>;

const FRAMEWORK_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
  'GraphQLModule',
]);

/**
 * One JSON object per line on stdout, so that log shippers need no parsing rules.
 * Used for Nest's own messages and for the per-request lines.
 */
export class JsonLogger implements LoggerService {
  private readonly threshold: number;

  constructor(
    level: LogLevelName = 'info',
    private readonly write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
  ) {
    this.threshold = LOG_LEVELS.indexOf(level);
  }

  enabled(level: LogLevelName): boolean {
    return LOG_LEVELS.indexOf(level) <= this.threshold;
  }

  emit(level: LogLevelName, msg: string, fields: Fields = {}): void {
    if (!this.enabled(level)) return;
    this.write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }));
  }

  log(message: unknown, context?: string): void {
    // Nest's start-up chatter (modules loaded, routes mapped) is only interesting when debugging.
    const level = context && FRAMEWORK_CONTEXTS.has(context) ? 'debug' : 'info';
    this.emit(level, String(message), context ? { context } : {});
  }
  error(message: unknown, stack?: string, context?: string): void {
    this.emit('error', String(message), {
      ...(context ? { context } : {}),
      ...(stack ? { stack } : {}),
    });
  }
  warn(message: unknown, context?: string): void {
    this.emit('warn', String(message), context ? { context } : {});
  }
  debug(message: unknown, context?: string): void {
    this.emit('debug', String(message), context ? { context } : {});
  }
  verbose(message: unknown, context?: string): void {
    this.emit('debug', String(message), context ? { context } : {});
  }
}
