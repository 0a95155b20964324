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
