import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';

/** SQL the entities need that the migrations have not created yet (empty when in sync). */
export async function pendingSchemaChanges(
  dataSource: DataSource,
): Promise<{ up: string[]; down: string[] }> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return {
    up: log.upQueries.map((q) => q.query),
    down: log.downQueries.map((q) => q.query).reverse(),
  };
}

const quote = (sql: string): string => '`' + sql.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';

/**
 * Writes `migrations/<timestamp>-<Name>.ts` with the SQL that brings the migrated schema in
 * line with the entities. The file is a starting point to review, not to commit blindly;
 * it must also be added to `migrations/index.ts`.
 */
export async function generateMigration(
  dataSource: DataSource,
  name: string,
  directory: string,
): Promise<string | undefined> {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    throw new Error('Migration name must be PascalCase letters and digits, e.g. AddEntryIndex');
  }
  const { up, down } = await pendingSchemaChanges(dataSource);
  if (up.length === 0) return undefined;
  const timestamp = Date.now();
  const className = `${name}${timestamp}`;
  const body = `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${up.map((q) => `    await queryRunner.query(${quote(q)});`).join('\n')}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${down.map((q) => `    await queryRunner.query(${quote(q)});`).join('\n')}
  }
}
`;
  const file = join(directory, `${timestamp}-${name}.ts`);
  writeFileSync(file, body);
  return file;
}
