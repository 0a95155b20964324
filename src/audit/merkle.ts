import { createHash } from 'node:crypto';

/** `prevHash` of the first event: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** RFC 6962 leaf hash, hex: SHA-256(0x00 || data). */
export function leafHash(data: string | Uint8Array): string {
  return createHash('sha256').update(Uint8Array.of(0)).update(data).digest('hex');
}

/** RFC 6962 interior node hash: SHA-256(0x01 || left || right), on raw 32-byte hashes. */
export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(Uint8Array.of(1)).update(left).update(right).digest();
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
