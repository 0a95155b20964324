import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { groupedLoader, perRequest } from '../graphql/per-request';
import { CountriesRepository } from './countries.repository';
import { HostCountryEntity } from './host-country.entity';
import { NdcSectorEntity } from './ndc-sector.entity';

export interface CountryLoaderSet {
  countryByCode: DataLoader<string, HostCountryEntity | null>;
  sectorsByCountry: DataLoader<string, NdcSectorEntity[]>;
}

/** Per-request DataLoaders for countries and their sectors: one query per tick, not per parent. */
@Injectable()
export class CountryLoaders {
  constructor(private readonly countries: CountriesRepository) {}

  of(context: object): CountryLoaderSet {
    return perRequest(context, this, () => ({
      countryByCode: new DataLoader<string, HostCountryEntity | null>(async (codes) => {
        const found = new Map(
          (await this.countries.countriesByCodes([...codes])).map((c) => [c.code, c]),
        );
        return codes.map((code) => found.get(code) ?? null);
      }),
      sectorsByCountry: groupedLoader(
        (codes) => this.countries.sectorsOfCountries(codes),
        (s) => s.hostCountryCode,
      ),
    }));
  }
}
