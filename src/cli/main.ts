/* eslint-disable no-console -- a command-line tool talks to its terminal */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../config/config';
import { DataDirLockedError } from '../database/data-dir-lock';
import { callerPath } from './caller-path';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  migration:run                      apply pending migrations
  migration:revert                   revert the last applied migration
  migration:generate <Name>          write migrations/<ts>-<Name>.ts from entity changes
  migrate-and-grant --role ROLE [--password-file FILE]
                                     as the tables' owner: apply pending migrations, then
                                     grant-app-role (the deployment's one owner step)
  grant-app-role --role ROLE [--password-file FILE]
                                     give ROLE exactly what the running service needs (it
                                     owns nothing; audit tables: SELECT and INSERT only),
                                     creating it (LOGIN) if missing; FILE holds its password
  create-principal --name N --role R [--country GHA] [--subject SUB] [--reason TEXT]
                                     create a principal and print its API key (shown once)
  webhooks register --url URL --events T1,T2 [--country GHA] [--reason TEXT]
                                     register a webhook endpoint; prints its signing secret once
  webhooks list [--country GHA]      list endpoints
  webhooks disable|enable|delete|rotate-secret ID [--reason TEXT]
                                     change an endpoint (audited)
  webhooks replay DELIVERY_ID [--reason TEXT]
                                     send a delivery again, same webhook-id (by the service)
  seed-demo                          load illustrative (not official) demo countries, lists and keys
  import-sql FILE                    load a pg_dump --inserts file into an empty database
  import-entries --country GHA --file FILE [--dry-run] [--mode add-only|upsert] [--format csv|json]
                 [--reason TEXT]     import a CSV or JSON file of entries into the country's open
                                     draft, all or nothing (--dry-run: report only); exit 1 if
                                     any row is refused
  export-entries --country GHA --version N [--format csv|json|xlsx] [--out FILE]
                                     a published version's entries as a file
  export-in-force [--on DATE] [--format csv|json|xlsx] [--out FILE]
                                     every country's list in force on DATE (default today)
  entries-template [--out FILE]      the CSV template of an import (header row)
  check-portfolio --file FILE [--out FILE]
                                     eligibility of every project of a CSV, as CSV (progress on
                                     standard error)
  write-schema [--check]             write src/schema.gql from the code (or check it)
  policy-table                       print who may call each operation (Markdown)
  verify-audit FILE [--checkpoint CP.json] [--public-key BASE64 | --config FILE] [--require-key]
                                     verify an exported audit log offline (no database); lists
                                     every problem; exit 0 valid, 1 invalid, 2 not checked.
                                     --config FILE: JSON {"publicKey": "BASE64"}, the pinned key;
                                     --require-key: refuse to run without a pinned key and a checkpoint
  verify-receipt FILE [--public-key BASE64] [--registry URL]
                                     check an eligibility receipt offline (and against the registry)
  monitor --public-key BASE64 --state FILE (--url URL | --checkpoint FILE [--proof FILE])
                                     check that the registry's log only grows (exit 0 consistent,
                                     1 fork, rollback or bad signature, 2 could not check)
  generate-signing-key               print a new Ed25519 key for AUDIT_SIGNING_KEY (PEM)
`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      country: { type: 'string' },
      subject: { type: 'string' },
      reason: { type: 'string' },
      check: { type: 'boolean' },
      checkpoint: { type: 'string' },
      'public-key': { type: 'string' },
      config: { type: 'string' },
      'require-key': { type: 'boolean' },
      registry: { type: 'string' },
      url: { type: 'string' },
      events: { type: 'string' },
      state: { type: 'string' },
      proof: { type: 'string' },
      'password-file': { type: 'string' },
      file: { type: 'string' },
      out: { type: 'string' },
      mode: { type: 'string' },
      format: { type: 'string' },
      version: { type: 'string' },
      on: { type: 'string' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...args] = positionals;
  // File arguments and options name the caller's files (see callerPath).
  const rest = args.map((arg, i) =>
    i === 0 && ['verify-audit', 'verify-receipt', 'import-sql'].includes(command)
      ? callerPath(arg)
      : arg,
  );
  for (const option of ['checkpoint', 'config', 'state', 'proof'] as const)
    values[option] = values[option] && callerPath(values[option]);
  if (!command || values.help) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  // The service's modules (NestJS, TypeORM) take a second to load: each command loads only
  // what it uses, and verify-audit, run by auditors on their own machines, none of them.
  if (command === 'verify-audit') {
    const { verifyAuditCommand } = await import('./verify-audit');
    return verifyAuditCommand(rest[0], values);
  }
  // So are the monitor and the receipt check, which run from cron or a developer's machine.
  if (command === 'monitor') {
    const { monitor } = await import('./monitor');
    const text = (name: keyof typeof values) =>
      typeof values[name] === 'string' ? values[name] : undefined;
    return monitor({
      url: text('url'),
      checkpointFile: text('checkpoint'),
      proofFile: text('proof'),
      publicKey: text('public-key'),
      stateFile: text('state'),
    });
  }
  if (command === 'verify-receipt') {
    const { verifyReceipt } = await import('./verify-receipt');
    return verifyReceipt(
      rest[0],
      typeof values['public-key'] === 'string' ? values['public-key'] : undefined,
      typeof values.registry === 'string' ? values.registry : undefined,
    );
  }
  if (command === 'migrate-and-grant' || command === 'grant-app-role') {
    const { grantAppRoleCommand } = await import('./app-role');
    return grantAppRoleCommand(loadConfig(), command === 'migrate-and-grant', values);
  }
  if (command.startsWith('migration:')) {
    const { withDatabase } = await import('./open');
    const { createDataSource } = await import('../database/data-source');
    const { generateMigration } = await import('../database/migrations-tool');
    const { migrate } = await import('../database/startup-tasks');
    const { JsonLogger } = await import('../logging/json-logger');
    return withDatabase(loadConfig(), async (database) => {
      const dataSource = createDataSource(database.url, 2);
      try {
        await dataSource.initialize();
        if (command === 'migration:run') {
          await migrate(dataSource, new JsonLogger('info'));
          console.log('migrations are up to date');
        } else if (command === 'migration:revert') {
          await dataSource.undoLastMigration({ transaction: 'each' });
          console.log('reverted the last migration');
        } else if (command === 'migration:generate') {
          const name = rest[0];
          if (!name) throw new Error('migration:generate needs a name, e.g. AddEntryIndex');
          await migrate(dataSource);
          const file = await generateMigration(dataSource, name, join(process.cwd(), 'migrations'));
          console.log(
            file
              ? `wrote ${file}; review it and add it to migrations/index.ts`
              : 'entities and migrations agree; nothing to generate',
          );
        } else {
          console.error(`Unknown command ${command}\n\n${USAGE}`);
          return 2;
        }
        return 0;
      } finally {
        if (dataSource.isInitialized) await dataSource.destroy();
      }
    });
  }
  // Commands that need no database (verify-audit, generate-signing-key, ...) never read it.
  const { runCliCommand } = await import('./commands');
  return runCliCommand(() => loadConfig(), command, rest, values);
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    if (error instanceof ConfigError || error instanceof DataDirLockedError) {
      console.error(error.message);
    } else {
      console.error(error instanceof Error ? error.message : error);
    }
    process.exit(1);
  });
