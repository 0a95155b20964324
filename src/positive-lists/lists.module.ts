import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CountriesModule } from '../countries/countries.module';
import { ListLoaders } from './list.loaders';
import { ListsRepository } from './lists.repository';
import {
  ActivityEntryResolver,
  BaselineRuleResolver,
  EntryConnectionResolver,
  HostCountryListsResolver,
  ListVersionResolver,
} from './lists.resolver';
import { ListsService } from './lists.service';

/** This feature's GraphQL API. */
export const LISTS_RESOLVERS = [
  ListVersionResolver,
  ActivityEntryResolver,
  BaselineRuleResolver,
  EntryConnectionResolver,
  HostCountryListsResolver,
] as const;

/** Versioned positive and negative lists: drafting, maker-checker publication, diffs, search. */
@Module({
  imports: [AuditModule, CountriesModule],
  providers: [ListsRepository, ListsService, ListLoaders],
  exports: [ListsRepository, ListsService, ListLoaders],
})
export class ListsModule {}
