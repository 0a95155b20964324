import { Injectable } from '@nestjs/common';
import { notFound } from '../common/errors';
import { CountryArgumentKind } from './access';

/** Loads the host country of the record an argument names; null when there is no such record. */
export type CountryLookup = (id: string) => Promise<string | null>;

/**
 * Resolves the country that a country-bound role is checked against. Feature modules
 * register a lookup for each kind of record they own, so the country always comes from the
 * stored record.
 */
@Injectable()
export class CountryScope {
  private readonly lookups = new Map<
    CountryArgumentKind,
    { what: string; lookup: CountryLookup }
  >();

  register(
    kind: Exclude<CountryArgumentKind, 'hostCountry'>,
    what: string,
    lookup: CountryLookup,
  ): void {
    this.lookups.set(kind, { what, lookup });
  }

  /**
   * What a caller bound to another country is told about a record of this country: that it
   * does not exist, exactly as for an id that names nothing, so ids reveal no owner.
   */
  hiddenFrom(kind: Exclude<CountryArgumentKind, 'hostCountry'>, value: string): Error {
    return notFound(this.lookups.get(kind)?.what ?? 'Record', value);
  }

  async countryOf(kind: CountryArgumentKind, value: string): Promise<string> {
    if (kind === 'hostCountry') return value.trim().toUpperCase();
    const entry = this.lookups.get(kind);
    if (!entry) throw new Error(`No country lookup registered for ${kind}`);
    const country = await entry.lookup(value);
    if (country === null) throw notFound(entry.what, value);
    return country;
  }
}
