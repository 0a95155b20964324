import { Module } from '@nestjs/common';
import { CountriesModule } from '../countries/countries.module';
import { EligibilityModule } from '../eligibility/eligibility.module';
import { ListsModule } from '../positive-lists/lists.module';
import { BulkResolver } from './bulk.resolver';
import { EntryFileImport } from './entry-file-import';
import { ListExports } from './list-exports';
import { PortfolioCheck } from './portfolio';

/** This feature's GraphQL API. */
export const BULK_RESOLVERS = [BulkResolver] as const;

/** Lists in and out in bulk: imports into drafts, exports, portfolio checks from files. */
@Module({
  imports: [CountriesModule, ListsModule, EligibilityModule],
  providers: [EntryFileImport, ListExports, PortfolioCheck],
  exports: [EntryFileImport, ListExports, PortfolioCheck],
})
export class BulkModule {}
