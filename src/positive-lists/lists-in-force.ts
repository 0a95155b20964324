import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { ChangeRunner } from '../audit/change-runner';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { JsonLogger } from '../logging/json-logger';
import { ListsRepository } from './lists.repository';
import { PositiveListVersionEntity } from './positive-list-version.entity';

/** The channel the migration ListChangeNotifications notifies on every change of lists. */
export const LISTS_CHANGED_CHANNEL = 'registry_lists_changed';

/** The listening connection's application_name. */
export const LISTENER_NAME = 'registry-list-changes';
/** Distinct (country, date) pairs remembered; the oldest goes first. */
const MAX_REMEMBERED = 20_000;
/** How often the listening connection is checked, and how soon a lost one is reopened. */
const PING_MS = 15_000;
const RECONNECT_MS = 2_000;

/** Registered, with this version in force (null: none); absent from a result: not registered. */
type InForce = PositiveListVersionEntity | null;
const UNREGISTERED = Symbol('unregistered');

/**
 * Which version each country has in force on a date, for the eligibility hot path: without
 * it every question costs a statement, the largest single cost of an answer (issue #13).
 *
 * The answer for a (country, date) pair changes only when a list version or a host country
 * changes: effective dates are stored, so midnight changes nothing by itself. A trigger
 * notifies `registry_lists_changed` when such a change commits, from whatever instance or
 * SQL session; every instance LISTENs on a connection of its own and forgets everything it
 * remembered. Its own changes it forgets as they commit (ChangeRunner.afterCommit), so its
 * next answer already reflects them. Another instance catches up when the notification
 * arrives, a few milliseconds after the commit: the same lag as a read replica's.
 *
 * It remembers nothing unless it is listening: before the connection is up, while it is
 * lost, and with IN_FORCE_CACHE=false (a transaction-mode pooler cannot LISTEN), every
 * lookup reads the database, as before. A lookup that began before a change, or before
 * listening started, does not store what it read (the generation check).
 */
@Injectable()
export class ListsInForce implements OnModuleDestroy {
  private readonly remembered = new Map<string, InForce | typeof UNREGISTERED>();
  private generation = 0;
  private listener: Client | undefined;
  private listening = false;
  private starting = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  /** No new attempt to listen before this instant (ms), however many lookups ask. */
  private retryAt = 0;
  /** Said once per outage, not at every retry. */
  private warned = false;

  constructor(
    private readonly lists: ListsRepository,
    private readonly dataSource: DataSource,
    private readonly logger: JsonLogger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    changes: ChangeRunner,
  ) {
    changes.afterCommit(() => this.forget());
  }

  /** Whether lookups are being answered from memory (the listening connection is up). */
  get active(): boolean {
    return this.listening;
  }

  /** For each registered country among `codes`: its version in force on `on`, or null. */
  async lookup(codes: string[], on: string): Promise<Map<string, InForce>> {
    this.start();
    const found = new Map<string, InForce>();
    const unknown: string[] = [];
    for (const code of codes) {
      const known = this.listening ? this.remembered.get(key(code, on)) : undefined;
      if (known === undefined) unknown.push(code);
      else if (known !== UNREGISTERED) found.set(code, known);
    }
    if (unknown.length === 0) return found;
    const generation = this.generation;
    const read = await this.lists.countriesWithListInForce(unknown, on);
    const keep = this.listening && generation === this.generation;
    for (const code of unknown) {
      const version = read.get(code);
      if (version !== undefined) found.set(code, version);
      if (keep) this.remember(key(code, on), version === undefined ? UNREGISTERED : version);
    }
    return found;
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const listener = this.listener;
    this.listener = undefined;
    this.listening = false;
    await listener?.end().catch(() => undefined);
  }

  private forget(): void {
    this.generation++;
    this.remembered.clear();
  }

  private remember(k: string, value: InForce | typeof UNREGISTERED): void {
    this.remembered.set(k, value);
    if (this.remembered.size > MAX_REMEMBERED) {
      this.remembered.delete(this.remembered.keys().next().value!);
    }
  }

  /** Opens the listening connection on first use, so CLI commands that never ask open none. */
  private start(): void {
    if (!this.config.inForceCache || this.listener || this.starting || this.stopped) return;
    if (Date.now() < this.retryAt) return;
    this.starting = true;
    void this.listen().finally(() => (this.starting = false));
  }

  private async listen(): Promise<void> {
    // The pool's own settings (URL, password, TLS), on a connection outside the pool.
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    // Named, so that operators see it in pg_stat_activity for what it is.
    const client = new Client({
      ...pool.options,
      keepAlive: true,
      application_name: LISTENER_NAME,
    });
    client.on('notification', () => this.forget());
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${LISTS_CHANGED_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      this.retryLater(error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
    // Anything read before now may predate a change this connection did not hear about.
    this.forget();
    this.listening = true;
    if (this.warned) this.logger.emit('info', 'listening for list changes again');
    this.warned = false;
    this.schedulePing(client);
  }

  /**
   * A connection that died silently (a network cut, no reset) would not say so: a query on
   * it every PING_MS finds out, and until then keepAlive probes at the socket level.
   */
  private schedulePing(client: Client): void {
    this.timer = setTimeout(() => {
      client.query('SELECT 1').then(
        () => this.listener === client && this.schedulePing(client),
        (error: unknown) => this.lost(client, error),
      );
    }, PING_MS);
    this.timer.unref();
  }

  private lost(client: Client, error?: unknown): void {
    if (this.listener !== client) return;
    this.listener = undefined;
    this.listening = false;
    this.forget();
    clearTimeout(this.timer);
    void client.end().catch(() => undefined);
    if (!this.stopped) this.retryLater(error);
  }

  private retryLater(error: unknown): void {
    if (this.stopped) return;
    if (!this.warned) {
      this.logger.emit('warn', 'not listening for list changes: reading lists in force each time', {
        error: error instanceof Error ? error.message : 'connection ended',
        retryInMs: RECONNECT_MS,
      });
    }
    this.warned = true;
    this.retryAt = Date.now() + RECONNECT_MS;
    this.timer = setTimeout(() => this.start(), RECONNECT_MS);
    this.timer.unref();
  }
}

const key = (code: string, on: string): string => `${code}|${on}`;
