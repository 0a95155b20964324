import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { Clock } from './common/clock';
import { AppConfig } from './config/config';
import { Lifecycle } from './health/lifecycle';
import { registerHttpPipeline, requestIdOf } from './graphql/http-pipeline';
import { JsonLogger } from './logging/json-logger';
import { CallerAuthenticator } from './auth/caller-authenticator';
import { registerFairUse, RequestRateLimiter } from './graphql/fair-use';
import { registerSecurityHeaders } from './portal/security-headers';
import { registerGraphiql } from './portal/graphiql';
import { registerConsoleHttp } from './console/console-http';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { EligibilityFastPath } from './eligibility/eligibility-fast-path';
import { EligibilityService } from './eligibility/eligibility.service';
import { PublicDataVersion } from './graphql/http-cache';

/**
 * Builds the service on a database URL, ready to `listen`. Shared by `main.ts` and the
 * tests so that both run exactly the same HTTP pipeline.
 *
 * The HTTP layer is Fastify (issue #13: it costs about half of what Express did per request):
 * its own options do what Express needed code for, and the rest of the edge is hooks (see
 * `registerHttpPipeline` and `registerFairUse`).
 */
export async function createApp(
  config: AppConfig,
  databaseUrl: string,
  logger: JsonLogger,
  clock?: Clock,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    // Larger bodies are refused with 413, from their content-length before any is read, or
    // as soon as the bytes received pass it.
    bodyLimit: config.bodyLimitBytes,
    // Who the client is (request.ip) when a trusted proxy forwards for it: the same value
    // forms as Express's `trust proxy` (hops, or addresses, CIDR ranges and named ranges).
    trustProxy: config.fairUse.trustProxy,
    // request.id: a well-formed incoming x-request-id, else a new UUID (see requestIdOf).
    requestIdHeader: false,
    genReqId: requestIdOf,
    // After the drain, the server closes: requests that still arrive on open connections are
    // served (with Connection: close, which Fastify sets while closing) rather than given 503.
    return503OnClosing: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, databaseUrl, logger, clock),
    adapter,
    // Our JSON parser (in registerHttpPipeline) replaces Nest's, for the error shape.
    { logger, bodyParser: false, abortOnError: false },
  );
  const fastify = app.getHttpAdapter().getInstance();
  const lifecycle = app.get(Lifecycle);
  registerHttpPipeline(fastify, { logger, draining: () => lifecycle.draining });
  registerFairUse(fastify, app.get(CallerAuthenticator), app.get(RequestRateLimiter), logger);
  // After the edge's hooks, before Apollo: see EligibilityFastPath.
  if (config.graphqlFastPath) {
    new EligibilityFastPath({
      service: app.get(EligibilityService),
      version: app.get(PublicDataVersion),
      clock: app.get(Clock),
      config,
      schema: () => app.get(GraphQLSchemaHost).schema,
    }).register(fastify);
  }
  registerSecurityHeaders(app);
  await registerConsoleHttp(app, config.bodyLimitBytes);
  // After helmet: the explorer's page replaces its Content-Security-Policy.
  registerGraphiql(fastify);
  await app.init();
  // Routes are in place once Fastify is ready, also for a server the tests listen on directly.
  await fastify.ready();
  return app;
}
