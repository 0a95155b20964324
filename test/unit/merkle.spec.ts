import { GENESIS_HASH, leafHash, merkleRoot, nodeHash } from '../../src/audit/merkle';

/*
 * Every expected value below was computed independently of the code under test, with
 * coreutils, xxd and openssl (RFC 6962: leaf = SHA-256(0x00 || data),
 * node = SHA-256(0x01 || left || right), split at the largest power of two < n):
 *
 *   leaf() { printf '\x00%s' "$1" | sha256sum | cut -d' ' -f1; }
 *   node() { { printf '\x01'; printf '%s%s' "$1" "$2" | xxd -r -p; } | sha256sum | cut -d' ' -f1; }
 */

// printf '' | sha256sum
const SHA256_EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
// printf '\x00' | sha256sum
const LEAF_EMPTY = '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d';
// printf '\x00hello' | sha256sum   (same with: printf '\x00hello' | openssl dgst -sha256)
const LEAF_HELLO = '8a2a5c9b768827de5a9552c38a044c66959c68f6d2f21b5260af54d2f87db827';

// for i in 0 1 2 3 4 5 6; do leaf $i; done
const L = [
  'db3426e878068d28d269b6c87172322ce5372b65756d0789001d34835f601c03',
  '2215e8ac4e2b871c2a48189e79738c956c081e23ac2f2415bf77da199dfd920c',
  'fa61e3dec3439589f4784c893bf321d0084f04c572c7af2b68e3f3360a35b486',
  '906c5d2485cae722073a430f4d04fe1767507592cef226629aeadb85a2ec909d',
  '11e1f558223f4c71b6be1cecfd1f0de87146d2594877c27b29ec519f9040213c',
  '53304f5e3fd4bcd20b39abdef2fe118031cc5ae8217bcea008dea7e27869348a',
  '3bf9c81c231cae70b678d3f3038f9f4f6d6b9d7adcf9b378f25919ae53d17686',
];

// N01=$(node $L0 $L1)
const ROOT_2 = 'cb00989d94a569c0a678ae042b63dcd4625db96440517f37a6eb7976ea24ed4b';
// node $N01 $L2
const ROOT_3 = '725d5230db68f557470dc35f1d8865813acd7ebb07ad152774141decbae71327';
// N03=$(node $N01 $(node $L2 $L3))
const ROOT_4 = '9f4a3fc20d4162dc37d4e23d907848731a76043ffff6d69288bf1abfbcff478e';
// node $N03 $L4
const ROOT_5 = 'b6748f6ed7a99de7da84fd97e1a3bac6fab8999f4a43695cab9528a2de431147';
// node $N03 $(node $(node $L4 $L5) $L6)
const ROOT_7 = 'a3e23b32ccb6bf96d092d165d8aa546e09829de8f03b0e8957581d1e16b92bdf';

describe('GENESIS_HASH', () => {
  it('is 64 zeros', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });
});

describe('leafHash', () => {
  it('hashes the empty string with the 0x00 prefix', () => {
    expect(leafHash('')).toBe(LEAF_EMPTY);
  });

  it("hashes 'hello' with the 0x00 prefix", () => {
    expect(leafHash('hello')).toBe(LEAF_HELLO);
  });

  it('gives the same result for a string and its UTF-8 bytes', () => {
    expect(leafHash(Buffer.from('hello', 'utf8'))).toBe(LEAF_HELLO);
    expect(leafHash(new Uint8Array(0))).toBe(LEAF_EMPTY);
  });

  it.each(L.map((hash, i) => [String(i), hash]))('leafHash(%j)', (data, expected) => {
    expect(leafHash(data)).toBe(expected);
  });
});

describe('nodeHash', () => {
  it('hashes 0x01 || left || right on raw bytes', () => {
    const result = nodeHash(Buffer.from(L[0], 'hex'), Buffer.from(L[1], 'hex'));
    expect(Buffer.isBuffer(result)).toBe(true);
    expect(result).toHaveLength(32);
    expect(result.toString('hex')).toBe(ROOT_2);
  });

  it('is not symmetric', () => {
    const swapped = nodeHash(Buffer.from(L[1], 'hex'), Buffer.from(L[0], 'hex'));
    expect(swapped.toString('hex')).not.toBe(ROOT_2);
  });
});

describe('merkleRoot', () => {
  it('of the empty tree is SHA-256 of the empty string', () => {
    expect(merkleRoot([])).toBe(SHA256_EMPTY);
  });

  it.each([
    [1, L[0]],
    [2, ROOT_2],
    [3, ROOT_3],
    [4, ROOT_4],
    [5, ROOT_5],
    [7, ROOT_7],
  ])('of %i leaves', (n, expected) => {
    expect(merkleRoot(L.slice(0, n))).toBe(expected);
  });

  it('depends on leaf order', () => {
    expect(merkleRoot([L[1], L[0]])).not.toBe(ROOT_2);
  });
});
