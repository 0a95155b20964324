import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from './audit/audit.module';
import { AuditReadModule } from './audit/audit-read.module';
import { AuthModule } from './auth/auth.module';
import { Clock, SystemClock } from './common/clock';
import { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { CountriesModule } from './countries/countries.module';
import { dataSourceOptions } from './database/data-source';
import { StartupTasks } from './database/startup-tasks';
import { EligibilityModule } from './eligibility/eligibility.module';
import { BulkModule } from './bulk/bulk.module';
import { ListsModule } from './positive-lists/lists.module';
import { PrincipalsModule } from './principals/principals.module';
import { JsonLogger } from './logging/json-logger';
import { WebhooksModule } from './webhooks/webhooks.module';

/** The domain's modules, in layer order; CoreModule imports and re-exports them all. */
const FEATURES = [
  AuditModule,
  AuditReadModule,
  CountriesModule,
  AuthModule,
  PrincipalsModule,
  ListsModule,
  EligibilityModule,
  BulkModule,
  WebhooksModule,
];

/**
 * Everything but the HTTP edge: configuration, the database, the audit log and the domain
 * modules. The service and the CLI both start from here.
 */
@Module({})
export class CoreModule {
  static forRoot(
    config: AppConfig,
    databaseUrl: string,
    logger: JsonLogger,
    clock: Clock = new SystemClock(),
  ): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        ConfigModule.forRoot(config, logger, clock),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(databaseUrl, config.dbPoolSize),
          retryAttempts: 5,
          retryDelay: 2000,
        }),
        ...FEATURES,
      ],
      providers: [StartupTasks],
      exports: FEATURES,
    };
  }
}
