import { NdcSectorEntity } from '../countries/ndc-sector.entity';
import { ActivityEntryEntity } from './activity-entry.entity';
import { EntryKind } from './list-types';

export interface EntryFilter {
  kind?: EntryKind | null;
  sectorCode?: string | null;
  /** Case-insensitive substring of the name, description or a technology. */
  search?: string | null;
}

/**
 * The entries of a version that pass the `entries(kind, sectorCode, search)` arguments, in
 * their order. `sectorCodes` must be given for every entry when `sectorCode` is set.
 */
export function filterEntries(
  entries: { entry: ActivityEntryEntity; sectorCodes?: string[] }[],
  filter: EntryFilter,
): ActivityEntryEntity[] {
  const needle = filter.search?.trim().toLowerCase();
  return entries
    .filter(({ entry, sectorCodes }) => {
      if (filter.kind && entry.kind !== filter.kind) return false;
      if (
        needle &&
        ![entry.name, entry.description ?? '', ...entry.technologies].some((text) =>
          text.toLowerCase().includes(needle),
        )
      )
        return false;
      if (filter.sectorCode && !(sectorCodes ?? []).includes(filter.sectorCode)) return false;
      return true;
    })
    .map(({ entry }) => entry);
}

/** The sector codes of one entry as a loader gives them (an Error counts as none). */
export function sectorCodesOf(sectors: NdcSectorEntity[] | Error): string[] {
  return sectors instanceof Error ? [] : sectors.map((s) => s.code);
}
