import { canonicalize } from '../../src/audit/canonical-json';
import { contentDigest, contentObject } from '../../src/positive-lists/content-digest';

/**
 * The published content digest (docs/domain.md section 6), pinned to a value computed outside
 * the code: the canonical JSON below was written by hand, and its digest computed with
 *   printf '%s' "$JSON" | sha256sum
 */
const HAND_WRITTEN =
  '{"effectiveFrom":"2027-01-01","entries":[{"additionalityRationale":"Needs finance","authorization":null,' +
  '"baseline":{"annualTighteningPct":1,"approach":"BAU_DOWNWARD_ADJUSTED","description":null,"initialAdjustmentPct":10,' +
  '"methodologyReference":null,"netZeroYear":null,"parameterValidation":"EX_ANTE","referenceValue":0.8,"referenceYear":2025,' +
  '"targetValue":null,"targetYear":null,"unit":"tCO2e/MWh","updateIntervalYears":null},' +
  '"crediting":null,"criteria":[{"description":null,"operator":"LTE","parameter":"capacityMW","threshold":50,"unit":"MW","upperThreshold":null,"values":null}],' +
  '"description":null,"key":"GHA-SOLAR","kind":"POSITIVE","legalBasis":null,"methodologies":["CDM ACM0002"],' +
  '"name":"Solar PV","ndcComponent":"CONDITIONAL","ndcMeasureRef":null,"reviewDue":null,"sectorCodes":["ENERGY"],' +
  '"technologies":["solar PV"],"validFrom":null,"validUntil":null}],"hostCountry":"GHA","legalBasis":null,"title":"Whitelist","version":1}';
const GOLDEN = '9573d7b7c9ce3f965a0d147cacf612d3ec762c3ffa22f60df698265552b1d94a';

// As stored: keys in any order, absent optional fields missing, extra bookkeeping fields.
const storedEntry = {
  id: 'ignored',
  revision: 7,
  listVersionId: 'ignored',
  name: 'Solar PV',
  key: 'GHA-SOLAR',
  kind: 'POSITIVE',
  technologies: ['solar PV'],
  sectorCodes: ['ENERGY'],
  ndcComponent: 'CONDITIONAL',
  additionalityRationale: 'Needs finance',
  criteria: [{ parameter: 'capacityMW', operator: 'LTE', threshold: 50, unit: 'MW' }],
  methodologies: ['CDM ACM0002'],
  baseline: {
    approach: 'BAU_DOWNWARD_ADJUSTED',
    referenceValue: 0.8,
    unit: 'tCO2e/MWh',
    referenceYear: 2025,
    initialAdjustmentPct: 10,
    annualTighteningPct: 1,
    parameterValidation: 'EX_ANTE',
  },
};
const content = {
  hostCountry: 'GHA',
  version: 1,
  title: 'Whitelist',
  legalBasis: null,
  effectiveFrom: '2027-01-01',
  entries: [storedEntry],
};

describe('published content digest', () => {
  it('canonicalises the content exactly as written by hand, and hashes it to the golden digest', () => {
    expect(canonicalize(contentObject(content))).toBe(HAND_WRITTEN);
    expect(contentDigest(content)).toBe(GOLDEN);
  });

  it('sorts entries by key and sector codes, and keeps other lists in their order', () => {
    const b = {
      ...storedEntry,
      key: 'A-FIRST',
      sectorCodes: ['WASTE', 'ENERGY'],
      technologies: ['z', 'a'],
    };
    const object = contentObject({ ...content, entries: [storedEntry, b] }) as {
      entries: { key: string; sectorCodes: string[]; technologies: string[] }[];
    };
    expect(object.entries.map((e) => e.key)).toEqual(['A-FIRST', 'GHA-SOLAR']);
    expect(object.entries[0].sectorCodes).toEqual(['ENERGY', 'WASTE']);
    expect(object.entries[0].technologies).toEqual(['z', 'a']);
  });

  it('changes with any byte of the content: a threshold, a title, the effective date', () => {
    const edited = (over: object, entry: object = {}) =>
      contentDigest({ ...content, ...over, entries: [{ ...storedEntry, ...entry }] });
    expect(edited({}, { criteria: [{ ...storedEntry.criteria[0], threshold: 51 }] })).not.toBe(
      GOLDEN,
    );
    expect(edited({ title: 'Whitelist ' })).not.toBe(GOLDEN);
    expect(edited({ effectiveFrom: '2027-01-02' })).not.toBe(GOLDEN);
    expect(edited({}, { id: 'another id', revision: 8 })).toBe(GOLDEN); // bookkeeping is not content
  });
});
