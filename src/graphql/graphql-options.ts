import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriverConfig } from '@nestjs/apollo';
import type { FastifyRequest } from 'fastify';
import { CallerAuthenticator } from '../auth/caller-authenticator';
import { AppConfig } from '../config/config';
import { JsonLogger } from '../logging/json-logger';
import { GraphqlContext } from './context';
import { formatGraphqlError } from './error-mapping';
import { identifyCaller } from './fair-use';
import { loggingPlugin } from './logging.plugin';
import { ExpensiveOperations, queryCostPlugin } from './query-cost';
import { httpCachePlugin, PublicDataVersion } from './http-cache';
import { Clock } from '../common/clock';
import { responseSizePlugin, stringifyResult } from './response-size';
import { queryLimitRules } from './query-limits';
import { DateTimeScalar } from './scalars';
import { wellFormedInputPlugin } from './well-formed-input';

export const GRAPHQL_PATH = '/graphql';

/**
 * Expensive operations that may wait for their turn on one instance before more are turned
 * away (503, retry in 5 s): at a few milliseconds each, the last of them waits well under
 * a second, and a client told to come back soon is better off than one left hanging.
 */
const MAX_WAITING_EXPENSIVE = 200;

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
  publicDataVersion: PublicDataVersion,
  clock: Clock,
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
    stringifyResult,
    plugins: [
      // httpCachePlugin sets every response's Cache-Control itself.
      ApolloServerPluginCacheControlDisabled(),
      // First: the size check may replace the response the logging plugin then reports.
      responseSizePlugin(config.graphqlLimits.maxResponseBytes),
      loggingPlugin(logger),
      wellFormedInputPlugin(),
      httpCachePlugin(publicDataVersion, clock, config.httpCache),
      queryCostPlugin({
        maxCost: config.graphqlLimits.maxCost,
        expensiveCost: config.fairUse.expensiveCost,
        expensive: new ExpensiveOperations(
          config.fairUse.concurrentExpensivePerClient,
          config.fairUse.expensiveAtOnce,
          MAX_WAITING_EXPENSIVE,
        ),
      }),
    ],
    // @as-integrations/fastify calls it with the Fastify request (and reply).
    context: async (req: FastifyRequest): Promise<GraphqlContext> => {
      // Identified already by the fair-use hook; the same outcome, not a second lookup.
      const caller = await identifyCaller(req, authenticator, logger);
      return { req, requestId: req.id, ...caller };
    },
  };
}
