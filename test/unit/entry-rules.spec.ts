import {
  EntryFieldsInput,
  authorizationRule,
  baselineRule,
  checkEntry,
  creditingRule,
  criterionRule,
  keyRule,
  operandKindsRule,
  kindRule,
  sectorsRule,
  technologiesRule,
  validityRule,
} from '../../src/positive-lists/entry-rules';
import {
  AuthorizedUse,
  BaselineApproach,
  ComparisonOperator as Op,
  EntryKind,
  NdcComponent,
  ParameterValidation,
} from '../../src/positive-lists/list-types';

/** Each rule of an entry on its own, passing and failing, with the exact words an official reads. */
describe('entry rules', () => {
  const baseline = (over: object = {}) => ({
    approach: BaselineApproach.BAU_DOWNWARD_ADJUSTED,
    referenceValue: 0.8,
    unit: 'tCO2e/MWh',
    referenceYear: 2025,
    initialAdjustmentPct: 10,
    annualTighteningPct: 1,
    parameterValidation: ParameterValidation.EX_ANTE,
    ...over,
  });

  it('keyRule: upper-case letters, digits, _ and -, 2 to 64 long', () => {
    expect(keyRule('GHA-SOLAR-UTILITY')).toEqual([]);
    expect(keyRule(' GHA_1 ')).toEqual([]);
    for (const bad of ['gha-solar', 'G', '-GHA', 'GHA SOLAR', 'A'.repeat(65)]) {
      expect(keyRule(bad)).toEqual([
        {
          field: 'key',
          message: 'must be 2-64 upper-case letters, digits, _ or -, e.g. GHA-SOLAR-UTILITY',
        },
      ]);
    }
  });

  it('technologiesRule: none empty, none twice whatever the case', () => {
    expect(technologiesRule(['solar PV', 'wind'])).toEqual([]);
    expect(technologiesRule(['solar PV', ' ', 'Solar pv'])).toEqual([
      { field: 'technologies[1]', message: 'must not be empty' },
      { field: 'technologies[2]', message: '"Solar pv" is listed twice' },
    ]);
  });

  it("sectorsRule: at least one, each one of the country's", () => {
    const known = new Set(['ENERGY', 'WASTE']);
    expect(sectorsRule(['ENERGY', ' WASTE '], known)).toEqual([]);
    expect(sectorsRule([], known)).toEqual([
      { field: 'sectorCodes', message: 'must name at least one NDC sector of the country' },
    ]);
    expect(sectorsRule(['ENERGY', 'AFOLU'], known)).toEqual([
      { field: 'sectorCodes[1]', message: '"AFOLU" is not an NDC sector of this country' },
    ]);
  });

  describe('criterionRule: each operator with exactly its operands', () => {
    const at = 'criteria[0]';
    it.each([
      [{ parameter: 'capacityMW', operator: Op.LTE, threshold: 50 }],
      [{ parameter: 'capacityMW', operator: Op.BETWEEN, threshold: 1, upperThreshold: 5 }],
      [{ parameter: 'region', operator: Op.IN, values: ['North', 'South'] }],
      [{ parameter: 'region', operator: Op.EQ, values: ['North'] }],
      [{ parameter: 'capacityMW', operator: Op.NEQ, threshold: 0 }],
    ])('accepts %j', (c) => {
      expect(criterionRule(c, at)).toEqual([]);
    });

    it.each([
      [
        { parameter: '1st', operator: Op.LT, threshold: 1 },
        [{ field: `${at}.parameter`, message: 'must be a parameter name such as capacityMW' }],
      ],
      [
        { parameter: 'x', operator: Op.GT },
        [{ field: `${at}.threshold`, message: 'GT needs a threshold' }],
      ],
      [
        { parameter: 'x', operator: Op.GTE, threshold: 1, upperThreshold: 2, values: ['a'] },
        [
          { field: `${at}.upperThreshold`, message: 'only BETWEEN has an upper bound' },
          { field: `${at}.values`, message: 'GTE compares numbers; values must be empty' },
        ],
      ],
      [
        { parameter: 'x', operator: Op.BETWEEN, threshold: 5, upperThreshold: 1 },
        [{ field: `${at}.upperThreshold`, message: 'must not be below threshold' }],
      ],
      [
        { parameter: 'x', operator: Op.BETWEEN },
        [
          { field: `${at}.threshold`, message: 'BETWEEN needs a lower bound' },
          { field: `${at}.upperThreshold`, message: 'BETWEEN needs an upper bound' },
        ],
      ],
      [
        { parameter: 'x', operator: Op.NOT_IN, values: [], threshold: 3 },
        [
          { field: `${at}.values`, message: 'NOT_IN needs at least one value' },
          { field: `${at}.threshold`, message: 'NOT_IN compares text; thresholds must be empty' },
        ],
      ],
      [
        { parameter: 'x', operator: Op.EQ, threshold: 1, values: ['a'] },
        [
          {
            field: `${at}.threshold`,
            message: 'EQ needs either a threshold (number) or exactly one value (text)',
          },
        ],
      ],
      [
        { parameter: 'x', operator: Op.EQ, values: ['a', 'b'] },
        [{ field: `${at}.values`, message: 'EQ on text needs exactly one value' }],
      ],
      [
        { parameter: 'x', operator: Op.LT, threshold: Infinity },
        [{ field: `${at}.threshold`, message: 'must be a finite number' }],
      ],
      [
        { parameter: 'x', operator: Op.IN, values: ['a', ' '] },
        [{ field: `${at}.values`, message: 'must not contain empty values' }],
      ],
    ])('refuses %j', (c, problems) => {
      expect(criterionRule(c, at)).toEqual(problems);
    });
  });

  describe('baselineRule', () => {
    it('accepts a complete rule of each approach', () => {
      expect(baselineRule(baseline())).toEqual([]);
      expect(
        baselineRule(
          baseline({
            approach: BaselineApproach.NDC_TRAJECTORY,
            initialAdjustmentPct: null,
            annualTighteningPct: null,
            targetValue: 0.3,
            targetYear: 2035,
          }),
        ),
      ).toEqual([]);
      expect(
        baselineRule(
          baseline({
            approach: BaselineApproach.NET_ZERO_PATHWAY,
            initialAdjustmentPct: null,
            annualTighteningPct: null,
            netZeroYear: 2060,
          }),
        ),
      ).toEqual([]);
    });

    it('refuses parameters the approach does not use, and asks for those it needs', () => {
      expect(
        baselineRule(baseline({ approach: BaselineApproach.NET_ZERO_PATHWAY, targetYear: 2030 })),
      ).toEqual([
        {
          field: 'baseline.initialAdjustmentPct',
          message: 'is not used by the NET_ZERO_PATHWAY approach',
        },
        {
          field: 'baseline.annualTighteningPct',
          message: 'is not used by the NET_ZERO_PATHWAY approach',
        },
        { field: 'baseline.targetYear', message: 'is not used by the NET_ZERO_PATHWAY approach' },
        { field: 'baseline.netZeroYear', message: 'is required by the NET_ZERO_PATHWAY approach' },
      ]);
    });

    it('refuses unsound numbers and years', () => {
      expect(
        baselineRule(
          baseline({
            referenceValue: -1,
            referenceYear: 1989,
            initialAdjustmentPct: 101,
            updateIntervalYears: 0,
          }),
        ),
      ).toEqual([
        { field: 'baseline.referenceValue', message: 'must be a finite number, zero or more' },
        { field: 'baseline.referenceYear', message: 'must be a year from 1990 to 2100' },
        { field: 'baseline.initialAdjustmentPct', message: 'must be a percentage from 0 to 100' },
        { field: 'baseline.updateIntervalYears', message: 'must be from 1 to 50 years' },
      ]);
      expect(
        baselineRule(
          baseline({
            approach: BaselineApproach.NDC_TRAJECTORY,
            initialAdjustmentPct: null,
            annualTighteningPct: null,
            targetValue: -0.1,
            targetYear: 2025,
          }),
        ),
      ).toEqual([
        { field: 'baseline.targetYear', message: 'must be after referenceYear' },
        { field: 'baseline.targetValue', message: 'must be a finite number, zero or more' },
      ]);
    });
  });

  it('baselineRule: an initial adjustment only on the two downward-adjusted approaches', () => {
    for (const approach of [
      BaselineApproach.BENCHMARK,
      BaselineApproach.BEST_AVAILABLE_TECHNOLOGY,
    ]) {
      expect(baselineRule(baseline({ approach }))).toEqual([
        {
          field: 'baseline.initialAdjustmentPct',
          message: `is not used by the ${approach} approach`,
        },
      ]);
      expect(baselineRule(baseline({ approach, initialAdjustmentPct: null }))).toEqual([]);
    }
    for (const approach of [
      BaselineApproach.HISTORICAL_DOWNWARD_ADJUSTED,
      BaselineApproach.BAU_DOWNWARD_ADJUSTED,
    ]) {
      expect(baselineRule(baseline({ approach }))).toEqual([]);
    }
  });

  it('operandKindsRule: one parameter is compared as a number or as text, never both', () => {
    expect(
      operandKindsRule([
        { parameter: 'capacityMW', operator: Op.GTE, threshold: 1 },
        { parameter: 'capacityMW', operator: Op.LTE, threshold: 50 },
        { parameter: 'region', operator: Op.IN, values: ['North'] },
        { parameter: 'region', operator: Op.NEQ, values: ['South'] },
      ]),
    ).toEqual([]);
    expect(
      operandKindsRule([
        { parameter: 'capacityMW', operator: Op.LTE, threshold: 50 },
        { parameter: 'region', operator: Op.IN, values: ['North'] },
        { parameter: 'capacityMW', operator: Op.EQ, values: ['large'] },
        { parameter: 'region', operator: Op.EQ, threshold: 3 },
      ]),
    ).toEqual([
      {
        field: 'criteria[2]',
        message:
          'compares capacityMW as text, but criteria[0] compares it as a number: all criteria on one parameter must compare the same kind of value',
      },
      {
        field: 'criteria[3]',
        message:
          'compares region as a number, but criteria[1] compares it as text: all criteria on one parameter must compare the same kind of value',
      },
    ]);
  });

  it('kindRule: POSITIVE needs a baseline and a rationale; NEGATIVE has neither criteria nor baseline', () => {
    expect(
      kindRule({
        kind: EntryKind.POSITIVE,
        criteria: [],
        baseline: {},
        additionalityRationale: 'x',
      }),
    ).toEqual([]);
    expect(
      kindRule({ kind: EntryKind.POSITIVE, criteria: [], additionalityRationale: ' ' }),
    ).toEqual([
      { field: 'baseline', message: 'a POSITIVE entry needs a baseline rule' },
      {
        field: 'additionalityRationale',
        message: 'a POSITIVE entry needs an additionality rationale',
      },
    ]);
    expect(kindRule({ kind: EntryKind.NEGATIVE, criteria: [] })).toEqual([]);
    expect(kindRule({ kind: EntryKind.NEGATIVE, criteria: [{}], baseline: {} })).toEqual([
      {
        field: 'criteria',
        message:
          'a NEGATIVE entry excludes the activity whatever its parameters: it has no criteria',
      },
      { field: 'baseline', message: 'a NEGATIVE entry has no baseline rule' },
    ]);
  });

  it('creditingRule, authorizationRule and validityRule bound their numbers and dates', () => {
    expect(creditingRule({ periodYears: 10, renewals: 2 })).toEqual([]);
    expect(creditingRule(null)).toEqual([]);
    expect(creditingRule({ periodYears: 0, renewals: 21 })).toEqual([
      { field: 'crediting.periodYears', message: 'must be from 1 to 100 years' },
      { field: 'crediting.renewals', message: 'must be from 0 to 20' },
    ]);
    const authorization = {
      authorizedUses: [AuthorizedUse.NDC],
      correspondingAdjustment: true,
      shareRetainedForNdcPct: 20,
    };
    expect(authorizationRule(authorization)).toEqual([]);
    expect(authorizationRule({ ...authorization, shareOfProceedsPct: -5 })).toEqual([
      { field: 'authorization.shareOfProceedsPct', message: 'must be a percentage from 0 to 100' },
    ]);
    expect(validityRule('2027-01-01', '2027-01-01')).toEqual([]);
    expect(validityRule('2027-01-02', '2027-01-01')).toEqual([
      { field: 'validUntil', message: 'must not be before validFrom' },
    ]);
  });

  it('checkEntry runs every rule, prefixes the paths, and normalises the entry', () => {
    const input: EntryFieldsInput = {
      key: ' GHA-SOLAR ',
      kind: EntryKind.POSITIVE,
      name: ' Solar ',
      technologies: [' solar PV '],
      sectorCodes: ['WASTE', 'ENERGY', 'ENERGY'],
      ndcComponent: NdcComponent.CONDITIONAL,
      additionalityRationale: ' needs finance ',
      criteria: [{ parameter: 'capacityMW', operator: Op.LTE, threshold: 50, unit: ' MW ' }],
      methodologies: ['CDM ACM0002', ' ', 'CDM ACM0002'],
      baseline: baseline({ approach: BaselineApproach.HISTORICAL_DOWNWARD_ADJUSTED }),
    };
    const ok = checkEntry(input, new Set(['ENERGY', 'WASTE']), 'input.entry');
    expect(ok.problems).toEqual([]);
    expect(ok.entry).toMatchObject({
      key: 'GHA-SOLAR',
      name: 'Solar',
      technologies: ['solar PV'],
      sectorCodes: ['ENERGY', 'WASTE'],
      additionalityRationale: 'needs finance',
      methodologies: ['CDM ACM0002'],
      criteria: [{ parameter: 'capacityMW', threshold: 50, upperThreshold: null, unit: 'MW' }],
    });
    const bad = checkEntry(
      { ...input, key: 'x', criteria: [{ parameter: 'p', operator: Op.LT }] },
      new Set(['ENERGY']),
      'input.entry',
    );
    expect(bad.problems.map((p) => p.field)).toEqual([
      'input.entry.key',
      'input.entry.sectorCodes[0]',
      'input.entry.criteria[0].threshold',
    ]);
  });
});
