import { BaselineApproach, BaselineRule } from '../positive-lists/list-types';

/** Raised for a year the rule does not define (before its reference year). */
export class BaselineYearError extends Error {}

/**
 * The crediting baseline for year `y`, exactly as docs/domain.md section 5 defines it.
 * Percentages are numbers (10 means 10%); absent ones count as 0.
 */
export function baselineValue(rule: BaselineRule, year: number): number {
  if (!Number.isInteger(year)) throw new BaselineYearError('year must be a whole year');
  if (year < rule.referenceYear) {
    throw new BaselineYearError(`year ${year} is before the reference year ${rule.referenceYear}`);
  }
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
