import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { CountriesRepository } from '../countries/countries.repository';
import { HostCountryEntity } from '../countries/host-country.entity';
import { NdcSectorEntity } from '../countries/ndc-sector.entity';
import { ActivityEntryEntity } from '../positive-lists/activity-entry.entity';
import { ListsRepository } from '../positive-lists/lists.repository';
import { PositiveListVersionEntity } from '../positive-lists/positive-list-version.entity';

/**
 * The per-request DataLoaders: every relation a list can fan out to is loaded in one query
 * per request tick, not one per parent. Created fresh for each request, so nothing is
 * cached across requests or shared between callers.
 */
export interface Loaders {
  countryByCode: DataLoader<string, HostCountryEntity | null>;
  sectorsByCountry: DataLoader<string, NdcSectorEntity[]>;
  versionsByCountry: DataLoader<string, PositiveListVersionEntity[]>;
  /** Key: `<country>|<YYYY-MM-DD>`; undefined when the country is not registered. */
  countryListInForce: DataLoader<string, { version: PositiveListVersionEntity | null } | undefined>;
  entriesByVersion: DataLoader<string, ActivityEntryEntity[]>;
  sectorsByEntry: DataLoader<string, NdcSectorEntity[]>;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}

@Injectable()
export class LoadersFactory {
  constructor(
    private readonly countries: CountriesRepository,
    private readonly lists: ListsRepository,
  ) {}

  create(): Loaders {
    return {
      countryByCode: new DataLoader(async (codes) => {
        const found = new Map(
          (await this.countries.countriesByCodes([...codes])).map((c) => [c.code, c]),
        );
        return codes.map((code) => found.get(code) ?? null);
      }),
      sectorsByCountry: new DataLoader(async (codes) => {
        const byCountry = groupBy(
          await this.countries.sectorsOfCountries([...codes]),
          (s) => s.hostCountryCode,
        );
        return codes.map((code) => byCountry.get(code) ?? []);
      }),
      versionsByCountry: new DataLoader(async (codes) => {
        const byCountry = groupBy(
          await this.lists.versionsOfCountries([...codes]),
          (v) => v.hostCountryCode,
        );
        return codes.map((code) => byCountry.get(code) ?? []);
      }),
      countryListInForce: new DataLoader(async (keys) => {
        const found = new Map<string, { version: PositiveListVersionEntity | null }>();
        for (const [date, dateKeys] of groupBy([...keys], (k) => k.split('|')[1])) {
          const versions = await this.lists.countriesWithListInForce(
            dateKeys.map((k) => k.split('|')[0]),
            date,
          );
          for (const [code, version] of versions) found.set(`${code}|${date}`, { version });
        }
        return keys.map((k) => found.get(k));
      }),
      entriesByVersion: new DataLoader(async (ids) => {
        const byVersion = groupBy(
          await this.lists.entriesOfVersions([...ids]),
          (e) => e.listVersionId,
        );
        return ids.map((id) => byVersion.get(id) ?? []);
      }),
      sectorsByEntry: new DataLoader(async (ids) => {
        const links = await this.lists.sectorsOfEntries([...ids]);
        const byEntry = groupBy(links, (l) => l.entryId);
        return ids.map((id) => (byEntry.get(id) ?? []).map((l) => l.sector));
      }),
    };
  }
}
