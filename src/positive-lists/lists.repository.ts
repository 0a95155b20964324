// Long on purpose (~490 lines): every SQL statement about list versions and entries lives
// here and nowhere else, so the queries can be read, indexed and reviewed together.
import { Injectable } from '@nestjs/common';
import { DataSource, EntityMetadata, In, IsNull, Not } from 'typeorm';
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
      rows.map((row) => [
        row.country_code as string,
        row.id === null ? null : hydrate(new PositiveListVersionEntity(), metadata, row),
      ]),
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

  /**
   * One keyset page of the entries in force on `filter.on` that match `filter`, ordered by
   * (country, key), after `after`: deep pages cost what the first does. With `withTotal`, the
   * same statement also counts every match (`total`), so a page and its count are one round
   * trip and the matching is done once (issue #13: a search in one country cost two
   * statements and TypeORM's query building and hydration, twice what the rest of the
   * request did).
   */
  async searchEntries(
    filter: EntrySearchFilter,
    after: { country: string; key: string } | null,
    limit: number,
    withTotal: boolean,
  ): Promise<{ page: { entry: ActivityEntryEntity; country: string }[]; total: number | null }> {
    const sql = new SqlParameters();
    const matching = matchingEntries(filter, sql);
    const afterClause = (country: string, key: string) =>
      after ? `AND (${country}, ${key}) > (${sql.add(after.country)}, ${sql.add(after.key)})` : '';
    // Narrow rows (id, country, key) are matched, counted and sorted; only the page's
    // entries are read whole.
    const text = withTotal
      ? `WITH matching AS MATERIALIZED (SELECT e.id, v.host_country_code AS country, e.key ${matching}),
              page AS (SELECT id, country, key FROM matching m WHERE true ${afterClause('m.country', 'm.key')}
                        ORDER BY country, key LIMIT ${sql.add(limit)})
         SELECT (SELECT count(*) FROM matching)::int AS search_total, p.country AS search_country, e.*
           FROM (SELECT 1) one LEFT JOIN (page p JOIN activity_entry e ON e.id = p.id) ON true
          ORDER BY p.country, p.key`
      : `SELECT v.host_country_code AS search_country, e.* ${matching}
           ${afterClause('v.host_country_code', 'e.key')}
          ORDER BY v.host_country_code, e.key LIMIT ${sql.add(limit)}`;
    const rows: Record<string, unknown>[] = await this.dataSource.query(text, sql.values);
    const metadata = this.dataSource.getMetadata(ActivityEntryEntity);
    return {
      // With the total, a search that matches nothing still answers one row: the count.
      page: rows
        .filter((row) => row.id !== null)
        .map((row) => ({
          entry: hydrate(new ActivityEntryEntity(), metadata, row),
          country: row.search_country as string,
        })),
      total: withTotal ? ((rows[0]?.search_total as number | undefined) ?? 0) : null,
    };
  }

  async countEntriesMatching(filter: EntrySearchFilter): Promise<number> {
    const sql = new SqlParameters();
    const rows: { total: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS total ${matchingEntries(filter, sql)}`,
      sql.values,
    );
    return rows[0].total;
  }
}

/** Positional parameters ($1, $2, ...) of a statement written by hand. */
class SqlParameters {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * `FROM ... WHERE ...` of a search: the entries (`e`) of the versions (`v`) in force on the
 * date, valid on it, that match every filter given. The one definition of what a search
 * matches, for its pages and its count.
 */
function matchingEntries(filter: EntrySearchFilter, sql: SqlParameters): string {
  const on = `${sql.add(filter.on)}::date`;
  const where = [
    inForceOn('v', on),
    `(e.valid_from IS NULL OR e.valid_from <= ${on}) AND (e.valid_until IS NULL OR ${on} <= e.valid_until)`,
  ];
  const countries = filter.hostCountries?.length
    ? `${sql.add(filter.hostCountries)}::text[]`
    : null;
  if (countries) where.push(`v.host_country_code = ANY (${countries})`);
  if (filter.kind) where.push(`e.kind = ${sql.add(filter.kind)}`);
  if (filter.methodology) {
    where.push(
      `lower(${sql.add(filter.methodology)}) = ANY (SELECT lower(m) FROM unnest(e.methodologies) m)`,
    );
  }
  if (filter.text) {
    const text = sql.add(`%${escapeLike(filter.text)}%`);
    where.push(
      `(e.name ILIKE ${text} OR e.description ILIKE ${text} OR EXISTS (SELECT 1 FROM unnest(e.technologies) t WHERE t ILIKE ${text}))`,
    );
  }
  if (filter.ipccSector || filter.ipccCategoryPrefix) {
    const sector: string[] = [];
    if (filter.ipccSector) sector.push(`s.ipcc_sector = ${sql.add(filter.ipccSector)}`);
    if (filter.ipccCategoryPrefix) {
      const prefix = sql.add(filter.ipccCategoryPrefix);
      const prefixLike = sql.add(`${escapeLike(filter.ipccCategoryPrefix)}.%`);
      sector.push(
        `EXISTS (SELECT 1 FROM unnest(s.ipcc_categories) c WHERE c = ${prefix} OR c LIKE ${prefixLike})`,
      );
    }
    const sectorEntries = 'activity_entry_sector es JOIN ndc_sector s ON s.id = es.sector_id';
    // An entry's sectors are its own country's (drafting and import resolve sector codes
    // within the list's host country). Within named countries PostgreSQL can then start from
    // those countries' few matching sectors and their entries (ix_activity_entry_sector_sector):
    // a page of 20 in one country reads about 300 buffers instead of 1,850 (issue #13).
    // Across all countries that start leads the planner astray (60,000 buffers instead of
    // 1,900): there each entry's own sectors are probed.
    where.push(
      countries
        ? `e.id IN (SELECT es.entry_id FROM ${sectorEntries} WHERE s.host_country_code = ANY (${countries}) AND ${sector.join(' AND ')})`
        : `EXISTS (SELECT 1 FROM ${sectorEntries} WHERE es.entry_id = e.id AND ${sector.join(' AND ')})`,
    );
  }
  return `FROM activity_entry e JOIN positive_list_version v ON v.id = e.list_version_id
         WHERE ${where.join(' AND ')}`;
}

/** An entity from a row of its table's columns (`date`s stay strings, see data-source.ts). */
function hydrate<T extends object>(
  entity: T,
  metadata: EntityMetadata,
  row: Record<string, unknown>,
): T {
  for (const column of metadata.columns) {
    (entity as Record<string, unknown>)[column.propertyName] = row[column.databaseName];
  }
  return entity;
}
