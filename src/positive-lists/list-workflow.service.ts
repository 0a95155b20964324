import { Injectable } from '@nestjs/common';
import { AuditAction } from '../audit/audit-action';
import { attributionOf } from '../audit/attribution';
import { Change, ChangeRunner } from '../audit/change-runner';
import { Clock } from '../common/clock';
import { RequestContext } from '../auth/principal';
import { DomainError, ErrorCode, fieldError, forbidden, notFound } from '../common/errors';
import { versionDigest } from './content-digest';
import { ListsRepository } from './lists.repository';
import { PositiveListVersionEntity } from './positive-list-version.entity';
import { versionSnapshot } from './snapshots';
import { addDays, nextStatus, visibleStatus } from './workflow';

/** The database's own refusal of two versions in force on one day, as the domain says it. */
function overlapRefused(error: unknown): never {
  const pg = error as { code?: string; constraint?: string; driverError?: { code?: string } };
  if ((pg.code ?? pg.driverError?.code) === '23P01') {
    throw new DomainError(
      ErrorCode.INVALID_STATE,
      'Another version of this list is in force on one of those days, and at most one may be: ' +
        'choose a later effective date',
    );
  }
  throw error;
}

/**
 * The workflow of a version after drafting: submit, reject, discard, publish (maker-checker),
 * withdraw, and the effective dates they set (docs/domain.md section 2). The transition table
 * in workflow.ts decides which action may start from which status and where it leads.
 */
@Injectable()
export class ListWorkflowService {
  constructor(
    private readonly lists: ListsRepository,
    private readonly changes: ChangeRunner,
    private readonly clock: Clock,
  ) {}

  private async transition(
    ctx: RequestContext,
    listVersionId: string,
    reason: string,
    work: (
      change: Change,
      version: PositiveListVersionEntity,
    ) => Promise<{ action: AuditAction; result: PositiveListVersionEntity }>,
  ): Promise<PositiveListVersionEntity> {
    return this.changes.run(attributionOf(ctx, reason), async (change) => {
      const countryCode = await this.lists.countryOfVersion(listVersionId, change);
      if (!countryCode) throw notFound('List version', listVersionId);
      await this.lists.lockCountry(change, countryCode); // one list change per country at a time
      const version = await this.lists.versionForUpdate(change, listVersionId);
      if (!version) throw notFound('List version', listVersionId);
      const before = versionSnapshot(version);
      const { action, result } = await work(change, version);
      change.record({
        action,
        entityType: 'PositiveListVersion',
        entityId: version.id,
        hostCountry: version.hostCountryCode,
        before,
        after: versionSnapshot(result),
      });
      return result;
    });
  }

  submit(
    ctx: RequestContext,
    input: { listVersionId: string; reason: string },
  ): Promise<PositiveListVersionEntity> {
    return this.transition(ctx, input.listVersionId, input.reason, async (change, version) => {
      const next = nextStatus('submit', version.status, version.version);
      if ((await this.lists.countEntries(change, version.id)) === 0) {
        throw new DomainError(
          ErrorCode.INVALID_STATE,
          `Version ${version.version} has no entries: an empty list cannot be submitted`,
        );
      }
      version.status = next;
      version.submittedById = ctx.principal!.id;
      version.submittedByName = ctx.principal!.name;
      return { action: AuditAction.SUBMIT, result: await this.lists.saveVersion(change, version) };
    });
  }

  reject(
    ctx: RequestContext,
    input: { listVersionId: string; reason: string },
  ): Promise<PositiveListVersionEntity> {
    return this.transition(ctx, input.listVersionId, input.reason, async (change, version) => {
      const next = nextStatus('reject', version.status, version.version);
      version.status = next;
      version.submittedById = null;
      version.submittedByName = null;
      return { action: AuditAction.REJECT, result: await this.lists.saveVersion(change, version) };
    });
  }

  discard(
    ctx: RequestContext,
    input: { listVersionId: string; reason: string },
  ): Promise<PositiveListVersionEntity> {
    return this.transition(ctx, input.listVersionId, input.reason, async (change, version) => {
      // Kept as a record with its entries, so its number is never given again and its
      // history stays readable (docs/domain.md section 2).
      version.status = nextStatus('discard', version.status, version.version);
      return { action: AuditAction.DELETE, result: await this.lists.saveVersion(change, version) };
    });
  }

  publish(
    ctx: RequestContext,
    input: {
      listVersionId: string;
      effectiveFrom: string;
      reviewDue?: string | null;
      reason: string;
    },
  ): Promise<PositiveListVersionEntity> {
    return this.transition(ctx, input.listVersionId, input.reason, async (change, version) => {
      const next = nextStatus('publish', version.status, version.version);
      // (The checks below give the reason; the exclusion constraint is the last word when two
      // publications race, and is answered the same way: see overlapRefused.)
      const principal = ctx.principal!;
      if (version.submittedById === principal.id) {
        throw forbidden(
          `Four eyes: ${principal.name} submitted version ${version.version} and cannot also publish it`,
        );
      }
      const today = this.clock.today();
      if (input.effectiveFrom < today)
        throw fieldError('input.effectiveFrom', `must be today (${today}) or later`);
      if (input.reviewDue && input.reviewDue <= input.effectiveFrom)
        throw fieldError('input.reviewDue', 'must be after effectiveFrom');
      const head = await this.lists.timelineHead(change, version.hostCountryCode);
      if (head && head.effectiveFrom! >= input.effectiveFrom) {
        throw fieldError(
          'input.effectiveFrom',
          `must be after ${head.effectiveFrom}, when version ${head.version} takes effect`,
        );
      }
      // A version withdrawn while in force stays in force to the end of that day: nothing
      // else may be in force then (the database refuses it too, by an exclusion constraint).
      const free = await this.lists.firstFreeDay(change, version.hostCountryCode);
      if (free && free.day > input.effectiveFrom) {
        throw new DomainError(
          ErrorCode.INVALID_STATE,
          `Version ${free.version} of ${version.hostCountryCode} is in force until the end of ` +
            `${addDays(free.day, -1)}: the first day a new version may take effect is ${free.day}`,
        );
      }
      if (head) {
        const headBefore = versionSnapshot(head);
        head.effectiveUntil = input.effectiveFrom;
        await this.lists.saveVersion(change, head);
        change.record({
          action: AuditAction.SUPERSEDE,
          entityType: 'PositiveListVersion',
          entityId: head.id,
          hostCountry: head.hostCountryCode,
          before: headBefore,
          after: versionSnapshot(head),
        });
      }
      version.status = next;
      version.effectiveFrom = input.effectiveFrom;
      version.reviewDue = input.reviewDue ?? null;
      version.approvedById = principal.id;
      version.approvedByName = principal.name;
      version.publishedAt = this.clock.now();
      version.contentDigest = versionDigest(
        version,
        await this.lists.entriesWithSectorCodes(change, version.id),
      );
      return { action: AuditAction.PUBLISH, result: await this.lists.saveVersion(change, version) };
    }).catch(overlapRefused);
  }

  withdraw(
    ctx: RequestContext,
    input: { listVersionId: string; reason: string },
  ): Promise<PositiveListVersionEntity> {
    return this.transition(ctx, input.listVersionId, input.reason, async (change, version) => {
      const today = this.clock.today();
      // A superseded version is history: only the one in force or scheduled can be withdrawn.
      const status = nextStatus(
        'withdraw',
        visibleStatus(version.status, version.effectiveUntil, today),
        version.version,
      );
      const neverTookEffect = version.effectiveFrom! > today;
      // Never took effect: its span becomes empty. In force today: answers given today
      // against it must stay true, so it ends at the end of the day (UTC); a successor
      // already scheduled keeps its date.
      const wouldHaveEnded = version.effectiveUntil;
      const tomorrow = addDays(today, 1);
      version.effectiveUntil = neverTookEffect
        ? version.effectiveFrom
        : wouldHaveEnded && wouldHaveEnded < tomorrow
          ? wouldHaveEnded
          : tomorrow;
      version.status = status;
      version.withdrawnAt = this.clock.now();
      // Saved before the predecessor takes its span back: one version in force a day, always.
      const withdrawn = await this.lists.saveVersion(change, version);
      if (neverTookEffect) {
        // The version it would have replaced takes its place on the timeline, up to where
        // this one would have ended (the next version, or open-ended).
        const predecessor = await this.lists.predecessorEndingOn(
          change,
          version.hostCountryCode,
          version.effectiveFrom!,
          version.id,
        );
        if (predecessor) {
          const before = versionSnapshot(predecessor);
          predecessor.effectiveUntil = wouldHaveEnded;
          await this.lists.saveVersion(change, predecessor);
          change.record({
            action: AuditAction.UPDATE,
            entityType: 'PositiveListVersion',
            entityId: predecessor.id,
            hostCountry: predecessor.hostCountryCode,
            before,
            after: versionSnapshot(predecessor),
          });
        }
      }
      return { action: AuditAction.WITHDRAW, result: withdrawn };
    });
  }
}
