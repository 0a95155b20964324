import { Injectable, Optional } from '@nestjs/common';
import { Clock, SystemClock } from '../common/clock';
import { EntityManager } from 'typeorm';
import { AuditAction } from './audit-action';
import { Actor, AuditEventView, eventHash } from './audit-event';
import { AUDIT_EVENT_COLUMNS } from './audit-event-row';
import { JsonValue } from './canonical-json';
import { FieldChange, fieldChanges } from './field-changes';
import { GENESIS_HASH } from './merkle';

/** What a business change tells the audit log about itself. */
export interface ChangeRecord {
  action: AuditAction;
  entityType: string;
  entityId: string;
  hostCountry: string | null;
  before: JsonValue | null;
  after: JsonValue | null;
  /** Defaults to the field-level difference between `before` and `after`. */
  changes?: FieldChange[];
}

/** Who asked for a change, why, and in which request. */
export interface ChangeAttribution {
  actor: Actor;
  reason: string;
  requestId: string | null;
}

/**
 * Any constant works as long as every writer uses the same one: appends to the single log
 * are serialized on this transaction-scoped advisory lock, taken as the last step of the
 * business transaction and released by its commit, so `seq` follows commit order.
 */
const AUDIT_APPEND_LOCK = 7_215_100_001;

@Injectable()
export class AuditLog {
  // Optional so that tests can build a log by hand; in the app the clock is always provided.
  constructor(@Optional() private readonly clock: Clock = new SystemClock()) {}

  /**
   * Appends events for one transaction, chained to the current head. Must run inside that
   * transaction (the caller's `manager`). The primary key on `seq` and the unique `prev_hash`
   * make a writer that bypassed the lock fail instead of forking the chain.
   */
  async append(
    manager: EntityManager,
    attribution: ChangeAttribution,
    records: ChangeRecord[],
  ): Promise<AuditEventView[]> {
    await this.serializeAppends(manager);
    const head: { seq: number; hash: string }[] = await manager.query(
      'SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1',
    );
    let seq = head[0]?.seq ?? 0;
    let prevHash = head[0]?.hash ?? GENESIS_HASH;
    // Millisecond precision, so the stored timestamptz and the hashed ISO string agree.
    const occurredAt = this.clock.now().toISOString();

    const events: AuditEventView[] = records.map((record) => {
      seq += 1;
      const unsigned = {
        seq,
        occurredAt,
        actor: attribution.actor,
        action: record.action,
        entityType: record.entityType,
        entityId: record.entityId,
        hostCountry: record.hostCountry,
        reason: attribution.reason,
        requestId: attribution.requestId,
        changes: record.changes ?? fieldChanges(record.before, record.after),
        before: record.before,
        after: record.after,
        prevHash,
      };
      const event = { ...unsigned, hash: eventHash(unsigned) };
      prevHash = event.hash;
      return event;
    });

    const insert = insertEvents(events);
    await manager.query(insert.sql, insert.params);
    return events;
  }

  /**
   * Makes appends to the log happen one transaction at a time, across every instance: a
   * transaction-scoped advisory lock, released by commit or rollback. (A separate method so
   * the negative-control test can show what happens without it.)
   */
  protected async serializeAppends(manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_APPEND_LOCK]);
  }
}

/** `INSERT INTO audit_event (...) VALUES (...), (...)` for `events`, with its parameters. */
function insertEvents(events: AuditEventView[]): { sql: string; params: unknown[] } {
  const n = AUDIT_EVENT_COLUMNS.length;
  const rows = events.map(
    (_, i) => `(${AUDIT_EVENT_COLUMNS.map((_c, j) => `$${i * n + j + 1}`).join(', ')})`,
  );
  return {
    sql: `INSERT INTO audit_event (${AUDIT_EVENT_COLUMNS.map(([c]) => c).join(', ')}) VALUES ${rows.join(', ')}`,
    params: events.flatMap((e) => AUDIT_EVENT_COLUMNS.map(([, of]) => of(e))),
  };
}
