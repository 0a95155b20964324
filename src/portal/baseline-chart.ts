import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { LAST_BASELINE_YEAR, baselineValue } from '../positive-lists/baseline';
import { BaselineRule } from '../positive-lists/list-types';

/** The year a trajectory is drawn to when the rule names none later: mid-century. */
export const CHART_MIN_LAST_YEAR = 2050;

export interface BaselinePoint {
  year: number;
  value: number;
}

export interface ChartTick {
  /** Position along the axis, in SVG units. */
  at: number;
  value: number;
}

/**
 * A baseline trajectory laid out for a server-rendered SVG: geometry only, in SVG units, so
 * that the view decides the words (numbers in the reader's format, the unit, the title) and
 * the stylesheet the colours.
 */
export interface BaselineChart {
  width: number;
  height: number;
  /** The plotting area inside the axes. */
  plot: { left: number; right: number; top: number; bottom: number };
  points: BaselinePoint[];
  /** The trajectory as an SVG path (`d`). */
  path: string;
  xTicks: ChartTick[];
  yTicks: ChartTick[];
}

/**
 * The years a rule is drawn and tabulated for: from its reference year to its net-zero or
 * target year, and at least to 2050 so that rules can be compared on one horizon; never past
 * the last year the formula defines.
 */
export function chartYears(rule: BaselineRule): number[] {
  const named = rule.netZeroYear ?? rule.targetYear ?? CHART_MIN_LAST_YEAR;
  const last = Math.min(
    LAST_BASELINE_YEAR,
    Math.max(named, CHART_MIN_LAST_YEAR, rule.referenceYear + 1),
  );
  const years: number[] = [];
  for (let year = rule.referenceYear; year <= last; year++) years.push(year);
  return years;
}

const WIDTH = 640;
const HEIGHT = 320;
/** Room for the tick labels and the axis titles. */
const MARGIN = { top: 16, right: 24, bottom: 56, left: 80 };

/** The trajectory of `baselineValue` over `chartYears`, with its axes, in a 640 x 320 box. */
export function baselineChart(rule: BaselineRule): BaselineChart {
  const points = chartYears(rule).map((year) => ({ year, value: baselineValue(rule, year) }));
  const plot = {
    left: MARGIN.left,
    right: WIDTH - MARGIN.right,
    top: MARGIN.top,
    bottom: HEIGHT - MARGIN.bottom,
  };
  const x = scaleLinear()
    .domain([points[0].year, points[points.length - 1].year])
    .range([plot.left, plot.right]);
  // From zero: a baseline is read against nothing emitted, and a flat rule still draws a line.
  const top = Math.max(0, ...points.map((p) => p.value));
  const y = scaleLinear()
    .domain([Math.min(0, ...points.map((p) => p.value)), top > 0 ? top : 1])
    .range([plot.bottom, plot.top])
    .nice();
  const path =
    line<BaselinePoint>()
      .x((p) => round(x(p.year)))
      .y((p) => round(y(p.value)))(points) ?? '';
  return {
    width: WIDTH,
    height: HEIGHT,
    plot,
    points,
    path,
    // Whole years only: a tick at 2027.5 would name no year.
    xTicks: x
      .ticks(6)
      .filter(Number.isInteger)
      .map((year) => ({ at: round(x(year)), value: year })),
    yTicks: y.ticks(5).map((value) => ({ at: round(y(value)), value })),
  };
}

/** SVG coordinates to a tenth of a unit: a shorter page, the same drawing. */
const round = (n: number): number => Math.round(n * 10) / 10;
