import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog, ChangeAttribution, ChangeRecord } from './audit-log';

/**
 * A write in progress. Repositories take one of these for every write, and only
 * {@link ChangeRunner} creates them, so no code path can change data outside a transaction
 * that also records what it changed.
 */
export class Change {
  private readonly recorded: ChangeRecord[] = [];
  private nothingChanged = false;

  /** @internal created by ChangeRunner only */
  constructor(
    readonly manager: EntityManager,
    readonly attribution: ChangeAttribution,
  ) {}

  /** Records what this change did; written to the audit log in the same transaction. */
  record(record: ChangeRecord): void {
    this.recorded.push(record);
  }

  /** Declares that the work found nothing to change and wrote nothing (an idempotent retry). */
  unchanged(): void {
    this.nothingChanged = true;
  }

  get records(): readonly ChangeRecord[] {
    return this.recorded;
  }

  /** @internal */
  isUnchanged(): boolean {
    return this.nothingChanged && this.recorded.length === 0;
  }
}

/** Raised when a change tried to commit without saying what it changed. */
export class UnrecordedChangeError extends Error {
  constructor() {
    super('A change must record at least one audit event before it commits');
    this.name = 'UnrecordedChangeError';
  }
}

/**
 * A part another feature takes in every change, inside its transaction, after the work and
 * before the audit events are appended: what it writes commits or rolls back with the change.
 */
export type ChangeParticipant = (change: Change) => Promise<void>;

/** Thrown inside the transaction to roll it back when the work declared it changed nothing. */
class RollbackUnchanged extends Error {}

/**
 * The one place that opens write transactions. The business change and its audit events
 * commit together or not at all.
 */
@Injectable()
export class ChangeRunner {
  private readonly committedListeners: (() => void)[] = [];
  private readonly participants: ChangeParticipant[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly auditLog: AuditLog,
  ) {}

  /**
   * Calls `listener` after each change this instance commits, before its caller sees the
   * result, so what this instance answers next reflects it (read your writes). Other
   * instances learn of changes from the database (see ListsInForce).
   */
  afterCommit(listener: () => void): void {
    this.committedListeners.push(listener);
  }

  /**
   * Lets a higher layer take part in each change before it commits, given the records the
   * change made (webhooks write their outbox here, so an event exists exactly when its
   * change committed). A participant that throws rolls the change back.
   */
  beforeCommit(participant: ChangeParticipant): void {
    this.participants.push(participant);
  }

  async run<T>(attribution: ChangeAttribution, work: (change: Change) => Promise<T>): Promise<T> {
    let unchanged: { result: T } | undefined;
    try {
      const result = await this.dataSource.transaction(async (manager) => {
        const change = new Change(manager, attribution);
        const result = await work(change);
        if (change.isUnchanged()) {
          // Roll back even so: whatever the work did, nothing may persist without an event.
          unchanged = { result };
          throw new RollbackUnchanged();
        }
        if (change.records.length === 0) throw new UnrecordedChangeError();
        for (const participant of this.participants) await participant(change);
        await this.auditLog.append(manager, attribution, [...change.records]);
        return result;
      });
      for (const listener of this.committedListeners) listener();
      return result;
    } catch (error) {
      if (error instanceof RollbackUnchanged && unchanged) return unchanged.result;
      throw error;
    }
  }
}
