import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JsonLogger } from '../logging/json-logger';
import { retryDelayMs } from './retry';
import { sendDelivery } from './webhook-sender';
import { ClaimedDelivery, WEBHOOKS_DUE_CHANNEL, WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/** The listening connection's application_name. */
export const DISPATCHER_LISTENER_NAME = 'registry-webhooks';
/** Deliveries claimed and sent at once by one instance. */
const BATCH = 16;
/** Beyond the send timeout, how long a claim is kept: the lease outlives any attempt. */
const LEASE_MARGIN_MS = 5_000;
const RECONNECT_MS = 2_000;

/**
 * Sends the outbox, on every instance of the service (not in CLI processes). Wakes up when a
 * change that wrote deliveries commits (LISTEN on the Webhooks migration's channel), when
 * the next retry falls due, and at every poll as a safety net (a notification is lost while
 * the listening connection is down). Claims rows with FOR UPDATE SKIP LOCKED and a lease, so
 * instances never send one delivery at the same time, and one that dies mid-delivery leaves
 * it to the others (or to itself, restarted) when its lease ends: at least once, same id.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private listener: Client | undefined;
  private stopped = false;
  private running = false;
  private again = false;
  private wakeTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly aborter = new AbortController();
  private current: Promise<void> = Promise.resolve();

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly service: WebhooksService,
    private readonly dataSource: DataSource,
    private readonly logger: JsonLogger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.webhooks.dispatch) return;
    void this.listen();
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.wakeTimer);
    clearTimeout(this.reconnectTimer);
    // What is in flight is cut off and left claimed: its lease ends, and it is sent again.
    this.aborter.abort();
    await this.current;
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  /** Looks for due deliveries now (again once done, if asked while running). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    clearTimeout(this.wakeTimer);
    this.current = this.drain()
      .catch((error: unknown) => {
        // The database may be unreachable: the poll keeps going, and tries again.
        this.logger.emit('warn', 'webhook dispatch failed; retrying at the next poll', {
          error: error instanceof Error ? error.message : String(error),
        });
        this.schedule(this.config.webhooks.pollIntervalMs);
      })
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async drain(): Promise<void> {
    const { timeoutMs, pollIntervalMs } = this.config.webhooks;
    for (;;) {
      if (this.stopped) return;
      this.again = false;
      const token = randomUUID();
      const claimed = await this.webhooks.claimDue(BATCH, timeoutMs + LEASE_MARGIN_MS, token);
      if (claimed.length === 0) break;
      await Promise.all(
        claimed.map((delivery) =>
          this.deliver(delivery, token).catch((error: unknown) =>
            // Its lease ends and it is tried again (say its endpoint was deleted meanwhile).
            this.logger.emit('warn', 'could not record a webhook attempt', {
              deliveryId: delivery.id,
              error: error instanceof Error ? error.message : String(error),
            }),
          ),
        ),
      );
    }
    if (this.stopped) return;
    const next = await this.webhooks.msUntilNextDue();
    this.schedule(next === null ? pollIntervalMs : Math.min(pollIntervalMs, Math.max(next, 0) + 5));
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.wakeTimer);
    this.wakeTimer = setTimeout(() => this.wake(), ms);
    this.wakeTimer.unref();
  }

  private async deliver(delivery: ClaimedDelivery, token: string): Promise<void> {
    const { allowedHosts, timeoutMs, retryBaseMs, retryMaxMs, disableAfterDays } =
      this.config.webhooks;
    const outcome = await sendDelivery(delivery, {
      allowedHosts,
      timeoutMs,
      signal: this.aborter.signal,
    });
    if (this.stopped) return;
    const { failingTooLong } = await this.webhooks.recordAttempt(
      {
        deliveryId: delivery.id,
        endpointId: delivery.endpointId,
        claimToken: token,
        ok: outcome.ok,
        statusCode: outcome.statusCode,
        error: outcome.error,
        durationMs: outcome.durationMs,
        retryInMs: retryDelayMs(delivery.attempts + 1, retryBaseMs, retryMaxMs),
      },
      disableAfterDays,
    );
    if (!outcome.ok) {
      this.logger.emit('warn', 'webhook delivery failed', {
        deliveryId: delivery.id,
        endpointId: delivery.endpointId,
        attempt: delivery.attempts + 1,
        error: outcome.error,
      });
    }
    if (failingTooLong) await this.service.disableFailing(delivery.endpointId);
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const client = new Client({
      ...pool.options,
      keepAlive: true,
      application_name: DISPATCHER_LISTENER_NAME,
    });
    client.on('notification', () => this.wake());
    const lost = () => {
      if (this.listener !== client) return;
      this.listener = undefined;
      void client.end().catch(() => undefined);
      this.retryListen();
    };
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.connect();
      await client.query(`LISTEN ${WEBHOOKS_DUE_CHANNEL}`);
    } catch {
      await client.end().catch(() => undefined);
      this.retryListen();
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
    // Deliveries committed while not listening were not announced.
    this.wake();
  }

  private retryListen(): void {
    if (this.stopped) return;
    this.reconnectTimer = setTimeout(() => void this.listen(), RECONNECT_MS);
    this.reconnectTimer.unref();
  }
}
