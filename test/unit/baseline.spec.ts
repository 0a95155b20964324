import { BaselineYearError, baselineValue } from '../../src/positive-lists/baseline';
import {
  BaselineApproach,
  BaselineRule,
  ParameterValidation,
} from '../../src/positive-lists/list-types';

const rule = (overrides: Partial<BaselineRule>): BaselineRule => ({
  approach: BaselineApproach.BAU_DOWNWARD_ADJUSTED,
  description: null,
  referenceValue: 0.8,
  unit: 'tCO2e/MWh',
  referenceYear: 2025,
  initialAdjustmentPct: null,
  annualTighteningPct: null,
  targetValue: null,
  targetYear: null,
  netZeroYear: null,
  parameterValidation: ParameterValidation.EX_ANTE,
  updateIntervalYears: null,
  methodologyReference: null,
  ...overrides,
});

describe('baseline formulas (docs/domain.md section 5)', () => {
  it('matches the worked check: 0.8, 2025, 10% initial, 1%/yr', () => {
    const r = rule({ initialAdjustmentPct: 10, annualTighteningPct: 1 });
    expect(baselineValue(r, 2025)).toBeCloseTo(0.72, 12);
    expect(baselineValue(r, 2030)).toBeCloseTo(0.72 * 0.99 ** 5, 12);
    expect(baselineValue(r, 2030)).toBeCloseTo(0.684712, 5);
  });

  it('gives values to 12 significant digits: 0.72, not 0.7200000000000001', () => {
    const r = rule({ initialAdjustmentPct: 10, annualTighteningPct: 1 });
    expect(0.8 * (1 - 0.1)).toBe(0.7200000000000001); // what plain floating point gives
    expect(baselineValue(r, 2025)).toBe(0.72);
    // 0.99^5 = 0.9509900499 exactly, x 0.72 = 0.684712835928 (12 digits, exact here)
    expect(baselineValue(r, 2030)).toBe(0.684712835928);
  });

  it('computes up to 2200 and refuses later years, as for baselineYear', () => {
    const r = rule({ annualTighteningPct: 1 });
    expect(baselineValue(r, 2200)).toBe(Number((0.8 * 0.99 ** 175).toPrecision(12)));
    expect(() => baselineValue(r, 2201)).toThrow(new BaselineYearError('year 2201 is after 2200'));
    expect(() => baselineValue(r, 2024)).toThrow(
      new BaselineYearError('year 2024 is before the reference year 2025'),
    );
  });

  it.each([
    BaselineApproach.BENCHMARK,
    BaselineApproach.BEST_AVAILABLE_TECHNOLOGY,
    BaselineApproach.HISTORICAL_DOWNWARD_ADJUSTED,
  ])('%s counts absent percentages as 0', (approach) => {
    expect(baselineValue(rule({ approach }), 2040)).toBe(0.8);
    expect(baselineValue(rule({ approach, annualTighteningPct: 2 }), 2027)).toBeCloseTo(
      0.8 * 0.98 ** 2,
      12,
    );
  });

  it('matches the worked check for NET_ZERO_PATHWAY: 0.6, 2020, net zero 2060', () => {
    const r = rule({
      approach: BaselineApproach.NET_ZERO_PATHWAY,
      referenceValue: 0.6,
      referenceYear: 2020,
      netZeroYear: 2060,
    });
    expect(baselineValue(r, 2020)).toBeCloseTo(0.6, 12);
    expect(baselineValue(r, 2040)).toBeCloseTo(0.3, 12);
    expect(baselineValue(r, 2060)).toBe(0);
    expect(baselineValue(r, 2075)).toBe(0);
  });

  it('draws NDC_TRAJECTORY through both anchors and holds it flat afterwards', () => {
    const r = rule({
      approach: BaselineApproach.NDC_TRAJECTORY,
      referenceValue: 1,
      referenceYear: 2020,
      targetValue: 0.5,
      targetYear: 2030,
    });
    expect(baselineValue(r, 2020)).toBe(1);
    expect(baselineValue(r, 2025)).toBeCloseTo(0.75, 12);
    expect(baselineValue(r, 2030)).toBe(0.5);
    expect(baselineValue(r, 2050)).toBe(0.5);
  });

  it('never increases over time for a tightening rule (property over many rules)', () => {
    for (let initial = 0; initial <= 100; initial += 12.5) {
      for (let tightening = 0; tightening <= 100; tightening += 7.5) {
        const r = rule({ initialAdjustmentPct: initial, annualTighteningPct: tightening });
        for (let year = 2025; year < 2070; year++) {
          expect(baselineValue(r, year + 1)).toBeLessThanOrEqual(baselineValue(r, year));
        }
      }
    }
  });

  it('refuses years before the reference year and fractional years', () => {
    expect(() => baselineValue(rule({}), 2024)).toThrow(BaselineYearError);
    expect(() => baselineValue(rule({}), 2030.5)).toThrow(BaselineYearError);
  });
});

describe('baseline properties over many rules', () => {
  it('NET_ZERO_PATHWAY is 0 from the net-zero year on, and positive before it', () => {
    for (let referenceYear = 2000; referenceYear <= 2040; referenceYear += 5) {
      for (let netZeroYear = referenceYear + 1; netZeroYear <= 2080; netZeroYear += 7) {
        const r = rule({
          approach: BaselineApproach.NET_ZERO_PATHWAY,
          referenceYear,
          netZeroYear,
          referenceValue: 1.3,
        });
        expect(baselineValue(r, netZeroYear)).toBe(0);
        expect(baselineValue(r, netZeroYear + 10)).toBe(0);
        expect(baselineValue(r, netZeroYear - 1)).toBeGreaterThan(0);
        expect(baselineValue(r, referenceYear)).toBeCloseTo(1.3, 12);
      }
    }
  });

  it('NDC_TRAJECTORY passes through both anchor points and is monotone between them', () => {
    for (let targetYear = 2026; targetYear <= 2060; targetYear += 3) {
      for (const targetValue of [0, 0.2, 0.8, 1.5]) {
        const r = rule({
          approach: BaselineApproach.NDC_TRAJECTORY,
          referenceValue: 0.8,
          referenceYear: 2025,
          targetValue,
          targetYear,
        });
        expect(baselineValue(r, 2025)).toBeCloseTo(0.8, 12);
        expect(baselineValue(r, targetYear)).toBeCloseTo(targetValue, 12);
        for (let y = 2025; y < targetYear; y++) {
          const step = baselineValue(r, y + 1) - baselineValue(r, y);
          expect(Math.sign(step) === Math.sign(targetValue - 0.8) || Math.abs(step) < 1e-12).toBe(
            true,
          );
        }
      }
    }
  });
});
