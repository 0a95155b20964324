import { BASELINE_FIELDS } from '../positive-lists/content-digest';
import type { ActivityEntryEntity } from '../positive-lists/activity-entry.entity';
import { APPROACH_PARAMETERS } from '../positive-lists/entry-rules';
import { LAST_BASELINE_YEAR } from '../positive-lists/baseline';
import { BaselineApproach, BaselineRule, ParameterValidation } from '../positive-lists/list-types';

/**
 * The entry form as the browser sends it: every value a string, as typed, so that a form
 * that fails comes back exactly as the person left it. Field names are the API's paths under
 * `input.entry` (`criteria[1].threshold`), which is how the API's problems find their inputs.
 */
export interface CriterionRow {
  parameter: string;
  operator: string;
  threshold: string;
  upperThreshold: string;
  values: string;
  unit: string;
  description: string;
}

export { BASELINE_FIELDS };
export type BaselineValues = Record<(typeof BASELINE_FIELDS)[number], string>;

export interface EntryFormValues {
  key: string;
  kind: string;
  name: string;
  description: string;
  technologies: string;
  methodologies: string;
  sectorCodes: string[];
  ndcComponent: string;
  ndcMeasureRef: string;
  additionalityRationale: string;
  criteria: CriterionRow[];
  baseline: BaselineValues;
  crediting: { periodYears: string; renewals: string };
  authorization: {
    authorizedUses: string[];
    correspondingAdjustment: string;
    shareRetainedForNdcPct: string;
    shareOfProceedsPct: string;
    omgeCancellationPct: string;
  };
  validFrom: string;
  validUntil: string;
  reviewDue: string;
  legalBasis: string;
  reason: string;
}

/** Empty criterion rows offered below the filled ones, to fill without asking for more. */
export const SPARE_CRITERION_ROWS = 2;
const MAX_CRITERION_ROWS = 50;

const CRITERION_FIELDS = [
  'parameter',
  'operator',
  'threshold',
  'upperThreshold',
  'values',
  'unit',
  'description',
] as const;

export const emptyCriterion = (): CriterionRow => ({
  parameter: '',
  operator: '',
  threshold: '',
  upperThreshold: '',
  values: '',
  unit: '',
  description: '',
});

const emptyBaseline = (): BaselineValues =>
  Object.fromEntries(BASELINE_FIELDS.map((f) => [f, ''])) as BaselineValues;

export function emptyEntryForm(): EntryFormValues {
  return {
    key: '',
    kind: 'POSITIVE',
    name: '',
    description: '',
    technologies: '',
    methodologies: '',
    sectorCodes: [],
    ndcComponent: 'UNCONDITIONAL',
    ndcMeasureRef: '',
    additionalityRationale: '',
    criteria: [],
    baseline: { ...emptyBaseline(), parameterValidation: ParameterValidation.EX_ANTE },
    crediting: { periodYears: '', renewals: '' },
    authorization: {
      authorizedUses: [],
      correspondingAdjustment: '',
      shareRetainedForNdcPct: '',
      shareOfProceedsPct: '',
      omgeCancellationPct: '',
    },
    validFrom: '',
    validUntil: '',
    reviewDue: '',
    legalBasis: '',
    reason: '',
  };
}

type Body = Record<string, unknown>;
const text = (body: Body, name: string): string => {
  const value = body[name];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : '';
  return typeof value === 'string' ? value : '';
};
const list = (body: Body, name: string): string[] => {
  const value = body[name];
  const all = Array.isArray(value) ? value : [value];
  return all.filter((v): v is string => typeof v === 'string' && v !== '');
};

/**
 * The form's values from a posted body. Criterion rows left empty are dropped, so that the
 * rows the API numbers are the rows the page shows again.
 */
export function formFromBody(raw: unknown): EntryFormValues {
  const body = (raw ?? {}) as Body;
  const rows: CriterionRow[] = [];
  for (let i = 0; i < MAX_CRITERION_ROWS + SPARE_CRITERION_ROWS + 1; i++) {
    const row = Object.fromEntries(
      CRITERION_FIELDS.map((f) => [f, text(body, `criteria[${i}].${f}`)]),
    ) as unknown as CriterionRow;
    const filled = CRITERION_FIELDS.some((f) => f !== 'operator' && row[f].trim() !== '');
    if (filled) rows.push(row);
  }
  return {
    key: text(body, 'key'),
    kind: text(body, 'kind'),
    name: text(body, 'name'),
    description: text(body, 'description'),
    technologies: text(body, 'technologies'),
    methodologies: text(body, 'methodologies'),
    sectorCodes: list(body, 'sectorCodes'),
    ndcComponent: text(body, 'ndcComponent'),
    ndcMeasureRef: text(body, 'ndcMeasureRef'),
    additionalityRationale: text(body, 'additionalityRationale'),
    criteria: rows,
    baseline: Object.fromEntries(
      BASELINE_FIELDS.map((f) => [f, text(body, `baseline.${f}`)]),
    ) as BaselineValues,
    crediting: {
      periodYears: text(body, 'crediting.periodYears'),
      renewals: text(body, 'crediting.renewals'),
    },
    authorization: {
      authorizedUses: list(body, 'authorization.authorizedUses'),
      correspondingAdjustment: text(body, 'authorization.correspondingAdjustment'),
      shareRetainedForNdcPct: text(body, 'authorization.shareRetainedForNdcPct'),
      shareOfProceedsPct: text(body, 'authorization.shareOfProceedsPct'),
      omgeCancellationPct: text(body, 'authorization.omgeCancellationPct'),
    },
    validFrom: text(body, 'validFrom'),
    validUntil: text(body, 'validUntil'),
    reviewDue: text(body, 'reviewDue'),
    legalBasis: text(body, 'legalBasis'),
    reason: text(body, 'reason'),
  };
}

const shown = (v: number | string | null | undefined): string =>
  v === null || v === undefined ? '' : String(v);

/** The form filled with an entry as stored, for editing it. */
export function formFromEntry(entry: ActivityEntryEntity, sectorCodes: string[]): EntryFormValues {
  const b = entry.baseline;
  return {
    ...emptyEntryForm(),
    key: entry.key,
    kind: entry.kind,
    name: entry.name,
    description: shown(entry.description),
    technologies: entry.technologies.join('\n'),
    methodologies: entry.methodologies.join('\n'),
    sectorCodes,
    ndcComponent: entry.ndcComponent,
    ndcMeasureRef: shown(entry.ndcMeasureRef),
    additionalityRationale: shown(entry.additionalityRationale),
    criteria: entry.criteria.map((c) => ({
      parameter: c.parameter,
      operator: c.operator,
      threshold: shown(c.threshold),
      upperThreshold: shown(c.upperThreshold),
      values: (c.values ?? []).join('; '),
      unit: shown(c.unit),
      description: shown(c.description),
    })),
    baseline: b
      ? (Object.fromEntries(BASELINE_FIELDS.map((f) => [f, shown(b[f])])) as BaselineValues)
      : { ...emptyBaseline(), parameterValidation: ParameterValidation.EX_ANTE },
    crediting: {
      periodYears: shown(entry.crediting?.periodYears),
      renewals: shown(entry.crediting?.renewals),
    },
    authorization: {
      authorizedUses: entry.authorization?.authorizedUses ?? [],
      correspondingAdjustment: entry.authorization
        ? entry.authorization.correspondingAdjustment
          ? 'yes'
          : 'no'
        : '',
      shareRetainedForNdcPct: shown(entry.authorization?.shareRetainedForNdcPct),
      shareOfProceedsPct: shown(entry.authorization?.shareOfProceedsPct),
      omgeCancellationPct: shown(entry.authorization?.omgeCancellationPct),
    },
    validFrom: shown(entry.validFrom),
    validUntil: shown(entry.validUntil),
    reviewDue: shown(entry.reviewDue),
    legalBasis: shown(entry.legalBasis),
    reason: '',
  };
}

/** One per line or `;`-separated, as people paste them. */
const items = (value: string): string[] =>
  value
    .split(/[\n;]/)
    .map((v) => v.trim())
    .filter((v) => v !== '');

const blankToNull = (value: string): string | null => (value.trim() === '' ? null : value);

/**
 * A number typed in a form: null when left empty, the number when it reads as one, and
 * otherwise the text itself, so that the API's own check says "must be a number" at the
 * field's path rather than this page guessing.
 */
const numberOf = (value: string): number | string | null => {
  const trimmed = value.trim();
  if (trimmed === '') return null;
  const n = Number(trimmed.replace(',', '.'));
  return Number.isFinite(n) ? n : trimmed;
};
const bool = (value: string): boolean | string | null =>
  value === 'yes' ? true : value === 'no' ? false : value === '' ? null : value;

/** The approach-specific baseline fields the chosen approach takes (none before choosing). */
export function approachFields(approach: string): string[] {
  return (APPROACH_PARAMETERS as Record<string, { allowed: string[] }>)[approach]?.allowed ?? [];
}
/** The approaches that take an approach-specific baseline field. */
export function approachesTaking(field: string): string[] {
  return Object.entries(APPROACH_PARAMETERS)
    .filter(([, p]) => p.allowed.includes(field))
    .map(([approach]) => approach);
}
const APPROACH_SPECIFIC = new Set(Object.values(APPROACH_PARAMETERS).flatMap((p) => p.allowed));

/**
 * The `EntryFields` input of the form: what the addEntry and updateEntry mutations take.
 * Sections left empty are absent; the baseline keeps only the fields its approach takes,
 * since the page shows only those.
 */
export function entryFieldsOf(form: EntryFormValues): Record<string, unknown> {
  const b = form.baseline;
  const baseline =
    b.approach === ''
      ? null
      : Object.fromEntries(
          BASELINE_FIELDS.filter(
            (f) => !APPROACH_SPECIFIC.has(f) || approachFields(b.approach).includes(f),
          ).map((f) => {
            const value = b[f];
            if (['approach', 'unit', 'parameterValidation'].includes(f)) return [f, value];
            if (['description', 'methodologyReference'].includes(f)) return [f, blankToNull(value)];
            return [f, numberOf(value)];
          }),
        );
  const c = form.crediting;
  const a = form.authorization;
  const authorizationGiven =
    a.authorizedUses.length > 0 ||
    [a.correspondingAdjustment, a.shareRetainedForNdcPct, a.shareOfProceedsPct].some(
      (v) => v.trim() !== '',
    ) ||
    a.omgeCancellationPct.trim() !== '';
  return {
    key: form.key,
    kind: form.kind,
    name: form.name,
    description: blankToNull(form.description),
    technologies: items(form.technologies),
    sectorCodes: form.sectorCodes,
    ndcComponent: form.ndcComponent,
    ndcMeasureRef: blankToNull(form.ndcMeasureRef),
    additionalityRationale: blankToNull(form.additionalityRationale),
    criteria: form.criteria.map((row) => ({
      parameter: row.parameter,
      operator: row.operator,
      threshold: numberOf(row.threshold),
      upperThreshold: numberOf(row.upperThreshold),
      values: row.values.trim() === '' ? null : items(row.values),
      unit: blankToNull(row.unit),
      description: blankToNull(row.description),
    })),
    methodologies: items(form.methodologies),
    baseline,
    crediting:
      c.periodYears.trim() === '' && c.renewals.trim() === ''
        ? null
        : { periodYears: numberOf(c.periodYears), renewals: numberOf(c.renewals) },
    authorization: authorizationGiven
      ? {
          authorizedUses: a.authorizedUses,
          correspondingAdjustment: bool(a.correspondingAdjustment),
          shareRetainedForNdcPct: numberOf(a.shareRetainedForNdcPct),
          shareOfProceedsPct: numberOf(a.shareOfProceedsPct),
          omgeCancellationPct: numberOf(a.omgeCancellationPct),
        }
      : null,
    validFrom: blankToNull(form.validFrom),
    validUntil: blankToNull(form.validUntil),
    reviewDue: blankToNull(form.reviewDue),
    legalBasis: blankToNull(form.legalBasis),
  };
}

/**
 * The baseline rule the form describes, when it describes one that can be drawn: for the
 * preview, before anything is saved (the save applies the full checks).
 */
export function previewRule(form: EntryFormValues): BaselineRule | null {
  const fields = entryFieldsOf(form).baseline as Record<string, unknown> | null;
  if (!fields) return null;
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  const year = num(fields.referenceYear);
  const value = num(fields.referenceValue);
  if (year === null || value === null || !Number.isInteger(year)) return null;
  if (year < 1900 || year >= LAST_BASELINE_YEAR || typeof fields.unit !== 'string') return null;
  if (fields.unit.trim() === '') return null;
  return {
    approach: fields.approach as BaselineApproach,
    description: null,
    referenceValue: value,
    unit: fields.unit.trim(),
    referenceYear: year,
    initialAdjustmentPct: num(fields.initialAdjustmentPct),
    annualTighteningPct: num(fields.annualTighteningPct),
    targetValue: num(fields.targetValue),
    targetYear: num(fields.targetYear),
    netZeroYear: num(fields.netZeroYear),
    parameterValidation: ParameterValidation.EX_ANTE,
    updateIntervalYears: null,
    methodologyReference: null,
  };
}

/** The input's id for a field's API path (`input.entry.criteria[1].threshold`). */
export function fieldId(name: string): string {
  return 'f-' + name.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '');
}

/** The form field an API problem is about: its path under `input.entry`, or the reason. */
export function formFieldOfProblem(path: string | undefined): string | undefined {
  if (!path) return undefined;
  if (path === 'input.reason') return 'reason';
  if (path.startsWith('input.entry.')) return path.slice('input.entry.'.length);
  return undefined;
}

/** The form as flat `name → text` pairs, for showing what changed field by field. */
export function flatten(form: EntryFormValues): Map<string, string> {
  const flat = new Map<string, string>();
  for (const [name, value] of Object.entries(form)) {
    if (name === 'reason') continue;
    if (name === 'criteria') {
      form.criteria.forEach((row, i) =>
        CRITERION_FIELDS.forEach((f) => flat.set(`criteria[${i}].${f}`, row[f])),
      );
    } else if (Array.isArray(value)) {
      flat.set(name, [...(value as string[])].sort().join(', '));
    } else if (typeof value === 'object' && value !== null) {
      for (const [sub, v] of Object.entries(value as Record<string, unknown>))
        flat.set(
          `${name}.${sub}`,
          Array.isArray(v) ? [...(v as string[])].sort().join(', ') : String(v),
        );
    } else {
      flat.set(name, String(value));
    }
  }
  return flat;
}

export interface FieldChange {
  field: string;
  started: string;
  now: string;
  yours: string;
}

/**
 * What someone else changed since the person opened the form (`started` → `now`), with
 * what the person had typed for the same field: the page's conflict explanation.
 */
export function changedSince(
  started: EntryFormValues,
  now: EntryFormValues,
  yours: EntryFormValues,
): FieldChange[] {
  const [a, b, c] = [flatten(started), flatten(now), flatten(yours)];
  const names = [...new Set([...a.keys(), ...b.keys()])];
  return names
    .filter((n) => (a.get(n) ?? '') !== (b.get(n) ?? ''))
    .map((n) => ({
      field: n,
      started: a.get(n) ?? '',
      now: b.get(n) ?? '',
      yours: c.get(n) ?? '',
    }));
}

/** The form values as a hidden field's text, and back (the version an edit started from). */
export const encodeForm = (form: EntryFormValues): string =>
  Buffer.from(JSON.stringify({ ...form, reason: '' }), 'utf8').toString('base64url');

export function decodeForm(value: string): EntryFormValues | null {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return null;
    // Only the known shape is kept: a tampered field shows up as a change, nothing more.
    return formFromBody(flatBody({ ...emptyEntryForm(), ...parsed }));
  } catch {
    return null;
  }
}

/** The reverse of formFromBody: the names and values a form would post. */
function flatBody(form: EntryFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(form)) {
    if (name === 'criteria' && Array.isArray(value)) {
      (value as Partial<CriterionRow>[]).forEach((row, i) =>
        CRITERION_FIELDS.forEach((f) => (body[`criteria[${i}].${f}`] = row?.[f])),
      );
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [sub, v] of Object.entries(value as Record<string, unknown>))
        body[`${name}.${sub}`] = v;
    } else body[name] = value;
  }
  return body;
}

/**
 * The person's change redone on top of someone else's: every part of the form the person
 * changed since they started (a field, a section's field, the whole criteria table) takes
 * their value; everything else takes the saved one. Where both changed the same field the
 * person's value stays, and the conflict table shows them both.
 */
export function mergeOnTop(
  started: EntryFormValues,
  now: EntryFormValues,
  yours: EntryFormValues,
): EntryFormValues {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const pick = <T>(s: T, n: T, y: T): T => (same(s, y) ? n : y);
  const section = <T extends object>(s: T, n: T, y: T): T =>
    Object.fromEntries(
      Object.keys(y).map((k) => [
        k,
        pick(
          (s as Record<string, unknown>)[k],
          (n as Record<string, unknown>)[k],
          (y as Record<string, unknown>)[k],
        ),
      ]),
    ) as T;
  const merged = { ...yours };
  for (const key of Object.keys(yours) as (keyof EntryFormValues)[]) {
    if (key === 'reason') continue;
    if (key === 'baseline' || key === 'crediting' || key === 'authorization')
      (merged as Record<string, unknown>)[key] = section(started[key], now[key], yours[key]);
    else (merged as Record<string, unknown>)[key] = pick(started[key], now[key], yours[key]);
  }
  return merged;
}
