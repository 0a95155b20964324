// Long on purpose (~380 lines): every SQL statement about list versions and entries lives
// here and nowhere else, so the queries can be read, indexed and reviewed together.
import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, Not } from 'typeorm';
import { Change } from '../audit/change-runner';
import { HostCountryEntity } from '../countries/host-country.entity';
import { NdcSectorEntity } from '../countries/ndc-sector.entity';
import { ActivityEntryEntity } from './activity-entry.entity';
import { EntrySectorEntity } from './entry-sector.entity';
import { EntryKind, ListStatus } from './list-types';
import { PositiveListVersionEntity } from './positive-list-version.entity';

/**
 * "Version `v` is in force on the date in parameter `on`": published or withdrawn, taken
 * effect on or before it, and not ended (effectiveUntil is exclusive). The one definition,
 * used by every query that asks (docs/domain.md section 2).
 */
const inForceOn = (v: string, on: string): string =>
  `${v}.status IN ('${ListStatus.PUBLISHED}', '${ListStatus.WITHDRAWN}') ` +
  `AND ${v}.effective_from <= ${on} AND (${v}.effective_until IS NULL OR ${on} < ${v}.effective_until)`;

export interface EntrySearchFilter {
  on: string;
  hostCountries?: string[];
  ipccSector?: string;
  ipccCategoryPrefix?: string;
  methodology?: string;
  kind?: EntryKind;
  text?: string;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** All SQL about list versions and their entries. Writes take a {@link Change}. */
@Injectable()
export class ListsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get versions() {
    return this.dataSource.getRepository(PositiveListVersionEntity);
  }

  /**
   * Reads made while a change is open use its transaction: they see the change's own writes
   * and locks, and never wait for a second pool connection while holding one (under load, a
   * pool of N busy changes each waiting for an N+1th connection would stall).
   */
  private em(change?: Change) {
    return change?.manager ?? this.dataSource.manager;
  }

  findVersion(id: string, change?: Change): Promise<PositiveListVersionEntity | null> {
    return this.em(change).getRepository(PositiveListVersionEntity).findOneBy({ id });
  }

  versionsByIds(ids: string[]): Promise<PositiveListVersionEntity[]> {
    return this.versions.findBy({ id: In(ids) });
  }

  versionsOfCountries(codes: string[]): Promise<PositiveListVersionEntity[]> {
    return this.versions.find({
      where: { hostCountryCode: In(codes) },
      order: { version: 'DESC' },
    });
  }

  /** The version in force in each country on `on`, from stored effective dates. */
  async inForce(
    codes: string[],
    on: string,
    change?: Change,
  ): Promise<PositiveListVersionEntity[]> {
    return this.em(change)
      .getRepository(PositiveListVersionEntity)
      .createQueryBuilder('v')
      .where('v.host_country_code IN (:...codes)', { codes })
      .andWhere(inForceOn('v', ':on'), { on })
      .getMany();
  }

  /**
   * For each country: whether it is registered, and its version in force on `on`, in one
   * statement (the eligibility hot path asks both for every question).
   */
  async countriesWithListInForce(
    codes: string[],
    on: string,
  ): Promise<Map<string, PositiveListVersionEntity | null>> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT c.code AS country_code, v.*
         FROM host_country c
         LEFT JOIN positive_list_version v
           ON v.host_country_code = c.code AND ${inForceOn('v', '$2')}
        WHERE c.code = ANY($1::text[])
        ORDER BY v.effective_from NULLS FIRST`,
      [codes, on],
    );
    const metadata = this.dataSource.getMetadata(PositiveListVersionEntity);
    return new Map(
      rows.map((row) => {
        if (row.id === null) return [row.country_code as string, null];
        const version = new PositiveListVersionEntity();
        for (const column of metadata.columns) {
          (version as unknown as Record<string, unknown>)[column.propertyName] =
            row[column.databaseName];
        }
        return [row.country_code as string, version];
      }),
    );
  }

  entriesOfVersions(ids: string[]): Promise<ActivityEntryEntity[]> {
    return this.dataSource
      .getRepository(ActivityEntryEntity)
      .find({ where: { listVersionId: In(ids) }, order: { key: 'ASC' } });
  }

  /** The entries with one key in the given versions (at most one per version). */
  entriesWithKey(versionIds: string[], key: string): Promise<ActivityEntryEntity[]> {
    return this.dataSource
      .getRepository(ActivityEntryEntity)
      .findBy({ listVersionId: In(versionIds), key });
  }

  findEntry(id: string, change?: Change): Promise<ActivityEntryEntity | null> {
    return this.em(change).getRepository(ActivityEntryEntity).findOneBy({ id });
  }

  /** Sectors of each entry, for the per-request loader. */
  async sectorsOfEntries(
    entryIds: string[],
    change?: Change,
  ): Promise<{ entryId: string; sector: NdcSectorEntity }[]> {
    const rows = await this.em(change)
      .getRepository(EntrySectorEntity)
      .find({ where: { entryId: In(entryIds) }, relations: { sector: true } });
    return rows
      .map((r) => ({ entryId: r.entryId, sector: r.sector! }))
      .sort((a, b) => a.sector.code.localeCompare(b.sector.code));
  }

  /** Every published or withdrawn version (the ones whose content is fixed). */
  publishedVersions(): Promise<PositiveListVersionEntity[]> {
    return this.versions.find({
      where: { status: In([ListStatus.PUBLISHED, ListStatus.WITHDRAWN]) },
      order: { hostCountryCode: 'ASC', version: 'ASC' },
    });
  }

  /**
   * The content digest each version's PUBLISH audit event recorded. Read from the log itself
   * (hash-chained, so it cannot be changed unseen), not from the version row.
   */
  async recordedDigests(): Promise<Map<string, string>> {
    const rows: { id: string; digest: string }[] = await this.dataSource.query(
      `SELECT entity_id AS id, after->>'contentDigest' AS digest FROM audit_event
        WHERE action = 'PUBLISH' AND entity_type = 'PositiveListVersion'
          AND after->>'contentDigest' IS NOT NULL`,
    );
    return new Map(rows.map((r) => [r.id, r.digest]));
  }

  /** The sector codes of each entry (sorted), for snapshots, diffs and eligibility. */
  async sectorCodesOfEntries(entryIds: string[], change?: Change): Promise<Map<string, string[]>> {
    const codes = new Map<string, string[]>();
    if (entryIds.length === 0) return codes;
    for (const { entryId, sector } of await this.sectorsOfEntries(entryIds, change)) {
      const list = codes.get(entryId);
      if (list) list.push(sector.code);
      else codes.set(entryId, [sector.code]);
    }
    return codes;
  }

  async countryOfVersion(id: string, change?: Change): Promise<string | null> {
    return (
      (
        await this.em(change)
          .getRepository(PositiveListVersionEntity)
          .findOne({ select: { hostCountryCode: true }, where: { id } })
      )?.hostCountryCode ?? null
    );
  }

  async countryOfEntry(id: string): Promise<string | null> {
    const row = await this.dataSource
      .getRepository(ActivityEntryEntity)
      .findOne({ where: { id }, relations: { listVersion: true } });
    return row?.listVersion?.hostCountryCode ?? null;
  }

  // ---------------------------------------------------------------- inside a change

  /** Serializes every list change of one country (numbering, publishing, the timeline). */
  async lockCountry(change: Change, code: string): Promise<HostCountryEntity | null> {
    return change.manager
      .getRepository(HostCountryEntity)
      .findOne({ where: { code }, lock: { mode: 'pessimistic_write' } });
  }

  versionForUpdate(change: Change, id: string): Promise<PositiveListVersionEntity | null> {
    return change.manager
      .getRepository(PositiveListVersionEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async nextVersionNumber(change: Change, code: string): Promise<number> {
    const row = await change.manager
      .getRepository(PositiveListVersionEntity)
      .findOne({ where: { hostCountryCode: code }, order: { version: 'DESC' } });
    return (row?.version ?? 0) + 1;
  }

  openVersion(change: Change, code: string): Promise<PositiveListVersionEntity | null> {
    return change.manager
      .getRepository(PositiveListVersionEntity)
      .findOneBy({ hostCountryCode: code, status: In([ListStatus.DRAFT, ListStatus.SUBMITTED]) });
  }

  /** The published version with no end date: the last on the country's timeline. */
  timelineHead(change: Change, code: string): Promise<PositiveListVersionEntity | null> {
    return change.manager.getRepository(PositiveListVersionEntity).findOne({
      where: { hostCountryCode: code, status: ListStatus.PUBLISHED, effectiveUntil: IsNull() },
      order: { effectiveFrom: 'DESC' },
    });
  }

  /** The published version that a later one (taking effect on `date`) ended. */
  predecessorEndingOn(change: Change, code: string, date: string, exceptId: string) {
    return change.manager.getRepository(PositiveListVersionEntity).findOneBy({
      hostCountryCode: code,
      status: ListStatus.PUBLISHED,
      effectiveUntil: date,
      id: Not(exceptId),
    });
  }

  saveVersion(
    change: Change,
    version: PositiveListVersionEntity,
  ): Promise<PositiveListVersionEntity> {
    return change.manager.getRepository(PositiveListVersionEntity).save(version);
  }

  /**
   * The day after the last day on which any version of the country is in force (null when
   * none ever was): a new version may not take effect before it, since one version at most is
   * in force on any day. Empty spans (withdrawn before taking effect) do not count.
   */
  async firstFreeDay(
    change: Change,
    code: string,
  ): Promise<{ day: string; version: number } | null> {
    const rows: { day: string; version: number }[] = await change.manager.query(
      `SELECT effective_until AS day, version FROM positive_list_version
        WHERE host_country_code = $1 AND status IN ('${ListStatus.PUBLISHED}', '${ListStatus.WITHDRAWN}')
          AND effective_until IS NOT NULL AND effective_until > effective_from
        ORDER BY effective_until DESC LIMIT 1`,
      [code],
    );
    return rows[0] ?? null;
  }

  /** The sector codes of a version's entries, read inside a change (for the content digest). */
  async entriesWithSectorCodes(
    change: Change,
    versionId: string,
  ): Promise<(ActivityEntryEntity & { sectorCodes: string[] })[]> {
    const entries = await this.entriesInChange(change, versionId);
    const codes = await this.sectorCodesOfEntries(
      entries.map((e) => e.id),
      change,
    );
    return entries.map((e) => Object.assign(e, { sectorCodes: codes.get(e.id) ?? [] }));
  }

  entriesInChange(change: Change, versionId: string): Promise<ActivityEntryEntity[]> {
    return change.manager
      .getRepository(ActivityEntryEntity)
      .find({ where: { listVersionId: versionId }, order: { key: 'ASC' } });
  }

  async sectorIdsOfEntries(change: Change, entryIds: string[]): Promise<Map<string, string[]>> {
    const links = entryIds.length
      ? await change.manager.getRepository(EntrySectorEntity).findBy({ entryId: In(entryIds) })
      : [];
    const map = new Map<string, string[]>();
    for (const link of links)
      map.set(link.entryId, [...(map.get(link.entryId) ?? []), link.sectorId]);
    return map;
  }

  countEntries(change: Change, versionId: string): Promise<number> {
    return change.manager.getRepository(ActivityEntryEntity).countBy({ listVersionId: versionId });
  }

  entryForUpdate(change: Change, id: string): Promise<ActivityEntryEntity | null> {
    return change.manager
      .getRepository(ActivityEntryEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  entryByKey(change: Change, versionId: string, key: string): Promise<ActivityEntryEntity | null> {
    return change.manager
      .getRepository(ActivityEntryEntity)
      .findOneBy({ listVersionId: versionId, key });
  }

  sectorsOfCountry(change: Change, code: string): Promise<NdcSectorEntity[]> {
    return change.manager.getRepository(NdcSectorEntity).findBy({ hostCountryCode: code });
  }

  /** Inserts entries and their sector links. */
  async insertEntries(
    change: Change,
    entries: { entry: ActivityEntryEntity; sectorIds: string[] }[],
  ): Promise<void> {
    if (entries.length === 0) return;
    await change.manager.getRepository(ActivityEntryEntity).save(
      entries.map((e) => e.entry),
      { chunk: 200 },
    );
    const links = entries.flatMap(({ entry, sectorIds }) =>
      sectorIds.map((sectorId) =>
        Object.assign(new EntrySectorEntity(), { entryId: entry.id, sectorId }),
      ),
    );
    if (links.length)
      await change.manager.getRepository(EntrySectorEntity).save(links, { chunk: 500 });
  }

  /**
   * Optimistic concurrency: writes only if the row still has `expectedRevision`, in one
   * conditional UPDATE, and reports whether it did. Two writers holding the same revision
   * cannot both succeed.
   */
  async updateEntryAtRevision(
    change: Change,
    entry: ActivityEntryEntity,
    expectedRevision: number,
    sectorIds: string[],
  ): Promise<boolean> {
    const { id, createdAt: _c, updatedAt: _u, listVersion: _l, revision: _r, ...fields } = entry;
    const result = await change.manager
      .getRepository(ActivityEntryEntity)
      .createQueryBuilder()
      .update()
      .set({ ...fields, revision: () => 'revision + 1' })
      .where('id = :id AND revision = :expectedRevision', { id, expectedRevision })
      .execute();
    if (result.affected !== 1) return false;
    await change.manager.getRepository(EntrySectorEntity).delete({ entryId: id });
    await change.manager
      .getRepository(EntrySectorEntity)
      .save(
        sectorIds.map((sectorId) =>
          Object.assign(new EntrySectorEntity(), { entryId: id, sectorId }),
        ),
      );
    return true;
  }

  async deleteEntry(change: Change, id: string): Promise<void> {
    await change.manager.getRepository(ActivityEntryEntity).delete({ id });
  }

  // ---------------------------------------------------------------- search

  private searchQuery(filter: EntrySearchFilter) {
    const qb = this.dataSource
      .getRepository(ActivityEntryEntity)
      .createQueryBuilder('e')
      .innerJoin(PositiveListVersionEntity, 'v', 'v.id = e.list_version_id')
      .where(inForceOn('v', ':on'), { on: filter.on })
      .andWhere(
        '(e.valid_from IS NULL OR e.valid_from <= :on) AND (e.valid_until IS NULL OR :on <= e.valid_until)',
        { on: filter.on },
      );
    if (filter.hostCountries?.length)
      qb.andWhere('v.host_country_code IN (:...countries)', { countries: filter.hostCountries });
    if (filter.kind) qb.andWhere('e.kind = :kind', { kind: filter.kind });
    if (filter.methodology)
      qb.andWhere('lower(:methodology) = ANY (SELECT lower(m) FROM unnest(e.methodologies) m)', {
        methodology: filter.methodology,
      });
    if (filter.text) {
      qb.andWhere(
        `(e.name ILIKE :text OR e.description ILIKE :text OR EXISTS (SELECT 1 FROM unnest(e.technologies) t WHERE t ILIKE :text))`,
        { text: `%${escapeLike(filter.text)}%` },
      );
    }
    if (filter.ipccSector || filter.ipccCategoryPrefix) {
      const conditions = ['es.entry_id = e.id'];
      // An entry's sectors are its own country's (drafting and import resolve sector codes
      // within the list's host country). Within named countries, saying so lets PostgreSQL
      // start from those countries' few sectors and their entries (ix_activity_entry_sector_sector)
      // instead of probing the sectors of every entry of every list: a page of 20 in one
      // country read 1,850 buffers, now about 300 (issue #13). Across all countries the same
      // hint leads the planner astray (60,000 buffers instead of 1,900), so it is left out.
      if (filter.hostCountries?.length)
        conditions.push('s.host_country_code = v.host_country_code');
      if (filter.ipccSector) conditions.push('s.ipcc_sector = :ipccSector');
      if (filter.ipccCategoryPrefix) {
        conditions.push(
          'EXISTS (SELECT 1 FROM unnest(s.ipcc_categories) c WHERE c = :prefix OR c LIKE :prefixLike)',
        );
      }
      qb.andWhere(
        `EXISTS (SELECT 1 FROM activity_entry_sector es JOIN ndc_sector s ON s.id = es.sector_id WHERE ${conditions.join(' AND ')})`,
        {
          ipccSector: filter.ipccSector,
          prefix: filter.ipccCategoryPrefix,
          prefixLike: `${escapeLike(filter.ipccCategoryPrefix ?? '')}.%`,
        },
      );
    }
    return qb;
  }

  /** A keyset page ordered by (country, key): deep pages cost what the first does. */
  async searchEntries(
    filter: EntrySearchFilter,
    after: { country: string; key: string } | null,
    limit: number,
  ): Promise<{ entry: ActivityEntryEntity; country: string }[]> {
    const qb = this.searchQuery(filter).addSelect('v.host_country_code', 'country');
    if (after)
      qb.andWhere('(v.host_country_code, e.key) > (:afterCountry, :afterKey)', {
        afterCountry: after.country,
        afterKey: after.key,
      });
    const { entities, raw } = await qb
      .orderBy('v.host_country_code', 'ASC')
      .addOrderBy('e.key', 'ASC')
      .limit(limit)
      .getRawAndEntities<{ country: string }>();
    return entities.map((entry, i) => ({ entry, country: raw[i].country }));
  }

  countEntriesMatching(filter: EntrySearchFilter): Promise<number> {
    return this.searchQuery(filter).getCount();
  }
}
