// The CSV (and spreadsheet) layout of a list's entries, both ways: one row per entry, one
// column per field of the contract's `EntryFields`, named by the field's path so that a
// validation message names the column an official has to fix. Plain functions: the import,
// the exports, the template and the CLI all use this one definition.
import type { EntryFieldsInput } from '../positive-lists/entry-rules';

/** How a cell is read and written. */
type CellKind = 'text' | 'list' | 'number' | 'integer' | 'boolean';

export interface Column {
  name: string;
  kind: CellKind;
  /** What the template's reference says about it. */
  help: string;
}

const top = (name: string, kind: CellKind, help: string): Column => ({ name, kind, help });

/** Multi-valued cells hold their values separated by this (`solar PV; wind`). */
export const LIST_SEPARATOR = ';';

/** Fields of the entry itself, in the order a person reads them. */
const ENTRY_COLUMNS: Column[] = [
  top('key', 'text', 'Stable key, 2-64 upper-case letters, digits, _ or - (GHA-SOLAR-PV)'),
  top('kind', 'text', 'POSITIVE or NEGATIVE'),
  top('name', 'text', 'Name of the activity type'),
  top('description', 'text', 'Optional'),
  top('technologies', 'list', 'Technologies, separated by ;'),
  top('sectorCodes', 'list', "The country's NDC sector codes, separated by ;"),
  top('ndcComponent', 'text', 'UNCONDITIONAL, CONDITIONAL or OUTSIDE_NDC'),
  top('ndcMeasureRef', 'text', 'Optional reference to the NDC measure'),
  top('additionalityRationale', 'text', 'Why it is NDC-additional (POSITIVE entries)'),
  top('methodologies', 'list', 'Methodologies, separated by ;'),
];

const CRITERION_FIELDS: [string, CellKind, string][] = [
  ['parameter', 'text', 'Project parameter name (capacityMW)'],
  ['operator', 'text', 'LT, LTE, GT, GTE, EQ, NEQ, BETWEEN, IN or NOT_IN'],
  ['threshold', 'number', 'Number compared with (lower bound for BETWEEN)'],
  ['upperThreshold', 'number', 'Upper bound (BETWEEN only)'],
  ['values', 'list', 'Texts compared with (IN, NOT_IN, or EQ/NEQ on text), separated by ;'],
  ['unit', 'text', 'Optional unit (MW)'],
  ['description', 'text', 'Optional'],
];

const TERMS_COLUMNS: Column[] = [
  top(
    'baseline.approach',
    'text',
    'BENCHMARK, BEST_AVAILABLE_TECHNOLOGY, ... (empty: no baseline)',
  ),
  top('baseline.description', 'text', 'Optional'),
  top('baseline.referenceValue', 'number', 'Reference value, zero or more'),
  top('baseline.unit', 'text', 'Unit of the reference value (tCO2e/MWh)'),
  top('baseline.referenceYear', 'integer', 'Year of the reference value'),
  top('baseline.initialAdjustmentPct', 'number', 'Downward adjustment, % (approaches that use it)'),
  top('baseline.annualTighteningPct', 'number', 'Tightening per year, %'),
  top('baseline.targetValue', 'number', 'NDC_TRAJECTORY: target value'),
  top('baseline.targetYear', 'integer', 'NDC_TRAJECTORY: target year'),
  top('baseline.netZeroYear', 'integer', 'NET_ZERO_PATHWAY: net-zero year'),
  top('baseline.parameterValidation', 'text', 'EX_ANTE or EX_POST'),
  top('baseline.updateIntervalYears', 'integer', 'Optional, 1-50'),
  top('baseline.methodologyReference', 'text', 'Optional'),
  top('crediting.periodYears', 'integer', 'Crediting period in years (empty: no terms)'),
  top('crediting.renewals', 'integer', 'Renewals allowed'),
  top('authorization.authorizedUses', 'list', 'NDC; OIMP; A6_4ER ... (empty: no terms)'),
  top('authorization.correspondingAdjustment', 'boolean', 'true or false'),
  top('authorization.shareRetainedForNdcPct', 'number', 'Optional, %'),
  top('authorization.shareOfProceedsPct', 'number', 'Optional, %'),
  top('authorization.omgeCancellationPct', 'number', 'Optional, %'),
  top('validFrom', 'text', 'Optional date, YYYY-MM-DD'),
  top('validUntil', 'text', 'Optional date, YYYY-MM-DD'),
  top('reviewDue', 'text', 'Optional date, YYYY-MM-DD'),
  top('legalBasis', 'text', 'Optional'),
];

/** Columns a file must have: without them no row could be an entry. */
export const REQUIRED_COLUMNS = [
  'key',
  'kind',
  'name',
  'technologies',
  'sectorCodes',
  'ndcComponent',
];

const criterionColumns = (n: number): Column[] =>
  CRITERION_FIELDS.map(([field, kind, help]) => ({ name: `criterion${n}.${field}`, kind, help }));

/** Every column of a file whose entries have at most `criteria` criteria each. */
export function entryColumns(criteria: number): Column[] {
  return [
    ...ENTRY_COLUMNS,
    ...Array.from({ length: criteria }, (_, i) => criterionColumns(i + 1)).flat(),
    ...TERMS_COLUMNS,
  ];
}

/** The template's criteria groups: a file may have as many as it needs. */
export const TEMPLATE_CRITERIA = 3;

const CRITERION_COLUMN = /^criterion([1-9]\d{0,1})\.([A-Za-z]+)$/;
const KNOWN = new Map([...ENTRY_COLUMNS, ...TERMS_COLUMNS].map((c) => [c.name, c]));

/** The column a header names, or undefined when it is not one of ours. */
export function columnNamed(name: string): (Column & { criterion?: number }) | undefined {
  const known = KNOWN.get(name);
  if (known) return known;
  const match = CRITERION_COLUMN.exec(name);
  if (!match) return undefined;
  const field = CRITERION_FIELDS.find(([f]) => f === match[2]);
  return field ? { name, kind: field[1], help: field[2], criterion: Number(match[1]) } : undefined;
}

/**
 * The column of an entry field's path, as validation names it: `criteria[0].threshold` is
 * `criterion1.threshold` (or the group the row's first filled criterion came from, given
 * `groups`), `technologies[2]` is `technologies`, `baseline` is `baseline.approach`.
 */
export function columnOfField(field: string, groups: readonly number[] = []): string {
  const column = field
    .replace(
      /^criteria\[(\d+)\]/,
      (_, i: string) => `criterion${groups[Number(i)] ?? Number(i) + 1}`,
    )
    .replace(/\[\d+\]$/, '');
  const whole: Record<string, string> = {
    criteria: `criterion${groups[0] ?? 1}.parameter`,
    baseline: 'baseline.approach',
    crediting: 'crediting.periodYears',
    authorization: 'authorization.authorizedUses',
  };
  if (whole[column]) return whole[column];
  if (/^criterion\d+$/.test(column)) return `${column}.parameter`;
  return column;
}

// ------------------------------------------------------------------ writing cells

/**
 * Spreadsheets run a cell starting with one of these as a formula (CSV injection, OWASP):
 * such texts are written with a leading apostrophe, which spreadsheets show as text and
 * which the import takes off again, so a round trip is exact.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function escapeText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** A cell's text as written by an export (or a person), formula escape removed. */
export function unescapeText(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

export type Cell = string | number | boolean | null;

function get(content: Record<string, unknown>, path: string): unknown {
  const criterion = /^criterion(\d+)\.(\w+)$/.exec(path);
  if (criterion) {
    const c = (content.criteria as Record<string, unknown>[])[Number(criterion[1]) - 1];
    return c ? c[criterion[2]] : null;
  }
  return path
    .split('.')
    .reduce<unknown>((value, part) => (value as Record<string, unknown> | null)?.[part], content);
}

/**
 * One entry's cells, in `columns`' order: texts escaped against formulas, lists joined with
 * `;`, numbers and booleans as they are (a spreadsheet keeps their type), absent as null.
 */
export function entryCells(
  content: Record<string, unknown>,
  columns: Column[],
  escape: (text: string) => string = escapeText,
): Cell[] {
  return columns.map(({ name, kind }) => {
    const value = get(content, name);
    if (value === null || value === undefined) return null;
    switch (kind) {
      case 'list':
        return (value as string[]).map(escape).join(`${LIST_SEPARATOR} `);
      case 'text':
        return escape(value as string);
      default:
        return value as number | boolean;
    }
  });
}

// ------------------------------------------------------------------ reading cells

/** A cell that does not hold what its column takes. */
export interface CellProblem {
  column: string;
  message: string;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function readCell(
  column: Column,
  raw: string,
  problems: CellProblem[],
): string | string[] | number | boolean | null {
  const cell = raw.trim();
  if (cell === '') return null;
  switch (column.kind) {
    case 'text':
      return unescapeText(cell);
    case 'list':
      return cell
        .split(LIST_SEPARATOR)
        .map((v) => unescapeText(v.trim()))
        .filter((v) => v !== '');
    case 'number':
    case 'integer': {
      const number = NUMBER.test(cell) ? Number(cell) : NaN;
      if (!Number.isFinite(number) || (column.kind === 'integer' && !Number.isInteger(number))) {
        problems.push({
          column: column.name,
          message: `must be ${column.kind === 'integer' ? 'a whole number' : 'a number'}, not "${cell}"`,
        });
        return null;
      }
      return number;
    }
    case 'boolean': {
      const lower = cell.toLowerCase();
      if (['true', 'yes', '1'].includes(lower)) return true;
      if (['false', 'no', '0'].includes(lower)) return false;
      problems.push({ column: column.name, message: `must be true or false, not "${cell}"` });
      return null;
    }
  }
}

/** The fields of a group (`baseline`, a criterion) when any of its cells is filled, else null. */
function group(
  cells: Map<string, unknown>,
  prefix: string,
): Record<string, unknown> | null | undefined {
  const members = [...cells].filter(([name]) => name.startsWith(`${prefix}.`));
  if (members.every(([, value]) => value === null)) return null;
  return Object.fromEntries(
    members.map(([name, value]) => [name.slice(prefix.length + 1), value ?? undefined]),
  );
}

/**
 * One CSV row read into the fields of an entry, with the cells that could not be read. Empty
 * optional groups (no baseline, no crediting terms) are absent; a group with some cells
 * filled is given as it is, so the entry rules name what it lacks.
 */
export function entryFromCells(
  header: string[],
  row: string[],
): { fields: EntryFieldsInput; problems: CellProblem[]; criterionGroups: number[] } {
  const problems: CellProblem[] = [];
  const cells = new Map<string, unknown>();
  let criteria = 0;
  header.forEach((name, i) => {
    const column = columnNamed(name)!;
    if (column.criterion) criteria = Math.max(criteria, column.criterion);
    cells.set(name, readCell(column, row[i] ?? '', problems));
  });
  // Criteria groups with a cell filled, in order: `criteria[i]` of the entry is the i-th.
  const criterionGroups = Array.from({ length: criteria }, (_, i) => i + 1).filter(
    (n) => group(cells, `criterion${n}`) !== null,
  );
  const value = (name: string) => cells.get(name) ?? null;
  const list = (name: string) => (value(name) as string[] | null) ?? [];
  const fields = {
    key: (value('key') as string | null) ?? '',
    kind: value('kind'),
    name: (value('name') as string | null) ?? '',
    description: value('description'),
    technologies: list('technologies'),
    sectorCodes: list('sectorCodes'),
    ndcComponent: value('ndcComponent'),
    ndcMeasureRef: value('ndcMeasureRef'),
    additionalityRationale: value('additionalityRationale'),
    criteria: criterionGroups.map((n) => group(cells, `criterion${n}`)),
    methodologies: list('methodologies'),
    baseline: group(cells, 'baseline'),
    crediting: group(cells, 'crediting'),
    authorization: group(cells, 'authorization'),
    validFrom: value('validFrom'),
    validUntil: value('validUntil'),
    reviewDue: value('reviewDue'),
    legalBasis: value('legalBasis'),
  } as EntryFieldsInput;
  if (fields.authorization && !fields.authorization.authorizedUses)
    fields.authorization.authorizedUses = [];
  return { fields, problems, criterionGroups };
}
