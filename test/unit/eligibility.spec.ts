import {
  CandidateEntry,
  EligibilityQuestion,
  answerEligibility,
} from '../../src/eligibility/eligibility';
import {
  CriterionOutcome,
  EligibilityStatus,
  ParameterKindError,
  ProjectParameter,
  evaluateCriterion,
  evaluateEntry,
} from '../../src/eligibility/evaluation';
import { BaselineYearError } from '../../src/positive-lists/baseline';
import {
  BaselineApproach,
  ComparisonOperator as Op,
  Criterion,
  EntryKind,
  ParameterValidation,
} from '../../src/positive-lists/list-types';

const criterion = (
  parameter: string,
  operator: Op,
  threshold: number | null = null,
  extra: Partial<Criterion> = {},
): Criterion => ({
  parameter,
  operator,
  threshold,
  upperThreshold: null,
  values: null,
  unit: null,
  description: null,
  ...extra,
});
const params = (...list: [string, number | string][]) =>
  new Map<string, ProjectParameter>(
    list.map(([name, v]) => [
      name,
      { name, number: typeof v === 'number' ? v : null, text: typeof v === 'string' ? v : null },
    ]),
  );

describe('criteria evaluation (docs/domain.md section 4)', () => {
  it.each([
    [Op.LT, 50, 49.999, 'MET'],
    [Op.LT, 50, 50, 'UNMET'],
    [Op.LTE, 50, 50, 'MET'],
    [Op.LTE, 50, 50.001, 'UNMET'],
    [Op.GT, 5, 5, 'UNMET'],
    [Op.GT, 5, 5.001, 'MET'],
    [Op.GTE, 5, 5, 'MET'],
    [Op.GTE, 5, 4.999, 'UNMET'],
    [Op.EQ, 3, 3, 'MET'],
    [Op.EQ, 3, 3.0001, 'UNMET'],
    [Op.NEQ, 3, 3, 'UNMET'],
    [Op.NEQ, 3, 4, 'MET'],
  ])('%s %d with %d is %s', (operator, threshold, value, outcome) => {
    const r = evaluateCriterion(criterion('x', operator, threshold), params(['x', value]));
    expect(r).toMatchObject({ outcome, actual: String(value) });
  });

  it.each([
    [1, 'MET'],
    [10, 'MET'],
    [5, 'MET'],
    [0.999, 'UNMET'],
    [10.001, 'UNMET'],
  ])('BETWEEN 1 and 10 (inclusive) with %d is %s', (value, outcome) => {
    expect(
      evaluateCriterion(criterion('x', Op.BETWEEN, 1, { upperThreshold: 10 }), params(['x', value]))
        .outcome,
    ).toBe(outcome);
  });

  it.each([
    [Op.IN, 'North', 'MET'],
    [Op.IN, 'north', 'UNMET'],
    [Op.IN, 'West', 'UNMET'],
    [Op.NOT_IN, 'West', 'MET'],
    [Op.NOT_IN, 'North', 'UNMET'],
  ])('%s [North, Upper East] with %s is %s (exact text)', (operator, value, outcome) => {
    expect(
      evaluateCriterion(
        criterion('region', operator, null, { values: ['North', 'Upper East'] }),
        params(['region', value]),
      ).outcome,
    ).toBe(outcome);
  });

  it('compares EQ/NEQ on text when the criterion has values', () => {
    const eq = criterion('grid', Op.EQ, null, { values: ['on-grid'] });
    expect(evaluateCriterion(eq, params(['grid', 'on-grid'])).outcome).toBe('MET');
    expect(
      evaluateCriterion({ ...eq, operator: Op.NEQ }, params(['grid', 'on-grid'])).outcome,
    ).toBe('UNMET');
  });

  it('reports a parameter not supplied as MISSING', () => {
    expect(evaluateCriterion(criterion('capacityMW', Op.LTE, 50), params())).toEqual({
      criterion: expect.anything(),
      outcome: 'MISSING',
      actual: null,
    });
  });

  it('treats a parameter of the wrong kind as a client error, not UNMET', () => {
    expect(() =>
      evaluateCriterion(criterion('capacityMW', Op.LTE, 50), params(['capacityMW', '12'])),
    ).toThrow(ParameterKindError);
    expect(() =>
      evaluateCriterion(
        criterion('region', Op.IN, null, { values: ['North'] }),
        params(['region', 3]),
      ),
    ).toThrow(ParameterKindError);
  });

  it('decides an entry: any UNMET is NOT_ELIGIBLE, else any MISSING is INDETERMINATE, else ELIGIBLE', () => {
    const criteria = [
      criterion('capacityMW', Op.LTE, 50),
      criterion('gridPenetrationPct', Op.LT, 5),
    ];
    expect(evaluateEntry(EntryKind.POSITIVE, criteria, params(['capacityMW', 60]))).toMatchObject({
      status: 'NOT_ELIGIBLE',
      missingParameters: ['gridPenetrationPct'],
    });
    expect(evaluateEntry(EntryKind.POSITIVE, criteria, params(['capacityMW', 12]))).toMatchObject({
      status: 'INDETERMINATE',
      missingParameters: ['gridPenetrationPct'],
    });
    expect(
      evaluateEntry(
        EntryKind.POSITIVE,
        criteria,
        params(['capacityMW', 12], ['gridPenetrationPct', 2]),
      ),
    ).toMatchObject({ status: 'ELIGIBLE', missingParameters: [] });
    expect(evaluateEntry(EntryKind.NEGATIVE, [], params(['capacityMW', 12]))).toEqual({
      status: 'EXCLUDED',
      criteria: [],
      missingParameters: [],
    });
    expect(evaluateEntry(EntryKind.POSITIVE, [], params()).status).toBe(EligibilityStatus.ELIGIBLE);
  });
});

describe('the overall answer', () => {
  const baseline = {
    approach: BaselineApproach.BAU_DOWNWARD_ADJUSTED,
    description: null,
    referenceValue: 0.8,
    unit: 't/MWh',
    referenceYear: 2025,
    initialAdjustmentPct: 10,
    annualTighteningPct: 1,
    targetValue: null,
    targetYear: null,
    netZeroYear: null,
    parameterValidation: ParameterValidation.EX_ANTE,
    updateIntervalYears: null,
    methodologyReference: null,
  };
  const entry = (
    key: string,
    overrides: Partial<CandidateEntry<string>> = {},
  ): CandidateEntry<string> => ({
    ref: key,
    key,
    kind: EntryKind.POSITIVE,
    name: key,
    technologies: [],
    methodologies: [],
    sectorCodes: ['ENERGY'],
    criteria: [],
    baseline,
    validFrom: null,
    validUntil: null,
    ...overrides,
  });
  const solar = entry('SOLAR', {
    technologies: ['Solar PV'],
    methodologies: ['CDM ACM0002'],
    criteria: [criterion('capacityMW', Op.LTE, 50)],
  });
  const smallSolar = entry('SOLAR-SMALL', {
    technologies: ['solar pv'],
    criteria: [criterion('capacityMW', Op.LTE, 5)],
  });
  const lighting = entry('LIGHTING', {
    kind: EntryKind.NEGATIVE,
    technologies: ['LED lighting'],
    criteria: [],
    baseline: null,
  });
  const expired = entry('OLD-WIND', { technologies: ['wind'], validUntil: '2025-12-31' });
  const all = [solar, smallSolar, lighting, expired];
  const ask = (q: Partial<EligibilityQuestion>): EligibilityQuestion => ({
    hostCountry: 'GHA',
    activityKey: null,
    technology: null,
    sectorCode: null,
    methodology: null,
    on: '2026-11-25',
    parameters: params(),
    baselineYear: null,
    ...q,
  });
  const version = { version: 3 };

  it('is NO_LIST_IN_FORCE when no version is in force, not an error', () => {
    expect(answerEligibility(ask({ activityKey: 'SOLAR' }), null, [])).toEqual({
      status: 'NO_LIST_IN_FORCE',
      matches: [],
      explanation: 'GHA has no positive list in force on 2026-11-25.',
    });
  });

  it('looks an activity up by key, with the baseline value for the year asked', () => {
    const a = answerEligibility(
      ask({ activityKey: 'SOLAR', parameters: params(['capacityMW', 12]), baselineYear: 2030 }),
      version,
      all,
    );
    expect(a.status).toBe('ELIGIBLE');
    expect(a.matches).toHaveLength(1);
    expect(a.matches[0].baselineValue).toBeCloseTo(0.72 * 0.99 ** 5, 12);
    expect(a.explanation).toBe(
      `Eligible under GHA's list version 3 (in force on 2026-11-25): "SOLAR" (SOLAR) is eligible: all 1 criteria are met.`,
    );
  });

  it('matches technologies case-insensitively and takes the best status over the matches', () => {
    const a = answerEligibility(
      ask({ technology: 'SOLAR PV', parameters: params(['capacityMW', 12]) }),
      version,
      all,
    );
    expect(a.matches.map((m) => [m.entry, m.status])).toEqual([
      ['SOLAR', 'ELIGIBLE'],
      ['SOLAR-SMALL', 'NOT_ELIGIBLE'],
    ]);
    expect(a.status).toBe('ELIGIBLE');
    expect(a.matches[1].explanation).toBe(
      '"SOLAR-SMALL" (SOLAR-SMALL) is not eligible: capacityMW 12 is not LTE 5.',
    );
    const missing = answerEligibility(ask({ technology: 'solar pv' }), version, all);
    expect(missing.status).toBe('INDETERMINATE');
    expect(missing.explanation).toMatch(/supply capacityMW to decide/);
  });

  it('does not let a methodology hide an exclusion: a red-list entry naming no methodology excludes whatever is asked (docs/domain.md section 4)', () => {
    const a = answerEligibility(
      ask({ technology: 'led lighting', methodology: 'CDM AMS-II.C' }),
      version,
      all,
    );
    expect(a.status).toBe('EXCLUDED');
    expect(a.matches.map((m) => [m.entry, m.status])).toEqual([['LIGHTING', 'EXCLUDED']]);
  });

  it('lets a red-list entry that names methodologies exclude for those, and for questions naming none', () => {
    const coal = entry('COAL', {
      kind: EntryKind.NEGATIVE,
      technologies: ['coal'],
      methodologies: ['CDM ACM0013'],
      criteria: [],
      baseline: null,
    });
    const coalPlus = entry('COAL-CCS', { technologies: ['coal'], methodologies: ['CDM ACM0021'] });
    const on = (methodology?: string) =>
      answerEligibility(ask({ technology: 'coal', methodology }), version, [coal, coalPlus]);
    expect(on('cdm acm0013').status).toBe('EXCLUDED');
    expect(on(undefined).status).toBe('EXCLUDED');
    // Asked for another methodology, that exclusion does not apply; the positive entry decides.
    expect(on('CDM ACM0021').matches.map((m) => m.entry)).toEqual(['COAL-CCS']);
    expect(on('CDM ACM0021').status).toBe('ELIGIBLE');
  });

  it('narrows by methodology', () => {
    const a = answerEligibility(
      ask({
        technology: 'solar pv',
        methodology: 'cdm acm0002',
        parameters: params(['capacityMW', 12]),
      }),
      version,
      all,
    );
    expect(a.matches.map((m) => m.entry)).toEqual(['SOLAR']);
  });

  it('is EXCLUDED when the named activity is on the negative list, whatever its parameters', () => {
    const a = answerEligibility(
      ask({ technology: 'led lighting', parameters: params(['capacityMW', 1]) }),
      version,
      all,
    );
    expect(a.status).toBe('EXCLUDED');
    expect(a.explanation).toMatch(/^Excluded: "LIGHTING" \(LIGHTING\) is on GHA's negative list/);
  });

  it('lists negative entries of a sector as EXCLUDED matches without letting them decide (exploratory query)', () => {
    const a = answerEligibility(
      ask({ sectorCode: 'ENERGY', parameters: params(['capacityMW', 3]) }),
      version,
      all,
    );
    expect(a.status).toBe('ELIGIBLE');
    expect(a.matches.map((m) => [m.entry, m.status])).toEqual([
      ['SOLAR', 'ELIGIBLE'],
      ['SOLAR-SMALL', 'ELIGIBLE'],
      ['LIGHTING', 'EXCLUDED'],
    ]);
  });

  it('says NOT_ELIGIBLE, and why, when nothing matches', () => {
    const a = answerEligibility(ask({ technology: 'geothermal' }), version, all);
    expect(a).toEqual({
      status: 'NOT_ELIGIBLE',
      matches: [],
      explanation: `Not eligible: no eligible entry of GHA's list version 3 (in force on 2026-11-25) matches technology "geothermal".`,
    });
  });

  it('ignores entries outside their own validity on the date asked', () => {
    expect(answerEligibility(ask({ technology: 'wind' }), version, all).status).toBe(
      'NOT_ELIGIBLE',
    );
    expect(
      answerEligibility(ask({ technology: 'wind', on: '2025-06-01' }), version, all).status,
    ).toBe('ELIGIBLE');
  });

  it('refuses a baseline year before the reference year', () => {
    expect(() =>
      answerEligibility(ask({ activityKey: 'SOLAR', baselineYear: 2020 }), version, all),
    ).toThrow(BaselineYearError);
  });

  it('gives each criterion outcome with the supplied value', () => {
    const a = answerEligibility(
      ask({ activityKey: 'SOLAR', parameters: params(['capacityMW', 60]) }),
      version,
      all,
    );
    expect(a.matches[0].criteria.map((c) => [c.outcome, c.actual])).toEqual([
      [CriterionOutcome.UNMET, '60'],
    ]);
  });
});
