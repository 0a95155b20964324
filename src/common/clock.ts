/**
 * The registry's time. Everything that asks "now" or "today" asks this, never `new Date()`,
 * so tests can stand on any day (cross midnight UTC, supersede a version in the past, walk a
 * timeline day by day) and every instant in one change comes from one place.
 */
export abstract class Clock {
  abstract now(): Date;

  /** Today in UTC, as YYYY-MM-DD: the registry's calendar. */
  today(): string {
    return this.now().toISOString().slice(0, 10);
  }
}

/** The machine's clock. */
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
