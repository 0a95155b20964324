import { Module } from '@nestjs/common';
import { AuditReadModule } from '../audit/audit-read.module';
import { Clock } from '../common/clock';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { CountriesModule } from '../countries/countries.module';
import { EligibilityModule } from '../eligibility/eligibility.module';
import { PublicDataVersion } from '../graphql/http-cache';
import { JsonLogger } from '../logging/json-logger';
import { ListsModule } from '../positive-lists/lists.module';
import { BulkModule } from '../bulk/bulk.module';
import { DownloadsController } from './downloads.controller';
import { PortfolioController } from './portfolio.controller';
import { GraphiqlController } from './graphiql.controller';
import { PageResponder } from './page';
import { PortalController } from './portal.controller';
import { EligibilityController } from './eligibility.controller';
import { EligibilityQuestions } from './eligibility-question';
import { EntrySearch } from './entry-search';
import { EntryController } from './entry.controller';
import { EntryReads } from './entry-reads';
import { PublicLists } from './public-lists';
import { PublicVersions } from './public-versions';
import { VersionsController } from './versions.controller';
import { PublishedCheckpoints } from './published-checkpoints';
import { TransparencyController } from './transparency.controller';

/** The public web pages, served by the service itself from the same domain services. */
@Module({
  imports: [AuditReadModule, CountriesModule, ListsModule, EligibilityModule, BulkModule],
  controllers: [
    PortalController,
    VersionsController,
    TransparencyController,
    GraphiqlController,
    EligibilityController,
    EntryController,
    DownloadsController,
    PortfolioController,
  ],
  providers: [
    PublicLists,
    PublicVersions,
    PublishedCheckpoints,
    EligibilityQuestions,
    EntrySearch,
    EntryReads,
    {
      provide: PageResponder,
      inject: [PublicDataVersion, Clock, APP_CONFIG, JsonLogger],
      // Pages are public reads like anonymous GET queries: the same caching policy.
      useFactory: (
        version: PublicDataVersion,
        clock: Clock,
        config: AppConfig,
        logger: JsonLogger,
      ) => new PageResponder(version, clock, config.httpCache, logger),
    },
  ],
})
export class PortalModule {}
