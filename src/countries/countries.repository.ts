import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { Change } from '../audit/change-runner';
import { HostCountryEntity } from './host-country.entity';
import { IpccCategoryEntity } from './ipcc-category.entity';
import { NdcSectorEntity } from './ndc-sector.entity';

/** All SQL about host countries, their NDC sectors and the IPCC reference data. */
@Injectable()
export class CountriesRepository {
  constructor(private readonly dataSource: DataSource) {}

  listCountries(): Promise<HostCountryEntity[]> {
    return this.dataSource.getRepository(HostCountryEntity).find({ order: { code: 'ASC' } });
  }

  countriesByCodes(codes: string[]): Promise<HostCountryEntity[]> {
    return this.dataSource.getRepository(HostCountryEntity).findBy({ code: In(codes) });
  }

  findCountry(code: string): Promise<HostCountryEntity | null> {
    return this.dataSource.getRepository(HostCountryEntity).findOneBy({ code });
  }

  sectorsOfCountries(codes: string[]): Promise<NdcSectorEntity[]> {
    return this.dataSource.getRepository(NdcSectorEntity).find({
      where: { hostCountryCode: In(codes) },
      order: { hostCountryCode: 'ASC', code: 'ASC' },
    });
  }

  /** The subset of `codes` that are known IPCC 2006 categories. */
  async knownIpccCategories(codes: string[]): Promise<Set<string>> {
    if (codes.length === 0) return new Set();
    const rows = await this.dataSource
      .getRepository(IpccCategoryEntity)
      .find({ select: { code: true }, where: { code: In(codes) } });
    return new Set(rows.map((r) => r.code));
  }

  findCountryInChange(change: Change, code: string): Promise<HostCountryEntity | null> {
    return change.manager.getRepository(HostCountryEntity).findOneBy({ code });
  }

  insertCountry(change: Change, country: HostCountryEntity): Promise<HostCountryEntity> {
    return change.manager.getRepository(HostCountryEntity).save(country);
  }

  /** Locks the sector row (if any) so that concurrent upserts apply one after the other. */
  findSectorForUpdate(change: Change, hostCountryCode: string, code: string) {
    return change.manager.getRepository(NdcSectorEntity).findOne({
      where: { hostCountryCode, code },
      lock: { mode: 'pessimistic_write' },
    });
  }

  saveSector(change: Change, sector: NdcSectorEntity): Promise<NdcSectorEntity> {
    return change.manager.getRepository(NdcSectorEntity).save(sector);
  }
}
