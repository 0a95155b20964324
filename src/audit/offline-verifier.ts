import { createReadStream } from 'node:fs';
import { ChainProblem, ChainVerifier, HASH_MISMATCH } from './chain-verifier';
import { CheckpointView, checkpointProblems } from './checkpoint';
import { ExportLine, readExportLine } from './export-line';

export interface OfflineVerdict {
  ok: boolean;
  eventsChecked: number;
  /** One line for people: what was verified, or the first problem and how many there are. */
  message: string;
  /** Every problem found, in the order found, up to the listing limit. */
  problems: ChainProblem[];
  /** How many problems were found, listed or not. */
  problemCount: number;
  /** RFC 6962 Merkle root (hex) over every event read, to hold against a published checkpoint. */
  rootHash: string;
}

export interface OfflineOptions {
  checkpoint?: CheckpointView;
  /** Base64 Ed25519 key the checkpoint must be signed with (the publisher's, pinned). */
  trustedPublicKey?: string;
  onProgress?: (linesRead: number) => void;
  /** How many problems to list (all are counted); defaults to PROBLEMS_LISTED. */
  listLimit?: number;
  /** Longest line read; defaults to MAX_LINE_BYTES. */
  maxLineBytes?: number;
}

/**
 * Longest line read. The export's lines are events (kilobytes); a file with no line feed
 * for this long is not an export, and reading on would only exhaust memory.
 */
export const MAX_LINE_BYTES = 256 * 1024 * 1024;

/**
 * Verifies an NDJSON export without a database or service, trusting nothing in the file:
 * every line must be an event exactly as the export writes it (canonical, exactly the
 * event's fields, no duplicate keys, nothing PostgreSQL could not have stored), with its
 * hash, its link, and seq without gaps; and optionally a checkpoint (Merkle root at its
 * size, body, key id, signature, signing key). Every problem is reported, not only the
 * first. Streams the file, so size is limited only by time.
 *
 * Rejects only when the file cannot be read at all; whatever the file holds, the answer is a
 * verdict.
 */
export async function verifyAuditFile(
  path: string,
  options: OfflineOptions = {},
): Promise<OfflineVerdict> {
  const { checkpoint, trustedPublicKey } = options;
  const verifier = new ChainVerifier(
    new Set(checkpoint ? [checkpoint.treeSize] : []),
    options.listLimit,
  );
  if (checkpoint) {
    for (const problem of checkpointProblems(checkpoint, trustedPublicKey))
      verifier.report(null, `checkpoint: ${problem}`);
  }
  let lineNo = 0;
  await forEachLine(path, options.maxLineBytes ?? MAX_LINE_BYTES, (line, unreadable) => {
    lineNo += 1;
    if (options.onProgress && lineNo % 100_000 === 0) options.onProgress(lineNo);
    if (line === undefined) verifier.unreadable(`line ${lineNo}: ${unreadable}`);
    else checkLine(verifier, line, `line ${lineNo}`);
  });

  const eventsChecked = verifier.eventsChecked;
  if (eventsChecked === 0) verifier.report(null, 'the file holds no events');
  if (checkpoint && eventsChecked > 0) {
    if (checkpoint.treeSize > eventsChecked) {
      verifier.report(
        null,
        `the checkpoint covers ${checkpoint.treeSize} events but the file ends after ${eventsChecked} (line ${lineNo}): events are missing from the end`,
      );
    } else if (verifier.rootAt(checkpoint.treeSize) !== checkpoint.rootHash) {
      verifier.report(
        null,
        `the Merkle root of events 1..${checkpoint.treeSize} differs from the checkpoint: the history was rewritten`,
      );
    }
  }
  const chain = verifier.verdict();
  const rootHash = verifier.root();
  const verdict = {
    eventsChecked,
    problems: chain.problems,
    problemCount: chain.problemCount,
    rootHash,
  };
  if (!chain.valid) return { ...verdict, ok: false, message: chain.message };
  return {
    ...verdict,
    ok: true,
    message: `OK: ${eventsChecked} events, head ${chain.headHash}; ${whatVouches(checkpoint, trustedPublicKey, eventsChecked, rootHash)}`,
  };
}

/** Checks one line; whatever it holds ends as a problem or a sound event, never a throw. */
function checkLine(verifier: ChainVerifier, line: Buffer, where: string): void {
  let read: ExportLine;
  try {
    read = readExportLine(line);
  } catch (error) {
    // readExportLine is written not to throw; should it ever, the line is still a verdict.
    read = { kind: 'refused', links: undefined, problem: `could not be read: ${String(error)}` };
  }
  if (read.kind === 'event') {
    verifier.next(read.links, read.contentMatches ? undefined : HASH_MISMATCH, where);
  } else if (read.links) {
    // Refused, but its seq and links still place it, so the chain goes on past it.
    verifier.next(read.links, read.problem, where);
  } else {
    verifier.unreadable(`${where}: ${read.problem}`);
  }
}

/** What, beyond the events' own hashes and links, the verdict rests on; said plainly. */
function whatVouches(
  checkpoint: CheckpointView | undefined,
  trustedPublicKey: string | undefined,
  eventsChecked: number,
  rootHash: string,
): string {
  if (!checkpoint) {
    const base64 = Buffer.from(rootHash, 'hex').toString('base64');
    return (
      'no checkpoint given: signature not checked against a trusted key, and removal of the newest events cannot be detected; ' +
      `Merkle root of all ${eventsChecked} events: ${rootHash} (base64 ${base64}), to compare with a published checkpoint of ${eventsChecked} events`
    );
  }
  const newer = eventsChecked - checkpoint.treeSize;
  const rest =
    newer > 0 ? `; the ${newer} newer events are vouched for by their hashes and links only` : '';
  return trustedPublicKey
    ? `checkpoint of ${checkpoint.treeSize} events matches and is signed by the pinned key ${checkpoint.keyId}${rest}`
    : `checkpoint of ${checkpoint.treeSize} events matches; signature not checked against a trusted key (only against the key inside the checkpoint; pin the publisher's key with --public-key)${rest}`;
}

/**
 * Calls `visit` with the bytes of each line of the file, without its line feed. Reads in
 * large chunks: the export is hundreds of megabytes.
 */
async function forEachLine(
  path: string,
  maxLineBytes: number,
  visit: (line: Buffer | undefined, unreadable?: string) => void,
): Promise<void> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let skipping = false;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    let data = chunk as Buffer;
    if (skipping) {
      const end = data.indexOf(0x0a);
      if (end < 0) continue;
      data = data.subarray(end + 1);
      skipping = false;
    }
    const last = data.lastIndexOf(0x0a);
    if (last < 0) {
      pending.push(data);
      pendingBytes += data.length;
      if (pendingBytes > maxLineBytes) {
        visit(undefined, `is longer than ${maxLineBytes} bytes: not an audit event`);
        pending = [];
        pendingBytes = 0;
        skipping = true;
      }
      continue;
    }
    let start = 0;
    if (pending.length > 0) {
      // The line that began in earlier chunks.
      start = data.indexOf(0x0a) + 1;
      visit(Buffer.concat([...pending, data.subarray(0, start - 1)]));
    }
    for (
      let end = data.indexOf(0x0a, start);
      end >= 0 && end <= last;
      end = data.indexOf(0x0a, start)
    ) {
      visit(data.subarray(start, end));
      start = end + 1;
    }
    pending = last + 1 < data.length ? [data.subarray(last + 1)] : [];
    pendingBytes = data.length - last - 1;
  }
  // The last line, when the file does not end in a line feed.
  if (!skipping && pendingBytes > 0) visit(Buffer.concat(pending));
}
