import { BaselineRule, ComparisonOperator, Criterion } from '../../positive-lists/list-types';
import { PageContext } from './page-context';

/** One formatter per language: building an Intl.NumberFormat costs far more than using one. */
const numberFormats = new Map<string, Intl.NumberFormat>();

/** A number as the reader writes it (decimal comma in French and Spanish). */
export function formatNumber(ctx: PageContext, value: number): string {
  let format = numberFormats.get(ctx.lang);
  if (!format) {
    format = new Intl.NumberFormat(ctx.lang, { maximumFractionDigits: 6 });
    numberFormats.set(ctx.lang, format);
  }
  return format.format(value);
}

const withUnit = (ctx: PageContext, value: number | null, unit: string | null): string =>
  value === null ? '' : unit ? `${formatNumber(ctx, value)} ${unit}` : formatNumber(ctx, value);

/** A criterion in plain words: "capacityMW at most 50 MW". */
export function describeCriterion(ctx: PageContext, criterion: Criterion): string {
  const listed = (criterion.values ?? []).join(', ');
  const value =
    criterion.operator === ComparisonOperator.IN || criterion.operator === ComparisonOperator.NOT_IN
      ? listed
      : withUnit(ctx, criterion.threshold, criterion.unit);
  return ctx.t(`lists:operator.${criterion.operator}`, {
    parameter: criterion.parameter,
    value,
    upper: withUnit(ctx, criterion.upperThreshold, criterion.unit),
  });
}

/** A baseline rule in one line: approach, reference value and year, how it moves. */
export function describeBaseline(ctx: PageContext, rule: BaselineRule): string {
  const { t } = ctx;
  const parts = [
    t('lists:baselineSummary', {
      approach: t(`lists:approach.${rule.approach}`),
      value: formatNumber(ctx, rule.referenceValue),
      unit: rule.unit,
      year: rule.referenceYear,
    }),
  ];
  if (rule.initialAdjustmentPct)
    parts.push(t('lists:initialAdjustment', { pct: formatNumber(ctx, rule.initialAdjustmentPct) }));
  if (rule.annualTighteningPct)
    parts.push(t('lists:tightening', { pct: formatNumber(ctx, rule.annualTighteningPct) }));
  if (rule.targetValue !== null && rule.targetYear !== null)
    parts.push(
      t('lists:towardsTarget', {
        value: formatNumber(ctx, rule.targetValue),
        unit: rule.unit,
        year: rule.targetYear,
      }),
    );
  if (rule.netZeroYear !== null) parts.push(t('lists:netZeroBy', { year: rule.netZeroYear }));
  return parts.join(', ');
}
