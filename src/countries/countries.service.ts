import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditAction } from '../audit/audit-action';
import { JsonValue } from '../audit/canonical-json';
import { ChangeRunner } from '../audit/change-runner';
import { attributionOf } from '../audit/attribution';
import { RequestContext } from '../auth/principal';
import { FieldProblem, invalid, conflict, fieldError, notFound } from '../common/errors';
import { CountriesRepository } from './countries.repository';
import { RegisterHostCountryInput, UpsertNdcSectorInput } from './countries.models';
import { HostCountryEntity } from './host-country.entity';
import { categoryBelongsToSector } from './ipcc';
import { ISO_3166_ALPHA3 } from './iso3166';
import { NdcSectorEntity } from './ndc-sector.entity';

/** What the audit trail stores of a host country. */
export function countrySnapshot(country: HostCountryEntity): JsonValue {
  return { code: country.code, name: country.name, ndc: (country.ndc as JsonValue) ?? null };
}

/** What the audit trail stores of an NDC sector. */
export function sectorSnapshot(sector: NdcSectorEntity): JsonValue {
  return {
    id: sector.id,
    hostCountry: sector.hostCountryCode,
    code: sector.code,
    name: sector.name,
    ipccSector: sector.ipccSector,
    ipccCategories: sector.ipccCategories,
    description: sector.description,
  };
}

@Injectable()
export class CountriesService {
  constructor(
    private readonly countries: CountriesRepository,
    private readonly changes: ChangeRunner,
  ) {}

  listCountries(): Promise<HostCountryEntity[]> {
    return this.countries.listCountries();
  }

  findCountry(code: string): Promise<HostCountryEntity | null> {
    return this.countries.findCountry(code.trim().toUpperCase());
  }

  async registerHostCountry(
    ctx: RequestContext,
    input: RegisterHostCountryInput,
  ): Promise<HostCountryEntity> {
    if (!ISO_3166_ALPHA3.has(input.code)) {
      throw fieldError('input.code', `"${input.code}" is not an ISO 3166-1 alpha-3 country code`);
    }
    return this.changes.run(attributionOf(ctx, input.reason), async (change) => {
      if (await this.countries.findCountryInChange(change, input.code)) {
        throw conflict(`Host country ${input.code} is already registered`);
      }
      const country = new HostCountryEntity();
      country.code = input.code;
      country.name = input.name;
      country.ndc = input.ndc
        ? {
            title: input.ndc.title,
            version: input.ndc.version ?? null,
            submittedOn: input.ndc.submittedOn ?? null,
            url: input.ndc.url ?? null,
            netZeroTargetYear: input.ndc.netZeroTargetYear ?? null,
          }
        : null;
      const saved = await this.countries.insertCountry(change, country);
      change.record({
        action: AuditAction.CREATE,
        entityType: 'HostCountry',
        entityId: saved.code,
        hostCountry: saved.code,
        before: null,
        after: countrySnapshot(saved),
      });
      return saved;
    });
  }

  async upsertNdcSector(
    ctx: RequestContext,
    input: UpsertNdcSectorInput,
  ): Promise<NdcSectorEntity> {
    const categories = [...new Set(input.ipccCategories.map((c) => c.trim()))];
    const known = await this.countries.knownIpccCategories(categories);
    const problems: FieldProblem[] = [];
    input.ipccCategories.forEach((raw, i) => {
      const code = raw.trim();
      if (!known.has(code)) {
        problems.push({
          field: `input.ipccCategories[${i}]`,
          message: `"${code}" is not an IPCC 2006 category`,
        });
      } else if (!categoryBelongsToSector(code, input.ipccSector)) {
        problems.push({
          field: `input.ipccCategories[${i}]`,
          message: `"${code}" is not in the IPCC sector ${input.ipccSector}`,
        });
      }
    });
    if (problems.length > 0) {
      throw invalid('input', problems);
    }

    return this.changes.run(attributionOf(ctx, input.reason), async (change) => {
      if (!(await this.countries.findCountryInChange(change, input.hostCountry))) {
        throw notFound('Host country', input.hostCountry);
      }
      const existing = await this.countries.findSectorForUpdate(
        change,
        input.hostCountry,
        input.code,
      );
      const before = existing ? sectorSnapshot(existing) : null;
      const sector = existing ?? new NdcSectorEntity();
      if (!existing) {
        sector.id = randomUUID();
        sector.hostCountryCode = input.hostCountry;
        sector.code = input.code;
      }
      sector.name = input.name;
      sector.ipccSector = input.ipccSector;
      sector.ipccCategories = categories;
      sector.description = input.description ?? null;
      const after = sectorSnapshot(sector);
      if (existing && JSON.stringify(before) === JSON.stringify(after)) {
        change.unchanged();
        return existing;
      }
      const saved = await this.countries.saveSector(change, sector);
      change.record({
        action: existing ? AuditAction.UPDATE : AuditAction.CREATE,
        entityType: 'NdcSector',
        entityId: saved.id,
        hostCountry: saved.hostCountryCode,
        before,
        after,
      });
      return saved;
    });
  }
}
