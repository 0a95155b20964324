import { baselineChart, chartYears } from '../../src/portal/baseline-chart';
import { baselineValue } from '../../src/positive-lists/baseline';
import {
  BaselineApproach,
  BaselineRule,
  ParameterValidation,
} from '../../src/positive-lists/list-types';

const rule = (overrides: Partial<BaselineRule> = {}): BaselineRule => ({
  approach: BaselineApproach.BAU_DOWNWARD_ADJUSTED,
  description: null,
  referenceValue: 0.8,
  unit: 'tCO2e/MWh',
  referenceYear: 2025,
  initialAdjustmentPct: 10,
  annualTighteningPct: 1,
  targetValue: null,
  targetYear: null,
  netZeroYear: null,
  parameterValidation: ParameterValidation.EX_ANTE,
  updateIntervalYears: null,
  methodologyReference: null,
  ...overrides,
});

describe('the baseline chart', () => {
  it('runs from the reference year to 2050 when the rule names no later year', () => {
    const chart = baselineChart(rule());
    expect(chart.points[0]).toEqual({ year: 2025, value: 0.72 });
    expect(chart.points.at(-1)).toEqual({ year: 2050, value: baselineValue(rule(), 2050) });
    expect(chart.points).toHaveLength(26);
  });

  it('runs to the net-zero or target year when later than 2050, never before 2050', () => {
    expect(
      chartYears(rule({ approach: BaselineApproach.NET_ZERO_PATHWAY, netZeroYear: 2060 })).at(-1),
    ).toBe(2060);
    expect(
      chartYears(
        rule({ approach: BaselineApproach.NDC_TRAJECTORY, targetValue: 0.5, targetYear: 2035 }),
      ).at(-1),
    ).toBe(2050);
    expect(chartYears(rule({ referenceYear: 2060 }))).toEqual([2060, 2061]);
  });

  it('has whole-year ticks on x and round ticks from zero on y, inside the plot', () => {
    const chart = baselineChart(rule());
    expect(chart.xTicks.map((t) => t.value)).toEqual([2025, 2030, 2035, 2040, 2045, 2050]);
    expect(chart.xTicks[0].at).toBe(chart.plot.left);
    expect(chart.xTicks.at(-1)!.at).toBe(chart.plot.right);
    const ys = chart.yTicks.map((t) => t.value);
    expect(ys[0]).toBe(0);
    expect(ys.at(-1)).toBeGreaterThanOrEqual(0.72);
    expect(chart.yTicks[0].at).toBe(chart.plot.bottom);
    for (const tick of chart.yTicks) {
      expect(tick.at).toBeGreaterThanOrEqual(chart.plot.top);
      expect(tick.at).toBeLessThanOrEqual(chart.plot.bottom);
    }
  });

  it('draws one path through every year, from the first point to the last', () => {
    const chart = baselineChart(rule());
    expect(chart.path).toMatch(/^M80,[\d.]+(L[\d.]+,[\d.]+){25}$/);
    const [x0] = chart.path.slice(1).split('L')[0].split(',').map(Number);
    const [xn] = chart.path.split('L').at(-1)!.split(',').map(Number);
    expect(x0).toBe(chart.plot.left);
    expect(xn).toBe(chart.plot.right);
  });

  it('draws a net-zero pathway down to the x axis', () => {
    const chart = baselineChart(
      rule({ approach: BaselineApproach.NET_ZERO_PATHWAY, netZeroYear: 2050 }),
    );
    expect(chart.points.at(-1)).toEqual({ year: 2050, value: 0 });
    expect(chart.path.endsWith(`,${chart.plot.bottom}`)).toBe(true);
  });
});
