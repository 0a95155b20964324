import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { isCalendarDate } from '../graphql/scalars';
import { CountriesService } from '../countries/countries.service';
import { HostCountryEntity } from '../countries/host-country.entity';
import { NdcSectorEntity } from '../countries/ndc-sector.entity';
import { ActivityEntryEntity } from '../positive-lists/activity-entry.entity';
import { ListLoaders } from '../positive-lists/list.loaders';
import { ListsInForce } from '../positive-lists/lists-in-force';
import { PositiveListVersionEntity } from '../positive-lists/positive-list-version.entity';
import { PageError } from './page-error';

export interface CountryInForce {
  country: HostCountryEntity;
  version: PositiveListVersionEntity | null;
}

export interface EntryWithSectors {
  entry: ActivityEntryEntity;
  sectors: NdcSectorEntity[];
}

/**
 * What the public pages read, through the same services and per-request loaders as the
 * GraphQL resolvers (one domain, two edges). Only published content: nothing here can reach
 * a draft.
 */
@Injectable()
export class PublicLists {
  constructor(
    private readonly countries: CountriesService,
    private readonly inForce: ListsInForce,
    private readonly loaders: ListLoaders,
    private readonly clock: Clock,
  ) {}

  today(): string {
    return this.clock.today();
  }

  /** `?on=` as a date, or today; anything else is the reader's error. */
  dateParam(on: unknown): string {
    if (on === undefined || on === '') return this.clock.today();
    if (typeof on !== 'string') throw PageError.badDate(JSON.stringify(on));
    if (!isCalendarDate(on)) throw PageError.badDate(on);
    return on;
  }

  /** Every registered country with its version in force on `on` (null: none). */
  async countriesInForce(on: string): Promise<CountryInForce[]> {
    const countries = await this.countries.listCountries();
    const found = await this.inForce.lookup(
      countries.map((c) => c.code),
      on,
    );
    return countries.map((country) => ({ country, version: found.get(country.code) ?? null }));
  }

  /** A registered country by its ISO 3166 alpha-3 code, or a 404 page. */
  async country(code: string): Promise<HostCountryEntity> {
    const country = /^[A-Za-z]{3}$/.test(code)
      ? await this.countries.findCountry(code.toUpperCase())
      : null;
    if (!country) throw PageError.unknownCountry(code);
    return country;
  }

  /** The version a country has in force on `on`, or null. */
  async versionInForce(country: HostCountryEntity, on: string) {
    const found = await this.inForce.lookup([country.code], on);
    return found.get(country.code) ?? null;
  }

  /** The entries of a published version with their NDC sectors, ordered by key. */
  async entries(version: PositiveListVersionEntity): Promise<EntryWithSectors[]> {
    const loaders = this.loaders.of({});
    const entries = await loaders.entriesByVersion.load(version.id);
    const sectors = await loaders.sectorsByEntry.loadMany(entries.map((e) => e.id));
    return entries.map((entry, i) => {
      const found = sectors[i];
      return { entry, sectors: found instanceof Error ? [] : found };
    });
  }
}
