import { KeyObject, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../config/config';

export const EMBEDDED_KEY_FILE = 'audit-signing-key.pem';

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
 * The key that signs checkpoints: AUDIT_SIGNING_KEY, else AUDIT_SIGNING_KEY_FILE, else (in
 * embedded mode) a key generated once into DATA_DIR and kept. A shared PostgreSQL without a
 * configured key gets no checkpoints: instances must not each invent a different key.
 */
export function resolveSigningKey(config: AppConfig): KeyObject | undefined {
  if (config.audit.signingKeyPem)
    return parseEd25519(config.audit.signingKeyPem, 'AUDIT_SIGNING_KEY');
  if (config.audit.signingKeyFile) {
    return parseEd25519(
      readFileSync(config.audit.signingKeyFile, 'utf8'),
      config.audit.signingKeyFile,
    );
  }
  if (config.databaseUrl) return undefined;
  const file = join(config.dataDir, EMBEDDED_KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, generateSigningKeyPem(), { mode: 0o600, flag: 'wx' });
  }
  return parseEd25519(readFileSync(file, 'utf8'), file);
}
