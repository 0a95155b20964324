import { ListsInForce } from '../../src/positive-lists/lists-in-force';
import { countStatements } from '../support/statement-counter';
import { eventually } from '../support/eventually';
import {
  countryWithPeople,
  publishedVersion,
  redListEntry,
  solarEntry,
  today,
} from '../support/list-fixtures';
import { TestApp, expectError, registerCountry } from '../support/test-app';

const CHECK = `query($q: EligibilityQuery!) { checkEligibility(query: $q) {
  status hostCountry on explanation listVersion { version }
  matches { status missingParameters baselineValue explanation entry { key sectors { code } }
    criteria { outcome actual criterion { parameter operator threshold unit } } } } }`;
const BATCH = `query($qs: [EligibilityQuery!]!) { checkEligibilityBatch(queries: $qs) { status hostCountry matches { entry { key } status } } }`;

describe('eligibility over GraphQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
    const ghana = await countryWithPeople(t, 'GHA');
    await publishedVersion(t, ghana, 'GHA', [
      solarEntry({
        criteria: [
          { parameter: 'capacityMW', operator: 'LTE', threshold: 50, unit: 'MW' },
          { parameter: 'region', operator: 'IN', values: ['Northern', 'Upper East'] },
        ],
      }),
      redListEntry(),
    ]);
    await registerCountry(t, 'KEN', 'Kenya'); // registered, no list
  });
  afterAll(() => t.close());

  it('answers "is a 12 MW solar plant in the Northern region eligible, and what baseline in 2030?"', async () => {
    const res = await t.gql(CHECK, {
      q: {
        hostCountry: 'GHA',
        activityKey: 'GHA-SOLAR-UTILITY',
        parameters: [
          { name: 'capacityMW', number: 12 },
          { name: 'region', text: 'Northern' },
        ],
        baselineYear: 2030,
      },
    });
    expect(res.errors).toBeUndefined();
    const r = res.data.checkEligibility;
    expect(r).toMatchObject({
      status: 'ELIGIBLE',
      hostCountry: 'GHA',
      on: today(),
      listVersion: { version: 1 },
    });
    expect(r.matches).toHaveLength(1);
    expect(r.matches[0]).toMatchObject({
      status: 'ELIGIBLE',
      missingParameters: [],
      entry: { key: 'GHA-SOLAR-UTILITY', sectors: [{ code: 'ENERGY' }] },
    });
    expect(r.matches[0].baselineValue).toBeCloseTo(0.72 * 0.99 ** 5, 12);
    expect(r.matches[0].criteria).toEqual([
      {
        outcome: 'MET',
        actual: '12',
        criterion: { parameter: 'capacityMW', operator: 'LTE', threshold: 50, unit: 'MW' },
      },
      {
        outcome: 'MET',
        actual: 'Northern',
        criterion: { parameter: 'region', operator: 'IN', threshold: null, unit: null },
      },
    ]);
    expect(r.explanation).toMatch(/^Eligible under GHA's list version 1/);
  });

  /** The list in force today, as explanations name it. */
  const v1 = () => `GHA's list version 1 (in force on ${today()})`;
  const solar = '"Utility-scale solar PV" (GHA-SOLAR-UTILITY)';
  it.each([
    [
      { activityKey: 'GHA-SOLAR-UTILITY', parameters: [{ name: 'capacityMW', number: 80 }] },
      'NOT_ELIGIBLE',
      (): string =>
        `Not eligible under ${v1()}: ${solar} is not eligible: capacityMW 80 MW is not LTE 50.`,
    ],
    [
      { technology: 'SOLAR pv', parameters: [{ name: 'capacityMW', number: 8 }] },
      'INDETERMINATE',
      (): string => `Undecided under ${v1()}: ${solar} may be eligible: supply region to decide.`,
    ],
    [
      { technology: 'LED lighting' },
      'EXCLUDED',
      (): string =>
        `Excluded: "Efficient lighting" (GHA-EFFICIENT-LIGHTING) is on GHA's negative list: not eligible whatever the project's parameters.`,
    ],
    [
      { technology: 'geothermal' },
      'NOT_ELIGIBLE',
      (): string => `Not eligible: no eligible entry of ${v1()} matches technology "geothermal".`,
    ],
    [
      {
        sectorCode: 'ENERGY',
        parameters: [
          { name: 'capacityMW', number: 8 },
          { name: 'region', text: 'Upper East' },
        ],
      },
      'ELIGIBLE',
      (): string => `Eligible under ${v1()}: ${solar} is eligible: all 2 criteria are met.`,
    ],
    [
      { activityKey: 'GHA-SOLAR-UTILITY', on: '2020-01-01' },
      'NO_LIST_IN_FORCE',
      (): string => 'GHA has no positive list in force on 2020-01-01.',
    ],
  ])('%j is %s, and says why', async (q, status, explanation) => {
    const res = await t.gql(CHECK, { q: { hostCountry: 'GHA', ...q } });
    expect(res.errors).toBeUndefined();
    expect(res.data.checkEligibility.status).toBe(status);
    expect(res.data.checkEligibility.explanation).toBe(explanation());
  });

  it('gives NO_LIST_IN_FORCE, not an error, for a registered country without a list', async () => {
    const res = await t.gql(CHECK, { q: { hostCountry: 'KEN', technology: 'solar PV' } });
    expect(res.data.checkEligibility).toMatchObject({
      status: 'NO_LIST_IN_FORCE',
      listVersion: null,
      matches: [],
    });
  });

  it.each([
    [{ hostCountry: 'ZZZ', technology: 'x' }, 'query.hostCountry'],
    [
      {
        hostCountry: 'GHA',
        technology: 'x',
        parameters: [{ name: 'capacityMW', number: 1, text: 'one' }],
      },
      'query.parameters[0]',
    ],
    [
      { hostCountry: 'GHA', technology: 'x', parameters: [{ name: 'capacityMW' }] },
      'query.parameters[0]',
    ],
    [
      {
        hostCountry: 'GHA',
        activityKey: 'GHA-SOLAR-UTILITY',
        parameters: [{ name: 'capacityMW', text: '12' }],
      },
      'query.parameters[0]',
    ],
    [
      { hostCountry: 'GHA', activityKey: 'GHA-SOLAR-UTILITY', baselineYear: 2020 },
      'query.baselineYear',
    ],
    [{ hostCountry: 'GHA' }, 'query.activityKey'],
  ])('rejects %j naming %s, writing nothing', async (q, field) => {
    const before = await t.auditCount();
    const error = expectError(await t.gql(CHECK, { q }), 'BAD_USER_INPUT');
    expect(error.extensions!.fields!.map((f) => f.field)).toContain(field);
    expect(await t.auditCount()).toBe(before);
  });

  it('answers a batch of 100 in one round trip: 3 SQL statements on a version not seen before, none once remembered', async () => {
    // A country and version of this test's own, so no earlier test has warmed the cache.
    const peru = await countryWithPeople(t, 'PER');
    await publishedVersion(t, peru, 'PER', [solarEntry(), redListEntry()]);
    const queries = Array.from({ length: 100 }, (_, i) => ({
      hostCountry: i % 3 === 0 ? 'KEN' : 'PER',
      technology: i % 2 ? 'solar PV' : 'LED lighting',
      parameters: [{ name: 'capacityMW', number: i }],
    }));
    const batch = async () => {
      const { result: res, statements } = await countStatements(() =>
        t.gql(BATCH, { qs: queries }),
      );
      return { res, statements };
    };
    const cold = await batch();
    expect(cold.res.errors).toBeUndefined();
    expect(cold.res.data.checkEligibilityBatch).toHaveLength(100);
    expect(cold.res.data.checkEligibilityBatch[0]).toMatchObject({
      hostCountry: 'KEN',
      status: 'NO_LIST_IN_FORCE',
    });
    expect(cold.res.data.checkEligibilityBatch[1]).toMatchObject({
      hostCountry: 'PER',
      status: 'ELIGIBLE',
    });
    expect(cold.res.data.checkEligibilityBatch[2]).toMatchObject({
      hostCountry: 'PER',
      status: 'EXCLUDED',
    });
    // Versions in force (both countries, one date), then the new version's entries and their
    // sectors: three statements for 100 questions.
    expect(cold.statements).toBe(3);
    // Published entries never change, and which version is in force is remembered until a
    // list changes (test/e2e/lists-in-force.spec.ts): the next batch reads nothing.
    expect(await eventually(() => t.app.get(ListsInForce).active)).toBe(true);
    await batch();
    const warm = await batch();
    expect(warm.res.data).toEqual(cold.res.data);
    expect(warm.statements).toBe(0);
  });

  it('refuses more than 100 queries in a batch', async () => {
    const queries = Array.from({ length: 101 }, () => ({
      hostCountry: 'GHA',
      technology: 'solar PV',
    }));
    expect(
      expectError(await t.gql(BATCH, { qs: queries }), 'BAD_USER_INPUT').extensions!.fields,
    ).toEqual([{ field: 'queries', message: 'at most 100 queries per call, got 101' }]);
  });
});
