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
 * What one field of an event holds. Absent `string or null` and `json` values count as null
 * (docs/domain.md section 8); `hash` is 64 lowercase hex digits; `seq` a positive integer.
 */
export type FieldKind = 'string' | 'string or null' | 'json' | 'hash' | 'seq';
export type FieldLayout =
  FieldKind | { readonly record: RecordLayout } | { readonly listOf: RecordLayout };
export interface RecordLayout {
  readonly [field: string]: FieldLayout;
}

export const ACTOR_LAYOUT: RecordLayout = {
  principalId: 'string or null',
  name: 'string',
  role: 'string',
  hostCountry: 'string or null',
};

export const CHANGE_LAYOUT: RecordLayout = { path: 'string', before: 'json', after: 'json' };

/**
 * The one list of an event's fields as hashed and exported: exactly those of the GraphQL
 * type `AuditEvent` (docs/domain.md section 8), in that order. The canonical writer, the
 * offline verifier's reader and its shape check are all derived from it.
 */
export const EVENT_LAYOUT: RecordLayout = {
  seq: 'seq',
  occurredAt: 'string',
  actor: { record: ACTOR_LAYOUT },
  action: 'string',
  entityType: 'string',
  entityId: 'string',
  hostCountry: 'string or null',
  reason: 'string or null',
  requestId: 'string or null',
  changes: { listOf: CHANGE_LAYOUT },
  before: 'json',
  after: 'json',
  prevHash: 'hash',
  hash: 'hash',
};

/** The hashed fields: every field but `hash` itself. */
const HASHED_LAYOUT: RecordLayout = Object.fromEntries(
  Object.entries(EVENT_LAYOUT).filter(([field]) => field !== 'hash'),
);

/** A layout's fields in RFC 8785 order (UTF-16 code units), as a canonical form lists them. */
export function canonicalFields(layout: RecordLayout): [string, FieldLayout][] {
  return Object.entries(layout).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

type Writer = (value: unknown) => string;

const orNull: Writer = (value) => canonicalize(value ?? null);

function writerFor(layout: FieldLayout): Writer {
  if (typeof layout === 'string')
    return layout === 'string or null' || layout === 'json' ? orNull : canonicalize;
  if ('record' in layout) return recordWriter(layout.record);
  const item = recordWriter(layout.listOf);
  return (value) => {
    if (!Array.isArray(value)) throw new TypeError(`Expected a list, got ${typeof value}`);
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + item(value[i]);
    return out + ']';
  };
}

/**
 * Writes records of one layout in canonical form with the member names and their order
 * worked out once, so an event is written without sorting keys or building objects: the
 * same text as canonicalize() of the record reduced to the layout's fields.
 */
function recordWriter(layout: RecordLayout): Writer {
  const members = canonicalFields(layout).map(([field, fieldLayout], n) => ({
    field,
    prefix: `${n === 0 ? '{' : ','}${JSON.stringify(field)}:`,
    write: writerFor(fieldLayout),
  }));
  if (members.length === 0) return () => '{}';
  return (value) => {
    const record = value as Record<string, unknown>;
    let out = '';
    for (const member of members) out += member.prefix + member.write(record[member.field]);
    return out + '}';
  };
}

const writeHashed = recordWriter(HASHED_LAYOUT);
const writeExported = recordWriter(EVENT_LAYOUT);

/**
 * The canonical form of an event (docs/domain.md section 8): every field of `AuditEvent` except
 * `hash`, absent values as null, serialised with RFC 8785. Other properties are ignored.
 */
export function canonicalEvent(event: Omit<AuditEventView, 'hash'> & { hash?: string }): string {
  return writeHashed(event);
}

/** An event as one line of the export: its canonical form with its hash among the fields. */
export function exportedEvent(event: AuditEventView): string {
  return writeExported(event);
}

/** `hash = hex(SHA-256(0x00 || UTF-8(canonical form)))`, the RFC 6962 leaf hash. */
export function eventHash(event: Omit<AuditEventView, 'hash'>): string {
  return leafHash(canonicalEvent(event));
}
