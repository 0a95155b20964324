import { BaselineApproach, BaselineRule } from '../positive-lists/list-types';

/** Raised for a year the rule does not define (before its reference year, or after 2200). */
export class BaselineYearError extends Error {}

/** The last year a baseline is computed for, for `valueFor(year)` and `baselineYear` alike. */
export const LAST_BASELINE_YEAR = 2200;

/**
 * Values are given to 12 significant digits, so that 0.8 x 0.9 is 0.72 and not
 * 0.7200000000000001: what a person expects, and the same text on every platform.
 */
export const roundValue = (value: number): number => Number(value.toPrecision(12));

/**
 * The crediting baseline for year `y`, exactly as docs/domain.md section 5 defines it.
 * Percentages are numbers (10 means 10%); absent ones count as 0.
 */
export function baselineValue(rule: BaselineRule, year: number): number {
  if (!Number.isInteger(year)) throw new BaselineYearError('year must be a whole year');
  if (year < rule.referenceYear) {
    throw new BaselineYearError(`year ${year} is before the reference year ${rule.referenceYear}`);
  }
  if (year > LAST_BASELINE_YEAR) {
    throw new BaselineYearError(`year ${year} is after ${LAST_BASELINE_YEAR}`);
  }
  return roundValue(formula(rule, year));
}

function formula(rule: BaselineRule, year: number): number {
  const elapsed = year - rule.referenceYear;
  switch (rule.approach) {
    case BaselineApproach.BENCHMARK:
    case BaselineApproach.BEST_AVAILABLE_TECHNOLOGY:
    case BaselineApproach.HISTORICAL_DOWNWARD_ADJUSTED:
    case BaselineApproach.BAU_DOWNWARD_ADJUSTED: {
      const initial = (rule.initialAdjustmentPct ?? 0) / 100;
      const tightening = (rule.annualTighteningPct ?? 0) / 100;
      return rule.referenceValue * (1 - initial) * Math.pow(1 - tightening, elapsed);
    }
    case BaselineApproach.NDC_TRAJECTORY: {
      const targetYear = rule.targetYear!;
      const targetValue = rule.targetValue!;
      if (year >= targetYear) return targetValue;
      const share = elapsed / (targetYear - rule.referenceYear);
      return rule.referenceValue + (targetValue - rule.referenceValue) * share;
    }
    case BaselineApproach.NET_ZERO_PATHWAY: {
      const netZeroYear = rule.netZeroYear!;
      return (
        rule.referenceValue * Math.max(0, (netZeroYear - year) / (netZeroYear - rule.referenceYear))
      );
    }
  }
}
