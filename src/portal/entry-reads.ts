import { Injectable } from '@nestjs/common';
import { HostCountryEntity } from '../countries/host-country.entity';
import { EntryHistoryStep, ListQueriesService } from '../positive-lists/list-queries.service';
import { ListLoaders } from '../positive-lists/list.loaders';
import { PositiveListVersionEntity } from '../positive-lists/positive-list-version.entity';
import { PageError } from './page-error';
import { EntryWithSectors, PublicLists } from './public-lists';

/** An entry as the version in force on a date lists it, and what the versions did to it. */
export interface EntryInForce {
  country: HostCountryEntity;
  on: string;
  version: PositiveListVersionEntity;
  item: EntryWithSectors;
  history: EntryHistoryStep[];
}

/** What the entry page reads: the same services as GraphQL's `listVersion` and `entryHistory`. */
@Injectable()
export class EntryReads {
  constructor(
    private readonly lists: PublicLists,
    private readonly loaders: ListLoaders,
    private readonly queries: ListQueriesService,
  ) {}

  /** The entry `key` of a country's list in force on `on`; a 404 page when there is none. */
  async entryInForce(code: string, key: string, on: string): Promise<EntryInForce> {
    const country = await this.lists.country(code);
    const version = await this.lists.versionInForce(country, on);
    if (!version) throw PageError.noListInForce(country.name, on);
    const loaders = this.loaders.of({});
    const entry = (await loaders.entriesByVersion.load(version.id)).find((e) => e.key === key);
    if (!entry) throw PageError.unknownEntry(country.name, key, on);
    const [sectors, history] = await Promise.all([
      loaders.sectorsByEntry.load(entry.id),
      this.queries.entryHistory(country.code, key),
    ]);
    return { country, on, version, item: { entry, sectors }, history };
  }
}
