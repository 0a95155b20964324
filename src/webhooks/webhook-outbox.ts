import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Change, ChangeRunner } from '../audit/change-runner';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { eventBody, ListEvent, listEventsOf, VersionFacts } from './webhook-events';
import { NewDelivery, WebhooksRepository } from './webhooks.repository';

/**
 * Writes the outbox: for each webhook event a change causes, one delivery row per enabled
 * endpoint that wants it, in the change's own transaction (ChangeRunner.beforeCommit). An
 * event exists exactly when its change committed: none is lost if the process dies right
 * after the commit, none is sent for a change that rolled back.
 */
@Injectable()
export class WebhookOutbox implements OnModuleInit {
  constructor(
    private readonly changes: ChangeRunner,
    private readonly webhooks: WebhooksRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.changes.beforeCommit((change) => this.write(change));
  }

  private async write(change: Change): Promise<void> {
    const events = listEventsOf(change.records);
    if (events.length === 0) return;
    const endpoints = await this.webhooks.subscribedEndpoints(
      change,
      [...new Set(events.map((e) => e.type))],
      [...new Set(events.map((e) => e.hostCountry))],
    );
    if (endpoints.length === 0) return;
    const versions = await this.versionFacts(change, events);
    const occurredAt = this.clock.now();
    const deliveries: NewDelivery[] = [];
    for (const event of events) {
      const version = event.version ?? versions.get(event.listVersionId);
      if (!version) continue;
      const body = eventBody({ ...event, version }, occurredAt, this.config.publicBaseUrl);
      for (const endpoint of endpoints) {
        const wanted =
          endpoint.eventTypes.includes(event.type) &&
          (endpoint.hostCountryCode === null || endpoint.hostCountryCode === event.hostCountry);
        if (!wanted) continue;
        deliveries.push({
          id: randomUUID(),
          endpointId: endpoint.id,
          eventType: event.type,
          hostCountry: event.hostCountry,
          body,
        });
      }
    }
    if (deliveries.length > 0) {
      await this.webhooks.insertDeliveries(
        change,
        deliveries,
        this.config.webhooks.retryWindowSeconds,
      );
    }
  }

  /** The versions of entry changes, as this change leaves them. */
  private async versionFacts(
    change: Change,
    events: ListEvent[],
  ): Promise<Map<string, VersionFacts>> {
    const ids = [...new Set(events.filter((e) => !e.version).map((e) => e.listVersionId))];
    if (ids.length === 0) return new Map();
    const versions = await this.webhooks.versionsInChange(change, ids);
    return new Map(
      versions.map((v) => [
        v.id,
        {
          version: v.version,
          status: v.status,
          effectiveFrom: v.effectiveFrom,
          effectiveUntil: v.effectiveUntil,
          contentDigest: v.contentDigest ?? null,
        },
      ]),
    );
  }
}
