import { Injectable } from '@nestjs/common';
import { RequestContext } from '../auth/principal';
import { badInput } from '../common/errors';
import {
  EntryImportService,
  ImportAction,
  ImportMode,
  ImportOutcome,
} from '../positive-lists/entry-import.service';
import { PositiveListVersionEntity } from '../positive-lists/positive-list-version.entity';
import { EntryFileFormat, FileProblem, readEntryFile } from './entry-file';

/** What an import did, or would do (a dry run): the report an official reads. */
export interface EntryImportReport {
  listVersion: PositiveListVersionEntity;
  format: EntryFileFormat;
  dryRun: boolean;
  applied: boolean;
  rows: number;
  accepted: ImportOutcome[];
  refused: FileProblem[];
  created: number;
  updated: number;
  unchanged: number;
  kept: number;
}

export interface ImportEntriesRequest {
  listVersionId: string;
  content: string;
  format?: EntryFileFormat | null;
  mode?: ImportMode | null;
  dryRun?: boolean | null;
  reason: string;
}

/**
 * Imports a CSV or JSON file of entries into a draft: the file's rows through the same rules
 * as `addEntry`, every refusal named by row and column. A real import with any refused row
 * changes nothing and fails with BAD_USER_INPUT listing them (`rows[7].criterion1.threshold`);
 * a dry run reports the same without failing.
 */
@Injectable()
export class EntryFileImport {
  constructor(private readonly entries: EntryImportService) {}

  async importEntries(
    ctx: RequestContext,
    request: ImportEntriesRequest,
  ): Promise<EntryImportReport> {
    const file = readEntryFile(request.content, request.format);
    const dryRun = request.dryRun ?? false;
    const result = await this.entries.importEntries(ctx, {
      listVersionId: request.listVersionId,
      rows: file.rows,
      mode: request.mode ?? ImportMode.ADD_ONLY,
      // A row that could not even be read refuses the import: the domain sees the rest only
      // to report on them.
      dryRun: dryRun || file.problems.length > 0,
      reason: request.reason,
    });
    const named = new Set(file.problems.map((p) => `${p.row}\u0000${p.column}`));
    const refused = [
      ...file.problems,
      ...result.refused
        .map((p) => ({ row: p.row, column: file.columnOf(p.row, p.field), message: p.message }))
        // A cell that could not be read is named once, not again for being empty.
        .filter((p) => !named.has(`${p.row}\u0000${p.column}`)),
    ].sort((a, b) => a.row - b.row);
    const refusedRows = new Set(refused.map((p) => p.row));
    const accepted = result.accepted.filter((a) => !refusedRows.has(a.row));
    if (!dryRun && refused.length > 0) {
      throw badInput(
        `${refusedRows.size} of ${file.rows.length} rows refused, so nothing was imported: ` +
          refused
            .slice(0, 20)
            .map((p) => `row ${p.row}, ${p.column}: ${p.message}`)
            .join('; ') +
          (refused.length > 20 ? `; and ${refused.length - 20} more` : ''),
        refused.map((p) => ({ field: `rows[${p.row}].${p.column}`, message: p.message })),
      );
    }
    const count = (action: ImportAction) => accepted.filter((a) => a.action === action).length;
    return {
      listVersion: result.listVersion,
      format: file.format,
      dryRun,
      applied: result.applied && refused.length === 0,
      rows: file.rows.length,
      accepted,
      refused,
      created: count(ImportAction.CREATED),
      updated: count(ImportAction.UPDATED),
      unchanged: count(ImportAction.UNCHANGED),
      kept: count(ImportAction.KEPT),
    };
  }
}
