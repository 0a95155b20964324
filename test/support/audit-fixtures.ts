import { generateKeyPairSync } from 'node:crypto';
import { ADMIN_KEY, REGISTER_COUNTRY, TestApp, UPSERT_SECTOR } from './test-app';

/** A fresh Ed25519 signing key as PEM, for AUDIT_SIGNING_KEY. */
export function newSigningKeyPem(): string {
  return generateKeyPairSync('ed25519')
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString();
}

/** Fills the log with a realistic mix of events (countries, sectors, principals). */
export async function writeSomeHistory(
  t: TestApp,
  countries = ['GHA', 'THA', 'SGP'],
): Promise<void> {
  for (const code of countries) {
    const res = await t.gql(
      REGISTER_COUNTRY,
      { input: { code, name: `Country ${code}`, reason: `register ${code}` } },
      ADMIN_KEY,
    );
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    const sector = await t.gql(
      UPSERT_SECTOR,
      {
        input: {
          hostCountry: code,
          code: 'ENERGY',
          name: 'Energy',
          ipccSector: 'ENERGY',
          ipccCategories: ['1.A.1'],
          reason: `sectors of ${code}`,
        },
      },
      ADMIN_KEY,
    );
    if (sector.errors) throw new Error(JSON.stringify(sector.errors));
  }
}

export const CHECKPOINT_FIELDS = 'treeSize rootHash signedAt keyId publicKey signature body';

/** GET /audit/export as text (supertest would otherwise try to parse NDJSON as JSON). */
export function exportAudit(t: TestApp, key: string) {
  return t.http
    .get('/audit/export')
    .set('authorization', `Bearer ${key}`)
    .buffer(true)
    .parse((r, cb) => {
      let data = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (data += c));
      r.on('end', () => cb(null, data));
    });
}
