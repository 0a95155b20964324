import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { JsonLogger } from '../logging/json-logger';
import { AppConfig } from './config';

/** Injection token of the validated {@link AppConfig}. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Provides the validated configuration, the JSON logger and the clock to every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig, logger: JsonLogger, clock: Clock): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: JsonLogger, useValue: logger },
        { provide: Clock, useValue: clock },
      ],
      exports: [APP_CONFIG, JsonLogger, Clock],
    };
  }
}
