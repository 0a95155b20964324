// Writing published lists as files: CSV (the import's layout, so a round trip is exact),
// JSON (the import's `EntryFields` array) and XLSX (typed cells, a sheet of lists and one
// describing the columns). Each writes as it goes, so a long export is never one string.
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import { Cell, Column, entryCells, entryColumns, TEMPLATE_CRITERIA } from './entry-columns';
import type { PublishedList } from './list-exports';

export enum ExportFormat {
  CSV = 'csv',
  JSON = 'json',
  XLSX = 'xlsx',
}

export const EXPORT_MEDIA_TYPES: Record<ExportFormat, string> = {
  [ExportFormat.CSV]: 'text/csv; charset=utf-8',
  [ExportFormat.JSON]: 'application/json; charset=utf-8',
  [ExportFormat.XLSX]: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Spreadsheets open UTF-8 CSV correctly only with a byte-order mark; the import drops it. */
const BOM = '\uFEFF';

/** One version's file, or the lists of many countries with each row saying whose it is. */
export interface ExportShape {
  /** Adds `hostCountry` and `listVersion` columns (and a Lists sheet): many countries. */
  manyLists: boolean;
}

const LIST_COLUMNS = ['hostCountry', 'listVersion'];

function columnsFor(lists: PublishedList[]): Column[] {
  const criteria = Math.max(
    1,
    ...lists.flatMap((l) => l.entries.map((e) => (e.criteria as unknown[]).length)),
  );
  return entryColumns(criteria);
}

const csvLine = (cells: Cell[]) =>
  stringify([cells.map((c) => (c === null ? '' : c))], { cast: { boolean: (b) => String(b) } });

/** The CSV export, a chunk per list. */
export function* csvExport(lists: PublishedList[], shape: ExportShape): Generator<string> {
  const columns = columnsFor(lists);
  yield BOM + csvLine([...(shape.manyLists ? LIST_COLUMNS : []), ...columns.map((c) => c.name)]);
  for (const list of lists) {
    const lead = shape.manyLists ? [list.hostCountry, list.version.version] : [];
    yield list.entries.map((entry) => csvLine([...lead, ...entryCells(entry, columns)])).join('');
  }
}

/** An empty CSV with every column and three criteria groups: what an official fills in. */
export function csvTemplate(): string {
  return BOM + csvLine(entryColumns(TEMPLATE_CRITERIA).map((c) => c.name));
}

const listSummary = (list: PublishedList) => ({
  hostCountry: list.hostCountry,
  version: list.version.version,
  listVersionId: list.version.id,
  title: list.version.title,
  status: list.version.status,
  effectiveFrom: list.version.effectiveFrom,
  effectiveUntil: list.version.effectiveUntil,
  contentDigest: list.version.contentDigest ?? null,
});

/**
 * The JSON export: one version's entries as the array `importEntries` takes, or for many
 * lists an array of each list's summary with its entries.
 */
export function* jsonExport(lists: PublishedList[], shape: ExportShape): Generator<string> {
  yield '[\n';
  if (!shape.manyLists) {
    const entries = lists.flatMap((l) => l.entries);
    yield entries.map((e) => JSON.stringify(e)).join(',\n');
  } else {
    let first = true;
    for (const list of lists) {
      yield (first ? '' : ',\n') + JSON.stringify({ ...listSummary(list), entries: list.entries });
      first = false;
    }
  }
  yield '\n]\n';
}

/** The XLSX export, streamed to `out`: Entries, (Lists,) and Columns sheets. */
export async function xlsxExport(
  lists: PublishedList[],
  shape: ExportShape,
  out: Writable,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  workbook.creator = 'Positive-list registry';
  const columns = columnsFor(lists);
  const sheet = workbook.addWorksheet('Entries', { views: [{ state: 'frozen', ySplit: 1 }] });
  const header = [...(shape.manyLists ? LIST_COLUMNS : []), ...columns.map((c) => c.name)];
  sheet.columns = header.map((name) => ({ header: name, key: name, width: 18 }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for (const list of lists) {
    const lead = shape.manyLists ? [list.hostCountry, list.version.version] : [];
    for (const entry of list.entries) {
      // Typed cells: a string cell is never run as a formula, so no escaping here.
      sheet.addRow([...lead, ...entryCells(entry, columns, (text) => text)]).commit();
    }
  }
  sheet.commit();
  if (shape.manyLists) {
    const summary = workbook.addWorksheet('Lists');
    const fields = Object.keys(listSummary(lists[0] ?? emptyList));
    summary.columns = fields.map((name) => ({ header: name, key: name, width: 20 }));
    summary.getRow(1).font = { bold: true };
    for (const list of lists) summary.addRow(listSummary(list)).commit();
    summary.commit();
  }
  const help = workbook.addWorksheet('Columns');
  help.columns = [
    { header: 'column', key: 'name', width: 36 },
    { header: 'takes', key: 'kind', width: 10 },
    { header: 'meaning', key: 'help', width: 80 },
  ];
  help.getRow(1).font = { bold: true };
  for (const column of columns) help.addRow(column).commit();
  help.commit();
  await workbook.commit();
}

const emptyList = {
  hostCountry: '',
  entries: [],
  version: {} as PublishedList['version'],
} satisfies PublishedList;
