import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CountriesModule } from '../countries/countries.module';
import { Authenticator } from './authenticator';
import { CountryScope } from './country-scope';
import { PrincipalsRepository } from './principals.repository';
import { PrincipalsService } from './principals.service';

/** Principals, credentials and the country scope used by the access guard. */
@Module({
  imports: [AuditModule, CountriesModule],
  providers: [PrincipalsRepository, PrincipalsService, Authenticator, CountryScope],
  exports: [PrincipalsRepository, PrincipalsService, Authenticator, CountryScope],
})
export class AuthModule {}
