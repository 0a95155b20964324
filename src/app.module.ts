import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { AccessGuard } from './auth/access.guard';
import { AuthModule } from './auth/auth.module';
import { Authenticator } from './auth/authenticator';
import { AppConfig } from './config/config';
import { APP_CONFIG } from './config/config.module';
import { CoreModule } from './core.module';
import { CountriesModule } from './countries/countries.module';
import { RESOLVERS } from './resolvers';
import { EligibilityService } from './eligibility/eligibility.service';
import { PublishedEntries } from './eligibility/published-entries';
import { ListsModule } from './positive-lists/lists.module';
import { graphqlOptions } from './graphql/graphql-options';
import { EdgeExceptionFilter } from './graphql/exception.filter';
import { InputValidationPipe } from './graphql/input-validation.pipe';
import { LoadersFactory } from './graphql/loaders';
import { HealthController } from './health/health.controller';
import { Lifecycle } from './health/lifecycle';
import { AuditExportController } from './audit/audit-export.controller';
import { JsonLogger } from './logging/json-logger';

@Module({
  imports: [CountriesModule, ListsModule],
  providers: [LoadersFactory],
  exports: [LoadersFactory],
})
class LoadersModule {}

/** The whole service: the core plus its GraphQL and HTTP edge. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string, logger: JsonLogger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, databaseUrl, logger),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [AuthModule, LoadersModule],
          inject: [APP_CONFIG, Authenticator, LoadersFactory, JsonLogger],
          useFactory: graphqlOptions,
        }),
      ],
      controllers: [HealthController, AuditExportController],
      providers: [
        Lifecycle,
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_PIPE, useClass: InputValidationPipe },
        { provide: APP_FILTER, useClass: EdgeExceptionFilter },
        ...RESOLVERS,
        EligibilityService,
        PublishedEntries,
      ],
    };
  }
}
