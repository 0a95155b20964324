import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CountriesRepository } from './countries.repository';
import { CountriesResolver } from './countries.resolver';
import { CountriesService } from './countries.service';
import { CountryLoaders } from './country.loaders';

/** This feature's GraphQL API. */
export const COUNTRIES_RESOLVERS = [CountriesResolver] as const;

/** Host countries, NDC sectors and IPCC reference data (domain and data access). */
@Module({
  imports: [AuditModule],
  providers: [CountriesRepository, CountriesService, CountryLoaders],
  exports: [CountriesRepository, CountriesService, CountryLoaders],
})
export class CountriesModule {}
