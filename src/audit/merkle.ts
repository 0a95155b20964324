import { createHash, hash } from 'node:crypto';

/** `prevHash` of the first event: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

const LEAF_PREFIX = Uint8Array.of(0);
const NODE_PREFIX = Uint8Array.of(1);

/**
 * RFC 6962 leaf hash, hex: SHA-256(0x00 || data), a string taken as its UTF-8 bytes. One-shot
 * `crypto.hash` costs about half of a createHash object, and the log hashes every event.
 */
export function leafHash(data: string | Uint8Array): string {
  // U+0000 is the single byte 0x00 in UTF-8, so prefixing the string prefixes the bytes.
  if (typeof data === 'string') return hash('sha256', '\u0000' + data);
  return hash('sha256', Buffer.concat([LEAF_PREFIX, data]));
}

/** 0x01 || left || right, reused: a log of millions of events hashes as many nodes. */
const nodeInput = Buffer.alloc(65);

/** RFC 6962 interior node hash: SHA-256(0x01 || left || right), on raw 32-byte hashes. */
export function nodeHash(left: Buffer, right: Buffer): Buffer {
  if (left.length !== 32 || right.length !== 32)
    return hash('sha256', Buffer.concat([NODE_PREFIX, left, right]), 'buffer');
  nodeInput[0] = 0x01;
  left.copy(nodeInput, 1);
  right.copy(nodeInput, 33);
  return hash('sha256', nodeInput, 'buffer');
}

/** Largest power of two strictly smaller than n (n >= 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** RFC 6962 Merkle tree hash over leaf hashes (hex), returned as hex. */
export function merkleRoot(leafHashes: readonly string[]): string {
  if (leafHashes.length === 0) {
    return createHash('sha256').digest('hex');
  }
  const rec = (leaves: Buffer[]): Buffer => {
    if (leaves.length === 1) return leaves[0];
    const k = splitPoint(leaves.length);
    return nodeHash(rec(leaves.slice(0, k)), rec(leaves.slice(k)));
  };
  return rec(leafHashes.map((h) => Buffer.from(h, 'hex'))).toString('hex');
}

/**
 * The right edge of an RFC 6962 tree as leaves are appended: the roots of its perfect
 * subtrees, largest first (the binary decomposition of the size). Appending is amortised
 * O(1) and the root of the whole tree is a fold from the right, so a log of millions of
 * events is hashed once, in one pass, and checkpoints can resume from a stored frontier.
 */
export class MerkleFrontier {
  private readonly stack: { size: number; hash: Buffer }[] = [];
  private count = 0;

  static fromJSON(state: {
    size: number;
    nodes: { size: number; hash: string }[];
  }): MerkleFrontier {
    const frontier = new MerkleFrontier();
    for (const node of state.nodes)
      frontier.stack.push({ size: node.size, hash: Buffer.from(node.hash, 'hex') });
    frontier.count = state.size;
    return frontier;
  }

  get size(): number {
    return this.count;
  }

  /** Appends one leaf, given as its (hex) leaf hash. */
  append(leafHashHex: string): void {
    let node: { size: number; hash: Buffer } = { size: 1, hash: Buffer.from(leafHashHex, 'hex') };
    while (this.stack.length > 0 && this.stack[this.stack.length - 1].size === node.size) {
      const left = this.stack.pop()!;
      node = { size: left.size * 2, hash: nodeHash(left.hash, node.hash) };
    }
    this.stack.push(node);
    this.count += 1;
  }

  /** Root hash (hex) of the tree of all leaves appended so far. */
  root(): string {
    if (this.stack.length === 0) return createHash('sha256').digest('hex');
    let hash = this.stack[this.stack.length - 1].hash;
    for (let i = this.stack.length - 2; i >= 0; i--) hash = nodeHash(this.stack[i].hash, hash);
    return hash.toString('hex');
  }

  toJSON(): { size: number; nodes: { size: number; hash: string }[] } {
    return {
      size: this.count,
      nodes: this.stack.map((n) => ({ size: n.size, hash: n.hash.toString('hex') })),
    };
  }
}
