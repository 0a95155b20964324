/* eslint-disable no-console -- a command-line tool talks to its terminal */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { CheckpointView } from '../audit/checkpoint';
import { verifyAuditFile } from '../audit/offline-verifier';

/** The command line's options, as node:util parseArgs gives them. */
type CliValues = Record<string, string | boolean | undefined>;

interface VerifyAuditOptions {
  checkpoint?: string;
  publicKey?: string;
  config?: string;
  requireKey: boolean;
}

const text = (values: CliValues, name: string): string | undefined =>
  typeof values[name] === 'string' ? values[name] : undefined;

const USAGE =
  'verify-audit FILE [--checkpoint CP.json] [--public-key BASE64 | --config FILE] [--require-key]';

/** Exit codes: the log is intact, it is not, or it could not be checked at all. */
const VALID = 0;
const INVALID = 1;
const NOT_CHECKED = 2;

/** Thrown for what stops the check before it starts (exit 2), with a message for people. */
class CannotCheck extends Error {}

/**
 * `verify-audit`: offline verification of an NDJSON export; needs no database and no
 * service. Prints the verdict and every problem (up to the listing limit) on stdout,
 * progress and speed on stderr.
 */
export async function verifyAuditCommand(
  file: string | undefined,
  values: CliValues,
): Promise<number> {
  const options: VerifyAuditOptions = {
    checkpoint: text(values, 'checkpoint'),
    publicKey: text(values, 'public-key'),
    config: text(values, 'config'),
    requireKey: values['require-key'] === true,
  };
  let checkpoint: CheckpointView | undefined;
  let trustedPublicKey: string | undefined;
  try {
    // Not only regular files: `verify-audit <(curl ...)` reads a pipe.
    if (!file || !existsSync(file) || statSync(file).isDirectory())
      throw new CannotCheck(`verify-audit needs an NDJSON export file: ${USAGE}`);
    trustedPublicKey = pinnedKey(options);
    if (options.requireKey && !trustedPublicKey)
      throw new CannotCheck(
        '--require-key: no trusted public key given; pass --public-key BASE64 or --config FILE holding {"publicKey": "BASE64"}, the key the registry published',
      );
    if (options.requireKey && !options.checkpoint)
      throw new CannotCheck(
        '--require-key needs --checkpoint CP.json: the pinned key checks the signature of a checkpoint',
      );
    checkpoint = options.checkpoint ? readCheckpoint(options.checkpoint) : undefined;
  } catch (error) {
    if (!(error instanceof CannotCheck)) throw error;
    console.error(error.message);
    return NOT_CHECKED;
  }

  const started = Date.now();
  let verdict;
  try {
    verdict = await verifyAuditFile(file, {
      checkpoint,
      trustedPublicKey,
      onProgress: (lines) => process.stderr.write(`verified ${lines} lines...\n`),
    });
  } catch (error) {
    console.error(
      `could not read ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return NOT_CHECKED;
  }
  const seconds = (Date.now() - started) / 1000;
  if (verdict.ok) {
    console.log(verdict.message);
  } else {
    console.log(`INVALID: ${verdict.message}`);
    if (verdict.problemCount > 1)
      for (const problem of verdict.problems) console.log(`  ${problem.message}`);
  }
  process.stderr.write(
    `${verdict.eventsChecked} events in ${seconds.toFixed(1)} s (${Math.round(verdict.eventsChecked / Math.max(seconds, 0.001))} events/s)\n`,
  );
  return verdict.ok ? VALID : INVALID;
}

/** The publisher's key, from --public-key or a config file, normalised to standard base64. */
function pinnedKey(options: VerifyAuditOptions): string | undefined {
  const fromConfig = options.config ? readConfigKey(options.config) : undefined;
  const given = options.publicKey ?? fromConfig;
  if (given === undefined) return undefined;
  const key = ed25519Key(given);
  if (!key)
    throw new CannotCheck(
      `${options.publicKey !== undefined ? '--public-key' : `${options.config}: publicKey`} is not a base64 Ed25519 public key (32 bytes)`,
    );
  if (options.publicKey !== undefined && fromConfig !== undefined && ed25519Key(fromConfig) !== key)
    throw new CannotCheck(
      `--public-key and the publicKey in ${options.config} differ: which one is the publisher's?`,
    );
  return key;
}

/** Standard base64 of a 32-byte key given in base64 or base64url, or undefined. */
function ed25519Key(text: string): string | undefined {
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(text.trim())) return undefined;
  const raw = Buffer.from(text.trim(), 'base64');
  return raw.length === 32 ? raw.toString('base64') : undefined;
}

/** `--config FILE`: JSON with the pinned key, `{"publicKey": "BASE64"}`, and nothing else. */
function readConfigKey(file: string): string | undefined {
  const config = readJson(file, 'config');
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw new CannotCheck(
      `${file}: the config must be a JSON object such as {"publicKey": "BASE64"}`,
    );
  const record = config as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => key !== 'publicKey');
  if (unknown.length > 0)
    throw new CannotCheck(
      `${file}: unknown setting ${JSON.stringify(unknown[0])} (the config holds publicKey only)`,
    );
  if (record.publicKey === undefined) return undefined;
  if (typeof record.publicKey !== 'string')
    throw new CannotCheck(`${file}: publicKey must be a base64 string`);
  return record.publicKey;
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CannotCheck(
      `could not read the ${what} ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new CannotCheck(`${file}: the ${what} is not valid JSON`);
  }
}

/** Reads a checkpoint as returned by `auditCheckpoint` (bare, or inside a GraphQL response). */
function readCheckpoint(file: string): CheckpointView {
  const parsed = readJson(file, 'checkpoint') as Record<string, unknown> | null;
  const data = parsed?.data as Record<string, unknown> | undefined;
  const candidate = (data?.auditCheckpoint ?? parsed?.auditCheckpoint ?? parsed) as Record<
    string,
    unknown
  > | null;
  if (typeof candidate !== 'object' || candidate === null)
    throw new CannotCheck(`${file}: holds no checkpoint`);
  if (!Number.isSafeInteger(candidate.treeSize) || (candidate.treeSize as number) < 1)
    throw new CannotCheck(`${file}: the checkpoint has no treeSize (a positive integer)`);
  for (const field of ['rootHash', 'keyId', 'publicKey', 'signature', 'body'] as const) {
    if (typeof candidate[field] !== 'string')
      throw new CannotCheck(`${file}: the checkpoint has no ${field}`);
  }
  return candidate as unknown as CheckpointView;
}
