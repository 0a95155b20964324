/* eslint-disable no-console -- a command-line tool talks to its terminal */
import { readFileSync } from 'node:fs';
import { AppConfig, withoutTrailingNewline } from '../config/config';
import { AppRoleError, grantAppRole } from '../database/app-role';
import { createDataSource } from '../database/data-source';
import { migrate } from '../database/startup-tasks';
import { JsonLogger } from '../logging/json-logger';
import { withDatabase } from './open';
import type { CliOptions } from './commands';

/**
 * `migrate-and-grant` and `grant-app-role`: the deployment step that runs as the owner of the
 * tables, so that the service itself can run as a role that owns nothing. Migrating and
 * granting go together: grants name tables, and a migration may add one.
 */
export async function grantAppRoleCommand(
  config: AppConfig,
  migrateFirst: boolean,
  options: CliOptions,
): Promise<number> {
  const role = typeof options.role === 'string' ? options.role.trim() : '';
  if (role === '') {
    console.error(
      `${migrateFirst ? 'migrate-and-grant' : 'grant-app-role'} needs --role ROLE [--password-file FILE]`,
    );
    return 2;
  }
  const passwordFile =
    typeof options['password-file'] === 'string' ? options['password-file'] : undefined;
  let password: string | undefined;
  if (passwordFile !== undefined) {
    try {
      password = withoutTrailingNewline(readFileSync(passwordFile, 'utf8'));
    } catch (error) {
      console.error(
        `--password-file: cannot read ${passwordFile} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      );
      return 2;
    }
  }
  return withDatabase(config, async (database) => {
    const dataSource = createDataSource(database.url, 2);
    try {
      await dataSource.initialize();
      if (migrateFirst) {
        await migrate(dataSource, new JsonLogger('info'));
        console.log('migrations are up to date');
      }
      const grants = await grantAppRole(dataSource, role, password);
      console.log(
        `${grants.created ? 'created' : 'updated'} role ${grants.role}` +
          `${grants.passwordSet ? ' (password set)' : ''}: owns nothing; on schema ${grants.schema}: USAGE`,
      );
      for (const [table, privileges] of Object.entries(grants.tables))
        console.log(`  ${table}: ${privileges.join(', ')}`);
      for (const sequence of grants.sequences) console.log(`  ${sequence}: USAGE, SELECT`);
      return 0;
    } catch (error) {
      if (error instanceof AppRoleError) {
        console.error(error.message);
        return 1;
      }
      throw error;
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
    }
  });
}
