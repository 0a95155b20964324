import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { CountriesRepository } from '../countries/countries.repository';
import { NdcSectorEntity } from '../countries/ndc-sector.entity';

/**
 * The per-request DataLoaders: every relation a list can fan out to is loaded in one query
 * per request tick, not one per parent. Created fresh for each request, so nothing is
 * cached across requests or shared between callers.
 */
export interface Loaders {
  sectorsByCountry: DataLoader<string, NdcSectorEntity[]>;
}

@Injectable()
export class LoadersFactory {
  constructor(private readonly countries: CountriesRepository) {}

  create(): Loaders {
    return {
      sectorsByCountry: new DataLoader(async (codes) => {
        const sectors = await this.countries.sectorsOfCountries([...codes]);
        return codes.map((code) => sectors.filter((s) => s.hostCountryCode === code));
      }),
    };
  }
}
