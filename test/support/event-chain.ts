import { AuditEventView, eventHash, exportedEvent } from '../../src/audit/audit-event';
import { GENESIS_HASH } from '../../src/audit/merkle';

/** A varied, well-formed event at `seq` (hashed with prevHash and hash filled in later). */
export function eventAt(seq: number): Omit<AuditEventView, 'prevHash' | 'hash'> {
  const country = ['GHA', 'THA', 'SGP'][seq % 3];
  return {
    seq,
    occurredAt: new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString(),
    actor: {
      principalId: seq % 4 === 0 ? null : '3f1c8a52-9b7e-4c55-a1d2-0c7e2f6b9d10',
      name: seq % 5 === 0 ? 'Amá Mensah \ud83d\ude00' : `official-${country}`,
      role: 'OFFICIAL',
      hostCountry: seq % 4 === 0 ? null : country,
    },
    action: 'UPDATE',
    entityType: 'NdcSector',
    entityId: `sector-${seq}`,
    hostCountry: country,
    reason: seq % 2 ? `edit "${seq}"\nwith\ttabs \\ and \u001f` : null,
    requestId: seq % 3 ? `req-${seq}` : null,
    changes: [
      { path: 'name', before: `Sector ${seq - 1}`, after: `Sector ${seq}` },
      { path: 'criteria[0].threshold', before: 50, after: seq % 7 ? 20.5 : 1e21 },
    ],
    before: { name: `Sector ${seq - 1}`, criteria: [{ threshold: 50, unit: 'MW' }] },
    after: {
      name: `Sector ${seq}`,
      criteria: [{ threshold: seq % 7 ? 20.5 : 1e21, unit: 'MW' }],
      '10': 'integer-like keys sort as text',
      '2': ['x', true, false, null, -0.5, 1e-7],
    },
  };
}

/** Events 1..n, correctly chained. */
export function chainOf(n: number): AuditEventView[] {
  return rechain(Array.from({ length: n }, (_, i) => eventAt(i + 1)));
}

/**
 * Gives each event from index `from` on a fresh hash and the previous one's hash as its
 * prevHash, as a forger with the project's own code would.
 */
export function rechain(
  events: Omit<AuditEventView, 'prevHash' | 'hash'>[],
  from = 0,
): AuditEventView[] {
  const out: AuditEventView[] = events.map((e) => ({ prevHash: GENESIS_HASH, hash: '', ...e }));
  for (let i = from; i < out.length; i++) {
    out[i].prevHash = i === 0 ? GENESIS_HASH : out[i - 1].hash;
    out[i].hash = eventHash(out[i]);
  }
  return out;
}

/** The export's lines for these events (no line feeds). */
export const exportLines = (events: AuditEventView[]): string[] => events.map(exportedEvent);
