import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { Change } from '../audit/change-runner';
import { PositiveListVersionEntity } from '../positive-lists/positive-list-version.entity';
import { WebhookAttemptEntity } from './webhook-attempt.entity';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';

/** The channel the Webhooks migration's trigger notifies when deliveries are written. */
export const WEBHOOKS_DUE_CHANNEL = 'registry_webhooks_due';

/** Rows of an UPDATE ... RETURNING: TypeORM's pg driver answers [rows, affected] for it. */
function returned<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}

/** A new outbox row: one event for one endpoint. */
export interface NewDelivery {
  id: string;
  endpointId: string;
  eventType: string;
  hostCountry: string;
  body: string;
}

/** A delivery this instance holds the lease of, with what sending it needs. */
export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  url: string;
  secret: string;
  body: string;
  attempts: number;
}

/** What the dispatcher writes after an attempt. */
export interface AttemptRecord {
  deliveryId: string;
  endpointId: string;
  claimToken: string;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** Failed: the next attempt after this long, unless the retry window has passed. */
  retryInMs: number;
}

/**
 * All SQL about webhooks. Endpoint writes and replays take a {@link Change} (registry changes,
 * audited); the outbox rows are written in the change that causes them. The dispatcher's
 * bookkeeping (claims, attempts, delivery states) is not a registry change: the attempt log
 * is its record. Times that order deliveries are the database's (now()), the same for every
 * instance whatever its clock.
 */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly dataSource: DataSource) {}

  insertEndpoint(change: Change, endpoint: WebhookEndpointEntity): Promise<WebhookEndpointEntity> {
    return change.manager.getRepository(WebhookEndpointEntity).save(endpoint);
  }

  saveEndpoint(change: Change, endpoint: WebhookEndpointEntity): Promise<WebhookEndpointEntity> {
    return change.manager.getRepository(WebhookEndpointEntity).save(endpoint);
  }

  async deleteEndpoint(change: Change, id: string): Promise<void> {
    await change.manager.getRepository(WebhookEndpointEntity).delete({ id });
  }

  endpointForUpdate(change: Change, id: string): Promise<WebhookEndpointEntity | null> {
    return change.manager
      .getRepository(WebhookEndpointEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findEndpoint(id: string): Promise<WebhookEndpointEntity | null> {
    return this.dataSource.getRepository(WebhookEndpointEntity).findOneBy({ id });
  }

  /** Endpoints of `country` (null: every endpoint), oldest first. */
  listEndpoints(country: string | null): Promise<WebhookEndpointEntity[]> {
    return this.dataSource.getRepository(WebhookEndpointEntity).find({
      where: country === null ? {} : { hostCountryCode: country },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** Enabled endpoints that want one of `types` from one of `countries` (or from all). */
  subscribedEndpoints(
    change: Change,
    types: string[],
    countries: string[],
  ): Promise<{ id: string; hostCountryCode: string | null; eventTypes: string[] }[]> {
    return change.manager.query(
      `SELECT id, host_country_code AS "hostCountryCode", event_types AS "eventTypes"
         FROM webhook_endpoint
        WHERE enabled AND event_types && $1::text[]
          AND (host_country_code IS NULL OR host_country_code = ANY($2::text[]))`,
      [types, countries],
    );
  }

  versionsInChange(change: Change, ids: string[]): Promise<PositiveListVersionEntity[]> {
    return change.manager.getRepository(PositiveListVersionEntity).findBy({ id: In(ids) });
  }

  /** Writes outbox rows in the change; the trigger tells dispatchers when it commits. */
  async insertDeliveries(
    change: Change,
    deliveries: NewDelivery[],
    retryWindowSeconds: number,
  ): Promise<void> {
    await change.manager.query(
      `INSERT INTO webhook_delivery
         (id, endpoint_id, event_type, host_country_code, body, status, attempts,
          created_at, next_attempt_at, retry_until)
       SELECT d.id, d.endpoint_id, d.event_type, d.host_country_code, d.body, 'PENDING', 0,
              now(), now(), now() + make_interval(secs => $2)
         FROM jsonb_to_recordset($1::jsonb)
           AS d(id uuid, endpoint_id uuid, event_type text, host_country_code text, body text)`,
      [
        JSON.stringify(
          deliveries.map((d) => ({
            id: d.id,
            endpoint_id: d.endpointId,
            event_type: d.eventType,
            host_country_code: d.hostCountry,
            body: d.body,
          })),
        ),
        retryWindowSeconds,
      ],
    );
  }

  findDelivery(id: string, change?: Change): Promise<WebhookDeliveryEntity | null> {
    return (change?.manager ?? this.dataSource.manager)
      .getRepository(WebhookDeliveryEntity)
      .findOneBy({ id });
  }

  /** The endpoint's deliveries, newest first, after the cursor's `seq`. */
  deliveriesPage(
    endpointId: string,
    beforeSeq: number | null,
    limit: number,
  ): Promise<WebhookDeliveryEntity[]> {
    const qb = this.dataSource
      .getRepository(WebhookDeliveryEntity)
      .createQueryBuilder('d')
      .where('d.endpoint_id = :endpointId', { endpointId })
      .orderBy('d.seq', 'DESC')
      .limit(limit);
    if (beforeSeq !== null) qb.andWhere('d.seq < :beforeSeq', { beforeSeq });
    return qb.getMany();
  }

  attemptsOf(deliveryIds: string[]): Promise<WebhookAttemptEntity[]> {
    if (deliveryIds.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(WebhookAttemptEntity)
      .find({ where: { deliveryId: In(deliveryIds) }, order: { id: 'ASC' } });
  }

  /**
   * Sends a delivery again, under the same id: due now, with a fresh retry window, and any
   * lease dropped. Dispatchers are told when the change commits.
   */
  async replay(change: Change, id: string, retryWindowSeconds: number): Promise<void> {
    await change.manager.query(
      `UPDATE webhook_delivery
          SET status = 'PENDING', next_attempt_at = now(), locked_until = NULL,
              claim_token = NULL, retry_until = now() + make_interval(secs => $2)
        WHERE id = $1`,
      [id, retryWindowSeconds],
    );
    await this.notifyDue(change);
  }

  /** Tells dispatchers (on commit) that deliveries may be due, e.g. of a re-enabled endpoint. */
  async notifyDue(change: Change): Promise<void> {
    await change.manager.query(`SELECT pg_notify($1, '')`, [WEBHOOKS_DUE_CHANNEL]);
  }

  /**
   * Takes the lease of up to `limit` due deliveries of enabled endpoints. SKIP LOCKED: two
   * instances claiming at once take different rows, never wait for each other; the lease
   * (`locked_until`) keeps the others off a row while it is being sent, and lets them take
   * it over once it has passed, if this instance died meanwhile.
   */
  async claimDue(limit: number, leaseMs: number, claimToken: string): Promise<ClaimedDelivery[]> {
    const result: unknown = await this.dataSource.query(
      `WITH due AS (
         SELECT d.id FROM webhook_delivery d
           JOIN webhook_endpoint e ON e.id = d.endpoint_id
          WHERE d.status = 'PENDING' AND d.next_attempt_at <= now()
            AND (d.locked_until IS NULL OR d.locked_until <= now()) AND e.enabled
          ORDER BY d.next_attempt_at, d.seq
          LIMIT $1
          FOR UPDATE OF d SKIP LOCKED)
       UPDATE webhook_delivery d
          SET locked_until = now() + make_interval(secs => $2 / 1000.0), claim_token = $3
         FROM due, webhook_endpoint e
        WHERE d.id = due.id AND e.id = d.endpoint_id
       RETURNING d.id, d.endpoint_id AS "endpointId", e.url, e.secret, d.body, d.attempts`,
      [limit, leaseMs, claimToken],
    );
    return returned<ClaimedDelivery>(result);
  }

  /**
   * Logs an attempt and moves the delivery on: DELIVERED, or PENDING again after the
   * backoff, or FAILED once its retry window has passed; and the endpoint's run of failures
   * (cleared by a success). One statement, so all of it or none. The delivery changes only
   * while this instance still holds the claim: a late writer whose lease was taken over adds
   * to the log and nothing else. Returns whether the endpoint has now failed without a
   * success for `disableAfterDays`.
   */
  async recordAttempt(
    attempt: AttemptRecord,
    disableAfterDays: number,
  ): Promise<{ failingTooLong: boolean }> {
    const rows: { tooLong: boolean }[] = await this.dataSource.query(
      `WITH logged AS (
         INSERT INTO webhook_attempt (delivery_id, attempted_at, duration_ms, status_code, error)
         VALUES ($1, now() - make_interval(secs => $4 / 1000.0), $4, $5, $6)),
       moved AS (
         UPDATE webhook_delivery
            SET attempts = attempts + 1, last_error = $6, locked_until = NULL, claim_token = NULL,
                status = CASE WHEN $3 THEN 'DELIVERED'
                              WHEN retry_until <= now() THEN 'FAILED' ELSE 'PENDING' END,
                delivered_at = CASE WHEN $3 THEN now() ELSE delivered_at END,
                next_attempt_at = CASE WHEN $3 THEN next_attempt_at
                                       ELSE now() + make_interval(secs => $7 / 1000.0) END
          WHERE id = $1 AND claim_token = $2)
       UPDATE webhook_endpoint
          SET failing_since = CASE WHEN $3 THEN NULL ELSE coalesce(failing_since, now()) END
        WHERE id = $8
      RETURNING enabled AND failing_since <= now() - make_interval(days => $9) AS "tooLong"`,
      [
        attempt.deliveryId,
        attempt.claimToken,
        attempt.ok,
        attempt.durationMs,
        attempt.statusCode,
        attempt.error,
        attempt.retryInMs,
        attempt.endpointId,
        disableAfterDays,
      ],
    );
    return { failingTooLong: returned<{ tooLong: boolean }>(rows)[0]?.tooLong === true };
  }

  /** Milliseconds until the next delivery falls due (or its lease ends); null if none. */
  async msUntilNextDue(): Promise<number | null> {
    const [row] = await this.dataSource.query<{ ms: number | null }[]>(
      `SELECT (extract(epoch FROM min(greatest(d.next_attempt_at, coalesce(d.locked_until, d.next_attempt_at))) - now()) * 1000)::float8 AS ms
         FROM webhook_delivery d JOIN webhook_endpoint e ON e.id = d.endpoint_id
        WHERE d.status = 'PENDING' AND e.enabled`,
    );
    return row?.ms ?? null;
  }
}
