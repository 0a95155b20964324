import { Injectable } from '@nestjs/common';
import { RequestContext } from '../auth/principal';
import { COUNTRY_BOUND_ROLES } from '../auth/role';
import { badInput, forbidden } from '../common/errors';
import { decodeSeqCursor, encodeCursor, pageSize } from '../graphql/pagination';
import { AuditEventView } from './audit-event';
import { AuditEventFilter, AuditRepository } from './audit.repository';
import { ChainVerdict, ChainVerifier, PROBLEMS_LISTED, problemsMessage } from './chain-verifier';
import { checkpointProblems } from './checkpoint';
import { CheckpointsService } from './checkpoints.service';
import { ContentChecks, VerificationProblem } from './content-checks';

export const AUDIT_CURSOR = 'audit';

/**
 * Events per query when verifying. Large batches mean fewer round trips; the repository
 * fetches the next one while this one is hashed, so two batches are in memory at a time.
 */
const VERIFY_BATCH = 10_000;

export interface AuditPage {
  edges: { cursor: string; node: AuditEventView }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /** Counted only when the client asks for it: a filtered count scans every match. */
  countTotal: () => Promise<number>;
}

export interface AuditFilterInput {
  hostCountry?: string | null;
  entityType?: string | null;
  entityId?: string | null;
  actorName?: string | null;
  actions?: string[] | null;
  from?: Date | null;
  to?: Date | null;
}

@Injectable()
export class AuditService {
  constructor(
    private readonly audit: AuditRepository,
    private readonly checkpoints: CheckpointsService,
    private readonly contentChecks: ContentChecks,
  ) {}

  /**
   * A keyset page of the history, oldest first. Officials and approvers see their own
   * country's events only, whatever they ask for.
   */
  async events(
    ctx: RequestContext,
    input: AuditFilterInput | null | undefined,
    first?: number | null,
    after?: string | null,
  ): Promise<AuditPage> {
    const limit = pageSize(first);
    const afterSeq = decodeSeqCursor(AUDIT_CURSOR, after);
    const filter: AuditEventFilter = {};
    if (input?.hostCountry) filter.hostCountry = input.hostCountry;
    if (input?.entityType) filter.entityType = input.entityType;
    if (input?.entityId) filter.entityId = input.entityId;
    if (input?.actorName) filter.actorName = input.actorName;
    if (input?.actions) filter.actions = input.actions;
    if (input?.from) filter.from = input.from;
    if (input?.to) filter.to = input.to;
    if (filter.from && filter.to && filter.from > filter.to) {
      throw badInput('filter.from must not be after filter.to', [
        { field: 'filter.to', message: 'must not be before filter.from' },
      ]);
    }
    const principal = ctx.principal;
    if (principal && COUNTRY_BOUND_ROLES.includes(principal.role)) {
      if (filter.hostCountry && filter.hostCountry !== principal.hostCountry) {
        throw forbidden(
          `A ${principal.role} of ${principal.hostCountry} sees only that country's history`,
        );
      }
      filter.hostCountry = principal.hostCountry ?? '';
    }
    const rows = await this.audit.page(filter, afterSeq, limit + 1);
    const nodes = rows.slice(0, limit);
    const edges = nodes.map((node) => ({ cursor: encodeCursor(AUDIT_CURSOR, node.seq), node }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
      countTotal: () => this.audit.count(filter),
    };
  }

  /**
   * Re-verifies the whole log from the database in one streaming pass: every hash, every
   * link, seq without gaps, and every stored checkpoint (root, signature, signing key), then
   * the stored content the log vouches for. Reports every problem (the first
   * PROBLEMS_LISTED of them listed, all counted), not only the first.
   */
  async verify(): Promise<ChainVerdict & { problems: VerificationProblem[] }> {
    const chain = await this.verifyChain();
    // Stored content against what the log recorded (the published lists' digests).
    const content = await this.contentChecks.run();
    const problemCount = chain.problemCount + content.length;
    if (problemCount === 0) return { ...chain, problems: [] };
    const problems: VerificationProblem[] = [
      ...chain.problems.map((p) => ({ seq: p.seq, listVersionId: null, message: p.message })),
      ...content,
    ].slice(0, PROBLEMS_LISTED);
    return {
      ...chain,
      valid: false,
      message: problemsMessage(problems[0].message, problemCount),
      problems,
      problemCount,
    };
  }

  private async verifyChain(): Promise<ChainVerdict> {
    const checkpoints = await this.audit.allCheckpoints();
    const verifier = new ChainVerifier(new Set(checkpoints.map((c) => c.treeSize)));
    for await (const batch of this.audit.stream(0, VERIFY_BATCH)) {
      for (const event of batch) verifier.check(event);
    }
    const size = verifier.eventsChecked;
    const trusted = this.checkpoints.publicKey;
    for (const checkpoint of checkpoints) {
      const signed = `checkpoint of ${checkpoint.treeSize} events`;
      if (checkpoint.treeSize > size) {
        verifier.report(
          size + 1,
          `${signed} was signed but the log ends at ${size}: events were removed from the end`,
        );
      } else if (verifier.rootAt(checkpoint.treeSize) !== checkpoint.rootHash) {
        verifier.report(null, `${signed} does not match the events: the log was rewritten`);
      }
      for (const problem of checkpointProblems(checkpoint, trusted))
        verifier.report(null, `${signed}: ${problem}`);
    }
    const verdict = verifier.verdict();
    if (verdict.valid && checkpoints.length > 0) {
      verdict.message += `; ${checkpoints.length} signed checkpoint(s) match`;
    }
    return verdict;
  }
}
