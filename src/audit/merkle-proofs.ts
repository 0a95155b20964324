import { createHash } from 'node:crypto';

/**
 * RFC 6962 / RFC 9162 proofs over the audit log's Merkle tree, as pure functions.
 *
 * Proof generation is split in two: which leaf ranges a proof carries (here, from sizes
 * alone) and what each range hashes to (the caller's business: the service reads stored
 * subtree hashes, a test hashes leaves in memory). Verification follows RFC 9162 sections
 * 2.1.3.2 and 2.1.4.2 word for word, so what we serve is what CT tooling accepts.
 */

/** Leaves [start, end), 0-based: one node of a proof is the Merkle hash of such a range. */
export interface LeafRange {
  start: number;
  end: number;
}

/** Largest power of two strictly smaller than n (n >= 2): where RFC 6962 splits a tree. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** SHA-256(0x01 || left || right), the RFC 6962 interior node. */
export function hashChildren(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(Uint8Array.of(1)).update(left).update(right).digest();
}

/**
 * RFC 6962 section 2.1.1 PATH(m, D[n]) as ranges: the audit path of leaf `index` in the tree
 * of `size` leaves, leaf first (the sibling nearest the leaf comes first).
 */
export function inclusionProofRanges(index: number, size: number): LeafRange[] {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size))
    throw new RangeError(`leaf index ${index} is not in a tree of ${size}`);
  const path: LeafRange[] = [];
  // Iterative form of the recursion: descend, collecting siblings top-down, then reverse.
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      path.push({ start: start + k, end });
      end = start + k;
    } else {
      path.push({ start, end: start + k });
      start += k;
    }
  }
  return path.reverse();
}

/**
 * RFC 6962 section 2.1.2 SUBPROOF(m, D[n], true) as ranges: the consistency proof between
 * the trees of `from` and `to` leaves (1 <= from <= to); empty when they are equal.
 */
export function consistencyProofRanges(from: number, to: number): LeafRange[] {
  if (!(Number.isSafeInteger(from) && Number.isSafeInteger(to) && from >= 1 && from <= to))
    throw new RangeError(`no consistency proof from ${from} to ${to}`);
  const proof: LeafRange[] = [];
  let m = from;
  let start = 0;
  let end = to;
  let whole = true; // the b flag: m is the whole old tree, whose root the verifier knows
  while (m !== end - start) {
    const k = splitPoint(end - start);
    if (m <= k) {
      proof.push({ start: start + k, end });
      end = start + k;
    } else {
      proof.push({ start, end: start + k });
      start += k;
      m -= k;
      whole = false;
    }
  }
  if (!whole) proof.push({ start, end });
  return proof.reverse();
}

/**
 * The perfect, aligned subtrees whose hashes make up a range's Merkle hash, left to right:
 * RFC 6962 splits [start, end) at the largest power of two, and in every range a proof or a
 * tree uses, the left part is perfect and aligned. `level` is log2 of the subtree's size.
 */
export function perfectSubtrees(range: LeafRange): { start: number; level: number }[] {
  const out: { start: number; level: number }[] = [];
  let start = range.start;
  const end = range.end;
  while (start < end) {
    let size = 1;
    while (size * 2 <= end - start && start % (size * 2) === 0) size *= 2;
    out.push({ start, level: Math.log2(size) });
    start += size;
  }
  return out;
}

/** Folds perfect subtree hashes (left to right) into the range's RFC 6962 hash. */
export function foldSubtrees(hashes: readonly Buffer[]): Buffer {
  let acc = hashes[hashes.length - 1];
  for (let i = hashes.length - 2; i >= 0; i--) acc = hashChildren(hashes[i], acc);
  return acc;
}

const isOdd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

/** RFC 9162 section 2.1.3.2: does `proof` show `leaf` at `index` in the tree with `root`? */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Buffer,
  proof: readonly Buffer[],
  root: Buffer,
): boolean {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size))
    return false;
  // A leaf hash is SHA-256: 32 bytes. Anything else (an empty Buffer.from(badHex, 'hex')) would
  // otherwise "verify" against an equally bad root in a tree of one leaf.
  if (leaf.length !== 32) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = hashChildren(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}

/**
 * RFC 9162 section 2.1.4.2: does `proof` show that the tree of `to` leaves with `toRoot`
 * extends the tree of `from` leaves with `fromRoot`? Equal sizes need an empty proof and
 * equal roots.
 */
export function verifyConsistency(
  from: number,
  to: number,
  proof: readonly Buffer[],
  fromRoot: Buffer,
  toRoot: Buffer,
): boolean {
  if (!(Number.isSafeInteger(from) && Number.isSafeInteger(to) && from >= 1 && from <= to))
    return false;
  if (from === to) return proof.length === 0 && fromRoot.equals(toRoot);
  if (proof.length === 0) return false;
  // The old root is the first subtree itself when the old tree is perfect.
  const path = isPowerOfTwo(from) ? [fromRoot, ...proof] : [...proof];
  let fn = from - 1;
  let sn = to - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return fr.equals(fromRoot) && sr.equals(toRoot) && sn === 0;
}

function isPowerOfTwo(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}
