import { AuditEventView } from './audit-event';

/** An `audit_event` row as PostgreSQL returns it. */
export interface AuditEventRow {
  seq: number;
  occurred_at: Date;
  actor_principal_id: string | null;
  actor_name: string;
  actor_role: string;
  actor_host_country: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  host_country: string | null;
  reason: string | null;
  request_id: string | null;
  changes: AuditEventView['changes'];
  before: AuditEventView['before'];
  after: AuditEventView['after'];
  prev_hash: string;
  hash: string;
}

const json = (value: unknown): string | null => (value === null ? null : JSON.stringify(value));

/**
 * The one list of `audit_event`'s columns and how each is written from an event. Appends and
 * reads both follow it, so a new field is added here once.
 */
export const AUDIT_EVENT_COLUMNS: readonly [keyof AuditEventRow, (e: AuditEventView) => unknown][] =
  [
    ['seq', (e) => e.seq],
    ['occurred_at', (e) => e.occurredAt],
    ['actor_principal_id', (e) => e.actor.principalId],
    ['actor_name', (e) => e.actor.name],
    ['actor_role', (e) => e.actor.role],
    ['actor_host_country', (e) => e.actor.hostCountry],
    ['action', (e) => e.action],
    ['entity_type', (e) => e.entityType],
    ['entity_id', (e) => e.entityId],
    ['host_country', (e) => e.hostCountry],
    ['reason', (e) => e.reason],
    ['request_id', (e) => e.requestId],
    ['changes', (e) => JSON.stringify(e.changes)],
    ['before', (e) => json(e.before)],
    ['after', (e) => json(e.after)],
    ['prev_hash', (e) => e.prevHash],
    ['hash', (e) => e.hash],
  ];

/** The event exactly as the API returns and hashes it. */
export function toEventView(row: AuditEventRow): AuditEventView {
  return {
    seq: Number(row.seq),
    occurredAt: row.occurred_at.toISOString(),
    actor: {
      principalId: row.actor_principal_id,
      name: row.actor_name,
      role: row.actor_role,
      hostCountry: row.actor_host_country,
    },
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    hostCountry: row.host_country,
    reason: row.reason,
    requestId: row.request_id,
    changes: row.changes,
    before: row.before,
    after: row.after,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * Years whose ISO 8601 form PostgreSQL's to_char writes exactly as toISOString() does (four
 * digits, no sign). Both truncate to the millisecond.
 */
const ISO_YEARS = `extract(year FROM occurred_at AT TIME ZONE 'UTC') BETWEEN 1 AND 9999`;

/** How streaming reads a column, where that differs from the column itself. */
const STREAMED_AS: Partial<Record<keyof AuditEventRow, string>> = {
  occurred_at:
    `CASE WHEN ${ISO_YEARS} THEN to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END AS occurred_at_iso, ` +
    `CASE WHEN NOT (${ISO_YEARS}) THEN occurred_at END AS occurred_at`,
  changes: 'changes::text AS changes',
  before: 'before::text AS before',
  after: 'after::text AS after',
};

/**
 * The select list for reading the whole log in order (verification, export). jsonb comes as
 * its text and is parsed here, which costs far less than the driver's parsing column by
 * column, and the timestamp comes already in ISO form: both are the same values as
 * toEventView() gives, read with less work.
 */
export const STREAMED_SELECT = AUDIT_EVENT_COLUMNS.map(
  ([column]) => STREAMED_AS[column] ?? column,
).join(', ');

/** A row of STREAMED_SELECT. */
export interface StreamedRow extends Omit<
  AuditEventRow,
  'occurred_at' | 'changes' | 'before' | 'after'
> {
  occurred_at_iso: string | null;
  /** Only outside the years to_char writes as toISOString() does (a Date, or ±Infinity). */
  occurred_at: Date | number | null;
  changes: string;
  before: string | null;
  after: string | null;
}

const parsed = <T>(text: string | null): T | null =>
  text === null ? null : (JSON.parse(text) as T);

/** The event of a STREAMED_SELECT row, equal to toEventView() of the same row read whole. */
export function streamedEventView(row: StreamedRow): AuditEventView {
  const occurred = row.occurred_at;
  return {
    seq: Number(row.seq),
    occurredAt:
      row.occurred_at_iso ??
      // An infinite timestamp has no ISO form: written as it is, it cannot match any hash.
      (occurred instanceof Date ? occurred.toISOString() : String(occurred)),
    actor: {
      principalId: row.actor_principal_id,
      name: row.actor_name,
      role: row.actor_role,
      hostCountry: row.actor_host_country,
    },
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    hostCountry: row.host_country,
    reason: row.reason,
    requestId: row.request_id,
    changes: parsed(row.changes) as AuditEventView['changes'],
    before: parsed(row.before),
    after: parsed(row.after),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
