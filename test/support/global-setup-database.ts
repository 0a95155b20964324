import { prepareTemplateDatabase } from './template-database';

/** Integration tier: a migrated template database, no build. */
export default async function globalSetup(): Promise<void> {
  await prepareTemplateDatabase();
}
