import { ComparisonOperator, Criterion, EntryKind } from '../positive-lists/list-types';
import type { BaselineRule } from '../positive-lists/list-types';
import { baselineValue } from '../positive-lists/baseline';
import {
  CriterionOutcome,
  CriterionResult,
  EligibilityStatus,
  ProjectParameter,
  bestStatus,
  evaluateEntry,
} from './evaluation';

/** An entry of the version in force, with its sectors' codes. */
export interface CandidateEntry<E = unknown> {
  ref: E;
  key: string;
  kind: EntryKind;
  name: string;
  technologies: string[];
  methodologies: string[];
  sectorCodes: string[];
  criteria: Criterion[];
  baseline: BaselineRule | null;
  validFrom: string | null;
  validUntil: string | null;
}

export interface EligibilityQuestion {
  hostCountry: string;
  activityKey: string | null;
  technology: string | null;
  sectorCode: string | null;
  methodology: string | null;
  on: string;
  parameters: ReadonlyMap<string, ProjectParameter>;
  baselineYear: number | null;
}

export interface EntryAnswer<E> {
  entry: E;
  status: EligibilityStatus;
  criteria: CriterionResult[];
  missingParameters: string[];
  baselineValue: number | null;
  explanation: string;
}

export interface EligibilityAnswer<E> {
  status: EligibilityStatus;
  matches: EntryAnswer<E>[];
  explanation: string;
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** An unmet criterion in words: `capacityMW 80 MW is not LTE 50`. */
export function describeUnmet(r: CriterionResult): string {
  const c = r.criterion;
  const bound =
    c.operator === ComparisonOperator.BETWEEN
      ? `between ${c.threshold} and ${c.upperThreshold}`
      : c.values
        ? `${c.operator} [${c.values.join(', ')}]`
        : `${c.operator} ${c.threshold}`;
  return `${c.parameter} ${r.actual}${c.unit ? ` ${c.unit}` : ''} is not ${bound}`;
}

function explainEntry(
  candidate: CandidateEntry,
  status: EligibilityStatus,
  results: CriterionResult[],
  missing: string[],
  country: string,
): string {
  const label = `"${candidate.name}" (${candidate.key})`;
  switch (status) {
    case EligibilityStatus.EXCLUDED:
      return `${label} is on ${country}'s negative list: not eligible whatever the project's parameters.`;
    case EligibilityStatus.ELIGIBLE:
      return results.length === 0
        ? `${label} is eligible: it sets no conditions.`
        : `${label} is eligible: all ${results.length} criteria are met.`;
    case EligibilityStatus.INDETERMINATE:
      return `${label} may be eligible: supply ${missing.join(', ')} to decide.`;
    default:
      return `${label} is not eligible: ${results
        .filter((r) => r.outcome === CriterionOutcome.UNMET)
        .map(describeUnmet)
        .join('; ')}.`;
  }
}

function describeQuestion(q: EligibilityQuestion): string {
  const parts = [
    q.activityKey ? `activity ${q.activityKey}` : null,
    q.technology ? `technology "${q.technology}"` : null,
    q.sectorCode ? `sector ${q.sectorCode}` : null,
    q.methodology ? `methodology "${q.methodology}"` : null,
  ].filter((p): p is string => p !== null);
  return parts.join(', ');
}

/**
 * The answer to "is this activity eligible in this country on this date?", exactly as
 * docs/domain.md section 4 defines it, given the version in force and its entries. Pure: the
 * caller loads the data and maps errors (ParameterKindError, BaselineYearError).
 */
export function answerEligibility<E>(
  q: EligibilityQuestion,
  version: { version: number } | null,
  candidates: CandidateEntry<E>[],
): EligibilityAnswer<E> {
  if (!version) {
    return {
      status: EligibilityStatus.NO_LIST_IN_FORCE,
      matches: [],
      explanation: `${q.hostCountry} has no positive list in force on ${q.on}.`,
    };
  }
  const applicable = candidates.filter(
    (e) =>
      (e.validFrom === null || e.validFrom <= q.on) &&
      (e.validUntil === null || q.on <= e.validUntil),
  );
  let matched = q.activityKey
    ? applicable.filter((e) => e.key === q.activityKey)
    : applicable.filter(
        (e) =>
          (!q.technology || e.technologies.some((t) => same(t, q.technology!))) &&
          (!q.sectorCode || e.sectorCodes.includes(q.sectorCode)),
      );
  // docs/domain.md section 4: a methodology narrows the POSITIVE matches to entries that list
  // it, but never hides an exclusion: a NEGATIVE entry that lists no methodology excludes
  // whatever methodology is asked, and one that lists some excludes for those.
  if (q.methodology) {
    const lists = (e: CandidateEntry<E>) => e.methodologies.some((m) => same(m, q.methodology!));
    matched = matched.filter((e) =>
      e.kind === EntryKind.NEGATIVE ? e.methodologies.length === 0 || lists(e) : lists(e),
    );
  }

  const matches: EntryAnswer<E>[] = matched.map((candidate) => {
    const verdict = evaluateEntry(candidate.kind, candidate.criteria, q.parameters);
    const value =
      q.baselineYear !== null && candidate.baseline && candidate.kind === EntryKind.POSITIVE
        ? baselineValue(candidate.baseline, q.baselineYear)
        : null;
    return {
      entry: candidate.ref,
      status: verdict.status,
      criteria: verdict.criteria,
      missingParameters: verdict.missingParameters,
      baselineValue: value,
      explanation: explainEntry(
        candidate,
        verdict.status,
        verdict.criteria,
        verdict.missingParameters,
        q.hostCountry,
      ),
    };
  });

  const listName = `${q.hostCountry}'s list version ${version.version} (in force on ${q.on})`;
  const named = Boolean(q.activityKey || q.technology);
  const excluded = matches.filter((m) => m.status === EligibilityStatus.EXCLUDED);
  if (named && excluded.length > 0) {
    return {
      status: EligibilityStatus.EXCLUDED,
      matches,
      explanation: `Excluded: ${excluded[0].explanation}`,
    };
  }
  const positives = matches.filter((m) => m.status !== EligibilityStatus.EXCLUDED);
  if (positives.length === 0) {
    return {
      status: EligibilityStatus.NOT_ELIGIBLE,
      matches,
      explanation: `Not eligible: no eligible entry of ${listName} matches ${describeQuestion(q)}.`,
    };
  }
  const status = bestStatus(positives.map((m) => m.status));
  const best = positives.find((m) => m.status === status)!;
  const verdict = {
    ELIGIBLE: 'Eligible',
    INDETERMINATE: 'Undecided',
    NOT_ELIGIBLE: 'Not eligible',
  }[status as 'ELIGIBLE'];
  return { status, matches, explanation: `${verdict} under ${listName}: ${best.explanation}` };
}
