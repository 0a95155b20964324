import { randomBytes } from 'node:crypto';
import { onServer, quoteIdent, urlFor } from './pg-admin';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, fully migrated database cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = process.env.PLR_TEST_TEMPLATE;
  if (!template) throw new Error('PLR_TEST_TEMPLATE is not set: run the tests through jest');
  const name = `${template}_c${randomBytes(4).toString('hex')}`;
  await onServer((c) =>
    c.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`),
  );
  return {
    name,
    url: urlFor(name),
    drop: () =>
      onServer((c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}
