/* eslint-disable no-console -- a command-line tool talks to its terminal */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { operationPolicies, renderPolicyTable } from '../auth/policy-table';
import { PrincipalsService } from '../principals/principals.service';
import { RESOLVERS } from '../resolvers';
import { verifyAuditFile } from '../audit/offline-verifier';
import { CheckpointView } from '../audit/checkpoint';
import { generateSigningKeyPem } from '../audit/signing-key';
import { isRole } from '../auth/role';
import { AppConfig } from '../config/config';
import { withDomain } from './open';
import { generateSchemaSdl } from '../schema-sdl';
import { importSqlCommand } from './import-sql';
import { verifyReceipt } from './verify-receipt';
import { monitor } from './monitor';
import { seedDemoCommand } from './seed-demo';

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
    case 'write-schema':
      return writeSchema(options.check === true);
    case 'verify-audit':
      return verifyAudit(_args, options);
    case 'verify-receipt':
      return verifyReceipt(_args[0], text(options, 'public-key'), text(options, 'registry'));
    case 'monitor':
      return monitor({
        url: text(options, 'url'),
        checkpointFile: text(options, 'checkpoint'),
        proofFile: text(options, 'proof'),
        publicKey: text(options, 'public-key'),
        stateFile: text(options, 'state'),
      });
    case 'generate-signing-key':
      process.stdout.write(generateSigningKeyPem());
      return Promise.resolve(0);
    case 'policy-table':
      console.log(renderPolicyTable(operationPolicies(RESOLVERS)));
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

/** Reads a checkpoint as returned by `auditCheckpoint` (bare, or inside a GraphQL response). */
function readCheckpoint(file: string): CheckpointView {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const data = parsed.data as Record<string, unknown> | undefined;
  const checkpoint = (data?.auditCheckpoint ?? parsed.auditCheckpoint ?? parsed) as CheckpointView;
  for (const field of [
    'treeSize',
    'rootHash',
    'keyId',
    'publicKey',
    'signature',
    'body',
  ] as const) {
    if (checkpoint[field] === undefined) throw new Error(`${file}: checkpoint has no ${field}`);
  }
  return checkpoint;
}

/** Offline verification of an NDJSON export; needs no database and no service. */
async function verifyAudit(args: string[], options: CliOptions): Promise<number> {
  const file = args[0];
  if (!file || !existsSync(file)) {
    console.error(
      'verify-audit needs an NDJSON export: verify-audit FILE [--checkpoint FILE] [--public-key BASE64]',
    );
    return 2;
  }
  const checkpointFile = text(options, 'checkpoint');
  const started = Date.now();
  const verdict = await verifyAuditFile(file, {
    checkpoint: checkpointFile ? readCheckpoint(checkpointFile) : undefined,
    trustedPublicKey: text(options, 'public-key'),
    onProgress: (lines) => process.stderr.write(`verified ${lines} lines...\n`),
  });
  const seconds = (Date.now() - started) / 1000;
  console.log(verdict.ok ? verdict.message : `INVALID: ${verdict.message}`);
  process.stderr.write(
    `${verdict.eventsChecked} events in ${seconds.toFixed(1)} s (${Math.round(verdict.eventsChecked / Math.max(seconds, 0.001))} events/s)\n`,
  );
  return verdict.ok ? 0 : 1;
}
