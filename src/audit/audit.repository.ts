import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditEventView } from './audit-event';
import {
  AuditEventRow,
  STREAMED_SELECT,
  StreamedRow,
  streamedEventView,
  toEventView,
} from './audit-event-row';
import { CheckpointView } from './checkpoint';

export { toEventView };

/** Filters an auditor can combine; every value is bound as a parameter, never pasted. */
export interface AuditEventFilter {
  hostCountry?: string;
  entityType?: string;
  entityId?: string;
  actorName?: string;
  actions?: string[];
  from?: Date;
  to?: Date;
}

export interface StoredCheckpoint extends CheckpointView {
  frontier: { size: number; nodes: { size: number; hash: string }[] };
}

function whereClause(filter: AuditEventFilter, params: unknown[]): string[] {
  const conditions: string[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.hostCountry !== undefined)
    conditions.push(`host_country = ${bind(filter.hostCountry)}`);
  if (filter.entityType !== undefined) conditions.push(`entity_type = ${bind(filter.entityType)}`);
  if (filter.entityId !== undefined) conditions.push(`entity_id = ${bind(filter.entityId)}`);
  if (filter.actorName !== undefined) conditions.push(`actor_name = ${bind(filter.actorName)}`);
  if (filter.actions !== undefined)
    conditions.push(`action = ANY(${bind(filter.actions)}::text[])`);
  if (filter.from !== undefined) conditions.push(`occurred_at >= ${bind(filter.from)}`);
  if (filter.to !== undefined) conditions.push(`occurred_at < ${bind(filter.to)}`);
  return conditions;
}

/** All SQL that reads the audit log and its checkpoints (appends live in AuditLog). */
@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One keyset page in seq order: cost depends on the page size, not on how deep it is. */
  async page(filter: AuditEventFilter, afterSeq: number, limit: number): Promise<AuditEventView[]> {
    const params: unknown[] = [];
    const conditions = whereClause(filter, params);
    params.push(afterSeq);
    conditions.push(`seq > $${params.length}`);
    params.push(limit);
    const rows: AuditEventRow[] = await this.dataSource.query(
      `SELECT * FROM audit_event WHERE ${conditions.join(' AND ')} ORDER BY seq LIMIT $${params.length}`,
      params,
    );
    return rows.map(toEventView);
  }

  /** The event numbered `seq`, or null when the log has no such event. */
  async bySeq(seq: number): Promise<AuditEventView | null> {
    const rows: AuditEventRow[] = await this.dataSource.query(
      'SELECT * FROM audit_event WHERE seq = $1',
      [seq],
    );
    return rows.length > 0 ? toEventView(rows[0]) : null;
  }

  /**
   * The host country of event `seq`; null both when there is no such event and when it
   * belongs to no country (a principal granted, a start-up task): either way it is not one
   * of a country's events.
   */
  async countryOfEvent(seq: number): Promise<string | null> {
    const rows = await this.dataSource.query<{ host_country: string | null }[]>(
      'SELECT host_country FROM audit_event WHERE seq = $1',
      [seq],
    );
    return rows[0]?.host_country ?? null;
  }

  async count(filter: AuditEventFilter): Promise<number> {
    const params: unknown[] = [];
    const conditions = whereClause(filter, params);
    if (conditions.length === 0) {
      // seq is gapless by construction, so the head's seq is the count, read from the index.
      const [row] = await this.dataSource.query<{ n: number | null }[]>(
        'SELECT max(seq) AS n FROM audit_event',
      );
      return Number(row?.n ?? 0);
    }
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_event WHERE ${conditions.join(' AND ')}`,
      params,
    );
    return row.n;
  }

  async headSeq(): Promise<number> {
    return this.count({});
  }

  /**
   * The audit log's head and its latest checkpoint, in one statement from two indexes: every
   * write is an event, and a checkpoint is signed apart from them, so together they change
   * whenever anything a public read returns does.
   */
  async changeMark(): Promise<string> {
    const [row] = await this.dataSource.query<{ seq: string | null; checkpoint: string | null }[]>(
      'SELECT (SELECT max(seq) FROM audit_event) AS seq, (SELECT max(tree_size) FROM audit_checkpoint) AS checkpoint',
    );
    return `${row?.seq ?? 0}.${row?.checkpoint ?? 0}`;
  }

  /**
   * Every event from `afterSeq` on, in order, a batch at a time (constant memory). The next
   * batch is asked for before this one is handed over, so PostgreSQL reads it while the
   * caller hashes or writes this one (on another connection of the pool).
   */
  async *stream(afterSeq = 0, batchSize = 5000): AsyncGenerator<AuditEventView[]> {
    let next = this.eventsAfter(afterSeq, batchSize);
    for (;;) {
      const events = await next;
      if (events.length === 0) return;
      if (events.length < batchSize) {
        yield events;
        return;
      }
      next = this.eventsAfter(events[events.length - 1].seq, batchSize);
      // Handled here too, so a caller that stops early leaves no unhandled rejection behind.
      next.catch(() => undefined);
      yield events;
    }
  }

  private async eventsAfter(afterSeq: number, limit: number): Promise<AuditEventView[]> {
    const rows: StreamedRow[] = await this.dataSource.query(
      `SELECT ${STREAMED_SELECT} FROM audit_event WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [afterSeq, limit],
    );
    return rows.map(streamedEventView);
  }

  /** Leaf hashes of events after `afterSeq` up to `uptoSeq`, in order, a batch at a time. */
  async *hashes(afterSeq: number, uptoSeq: number, batchSize = 20_000): AsyncGenerator<string[]> {
    let last = afterSeq;
    while (last < uptoSeq) {
      const rows: { seq: number; hash: string }[] = await this.dataSource.query(
        'SELECT seq, hash FROM audit_event WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3',
        [last, uptoSeq, batchSize],
      );
      if (rows.length === 0) return;
      last = Number(rows[rows.length - 1].seq);
      yield rows.map((r) => r.hash);
    }
  }

  private static toCheckpoint(row: Record<string, unknown>): StoredCheckpoint {
    return {
      treeSize: Number(row.tree_size),
      rootHash: row.root_hash as string,
      signedAt: (row.signed_at as Date).toISOString(),
      keyId: row.key_id as string,
      publicKey: row.public_key as string,
      signature: row.signature as string,
      body: row.body as string,
      frontier: row.frontier as StoredCheckpoint['frontier'],
    };
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | null> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      'SELECT * FROM audit_checkpoint ORDER BY tree_size DESC LIMIT 1',
    );
    return rows[0] ? AuditRepository.toCheckpoint(rows[0]) : null;
  }

  async checkpointAt(treeSize: number): Promise<StoredCheckpoint | null> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      'SELECT * FROM audit_checkpoint WHERE tree_size = $1',
      [treeSize],
    );
    return rows[0] ? AuditRepository.toCheckpoint(rows[0]) : null;
  }

  /** A keyset page of checkpoints, newest first: those smaller than `beforeSize` (0: none). */
  async checkpointsPage(beforeSize: number, limit: number): Promise<StoredCheckpoint[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT tree_size, root_hash, signed_at, key_id, public_key, signature, body, '{}'::jsonb AS frontier
       FROM audit_checkpoint WHERE ($1::bigint = 0 OR tree_size < $1) ORDER BY tree_size DESC LIMIT $2`,
      [beforeSize, limit],
    );
    return rows.map((r) => AuditRepository.toCheckpoint(r));
  }

  async checkpointCount(): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM audit_checkpoint',
    );
    return row.n;
  }

  /** The previous-hash link of event `seq`, or undefined when there is no such event. */
  async prevHashOf(seq: number): Promise<string | undefined> {
    const rows = await this.dataSource.query<{ prev_hash: string }[]>(
      'SELECT prev_hash FROM audit_event WHERE seq = $1',
      [seq],
    );
    return rows[0]?.prev_hash;
  }

  async allCheckpoints(): Promise<StoredCheckpoint[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      "SELECT tree_size, root_hash, signed_at, key_id, public_key, signature, body, '{}'::jsonb AS frontier FROM audit_checkpoint ORDER BY tree_size",
    );
    return rows.map((r) => AuditRepository.toCheckpoint(r));
  }

  /**
   * Stores a checkpoint. Checkpoints are derived from the log (not business changes), so
   * this is a single statement outside the ChangeRunner; instances racing to sign the same
   * size both compute the same root and one insert is a no-op.
   */
  async insertCheckpoint(checkpoint: StoredCheckpoint): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO audit_checkpoint (tree_size, root_hash, signed_at, key_id, public_key, signature, body, frontier)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (tree_size) DO NOTHING`,
      [
        checkpoint.treeSize,
        checkpoint.rootHash,
        checkpoint.signedAt,
        checkpoint.keyId,
        checkpoint.publicKey,
        checkpoint.signature,
        checkpoint.body,
        JSON.stringify(checkpoint.frontier),
      ],
    );
  }
}
