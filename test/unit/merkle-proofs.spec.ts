import { hash } from 'node:crypto';
import { leafHash, merkleRoot, MerkleFrontier } from '../../src/audit/merkle';
import {
  consistencyProofRanges,
  foldSubtrees,
  inclusionProofRanges,
  LeafRange,
  perfectSubtrees,
  verifyConsistency,
  verifyInclusion,
} from '../../src/audit/merkle-proofs';

/*
 * Three independent checks of src/audit/merkle-proofs.ts:
 * 1. the published RFC 6962 test vectors of Certificate Transparency / transparency-dev;
 * 2. a second implementation written here from the text of RFC 6962 section 2.1 (MTH, PATH,
 *    PROOF/SUBPROOF), recursive over an array of leaf hashes, compared exhaustively on every
 *    tree of 1..64 leaves and on seeded random trees of up to 100,000 leaves;
 * 3. argument edge cases.
 */

// ---------------------------------------------------------------------------------------------
// Hashing written here, not imported: SHA-256 with the RFC 6962 domain prefixes.

const sha256 = (...parts: Uint8Array[]): Buffer => hash('sha256', Buffer.concat(parts), 'buffer');
const refLeaf = (data: Uint8Array): Buffer => sha256(Uint8Array.of(0), data);
const refNode = (left: Buffer, right: Buffer): Buffer => sha256(Uint8Array.of(1), left, right);
const EMPTY_TREE = sha256();

const hx = (hex: string): Buffer => Buffer.from(hex, 'hex');
const hexes = (hashes: readonly Buffer[]): string[] => hashes.map((h) => h.toString('hex'));
const show = (hashes: readonly Buffer[]): string => `[${hexes(hashes).join(', ')}]`;

/** RFC 6962 section 2.1: "k is the largest power of two smaller than n" (1 < n < 2^31). */
const largestPowerOfTwoBelow = (n: number): number => 1 << (31 - Math.clz32(n - 1));

// ---------------------------------------------------------------------------------------------
// Test vectors.
//
// Source: github.com/transparency-dev/merkle at commit 417fb0c314750d94e53942e9f92e79b6d35915db
//   - testonly/constants.go: LeafInputs(), NodeHashes(), RootHashes()
//   - testonly/reference_test.go: TestRefInclusionProof (0-based leaf index, tree size, proof)
//     and TestRefConsistencyProof
//   - cmd/proofgen/main.go: inclusionProofs (1-based leaf number there, converted to 0-based
//     here) and consistencyProofs, from which testdata/{inclusion,consistency}/ are generated
//     and which proof/verify_test.go checks; also sha256SomeHash, sha256EmptyTreeHash and the
//     corrupted-proof probes (invalidInclusionProof / invalidConsistencyProof) mirrored below
//   - testdata/inclusion/{single-entry,additional}/*.json and
//     testdata/consistency/additional/*.json: the static probes (base64 there, hex here).
// The leaf inputs, roots, paths and consistency proofs are also google/certificate-transparency's
// (merkle_tree_test.cc: kInputs, kSHA256Roots, kSHA256Paths, kSHA256Proofs).

const LEAF_INPUTS = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(hx);

/** NodeHashes(): [level][index] of every perfect subtree of the 8-leaf tree. */
const NODE_HASHES = [
  [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7',
    '07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7',
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    '4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658',
    'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
    '46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1',
  ],
  [
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
  ],
  [
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
  ],
  ['5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328'],
];

/** RootHashes(), indexed by tree size 0..8. */
const ROOT_HASHES = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

/** TestRefInclusionProof and cmd/proofgen inclusionProofs, 0-based leaf index. */
const INCLUSION_VECTORS: { index: number; size: number; proof: string[] }[] = [
  { index: 0, size: 1, proof: [] },
  {
    index: 0,
    size: 2,
    proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7'],
  },
  {
    index: 1,
    size: 2,
    proof: ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'],
  },
  {
    index: 2,
    size: 3,
    proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'],
  },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

/** TestRefConsistencyProof and cmd/proofgen consistencyProofs. */
const CONSISTENCY_VECTORS: { from: number; to: number; proof: string[] }[] = [
  { from: 1, to: 1, proof: [] },
  {
    from: 1,
    to: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    from: 6,
    to: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    from: 2,
    to: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    from: 6,
    to: 7,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

/** cmd/proofgen/main.go: sha256SomeHash and sha256EmptyTreeHash. */
const SOME_HASH = hx('abacaba000000000000000000000000000000000000000000060061e00123456');
const EMPTY_TREE_HASH = hx('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
/** testdata/inclusion/single-entry: the leaf hash of "data" (DTrtAjFI...), root of a 1-tree. */
const DATA_LEAF = hx('0d3aed023148ffd2a259fbd0cdc7fb3cf975658760d3775b82af6f90aacc2dfc');

// ---------------------------------------------------------------------------------------------
// The second implementation: RFC 6962 section 2.1 over leaf hashes D[lo:hi], written from the
// RFC text. Only `mth` differs between the plain tree (small sizes) and the fast tree (large
// sizes); PATH and SUBPROOF are the RFC recursions, shared.

interface RefTree {
  /** MTH(D[lo:hi]). */
  mth(lo: number, hi: number): Buffer;
}

/**
 * Plain recursion: MTH({d0}) = leaf hash, MTH(D[n]) = node(MTH(D[0:k]), MTH(D[k:n])). With
 * `memo`, each range is hashed once (the exhaustive run asks for the same ranges many times).
 */
class PlainTree implements RefTree {
  private readonly memo?: Map<string, Buffer>;

  constructor(
    private readonly leaves: readonly Buffer[],
    memo = false,
  ) {
    if (memo) this.memo = new Map();
  }

  mth(lo: number, hi: number): Buffer {
    const n = hi - lo;
    if (n === 0) return EMPTY_TREE;
    if (n === 1) return this.leaves[lo];
    const key = `${lo}:${hi}`;
    const known = this.memo?.get(key);
    if (known) return known;
    const k = largestPowerOfTwoBelow(n);
    const node = refNode(this.mth(lo, lo + k), this.mth(lo + k, hi));
    this.memo?.set(key, node);
    return node;
  }
}

/**
 * The same recursion, but a perfect aligned subtree is read from a bottom-up level array
 * (levels[l][j] = MTH(D[j*2^l:(j+1)*2^l])) built once for all tree sizes, so a range hash
 * costs O(log n) hashes.
 */
class LevelTree implements RefTree {
  readonly levels: Buffer[][];

  constructor(leaves: Buffer[]) {
    this.levels = [leaves];
    for (let below = leaves; below.length > 1;) {
      const level: Buffer[] = [];
      for (let j = 0; 2 * j + 1 < below.length; j++)
        level.push(refNode(below[2 * j], below[2 * j + 1]));
      this.levels.push(level);
      below = level;
    }
  }

  mth(lo: number, hi: number): Buffer {
    const n = hi - lo;
    if (n === 0) return EMPTY_TREE;
    if ((n & (n - 1)) === 0 && lo % n === 0) return this.levels[31 - Math.clz32(n)][lo / n];
    const k = largestPowerOfTwoBelow(n);
    return refNode(this.mth(lo, lo + k), this.mth(lo + k, hi));
  }

  /** The hash of the perfect subtree of 2^level leaves at `start`. */
  perfect(start: number, level: number): Buffer {
    return this.levels[level][start / 2 ** level];
  }
}

/**
 * RFC 6962 2.1.1: PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) for m < k,
 * PATH(m - k, D[k:n]) : MTH(D[0:k]) for m >= k; empty for a single leaf. m is 0-based in D.
 */
function refPath(t: RefTree, m: number, lo: number, hi: number): Buffer[] {
  const n = hi - lo;
  if (n === 1) return [];
  const k = largestPowerOfTwoBelow(n);
  if (m < k) return [...refPath(t, m, lo, lo + k), t.mth(lo + k, hi)];
  return [...refPath(t, m - k, lo + k, hi), t.mth(lo, lo + k)];
}

/**
 * RFC 6962 2.1.2: SUBPROOF(m, D[n], b): empty if m = n and b, [MTH(D[n])] if m = n and not b;
 * else SUBPROOF(m, D[0:k], b) : MTH(D[k:n]) for m <= k,
 * SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k]) for m > k.
 */
function refSubproof(t: RefTree, m: number, lo: number, hi: number, b: boolean): Buffer[] {
  const n = hi - lo;
  if (m === n) return b ? [] : [t.mth(lo, hi)];
  const k = largestPowerOfTwoBelow(n);
  if (m <= k) return [...refSubproof(t, m, lo, lo + k, b), t.mth(lo + k, hi)];
  return [...refSubproof(t, m - k, lo + k, hi, false), t.mth(lo, lo + k)];
}

/** RFC 6962 2.1.2: PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
const refConsistency = (t: RefTree, m: number, n: number): Buffer[] =>
  refSubproof(t, m, 0, n, true);

// ---------------------------------------------------------------------------------------------
// Module proofs, hashed two ways.

/** Checks a range is inside the tree, and hashes it with the reference MTH. */
function hashRanges(t: RefTree, ranges: LeafRange[], size: number): Buffer[] {
  for (const r of ranges) {
    if (!(Number.isInteger(r.start) && Number.isInteger(r.end) && 0 <= r.start))
      throw new Error(`bad range ${JSON.stringify(r)}`);
    if (!(r.start < r.end && r.end <= size))
      throw new Error(`range ${JSON.stringify(r)} not in a tree of ${size}`);
  }
  return ranges.map((r) => t.mth(r.start, r.end));
}

/**
 * Hashes a range from its perfectSubtrees, folded with foldSubtrees, after checking that the
 * subtrees are aligned, strictly shrinking and tile the range exactly.
 */
function foldRange(range: LeafRange, perfect: (start: number, level: number) => Buffer): Buffer {
  const subtrees = perfectSubtrees(range);
  let at = range.start;
  let previous = Infinity;
  for (const { start, level } of subtrees) {
    const size = 2 ** level;
    if (!(Number.isInteger(level) && level >= 0 && level < previous))
      throw new Error(`subtree levels of ${JSON.stringify(range)}: ${JSON.stringify(subtrees)}`);
    if (start !== at || start % size !== 0)
      throw new Error(
        `subtrees of ${JSON.stringify(range)} not tiled: ${JSON.stringify(subtrees)}`,
      );
    at += size;
    previous = level;
  }
  if (at !== range.end)
    throw new Error(
      `subtrees of ${JSON.stringify(range)} end at ${at}: ${JSON.stringify(subtrees)}`,
    );
  return foldSubtrees(subtrees.map((s) => perfect(s.start, s.level)));
}

// ---------------------------------------------------------------------------------------------
// Forgeries: each must be rejected. The thorough set follows transparency-dev's
// invalidInclusionProof and invalidConsistencyProof (cmd/proofgen/main.go), plus wrong sizes
// paired with their true roots and the valid proof of another leaf or size pair; the core set
// (marked `core`) is what the exhaustive run over every tree of 1..64 leaves can afford.

const flipped = (hash: Buffer, at = 0, bit = 8): Buffer => {
  const copy = Buffer.from(hash);
  copy[at % copy.length] ^= bit;
  return copy;
};

interface Probe {
  desc: string;
  ok: () => boolean;
  core: boolean;
}

/** Collects probes; `add(desc, ok, true)` marks a core one. */
function probeList(): {
  probes: Probe[];
  add: (desc: string, ok: () => boolean, core?: boolean) => void;
} {
  const probes: Probe[] = [];
  return { probes, add: (desc, ok, core = false) => void probes.push({ desc, ok, core }) };
}

interface InclusionCase {
  index: number;
  size: number;
  leaf: Buffer;
  proof: Buffer[];
  root: Buffer;
  /** The true root of a tree of `size` leaves, if the test knows it. */
  rootOf: (size: number) => Buffer | undefined;
  /** Another leaf of the tree, and the valid proof of another index, if any. */
  otherLeaf: Buffer;
  otherProof?: { index: number; proof: Buffer[] };
}

function inclusionForgeries(c: InclusionCase, thorough: boolean): Probe[] {
  const { index, size, leaf, proof, root } = c;
  const { probes, add } = probeList();
  const v = (i: number, s: number, l: Buffer, p: Buffer[], r: Buffer) => () =>
    verifyInclusion(i, s, l, p, r);
  const n = proof.length;

  proof.forEach((_, i) => {
    const one = [...proof];
    one[i] = flipped(proof[i], i * 7 + index, 1 << (i % 8));
    // Core: one node per leaf, in turn, so that every position is covered across the leaves.
    add(`proof[${i}] one byte flipped`, v(index, size, leaf, one, root), i === index % n);
    const first = [...proof];
    first[i] = flipped(proof[i], 0, 8);
    add(`proof[${i}] bit 3 flipped`, v(index, size, leaf, first, root));
  });
  add('wrong leaf', v(index, size, c.otherLeaf, proof, root), true);
  add('flipped leaf', v(index, size, flipped(leaf), proof, root));
  add('flipped root', v(index, size, leaf, proof, flipped(root, 31, 1)), true);
  add('empty-tree root', v(index, size, leaf, proof, EMPTY_TREE_HASH));
  add('random root', v(index, size, leaf, proof, SOME_HASH));
  add('trailing leaf', v(index, size, leaf, [...proof, leaf], root), true);
  add('trailing garbage', v(index, size, leaf, [...proof, Buffer.alloc(0)], root));
  add('trailing root', v(index, size, leaf, [...proof, root], root));
  add('preceding garbage', v(index, size, leaf, [Buffer.alloc(0), ...proof], root));
  add('preceding root', v(index, size, leaf, [root, ...proof], root));
  add('size * 2', v(index, size * 2, leaf, proof, root));
  add('size / 2', v(index, Math.floor(size / 2), leaf, proof, root));
  if (n > 0) {
    add('last removed', v(index, size, leaf, proof.slice(0, -1), root), true);
    add('first removed', v(index, size, leaf, proof.slice(1), root));
  }
  if (n > 1) {
    add('inserted component', v(index, size, leaf, [proof[0], SOME_HASH, ...proof.slice(1)], root));
    add('first two swapped', v(index, size, leaf, [proof[1], proof[0], ...proof.slice(2)], root));
    add('reversed', v(index, size, leaf, [...proof].reverse(), root));
  }
  for (const wrong of new Set([index - 1, index + 1, index ^ 1, index ^ 2, size, size + 1, -1]))
    if (wrong !== index)
      add(`index ${wrong}`, v(wrong, size, leaf, proof, root), Math.abs(wrong - index) === 1);
  // Only with the wrong size's own root: with `root` unchanged the verifier cannot tell a
  // size whose path has the same shape (leaf 0 in 3 and in 4 leaves), nor is it meant to.
  for (const wrong of new Set([size - 1, size + 1, size * 2, size + 2])) {
    const wrongRoot = c.rootOf(wrong);
    if (wrong === size || wrong <= index || wrongRoot === undefined) continue;
    add(`size ${wrong}, its root`, v(index, wrong, leaf, proof, wrongRoot), wrong === size + 1);
  }
  if (c.otherProof)
    add(
      `proof of leaf ${c.otherProof.index}`,
      v(index, size, leaf, c.otherProof.proof, root),
      true,
    );
  return thorough ? probes : probes.filter((p) => p.core);
}

interface ConsistencyCase {
  from: number;
  to: number;
  proof: Buffer[];
  fromRoot: Buffer;
  toRoot: Buffer;
  rootOf: (size: number) => Buffer | undefined;
  /** The valid proof between other sizes, if any. */
  otherProof?: { from: number; to: number; proof: Buffer[] };
}

function consistencyForgeries(c: ConsistencyCase, thorough: boolean): Probe[] {
  const { from, to, proof, fromRoot, toRoot } = c;
  const { probes, add } = probeList();
  const v = (f: number, t: number, p: Buffer[], r1: Buffer, r2: Buffer) => () =>
    verifyConsistency(f, t, p, r1, r2);

  proof.forEach((_, i) => {
    const one = [...proof];
    one[i] = flipped(proof[i], i * 7 + from, 1 << (i % 8));
    add(
      `proof[${i}] one byte flipped`,
      v(from, to, one, fromRoot, toRoot),
      i === from % proof.length,
    );
    const first = [...proof];
    first[i] = flipped(proof[i], 0, 16);
    add(`proof[${i}] bit 4 flipped`, v(from, to, first, fromRoot, toRoot));
  });
  add('flipped fromRoot', v(from, to, proof, flipped(fromRoot), toRoot), true);
  add('flipped toRoot', v(from, to, proof, fromRoot, flipped(toRoot, 31, 1)), true);
  add('random fromRoot', v(from, to, proof, SOME_HASH, toRoot));
  add('random toRoot', v(from, to, proof, fromRoot, SOME_HASH));
  add('trailing toRoot', v(from, to, [...proof, toRoot], fromRoot, toRoot), true);
  add('trailing garbage', v(from, to, [...proof, Buffer.alloc(0)], fromRoot, toRoot));
  add('trailing fromRoot', v(from, to, [...proof, fromRoot], fromRoot, toRoot));
  add('preceding garbage', v(from, to, [Buffer.alloc(0), ...proof], fromRoot, toRoot));
  add('preceding fromRoot', v(from, to, [fromRoot, ...proof], fromRoot, toRoot));
  add('preceding toRoot', v(from, to, [toRoot, ...proof], fromRoot, toRoot));
  add('to * 2', v(from, to * 2, proof, fromRoot, toRoot));
  add('to / 2', v(from, Math.floor(to / 2), proof, fromRoot, toRoot));
  add('from 0', v(0, to, proof, fromRoot, toRoot));
  if (from === to) {
    add('non-empty proof', v(from, to, [fromRoot], fromRoot, toRoot), true);
  } else {
    add('swapped roots', v(from, to, proof, toRoot, fromRoot), true);
    add('empty proof', v(from, to, [], fromRoot, toRoot));
    add('swapped sizes', v(to, from, proof, toRoot, fromRoot));
    add('preceding proof[0]', v(from, to, [proof[0], ...proof], fromRoot, toRoot));
    add('last removed', v(from, to, proof.slice(0, -1), fromRoot, toRoot), true);
    add('first removed', v(from, to, proof.slice(1), fromRoot, toRoot), true);
  }
  if (proof.length > 1) {
    add(
      'first two swapped',
      v(from, to, [proof[1], proof[0], ...proof.slice(2)], fromRoot, toRoot),
    );
    add(
      'inserted component',
      v(from, to, [proof[0], SOME_HASH, ...proof.slice(1)], fromRoot, toRoot),
    );
  }
  for (const wrong of new Set([from - 1, from + 1, from ^ 2, from * 2])) {
    if (wrong === from || wrong < 1 || wrong > to) continue;
    const core = Math.abs(wrong - from) === 1;
    add(`from ${wrong}`, v(wrong, to, proof, fromRoot, toRoot));
    const wrongRoot = c.rootOf(wrong);
    if (wrongRoot) add(`from ${wrong}, its root`, v(wrong, to, proof, wrongRoot, toRoot), core);
  }
  // Only with the wrong size's own root: with `toRoot` unchanged the verifier cannot tell a
  // size whose proof has the same shape (1 -> 7 and 1 -> 8), nor is it meant to.
  for (const wrong of new Set([to - 1, to + 1, to + 2])) {
    const wrongRoot = c.rootOf(wrong);
    if (wrong === to || wrong < from || !wrongRoot) continue;
    add(`to ${wrong}, its root`, v(from, wrong, proof, fromRoot, wrongRoot), wrong === to + 1);
  }
  if (c.otherProof) {
    const o = c.otherProof;
    add(`proof ${o.from} -> ${o.to}`, v(from, to, o.proof, fromRoot, toRoot), true);
  }
  return thorough ? probes : probes.filter((p) => p.core);
}

/** The descriptions of the probes that verified: must be none. */
const accepted = (probes: Probe[]): string[] => probes.filter((p) => p.ok()).map((p) => p.desc);

// ---------------------------------------------------------------------------------------------
// One leaf index or one pair of sizes against the reference: the module's ranges, hashed with
// the reference MTH and through perfectSubtrees + foldSubtrees, equal PATH / PROOF; the proof
// verifies; no forgery of it does.

interface Check {
  tree: RefTree;
  perfect: (start: number, level: number) => Buffer;
  leaves: readonly Buffer[];
  rootOf: (size: number) => Buffer | undefined;
  thorough: boolean;
}

const rootIn = (c: Check, n: number): Buffer => c.rootOf(n) ?? c.tree.mth(0, n);

const sameHashes = (a: readonly Buffer[], b: readonly Buffer[]): boolean =>
  a.length === b.length && a.every((h, i) => h.equals(b[i]));

/**
 * What is wrong with the proof of leaf m in the tree of n leaves, as messages (none when all
 * is well): one expect per test rather than per leaf keeps the exhaustive run fast.
 */
function checkInclusion(c: Check, m: number, n: number): string[] {
  const problems: string[] = [];
  const at = `leaf ${m} of ${n}`;
  const proof = refPath(c.tree, m, 0, n);
  const ranges = inclusionProofRanges(m, n);
  const viaMth = hashRanges(c.tree, ranges, n);
  const viaSubtrees = ranges.map((r) => foldRange(r, c.perfect));
  if (!sameHashes(viaMth, proof))
    problems.push(
      `${at}: ranges ${JSON.stringify(ranges)} hash to ${show(viaMth)}, PATH is ${show(proof)}`,
    );
  if (!sameHashes(viaSubtrees, proof))
    problems.push(
      `${at}: perfectSubtrees + foldSubtrees give ${show(viaSubtrees)}, PATH is ${show(proof)}`,
    );

  const root = rootIn(c, n);
  if (!verifyInclusion(m, n, c.leaves[m], proof, root)) problems.push(`${at}: does not verify`);

  const other = m + 1 < n ? m + 1 : m - 1;
  const probes = inclusionForgeries(
    {
      index: m,
      size: n,
      leaf: c.leaves[m],
      proof,
      root,
      rootOf: c.rootOf,
      otherLeaf: c.leaves[m + 1],
      otherProof: other >= 0 ? { index: other, proof: refPath(c.tree, other, 0, n) } : undefined,
    },
    c.thorough,
  );
  for (const desc of accepted(probes)) problems.push(`${at}: verifies with ${desc}`);
  return problems;
}

/** What is wrong with the consistency proof from m to n leaves, as messages. */
function checkConsistency(c: Check, m: number, n: number): string[] {
  const problems: string[] = [];
  const at = `${m} -> ${n}`;
  const proof = refConsistency(c.tree, m, n);
  const ranges = consistencyProofRanges(m, n);
  const viaMth = hashRanges(c.tree, ranges, n);
  const viaSubtrees = ranges.map((r) => foldRange(r, c.perfect));
  if (!sameHashes(viaMth, proof))
    problems.push(
      `${at}: ranges ${JSON.stringify(ranges)} hash to ${show(viaMth)}, PROOF is ${show(proof)}`,
    );
  if (!sameHashes(viaSubtrees, proof))
    problems.push(
      `${at}: perfectSubtrees + foldSubtrees give ${show(viaSubtrees)}, PROOF is ${show(proof)}`,
    );
  if ((proof.length === 0) !== (m === n)) problems.push(`${at}: PROOF has ${proof.length} nodes`);

  const [fromRoot, toRoot] = [rootIn(c, m), rootIn(c, n)];
  if (!verifyConsistency(m, n, proof, fromRoot, toRoot)) problems.push(`${at}: does not verify`);

  const other = m + 1 <= n ? m + 1 : m - 1;
  const probes = consistencyForgeries(
    {
      from: m,
      to: n,
      proof,
      fromRoot,
      toRoot,
      rootOf: c.rootOf,
      otherProof:
        other >= 1 ? { from: other, to: n, proof: refConsistency(c.tree, other, n) } : undefined,
    },
    c.thorough,
  );
  for (const desc of accepted(probes)) problems.push(`${at}: verifies with ${desc}`);
  return problems;
}

// ---------------------------------------------------------------------------------------------

describe('merkle-proofs against the transparency-dev / CT test vectors', () => {
  const leaves = LEAF_INPUTS.map((input) => hx(leafHash(input)));
  const vectorTree = new PlainTree(leaves);
  const root = (size: number): Buffer => hx(ROOT_HASHES[size]);
  const rootOf = (size: number): Buffer | undefined =>
    size >= 0 && size < ROOT_HASHES.length ? root(size) : undefined;
  const nodeHash = (start: number, level: number): Buffer =>
    hx(NODE_HASHES[level][start / 2 ** level]);

  it('hashes the leaf inputs to the published leaf hashes (NodeHashes level 0)', () => {
    expect(hexes(leaves)).toEqual(NODE_HASHES[0]);
    expect(hexes(LEAF_INPUTS.map(refLeaf))).toEqual(NODE_HASHES[0]);
  });

  it('has the published perfect subtree hashes (NodeHashes)', () => {
    NODE_HASHES.forEach((level, l) =>
      level.forEach((hash, j) => {
        const range = { start: j * 2 ** l, end: (j + 1) * 2 ** l };
        expect(perfectSubtrees(range)).toEqual([{ start: range.start, level: l }]);
        expect(vectorTree.mth(range.start, range.end).toString('hex')).toBe(hash);
      }),
    );
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('has the published root of the tree of %i', (size) => {
    const hashes = leaves.slice(0, size).map((h) => h.toString('hex'));
    const frontier = new MerkleFrontier();
    for (const h of hashes) frontier.append(h);
    expect(merkleRoot(hashes)).toBe(ROOT_HASHES[size]);
    expect(frontier.root()).toBe(ROOT_HASHES[size]);
    expect(vectorTree.mth(0, size).toString('hex')).toBe(ROOT_HASHES[size]);
    expect(foldRange({ start: 0, end: size }, nodeHash).toString('hex')).toBe(ROOT_HASHES[size]);
  });

  it('has the published empty-tree root', () => {
    expect(merkleRoot([])).toBe(ROOT_HASHES[0]);
    expect(new MerkleFrontier().root()).toBe(ROOT_HASHES[0]);
    expect(EMPTY_TREE.toString('hex')).toBe(ROOT_HASHES[0]);
  });

  describe.each(INCLUSION_VECTORS)('inclusion proof of leaf $index in the tree of $size', (vec) => {
    const proof = vec.proof.map(hx);
    const leaf = leaves[vec.index];

    it('is what the ranges hash to, both ways', () => {
      const ranges = inclusionProofRanges(vec.index, vec.size);
      expect(hexes(hashRanges(vectorTree, ranges, vec.size))).toEqual(vec.proof);
      expect(hexes(ranges.map((r) => foldRange(r, nodeHash)))).toEqual(vec.proof);
      expect(hexes(refPath(vectorTree, vec.index, 0, vec.size))).toEqual(vec.proof);
    });

    it('verifies, and no corruption of it does', () => {
      expect(verifyInclusion(vec.index, vec.size, leaf, proof, root(vec.size))).toBe(true);
      const probes = inclusionForgeries(
        {
          index: vec.index,
          size: vec.size,
          leaf,
          proof,
          root: root(vec.size),
          rootOf,
          otherLeaf: leaves[(vec.index + 1) % leaves.length],
        },
        true,
      );
      expect(probes.length).toBeGreaterThan(10);
      expect(accepted(probes)).toEqual([]);
    });
  });

  describe.each(CONSISTENCY_VECTORS)('consistency proof from $from to $to', (vec) => {
    const proof = vec.proof.map(hx);

    it('is what the ranges hash to, both ways', () => {
      const ranges = consistencyProofRanges(vec.from, vec.to);
      expect(hexes(hashRanges(vectorTree, ranges, vec.to))).toEqual(vec.proof);
      expect(hexes(ranges.map((r) => foldRange(r, nodeHash)))).toEqual(vec.proof);
      expect(hexes(refConsistency(vectorTree, vec.from, vec.to))).toEqual(vec.proof);
    });

    it('verifies, and no corruption of it does', () => {
      expect(verifyConsistency(vec.from, vec.to, proof, root(vec.from), root(vec.to))).toBe(true);
      const probes = consistencyForgeries(
        {
          from: vec.from,
          to: vec.to,
          proof,
          fromRoot: root(vec.from),
          toRoot: root(vec.to),
          rootOf,
        },
        true,
      );
      expect(probes.length).toBeGreaterThan(10);
      expect(accepted(probes)).toEqual([]);
    });
  });

  it('gives every inclusion proof in the 8-leaf tree from the published node hashes', () => {
    // The audit path of leaf i in a perfect tree: at level l, the sibling of i >> l.
    for (let index = 0; index < 8; index++) {
      const expected = [0, 1, 2].map((l) => NODE_HASHES[l][(index >> l) ^ 1]);
      const proof = hashRanges(vectorTree, inclusionProofRanges(index, 8), 8);
      expect({ index, proof: hexes(proof) }).toEqual({ index, proof: expected });
      expect(verifyInclusion(index, 8, leaves[index], proof, root(8))).toBe(true);
    }
  });

  // testdata/inclusion/single-entry/*.json and testdata/inclusion/additional/*/*.json
  it.each([
    ['single-entry: matching root and leaf', 0, 1, DATA_LEAF, DATA_LEAF, true],
    ['single-entry: empty leaf', 0, 1, Buffer.alloc(0), DATA_LEAF, false],
    ['single-entry: empty root', 0, 1, DATA_LEAF, Buffer.alloc(0), false],
    ['single-entry: empty root and leaf', 0, 1, Buffer.alloc(0), Buffer.alloc(0), false],
    ...[
      [0, 0],
      [0, 1],
      [1, 0],
      [2, 1],
    ].flatMap(([index, size]) => [
      [`additional ${index}/${size}: random leaf`, index, size, SOME_HASH, Buffer.alloc(0), false],
      [
        `additional ${index}/${size}: empty root`,
        index,
        size,
        Buffer.alloc(0),
        EMPTY_TREE_HASH,
        false,
      ],
      [
        `additional ${index}/${size}: empty root, random leaf`,
        index,
        size,
        SOME_HASH,
        EMPTY_TREE_HASH,
        false,
      ],
    ]),
  ] as [string, number, number, Buffer, Buffer, boolean][])(
    'inclusion probe %s',
    (_desc, index, size, leaf, root, want) => {
      expect(verifyInclusion(index, size, leaf, [], root)).toBe(want);
    },
  );

  // testdata/consistency/additional/*.json ("don't care 1" and "don't care 2" are their roots)
  const care1 = Buffer.from("don't care 1");
  const care2 = Buffer.from("don't care 2");
  it.each([
    ['sizes are equal (one) and proof is empty', 1, 1, care2, care2, [], true],
    ['sizes are equal (one) but roots are not', 1, 1, care1, care2, [], false],
    ['roots do not match and sizes are one', 1, 1, EMPTY_TREE_HASH, care2, [], false],
    [
      'sizes match but proof is not empty (one)',
      1,
      1,
      EMPTY_TREE_HASH,
      EMPTY_TREE_HASH,
      [EMPTY_TREE_HASH],
      false,
    ],
    ['sizes are equal (zero) and proof is empty', 0, 0, care1, care1, [], false],
    ['sizes are equal (zero) but roots are not', 0, 0, care1, care2, [], false],
    ['roots do not match and sizes are zero', 0, 0, EMPTY_TREE_HASH, care2, [], false],
    [
      'sizes match but proof is not empty (zero)',
      0,
      0,
      EMPTY_TREE_HASH,
      EMPTY_TREE_HASH,
      [EMPTY_TREE_HASH],
      false,
    ],
    ['size1 is zero and does not equal size2', 0, 1, care1, care2, [], false],
    ['size1 is zero and size2 is not', 0, 1, EMPTY_TREE_HASH, care2, [], false],
    [
      'consistency check on an empty tree is useless',
      0,
      1,
      EMPTY_TREE_HASH,
      EMPTY_TREE_HASH,
      [EMPTY_TREE_HASH],
      false,
    ],
    ['size1 is greater than size2', 1, 0, care1, care2, [], false],
    ['size1 is greater than size2 again', 2, 1, care1, care2, [], false],
    ['sizes do not match and proof is empty', 1, 2, care1, care2, [], false],
  ] as [string, number, number, Buffer, Buffer, Buffer[], boolean][])(
    'consistency probe: %s',
    (_desc, from, to, fromRoot, toRoot, proof, want) => {
      expect(verifyConsistency(from, to, proof, fromRoot, toRoot)).toBe(want);
    },
  );
});

// ---------------------------------------------------------------------------------------------

describe('merkle-proofs against the RFC 6962 reference, every tree of 1..64 leaves', () => {
  const MAX = 64;
  const leaves = Array.from({ length: MAX + 2 }, (_, i) => refLeaf(Buffer.from(`leaf ${i}`)));
  const tree = new PlainTree(leaves, true);
  const levels = new LevelTree(leaves);
  const roots = Array.from({ length: MAX + 3 }, (_, n) => tree.mth(0, n));
  const rootOf = (n: number): Buffer | undefined =>
    n >= 0 && n < roots.length ? roots[n] : undefined;
  const perfectFromLeaves = (start: number, level: number) => tree.mth(start, start + 2 ** level);
  const sizes = Array.from({ length: MAX }, (_, i) => i + 1);

  it('uses module leaf hashes equal to the reference ones', () => {
    expect(leafHash(Buffer.from('leaf 7'))).toBe(leaves[7].toString('hex'));
  });

  it.each(sizes)('roots agree: reference, level array, merkleRoot, MerkleFrontier (%i)', (n) => {
    const hex = leaves.slice(0, n).map((h) => h.toString('hex'));
    const frontier = new MerkleFrontier();
    for (const h of hex) frontier.append(h);
    const want = roots[n].toString('hex');
    expect(levels.mth(0, n).toString('hex')).toBe(want);
    expect(merkleRoot(hex)).toBe(want);
    expect(frontier.root()).toBe(want);
    expect(MerkleFrontier.fromJSON(frontier.toJSON()).root()).toBe(want);
    expect(foldRange({ start: 0, end: n }, perfectFromLeaves).toString('hex')).toBe(want);
  });

  const check = { tree, perfect: perfectFromLeaves, leaves, rootOf, thorough: false };

  it.each(sizes)('inclusion proofs in the tree of %i', (n) => {
    const problems: string[] = [];
    for (let m = 0; m < n; m++) problems.push(...checkInclusion(check, m, n));
    expect(problems).toEqual([]);
  });

  it.each(sizes)('consistency proofs to the tree of %i', (n) => {
    const problems: string[] = [];
    for (let m = 1; m <= n; m++) problems.push(...checkConsistency(check, m, n));
    expect(problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

/** mulberry32: a seeded generator, so a failing size or index reproduces. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('merkle-proofs against the RFC 6962 reference, random trees up to 100,000 leaves', () => {
  const SEED = 0x6962;
  const MAX = 100_000;
  const random = mulberry32(SEED);
  const below = (n: number): number => Math.floor(random() * n);

  // Leaf hashes are opaque 32-byte values to MTH, PATH and SUBPROOF: seeded random bytes
  // instead of 100,000 SHA-256 calls.
  const bytes = Buffer.alloc((MAX + 1) * 32);
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  for (let i = 0; i < words.length; i++) words[i] = random() * 2 ** 32;
  const leaves = Array.from({ length: MAX + 1 }, (_, i) => bytes.subarray(i * 32, (i + 1) * 32));
  const tree = new LevelTree(leaves);
  const rootOf = (n: number): Buffer | undefined =>
    n >= 0 && n <= MAX ? tree.mth(0, n) : undefined;
  const perfect = (start: number, level: number) => tree.perfect(start, level);

  const sizes = [
    ...Array.from({ length: 5 }, () => 1 + below(MAX)),
    65_535,
    65_536,
    65_537,
    MAX,
  ].sort((a, b) => a - b);

  it('builds a level array whose ranges match the plain recursion', () => {
    const plain = new PlainTree(leaves);
    for (let i = 0; i < 20; i++) {
      const lo = below(MAX);
      const hi = lo + 1 + below(Math.min(1000, MAX - lo));
      expect({ lo, hi, hash: tree.mth(lo, hi).toString('hex') }).toEqual({
        lo,
        hi,
        hash: plain.mth(lo, hi).toString('hex'),
      });
    }
  });

  /** The frontier of n leaves from the level array: a perfect subtree per bit of n. */
  const frontierState = (n: number) => {
    const nodes: { size: number; hash: string }[] = [];
    for (let level = 31 - Math.clz32(n), start = 0; level >= 0; level--)
      if (n & (1 << level)) {
        nodes.push({ size: 2 ** level, hash: tree.perfect(start, level).toString('hex') });
        start += 2 ** level;
      }
    return { size: n, nodes };
  };

  it(`roots agree with merkleRoot and MerkleFrontier at sizes ${sizes.join(', ')}`, () => {
    const problems: string[] = [];
    for (const n of sizes) {
      const want = tree.mth(0, n).toString('hex');
      // The first size from an empty frontier, the others resumed 3,000 leaves before.
      const from = n === sizes[0] ? 0 : n - 3000;
      const frontier = MerkleFrontier.fromJSON(frontierState(from));
      while (frontier.size < n) frontier.append(leaves[frontier.size].toString('hex'));
      if (frontier.root() !== want) problems.push(`${n}: frontier root ${frontier.root()}`);
      if (JSON.stringify(frontier.toJSON()) !== JSON.stringify(frontierState(n)))
        problems.push(`${n}: frontier state ${JSON.stringify(frontier.toJSON())}`);
      const folded = foldRange({ start: 0, end: n }, perfect).toString('hex');
      if (folded !== want) problems.push(`${n}: folded perfect subtrees ${folded}`);
    }
    expect(problems).toEqual([]);
    const n = sizes[0];
    expect(merkleRoot(leaves.slice(0, n).map((h) => h.toString('hex')))).toBe(
      tree.mth(0, n).toString('hex'),
    );
  });

  const check = { tree, perfect, leaves, rootOf, thorough: true };

  it.each(sizes)('inclusion proofs in the tree of %i (seed 0x6962)', (n) => {
    const k = largestPowerOfTwoBelow(Math.max(n, 2));
    const indices = new Set([0, n - 1, k - 1, k, ...Array.from({ length: 6 }, () => below(n))]);
    const problems: string[] = [];
    for (const m of indices) if (m >= 0 && m < n) problems.push(...checkInclusion(check, m, n));
    expect(problems).toEqual([]);
  });

  it.each(sizes)('consistency proofs to the tree of %i (seed 0x6962)', (n) => {
    const k = largestPowerOfTwoBelow(Math.max(n, 2));
    const froms = new Set([
      1,
      2,
      n - 1,
      n,
      k,
      k + 1,
      ...Array.from({ length: 6 }, () => 1 + below(n)),
    ]);
    const problems: string[] = [];
    for (const m of froms) if (m >= 1 && m <= n) problems.push(...checkConsistency(check, m, n));
    expect(problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('merkle-proofs edge cases', () => {
  const leaves = Array.from({ length: 8 }, (_, i) => refLeaf(Uint8Array.of(i)));
  const tree = new PlainTree(leaves);

  it.each([
    [1, 1],
    [5, 5],
    [6, 5],
    [0, 0],
    [-1, 5],
    [0, -1],
    [0.5, 4],
    [1, 4.5],
    [NaN, 4],
    [0, NaN],
    [0, Infinity],
    [2 ** 53, 2 ** 53 + 2],
  ])('inclusionProofRanges(%p, %p) throws a RangeError', (index, size) => {
    expect(() => inclusionProofRanges(index, size)).toThrow(RangeError);
  });

  it.each([
    [0, 0],
    [0, 5],
    [6, 5],
    [2, 1],
    [-1, 5],
    [1.5, 4],
    [2, 4.5],
    [NaN, 3],
    [1, NaN],
    [1, Infinity],
    [2 ** 53, 2 ** 53],
  ])('consistencyProofRanges(%p, %p) throws a RangeError', (from, to) => {
    expect(() => consistencyProofRanges(from, to)).toThrow(RangeError);
  });

  it('gives the empty path for the single leaf and the empty proof between equal sizes', () => {
    expect(inclusionProofRanges(0, 1)).toEqual([]);
    for (let n = 1; n <= 70; n++) expect(consistencyProofRanges(n, n)).toEqual([]);
  });

  it('gives the ranges of RFC 6962 section 2.1.3 examples', () => {
    // The 7-leaf tree of RFC 6962 2.1.3: a..g are leaves 0..6.
    // "The audit path for d0 is [b, h, l]": b = leaf 1, h = [2,4), l = [4,7).
    expect(inclusionProofRanges(0, 7)).toEqual([
      { start: 1, end: 2 },
      { start: 2, end: 4 },
      { start: 4, end: 7 },
    ]);
    // "The audit path for d3 is [c, g, l]".
    expect(inclusionProofRanges(3, 7)).toEqual([
      { start: 2, end: 3 },
      { start: 0, end: 2 },
      { start: 4, end: 7 },
    ]);
    // "The audit path for d4 is [f, j, k]": f = leaf 5, j = leaf 6, k = [0,4).
    expect(inclusionProofRanges(4, 7)).toEqual([
      { start: 5, end: 6 },
      { start: 6, end: 7 },
      { start: 0, end: 4 },
    ]);
    // "The audit path for d6 is [i, k]": i = [4,6), k = [0,4).
    expect(inclusionProofRanges(6, 7)).toEqual([
      { start: 4, end: 6 },
      { start: 0, end: 4 },
    ]);
    // "The consistency proof between hash0 and hash is PROOF(3, D[7]) = [c, d, g, l]".
    expect(consistencyProofRanges(3, 7)).toEqual([
      { start: 2, end: 3 },
      { start: 3, end: 4 },
      { start: 0, end: 2 },
      { start: 4, end: 7 },
    ]);
    // "between hash1 and hash: PROOF(4, D[7]) = [l]".
    expect(consistencyProofRanges(4, 7)).toEqual([{ start: 4, end: 7 }]);
    // "between hash2 and hash: PROOF(6, D[7]) = [i, j, k]".
    expect(consistencyProofRanges(6, 7)).toEqual([
      { start: 4, end: 6 },
      { start: 6, end: 7 },
      { start: 0, end: 4 },
    ]);
  });

  it('verifyConsistency between equal sizes needs an empty proof and equal roots', () => {
    for (let n = 1; n <= 8; n++) {
      const r = tree.mth(0, n);
      expect(verifyConsistency(n, n, [], r, Buffer.from(r))).toBe(true);
      expect(verifyConsistency(n, n, [r], r, r)).toBe(false);
      expect(verifyConsistency(n, n, [leaves[0]], r, r)).toBe(false);
      expect(verifyConsistency(n, n, [], r, flipped(r))).toBe(false);
      expect(verifyConsistency(n, n, [], flipped(r), r)).toBe(false);
    }
  });

  it('verifyConsistency rejects sizes out of order or from the empty tree', () => {
    const r = (n: number) => tree.mth(0, n);
    expect(verifyConsistency(0, 0, [], r(0), r(0))).toBe(false);
    expect(verifyConsistency(0, 3, refConsistency(tree, 1, 3), r(0), r(3))).toBe(false);
    expect(verifyConsistency(3, 2, [], r(3), r(2))).toBe(false);
    expect(verifyConsistency(-1, 3, refConsistency(tree, 1, 3), r(1), r(3))).toBe(false);
    expect(verifyConsistency(2, 5, [], r(2), r(5))).toBe(false);
  });

  it('verifyInclusion rejects indices outside the tree', () => {
    const root = tree.mth(0, 8);
    const proof = refPath(tree, 7, 0, 8);
    expect(verifyInclusion(7, 8, leaves[7], proof, root)).toBe(true);
    expect(verifyInclusion(8, 8, leaves[7], proof, root)).toBe(false);
    expect(verifyInclusion(-1, 8, leaves[7], proof, root)).toBe(false);
    expect(verifyInclusion(0, 0, leaves[0], [], EMPTY_TREE)).toBe(false);
    expect(verifyInclusion(0, 0, EMPTY_TREE, [], EMPTY_TREE)).toBe(false);
  });

  it('verifiers reject sizes and indices that are not safe integers', () => {
    const proof0 = refPath(tree, 0, 0, 2);
    const root2 = tree.mth(0, 2);
    expect(verifyInclusion(0, 2, leaves[0], proof0, root2)).toBe(true);
    expect(verifyInclusion(0.5, 2, leaves[0], proof0, root2)).toBe(false);
    expect(verifyInclusion(0, 2.5, leaves[0], proof0, root2)).toBe(false);
    expect(verifyInclusion(NaN, 2, leaves[0], proof0, root2)).toBe(false);
    expect(verifyInclusion(0, Infinity, leaves[0], proof0, root2)).toBe(false);
    expect(verifyInclusion(0.5, 1, leaves[0], [], leaves[0])).toBe(false);

    const c26 = refConsistency(tree, 2, 6);
    const [r2, r6] = [tree.mth(0, 2), tree.mth(0, 6)];
    expect(verifyConsistency(2, 6, c26, r2, r6)).toBe(true);
    expect(verifyConsistency(2.5, 6, c26, r2, r6)).toBe(false);
    expect(verifyConsistency(2, 6.5, c26, r2, r6)).toBe(false);
    expect(verifyConsistency(2, NaN, c26, r2, r6)).toBe(false);
    expect(verifyConsistency(1.5, 1.5, [], r2, r2)).toBe(false);
    expect(verifyConsistency(2, Infinity, c26, r2, r6)).toBe(false);
  });
});
