// Reading a file of entries (CSV or JSON) into rows for the import. File-level faults (not
// CSV or JSON, wrong encoding, missing or unknown columns) refuse the whole file; cell-level
// faults refuse their row, named by row and column as a spreadsheet shows them.
import { parse } from 'csv-parse/sync';
import { badInput } from '../common/errors';
import type { EntryFieldsInput } from '../positive-lists/entry-rules';
import type { ImportRow } from '../positive-lists/entry-import.service';
import { ENTRY_FIELDS } from '../positive-lists/content-digest';
import { REQUIRED_COLUMNS, columnNamed, columnOfField, entryFromCells } from './entry-columns';

export enum EntryFileFormat {
  CSV = 'CSV',
  JSON = 'JSON',
}

/** Entries per file: more than any country's list, few enough for one transaction. */
export const MAX_IMPORT_ROWS = 5000;

/** A problem with one cell (CSV) or one field (JSON) of one row. */
export interface FileProblem {
  row: number;
  column: string;
  message: string;
}

export interface EntryFile {
  format: EntryFileFormat;
  rows: ImportRow[];
  /** Cells that could not be read as what their column takes. */
  problems: FileProblem[];
  /** The column (CSV) or field path (JSON) that a validation problem on `field` concerns. */
  columnOf(row: number, field: string): string;
}

/** The fields of `EntryFields`: a JSON entry has these and no others. */
const FIELDS_OF_ENTRY = new Set<string>(ENTRY_FIELDS);

/**
 * Refuses bytes that are not UTF-8 text: another encoding, or another kind of file. Callers
 * that hold bytes (the CLI, HTTP uploads) decode with this; GraphQL hands over a string.
 */
export function decodeEntryFile(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 5)).toString('latin1');
  if (head.startsWith('PK\u0003\u0004'))
    throw badInput(
      'The file is a spreadsheet or an archive, not CSV or JSON: save it as CSV UTF-8',
    );
  if (head.startsWith('%PDF'))
    throw badInput('The file is a PDF, not CSV or JSON: copy its table into the CSV template');
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    throw badInput('The file is encoded as UTF-16: save it as CSV UTF-8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badInput(
      'The file is not UTF-8 text (another encoding, such as Windows-1252, or not text at all): save it as CSV UTF-8',
    );
  }
}

/** The rows of a CSV or JSON file of entries; `format` is guessed from the content when absent. */
export function readEntryFile(content: string, format?: EntryFileFormat | null): EntryFile {
  const text = content.replace(/^\uFEFF/, '');
  if (text.includes('\u0000'))
    throw badInput('The file holds NUL characters: it is UTF-16 or binary, not CSV UTF-8 or JSON');
  if (text.includes('\uFFFD'))
    throw badInput(
      'The file holds characters that were not valid UTF-8 (shown as \uFFFD): save it as CSV UTF-8',
    );
  if (text.trim() === '') throw badInput('The file is empty');
  const chosen = format ?? (/^\s*[[{]/.test(text) ? EntryFileFormat.JSON : EntryFileFormat.CSV);
  return chosen === EntryFileFormat.JSON ? readJson(text) : readCsv(text);
}

function tooMany(rows: number): void {
  if (rows > MAX_IMPORT_ROWS)
    throw badInput(`The file has ${rows} entries; at most ${MAX_IMPORT_ROWS} per import`);
}

function readCsv(text: string): EntryFile {
  let records: string[][];
  try {
    const parsed: string[][] = parse(text, { relax_column_count: true, skip_empty_lines: false });
    records = parsed;
  } catch (error) {
    throw badInput(`The file is not readable as CSV: ${(error as Error).message}`);
  }
  const header = (records[0] ?? []).map((name) => name.trim());
  if (header.length === 1 && /[;\t]/.test(header[0]))
    throw badInput(
      'The header is one column holding ; or tabs: the file must be comma-separated (CSV UTF-8), with ; only inside multi-valued cells',
    );
  const unknown = header.filter((name) => !columnNamed(name));
  if (unknown.length > 0)
    throw badInput(
      `Unknown columns: ${unknown.map((n) => JSON.stringify(n)).join(', ')}; the CSV template (GET /templates/entries.csv) lists every column`,
    );
  const twice = header.filter((name, i) => header.indexOf(name) !== i);
  if (twice.length > 0) throw badInput(`Columns named twice: ${[...new Set(twice)].join(', ')}`);
  const missing = REQUIRED_COLUMNS.filter((name) => !header.includes(name));
  if (missing.length > 0) throw badInput(`Missing columns: ${missing.join(', ')}`);

  const rows: ImportRow[] = [];
  const problems: FileProblem[] = [];
  const groups = new Map<number, number[]>();
  records.slice(1).forEach((record, i) => {
    // Row numbers as a spreadsheet shows them: the header is row 1.
    const row = i + 2;
    if (record.every((cell) => cell.trim() === '')) return;
    if (record.length > header.length && record.slice(header.length).some((c) => c.trim()))
      problems.push({
        row,
        column: `(cell ${header.length + 1})`,
        message: `has ${record.length} cells, the header ${header.length} columns`,
      });
    const read = entryFromCells(header, record);
    problems.push(...read.problems.map((p) => ({ row, ...p })));
    groups.set(row, read.criterionGroups);
    rows.push({ row, fields: read.fields });
  });
  tooMany(rows.length);
  return {
    format: EntryFileFormat.CSV,
    rows,
    problems,
    columnOf: (row, field) => columnOfField(field, groups.get(row)),
  };
}

function readJson(text: string): EntryFile {
  let items: unknown;
  try {
    items = JSON.parse(text);
  } catch (error) {
    throw badInput(`The file is not readable as JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(items))
    throw badInput('A JSON import is an array of entries, each with the fields of EntryFields');
  tooMany(items.length);
  const rows: ImportRow[] = [];
  const problems: FileProblem[] = [];
  items.forEach((item: unknown, i) => {
    const row = i + 1;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push({ row, column: '(entry)', message: 'must be an object of EntryFields' });
      return;
    }
    for (const name of Object.keys(item))
      if (!FIELDS_OF_ENTRY.has(name))
        problems.push({ row, column: name, message: 'is not a field of EntryFields' });
    // Arrays the rules walk must be arrays; the shape check names any other problem.
    const fields = item as Record<string, unknown>;
    for (const name of ['technologies', 'sectorCodes', 'criteria', 'methodologies'])
      if (!Array.isArray(fields[name])) {
        problems.push({ row, column: name, message: `${name} must be an array` });
        fields[name] = [];
      }
    rows.push({ row, fields: fields as unknown as EntryFieldsInput });
  });
  return { format: EntryFileFormat.JSON, rows, problems, columnOf: (_row, field) => field };
}
