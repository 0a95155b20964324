/* eslint-disable no-console -- a command-line tool talks to its terminal */
import { existsSync, readFileSync } from 'node:fs';
import { AppConfig } from '../config/config';
import { withDatabase } from './open';
import { DumpRefusedError, importDump } from '../database/import-dump';

/**
 * `npm run cli -- import-sql FILE`: loads a plain SQL dump (pg_dump --inserts, as the README's
 * "Moving from the PGlite engine" makes one) into an empty database, embedded or DATABASE_URL.
 * The dump carries the schema and the applied migrations; later ones run at the next start.
 */
export async function importSqlCommand(
  config: AppConfig,
  file: string | undefined,
): Promise<number> {
  if (!file || !existsSync(file)) {
    console.error('import-sql needs the path of a SQL dump file');
    return 2;
  }
  // Recent pg_dump versions fence the dump with psql's \restrict and \unrestrict, which
  // only matter to psql; any other meta-command, or COPY data, this loader cannot run.
  const sql = readFileSync(file, 'utf8').replace(/^\\(un)?restrict \S+$/gm, '');
  if (/^COPY .* FROM stdin;$/m.test(sql)) {
    console.error(`${file} uses COPY blocks: make the dump with pg_dump --inserts`);
    return 2;
  }
  if (/^\\/m.test(sql)) {
    console.error(`${file} holds psql meta-commands (lines starting with \\): not a plain dump`);
    return 2;
  }
  return withDatabase(config, async (database) => {
    try {
      const { events, versions } = await importDump(database.url, sql);
      console.log(`imported ${file}: ${events} audit events, ${versions} list versions`);
      return 0;
    } catch (error) {
      if (!(error instanceof DumpRefusedError)) throw error;
      console.error(error.message);
      return 1;
    }
  });
}
