import { createDataSource } from '../../src/database/data-source';
import { migrate } from '../../src/database/startup-tasks';
import { databaseOf, onServer, quoteIdent, serverUrl, urlFor } from './pg-admin';

/**
 * Prepares one migrated template database; each test file clones it (CREATE DATABASE ...
 * TEMPLATE), which takes a fraction of a second and isolates files from each other.
 * With TEST_DATABASE_URL set (CI), that database is the template; otherwise a fresh one is
 * created here and dropped in global-teardown. Both the integration and the e2e tier's
 * set-up call this in the same jest process: the second call finds it done.
 */
export async function prepareTemplateDatabase(): Promise<void> {
  if (process.env.PLR_TEST_TEMPLATE) return;
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
