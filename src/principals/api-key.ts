import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'plr_';

/**
 * A new API key: 32 random bytes, base64url, with a recognisable prefix so that secret
 * scanners and people can tell what it is.
 */
export function generateApiKey(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

/**
 * Keys carry 256 bits of entropy, so a plain SHA-256 is enough to make the stored value
 * useless to a thief and still lets us look a key up by its hash in one index probe.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
