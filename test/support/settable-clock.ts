import { Clock } from '../../src/common/clock';

/** A clock a test sets: the registry then lives on whatever day and instant the test says. */
export class SettableClock extends Clock {
  private instant: Date;

  constructor(iso: string) {
    super();
    this.instant = new Date(iso);
  }

  now(): Date {
    return new Date(this.instant);
  }

  set(iso: string): void {
    this.instant = new Date(iso);
  }
}
