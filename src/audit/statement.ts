import { KeyObject, createPublicKey, sign, verify } from 'node:crypto';
import { canonicalize } from './canonical-json';
import { keyIdFor, publicKeyFromRaw, rawPublicKey } from './checkpoint';

/** A statement signed with the log's key: its exact text, and how to check it. */
export interface SignedStatement {
  body: string;
  keyId: string;
  /** base64 raw Ed25519 public key */
  publicKey: string;
  /** base64 Ed25519 signature over the body's UTF-8 bytes */
  signature: string;
}

/**
 * Signs statements as RFC 8785 canonical JSON with the log's key (docs/domain.md section 6).
 * The public key and key id are derived once: per statement only the body is signed.
 */
export class StatementSigner {
  private readonly keyId: string;
  private readonly publicKey: string;

  constructor(
    private readonly key: KeyObject,
    origin: string,
  ) {
    const publicRaw = rawPublicKey(createPublicKey(key));
    this.keyId = keyIdFor(origin, publicRaw);
    this.publicKey = publicRaw.toString('base64');
  }

  sign(content: unknown): SignedStatement {
    const body = canonicalize(content);
    return {
      body,
      keyId: this.keyId,
      publicKey: this.publicKey,
      signature: sign(null, Buffer.from(body, 'utf8'), this.key).toString('base64'),
    };
  }
}

/**
 * Everything wrong with a signed statement, offline: canonical body, key id, signature, and
 * (when pinned) the key. Empty when it holds. `origin` is read from the body.
 */
export function statementProblems(statement: SignedStatement, pinnedKey?: string): string[] {
  const problems: string[] = [];
  let content: { origin?: unknown };
  try {
    content = JSON.parse(statement.body) as { origin?: unknown };
  } catch {
    return ['body is not JSON'];
  }
  let canonical: string | undefined;
  try {
    canonical = canonicalize(content);
  } catch {
    /* reported below */
  }
  if (canonical !== statement.body) problems.push('body is not in canonical form (RFC 8785)');
  const raw = Buffer.from(statement.publicKey ?? '', 'base64');
  if (raw.length !== 32) return [...problems, 'publicKey is not a 32-byte Ed25519 key'];
  if (pinnedKey !== undefined && pinnedKey !== statement.publicKey)
    problems.push('signed by a key other than the pinned one');
  if (typeof content.origin !== 'string') problems.push('body names no origin');
  else if (keyIdFor(content.origin, raw) !== statement.keyId)
    problems.push('keyId does not match the origin and the public key');
  const signature = Buffer.from(statement.signature ?? '', 'base64');
  if (!verify(null, Buffer.from(statement.body, 'utf8'), publicKeyFromRaw(raw), signature))
    problems.push('signature does not verify: the body was changed or signed with another key');
  return problems;
}
