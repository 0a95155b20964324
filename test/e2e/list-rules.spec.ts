import { countStatements } from '../support/statement-counter';
import {
  ADD_ENTRY,
  CREATE_DRAFT,
  PUBLISH,
  SUBMIT,
  UPDATE_ENTRY,
  countryWithPeople,
  publishedVersion,
  redListEntry,
  solarEntry,
  today,
  addDays,
} from '../support/list-fixtures';
import { TestApp, createPrincipal, expectError } from '../support/test-app';

describe('list rules: validation, concurrency, search, loaders', () => {
  let t: TestApp;
  // GHA and its empty draft are shared by the validation tests, which only make writes that
  // are refused; every test that changes a list has a country (or a service) of its own.
  let people: Awaited<ReturnType<typeof countryWithPeople>>;
  let draftId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    people = await countryWithPeople(t, 'GHA');
    const draft = await t.gql(
      CREATE_DRAFT,
      { input: { hostCountry: 'GHA', title: 'Rules', reason: 'test' } },
      people.official.key,
    );
    draftId = draft.data.createDraft.id;
  });
  afterAll(() => t.close());

  /** A country of the test's own, with an official, an approver and an empty draft. */
  const countryWithDraft = async (code: string) => {
    const own = await countryWithPeople(t, code);
    const draft = await t.gql(
      CREATE_DRAFT,
      { input: { hostCountry: code, title: 'Rules', reason: 'test' } },
      own.official.key,
    );
    expect(draft.errors).toBeUndefined();
    return { people: own, draftId: draft.data.createDraft.id as string };
  };

  const baseline = (overrides: Record<string, unknown>) => ({
    ...solarEntry().baseline,
    ...overrides,
  });

  it.each([
    [
      'a BETWEEN without an upper bound',
      { criteria: [{ parameter: 'capacityMW', operator: 'BETWEEN', threshold: 1 }] },
      ['input.entry.criteria[0].upperThreshold'],
    ],
    [
      'a BETWEEN with lower > upper',
      {
        criteria: [
          { parameter: 'capacityMW', operator: 'BETWEEN', threshold: 9, upperThreshold: 1 },
        ],
      },
      ['input.entry.criteria[0].upperThreshold'],
    ],
    [
      'an IN without values',
      { criteria: [{ parameter: 'region', operator: 'IN', values: [] }] },
      ['input.entry.criteria[0].values'],
    ],
    [
      'an LT with text values',
      { criteria: [{ parameter: 'capacityMW', operator: 'LT', values: ['x'] }] },
      ['input.entry.criteria[0].threshold', 'input.entry.criteria[0].values'],
    ],
    [
      'an EQ with both a number and text',
      { criteria: [{ parameter: 'grid', operator: 'EQ', threshold: 1, values: ['on'] }] },
      ['input.entry.criteria[0].threshold'],
    ],
    [
      'a bad parameter name',
      { criteria: [{ parameter: '2fast', operator: 'GT', threshold: 1 }] },
      ['input.entry.criteria[0].parameter'],
    ],
    [
      'a POSITIVE entry without baseline or rationale',
      { baseline: null, additionalityRationale: null },
      ['input.entry.baseline', 'input.entry.additionalityRationale'],
    ],
    [
      'an NDC trajectory without a target',
      {
        baseline: baseline({
          approach: 'NDC_TRAJECTORY',
          initialAdjustmentPct: null,
          annualTighteningPct: null,
        }),
      },
      ['input.entry.baseline.targetValue', 'input.entry.baseline.targetYear'],
    ],
    [
      'a target year before the reference year',
      {
        baseline: baseline({
          approach: 'NDC_TRAJECTORY',
          initialAdjustmentPct: null,
          annualTighteningPct: null,
          targetValue: 0.1,
          targetYear: 2020,
        }),
      },
      ['input.entry.baseline.targetYear'],
    ],
    [
      'a net-zero year before the reference year',
      {
        baseline: baseline({
          approach: 'NET_ZERO_PATHWAY',
          initialAdjustmentPct: null,
          annualTighteningPct: null,
          netZeroYear: 2000,
        }),
      },
      ['input.entry.baseline.netZeroYear'],
    ],
    [
      'a parameter the approach does not use',
      {
        baseline: baseline({
          approach: 'BENCHMARK',
          initialAdjustmentPct: null,
          netZeroYear: 2060,
        }),
      },
      ['input.entry.baseline.netZeroYear'],
    ],
    [
      'an initial adjustment on a benchmark (only the downward-adjusted approaches take one)',
      { baseline: baseline({ approach: 'BENCHMARK', initialAdjustmentPct: 5 }) },
      ['input.entry.baseline.initialAdjustmentPct'],
    ],
    [
      'one parameter compared both as a number and as text',
      {
        criteria: [
          { parameter: 'capacityMW', operator: 'LTE', threshold: 50 },
          { parameter: 'capacityMW', operator: 'IN', values: ['small'] },
        ],
      },
      ['input.entry.criteria[1]'],
    ],
    [
      'a percentage above 100',
      { baseline: baseline({ annualTighteningPct: 120 }) },
      ['input.entry.baseline.annualTighteningPct'],
    ],
    ['an unknown sector', { sectorCodes: ['ENERGY', 'FORESTRY'] }, ['input.entry.sectorCodes[1]']],
    ['no sector', { sectorCodes: [] }, ['input.entry.sectorCodes']],
    [
      'validFrom after validUntil',
      { validFrom: '2030-01-01', validUntil: '2029-01-01' },
      ['input.entry.validUntil'],
    ],
    [
      'a zero crediting period',
      { crediting: { periodYears: 0, renewals: 0 } },
      ['input.entry.crediting.periodYears'],
    ],
    ['a malformed key', { key: 'solar park' }, ['input.entry.key']],
    [
      'a share above 100%',
      {
        authorization: {
          authorizedUses: ['NDC'],
          correspondingAdjustment: true,
          shareOfProceedsPct: 101,
        },
      },
      ['input.entry.authorization.shareOfProceedsPct'],
    ],
  ])('rejects %s, naming the fields, writing nothing', async (_label, overrides, fields) => {
    const before = await t.auditCount();
    const res = await t.gql(
      ADD_ENTRY,
      { input: { listVersionId: draftId, entry: solarEntry(overrides), reason: 'x' } },
      people.official.key,
    );
    const error = expectError(res, 'BAD_USER_INPUT');
    expect(error.extensions!.fields!.map((f) => f.field)).toEqual(fields);
    expect(await t.auditCount()).toBe(before);
    expect(
      await t.sql(`SELECT 1 FROM activity_entry WHERE list_version_id = $1`, [draftId]),
    ).toHaveLength(0);
  });

  it('rejects a NEGATIVE entry with criteria or a baseline', async () => {
    const res = await t.gql(
      ADD_ENTRY,
      {
        input: {
          listVersionId: draftId,
          entry: redListEntry({
            criteria: [{ parameter: 'x', operator: 'GT', threshold: 1 }],
            baseline: solarEntry().baseline,
          }),
          reason: 'x',
        },
      },
      people.official.key,
    );
    expect(expectError(res, 'BAD_USER_INPUT').extensions!.fields!.map((f) => f.field)).toEqual([
      'input.entry.criteria',
      'input.entry.baseline',
    ]);
  });

  it('refuses a duplicate key on the same version', async () => {
    const { people, draftId } = await countryWithDraft('PRT');
    expect(
      (
        await t.gql(
          ADD_ENTRY,
          { input: { listVersionId: draftId, entry: solarEntry(), reason: 'x' } },
          people.official.key,
        )
      ).errors,
    ).toBeUndefined();
    expectError(
      await t.gql(
        ADD_ENTRY,
        { input: { listVersionId: draftId, entry: solarEntry(), reason: 'x' } },
        people.official.key,
      ),
      'CONFLICT',
    );
  });

  it('lets exactly one of two concurrent updates with the same revision win', async () => {
    const { people, draftId } = await countryWithDraft('ESP');
    const added = await t.gql(
      ADD_ENTRY,
      { input: { listVersionId: draftId, entry: solarEntry(), reason: 'x' } },
      people.official.key,
    );
    expect(added.errors).toBeUndefined();
    const [{ id }] = await t.sql(`SELECT id FROM activity_entry WHERE list_version_id = $1`, [
      draftId,
    ]);
    const results = await Promise.all(
      ['Name A', 'Name B'].map((name) =>
        t.gql(
          UPDATE_ENTRY,
          {
            input: { entryId: id, expectedRevision: 1, entry: solarEntry({ name }), reason: name },
          },
          people.official.key,
        ),
      ),
    );
    const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort();
    expect(codes).toEqual(['CONFLICT', 'OK']);
    const winner = results.find((r) => !r.errors)!.data.updateEntry.name;
    const [row] = await t.sql(`SELECT name, revision FROM activity_entry WHERE id = $1`, [id]);
    expect(row).toEqual({ name: winner, revision: 2 });
    expect(
      await t.sql(`SELECT 1 FROM audit_event WHERE entity_id = $1 AND action = 'UPDATE'`, [id]),
    ).toHaveLength(1);
  });

  it('lets exactly one of two concurrent publishes of a version win', async () => {
    const { people, draftId } = await countryWithDraft('ITA');
    const added = await t.gql(
      ADD_ENTRY,
      { input: { listVersionId: draftId, entry: solarEntry(), reason: 'x' } },
      people.official.key,
    );
    expect(added.errors).toBeUndefined();
    await t.gql(
      SUBMIT,
      { input: { listVersionId: draftId, reason: 'ready' } },
      people.official.key,
    );
    const second = await createPrincipal(t, 'APPROVER', 'ITA', 'approver-two');
    const results = await Promise.all(
      [people.approver.key, second.key].map((key) =>
        t.gql(
          PUBLISH,
          { input: { listVersionId: draftId, effectiveFrom: today(), reason: 'go' } },
          key,
        ),
      ),
    );
    expect(results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort()).toEqual([
      'INVALID_STATE',
      'OK',
    ]);
    expect(
      await t.sql(`SELECT 1 FROM audit_event WHERE entity_id = $1 AND action = 'PUBLISH'`, [
        draftId,
      ]),
    ).toHaveLength(1);
  });

  it('lets exactly one of two concurrent new drafts open', async () => {
    // A country of its own with version 1 in force: the race is for version 2.
    const people = await countryWithPeople(t, 'GRC');
    await publishedVersion(t, people, 'GRC', [solarEntry()]);
    const results = await Promise.all(
      [people.official.key, people.approver.key].map((key) =>
        t.gql(CREATE_DRAFT, { input: { hostCountry: 'GRC', title: 'race', reason: 'race' } }, key),
      ),
    );
    expect(results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort()).toEqual([
      'CONFLICT',
      'OK',
    ]);
    const open = await t.sql(
      `SELECT version FROM positive_list_version WHERE status IN ('DRAFT', 'SUBMITTED') AND host_country_code = 'GRC'`,
    );
    expect(open).toEqual([{ version: 2 }]);
    const discarded = await t.gql(
      'mutation($input: ListTransitionInput!) { discardDraft(input: $input) { version status } }',
      {
        input: {
          listVersionId: results.find((r) => !r.errors)!.data.createDraft.id,
          reason: 'not needed',
        },
      },
      people.official.key,
    );
    // Kept on record, and its number is never given again (docs/domain.md section 2).
    expect(discarded.data.discardDraft).toEqual({ version: 2, status: 'DISCARDED' });
    expect(
      await t.sql(
        `SELECT status FROM positive_list_version WHERE host_country_code = 'GRC' AND version = 2`,
      ),
    ).toEqual([{ status: 'DISCARDED' }]);
    const next = await t.gql(
      CREATE_DRAFT,
      { input: { hostCountry: 'GRC', title: 'after the discard', reason: 'again' } },
      people.official.key,
    );
    expect(next.data.createDraft).toMatchObject({ version: 3, status: 'DRAFT' });
    await t.gql(
      'mutation($input: ListTransitionInput!) { discardDraft(input: $input) { id } }',
      { input: { listVersionId: next.data.createDraft.id, reason: 'tidy up' } },
      people.official.key,
    );
  });

  it('searches entries in force across countries, by sector, category prefix, methodology, kind and text, a page at a time', async () => {
    // A service of its own: an unfiltered search must find exactly these two countries' entries.
    const own = await TestApp.start();
    try {
      const gha = await countryWithPeople(own, 'GHA');
      await publishedVersion(own, gha, 'GHA', [solarEntry()]);
      const tha = await countryWithPeople(own, 'THA');
      await publishedVersion(own, tha, 'THA', [
        solarEntry({
          key: 'THA-OFFSHORE-WIND',
          name: 'Offshore wind',
          technologies: ['offshore wind'],
          methodologies: ['CDM ACM0002'],
        }),
        solarEntry({
          key: 'THA-WASTE-BIOGAS',
          name: 'Biogas from waste',
          technologies: ['biogas'],
          sectorCodes: ['WASTE'],
          methodologies: ['CDM AMS-III.D'],
          criteria: [],
        }),
        redListEntry({ key: 'THA-COAL-EFFICIENCY', name: 'Coal plant efficiency' }),
      ]);
      const search = async (filter: object, first = 10, after?: string) => {
        const res = await own.gql(
          'query($f: EntrySearch, $first: Int, $after: String) { searchEntries(filter: $f, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { key } } } }',
          { f: filter, first, after },
        );
        expect(res.errors).toBeUndefined();
        return res.data.searchEntries;
      };
      const keys = (page: any) => page.edges.map((e: any) => e.node.key);
      expect(keys(await search({}))).toEqual([
        'GHA-SOLAR-UTILITY',
        'THA-COAL-EFFICIENCY',
        'THA-OFFSHORE-WIND',
        'THA-WASTE-BIOGAS',
      ]);
      expect(keys(await search({ hostCountries: ['THA'], kind: 'NEGATIVE' }))).toEqual([
        'THA-COAL-EFFICIENCY',
      ]);
      expect(keys(await search({ ipccSector: 'WASTE' }))).toEqual(['THA-WASTE-BIOGAS']);
      expect(keys(await search({ ipccCategoryPrefix: '1.A' }))).toEqual([
        'GHA-SOLAR-UTILITY',
        'THA-COAL-EFFICIENCY',
        'THA-OFFSHORE-WIND',
      ]);
      expect(keys(await search({ ipccCategoryPrefix: '1.B' }))).toEqual([]);
      // Within named countries the sector filter starts from those countries' sectors.
      expect(keys(await search({ hostCountries: ['THA'], ipccSector: 'WASTE' }))).toEqual([
        'THA-WASTE-BIOGAS',
      ]);
      expect(keys(await search({ hostCountries: ['GHA'], ipccSector: 'WASTE' }))).toEqual([]);
      expect(
        keys(await search({ hostCountries: ['THA', 'GHA'], ipccCategoryPrefix: '1.A' })),
      ).toEqual(['GHA-SOLAR-UTILITY', 'THA-COAL-EFFICIENCY', 'THA-OFFSHORE-WIND']);
      expect(keys(await search({ methodology: 'cdm acm0002' }))).toEqual([
        'GHA-SOLAR-UTILITY',
        'THA-OFFSHORE-WIND',
      ]);
      expect(keys(await search({ text: 'WIND' }))).toEqual(['THA-OFFSHORE-WIND']);
      expect(keys(await search({ text: '100%_' }))).toEqual([]);
      expect(keys(await search({ on: '2020-01-01' }))).toEqual([]);

      const first = await search({}, 2);
      expect(first).toMatchObject({ totalCount: 4, pageInfo: { hasNextPage: true } });
      const second = await search({}, 2, first.pageInfo.endCursor);
      expect([...keys(first), ...keys(second)]).toEqual(keys(await search({})));
      expect(second.pageInfo.hasNextPage).toBe(false);
      // The total counts every match, not what is left after the cursor.
      expect(second.totalCount).toBe(4);
      expect(await search({ text: 'nowhere' })).toEqual({
        totalCount: 0,
        pageInfo: { hasNextPage: false, endCursor: null },
        edges: [],
      });

      // A page and its total are one statement; without the total, the page alone.
      const countedPage = (document: string) =>
        countStatements(async () => {
          const res = await own.gql(document, { f: { hostCountries: ['THA'] } });
          expect(res.errors).toBeUndefined();
          return res.data.searchEntries;
        });
      const withTotal = await countedPage(
        'query($f: EntrySearch) { searchEntries(filter: $f, first: 2) { totalCount edges { node { key } } } }',
      );
      expect(withTotal.result).toEqual({
        totalCount: 3,
        edges: [{ node: { key: 'THA-COAL-EFFICIENCY' } }, { node: { key: 'THA-OFFSHORE-WIND' } }],
      });
      expect(withTotal.statements).toBe(1);
      const pageOnly = await countedPage(
        'query($f: EntrySearch) { searchEntries(filter: $f, first: 2) { edges { node { key } } } }',
      );
      expect(pageOnly.result).toEqual({ edges: withTotal.result.edges });
      expect(pageOnly.statements).toBe(1);
      // Asked for through a fragment, the total is still there.
      const viaFragment = await countedPage(
        'query($f: EntrySearch) { searchEntries(filter: $f, first: 1) { ...Counted } } fragment Counted on EntryConnection { ... on EntryConnection { totalCount } }',
      );
      expect(viaFragment).toEqual({ result: { totalCount: 3 }, statements: 1 });
      expectError(await own.gql('{ searchEntries(first: 101) { totalCount } }'), 'BAD_USER_INPUT');
      expectError(
        await own.gql('{ searchEntries(after: "bogus") { totalCount } }'),
        'BAD_USER_INPUT',
      );
    } finally {
      await own.close();
    }
  });

  it('loads 50 entries with their sectors in a bounded number of SQL statements', async () => {
    const bulk = await countryWithPeople(t, 'KEN');
    const entries = Array.from({ length: 50 }, (_, i) =>
      solarEntry({
        key: `KEN-E${String(i).padStart(2, '0')}`,
        sectorCodes: i % 2 ? ['ENERGY'] : ['ENERGY', 'WASTE'],
      }),
    );
    const { versionId } = await publishedVersion(t, bulk, 'KEN', entries);
    const { result: res, statements } = await countStatements(() =>
      t.gql(
        'query($id: ID!) { listVersion(id: $id) { entryCount hostCountry { code sectors { code } } entries { key sectors { code ipccCategories } baseline { valueFor(year: 2030) } } } }',
        { id: versionId },
      ),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.listVersion.entries).toHaveLength(50);
    expect(res.data.listVersion.entries[0].sectors.map((s: any) => s.code)).toEqual([
      'ENERGY',
      'WASTE',
    ]);
    // version, country, country sectors, entries, entry sectors: one statement each, however many entries.
    expect(statements).toBeLessThanOrEqual(6);
  });

  it('keeps one version in force when a version scheduled between two others is withdrawn', async () => {
    const sgp = await countryWithPeople(t, 'SGP');
    const v1 = await publishedVersion(t, sgp, 'SGP', [solarEntry({ key: 'SGP-SOLAR' })]);
    const v2 = await publishedVersion(t, sgp, 'SGP', [], addDays(today(), 10)); // copies the version in force
    const v3 = await publishedVersion(t, sgp, 'SGP', [], addDays(today(), 20)); // copies the version in force
    const res = await t.gql(
      'mutation($input: ListTransitionInput!) { withdraw(input: $input) { status } }',
      { input: { listVersionId: v2.versionId, reason: 'withdrawn before it took effect' } },
      sgp.approver.key,
    );
    expect(res.errors).toBeUndefined();
    const inForce = async (on: string) =>
      (await t.gql(`{ hostCountry(code: "SGP") { listInForce(on: "${on}") { id } } }`)).data
        .hostCountry.listInForce?.id;
    expect(await inForce(today())).toBe(v1.versionId);
    expect(await inForce(addDays(today(), 15))).toBe(v1.versionId);
    expect(await inForce(addDays(today(), 25))).toBe(v3.versionId);
    const rows = await t.sql(
      `SELECT version, effective_from, effective_until FROM positive_list_version WHERE host_country_code = 'SGP' AND status = 'PUBLISHED' ORDER BY version`,
    );
    expect(rows).toEqual([
      { version: 1, effective_from: today(), effective_until: addDays(today(), 20) },
      { version: 3, effective_from: addDays(today(), 20), effective_until: null },
    ]);
    const search = await t.gql(
      `{ searchEntries(filter: { hostCountries: ["SGP"], on: "${addDays(today(), 25)}" }) { totalCount } }`,
    );
    expect(search.data.searchEntries.totalCount).toBe(1);
  });
});
