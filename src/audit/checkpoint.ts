import { KeyObject, createHash, createPublicKey, sign, verify } from 'node:crypto';

/** A signed statement of the log's size and Merkle root (docs/domain.md section 6). */
export interface CheckpointView {
  treeSize: number;
  rootHash: string;
  signedAt: string;
  keyId: string;
  publicKey: string;
  signature: string;
  body: string;
}

/** C2SP tlog-checkpoint body: origin, tree size, base64 root, each line ending in a newline. */
export function checkpointBody(origin: string, treeSize: number, rootHashHex: string): string {
  return `${origin}\n${treeSize}\n${Buffer.from(rootHashHex, 'hex').toString('base64')}\n`;
}

/** The raw 32-byte Ed25519 public key. */
export function rawPublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('Not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url');
}

/** keyId: hex of the first 4 bytes of SHA-256(origin || 0x0A || 0x01 || raw public key). */
export function keyIdFor(origin: string, publicKeyRaw: Buffer): string {
  return createHash('sha256')
    .update(origin, 'utf8')
    .update(Uint8Array.of(0x0a, 0x01))
    .update(publicKeyRaw)
    .digest()
    .subarray(0, 4)
    .toString('hex');
}

export function publicKeyFromRaw(raw: Buffer): KeyObject {
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
}

/** Signs a checkpoint of `treeSize` events whose Merkle root is `rootHashHex`. */
export function signCheckpoint(
  privateKey: KeyObject,
  origin: string,
  treeSize: number,
  rootHashHex: string,
  signedAt: Date,
): CheckpointView {
  const body = checkpointBody(origin, treeSize, rootHashHex);
  const publicRaw = rawPublicKey(createPublicKey(privateKey));
  return {
    treeSize,
    rootHash: rootHashHex,
    signedAt: signedAt.toISOString(),
    keyId: keyIdFor(origin, publicRaw),
    publicKey: publicRaw.toString('base64'),
    signature: sign(null, Buffer.from(body, 'utf8'), privateKey).toString('base64'),
    body,
  };
}

/**
 * Everything wrong with a checkpoint on its own terms: body format, key id, signature, and
 * (when given) whether it was signed by the trusted key rather than any key at all.
 * Empty when it is sound; a key or signature that cannot even be loaded is a problem, not
 * an exception. The root itself is checked against the events by the caller.
 */
export function checkpointProblems(
  checkpoint: CheckpointView,
  trustedPublicKey?: string,
): string[] {
  const problems: string[] = [];
  const lines = checkpoint.body.split('\n');
  if (lines.length !== 4 || lines[3] !== '') {
    problems.push('checkpoint body must be three lines, each ending in a newline');
    return problems;
  }
  const [origin, size, rootB64] = lines;
  if (size !== String(checkpoint.treeSize))
    problems.push('checkpoint body tree size differs from treeSize');
  if (Buffer.from(rootB64, 'base64').toString('hex') !== checkpoint.rootHash) {
    problems.push('checkpoint body root differs from rootHash');
  }
  let publicRaw: Buffer;
  try {
    publicRaw = Buffer.from(checkpoint.publicKey, 'base64');
    if (publicRaw.length !== 32) throw new Error('length');
  } catch {
    problems.push('publicKey is not a base64 Ed25519 public key');
    return problems;
  }
  if (keyIdFor(origin, publicRaw) !== checkpoint.keyId)
    problems.push('keyId does not match origin and public key');
  if (trustedPublicKey !== undefined && trustedPublicKey !== checkpoint.publicKey) {
    problems.push('checkpoint is signed by a key other than the trusted one');
  }
  let signatureOk: boolean;
  try {
    signatureOk = verify(
      null,
      Buffer.from(checkpoint.body, 'utf8'),
      publicKeyFromRaw(publicRaw),
      Buffer.from(checkpoint.signature, 'base64'),
    );
  } catch {
    // A key OpenSSL will not load is as good as a signature that does not verify.
    signatureOk = false;
  }
  if (!signatureOk) problems.push('signature does not verify over the checkpoint body');
  return problems;
}
