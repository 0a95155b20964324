import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { AccessGuard } from './auth/access.guard';
import { CallerAuthenticator } from './auth/caller-authenticator';
import { Clock } from './common/clock';
import { AppConfig } from './config/config';
import { APP_CONFIG } from './config/config.module';
import { CoreModule } from './core.module';
import { RESOLVERS } from './resolvers';
import { graphqlOptions } from './graphql/graphql-options';
import { EdgeExceptionFilter } from './graphql/exception.filter';
import { InputValidationPipe } from './graphql/input-validation.pipe';
import { HealthController } from './health/health.controller';
import { Lifecycle } from './health/lifecycle';
import { AuditExportController } from './audit/audit-export.controller';
import { JsonLogger } from './logging/json-logger';
import { PrincipalsModule } from './principals/principals.module';
import { AuditReadModule } from './audit/audit-read.module';
import { PublicDataVersion } from './graphql/http-cache';
import { RequestRateLimiter } from './graphql/fair-use';
import { RateLimitModule } from './graphql/rate-limit-store';
import { PortalModule } from './portal/portal.module';
import { ConsoleModule } from './console/console.module';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher';

/** The whole service: the core plus its GraphQL and HTTP edge. */
@Module({})
export class AppModule {
  static forRoot(
    config: AppConfig,
    databaseUrl: string,
    logger: JsonLogger,
    clock?: Clock,
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, databaseUrl, logger, clock),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [PrincipalsModule, AuditReadModule],
          inject: [APP_CONFIG, CallerAuthenticator, JsonLogger, PublicDataVersion, Clock],
          useFactory: graphqlOptions,
        }),
        RateLimitModule,
        PortalModule,
        ConsoleModule,
      ],
      controllers: [HealthController, AuditExportController],
      providers: [
        Lifecycle,
        RequestRateLimiter,
        // Sends webhooks from the service's instances only, never from a CLI process.
        WebhookDispatcher,
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_PIPE, useClass: InputValidationPipe },
        { provide: APP_FILTER, useClass: EdgeExceptionFilter },
        ...RESOLVERS,
      ],
    };
  }
}
