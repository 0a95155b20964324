import { Injectable } from '@nestjs/common';
import { AuditAction } from '../audit/audit-action';
import { attributionOf } from '../audit/attribution';
import { Change, ChangeRunner } from '../audit/change-runner';
import { Clock } from '../common/clock';
import { RequestContext } from '../auth/principal';
import { DomainError, ErrorCode, fieldError, forbidden, notFound } from '../common/errors';
import { ListsRepository } from './lists.repository';
import { PositiveListVersionEntity } from './positive-list-version.entity';
import { versionSnapshot } from './snapshots';
import { addDays, assertTransition, nextStatus, visibleStatus } from './workflow';

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
    ) => Promise<{ action: AuditAction; result: PositiveListVersionEntity; deleted?: boolean }>,
  ): Promise<PositiveListVersionEntity> {
    return this.changes.run(attributionOf(ctx, reason), async (change) => {
      const countryCode = await this.lists.countryOfVersion(listVersionId, change);
      if (!countryCode) throw notFound('List version', listVersionId);
      await this.lists.lockCountry(change, countryCode); // one list change per country at a time
      const version = await this.lists.versionForUpdate(change, listVersionId);
      if (!version) throw notFound('List version', listVersionId);
      const before = versionSnapshot(version);
      const { action, result, deleted } = await work(change, version);
      change.record({
        action,
        entityType: 'PositiveListVersion',
        entityId: version.id,
        hostCountry: version.hostCountryCode,
        before,
        after: deleted ? null : versionSnapshot(result),
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
      assertTransition('discard', version.status, version.version);
      const gone = Object.assign(new PositiveListVersionEntity(), version);
      await this.lists.deleteVersion(change, version.id);
      return { action: AuditAction.DELETE, result: gone, deleted: true };
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
      return { action: AuditAction.PUBLISH, result: await this.lists.saveVersion(change, version) };
    });
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
      if (version.effectiveFrom! > today) {
        // Never took effect: the version it would have replaced takes its place on the
        // timeline, up to where this one would have ended (the next version, or open-ended).
        const wouldHaveEnded = version.effectiveUntil;
        version.effectiveUntil = version.effectiveFrom;
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
      } else {
        // It was in force today, and answers given today against it must stay true: the
        // withdrawal takes effect at the end of the day (UTC). A successor already scheduled
        // keeps its date.
        const tomorrow = addDays(today, 1);
        version.effectiveUntil =
          version.effectiveUntil && version.effectiveUntil < tomorrow
            ? version.effectiveUntil
            : tomorrow;
      }
      version.status = status;
      version.withdrawnAt = this.clock.now();
      return {
        action: AuditAction.WITHDRAW,
        result: await this.lists.saveVersion(change, version),
      };
    });
  }
}
