import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CountriesModule } from '../countries/countries.module';
import { WebhookOutbox } from './webhook-outbox';
import { WebhookDeliveryResolver, WebhooksResolver } from './webhooks.resolver';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/** This feature's GraphQL API. */
export const WEBHOOKS_RESOLVERS = [WebhooksResolver, WebhookDeliveryResolver] as const;

/**
 * Webhooks: endpoints, and the outbox every change writes to. The dispatcher that sends it
 * is the service's (AppModule), not part of the core the CLI boots.
 */
@Module({
  imports: [AuditModule, CountriesModule],
  providers: [WebhooksRepository, WebhooksService, WebhookOutbox],
  exports: [WebhooksRepository, WebhooksService],
})
export class WebhooksModule {}
