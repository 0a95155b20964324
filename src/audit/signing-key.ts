import { KeyObject, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppConfig } from '../config/config';

function parseEd25519(pem: string, source: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`${source} is not an Ed25519 private key`);
  return key;
}

/** A new Ed25519 private key as PKCS#8 PEM (for `npm run cli -- generate-signing-key`). */
export function generateSigningKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/**
 * The key that signs checkpoints: AUDIT_SIGNING_KEY, else the file AUDIT_SIGNING_KEY_FILE
 * names. In embedded mode a missing file is generated once (0600, in a 0700 directory of the
 * service's own, apart from the database files and the account that runs the server) and
 * kept. A shared PostgreSQL without a configured key gets no checkpoints: instances must not
 * each invent a different key.
 */
export function resolveSigningKey(config: AppConfig): KeyObject | undefined {
  if (config.audit.signingKeyPem)
    return parseEd25519(config.audit.signingKeyPem, 'AUDIT_SIGNING_KEY');
  const file = config.audit.signingKeyFile;
  if (!file) return undefined;
  if (!config.databaseUrl && !existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, generateSigningKeyPem(), { mode: 0o600, flag: 'wx' });
  }
  return parseEd25519(readFileSync(file, 'utf8'), file);
}
