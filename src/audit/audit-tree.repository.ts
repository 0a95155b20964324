import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MerkleFrontier } from './merkle';
import {
  LeafRange,
  consistencyProofRanges,
  foldSubtrees,
  hashChildren,
  inclusionProofRanges,
  perfectSubtrees,
} from './merkle-proofs';

/** Stored levels are multiples of this: each stored node sums 16 stored nodes (or leaves). */
const STRIDE = 4;
/** Leaves indexed per pass when catching up on a long log (bounded memory). */
const CHUNK = 2 ** 16;

/** Stored hashes and leaves, fetched once for a whole proof. */
interface Fetched {
  nodes: Map<string, Buffer>;
  leaves: Map<number, Buffer>;
}

const nodeKey = (level: number, idx: number) => `${level}:${idx}`;

/** Whether the subtree of 2^level leaves at `start` has a stored node, with `indexed` leaves indexed. */
function isStored(start: number, level: number, indexed: number): boolean {
  return level >= STRIDE && level % STRIDE === 0 && start + 2 ** level <= indexed;
}

/** The level a subtree's hash is built from when it is not stored itself. */
function childLevel(level: number): number {
  return level % STRIDE === 0 ? level - STRIDE : level - (level % STRIDE);
}

/**
 * Walks the stored values the hash of one perfect subtree depends on: its own node when
 * stored, else its children at the next stored level down, and leaves at the bottom.
 */
function needed(
  start: number,
  level: number,
  indexed: number,
  want: { nodes: Map<string, [number, number]>; leaves: Set<number> },
): void {
  if (level === 0) {
    want.leaves.add(start);
    return;
  }
  if (isStored(start, level, indexed)) {
    want.nodes.set(nodeKey(level, start / 2 ** level), [level, start / 2 ** level]);
    return;
  }
  const child = childLevel(level);
  for (let s = start; s < start + 2 ** level; s += 2 ** child) needed(s, child, indexed, want);
}

/** The hash of one perfect subtree from what `needed` asked for. */
function subtreeHash(start: number, level: number, indexed: number, got: Fetched): Buffer {
  if (level === 0) return got.leaves.get(start)!;
  if (isStored(start, level, indexed)) return got.nodes.get(nodeKey(level, start / 2 ** level))!;
  const child = childLevel(level);
  let row: Buffer[] = [];
  for (let s = start; s < start + 2 ** level; s += 2 ** child)
    row.push(subtreeHash(s, child, indexed, got));
  while (row.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < row.length; i += 2) next.push(hashChildren(row[i], row[i + 1]));
    row = next;
  }
  return row[0];
}

/**
 * The audit log's Merkle tree as stored: leaves are the events' hashes, and every 16-, 256-,
 * 4096- ... leaf aligned subtree has its hash in `audit_tree_node`. Proofs, roots and
 * frontiers at any size come from at most a few hundred stored hashes, read in two queries.
 * Only this class reads or writes that table.
 */
@Injectable()
export class AuditTreeRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** How many leaves the stored nodes cover (a multiple of 16). */
  async indexedSize(): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number | null }[]>(
      `SELECT max(idx) AS n FROM audit_tree_node WHERE level = ${STRIDE}`,
    );
    return row?.n === null || row?.n === undefined ? 0 : (Number(row.n) + 1) * 2 ** STRIDE;
  }

  /** RFC 6962 hashes of the given leaf ranges (of a tree no larger than the log). */
  async rangeHashes(ranges: readonly LeafRange[]): Promise<Buffer[]> {
    if (ranges.length === 0) return [];
    const indexed = await this.indexedSize();
    const want = { nodes: new Map<string, [number, number]>(), leaves: new Set<number>() };
    const pieces = ranges.map((range) => perfectSubtrees(range));
    for (const piece of pieces.flat()) needed(piece.start, piece.level, indexed, want);
    const got = await this.fetch(want);
    return pieces.map((list) =>
      foldSubtrees(list.map((p) => subtreeHash(p.start, p.level, indexed, got))),
    );
  }

  async rootAt(size: number): Promise<Buffer> {
    const [root] = await this.rangeHashes([{ start: 0, end: size }]);
    return root;
  }

  /** The right edge of the tree of `size` leaves, to append the following events to. */
  async frontierAt(size: number): Promise<MerkleFrontier> {
    const pieces = size === 0 ? [] : perfectSubtrees({ start: 0, end: size });
    const hashes = await this.rangeHashes(
      pieces.map((p) => ({ start: p.start, end: p.start + 2 ** p.level })),
    );
    return MerkleFrontier.fromJSON({
      size,
      nodes: pieces.map((p, i) => ({ size: 2 ** p.level, hash: hashes[i].toString('hex') })),
    });
  }

  /** Audit path of event `seq` (1-based) in the tree of `treeSize` events, leaf first. */
  async inclusionProof(seq: number, treeSize: number): Promise<Buffer[]> {
    return this.rangeHashes(inclusionProofRanges(seq - 1, treeSize));
  }

  /** RFC 6962 SUBPROOF(fromSize, D[toSize], true). */
  async consistencyProof(fromSize: number, toSize: number): Promise<Buffer[]> {
    return this.rangeHashes(consistencyProofRanges(fromSize, toSize));
  }

  /** The stored hash of event `seq`, hex; undefined when there is no such event. */
  async leafHash(seq: number): Promise<string | undefined> {
    const rows = await this.dataSource.query<{ hash: string }[]>(
      'SELECT hash FROM audit_event WHERE seq = $1',
      [seq],
    );
    return rows[0]?.hash;
  }

  /**
   * Stores the nodes of every aligned subtree completed by events up to `head`. Idempotent
   * and safe to race: every instance computes the same hashes, and each pass is one INSERT,
   * so the stored levels never disagree about how far they reach.
   */
  async extend(head: number): Promise<void> {
    const target = head - (head % 2 ** STRIDE);
    let indexed = await this.indexedSize();
    while (indexed < target) {
      const end = Math.min(target, indexed + CHUNK);
      await this.indexChunk(indexed, end);
      indexed = end;
    }
  }

  private async indexChunk(from: number, to: number): Promise<void> {
    const rows = await this.dataSource.query<{ hash: string }[]>(
      'SELECT hash FROM audit_event WHERE seq > $1 AND seq <= $2 ORDER BY seq',
      [from, to],
    );
    if (rows.length !== to - from)
      throw new Error(`audit log has gaps between events ${from + 1} and ${to}`);
    let below = new Map<number, Buffer>(rows.map((r, i) => [from + i, Buffer.from(r.hash, 'hex')]));
    const levels: number[] = [];
    const idxs: number[] = [];
    const hashes: Buffer[] = [];
    for (let level = STRIDE; 2 ** level <= to; level += STRIDE) {
      const size = 2 ** level;
      const first = Math.floor(from / size);
      const last = Math.floor(to / size);
      // A node of a higher level completes only where one of this level does.
      if (first >= last) break;
      const missing: number[] = [];
      for (let c = first * 2 ** STRIDE; c < last * 2 ** STRIDE; c++)
        if (!below.has(c)) missing.push(c);
      if (missing.length > 0) {
        const stored = await this.dataSource.query<{ idx: number; hash: Buffer }[]>(
          'SELECT idx, hash FROM audit_tree_node WHERE level = $1 AND idx = ANY($2::bigint[])',
          [level - STRIDE, missing],
        );
        for (const row of stored) below.set(Number(row.idx), row.hash);
        if (stored.length !== missing.length)
          throw new Error(`audit tree index lacks nodes at level ${level - STRIDE}`);
      }
      const current = new Map<number, Buffer>();
      for (let idx = first; idx < last; idx++) {
        let row: Buffer[] = [];
        for (let c = 0; c < 2 ** STRIDE; c++) row.push(below.get(idx * 2 ** STRIDE + c)!);
        while (row.length > 1) {
          const next: Buffer[] = [];
          for (let i = 0; i < row.length; i += 2) next.push(hashChildren(row[i], row[i + 1]));
          row = next;
        }
        current.set(idx, row[0]);
        levels.push(level);
        idxs.push(idx);
        hashes.push(row[0]);
      }
      below = current;
    }
    if (levels.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO audit_tree_node (level, idx, hash)
       SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[]) ON CONFLICT DO NOTHING`,
      [levels, idxs, hashes],
    );
  }

  private async fetch(want: {
    nodes: Map<string, [number, number]>;
    leaves: Set<number>;
  }): Promise<Fetched> {
    const got: Fetched = { nodes: new Map(), leaves: new Map() };
    const [nodeRows, leafRows] = await Promise.all([
      want.nodes.size === 0
        ? []
        : this.dataSource.query<{ level: number; idx: number; hash: Buffer }[]>(
            `SELECT n.level, n.idx, n.hash FROM audit_tree_node n
             JOIN unnest($1::smallint[], $2::bigint[]) AS w(level, idx) USING (level, idx)`,
            [[...want.nodes.values()].map((k) => k[0]), [...want.nodes.values()].map((k) => k[1])],
          ),
      want.leaves.size === 0
        ? []
        : this.dataSource.query<{ seq: number; hash: string }[]>(
            'SELECT seq, hash FROM audit_event WHERE seq = ANY($1::bigint[])',
            [[...want.leaves].map((i) => i + 1)],
          ),
    ]);
    for (const row of nodeRows) got.nodes.set(nodeKey(row.level, Number(row.idx)), row.hash);
    for (const row of leafRows) got.leaves.set(Number(row.seq) - 1, Buffer.from(row.hash, 'hex'));
    if (got.nodes.size !== want.nodes.size || got.leaves.size !== want.leaves.size)
      throw new Error('the audit log or its tree index lacks hashes a proof needs');
    return got;
  }
}
