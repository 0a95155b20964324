import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CountriesModule } from '../countries/countries.module';
import { ListLoaders } from './list.loaders';
import { ListsInForce } from './lists-in-force';
import { PublishedContentCheck } from './published-content.check';
import { ListsRepository } from './lists.repository';
import {
  ActivityEntryResolver,
  BaselineRuleResolver,
  EntryConnectionResolver,
  HostCountryListsResolver,
  ListVersionResolver,
} from './lists.resolver';
import { DraftingService } from './drafting.service';
import { EntryImportService } from './entry-import.service';
import { ListQueriesService } from './list-queries.service';
import { ListWorkflowService } from './list-workflow.service';

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
  providers: [
    ListsRepository,
    ListQueriesService,
    DraftingService,
    EntryImportService,
    ListWorkflowService,
    ListLoaders,
    ListsInForce,
    PublishedContentCheck,
  ],
  exports: [
    ListsRepository,
    ListQueriesService,
    DraftingService,
    EntryImportService,
    ListWorkflowService,
    ListLoaders,
    ListsInForce,
  ],
})
export class ListsModule {}
