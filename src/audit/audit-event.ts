import { JsonValue, canonicalize } from './canonical-json';
import { FieldChange } from './field-changes';
import { leafHash } from './merkle';

/** Who did something: a principal, or SYSTEM (start-up tasks) with no principal id. */
export interface Actor {
  principalId: string | null;
  name: string;
  role: string;
  hostCountry: string | null;
}

export const SYSTEM_ACTOR: Actor = {
  principalId: null,
  name: 'system',
  role: 'SYSTEM',
  hostCountry: null,
};

/** An audit event exactly as the GraphQL API returns it (and as it is hashed). */
export interface AuditEventView {
  seq: number;
  occurredAt: string;
  actor: Actor;
  action: string;
  entityType: string;
  entityId: string;
  hostCountry: string | null;
  reason: string | null;
  requestId: string | null;
  changes: FieldChange[];
  before: JsonValue | null;
  after: JsonValue | null;
  prevHash: string;
  hash: string;
}

/**
 * The canonical form of an event (docs/domain.md section 6): every field of `AuditEvent` except
 * `hash`, absent values as null, serialised with RFC 8785.
 */
export function canonicalEvent(event: Omit<AuditEventView, 'hash'> & { hash?: string }): string {
  return canonicalize({
    seq: event.seq,
    occurredAt: event.occurredAt,
    actor: {
      principalId: event.actor.principalId ?? null,
      name: event.actor.name,
      role: event.actor.role,
      hostCountry: event.actor.hostCountry ?? null,
    },
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    hostCountry: event.hostCountry ?? null,
    reason: event.reason ?? null,
    requestId: event.requestId ?? null,
    changes: event.changes.map((c) => ({
      path: c.path,
      before: c.before ?? null,
      after: c.after ?? null,
    })),
    before: event.before ?? null,
    after: event.after ?? null,
    prevHash: event.prevHash,
  });
}

/** `hash = hex(SHA-256(0x00 || UTF-8(canonical form)))`, the RFC 6962 leaf hash. */
export function eventHash(event: Omit<AuditEventView, 'hash'>): string {
  return leafHash(Buffer.from(canonicalEvent(event), 'utf8'));
}
