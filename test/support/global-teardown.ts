import { onServer, quoteIdent } from './pg-admin';

/** Drops every database this run created: the clones and, if it made one, the template. */
export default async function globalTeardown(): Promise<void> {
  const template = process.env.PLR_TEST_TEMPLATE;
  if (!template) return;
  delete process.env.PLR_TEST_TEMPLATE; // once per run, whichever tiers ran
  await onServer(async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`${template}_c%`],
    );
    for (const row of rows) {
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(row.datname)} WITH (FORCE)`);
    }
    if (process.env.PLR_TEST_CREATED_TEMPLATE) {
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(template)} WITH (FORCE)`);
    }
  });
}
