import { AuditEventView, eventHash } from './audit-event';
import { GENESIS_HASH, MerkleFrontier } from './merkle';

/** One thing wrong with the log: the event concerned (if any) and what is wrong, for people. */
export interface ChainProblem {
  seq: number | null;
  message: string;
}

/** What the chain of one event stands on: its place, its link back, and its own hash. */
export interface ChainLinks {
  seq: number;
  prevHash: string;
  hash: string;
}

export interface ChainVerdict {
  valid: boolean;
  eventsChecked: number;
  headSeq: number;
  headHash: string;
  /** The event of the first problem found, when it concerns one. */
  firstInvalidSeq: number | null;
  /** The first problem found (and how many there are), or what was verified. */
  message: string;
  /** Every problem found, in the order found, up to the listing limit. */
  problems: ChainProblem[];
  /** How many problems were found, listed or not. */
  problemCount: number;
}

/**
 * How many problems a verdict lists. A log rewritten from early on can fail at every later
 * event and checkpoint; the first hundred locate it, and the count says how far it goes.
 */
export const PROBLEMS_LISTED = 100;

export const HASH_MISMATCH = 'hash does not match the event content: the event was altered';

/** A verdict's one-line message: the first problem, and how many there are in all. */
export function problemsMessage(first: string, count: number, listed = PROBLEMS_LISTED): string {
  if (count <= 1) return first;
  return count > listed
    ? `${first} (${count} problems, first ${listed} listed)`
    : `${first} (${count} problems in all)`;
}

/**
 * Checks a log one event at a time, in order, holding only the previous hash and the Merkle
 * frontier, so a log of any length verifies in constant memory. Used by the service (events
 * streamed from the database) and by the offline verifier (events streamed from a file).
 *
 * It does not stop at the first problem: it records it and goes on from what is stored (the
 * event's own seq and hash), so one altered event is one problem and tampering further on is
 * still found. The Merkle tree is built over the events as stored, so checkpoints are
 * compared with the log as it is.
 */
export class ChainVerifier {
  private readonly frontier = new MerkleFrontier();
  private readonly roots = new Map<number, string>();
  private readonly listed: ChainProblem[] = [];
  private count = 0;
  private lastSeq = 0;
  private prevHash = GENESIS_HASH;
  /** After an unreadable line, the next event is taken as it stands to resume the chain. */
  private resuming = false;

  /**
   * @param rootsWanted tree sizes whose Merkle root should be remembered (checkpoints).
   * @param listLimit how many problems to list (all are counted).
   */
  private readonly listLimit: number;

  constructor(
    private readonly rootsWanted: ReadonlySet<number> = new Set(),
    listLimit = PROBLEMS_LISTED,
  ) {
    // At least the first problem is listed: the verdict's message and firstInvalidSeq are its.
    this.listLimit = Math.max(1, listLimit);
  }

  get failed(): boolean {
    return this.count > 0;
  }

  /** Events taken into the chain so far (the size of the Merkle tree). */
  get eventsChecked(): number {
    return this.frontier.size;
  }

  /**
   * Checks the next stored event: its seq, its link to the previous event, and its hash.
   * Returns whether it is sound; either way the verifier goes on with the next one.
   * @param where prefixed to the problem's message (e.g. `line 6`).
   */
  check(event: AuditEventView, where?: string): boolean {
    let contentProblem: string | undefined;
    try {
      if (eventHash(event) !== event.hash) contentProblem = HASH_MISMATCH;
    } catch (error) {
      // A stored value with no canonical form (e.g. a jsonb number beyond 1e308) cannot
      // have been hashed as it is now: a problem to report, not a reason to stop.
      contentProblem = `the event has no canonical form, so it cannot match its hash: ${String(error)}`;
    }
    return this.next(event, contentProblem, where);
  }

  /**
   * Takes the next event into the chain given its links and whether its content matches its
   * hash (`contentProblem` undefined when it does). The offline verifier hashes lines itself.
   */
  next(links: ChainLinks, contentProblem: string | undefined, where?: string): boolean {
    const { seq, prevHash, hash } = links;
    const expected = this.lastSeq + 1;
    let placeProblem: string | undefined;
    // The seq the chain goes on from after this event; undefined to stay where it was.
    let resumeAt: number | undefined = seq;
    if (this.resuming) {
      this.resuming = false;
    } else if (seq !== expected) {
      let why: string;
      if (prevHash === this.prevHash) {
        // It links to its predecessor, so it is in its place whatever its seq says.
        why = 'its seq was changed';
        resumeAt = expected;
      } else if (seq > expected) {
        why = 'events are missing before it';
      } else {
        // A duplicate or a line moved from further on: the chain does not move back.
        why = 'events are duplicated or out of order';
        resumeAt = undefined;
      }
      placeProblem = `expected seq ${expected} but found ${seq}: ${why}`;
    } else if (prevHash !== this.prevHash) {
      placeProblem = `prevHash does not equal the hash of event ${seq - 1}: the chain is broken`;
    }
    if (placeProblem !== undefined || contentProblem !== undefined) {
      const what = [placeProblem, contentProblem].filter((p) => p !== undefined).join('; ');
      this.report(seq, `${where ? `${where}: ` : ''}event ${seq}: ${what}`);
    }
    if (resumeAt !== undefined) {
      this.lastSeq = resumeAt;
      this.prevHash = hash;
    }
    this.frontier.append(hash);
    if (this.rootsWanted.has(this.frontier.size))
      this.roots.set(this.frontier.size, this.frontier.root());
    return placeProblem === undefined && contentProblem === undefined;
  }

  /**
   * Something in the stream that is not an event at all (an unreadable line): a problem, and
   * the chain resumes at the next event, taken as it stands.
   */
  unreadable(message: string): void {
    this.report(null, message);
    this.resuming = true;
  }

  /** Records a problem found outside the chain (e.g. a checkpoint); counted, and listed up to the limit. */
  report(seq: number | null, message: string): void {
    this.count += 1;
    if (this.listed.length < this.listLimit) this.listed.push({ seq, message });
  }

  /** The Merkle root over events 1..size, if size was asked for and reached. */
  rootAt(size: number): string | undefined {
    return this.roots.get(size);
  }

  /** The Merkle root over every event taken so far. */
  root(): string {
    return this.frontier.root();
  }

  verdict(): ChainVerdict {
    const base = {
      eventsChecked: this.frontier.size,
      headSeq: this.lastSeq,
      headHash: this.prevHash,
      problems: [...this.listed],
      problemCount: this.count,
    };
    const first = this.listed[0];
    if (first) {
      return {
        ...base,
        valid: false,
        firstInvalidSeq: first.seq,
        message: problemsMessage(first.message, this.count, this.listLimit),
      };
    }
    return {
      ...base,
      valid: true,
      firstInvalidSeq: null,
      message: `${this.frontier.size} events verified; every hash and link is intact`,
    };
  }
}
