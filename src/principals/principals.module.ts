import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CallerAuthenticator } from '../auth/caller-authenticator';
import { CountriesModule } from '../countries/countries.module';
import { Authenticator } from './authenticator';
import { ConsoleSessions } from './console-sessions';
import { ConsoleSessionsRepository } from './console-sessions.repository';
import { PrincipalsRepository } from './principals.repository';
import { PrincipalsResolver } from './principals.resolver';
import { PrincipalsService } from './principals.service';

/** This feature's GraphQL API. */
export const PRINCIPALS_RESOLVERS = [PrincipalsResolver] as const;

/** Principals, their credentials (API keys, OpenID Connect) and who is calling. */
@Module({
  imports: [AuditModule, CountriesModule],
  providers: [
    PrincipalsRepository,
    PrincipalsService,
    Authenticator,
    ConsoleSessionsRepository,
    ConsoleSessions,
    { provide: CallerAuthenticator, useExisting: Authenticator },
  ],
  exports: [
    PrincipalsRepository,
    PrincipalsService,
    Authenticator,
    CallerAuthenticator,
    ConsoleSessions,
  ],
})
export class PrincipalsModule {}
