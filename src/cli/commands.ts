/* eslint-disable no-console -- a command-line tool talks to its terminal */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { operationPolicies, renderPolicyTable } from '../auth/policy-table';
import { CONSOLE_CONTROLLERS } from '../console/console.module';
import { consoleRoutes, pagesByOperation } from '../console/console-route';
import { PrincipalsService } from '../principals/principals.service';
import { RESOLVERS } from '../resolvers';
import { generateSigningKeyPem } from '../audit/signing-key';
import { isRole } from '../auth/role';
import { AppConfig } from '../config/config';
import { withDomain } from './open';
import { generateSchemaSdl } from '../schema-sdl';
import { importSqlCommand } from './import-sql';
import { seedDemoCommand } from './seed-demo';
import { webhooksCommand } from './webhooks';
import {
  checkPortfolioCommand,
  exportCommand,
  importEntriesCommand,
  templateCommand,
} from './bulk-commands';

export type CliOptions = Record<string, string | boolean | undefined>;

const text = (options: CliOptions, name: string): string | undefined =>
  typeof options[name] === 'string' ? options[name] : undefined;

/** Runs the CLI commands that need the domain (and so the database) or the schema. */
export async function runCliCommand(
  config: () => AppConfig,
  command: string,
  _args: string[],
  options: CliOptions,
): Promise<number> {
  switch (command) {
    case 'create-principal':
      return createPrincipal(config(), options);
    case 'seed-demo':
      return seedDemoCommand(config());
    case 'import-sql':
      return importSqlCommand(config(), _args[0]);
    case 'webhooks':
      return webhooksCommand(config(), _args, options);
    case 'write-schema':
      return writeSchema(options.check === true);
    case 'generate-signing-key':
      process.stdout.write(generateSigningKeyPem());
      return Promise.resolve(0);
    case 'import-entries':
      return importEntriesCommand(config(), options);
    case 'export-entries':
    case 'export-in-force':
      return exportCommand(config(), command, options);
    case 'entries-template':
      return templateCommand(options);
    case 'check-portfolio':
      return checkPortfolioCommand(config(), options);
    case 'policy-table':
      console.log(
        renderPolicyTable(
          operationPolicies(RESOLVERS),
          pagesByOperation(consoleRoutes(CONSOLE_CONTROLLERS)),
        ),
      );
      return Promise.resolve(0);
    default:
      throw new Error(`Unknown command "${command}"; run with --help for the list`);
  }
}

async function createPrincipal(config: AppConfig, options: CliOptions): Promise<number> {
  const name = text(options, 'name')?.trim();
  const role = text(options, 'role')?.trim().toUpperCase();
  if (!name || !role || !isRole(role)) {
    console.error(
      'create-principal needs --name N --role ADMIN|OFFICIAL|APPROVER|AUDITOR [--country GHA]',
    );
    return 2;
  }
  return withDomain(config, async (app) => {
    const { principal, apiKey } = await app.get(PrincipalsService).create(
      { principal: null, requestId: `cli-${process.pid}` },
      {
        name,
        role,
        hostCountry: text(options, 'country')?.trim().toUpperCase() ?? null,
        externalSubject: text(options, 'subject') ?? null,
        reason:
          text(options, 'reason') ?? `Created with the CLI by ${process.env.USER ?? 'an operator'}`,
      },
    );
    console.log(
      `principal ${principal.id} (${principal.role}${principal.hostCountryCode ? ` of ${principal.hostCountryCode}` : ''})`,
    );
    console.log(`API key (shown once, store it now): ${apiKey}`);
    return 0;
  });
}

async function writeSchema(check: boolean): Promise<number> {
  const file = join(process.cwd(), 'src', 'schema.gql');
  const sdl = await generateSchemaSdl();
  if (check) {
    const current = readFileSync(file, 'utf8');
    if (current !== sdl) {
      console.error('src/schema.gql differs from the code: run `npm run schema:write`');
      return 1;
    }
    console.log('src/schema.gql is up to date');
    return 0;
  }
  writeFileSync(file, sdl);
  console.log(`wrote ${file}`);
  return 0;
}
