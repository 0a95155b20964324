import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CountriesRepository } from './countries.repository';
import { CountriesService } from './countries.service';

/** Host countries, NDC sectors and IPCC reference data (domain and data access). */
@Module({
  imports: [AuditModule],
  providers: [CountriesRepository, CountriesService],
  exports: [CountriesRepository, CountriesService],
})
export class CountriesModule {}
