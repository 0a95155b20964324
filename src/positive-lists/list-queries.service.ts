import { Injectable, OnModuleInit } from '@nestjs/common';
import { FieldChange, fieldChanges } from '../audit/field-changes';
import { CountryScope } from '../auth/country-scope';
import { Clock } from '../common/clock';
import { RequestContext } from '../auth/principal';
import { notFound } from '../common/errors';
import { decodeKeyCursor, encodeCursor, pageSize } from '../graphql/pagination';
import { ActivityEntryEntity } from './activity-entry.entity';
import { UUID, isPublic, maySeeDrafts } from './list-visibility';
import { EntrySearchFilter, ListsRepository } from './lists.repository';
import { PositiveListVersionEntity } from './positive-list-version.entity';
import { entryContent } from './snapshots';
import { EntryHistoryChange } from './list-types';

export interface EntryDiff {
  added: ActivityEntryEntity[];
  removed: ActivityEntryEntity[];
  changed: { key: string; name: string; changes: FieldChange[] }[];
}

/** One published version that added, changed or removed an entry. */
export interface EntryHistoryStep {
  version: PositiveListVersionEntity;
  change: EntryHistoryChange;
  /** Field by field for CHANGED; empty when the entry appears or disappears whole. */
  changes: FieldChange[];
}

export const ENTRY_CURSOR = 'entry';

/** Reading lists: what a caller may see, diffs between versions, search across countries. */
@Injectable()
export class ListQueriesService implements OnModuleInit {
  constructor(
    private readonly lists: ListsRepository,
    private readonly countryScope: CountryScope,
    private readonly clock: Clock,
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
    const codes = await this.lists.sectorCodesOfEntries(entries.map((e) => e.id));
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

  /**
   * What the published versions of a country did to the entry with `key`, in version order:
   * the versions that added it, changed it (field by field, compared as `diff` compares) or
   * removed it; versions that left it as it was are not steps. Drafts never count, so the
   * history is the same for every caller. An unknown country or key has an empty history.
   */
  async entryHistory(hostCountry: string, key: string): Promise<EntryHistoryStep[]> {
    const versions = (await this.lists.versionsOfCountries([hostCountry]))
      .filter(isPublic)
      .sort((a, b) => a.version - b.version);
    if (!versions.length) return [];
    const entries = await this.lists.entriesWithKey(
      versions.map((v) => v.id),
      key,
    );
    if (!entries.length) return [];
    const codes = await this.lists.sectorCodesOfEntries(entries.map((e) => e.id));
    const byVersion = new Map(entries.map((e) => [e.listVersionId, e]));
    const steps: EntryHistoryStep[] = [];
    let previous: ActivityEntryEntity | undefined;
    for (const version of versions) {
      const current = byVersion.get(version.id);
      if (current && !previous) {
        steps.push({ version, change: EntryHistoryChange.ADDED, changes: [] });
      } else if (!current && previous) {
        steps.push({ version, change: EntryHistoryChange.REMOVED, changes: [] });
      } else if (current && previous) {
        const changes = fieldChanges(
          entryContent(previous, codes.get(previous.id) ?? []),
          entryContent(current, codes.get(current.id) ?? []),
        );
        if (changes.length) steps.push({ version, change: EntryHistoryChange.CHANGED, changes });
      }
      previous = current;
    }
    return steps;
  }

  /**
   * Entries of the lists in force on a date, across countries, a keyset page at a time.
   * `withTotal`: the caller will ask for the total, so it is counted with the page, in the same
   * statement; otherwise `countTotal` counts when (if ever) it is called.
   */
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
    withTotal = true,
  ) {
    const limit = pageSize(first);
    const cursor = decodeKeyCursor(ENTRY_CURSOR, after);
    const criteria: EntrySearchFilter = { on: filter?.on ?? this.clock.today() };
    if (filter?.hostCountries?.length) criteria.hostCountries = filter.hostCountries;
    if (filter?.ipccSector) criteria.ipccSector = filter.ipccSector;
    if (filter?.ipccCategoryPrefix) criteria.ipccCategoryPrefix = filter.ipccCategoryPrefix;
    if (filter?.methodology) criteria.methodology = filter.methodology;
    if (filter?.kind) criteria.kind = filter.kind;
    if (filter?.text) criteria.text = filter.text;
    const { page: rows, total } = await this.lists.searchEntries(
      criteria,
      cursor ? { country: cursor[0], key: cursor[1] } : null,
      limit + 1,
      withTotal,
    );
    const edges = rows.slice(0, limit).map(({ entry, country }) => ({
      cursor: encodeCursor(ENTRY_CURSOR, JSON.stringify([country, entry.key])),
      node: entry,
    }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
      countTotal: () =>
        total === null ? this.lists.countEntriesMatching(criteria) : Promise.resolve(total),
    };
  }
}
