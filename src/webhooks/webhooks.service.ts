import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditAction } from '../audit/audit-action';
import { SYSTEM_ACTOR } from '../audit/audit-event';
import { attributionOf } from '../audit/attribution';
import { JsonValue } from '../audit/canonical-json';
import { Change, ChangeRunner } from '../audit/change-runner';
import { CountryScope } from '../auth/country-scope';
import { RequestContext } from '../auth/principal';
import { Role } from '../auth/role';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode, fieldError, forbidden, notFound } from '../common/errors';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { CountriesRepository } from '../countries/countries.repository';
import { decodeSeqCursor, encodeCursor, pageSize, PageInfo } from '../graphql/pagination';
import { WebhookAttemptEntity } from './webhook-attempt.entity';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';
import { WebhookEventType } from './webhook-events';
import { generateWebhookSecret } from './webhook-secret';
import { checkUrlForm, hostOf, resolveSafely, UnsafeWebhookUrl, urlForAudit } from './webhook-url';
import { WebhooksRepository } from './webhooks.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const DELIVERY_CURSOR = 'webhook-delivery';
/** The country an endpoint for every country is checked against: no principal's. */
const EVERY_COUNTRY = '*';

/** What the audit trail stores of an endpoint: never its secret, nor its URL's query. */
export function endpointSnapshot(e: WebhookEndpointEntity): JsonValue {
  return {
    id: e.id,
    url: urlForAudit(e.url),
    hostCountry: e.hostCountryCode,
    eventTypes: [...e.eventTypes],
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    createdBy: e.createdBy,
    secretRotatedAt: e.secretRotatedAt ? e.secretRotatedAt.toISOString() : null,
  };
}

export interface DeliveryWithLog extends WebhookDeliveryEntity {
  log: WebhookAttemptEntity[];
}

/**
 * Webhook endpoints (registration, disabling, enabling, deleting, secret rotation: each a
 * registry change with its audit event) and their delivery log, with replay.
 */
@Injectable()
export class WebhooksService implements OnModuleInit {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly countries: CountriesRepository,
    private readonly changes: ChangeRunner,
    private readonly countryScope: CountryScope,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // Officials are checked against the endpoint's stored country; an endpoint for every
    // country is no official's, and so does not exist for them.
    this.countryScope.register('webhookEndpoint', 'Webhook endpoint', async (id) => {
      if (!UUID.test(id)) return null;
      const endpoint = await this.webhooks.findEndpoint(id);
      return endpoint ? (endpoint.hostCountryCode ?? EVERY_COUNTRY) : null;
    });
    this.countryScope.register('webhookDelivery', 'Webhook delivery', async (id) => {
      if (!UUID.test(id)) return null;
      const delivery = await this.webhooks.findDelivery(id);
      if (!delivery) return null;
      const endpoint = await this.webhooks.findEndpoint(delivery.endpointId);
      return endpoint ? (endpoint.hostCountryCode ?? EVERY_COUNTRY) : null;
    });
  }

  /** Endpoints the caller may see: an official's are their country's; the system sees all. */
  list(
    ctx: RequestContext,
    hostCountry: string | null | undefined,
  ): Promise<WebhookEndpointEntity[]> {
    const principal = ctx.principal;
    const country =
      !principal || principal.role === Role.ADMIN ? (hostCountry ?? null) : principal.hostCountry;
    return this.webhooks.listEndpoints(country);
  }

  async register(
    ctx: RequestContext,
    input: { url: string; events: WebhookEventType[]; hostCountry?: string | null; reason: string },
  ): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
    const hostCountry = input.hostCountry ?? null;
    if (hostCountry === null && ctx.principal && ctx.principal.role !== Role.ADMIN) {
      throw forbidden('Only an administrator may register an endpoint for every country');
    }
    await this.checkUrl(input.url);
    const secret = generateWebhookSecret();
    const endpoint = await this.changes.run(attributionOf(ctx, input.reason), async (change) => {
      if (hostCountry && !(await this.countries.findCountryInChange(change, hostCountry))) {
        throw fieldError('input.hostCountry', `host country ${hostCountry} is not registered`);
      }
      const entity = Object.assign(new WebhookEndpointEntity(), {
        id: randomUUID(),
        url: input.url,
        hostCountryCode: hostCountry,
        eventTypes: [...new Set(input.events)],
        secret,
        enabled: true,
        disabledReason: null,
        failingSince: null,
        createdAt: this.clock.now(),
        createdBy: ctx.principal?.name ?? SYSTEM_ACTOR.name,
        secretRotatedAt: null,
      });
      const saved = await this.webhooks.insertEndpoint(change, entity);
      this.recordEndpoint(change, AuditAction.CREATE, null, saved);
      return saved;
    });
    return { endpoint, secret };
  }

  disable(ctx: RequestContext, endpointId: string, reason: string): Promise<WebhookEndpointEntity> {
    return this.changeEndpoint(ctx, endpointId, reason, async (change, endpoint) => {
      if (!endpoint.enabled) throw this.alreadyIs(endpoint, 'disabled');
      endpoint.enabled = false;
      endpoint.disabledReason = reason;
      return this.webhooks.saveEndpoint(change, endpoint);
    });
  }

  enable(ctx: RequestContext, endpointId: string, reason: string): Promise<WebhookEndpointEntity> {
    return this.changeEndpoint(ctx, endpointId, reason, async (change, endpoint) => {
      if (endpoint.enabled) throw this.alreadyIs(endpoint, 'enabled');
      // Its URL was checked when registered; the address is checked again at every attempt.
      endpoint.enabled = true;
      endpoint.disabledReason = null;
      endpoint.failingSince = null;
      const saved = await this.webhooks.saveEndpoint(change, endpoint);
      await this.webhooks.notifyDue(change); // deliveries it kept while disabled
      return saved;
    });
  }

  async delete(
    ctx: RequestContext,
    endpointId: string,
    reason: string,
  ): Promise<WebhookEndpointEntity> {
    return this.changes.run(attributionOf(ctx, reason), async (change) => {
      const endpoint = await this.webhooks.endpointForUpdate(change, endpointId);
      if (!endpoint) throw notFound('Webhook endpoint', endpointId);
      // Its deliveries and their log go with it (ON DELETE CASCADE); the audit trail keeps it.
      await this.webhooks.deleteEndpoint(change, endpoint.id);
      this.recordEndpoint(change, AuditAction.DELETE, endpointSnapshot(endpoint), null, endpoint);
      return endpoint;
    });
  }

  async rotateSecret(
    ctx: RequestContext,
    endpointId: string,
    reason: string,
  ): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
    const secret = generateWebhookSecret();
    const endpoint = await this.changeEndpoint(ctx, endpointId, reason, (change, endpoint) => {
      endpoint.secret = secret;
      endpoint.secretRotatedAt = this.clock.now();
      return this.webhooks.saveEndpoint(change, endpoint);
    });
    return { endpoint, secret };
  }

  /** Sends a delivery again with the same webhook-id, whatever its state. */
  async replay(ctx: RequestContext, deliveryId: string, reason: string): Promise<DeliveryWithLog> {
    await this.changes.run(attributionOf(ctx, reason), async (change) => {
      const delivery = await this.webhooks.findDelivery(deliveryId, change);
      if (!delivery) throw notFound('Webhook delivery', deliveryId);
      await this.webhooks.replay(change, delivery.id, this.config.webhooks.retryWindowSeconds);
      const snapshot = {
        id: delivery.id,
        endpointId: delivery.endpointId,
        status: delivery.status,
      };
      change.record({
        action: AuditAction.UPDATE,
        entityType: 'WebhookDelivery',
        entityId: delivery.id,
        hostCountry: delivery.hostCountryCode,
        before: snapshot,
        after: { ...snapshot, status: 'PENDING' },
      });
    });
    const [replayed] = await this.withLog([(await this.webhooks.findDelivery(deliveryId))!]);
    return replayed;
  }

  /** The endpoint's deliveries, newest first, each with its attempts. */
  async deliveries(
    endpointId: string,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<{ edges: { cursor: string; node: DeliveryWithLog }[]; pageInfo: PageInfo }> {
    const size = pageSize(first);
    const before = after ? decodeSeqCursor(DELIVERY_CURSOR, after) : null;
    if (!UUID.test(endpointId) || !(await this.webhooks.findEndpoint(endpointId))) {
      throw notFound('Webhook endpoint', endpointId);
    }
    const rows = await this.webhooks.deliveriesPage(endpointId, before, size + 1);
    const page = await this.withLog(rows.slice(0, size));
    const edges = page.map((node) => ({ cursor: encodeCursor(DELIVERY_CURSOR, node.seq), node }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  /**
   * Disables an endpoint that has failed without a success for WEBHOOK_DISABLE_AFTER_DAYS,
   * as the system, with the reason in the audit trail. Nothing if a success came meanwhile.
   */
  async disableFailing(endpointId: string): Promise<void> {
    const days = this.config.webhooks.disableAfterDays;
    await this.changes.run(
      {
        actor: SYSTEM_ACTOR,
        reason: `Every delivery attempt failed for ${days} days without interruption`,
        requestId: null,
      },
      async (change) => {
        const endpoint = await this.webhooks.endpointForUpdate(change, endpointId);
        if (!endpoint || !endpoint.enabled || !endpoint.failingSince) return change.unchanged();
        const before = endpointSnapshot(endpoint);
        endpoint.enabled = false;
        endpoint.disabledReason =
          `Disabled automatically: every delivery attempt failed since ` +
          `${endpoint.failingSince.toISOString()} (${days} days or more)`;
        const saved = await this.webhooks.saveEndpoint(change, endpoint);
        this.recordEndpoint(change, AuditAction.UPDATE, before, saved);
      },
    );
  }

  private async withLog(rows: WebhookDeliveryEntity[]): Promise<DeliveryWithLog[]> {
    const attempts = await this.webhooks.attemptsOf(rows.map((r) => r.id));
    return rows.map((row) =>
      Object.assign(row, { log: attempts.filter((a) => a.deliveryId === row.id) }),
    );
  }

  private changeEndpoint(
    ctx: RequestContext,
    endpointId: string,
    reason: string,
    work: (change: Change, endpoint: WebhookEndpointEntity) => Promise<WebhookEndpointEntity>,
  ): Promise<WebhookEndpointEntity> {
    return this.changes.run(attributionOf(ctx, reason), async (change) => {
      const endpoint = await this.webhooks.endpointForUpdate(change, endpointId);
      if (!endpoint) throw notFound('Webhook endpoint', endpointId);
      const before = endpointSnapshot(endpoint);
      const saved = await work(change, endpoint);
      this.recordEndpoint(change, AuditAction.UPDATE, before, saved);
      return saved;
    });
  }

  private recordEndpoint(
    change: Change,
    action: AuditAction,
    before: JsonValue | null,
    after: WebhookEndpointEntity | null,
    of: WebhookEndpointEntity | null = after,
  ): void {
    change.record({
      action,
      entityType: 'WebhookEndpoint',
      entityId: of!.id,
      hostCountry: of!.hostCountryCode,
      before,
      after: after ? endpointSnapshot(after) : null,
    });
  }

  private alreadyIs(endpoint: WebhookEndpointEntity, state: string): DomainError {
    return new DomainError(
      ErrorCode.INVALID_STATE,
      `Webhook endpoint ${endpoint.id} is already ${state}`,
    );
  }

  /** Refuses a URL that could not safely receive webhooks, now (its host resolved). */
  private async checkUrl(raw: string): Promise<void> {
    try {
      const { url, allowListed } = checkUrlForm(raw, this.config.webhooks.allowedHosts);
      await resolveSafely(hostOf(url), allowListed);
    } catch (error) {
      if (error instanceof UnsafeWebhookUrl) throw fieldError('input.url', error.message);
      throw error;
    }
  }
}
