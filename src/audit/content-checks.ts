import { Injectable } from '@nestjs/common';

/** One thing verification found wrong: an event, a published version, or a checkpoint. */
export interface VerificationProblem {
  seq: number | null;
  listVersionId: string | null;
  message: string;
}

/**
 * Checks of stored content against what the audit trail recorded, which features register
 * (the lists register their published-content digests) and verifyAuditTrail runs. Lets the
 * audit log verify records it does not know the shape of.
 */
@Injectable()
export class ContentChecks {
  private readonly checks: (() => Promise<VerificationProblem[]>)[] = [];

  register(check: () => Promise<VerificationProblem[]>): void {
    this.checks.push(check);
  }

  async run(): Promise<VerificationProblem[]> {
    return (await Promise.all(this.checks.map((check) => check()))).flat();
  }
}
