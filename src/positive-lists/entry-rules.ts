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
const APPROACH_PARAMETERS: Record<BaselineApproach, { required: string[]; allowed: string[] }> = {
  [BaselineApproach.BENCHMARK]: {
    required: [],
    allowed: ['initialAdjustmentPct', 'annualTighteningPct'],
  },
  [BaselineApproach.BEST_AVAILABLE_TECHNOLOGY]: {
    required: [],
    allowed: ['initialAdjustmentPct', 'annualTighteningPct'],
  },
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

/**
 * Checks an entry beyond its shape (DOMAIN.md sections 3 to 5) and returns it normalised.
 * Every violation is named with its full path under `at` (e.g. `input.entry.criteria[0]`),
 * so an official can fix them all at once.
 */
export function checkEntry(
  input: EntryFieldsInput,
  knownSectorCodes: ReadonlySet<string>,
  at: string,
): { entry: EntryData; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) =>
    problems.push({ field: `${at}.${field}`, message });

  const key = input.key.trim();
  if (!KEY.test(key))
    problem('key', 'must be 2-64 upper-case letters, digits, _ or -, e.g. GHA-SOLAR-UTILITY');

  const technologies = input.technologies.map((t) => t.trim());
  technologies.forEach((t, i) => {
    if (t === '') problem(`technologies[${i}]`, 'must not be empty');
    else if (technologies.findIndex((o) => o.toLowerCase() === t.toLowerCase()) !== i)
      problem(`technologies[${i}]`, `"${t}" is listed twice`);
  });

  const sectorCodes = [...new Set(input.sectorCodes.map((c) => c.trim()))];
  if (sectorCodes.length === 0)
    problem('sectorCodes', 'must name at least one NDC sector of the country');
  input.sectorCodes.forEach((code, i) => {
    if (!knownSectorCodes.has(code.trim()))
      problem(`sectorCodes[${i}]`, `"${code}" is not an NDC sector of this country`);
  });

  const methodologies = [
    ...new Set(input.methodologies.map((m) => m.trim()).filter((m) => m !== '')),
  ];

  const criteria: Criterion[] = input.criteria.map((c, i) => {
    const path = `criteria[${i}]`;
    if (!PARAMETER.test(c.parameter))
      problem(`${path}.parameter`, 'must be a parameter name such as capacityMW');
    const hasThreshold = present(c.threshold);
    const hasUpper = present(c.upperThreshold);
    const values = present(c.values) ? c.values.map((v) => v.trim()) : null;
    if (values?.some((v) => v === '')) problem(`${path}.values`, 'must not contain empty values');
    for (const [name, value] of [
      ['threshold', c.threshold],
      ['upperThreshold', c.upperThreshold],
    ] as const) {
      if (present(value) && !Number.isFinite(value))
        problem(`${path}.${name}`, 'must be a finite number');
    }
    switch (c.operator) {
      case ComparisonOperator.BETWEEN:
        if (!hasThreshold) problem(`${path}.threshold`, 'BETWEEN needs a lower bound');
        if (!hasUpper) problem(`${path}.upperThreshold`, 'BETWEEN needs an upper bound');
        if (hasThreshold && hasUpper && c.threshold! > c.upperThreshold!)
          problem(`${path}.upperThreshold`, 'must not be below threshold');
        if (values) problem(`${path}.values`, 'BETWEEN compares numbers; values must be empty');
        break;
      case ComparisonOperator.IN:
      case ComparisonOperator.NOT_IN:
        if (!values || values.length === 0)
          problem(`${path}.values`, `${c.operator} needs at least one value`);
        if (hasThreshold || hasUpper)
          problem(`${path}.threshold`, `${c.operator} compares text; thresholds must be empty`);
        break;
      case ComparisonOperator.EQ:
      case ComparisonOperator.NEQ:
        if (hasThreshold === (values !== null))
          problem(
            `${path}.threshold`,
            `${c.operator} needs either a threshold (number) or exactly one value (text)`,
          );
        else if (values && values.length !== 1)
          problem(`${path}.values`, `${c.operator} on text needs exactly one value`);
        if (hasUpper) problem(`${path}.upperThreshold`, 'only BETWEEN has an upper bound');
        break;
      default:
        if (NUMERIC_OPERATORS.includes(c.operator)) {
          if (!hasThreshold) problem(`${path}.threshold`, `${c.operator} needs a threshold`);
          if (hasUpper) problem(`${path}.upperThreshold`, 'only BETWEEN has an upper bound');
          if (values)
            problem(`${path}.values`, `${c.operator} compares numbers; values must be empty`);
        }
    }
    return {
      parameter: c.parameter,
      operator: c.operator,
      threshold: hasThreshold ? c.threshold! : null,
      upperThreshold: hasUpper ? c.upperThreshold! : null,
      values,
      unit: clean(c.unit),
      description: clean(c.description),
    };
  });

  let baseline: BaselineRule | null = null;
  if (present(input.baseline)) {
    const b = input.baseline;
    const rule = APPROACH_PARAMETERS[b.approach];
    const bp = (field: string, message: string) => problem(`baseline.${field}`, message);
    if (!Number.isFinite(b.referenceValue) || b.referenceValue < 0)
      bp('referenceValue', 'must be a finite number, zero or more');
    if (!Number.isInteger(b.referenceYear) || b.referenceYear < 1990 || b.referenceYear > 2100)
      bp('referenceYear', 'must be a year from 1990 to 2100');
    for (const name of APPROACH_SPECIFIC) {
      const value = b[name];
      if (present(value) && !rule.allowed.includes(name))
        bp(name, `is not used by the ${b.approach} approach`);
      if (!present(value) && rule.required.includes(name))
        bp(name, `is required by the ${b.approach} approach`);
    }
    for (const name of ['initialAdjustmentPct', 'annualTighteningPct'] as const) {
      const value = b[name];
      if (present(value) && (!Number.isFinite(value) || value < 0 || value > 100))
        bp(name, 'must be a percentage from 0 to 100');
    }
    if (present(b.targetYear) && b.targetYear <= b.referenceYear)
      bp('targetYear', 'must be after referenceYear');
    if (present(b.targetValue) && (!Number.isFinite(b.targetValue) || b.targetValue < 0))
      bp('targetValue', 'must be a finite number, zero or more');
    if (present(b.netZeroYear) && b.netZeroYear <= b.referenceYear)
      bp('netZeroYear', 'must be after referenceYear');
    if (present(b.updateIntervalYears) && (b.updateIntervalYears < 1 || b.updateIntervalYears > 50))
      bp('updateIntervalYears', 'must be from 1 to 50 years');
    baseline = {
      approach: b.approach,
      description: clean(b.description),
      referenceValue: b.referenceValue,
      unit: b.unit.trim(),
      referenceYear: b.referenceYear,
      initialAdjustmentPct: DECLINING.includes(b.approach)
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

  const additionalityRationale = clean(input.additionalityRationale);
  if (input.kind === EntryKind.POSITIVE) {
    if (!baseline) problem('baseline', 'a POSITIVE entry needs a baseline rule');
    if (!additionalityRationale)
      problem('additionalityRationale', 'a POSITIVE entry needs an additionality rationale');
  } else {
    if (criteria.length > 0)
      problem(
        'criteria',
        'a NEGATIVE entry excludes the activity whatever its parameters: it has no criteria',
      );
    if (present(input.baseline)) problem('baseline', 'a NEGATIVE entry has no baseline rule');
  }

  if (present(input.crediting)) {
    const { periodYears, renewals } = input.crediting;
    if (periodYears < 1 || periodYears > 100)
      problem('crediting.periodYears', 'must be from 1 to 100 years');
    if (renewals < 0 || renewals > 20) problem('crediting.renewals', 'must be from 0 to 20');
  }
  if (present(input.authorization)) {
    for (const name of [
      'shareRetainedForNdcPct',
      'shareOfProceedsPct',
      'omgeCancellationPct',
    ] as const) {
      const value = input.authorization[name];
      if (present(value) && (!Number.isFinite(value) || value < 0 || value > 100))
        problem(`authorization.${name}`, 'must be a percentage from 0 to 100');
    }
  }
  if (present(input.validFrom) && present(input.validUntil) && input.validFrom > input.validUntil) {
    problem('validUntil', 'must not be before validFrom');
  }

  return {
    problems,
    entry: {
      key,
      kind: input.kind,
      name: input.name.trim(),
      description: clean(input.description),
      technologies,
      sectorCodes: sectorCodes.sort(),
      ndcComponent: input.ndcComponent,
      ndcMeasureRef: clean(input.ndcMeasureRef),
      additionalityRationale,
      criteria,
      methodologies,
      baseline,
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
    },
  };
}
