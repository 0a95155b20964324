import { Injectable, OnModuleInit } from '@nestjs/common';
import { CountryScope } from '../auth/country-scope';
import { RequestContext } from '../auth/principal';
import { COUNTRY_BOUND_ROLES } from '../auth/role';
import { FieldProblem, badInput, forbidden, invalid, notFound } from '../common/errors';
import { decodeSeqCursor, encodeCursor, pageSize } from '../graphql/pagination';
import { AuditEventView } from './audit-event';
import { AuditEventFilter, AuditRepository, StoredCheckpoint } from './audit.repository';
import { AuditTreeRepository } from './audit-tree.repository';
import { ChainVerdict, ChainVerifier, PROBLEMS_LISTED, problemsMessage } from './chain-verifier';
import { checkpointProblems } from './checkpoint';
import { CheckpointsService } from './checkpoints.service';
import { ContentChecks, VerificationProblem } from './content-checks';

export const AUDIT_CURSOR = 'audit';
const CHECKPOINT_CURSOR = 'checkpoint';
/** A seq as text: a positive integer that fits PostgreSQL's bigint and JavaScript's numbers. */
const SEQ = /^[1-9][0-9]{0,14}$/;

export interface CheckpointPage {
  edges: { cursor: string; node: StoredCheckpoint }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  countTotal: () => Promise<number>;
}

export interface InclusionProofView {
  seq: number;
  treeSize: number;
  leafHash: string;
  hashes: string[];
}

export interface ConsistencyProofView {
  fromSize: number;
  toSize: number;
  hashes: string[];
}

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
export class AuditService implements OnModuleInit {
  constructor(
    private readonly audit: AuditRepository,
    private readonly tree: AuditTreeRepository,
    private readonly checkpoints: CheckpointsService,
    private readonly contentChecks: ContentChecks,
    private readonly countryScope: CountryScope,
  ) {}

  onModuleInit(): void {
    // An official asking for one event is checked against the country stored on it.
    this.countryScope.register('auditEvent', 'Audit event', (seq) =>
      SEQ.test(seq) ? this.audit.countryOfEvent(Number(seq)) : Promise.resolve(null),
    );
  }

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
   * One event by its seq, with the country rule of `events`: to an official or approver an
   * event of another country, or of none, does not exist (NOT_FOUND, as an unknown seq).
   */
  async event(ctx: RequestContext, seq: number): Promise<AuditEventView> {
    const event = SEQ.test(String(seq)) ? await this.audit.bySeq(seq) : null;
    const principal = ctx.principal;
    const hidden =
      principal !== null &&
      COUNTRY_BOUND_ROLES.includes(principal.role) &&
      event?.hostCountry !== principal.hostCountry;
    if (!event || hidden) throw notFound('Audit event', String(seq));
    return event;
  }

  /** Signed checkpoints, newest first, a keyset page at a time (public). */
  async checkpointsPage(first?: number | null, after?: string | null): Promise<CheckpointPage> {
    const limit = pageSize(first);
    const beforeSize = decodeSeqCursor(CHECKPOINT_CURSOR, after);
    const rows = await this.audit.checkpointsPage(beforeSize, limit + 1);
    const edges = rows
      .slice(0, limit)
      .map((node) => ({ cursor: encodeCursor(CHECKPOINT_CURSOR, node.treeSize), node }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
      countTotal: () => this.audit.checkpointCount(),
    };
  }

  /** RFC 6962 audit path of event `seq` in the tree of the first `treeSize` events. */
  async inclusionProof(seq: number, treeSize: number): Promise<InclusionProofView> {
    const head = await this.audit.headSeq();
    const problems: FieldProblem[] = [];
    if (seq < 1) problems.push({ field: 'seq', message: 'must be at least 1' });
    if (treeSize < seq)
      problems.push({
        field: 'treeSize',
        message: 'must be at least seq (the event is in the tree)',
      });
    if (treeSize > head)
      problems.push({ field: 'treeSize', message: `must be at most ${head}, the log's size` });
    if (problems.length > 0) throw invalid('the inclusion proof', problems);
    const [leafHash, hashes] = await Promise.all([
      this.tree.leafHash(seq),
      this.tree.inclusionProof(seq, treeSize),
    ]);
    return { seq, treeSize, leafHash: leafHash!, hashes: hashes.map((h) => h.toString('hex')) };
  }

  /** RFC 6962 consistency proof between the trees of the first `fromSize` and `toSize` events. */
  async consistencyProof(fromSize: number, toSize: number): Promise<ConsistencyProofView> {
    const head = await this.audit.headSeq();
    const problems: FieldProblem[] = [];
    if (fromSize < 1) problems.push({ field: 'fromSize', message: 'must be at least 1' });
    if (toSize < fromSize) problems.push({ field: 'toSize', message: 'must be at least fromSize' });
    if (toSize > head)
      problems.push({ field: 'toSize', message: `must be at most ${head}, the log's size` });
    if (problems.length > 0) throw invalid('the consistency proof', problems);
    const hashes = await this.tree.consistencyProof(fromSize, toSize);
    return { fromSize, toSize, hashes: hashes.map((h) => h.toString('hex')) };
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
    // And the log against the last checkpoint this service signed, as kept in its file.
    const signedOutside = (await this.checkpoints.consistencyProblems()).map((message) => ({
      seq: null,
      listVersionId: null,
      message: `checkpoint file: ${message}`,
    }));
    const content = [...signedOutside, ...(await this.contentChecks.run())];
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
