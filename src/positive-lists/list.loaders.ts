import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { NdcSectorEntity } from '../countries/ndc-sector.entity';
import { groupedLoader, perRequest } from '../graphql/per-request';
import { ActivityEntryEntity } from './activity-entry.entity';
import { ListsRepository } from './lists.repository';
import { ListsInForce } from './lists-in-force';
import { PositiveListVersionEntity } from './positive-list-version.entity';

/** Which version a country has in force on a date; undefined: the country is not registered. */
export type ListInForce = { version: PositiveListVersionEntity | null } | undefined;

export interface ListLoaderSet {
  versionsByCountry: DataLoader<string, PositiveListVersionEntity[]>;
  listInForce: DataLoader<{ country: string; on: string }, ListInForce, string>;
  entriesByVersion: DataLoader<string, ActivityEntryEntity[]>;
  sectorsByEntry: DataLoader<string, NdcSectorEntity[]>;
}

/**
 * Per-request DataLoaders for everything a list fans out to: one query per relation per
 * tick, whatever the number of parents.
 */
@Injectable()
export class ListLoaders {
  constructor(
    private readonly lists: ListsRepository,
    private readonly inForce: ListsInForce,
  ) {}

  of(context: object): ListLoaderSet {
    return perRequest(context, this, () => ({
      versionsByCountry: groupedLoader(
        (codes) => this.lists.versionsOfCountries(codes),
        (v) => v.hostCountryCode,
      ),
      listInForce: inForceLoader(this.inForce),
      entriesByVersion: groupedLoader(
        (ids) => this.lists.entriesOfVersions(ids),
        (e) => e.listVersionId,
      ),
      sectorsByEntry: sectorsLoader(this.lists),
    }));
  }
}

/**
 * One lookup per date asked in a tick answers "registered?" and "which version?": from
 * memory, or one statement for what is not remembered.
 */
export function inForceLoader(
  lists: ListsInForce,
): DataLoader<{ country: string; on: string }, ListInForce, string> {
  return new DataLoader(
    async (keys) => {
      const found = new Map<string, ListInForce>();
      const dates = new Set(keys.map((k) => k.on));
      for (const on of dates) {
        const codes = keys.filter((k) => k.on === on).map((k) => k.country);
        for (const [code, version] of await lists.lookup(codes, on))
          found.set(JSON.stringify([code, on]), { version });
      }
      return keys.map((k) => found.get(JSON.stringify([k.country, k.on])));
    },
    { cacheKeyFn: (k) => JSON.stringify([k.country, k.on]) },
  );
}

function sectorsLoader(lists: ListsRepository): DataLoader<string, NdcSectorEntity[]> {
  const links = groupedLoader(
    (ids) => lists.sectorsOfEntries(ids),
    (l) => l.entryId,
  );
  return new DataLoader(async (ids) =>
    (await links.loadMany(ids)).map((group) =>
      group instanceof Error ? group : group.map((l) => l.sector),
    ),
  );
}
