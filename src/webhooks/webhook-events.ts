import { AuditAction } from '../audit/audit-action';
import { ChangeRecord } from '../audit/audit-log';

/** What an endpoint may subscribe to; the `type` of each delivery's body. */
export enum WebhookEventType {
  LIST_SUBMITTED = 'LIST_SUBMITTED',
  LIST_PUBLISHED = 'LIST_PUBLISHED',
  LIST_REJECTED = 'LIST_REJECTED',
  LIST_WITHDRAWN = 'LIST_WITHDRAWN',
  LIST_SUPERSEDED = 'LIST_SUPERSEDED',
  DRAFT_ENTRY_CHANGED = 'DRAFT_ENTRY_CHANGED',
}

export const WEBHOOK_EVENT_TYPES = Object.values(WebhookEventType);

/** The workflow steps of a version that other systems are told of, by their audit action. */
const VERSION_EVENTS: Partial<Record<AuditAction, WebhookEventType>> = {
  [AuditAction.SUBMIT]: WebhookEventType.LIST_SUBMITTED,
  [AuditAction.PUBLISH]: WebhookEventType.LIST_PUBLISHED,
  [AuditAction.REJECT]: WebhookEventType.LIST_REJECTED,
  [AuditAction.WITHDRAW]: WebhookEventType.LIST_WITHDRAWN,
  [AuditAction.SUPERSEDE]: WebhookEventType.LIST_SUPERSEDED,
};

const ENTRY_ACTIONS: readonly AuditAction[] = [
  AuditAction.CREATE,
  AuditAction.UPDATE,
  AuditAction.DELETE,
];

/** The version as the event tells it; what an entry's audit record lacks is looked up. */
export interface VersionFacts {
  version: number;
  status: string;
  effectiveFrom: string | null;
  effectiveUntil: string | null;
  contentDigest: string | null;
}

/** One event a change caused, before it is addressed to endpoints. */
export interface ListEvent {
  type: WebhookEventType;
  hostCountry: string;
  listVersionId: string;
  /** Known from the record for version events; looked up for entry changes. */
  version: VersionFacts | null;
  entry: { id: string; key: string; action: AuditAction } | null;
}

type Snapshot = Record<string, unknown>;
const snapshot = (value: unknown): Snapshot | null =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Snapshot) : null;
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * The webhook events in a change's audit records, in their order: a version's workflow
 * steps (a publish that supersedes its predecessor gives LIST_SUPERSEDED for that one and
 * LIST_PUBLISHED), and every entry written while its version is a draft (entries can be
 * written only then). A new draft, a discarded one and other records give none.
 */
export function listEventsOf(records: readonly ChangeRecord[]): ListEvent[] {
  const events: ListEvent[] = [];
  for (const record of records) {
    if (record.hostCountry === null) continue;
    if (record.entityType === 'PositiveListVersion') {
      const type = VERSION_EVENTS[record.action];
      const after = snapshot(record.after);
      if (!type || !after) continue;
      events.push({
        type,
        hostCountry: record.hostCountry,
        listVersionId: record.entityId,
        version: {
          version: Number(after.version),
          status: String(after.status),
          effectiveFrom: text(after.effectiveFrom),
          effectiveUntil: text(after.effectiveUntil),
          contentDigest: text(after.contentDigest),
        },
        entry: null,
      });
    } else if (record.entityType === 'ActivityEntry' && ENTRY_ACTIONS.includes(record.action)) {
      const entry = snapshot(record.after) ?? snapshot(record.before);
      const listVersionId = text(entry?.listVersionId);
      if (!entry || !listVersionId) continue;
      events.push({
        type: WebhookEventType.DRAFT_ENTRY_CHANGED,
        hostCountry: record.hostCountry,
        listVersionId,
        version: null,
        entry: { id: record.entityId, key: String(entry.key), action: record.action },
      });
    }
  }
  return events;
}

/** The JSON body of a delivery (Standard Webhooks: `type`, `timestamp`, `data`). */
export function eventBody(
  event: ListEvent & { version: VersionFacts },
  occurredAt: Date,
  publicBaseUrl: string,
): string {
  const { version } = event;
  return JSON.stringify({
    type: event.type,
    timestamp: occurredAt.toISOString(),
    data: {
      hostCountry: event.hostCountry,
      listVersionId: event.listVersionId,
      version: version.version,
      status: version.status,
      effectiveFrom: version.effectiveFrom,
      effectiveUntil: version.effectiveUntil,
      contentDigest: version.contentDigest,
      url: `${publicBaseUrl}/countries/${event.hostCountry}/versions/${version.version}`,
      ...(event.entry
        ? { entry: { id: event.entry.id, key: event.entry.key, action: event.entry.action } }
        : {}),
    },
  });
}
