import { Injectable } from '@nestjs/common';
import { JsonValue } from '../audit/canonical-json';
import { CountriesService } from '../countries/countries.service';
import { ListLoaders } from '../positive-lists/list.loaders';
import { isPublic } from '../positive-lists/list-visibility';
import { ListsInForce } from '../positive-lists/lists-in-force';
import { PositiveListVersionEntity } from '../positive-lists/positive-list-version.entity';
import { entryContent } from '../positive-lists/snapshots';

/** A published version and its entries' content, as the exports write them. */
export interface PublishedList {
  hostCountry: string;
  version: PositiveListVersionEntity;
  /** Each entry's fields exactly as `EntryFields` takes them, ordered by key. */
  entries: Record<string, JsonValue>[];
}

/**
 * What the exports read: published versions only (a draft never leaves the registry this
 * way), through the same loaders as the GraphQL API and the portal.
 */
@Injectable()
export class ListExports {
  constructor(
    private readonly countries: CountriesService,
    private readonly inForce: ListsInForce,
    private readonly loaders: ListLoaders,
  ) {}

  /** A country's public version by number, or null when there is none (drafts included). */
  async version(code: string, number: number): Promise<PublishedList | null> {
    const versions = await this.loaders.of({}).versionsByCountry.load(code.toUpperCase());
    const version = versions.find((v) => v.version === number && isPublic(v));
    return version ? this.published(version) : null;
  }

  /** Every country's version in force on `on`, by country code. */
  async listsInForce(on: string): Promise<PublishedList[]> {
    const countries = await this.countries.listCountries();
    const found = await this.inForce.lookup(
      countries.map((c) => c.code),
      on,
    );
    const lists: PublishedList[] = [];
    for (const country of countries) {
      const version = found.get(country.code);
      if (version) lists.push(await this.published(version));
    }
    return lists;
  }

  private async published(version: PositiveListVersionEntity): Promise<PublishedList> {
    const loaders = this.loaders.of({});
    const entries = await loaders.entriesByVersion.load(version.id);
    const sectors = await loaders.sectorsByEntry.loadMany(entries.map((e) => e.id));
    return {
      hostCountry: version.hostCountryCode,
      version,
      entries: entries
        .map((entry, i) => {
          const found = sectors[i];
          if (found instanceof Error) throw found;
          return entryContent(
            entry,
            found.map((s) => s.code),
          );
        })
        .sort((a, b) => (a.key as string).localeCompare(b.key as string)),
    };
  }
}
