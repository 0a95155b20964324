/* eslint-disable no-console -- a command-line tool talks to its terminal */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { VerifiedNote, verifySignedNote } from '../audit/checkpoint';
import { verifyConsistency } from '../audit/merkle-proofs';

/** What a monitor remembers between runs: the last checkpoint it verified. */
export interface MonitorState {
  origin: string;
  treeSize: number;
  rootHash: string;
  note: string;
  checkedAt: string;
}

export interface MonitorOptions {
  /** The registry (its base URL or its /graphql endpoint). */
  url?: string;
  /** A checkpoint read from a file instead: a signed note, or JSON holding `note`. */
  checkpointFile?: string;
  /** A consistency proof read from a file (JSON holding `hashes`), instead of asking `url`. */
  proofFile?: string;
  publicKey?: string;
  stateFile?: string;
}

/** Exit codes: consistent, inconsistent (fork, rollback, bad signature), could not check. */
export const MONITOR_OK = 0;
export const MONITOR_INCONSISTENT = 1;
export const MONITOR_UNREACHABLE = 2;

class Unreachable extends Error {}

const USAGE =
  'monitor needs --public-key BASE64 --state FILE and --url URL or --checkpoint FILE [--proof FILE]';

/**
 * `npm run cli -- monitor --url URL --public-key K --state FILE`: watches a registry the way
 * Certificate Transparency monitors watch logs. It verifies the latest checkpoint's signed
 * note against the pinned key, and, when the log grew since the last run, a consistency
 * proof from the checkpoint it saw then; only then does it save the new one. Needs no
 * database, so an auditor or another country can run it from cron anywhere.
 */
export async function monitor(options: MonitorOptions): Promise<number> {
  if (!options.publicKey || !options.stateFile || (!options.url && !options.checkpointFile)) {
    console.error(USAGE);
    return MONITOR_UNREACHABLE;
  }
  let previous: MonitorState | undefined;
  try {
    previous = readState(options.stateFile);
  } catch (error) {
    console.error(`cannot read the monitor state: ${(error as Error).message}`);
    return MONITOR_UNREACHABLE;
  }
  let note: string;
  try {
    note = options.checkpointFile
      ? noteFromFile(options.checkpointFile)
      : await latestNote(options.url!);
  } catch (error) {
    console.error(`could not fetch the checkpoint: ${(error as Error).message}`);
    return MONITOR_UNREACHABLE;
  }
  let current: VerifiedNote;
  try {
    current = verifySignedNote(note, options.publicKey);
  } catch (error) {
    console.log(`INCONSISTENT: bad checkpoint signature: ${(error as Error).message}`);
    return MONITOR_INCONSISTENT;
  }
  const verdict = await compare(previous, current, options);
  if (typeof verdict === 'number') return verdict;
  if (verdict.problem) {
    console.log(`INCONSISTENT: ${verdict.problem}`);
    return MONITOR_INCONSISTENT;
  }
  writeState(options.stateFile, {
    origin: current.origin,
    treeSize: current.treeSize,
    rootHash: current.rootHash,
    note,
    checkedAt: new Date().toISOString(),
  });
  console.log(`OK: ${verdict.message}`);
  return MONITOR_OK;
}

async function compare(
  previous: MonitorState | undefined,
  current: VerifiedNote,
  options: MonitorOptions,
): Promise<{ problem?: string; message: string } | number> {
  const at = `${current.origin} at ${current.treeSize} events, root ${current.rootHash}`;
  if (!previous) return { message: `${at}; first checkpoint seen, saved as the starting point` };
  if (previous.origin !== current.origin)
    return {
      problem: `the checkpoint is of log "${current.origin}", not "${previous.origin}" watched so far`,
      message: '',
    };
  if (current.treeSize < previous.treeSize)
    return {
      problem: `rollback: the log is at ${current.treeSize} events, behind the ${previous.treeSize} seen on ${previous.checkedAt}`,
      message: '',
    };
  if (current.treeSize === previous.treeSize)
    return current.rootHash === previous.rootHash
      ? { message: `${at}; unchanged since ${previous.checkedAt}` }
      : {
          problem: `fork: another root (${current.rootHash}) for the ${current.treeSize} events seen with root ${previous.rootHash}`,
          message: '',
        };
  if (!options.proofFile && !options.url) {
    console.error(
      `the log grew from ${previous.treeSize} to ${current.treeSize} events: give --proof FILE or --url URL to check that it only grew`,
    );
    return MONITOR_UNREACHABLE;
  }
  let hashes: string[];
  try {
    hashes = options.proofFile
      ? proofFromFile(options.proofFile)
      : await consistencyProof(options.url!, previous.treeSize, current.treeSize);
  } catch (error) {
    console.error(`could not fetch the consistency proof: ${(error as Error).message}`);
    return MONITOR_UNREACHABLE;
  }
  const consistent =
    hashes.every((h) => /^[0-9a-f]{64}$/.test(h)) &&
    verifyConsistency(
      previous.treeSize,
      current.treeSize,
      hashes.map((h) => Buffer.from(h, 'hex')),
      Buffer.from(previous.rootHash, 'hex'),
      Buffer.from(current.rootHash, 'hex'),
    );
  return consistent
    ? { message: `${at}; extends the ${previous.treeSize} events seen on ${previous.checkedAt}` }
    : {
        problem: `fork: the log of ${current.treeSize} events does not extend the ${previous.treeSize} seen on ${previous.checkedAt} (the consistency proof fails): its history was rewritten`,
        message: '',
      };
}

function readState(file: string): MonitorState | undefined {
  if (!existsSync(file)) return undefined;
  const state = JSON.parse(readFileSync(file, 'utf8')) as Partial<MonitorState>;
  if (
    typeof state.origin !== 'string' ||
    !Number.isSafeInteger(state.treeSize) ||
    typeof state.rootHash !== 'string' ||
    typeof state.checkedAt !== 'string'
  )
    throw new Error(`${file} is not a monitor state file`);
  return state as MonitorState;
}

/** Written aside and renamed, so an interrupted run leaves the old state intact. */
function writeState(file: string, state: MonitorState): void {
  const aside = `${file}.${process.pid}.tmp`;
  writeFileSync(aside, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(aside, file);
}

function noteFromFile(file: string): string {
  const text = readFileSync(file, 'utf8');
  if (!text.trimStart().startsWith('{')) return text;
  const note = findString(JSON.parse(text), 'note');
  if (!note) throw new Error(`${file} holds no checkpoint note`);
  return note;
}

function proofFromFile(file: string): string[] {
  const hashes = findArray(JSON.parse(readFileSync(file, 'utf8')), 'hashes');
  if (!hashes) throw new Error(`${file} holds no consistency proof (hashes)`);
  return hashes;
}

/** The first string property `key` anywhere in a JSON value (a bare object or a GraphQL answer). */
function findString(value: unknown, key: string): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record[key] === 'string') return record[key];
  for (const child of Object.values(record)) {
    const found = findString(child, key);
    if (found) return found;
  }
  return undefined;
}

function findArray(value: unknown, key: string): string[] | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const own = record[key];
  if (Array.isArray(own) && own.every((h) => typeof h === 'string')) return own;
  for (const child of Object.values(record)) {
    const found = findArray(child, key);
    if (found) return found;
  }
  return undefined;
}

function graphqlEndpoint(url: string): string {
  return url.replace(/\/+$/, '').replace(/(\/graphql)?$/, '/graphql');
}

async function ask<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(graphqlEndpoint(url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new Unreachable(`${graphqlEndpoint(url)}: ${String(error)}`);
  }
  const body = (await res.json().catch(() => ({}))) as { data?: T; errors?: { message: string }[] };
  if (!res.ok || !body.data)
    throw new Unreachable(
      `${graphqlEndpoint(url)} answered HTTP ${res.status}${body.errors ? `: ${body.errors.map((e) => e.message).join('; ')}` : ''}`,
    );
  return body.data;
}

async function latestNote(url: string): Promise<string> {
  const data = await ask<{ auditCheckpoint: { note: string } | null }>(
    url,
    '{ auditCheckpoint { note } }',
  );
  if (!data.auditCheckpoint) throw new Unreachable('the registry has signed no checkpoint yet');
  return data.auditCheckpoint.note;
}

async function consistencyProof(url: string, fromSize: number, toSize: number): Promise<string[]> {
  const data = await ask<{ auditConsistencyProof: { hashes: string[] } }>(
    url,
    'query($from: Int!, $to: Int!) { auditConsistencyProof(fromSize: $from, toSize: $to) { hashes } }',
    { from: fromSize, to: toSize },
  );
  return data.auditConsistencyProof.hashes;
}
