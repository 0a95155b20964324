import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { Clock } from './common/clock';
import { AppConfig } from './config/config';
import { GRAPHQL_PATH } from './graphql/graphql-options';
import { Lifecycle } from './health/lifecycle';
import {
  accessLogMiddleware,
  connectionCloseWhileDraining,
  jsonBodyMiddleware,
  rejectBatchedRequests,
  requestIdMiddleware,
} from './graphql/http-pipeline';
import { JsonLogger } from './logging/json-logger';
import { CallerAuthenticator } from './auth/caller-authenticator';
import { fairUseMiddleware, RequestRateLimiter } from './graphql/fair-use';

/**
 * Builds the service on a database URL, ready to `listen`. Shared by `main.ts` and the
 * tests so that both run exactly the same HTTP pipeline.
 */
export async function createApp(
  config: AppConfig,
  databaseUrl: string,
  logger: JsonLogger,
  clock?: Clock,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, databaseUrl, logger, clock),
    { logger, bodyParser: false, abortOnError: false },
  );
  app.disable('x-powered-by');
  // No ETag hashed over every response body: public GET queries get one that means something
  // (src/graphql/http-cache.ts), and nothing else is cacheable.
  app.set('etag', false);
  // Who the client is (req.ip) when a trusted proxy forwards for it.
  app.set('trust proxy', config.fairUse.trustProxy);
  const lifecycle = app.get(Lifecycle);
  app.use(requestIdMiddleware);
  app.use(connectionCloseWhileDraining(() => lifecycle.draining));
  app.use(accessLogMiddleware(logger));
  app.use(fairUseMiddleware(app.get(CallerAuthenticator), app.get(RequestRateLimiter), logger));
  app.use(jsonBodyMiddleware(config.bodyLimitBytes));
  app.use(GRAPHQL_PATH, rejectBatchedRequests);
  await app.init();
  return app;
}
