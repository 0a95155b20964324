import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createDataSource } from '../../src/database/data-source';
import { migrate } from '../../src/database/startup-tasks';
import { databaseOf, onServer, quoteIdent, serverUrl, urlFor } from './pg-admin';

/**
 * Prepares one migrated template database; each test file clones it (CREATE DATABASE ...
 * TEMPLATE), which takes a fraction of a second and isolates files from each other.
 * With TEST_DATABASE_URL set (CI), that database is the template; otherwise a fresh one is
 * created here and dropped in global-teardown.
 */
export default async function globalSetup(): Promise<void> {
  // Some suites run the compiled service and CLI as separate processes, as users do.
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: join(__dirname, '..', '..'),
      stdio: 'inherit',
    },
  );
  let template: string;
  if (process.env.TEST_DATABASE_URL && databaseOf(serverUrl()) !== 'postgres') {
    template = databaseOf(serverUrl());
  } else {
    template = `plr_test_${process.pid}_${Date.now()}`;
    await onServer((c) => c.query(`CREATE DATABASE ${quoteIdent(template)}`));
    process.env.PLR_TEST_CREATED_TEMPLATE = template;
  }
  const dataSource = createDataSource(urlFor(template), 2);
  await dataSource.initialize();
  try {
    await migrate(dataSource);
  } finally {
    await dataSource.destroy();
  }
  process.env.PLR_TEST_TEMPLATE = template;
}
