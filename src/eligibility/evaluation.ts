import { ComparisonOperator, Criterion, EntryKind } from '../positive-lists/list-types';

export enum EligibilityStatus {
  ELIGIBLE = 'ELIGIBLE',
  NOT_ELIGIBLE = 'NOT_ELIGIBLE',
  INDETERMINATE = 'INDETERMINATE',
  EXCLUDED = 'EXCLUDED',
  NO_LIST_IN_FORCE = 'NO_LIST_IN_FORCE',
}

export enum CriterionOutcome {
  MET = 'MET',
  UNMET = 'UNMET',
  MISSING = 'MISSING',
}

/** A project parameter as supplied: exactly one of `number` or `text`. */
export interface ProjectParameter {
  name: string;
  number: number | null;
  text: string | null;
}

/** A parameter of the wrong kind for a criterion: the client's mistake, not an UNMET. */
export class ParameterKindError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

export interface CriterionResult {
  criterion: Criterion;
  outcome: CriterionOutcome;
  /** The supplied value, as text. */
  actual: string | null;
}

/** True when the criterion compares numbers (docs/domain.md section 4). */
export function isNumericCriterion(c: Criterion): boolean {
  switch (c.operator) {
    case ComparisonOperator.IN:
    case ComparisonOperator.NOT_IN:
      return false;
    case ComparisonOperator.EQ:
    case ComparisonOperator.NEQ:
      return c.threshold !== null;
    default:
      return true;
  }
}

/** MET, UNMET or MISSING for one criterion and the project's parameters. */
export function evaluateCriterion(
  c: Criterion,
  parameters: ReadonlyMap<string, ProjectParameter>,
): CriterionResult {
  const supplied = parameters.get(c.parameter);
  if (!supplied) return { criterion: c, outcome: CriterionOutcome.MISSING, actual: null };
  const result = (met: boolean, actual: string) => ({
    criterion: c,
    outcome: met ? CriterionOutcome.MET : CriterionOutcome.UNMET,
    actual,
  });
  if (isNumericCriterion(c)) {
    if (supplied.number === null) {
      throw new ParameterKindError(
        c.parameter,
        `parameter ${c.parameter} must be a number for ${c.operator}`,
      );
    }
    const x = supplied.number;
    const t = c.threshold!;
    const actual = String(x);
    switch (c.operator) {
      case ComparisonOperator.LT:
        return result(x < t, actual);
      case ComparisonOperator.LTE:
        return result(x <= t, actual);
      case ComparisonOperator.GT:
        return result(x > t, actual);
      case ComparisonOperator.GTE:
        return result(x >= t, actual);
      case ComparisonOperator.BETWEEN:
        return result(x >= t && x <= c.upperThreshold!, actual);
      case ComparisonOperator.EQ:
        return result(x === t, actual);
      default:
        return result(x !== t, actual); // NEQ
    }
  }
  if (supplied.text === null) {
    throw new ParameterKindError(
      c.parameter,
      `parameter ${c.parameter} must be text for ${c.operator}`,
    );
  }
  const values = c.values ?? [];
  const inValues = values.includes(supplied.text);
  switch (c.operator) {
    case ComparisonOperator.IN:
    case ComparisonOperator.EQ:
      return result(inValues, supplied.text);
    default:
      return result(!inValues, supplied.text); // NOT_IN, NEQ
  }
}

export interface EntryVerdict {
  status: EligibilityStatus;
  criteria: CriterionResult[];
  missingParameters: string[];
}

/**
 * One entry against the project: a NEGATIVE entry EXCLUDES whatever the parameters; a
 * POSITIVE one is NOT_ELIGIBLE if any criterion is UNMET, else INDETERMINATE if any is
 * MISSING (naming the parameters still needed), else ELIGIBLE.
 */
export function evaluateEntry(
  kind: EntryKind,
  criteria: Criterion[],
  parameters: ReadonlyMap<string, ProjectParameter>,
): EntryVerdict {
  if (kind === EntryKind.NEGATIVE) {
    return { status: EligibilityStatus.EXCLUDED, criteria: [], missingParameters: [] };
  }
  const results = criteria.map((c) => evaluateCriterion(c, parameters));
  const missingParameters = [
    ...new Set(
      results
        .filter((r) => r.outcome === CriterionOutcome.MISSING)
        .map((r) => r.criterion.parameter),
    ),
  ];
  const status = results.some((r) => r.outcome === CriterionOutcome.UNMET)
    ? EligibilityStatus.NOT_ELIGIBLE
    : missingParameters.length > 0
      ? EligibilityStatus.INDETERMINATE
      : EligibilityStatus.ELIGIBLE;
  return { status, criteria: results, missingParameters };
}

const RANK: Partial<Record<EligibilityStatus, number>> = {
  [EligibilityStatus.ELIGIBLE]: 0,
  [EligibilityStatus.INDETERMINATE]: 1,
  [EligibilityStatus.NOT_ELIGIBLE]: 2,
};

/** The best status over matching POSITIVE entries: ELIGIBLE, then INDETERMINATE, then NOT_ELIGIBLE. */
export function bestStatus(statuses: EligibilityStatus[]): EligibilityStatus {
  return statuses.reduce(
    (best, s) => ((RANK[s] ?? 9) < (RANK[best] ?? 9) ? s : best),
    EligibilityStatus.NOT_ELIGIBLE,
  );
}
