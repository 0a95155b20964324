import { Client } from 'pg';

/** Why a dump was not loaded; nothing was changed. */
export class DumpRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DumpRefusedError';
  }
}

/**
 * Loads a plain SQL dump into an empty database in one transaction: all of it or nothing.
 *
 * This is the one write outside the audited path (ChangeRunner), on purpose: a restore is a
 * database operation like a migration, not a change to the registry. It loads the audit
 * log itself, row for row, and `verifyAuditTrail` checks the result like any other history.
 * It refuses a database that has tables, so it can never overwrite a registry.
 */
export async function importDump(
  url: string,
  sql: string,
): Promise<{ events: number; versions: number }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'",
    );
    if (rows[0].n > 0) {
      throw new DumpRefusedError(
        `The target database already has ${rows[0].n} tables; import-sql only loads into an ` +
          'empty one (a fresh DATA_DIR, or a new database on DATABASE_URL). Nothing was changed.',
      );
    }
    await client.query('BEGIN');
    try {
      await client.query(sql);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw new DumpRefusedError(`Import failed, nothing was changed: ${(error as Error).message}`);
    }
    const counts = await client.query<{ events: number; versions: number }>(
      'SELECT (SELECT count(*) FROM public.audit_event)::int AS events, ' +
        '(SELECT count(*) FROM public.positive_list_version)::int AS versions',
    );
    return counts.rows[0];
  } finally {
    await client.end();
  }
}
