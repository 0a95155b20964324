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

/** The U+2014 em dash and space that open a C2SP signed-note signature line. */
const NOTE_SIGNATURE_PREFIX = '\u2014 ';

/**
 * The checkpoint as a C2SP signed note: the body, an empty line, and one signature line
 * `— <origin> <base64(keyId 4 bytes || 64-byte signature)>`, which tlog tooling reads.
 */
export function signedNote(
  checkpoint: Pick<CheckpointView, 'body' | 'keyId' | 'signature'>,
): string {
  const origin = checkpoint.body.slice(0, checkpoint.body.indexOf('\n'));
  const blob = Buffer.concat([
    Buffer.from(checkpoint.keyId, 'hex'),
    Buffer.from(checkpoint.signature, 'base64'),
  ]);
  return `${checkpoint.body}\n${NOTE_SIGNATURE_PREFIX}${origin} ${blob.toString('base64')}\n`;
}

/** A signed note's checkpoint, once its signature by the trusted key is verified. */
export interface VerifiedNote {
  origin: string;
  treeSize: number;
  rootHash: string;
  body: string;
}

/**
 * Parses a C2SP signed note holding a tlog checkpoint and verifies it against a trusted
 * Ed25519 key (base64, raw 32 bytes): the note must carry a signature line named after the
 * origin, with the key's id, that verifies over the body. Other signature lines (witnesses)
 * are ignored, as the format allows. Throws an Error saying what is wrong.
 */
export function verifySignedNote(note: string, trustedPublicKey: string): VerifiedNote {
  const split = note.indexOf('\n\n');
  if (split < 0 || !note.endsWith('\n'))
    throw new Error('not a signed note: no blank line after the body');
  const body = note.slice(0, split + 1);
  const lines = body.split('\n');
  if (lines.length < 4 || lines[lines.length - 1] !== '')
    throw new Error('the note body is not a checkpoint (origin, size, root)');
  const [origin, sizeText, rootB64] = lines;
  if (!/^[1-9]\d{0,15}$/.test(sizeText) && sizeText !== '0')
    throw new Error(`the checkpoint's tree size "${sizeText}" is not a decimal number`);
  const root = Buffer.from(rootB64, 'base64');
  if (root.length !== 32 || root.toString('base64') !== rootB64)
    throw new Error('the checkpoint root is not a base64 SHA-256 hash');
  const publicRaw = Buffer.from(trustedPublicKey, 'base64');
  if (publicRaw.length !== 32)
    throw new Error('the trusted public key is not a base64 Ed25519 key');
  const keyId = keyIdFor(origin, publicRaw);
  const publicKey = publicKeyFromRaw(publicRaw);
  const signatureLines = note.slice(split + 2, -1).split('\n');
  let sawKey = false;
  for (const line of signatureLines) {
    if (!line.startsWith(NOTE_SIGNATURE_PREFIX))
      throw new Error(`malformed signature line "${line}"`);
    const [name, blobB64] = line.slice(NOTE_SIGNATURE_PREFIX.length).split(' ');
    const blob = Buffer.from(blobB64 ?? '', 'base64');
    if (name !== origin || blob.length !== 68 || blob.subarray(0, 4).toString('hex') !== keyId)
      continue;
    sawKey = true;
    if (verify(null, Buffer.from(body, 'utf8'), publicKey, blob.subarray(4)))
      return { origin, treeSize: Number(sizeText), rootHash: root.toString('hex'), body };
  }
  throw new Error(
    sawKey
      ? 'the signature by the trusted key does not verify over the checkpoint'
      : `the note carries no signature by the trusted key (key id ${keyId})`,
  );
}
