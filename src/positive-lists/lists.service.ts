import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditAction } from '../audit/audit-action';
import { Change, ChangeRunner } from '../audit/change-runner';
import { FieldChange, fieldChanges } from '../audit/field-changes';
import { CountryScope } from '../auth/country-scope';
import { attributionOf } from '../audit/attribution';
import { AuthenticatedPrincipal, RequestContext } from '../auth/principal';
import { Role } from '../auth/role';
import {
  DomainError,
  ErrorCode,
  badInput,
  conflict,
  fieldError,
  forbidden,
  notFound,
} from '../common/errors';
import { ActivityEntryEntity } from './activity-entry.entity';
import { EntryFieldsInput, checkEntry } from './entry-rules';
import { EntryData, ListStatus } from './list-types';
import { EntrySearchFilter, ListsRepository } from './lists.repository';
import { decodeKeyCursor, encodeCursor, pageSize } from '../graphql/pagination';
import { PositiveListVersionEntity } from './positive-list-version.entity';
import { entryContent, entrySnapshot, versionSnapshot } from './snapshots';
import { addDays, assertTransition, todayUtc, visibleStatus } from './workflow';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who may see drafts of a country: its officials and approvers, auditors, administrators. */
export function maySeeDrafts(principal: AuthenticatedPrincipal | null, country: string): boolean {
  if (!principal) return false;
  if (principal.role === Role.ADMIN || principal.role === Role.AUDITOR) return true;
  return principal.hostCountry === country;
}

export function isPublic(version: PositiveListVersionEntity): boolean {
  return ([ListStatus.PUBLISHED, ListStatus.WITHDRAWN] as string[]).includes(version.status);
}

export interface EntryDiff {
  added: ActivityEntryEntity[];
  removed: ActivityEntryEntity[];
  changed: { key: string; name: string; changes: FieldChange[] }[];
}

function applyEntryData(entity: ActivityEntryEntity, data: EntryData): ActivityEntryEntity {
  const { sectorCodes: _codes, ...fields } = data;
  return Object.assign(entity, fields);
}

/** Drafting, review and publication of host-country lists (DOMAIN.md section 6). */
@Injectable()
export class ListsService implements OnModuleInit {
  constructor(
    private readonly lists: ListsRepository,
    private readonly changes: ChangeRunner,
    private readonly countryScope: CountryScope,
  ) {}

  onModuleInit(): void {
    // The access guard checks officials against the country stored on the record.
    this.countryScope.register('listVersion', 'List version', (id) =>
      UUID.test(id) ? this.lists.countryOfVersion(id) : Promise.resolve(null),
    );
    this.countryScope.register('entry', 'Entry', (id) =>
      UUID.test(id) ? this.lists.countryOfEntry(id) : Promise.resolve(null),
    );
  }

  /** A version the caller may see, or null (drafts of other countries do not exist for them). */
  async findVisible(ctx: RequestContext, id: string): Promise<PositiveListVersionEntity | null> {
    if (!UUID.test(id)) return null;
    const version = await this.lists.findVersion(id);
    if (!version) return null;
    return isPublic(version) || maySeeDrafts(ctx.principal, version.hostCountryCode)
      ? version
      : null;
  }

  private async lockedVersion(change: Change, id: string): Promise<PositiveListVersionEntity> {
    const version = await this.lists.versionForUpdate(change, id);
    if (!version) throw notFound('List version', id);
    return version;
  }

  /** Validates an entry against the rules and the country's sectors, or throws every problem. */
  private async checkedEntry(
    change: Change,
    version: PositiveListVersionEntity,
    input: EntryFieldsInput,
  ) {
    const sectors = await this.sectorCodeMap(change, version.hostCountryCode);
    const { entry: data, problems } = checkEntry(
      input,
      new Set(sectors.byCode.keys()),
      'input.entry',
    );
    if (problems.length) {
      throw badInput(
        `Invalid entry: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
        problems,
      );
    }
    return { data, sectors };
  }

  private async assertKeyFree(
    change: Change,
    version: PositiveListVersionEntity,
    key: string,
  ): Promise<void> {
    if (await this.lists.entryByKey(change, version.id, key)) {
      throw conflict(`An entry with key ${key} is already on version ${version.version}`);
    }
  }

  /** The sector codes an entry is linked to now. */
  private async sectorCodesOf(
    change: Change,
    entryId: string,
    byId: Map<string, string>,
  ): Promise<string[]> {
    return ((await this.lists.sectorIdsOfEntries(change, [entryId])).get(entryId) ?? []).map((id) =>
      byId.get(id)!,
    );
  }

  private async sectorCodeMap(change: Change, country: string) {
    const sectors = await this.lists.sectorsOfCountry(change, country);
    return {
      byCode: new Map(sectors.map((s) => [s.code, s.id])),
      byId: new Map(sectors.map((s) => [s.id, s.code])),
    };
  }

  async createDraft(
    ctx: RequestContext,
    input: {
      hostCountry: string;
      title: string;
      legalBasis?: string | null;
      basedOnVersionId?: string | null;
      reason: string;
    },
  ): Promise<PositiveListVersionEntity> {
    return this.changes.run(attributionOf(ctx, input.reason), async (change) => {
      const country = await this.lists.lockCountry(change, input.hostCountry);
      if (!country) throw notFound('Host country', input.hostCountry);
      const open = await this.lists.openVersion(change, country.code);
      if (open) {
        throw conflict(
          `Version ${open.version} of ${country.code} is already open (${open.status}); publish, reject or discard it first`,
        );
      }
      let basedOn: PositiveListVersionEntity | null | undefined;
      if (input.basedOnVersionId) {
        basedOn = await this.lists.findVersion(input.basedOnVersionId, change);
        if (!basedOn || basedOn.hostCountryCode !== country.code) {
          throw fieldError('input.basedOnVersionId', `is not a version of ${country.code}'s list`);
        }
      } else {
        [basedOn] = await this.lists.inForce([country.code], todayUtc(), change);
      }
      const principal = ctx.principal!;
      const version = Object.assign(new PositiveListVersionEntity(), {
        id: randomUUID(),
        hostCountryCode: country.code,
        version: await this.lists.nextVersionNumber(change, country.code),
        status: ListStatus.DRAFT,
        title: input.title,
        legalBasis: input.legalBasis ?? basedOn?.legalBasis ?? null,
        effectiveFrom: null,
        effectiveUntil: null,
        reviewDue: null,
        basedOnVersionId: basedOn?.id ?? null,
        createdById: principal.id,
        createdByName: principal.name,
        submittedById: null,
        submittedByName: null,
        approvedById: null,
        approvedByName: null,
        publishedAt: null,
        withdrawnAt: null,
      });
      const saved = await this.lists.saveVersion(change, version);
      let copied = 0;
      if (basedOn) {
        const entries = await this.lists.entriesInChange(change, basedOn.id);
        const sectorIds = await this.lists.sectorIdsOfEntries(
          change,
          entries.map((e) => e.id),
        );
        await this.lists.insertEntries(
          change,
          entries.map((e) => ({
            entry: Object.assign(new ActivityEntryEntity(), e, {
              id: randomUUID(),
              listVersionId: saved.id,
              revision: 1,
            }),
            sectorIds: sectorIds.get(e.id) ?? [],
          })),
        );
        copied = entries.length;
      }
      change.record({
        action: AuditAction.CREATE,
        entityType: 'PositiveListVersion',
        entityId: saved.id,
        hostCountry: saved.hostCountryCode,
        before: null,
        after: { ...(versionSnapshot(saved) as object), entriesCopied: copied },
      });
      return saved;
    });
  }

  async addEntry(
    ctx: RequestContext,
    input: { listVersionId: string; entry: EntryFieldsInput; reason: string },
  ): Promise<ActivityEntryEntity> {
    return this.changes.run(attributionOf(ctx, input.reason), async (change) => {
      const version = await this.lockedVersion(change, input.listVersionId);
      assertTransition('edit', version.status as ListStatus, version.version);
      const { data, sectors } = await this.checkedEntry(change, version, input.entry);
      await this.assertKeyFree(change, version, data.key);
      const entity = applyEntryData(
        Object.assign(new ActivityEntryEntity(), {
          id: randomUUID(),
          listVersionId: version.id,
          revision: 1,
        }),
        data,
      );
      await this.lists.insertEntries(change, [
        { entry: entity, sectorIds: data.sectorCodes.map((c) => sectors.byCode.get(c)!) },
      ]);
      change.record({
        action: AuditAction.CREATE,
        entityType: 'ActivityEntry',
        entityId: entity.id,
        hostCountry: version.hostCountryCode,
        before: null,
        after: entrySnapshot(entity, data.sectorCodes),
      });
      return entity;
    });
  }

  async updateEntry(
    ctx: RequestContext,
    input: { entryId: string; expectedRevision: number; entry: EntryFieldsInput; reason: string },
  ): Promise<ActivityEntryEntity> {
    return this.changes.run(attributionOf(ctx, input.reason), async (change) => {
      const current = await this.lists.findEntry(input.entryId, change);
      if (!current) throw notFound('Entry', input.entryId);
      const version = await this.lockedVersion(change, current.listVersionId);
      assertTransition('edit', version.status as ListStatus, version.version);
      const entry = await this.lists.entryForUpdate(change, input.entryId);
      if (!entry) throw notFound('Entry', input.entryId);
      const { data, sectors } = await this.checkedEntry(change, version, input.entry);
      if (data.key !== entry.key) await this.assertKeyFree(change, version, data.key);
      const before = entrySnapshot(entry, await this.sectorCodesOf(change, entry.id, sectors.byId));
      const updated = applyEntryData(Object.assign(new ActivityEntryEntity(), entry), data);
      const written = await this.lists.updateEntryAtRevision(
        change,
        updated,
        input.expectedRevision,
        data.sectorCodes.map((c) => sectors.byCode.get(c)!),
      );
      if (!written) {
        throw conflict(
          `Entry ${entry.key} is at revision ${entry.revision}, not ${input.expectedRevision}: someone changed it since you read it; reload and apply your change again`,
        );
      }
      updated.revision = input.expectedRevision + 1;
      change.record({
        action: AuditAction.UPDATE,
        entityType: 'ActivityEntry',
        entityId: entry.id,
        hostCountry: version.hostCountryCode,
        before,
        after: entrySnapshot(updated, data.sectorCodes),
      });
      return updated;
    });
  }

  async removeEntry(
    ctx: RequestContext,
    input: { entryId: string; reason: string },
  ): Promise<PositiveListVersionEntity> {
    return this.changes.run(attributionOf(ctx, input.reason), async (change) => {
      const current = await this.lists.findEntry(input.entryId, change);
      if (!current) throw notFound('Entry', input.entryId);
      const version = await this.lockedVersion(change, current.listVersionId);
      assertTransition('edit', version.status as ListStatus, version.version);
      const sectors = await this.sectorCodeMap(change, version.hostCountryCode);
      const codes = await this.sectorCodesOf(change, current.id, sectors.byId);
      await this.lists.deleteEntry(change, current.id);
      change.record({
        action: AuditAction.DELETE,
        entityType: 'ActivityEntry',
        entityId: current.id,
        hostCountry: version.hostCountryCode,
        before: entrySnapshot(current, codes),
        after: null,
      });
      return version;
    });
  }

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
      const version = await this.lockedVersion(change, listVersionId);
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
      assertTransition('submit', version.status as ListStatus, version.version);
      if ((await this.lists.countEntries(change, version.id)) === 0) {
        throw new DomainError(
          ErrorCode.INVALID_STATE,
          `Version ${version.version} has no entries: an empty list cannot be submitted`,
        );
      }
      version.status = ListStatus.SUBMITTED;
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
      assertTransition('reject', version.status as ListStatus, version.version);
      version.status = ListStatus.DRAFT;
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
      assertTransition('discard', version.status as ListStatus, version.version);
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
      assertTransition('publish', version.status as ListStatus, version.version);
      const principal = ctx.principal!;
      if (version.submittedById === principal.id) {
        throw forbidden(
          `Four eyes: ${principal.name} submitted version ${version.version} and cannot also publish it`,
        );
      }
      const today = todayUtc();
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
      version.status = ListStatus.PUBLISHED;
      version.effectiveFrom = input.effectiveFrom;
      version.reviewDue = input.reviewDue ?? null;
      version.approvedById = principal.id;
      version.approvedByName = principal.name;
      version.publishedAt = new Date();
      return { action: AuditAction.PUBLISH, result: await this.lists.saveVersion(change, version) };
    });
  }

  withdraw(
    ctx: RequestContext,
    input: { listVersionId: string; reason: string },
  ): Promise<PositiveListVersionEntity> {
    return this.transition(ctx, input.listVersionId, input.reason, async (change, version) => {
      const today = todayUtc();
      assertTransition(
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
      version.status = ListStatus.WITHDRAWN;
      version.withdrawnAt = new Date();
      return {
        action: AuditAction.WITHDRAW,
        result: await this.lists.saveVersion(change, version),
      };
    });
  }

  /** Field-level differences between two versions, entries matched by key. */
  async diff(
    ctx: RequestContext,
    fromId: string,
    toId: string,
  ): Promise<{ from: PositiveListVersionEntity; to: PositiveListVersionEntity } & EntryDiff> {
    const [from, to] = await Promise.all([
      this.findVisible(ctx, fromId),
      this.findVisible(ctx, toId),
    ]);
    if (!from) throw notFound('List version', fromId);
    if (!to) throw notFound('List version', toId);
    const entries = await this.lists.entriesOfVersions([from.id, to.id]);
    const sectors = await this.lists.sectorsOfEntries(entries.map((e) => e.id));
    const codes = new Map<string, string[]>();
    for (const { entryId, sector } of sectors)
      codes.set(entryId, [...(codes.get(entryId) ?? []), sector.code]);
    const side = (versionId: string) =>
      new Map(entries.filter((e) => e.listVersionId === versionId).map((e) => [e.key, e]));
    const before = side(from.id);
    const after = side(to.id);
    const changed: EntryDiff['changed'] = [];
    for (const [key, next] of after) {
      const previous = before.get(key);
      if (!previous) continue;
      const changes = fieldChanges(
        entryContent(previous, codes.get(previous.id) ?? []),
        entryContent(next, codes.get(next.id) ?? []),
      );
      if (changes.length) changed.push({ key, name: next.name, changes });
    }
    return {
      from,
      to,
      added: [...after.values()].filter((e) => !before.has(e.key)),
      removed: [...before.values()].filter((e) => !after.has(e.key)),
      changed,
    };
  }

  /** Entries of the lists in force on a date, across countries, a keyset page at a time. */
  async search(
    filter:
      | {
          hostCountries?: string[] | null;
          ipccSector?: string | null;
          ipccCategoryPrefix?: string | null;
          methodology?: string | null;
          kind?: EntrySearchFilter['kind'] | null;
          text?: string | null;
          on?: string | null;
        }
      | null
      | undefined,
    first?: number | null,
    after?: string | null,
  ) {
    const limit = pageSize(first);
    const cursor = decodeKeyCursor(ENTRY_CURSOR, after);
    const criteria: EntrySearchFilter = { on: filter?.on ?? todayUtc() };
    if (filter?.hostCountries?.length) criteria.hostCountries = filter.hostCountries;
    if (filter?.ipccSector) criteria.ipccSector = filter.ipccSector;
    if (filter?.ipccCategoryPrefix) criteria.ipccCategoryPrefix = filter.ipccCategoryPrefix;
    if (filter?.methodology) criteria.methodology = filter.methodology;
    if (filter?.kind) criteria.kind = filter.kind;
    if (filter?.text) criteria.text = filter.text;
    const rows = await this.lists.searchEntries(
      criteria,
      cursor ? { country: cursor[0], key: cursor[1] } : null,
      limit + 1,
    );
    const edges = rows.slice(0, limit).map(({ entry, country }) => ({
      cursor: encodeCursor(ENTRY_CURSOR, JSON.stringify([country, entry.key])),
      node: entry,
    }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
      countTotal: () => this.lists.countEntriesMatching(criteria),
    };
  }
}

export const ENTRY_CURSOR = 'entry';
