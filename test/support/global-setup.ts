import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { prepareTemplateDatabase } from './template-database';

/**
 * End-to-end tier: builds the project (some suites run the compiled service and CLI as
 * separate processes, as users do) and prepares the migrated template database.
 */
export default async function globalSetup(): Promise<void> {
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json'],
    {
      cwd: join(__dirname, '..', '..'),
      stdio: 'inherit',
    },
  );
  await prepareTemplateDatabase();
}
