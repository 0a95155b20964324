import { AuditEventView, eventHash } from './audit-event';
import { GENESIS_HASH, MerkleFrontier } from './merkle';

export interface ChainVerdict {
  valid: boolean;
  eventsChecked: number;
  headSeq: number;
  headHash: string;
  firstInvalidSeq: number | null;
  message: string;
}

/**
 * Checks a log one event at a time, in order, holding only the previous hash and the Merkle
 * frontier, so a log of any length verifies in constant memory. Used by the service (events
 * streamed from the database) and by the offline verifier (events streamed from a file).
 */
export class ChainVerifier {
  private readonly frontier = new MerkleFrontier();
  private readonly roots = new Map<number, string>();
  private prevHash = GENESIS_HASH;
  private checked = 0;
  private failure: { seq: number; message: string } | undefined;

  /** @param rootsWanted tree sizes whose Merkle root should be remembered (checkpoints). */
  constructor(private readonly rootsWanted: ReadonlySet<number> = new Set()) {}

  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Checks the next event; returns false (and stops accepting) at the first problem. */
  check(event: AuditEventView): boolean {
    if (this.failure) return false;
    const expected = this.checked + 1;
    if (event.seq !== expected) {
      const why =
        event.seq > expected
          ? 'events are missing before it'
          : 'events are duplicated or out of order';
      return this.fail(event.seq, `expected seq ${expected} but found ${event.seq}: ${why}`);
    }
    if (event.prevHash !== this.prevHash) {
      return this.fail(
        event.seq,
        `prevHash does not equal the hash of event ${expected - 1}: the chain is broken`,
      );
    }
    const { hash, ...unsigned } = event;
    if (eventHash(unsigned) !== hash) {
      return this.fail(event.seq, 'hash does not match the event content: the event was altered');
    }
    this.prevHash = hash;
    this.checked = expected;
    this.frontier.append(hash);
    if (this.rootsWanted.has(expected)) this.roots.set(expected, this.frontier.root());
    return true;
  }

  /** The Merkle root over events 1..size, if size was asked for and reached. */
  rootAt(size: number): string | undefined {
    return this.roots.get(size);
  }

  /** Marks the log invalid at `seq` for a reason found outside the chain (e.g. a checkpoint). */
  fail(seq: number | null, message: string): false {
    this.failure ??= { seq: seq ?? -1, message };
    return false;
  }

  verdict(): ChainVerdict {
    const base = { eventsChecked: this.checked, headSeq: this.checked, headHash: this.prevHash };
    if (this.failure) {
      return {
        ...base,
        valid: false,
        firstInvalidSeq: this.failure.seq >= 0 ? this.failure.seq : null,
        message:
          this.failure.seq >= 0
            ? `event ${this.failure.seq}: ${this.failure.message}`
            : this.failure.message,
      };
    }
    return {
      ...base,
      valid: true,
      firstInvalidSeq: null,
      message: `${this.checked} events verified; every hash and link is intact`,
    };
  }
}
