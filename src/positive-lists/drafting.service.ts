import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditAction } from '../audit/audit-action';
import { attributionOf } from '../audit/attribution';
import { Change, ChangeRunner } from '../audit/change-runner';
import { JsonValue } from '../audit/canonical-json';
import { Clock } from '../common/clock';
import { RequestContext } from '../auth/principal';
import { invalid, conflict, fieldError, notFound } from '../common/errors';
import { ActivityEntryEntity } from './activity-entry.entity';
import { EntryFieldsInput, checkEntry } from './entry-rules';
import { EntryData, ListStatus } from './list-types';
import { ListsRepository } from './lists.repository';
import { PositiveListVersionEntity } from './positive-list-version.entity';
import { entrySnapshot, versionSnapshot } from './snapshots';
import { assertTransition } from './workflow';

export function applyEntryData(entity: ActivityEntryEntity, data: EntryData): ActivityEntryEntity {
  const { sectorCodes: _codes, ...fields } = data;
  return Object.assign(entity, fields);
}

/** A country's NDC sectors, both ways: code to id and id to code. */
interface SectorCodeMap {
  byCode: Map<string, string>;
  byId: Map<string, string>;
}

/** Drafting: opening a draft and editing its entries (docs/domain.md section 2 and 3). */
@Injectable()
export class DraftingService {
  constructor(
    private readonly lists: ListsRepository,
    private readonly changes: ChangeRunner,
    private readonly clock: Clock,
  ) {}

  async createDraft(
    ctx: RequestContext,
    input: {
      hostCountry: string;
      title: string;
      legalBasis?: string | null;
      basedOnVersionId?: string | null;
      reason: string;
    },
  ): Promise<PositiveListVersionEntity> {
    return this.changes.run(attributionOf(ctx, input.reason), async (change) => {
      const country = await this.lists.lockCountry(change, input.hostCountry);
      if (!country) throw notFound('Host country', input.hostCountry);
      const open = await this.lists.openVersion(change, country.code);
      if (open) {
        throw conflict(
          `Version ${open.version} of ${country.code} is already open (${open.status}); publish, reject or discard it first`,
        );
      }
      let basedOn: PositiveListVersionEntity | null | undefined;
      if (input.basedOnVersionId) {
        basedOn = await this.lists.findVersion(input.basedOnVersionId, change);
        if (!basedOn || basedOn.hostCountryCode !== country.code) {
          throw fieldError('input.basedOnVersionId', `is not a version of ${country.code}'s list`);
        }
      } else {
        [basedOn] = await this.lists.inForce([country.code], this.clock.today(), change);
      }
      const principal = ctx.principal!;
      const version = Object.assign(new PositiveListVersionEntity(), {
        id: randomUUID(),
        hostCountryCode: country.code,
        version: await this.lists.nextVersionNumber(change, country.code),
        status: ListStatus.DRAFT,
        title: input.title,
        legalBasis: input.legalBasis ?? basedOn?.legalBasis ?? null,
        effectiveFrom: null,
        effectiveUntil: null,
        reviewDue: null,
        basedOnVersionId: basedOn?.id ?? null,
        createdById: principal.id,
        createdByName: principal.name,
        submittedById: null,
        submittedByName: null,
        approvedById: null,
        approvedByName: null,
        publishedAt: null,
        withdrawnAt: null,
      });
      const saved = await this.lists.saveVersion(change, version);
      // What was copied goes into the creation event in full (the source version and every
      // new entry with its content), so each entry's history is complete from the audit
      // trail alone, without reading the source version's rows.
      let copy: { copiedFrom: JsonValue; copiedEntries: JsonValue[] } | undefined;
      if (basedOn) {
        const entries = await this.lists.entriesInChange(change, basedOn.id);
        const ids = entries.map((e) => e.id);
        const sectorIds = await this.lists.sectorIdsOfEntries(change, ids);
        const sectorCodes = await this.lists.sectorCodesOfEntries(ids, change);
        const copies = entries.map((e) => ({
          entry: Object.assign(new ActivityEntryEntity(), e, {
            id: randomUUID(),
            listVersionId: saved.id,
            revision: 1,
          }),
          sectorIds: sectorIds.get(e.id) ?? [],
          sectorCodes: sectorCodes.get(e.id) ?? [],
        }));
        await this.lists.insertEntries(change, copies);
        copy = {
          copiedFrom: {
            id: basedOn.id,
            version: basedOn.version,
            status: basedOn.status,
            contentDigest: basedOn.contentDigest ?? null,
          },
          copiedEntries: copies.map((c) => entrySnapshot(c.entry, c.sectorCodes)),
        };
      }
      change.record({
        action: AuditAction.CREATE,
        entityType: 'PositiveListVersion',
        entityId: saved.id,
        hostCountry: saved.hostCountryCode,
        before: null,
        after: {
          ...(versionSnapshot(saved) as object),
          entriesCopied: copy?.copiedEntries.length ?? 0,
          ...(copy ?? {}),
        },
      });
      return saved;
    });
  }

  async addEntry(
    ctx: RequestContext,
    input: { listVersionId: string; entry: EntryFieldsInput; reason: string },
  ): Promise<ActivityEntryEntity> {
    return this.changes.run(attributionOf(ctx, input.reason), async (change) => {
      const version = await this.lists.versionForUpdate(change, input.listVersionId);
      if (!version) throw notFound('List version', input.listVersionId);
      assertTransition('edit', version.status, version.version);
      const { data, sectors } = await this.checkedEntry(change, version, input.entry);
      await this.assertKeyFree(change, version, data.key);
      const entity = applyEntryData(
        Object.assign(new ActivityEntryEntity(), {
          id: randomUUID(),
          listVersionId: version.id,
          revision: 1,
        }),
        data,
      );
      await this.lists.insertEntries(change, [
        { entry: entity, sectorIds: data.sectorCodes.map((c) => sectors.byCode.get(c)!) },
      ]);
      change.record({
        action: AuditAction.CREATE,
        entityType: 'ActivityEntry',
        entityId: entity.id,
        hostCountry: version.hostCountryCode,
        before: null,
        after: entrySnapshot(entity, data.sectorCodes),
      });
      return entity;
    });
  }

  async updateEntry(
    ctx: RequestContext,
    input: { entryId: string; expectedRevision: number; entry: EntryFieldsInput; reason: string },
  ): Promise<ActivityEntryEntity> {
    return this.changes.run(attributionOf(ctx, input.reason), async (change) => {
      const { entry, version } = await this.editableEntry(change, input.entryId);
      const { data, sectors } = await this.checkedEntry(change, version, input.entry);
      if (data.key !== entry.key) await this.assertKeyFree(change, version, data.key);
      const before = entrySnapshot(entry, await this.sectorCodesOf(change, entry.id, sectors.byId));
      const updated = applyEntryData(Object.assign(new ActivityEntryEntity(), entry), data);
      const written = await this.lists.updateEntryAtRevision(
        change,
        updated,
        input.expectedRevision,
        data.sectorCodes.map((c) => sectors.byCode.get(c)!),
      );
      if (!written) {
        throw conflict(
          `Entry ${entry.key} is at revision ${entry.revision}, not ${input.expectedRevision}: someone changed it since you read it; reload and apply your change again`,
        );
      }
      updated.revision = input.expectedRevision + 1;
      change.record({
        action: AuditAction.UPDATE,
        entityType: 'ActivityEntry',
        entityId: entry.id,
        hostCountry: version.hostCountryCode,
        before,
        after: entrySnapshot(updated, data.sectorCodes),
      });
      return updated;
    });
  }

  async removeEntry(
    ctx: RequestContext,
    input: { entryId: string; reason: string },
  ): Promise<PositiveListVersionEntity> {
    return this.changes.run(attributionOf(ctx, input.reason), async (change) => {
      const { entry: current, version } = await this.editableEntry(change, input.entryId);
      const sectors = await this.sectorCodeMap(change, version.hostCountryCode);
      const codes = await this.sectorCodesOf(change, current.id, sectors.byId);
      await this.lists.deleteEntry(change, current.id);
      change.record({
        action: AuditAction.DELETE,
        entityType: 'ActivityEntry',
        entityId: current.id,
        hostCountry: version.hostCountryCode,
        before: entrySnapshot(current, codes),
        after: null,
      });
      return version;
    });
  }

  /** An entry and its version, locked, when the version may still be edited. */
  private async editableEntry(
    change: Change,
    entryId: string,
  ): Promise<{ entry: ActivityEntryEntity; version: PositiveListVersionEntity }> {
    const found = await this.lists.findEntry(entryId, change);
    if (!found) throw notFound('Entry', entryId);
    const version = await this.lists.versionForUpdate(change, found.listVersionId);
    if (!version) throw notFound('List version', found.listVersionId);
    assertTransition('edit', version.status, version.version);
    const entry = await this.lists.entryForUpdate(change, entryId);
    if (!entry) throw notFound('Entry', entryId);
    return { entry, version };
  }

  /** Validates an entry against the rules and the country's sectors, or throws every problem. */
  private async checkedEntry(
    change: Change,
    version: PositiveListVersionEntity,
    input: EntryFieldsInput,
  ) {
    const sectors = await this.sectorCodeMap(change, version.hostCountryCode);
    const { entry: data, problems } = checkEntry(
      input,
      new Set(sectors.byCode.keys()),
      'input.entry',
    );
    if (problems.length) {
      throw invalid('entry', problems);
    }
    return { data, sectors };
  }

  private async assertKeyFree(
    change: Change,
    version: PositiveListVersionEntity,
    key: string,
  ): Promise<void> {
    if (await this.lists.entryByKey(change, version.id, key)) {
      throw conflict(`An entry with key ${key} is already on version ${version.version}`);
    }
  }

  /** The sector codes an entry is linked to now. */
  private async sectorCodesOf(
    change: Change,
    entryId: string,
    byId: Map<string, string>,
  ): Promise<string[]> {
    return ((await this.lists.sectorIdsOfEntries(change, [entryId])).get(entryId) ?? []).map((id) =>
      byId.get(id)!,
    );
  }

  private async sectorCodeMap(change: Change, country: string): Promise<SectorCodeMap> {
    const sectors = await this.lists.sectorsOfCountry(change, country);
    return {
      byCode: new Map(sectors.map((s) => [s.code, s.id])),
      byId: new Map(sectors.map((s) => [s.id, s.code])),
    };
  }
}
