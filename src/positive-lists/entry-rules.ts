// Long on purpose (~390 lines): the input shape, each named rule an entry must pass and
// its normalisation sit together, so one file answers "what makes an entry valid".
import { FieldProblem } from '../common/errors';
import {
  AuthorizedUse,
  BaselineApproach,
  BaselineRule,
  ComparisonOperator,
  Criterion,
  EntryData,
  EntryKind,
} from './list-types';

/** The entry fields as a client sends them (optional values may be null or absent). */
export interface EntryFieldsInput {
  key: string;
  kind: EntryKind;
  name: string;
  description?: string | null;
  technologies: string[];
  sectorCodes: string[];
  ndcComponent: EntryData['ndcComponent'];
  ndcMeasureRef?: string | null;
  additionalityRationale?: string | null;
  criteria: {
    parameter: string;
    operator: ComparisonOperator;
    threshold?: number | null;
    upperThreshold?: number | null;
    values?: string[] | null;
    unit?: string | null;
    description?: string | null;
  }[];
  methodologies: string[];
  baseline?: {
    approach: BaselineApproach;
    description?: string | null;
    referenceValue: number;
    unit: string;
    referenceYear: number;
    initialAdjustmentPct?: number | null;
    annualTighteningPct?: number | null;
    targetValue?: number | null;
    targetYear?: number | null;
    netZeroYear?: number | null;
    parameterValidation: BaselineRule['parameterValidation'];
    updateIntervalYears?: number | null;
    methodologyReference?: string | null;
  } | null;
  crediting?: { periodYears: number; renewals: number } | null;
  authorization?: {
    authorizedUses: AuthorizedUse[];
    correspondingAdjustment: boolean;
    shareRetainedForNdcPct?: number | null;
    shareOfProceedsPct?: number | null;
    omgeCancellationPct?: number | null;
  } | null;
  validFrom?: string | null;
  validUntil?: string | null;
  reviewDue?: string | null;
  legalBasis?: string | null;
}

const KEY = /^[A-Z0-9][A-Z0-9_-]{1,63}$/;
const PARAMETER = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const NUMERIC_OPERATORS = [
  ComparisonOperator.LT,
  ComparisonOperator.LTE,
  ComparisonOperator.GT,
  ComparisonOperator.GTE,
];
const DECLINING = [
  BaselineApproach.BENCHMARK,
  BaselineApproach.BEST_AVAILABLE_TECHNOLOGY,
  BaselineApproach.HISTORICAL_DOWNWARD_ADJUSTED,
  BaselineApproach.BAU_DOWNWARD_ADJUSTED,
];

/** Which optional baseline parameters each approach uses; the others must be absent. */
export const APPROACH_PARAMETERS: Record<
  BaselineApproach,
  { required: string[]; allowed: string[] }
> = {
  // A benchmark or best available technology is already the ambitious value: no initial
  // downward adjustment on top (docs/domain.md section 5).
  [BaselineApproach.BENCHMARK]: { required: [], allowed: ['annualTighteningPct'] },
  [BaselineApproach.BEST_AVAILABLE_TECHNOLOGY]: { required: [], allowed: ['annualTighteningPct'] },
  [BaselineApproach.HISTORICAL_DOWNWARD_ADJUSTED]: {
    required: [],
    allowed: ['initialAdjustmentPct', 'annualTighteningPct'],
  },
  [BaselineApproach.BAU_DOWNWARD_ADJUSTED]: {
    required: [],
    allowed: ['initialAdjustmentPct', 'annualTighteningPct'],
  },
  [BaselineApproach.NDC_TRAJECTORY]: {
    required: ['targetValue', 'targetYear'],
    allowed: ['targetValue', 'targetYear'],
  },
  [BaselineApproach.NET_ZERO_PATHWAY]: { required: ['netZeroYear'], allowed: ['netZeroYear'] },
};
const APPROACH_SPECIFIC = [
  'initialAdjustmentPct',
  'annualTighteningPct',
  'targetValue',
  'targetYear',
  'netZeroYear',
] as const;

const present = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined;
const clean = (v: string | null | undefined): string | null =>
  present(v) && v.trim() !== '' ? v.trim() : null;

/** A problem with a field, its path relative to the entry (e.g. `criteria[0].threshold`). */
export type Problem = FieldProblem;
const problem = (field: string, message: string): Problem => ({ field, message });

type CriterionInput = EntryFieldsInput['criteria'][number];
type BaselineInput = NonNullable<EntryFieldsInput['baseline']>;

// ------------------------------------------------------------------ the rules, one each

/** Keys name an activity type for good: `GHA-SOLAR-UTILITY`. */
export function keyRule(key: string): Problem[] {
  return KEY.test(key.trim())
    ? []
    : [problem('key', 'must be 2-64 upper-case letters, digits, _ or -, e.g. GHA-SOLAR-UTILITY')];
}

/** Technologies are non-empty and listed once (case-insensitively). */
export function technologiesRule(technologies: string[]): Problem[] {
  const trimmed = technologies.map((t) => t.trim());
  return trimmed.flatMap((t, i) => {
    if (t === '') return [problem(`technologies[${i}]`, 'must not be empty')];
    if (trimmed.findIndex((o) => o.toLowerCase() === t.toLowerCase()) !== i)
      return [problem(`technologies[${i}]`, `"${t}" is listed twice`)];
    return [];
  });
}

/** An entry belongs to at least one NDC sector, each one of its country's. */
export function sectorsRule(codes: string[], known: ReadonlySet<string>): Problem[] {
  const problems: Problem[] = [];
  if (codes.length === 0)
    problems.push(problem('sectorCodes', 'must name at least one NDC sector of the country'));
  codes.forEach((code, i) => {
    if (!known.has(code.trim()))
      problems.push(problem(`sectorCodes[${i}]`, `"${code}" is not an NDC sector of this country`));
  });
  return problems;
}

/** Each operator gets exactly the operands it compares with (docs/domain.md section 3). */
export function criterionRule(c: CriterionInput, path: string): Problem[] {
  const problems: Problem[] = [];
  const p = (field: string, message: string) => problems.push(problem(`${path}.${field}`, message));
  if (!PARAMETER.test(c.parameter)) p('parameter', 'must be a parameter name such as capacityMW');
  const hasThreshold = present(c.threshold);
  const hasUpper = present(c.upperThreshold);
  const values = present(c.values) ? c.values.map((v) => v.trim()) : null;
  if (values?.some((v) => v === '')) p('values', 'must not contain empty values');
  for (const [name, value] of [
    ['threshold', c.threshold],
    ['upperThreshold', c.upperThreshold],
  ] as const) {
    if (present(value) && !Number.isFinite(value)) p(name, 'must be a finite number');
  }
  switch (c.operator) {
    case ComparisonOperator.BETWEEN:
      if (!hasThreshold) p('threshold', 'BETWEEN needs a lower bound');
      if (!hasUpper) p('upperThreshold', 'BETWEEN needs an upper bound');
      if (hasThreshold && hasUpper && c.threshold! > c.upperThreshold!)
        p('upperThreshold', 'must not be below threshold');
      if (values) p('values', 'BETWEEN compares numbers; values must be empty');
      break;
    case ComparisonOperator.IN:
    case ComparisonOperator.NOT_IN:
      if (!values || values.length === 0) p('values', `${c.operator} needs at least one value`);
      if (hasThreshold || hasUpper)
        p('threshold', `${c.operator} compares text; thresholds must be empty`);
      break;
    case ComparisonOperator.EQ:
    case ComparisonOperator.NEQ:
      if (hasThreshold === (values !== null))
        p(
          'threshold',
          `${c.operator} needs either a threshold (number) or exactly one value (text)`,
        );
      else if (values && values.length !== 1)
        p('values', `${c.operator} on text needs exactly one value`);
      if (hasUpper) p('upperThreshold', 'only BETWEEN has an upper bound');
      break;
    default:
      if (NUMERIC_OPERATORS.includes(c.operator)) {
        if (!hasThreshold) p('threshold', `${c.operator} needs a threshold`);
        if (hasUpper) p('upperThreshold', 'only BETWEEN has an upper bound');
        if (values) p('values', `${c.operator} compares numbers; values must be empty`);
      }
  }
  return problems;
}

/** Whether a criterion compares a number or a text parameter. */
export function operandKind(c: CriterionInput): 'number' | 'text' {
  if (c.operator === ComparisonOperator.IN || c.operator === ComparisonOperator.NOT_IN)
    return 'text';
  if (
    (c.operator === ComparisonOperator.EQ || c.operator === ComparisonOperator.NEQ) &&
    !present(c.threshold) &&
    present(c.values)
  )
    return 'text';
  return 'number';
}

/**
 * All criteria on one parameter compare the same kind of value: a parameter cannot be both a
 * number and a text, so an entry that mixes them could never be met (docs/domain.md
 * section 3). Each criterion that disagrees with the first on its parameter is named.
 */
export function operandKindsRule(criteria: CriterionInput[]): Problem[] {
  const first = new Map<string, { index: number; kind: 'number' | 'text' }>();
  return criteria.flatMap((c, i) => {
    const kind = operandKind(c);
    const seen = first.get(c.parameter);
    if (!seen) {
      first.set(c.parameter, { index: i, kind });
      return [];
    }
    if (seen.kind === kind) return [];
    return [
      problem(
        `criteria[${i}]`,
        `compares ${c.parameter} as ${kind === 'number' ? 'a number' : 'text'}, but ` +
          `criteria[${seen.index}] compares it as ${seen.kind === 'number' ? 'a number' : 'text'}: ` +
          'all criteria on one parameter must compare the same kind of value',
      ),
    ];
  });
}

/** A baseline rule has sound numbers and exactly the parameters its approach uses. */
export function baselineRule(b: BaselineInput): Problem[] {
  const problems: Problem[] = [];
  const p = (field: string, message: string) =>
    problems.push(problem(`baseline.${field}`, message));
  const rule = APPROACH_PARAMETERS[b.approach];
  if (!Number.isFinite(b.referenceValue) || b.referenceValue < 0)
    p('referenceValue', 'must be a finite number, zero or more');
  if (!Number.isInteger(b.referenceYear) || b.referenceYear < 1990 || b.referenceYear > 2100)
    p('referenceYear', 'must be a year from 1990 to 2100');
  for (const name of APPROACH_SPECIFIC) {
    const value = b[name];
    if (present(value) && !rule.allowed.includes(name))
      p(name, `is not used by the ${b.approach} approach`);
    if (!present(value) && rule.required.includes(name))
      p(name, `is required by the ${b.approach} approach`);
  }
  for (const name of ['initialAdjustmentPct', 'annualTighteningPct'] as const) {
    const value = b[name];
    if (present(value) && (!Number.isFinite(value) || value < 0 || value > 100))
      p(name, 'must be a percentage from 0 to 100');
  }
  if (present(b.targetYear) && b.targetYear <= b.referenceYear)
    p('targetYear', 'must be after referenceYear');
  if (present(b.targetValue) && (!Number.isFinite(b.targetValue) || b.targetValue < 0))
    p('targetValue', 'must be a finite number, zero or more');
  if (present(b.netZeroYear) && b.netZeroYear <= b.referenceYear)
    p('netZeroYear', 'must be after referenceYear');
  if (present(b.updateIntervalYears) && (b.updateIntervalYears < 1 || b.updateIntervalYears > 50))
    p('updateIntervalYears', 'must be from 1 to 50 years');
  return problems;
}

/**
 * POSITIVE entries carry a baseline and an additionality rationale; NEGATIVE entries exclude
 * whatever the parameters, so they have neither criteria nor baseline.
 */
export function kindRule(input: {
  kind: EntryKind;
  criteria: unknown[];
  baseline?: unknown;
  additionalityRationale?: string | null;
}): Problem[] {
  if (input.kind === EntryKind.POSITIVE) {
    return [
      ...(present(input.baseline)
        ? []
        : [problem('baseline', 'a POSITIVE entry needs a baseline rule')]),
      ...(clean(input.additionalityRationale)
        ? []
        : [problem('additionalityRationale', 'a POSITIVE entry needs an additionality rationale')]),
    ];
  }
  return [
    ...(input.criteria.length > 0
      ? [
          problem(
            'criteria',
            'a NEGATIVE entry excludes the activity whatever its parameters: it has no criteria',
          ),
        ]
      : []),
    ...(present(input.baseline)
      ? [problem('baseline', 'a NEGATIVE entry has no baseline rule')]
      : []),
  ];
}

/** Crediting periods of 1-100 years, renewed 0-20 times. */
export function creditingRule(crediting: EntryFieldsInput['crediting']): Problem[] {
  if (!present(crediting)) return [];
  const problems: Problem[] = [];
  if (crediting.periodYears < 1 || crediting.periodYears > 100)
    problems.push(problem('crediting.periodYears', 'must be from 1 to 100 years'));
  if (crediting.renewals < 0 || crediting.renewals > 20)
    problems.push(problem('crediting.renewals', 'must be from 0 to 20'));
  return problems;
}

/** Shares of an authorisation are percentages. */
export function authorizationRule(authorization: EntryFieldsInput['authorization']): Problem[] {
  if (!present(authorization)) return [];
  return (['shareRetainedForNdcPct', 'shareOfProceedsPct', 'omgeCancellationPct'] as const)
    .filter((name) => {
      const value = authorization[name];
      return present(value) && (!Number.isFinite(value) || value < 0 || value > 100);
    })
    .map((name) => problem(`authorization.${name}`, 'must be a percentage from 0 to 100'));
}

/** An entry's own validity window is not inverted. */
export function validityRule(validFrom?: string | null, validUntil?: string | null): Problem[] {
  return present(validFrom) && present(validUntil) && validFrom > validUntil
    ? [problem('validUntil', 'must not be before validFrom')]
    : [];
}

// ------------------------------------------------------------------ normalising

function normalCriterion(c: CriterionInput): Criterion {
  return {
    parameter: c.parameter,
    operator: c.operator,
    threshold: present(c.threshold) ? c.threshold : null,
    upperThreshold: present(c.upperThreshold) ? c.upperThreshold : null,
    values: present(c.values) ? c.values.map((v) => v.trim()) : null,
    unit: clean(c.unit),
    description: clean(c.description),
  };
}

function normalBaseline(b: BaselineInput): BaselineRule {
  return {
    approach: b.approach,
    description: clean(b.description),
    referenceValue: b.referenceValue,
    unit: b.unit.trim(),
    referenceYear: b.referenceYear,
    initialAdjustmentPct: APPROACH_PARAMETERS[b.approach].allowed.includes('initialAdjustmentPct')
      ? (b.initialAdjustmentPct ?? null)
      : null,
    annualTighteningPct: DECLINING.includes(b.approach) ? (b.annualTighteningPct ?? null) : null,
    targetValue: b.targetValue ?? null,
    targetYear: b.targetYear ?? null,
    netZeroYear: b.netZeroYear ?? null,
    parameterValidation: b.parameterValidation,
    updateIntervalYears: b.updateIntervalYears ?? null,
    methodologyReference: clean(b.methodologyReference),
  };
}

function normalEntry(input: EntryFieldsInput): EntryData {
  return {
    key: input.key.trim(),
    kind: input.kind,
    name: input.name.trim(),
    description: clean(input.description),
    technologies: input.technologies.map((t) => t.trim()),
    sectorCodes: [...new Set(input.sectorCodes.map((c) => c.trim()))].sort(),
    ndcComponent: input.ndcComponent,
    ndcMeasureRef: clean(input.ndcMeasureRef),
    additionalityRationale: clean(input.additionalityRationale),
    criteria: input.criteria.map(normalCriterion),
    methodologies: [...new Set(input.methodologies.map((m) => m.trim()).filter((m) => m !== ''))],
    baseline: present(input.baseline) ? normalBaseline(input.baseline) : null,
    crediting: present(input.crediting)
      ? { periodYears: input.crediting.periodYears, renewals: input.crediting.renewals }
      : null,
    authorization: present(input.authorization)
      ? {
          authorizedUses: [...new Set(input.authorization.authorizedUses)],
          correspondingAdjustment: input.authorization.correspondingAdjustment,
          shareRetainedForNdcPct: input.authorization.shareRetainedForNdcPct ?? null,
          shareOfProceedsPct: input.authorization.shareOfProceedsPct ?? null,
          omgeCancellationPct: input.authorization.omgeCancellationPct ?? null,
        }
      : null,
    validFrom: input.validFrom ?? null,
    validUntil: input.validUntil ?? null,
    reviewDue: input.reviewDue ?? null,
    legalBasis: clean(input.legalBasis),
  };
}

/**
 * Checks an entry beyond its shape against every rule above and returns it normalised.
 * Every violation is named with its full path under `at` (e.g. `input.entry.criteria[0]`),
 * so an official can fix them all at once.
 */
export function checkEntry(
  input: EntryFieldsInput,
  knownSectorCodes: ReadonlySet<string>,
  at: string,
): { entry: EntryData; problems: FieldProblem[] } {
  const problems = [
    ...keyRule(input.key),
    ...technologiesRule(input.technologies),
    ...sectorsRule(input.sectorCodes, knownSectorCodes),
    ...input.criteria.flatMap((c, i) => criterionRule(c, `criteria[${i}]`)),
    ...operandKindsRule(input.criteria),
    ...(present(input.baseline) ? baselineRule(input.baseline) : []),
    ...kindRule(input),
    ...creditingRule(input.crediting),
    ...authorizationRule(input.authorization),
    ...validityRule(input.validFrom, input.validUntil),
  ];
  return {
    problems: problems.map((p) => ({ field: `${at}.${p.field}`, message: p.message })),
    entry: normalEntry(input),
  };
}
