import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { AuditEventView } from './audit-event';
import { ChainVerifier } from './chain-verifier';
import { CheckpointView, checkpointProblems } from './checkpoint';

export interface OfflineVerdict {
  ok: boolean;
  eventsChecked: number;
  /** One line for people: what was verified, or the first problem with its line number. */
  message: string;
}

export interface OfflineOptions {
  checkpoint?: CheckpointView;
  /** Base64 Ed25519 key the checkpoint must be signed with (the publisher's, pinned). */
  trustedPublicKey?: string;
  onProgress?: (linesRead: number) => void;
}

const STRING_FIELDS = [
  'occurredAt',
  'action',
  'entityType',
  'entityId',
  'prevHash',
  'hash',
] as const;

/** Why a parsed line is not an audit event, or undefined when it has the right shape. */
function shapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'is not a JSON object';
  const event = value as Record<string, unknown>;
  if (!Number.isInteger(event.seq)) return 'has no integer seq';
  for (const field of STRING_FIELDS) if (typeof event[field] !== 'string') return `has no ${field}`;
  const actor = event.actor as Record<string, unknown> | null;
  if (
    typeof actor !== 'object' ||
    actor === null ||
    typeof actor.name !== 'string' ||
    typeof actor.role !== 'string'
  ) {
    return 'has no valid actor';
  }
  if (!Array.isArray(event.changes)) return 'has no changes list';
  return undefined;
}

/**
 * Verifies an NDJSON export without a database or service: every line's hash, every link,
 * seq without gaps, and optionally a checkpoint (Merkle root at its size, body, key id,
 * signature, signing key). Streams the file, so size is limited only by time.
 */
export async function verifyAuditFile(
  path: string,
  options: OfflineOptions = {},
): Promise<OfflineVerdict> {
  const checkpoint = options.checkpoint;
  if (checkpoint) {
    const problems = checkpointProblems(checkpoint, options.trustedPublicKey);
    if (problems.length > 0)
      return { ok: false, eventsChecked: 0, message: `checkpoint: ${problems.join('; ')}` };
  }
  const verifier = new ChainVerifier(new Set(checkpoint ? [checkpoint.treeSize] : []));
  const lines = createInterface({
    input: createReadStream(path, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo += 1;
    if (options.onProgress && lineNo % 100_000 === 0) options.onProgress(lineNo);
    if (line.trim() === '') {
      return { ok: false, eventsChecked: lineNo - 1, message: `line ${lineNo}: empty line` };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return {
        ok: false,
        eventsChecked: lineNo - 1,
        message: `line ${lineNo}: not valid JSON (truncated or edited?)`,
      };
    }
    const problem = shapeProblem(parsed);
    if (problem)
      return { ok: false, eventsChecked: lineNo - 1, message: `line ${lineNo}: ${problem}` };
    const event = parsed as AuditEventView;
    if (!verifier.check(event)) {
      const verdict = verifier.verdict();
      return {
        ok: false,
        eventsChecked: verdict.eventsChecked,
        message: `line ${lineNo}: ${verdict.message}`,
      };
    }
  }
  const verdict = verifier.verdict();
  if (verdict.eventsChecked === 0)
    return { ok: false, eventsChecked: 0, message: 'the file holds no events' };
  if (checkpoint) {
    if (checkpoint.treeSize > verdict.eventsChecked) {
      return {
        ok: false,
        eventsChecked: verdict.eventsChecked,
        message: `the checkpoint covers ${checkpoint.treeSize} events but the file ends after ${verdict.eventsChecked} (line ${lineNo}): events are missing from the end`,
      };
    }
    if (verifier.rootAt(checkpoint.treeSize) !== checkpoint.rootHash) {
      return {
        ok: false,
        eventsChecked: verdict.eventsChecked,
        message: `the Merkle root of events 1..${checkpoint.treeSize} differs from the checkpoint: the history was rewritten`,
      };
    }
  }
  const pinned = checkpoint
    ? options.trustedPublicKey
      ? `; checkpoint of ${checkpoint.treeSize} events matches and is signed by the pinned key ${checkpoint.keyId}`
      : `; checkpoint of ${checkpoint.treeSize} events matches (signature checked with the key inside the checkpoint; pin the publisher's key with --public-key)`
    : '; no checkpoint given, so removal of the newest events cannot be detected';
  return {
    ok: true,
    eventsChecked: verdict.eventsChecked,
    message: `OK: ${verdict.eventsChecked} events, head ${verdict.headHash}${pinned}`,
  };
}
