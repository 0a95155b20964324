import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { AuditAction } from '../audit/audit-action';
import { attributionOf } from '../audit/attribution';
import { canonicalize } from '../audit/canonical-json';
import { Change, ChangeRunner } from '../audit/change-runner';
import { RequestContext } from '../auth/principal';
import { FieldProblem, notFound } from '../common/errors';
import { flatten } from '../graphql/input-validation.pipe';
import { isCalendarDate } from '../graphql/scalars';
import { ActivityEntryEntity } from './activity-entry.entity';
import { applyEntryData } from './drafting.service';
import { EntryFieldsInput, checkEntry } from './entry-rules';
import { EntryData } from './list-types';
import { EntryFields } from './lists.models';
import { ListsRepository } from './lists.repository';
import { PositiveListVersionEntity } from './positive-list-version.entity';
import { entryContent, entrySnapshot } from './snapshots';
import { assertTransition } from './workflow';

/** What an import does with a key the draft already has. */
export enum ImportMode {
  /** New keys are added; entries already on the draft are kept as they are. */
  ADD_ONLY = 'ADD_ONLY',
  /** New keys are added; entries already on the draft take the file's content. */
  UPSERT = 'UPSERT',
}

/** What became of one accepted row. */
export enum ImportAction {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  /** The draft already has this key with this content. */
  UNCHANGED = 'UNCHANGED',
  /** ADD_ONLY: the draft has this key with other content, which it keeps. */
  KEPT = 'KEPT',
}

/** One row of a file, read into the fields of one entry. */
export interface ImportRow {
  /** As a person finds it: the spreadsheet's row number, or the JSON array's item number. */
  row: number;
  fields: EntryFieldsInput;
}

/** A refused row: `field` is the entry field's path (`criteria[0].threshold`). */
export interface RowProblem extends FieldProblem {
  row: number;
}

export interface ImportOutcome {
  row: number;
  key: string;
  action: ImportAction;
}

export interface ImportResult {
  listVersion: PositiveListVersionEntity;
  dryRun: boolean;
  /** False when it was a dry run or any row was refused: then nothing changed. */
  applied: boolean;
  accepted: ImportOutcome[];
  refused: RowProblem[];
}

/**
 * The shape rules of one entry, as the API's input validation applies them to `EntryFields`
 * (the same class and messages), plus the dates the GraphQL Date scalar would check.
 */
async function shapeProblems(fields: EntryFieldsInput): Promise<FieldProblem[]> {
  const instance = plainToInstance(EntryFields, fields);
  // Paths relative to the entry (`criteria[0].threshold`), as the entry rules name them.
  const problems = flatten(await validate(instance, { forbidUnknownValues: true }), 'entry').map(
    (p) => ({ ...p, field: p.field.replace(/^entry\.?/, '') }),
  );
  for (const name of ['validFrom', 'validUntil', 'reviewDue'] as const) {
    const value = fields[name];
    if (value !== null && value !== undefined && !isCalendarDate(value))
      problems.push({ field: name, message: 'must be a date as YYYY-MM-DD' });
  }
  return problems;
}

/** An entry's content as compared between a file and a draft. */
const contentOf = (e: ActivityEntryEntity, sectorCodes: string[]): string =>
  canonicalize(entryContent(e, sectorCodes));

/**
 * Bulk import of entries into a draft (issue #16): every row passes the same rules as one
 * `addEntry`, and the whole file lands in one change, one audit event per entry, or nothing
 * does. A dry run walks the same path and rolls back, so its report is what the real import
 * would do.
 */
@Injectable()
export class EntryImportService {
  constructor(
    private readonly lists: ListsRepository,
    private readonly changes: ChangeRunner,
  ) {}

  async importEntries(
    ctx: RequestContext,
    input: {
      listVersionId: string;
      rows: ImportRow[];
      mode: ImportMode;
      dryRun: boolean;
      reason: string;
    },
  ): Promise<ImportResult> {
    return this.changes.run(attributionOf(ctx, input.reason), async (change) => {
      const version = await this.lists.versionForUpdate(change, input.listVersionId);
      if (!version) throw notFound('List version', input.listVersionId);
      assertTransition('edit', version.status, version.version);
      const plan = await this.plan(change, version, input.rows, input.mode);
      const applied = !input.dryRun && plan.refused.length === 0;
      if (applied) await this.apply(change, version, plan);
      if (!applied || plan.writes.length === 0) change.unchanged();
      return {
        listVersion: version,
        dryRun: input.dryRun,
        applied,
        accepted: plan.accepted,
        refused: plan.refused,
      };
    });
  }

  private async plan(
    change: Change,
    version: PositiveListVersionEntity,
    rows: ImportRow[],
    mode: ImportMode,
  ) {
    const sectors = await this.lists.sectorsOfCountry(change, version.hostCountryCode);
    const sectorIds = new Map(sectors.map((s) => [s.code, s.id]));
    const existing = await this.lists.entriesInChange(change, version.id);
    const existingCodes = await this.lists.sectorCodesOfEntries(
      existing.map((e) => e.id),
      change,
    );
    const byKey = new Map(existing.map((e) => [e.key, e]));
    const firstRowOfKey = new Map<string, number>();
    const accepted: ImportOutcome[] = [];
    const refused: RowProblem[] = [];
    const writes: { row: number; data: EntryData; current: ActivityEntryEntity | null }[] = [];

    for (const { row, fields } of rows) {
      const shape = await shapeProblems(fields);
      if (shape.length > 0) {
        refused.push(...shape.map((p) => ({ row, ...p })));
        continue;
      }
      const { entry: data, problems } = checkEntry(fields, new Set(sectorIds.keys()), '');
      // checkEntry names fields under `at`: strip the empty prefix's dot.
      const rules = problems.map((p) => ({ row, ...p, field: p.field.replace(/^\./, '') }));
      const earlier = firstRowOfKey.get(data.key);
      if (earlier !== undefined)
        rules.push({ row, field: 'key', message: `${data.key} is already on row ${earlier}` });
      else firstRowOfKey.set(data.key, row);
      if (rules.length > 0) {
        refused.push(...rules);
        continue;
      }
      const current = byKey.get(data.key) ?? null;
      const action = !current
        ? ImportAction.CREATED
        : contentOf(current, existingCodes.get(current.id) ?? []) ===
            contentOf(applyEntryData(new ActivityEntryEntity(), data), data.sectorCodes)
          ? ImportAction.UNCHANGED
          : mode === ImportMode.UPSERT
            ? ImportAction.UPDATED
            : ImportAction.KEPT;
      accepted.push({ row, key: data.key, action });
      if (action === ImportAction.CREATED || action === ImportAction.UPDATED)
        writes.push({ row, data, current });
    }
    return { accepted, refused, writes, sectorIds };
  }

  private async apply(
    change: Change,
    version: PositiveListVersionEntity,
    { writes, sectorIds }: Awaited<ReturnType<EntryImportService['plan']>>,
  ): Promise<void> {
    const idsOf = (data: EntryData) => data.sectorCodes.map((c) => sectorIds.get(c)!);
    const created = writes
      .filter((w) => !w.current)
      .map(({ data }) => ({
        entry: applyEntryData(
          Object.assign(new ActivityEntryEntity(), {
            id: randomUUID(),
            listVersionId: version.id,
            revision: 1,
          }),
          data,
        ),
        sectorIds: idsOf(data),
        sectorCodes: data.sectorCodes,
      }));
    await this.lists.insertEntries(change, created);
    for (const { entry, sectorCodes } of created) {
      change.record({
        action: AuditAction.CREATE,
        entityType: 'ActivityEntry',
        entityId: entry.id,
        hostCountry: version.hostCountryCode,
        before: null,
        after: entrySnapshot(entry, sectorCodes),
      });
    }
    const updates = writes.filter((w) => w.current);
    const beforeCodes = await this.lists.sectorCodesOfEntries(
      updates.map((w) => w.current!.id),
      change,
    );
    for (const { data, current } of updates) {
      const before = entrySnapshot(current!, beforeCodes.get(current!.id) ?? []);
      const updated = applyEntryData(Object.assign(new ActivityEntryEntity(), current), data);
      // The version is locked for this change, so the revision read above is still current.
      await this.lists.updateEntryAtRevision(change, updated, current!.revision, idsOf(data));
      updated.revision = current!.revision + 1;
      change.record({
        action: AuditAction.UPDATE,
        entityType: 'ActivityEntry',
        entityId: current!.id,
        hostCountry: version.hostCountryCode,
        before,
        after: entrySnapshot(updated, data.sectorCodes),
      });
    }
  }
}
