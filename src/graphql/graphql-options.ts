import { ApolloDriverConfig } from '@nestjs/apollo';
import type { Request } from 'express';
import { CallerAuthenticator } from '../auth/caller-authenticator';
import { DomainError, serviceUnavailable } from '../common/errors';
import { AppConfig } from '../config/config';
import { JsonLogger } from '../logging/json-logger';
import { GraphqlContext } from './context';
import { formatGraphqlError, isDatabaseUnreachable } from './error-mapping';
import { loggingPlugin } from './logging.plugin';
import { queryCostPlugin } from './query-cost';
import { queryLimitRules } from './query-limits';
import { DateTimeScalar } from './scalars';
import { wellFormedInputPlugin } from './well-formed-input';

export const GRAPHQL_PATH = '/graphql';

/** JS `Date` fields are the contract's `DateTime`, with our strict scalar. */
export const SCHEMA_BUILD_OPTIONS = { scalarsMap: [{ type: Date, scalar: DateTimeScalar }] };

/**
 * Apollo settings: code-first schema, limits, text that cannot be stored refused before
 * execution, error mapping, per-request context.
 */
export function graphqlOptions(
  config: AppConfig,
  authenticator: CallerAuthenticator,
  logger: JsonLogger,
): ApolloDriverConfig {
  return {
    path: GRAPHQL_PATH,
    autoSchemaFile: true,
    sortSchema: true,
    buildSchemaOptions: SCHEMA_BUILD_OPTIONS,
    introspection: true,
    playground: false,
    graphiql: false,
    autoTransformHttpErrors: false,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: config.graphqlLimits.maxTokens },
    validationRules: queryLimitRules(config.graphqlLimits),
    formatError: formatGraphqlError,
    plugins: [
      loggingPlugin(logger),
      wellFormedInputPlugin(),
      queryCostPlugin(config.graphqlLimits.maxCost),
    ],
    context: async ({ req }: { req: Request }): Promise<GraphqlContext> => {
      const base = { req, requestId: req.requestId ?? 'unknown' };
      try {
        const principal = await authenticator.authenticate(req.header('authorization'));
        return { ...base, principal };
      } catch (error) {
        if (error instanceof DomainError) return { ...base, principal: null, authError: error };
        if (isDatabaseUnreachable(error)) {
          // Raised by the guard as SERVICE_UNAVAILABLE, like any other outage; logged here,
          // where the cause is still at hand.
          logger.emit('error', 'database unreachable', {
            requestId: base.requestId,
            error: (error as Error).message,
          });
          return { ...base, principal: null, authError: serviceUnavailable() };
        }
        throw error;
      }
    },
  };
}
