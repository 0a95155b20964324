import { Module } from '@nestjs/common';
import { AuditReadModule } from '../audit/audit-read.module';
import { ListsModule } from '../positive-lists/lists.module';
import { EligibilityResolver } from './eligibility.resolver';
import { EligibilityService } from './eligibility.service';
import { PublishedEntries } from './published-entries';

/** This feature's GraphQL API. */
export const ELIGIBILITY_RESOLVERS = [EligibilityResolver] as const;

/** Eligibility answers and baseline values for project developers, from the lists in force. */
@Module({
  imports: [ListsModule, AuditReadModule],
  providers: [EligibilityService, PublishedEntries],
  exports: [EligibilityService],
})
export class EligibilityModule {}
