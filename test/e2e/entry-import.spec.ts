import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import {
  CREATE_DRAFT,
  countryWithPeople,
  publishedVersion,
  redListEntry,
  solarEntry,
} from '../support/list-fixtures';
import { ADMIN_KEY, TestApp, createPrincipal, expectError } from '../support/test-app';

const IMPORT = `mutation($input: ImportEntriesInput!) { importEntries(input: $input) {
  listVersion { id version } format dryRun applied rows created updated unchanged kept
  accepted { row key action } refused { row column message } } }`;
const ENTRIES = `query($id: ID!) { listVersion(id: $id) { entryCount entries { id key name revision
  criteria { parameter operator threshold values unit } baseline { approach referenceValue } } } }`;
const DIFF = `query($a: ID!, $b: ID!) { listDiff(fromVersionId: $a, toVersionId: $b) {
  added { key } removed { key } changed { key } } }`;
const DISCARD = `mutation($input: ListTransitionInput!) { discardDraft(input: $input) { id } }`;
const REMOVE = `mutation($input: RemoveEntryInput!) { removeEntry(input: $input) { id } }`;

/** The template's header and rows of cells by column name. */
const HEADER = [
  'key',
  'kind',
  'name',
  'technologies',
  'sectorCodes',
  'ndcComponent',
  'additionalityRationale',
  'methodologies',
  'criterion1.parameter',
  'criterion1.operator',
  'criterion1.threshold',
  'criterion1.values',
  'criterion1.unit',
  'criterion2.parameter',
  'criterion2.operator',
  'criterion2.threshold',
  'criterion2.values',
  'criterion2.unit',
  'baseline.approach',
  'baseline.referenceValue',
  'baseline.unit',
  'baseline.referenceYear',
  'baseline.initialAdjustmentPct',
  'baseline.annualTighteningPct',
  'baseline.parameterValidation',
  'authorization.authorizedUses',
  'authorization.correspondingAdjustment',
];
const csv = (rows: Record<string, string | number>[], header = HEADER) =>
  stringify([header, ...rows.map((r) => header.map((h) => r[h] ?? ''))]);

const positive = (key: string, overrides: Record<string, string | number> = {}) => ({
  key,
  kind: 'POSITIVE',
  name: `Activity ${key}`,
  technologies: 'solar PV; storage',
  sectorCodes: 'ENERGY',
  ndcComponent: 'CONDITIONAL',
  additionalityRationale: 'Beyond the NDC',
  methodologies: 'CDM ACM0002',
  'criterion1.parameter': 'capacityMW',
  'criterion1.operator': 'LTE',
  'criterion1.threshold': 50,
  'criterion1.unit': 'MW',
  'criterion2.parameter': 'grid',
  'criterion2.operator': 'IN',
  'criterion2.values': 'national; mini-grid',
  'baseline.approach': 'BAU_DOWNWARD_ADJUSTED',
  'baseline.referenceValue': 0.8,
  'baseline.unit': 'tCO2e/MWh',
  'baseline.referenceYear': 2025,
  'baseline.initialAdjustmentPct': 10,
  'baseline.annualTighteningPct': 1,
  'baseline.parameterValidation': 'EX_ANTE',
  'authorization.authorizedUses': 'NDC; OIMP',
  'authorization.correspondingAdjustment': 'true',
  ...overrides,
});
const negative = (key: string) => ({
  key,
  kind: 'NEGATIVE',
  name: `Excluded ${key}`,
  technologies: 'LED lighting',
  sectorCodes: 'ENERGY',
  ndcComponent: 'UNCONDITIONAL',
});

/**
 * Importing entries into a draft from CSV or JSON (issue #16): the rules of one entry for
 * every row, refusals by row and column, all or nothing, idempotent by key, and a round
 * trip with the exports that changes nothing.
 */
describe('importEntries', () => {
  let t: TestApp;
  let people: Awaited<ReturnType<typeof countryWithPeople>>;
  let draftId: string;
  let published: { versionId: string };

  const ok = async (
    query: string,
    variables: Record<string, unknown>,
    key = people.official.key,
  ) => {
    const res = await t.gql(query, variables, key);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data;
  };
  const importInto = (listVersionId: string, content: string, more: Record<string, unknown> = {}) =>
    t.gql(
      IMPORT,
      { input: { listVersionId, content, reason: 'Schedule 4 of the framework', ...more } },
      people.official.key,
    );
  /** A fresh draft of KEN, which has no list in force: it starts empty. */
  const emptyDraft = async () => {
    const { createDraft } = await ok(
      CREATE_DRAFT,
      {
        input: { hostCountry: 'KEN', title: 'imported', reason: 'import' },
      },
      kenya.official.key,
    );
    return createDraft.id as string;
  };
  let kenya: Awaited<ReturnType<typeof countryWithPeople>>;

  beforeAll(async () => {
    t = await TestApp.start();
    people = await countryWithPeople(t, 'GHA');
    kenya = await countryWithPeople(t, 'KEN');
    published = await publishedVersion(t, people, 'GHA', [
      solarEntry({
        name: '=HYPERLINK("http://evil.example","click")',
        criteria: [
          { parameter: 'capacityMW', operator: 'LTE', threshold: 50, unit: 'MW' },
          { parameter: 'grid', operator: 'IN', values: ['national', 'mini-grid'] },
        ],
      }),
      redListEntry(),
    ]);
    const { createDraft } = await ok(CREATE_DRAFT, {
      input: { hostCountry: 'GHA', title: 'v2', reason: 'revise' },
    });
    draftId = createDraft.id;
  });
  afterAll(() => t?.close());

  it('reports a dry run row by row, in the words of addEntry, and changes nothing', async () => {
    const before = await t.auditCount();
    const content = csv([
      positive('GHA-A'),
      positive('GHA-B', { 'criterion1.threshold': 'fifty' }),
      positive('GHA-C', { sectorCodes: 'ENERGY; FORESTRY', 'baseline.referenceValue': -1 }),
      negative('GHA-D'),
      positive('GHA-A'),
      positive('GHA-E', {
        'baseline.approach': '',
        'baseline.referenceValue': '',
        'baseline.unit': '',
        'baseline.referenceYear': '',
        'baseline.initialAdjustmentPct': '',
        'baseline.annualTighteningPct': '',
        'baseline.parameterValidation': '',
      }),
    ]);
    const res = await importInto(draftId, content, { dryRun: true });
    expect(res.errors).toBeUndefined();
    const report = res.data.importEntries;
    expect(report).toMatchObject({ format: 'CSV', dryRun: true, applied: false, rows: 6 });
    expect(report.accepted).toEqual([
      { row: 2, key: 'GHA-A', action: 'CREATED' },
      { row: 5, key: 'GHA-D', action: 'CREATED' },
    ]);
    expect(report.refused).toEqual([
      { row: 3, column: 'criterion1.threshold', message: 'must be a number, not "fifty"' },
      {
        row: 4,
        column: 'sectorCodes',
        message: '"FORESTRY" is not an NDC sector of this country',
      },
      {
        row: 4,
        column: 'baseline.referenceValue',
        message: 'must be a finite number, zero or more',
      },
      { row: 6, column: 'key', message: 'GHA-A is already on row 2' },
      { row: 7, column: 'baseline.approach', message: 'a POSITIVE entry needs a baseline rule' },
    ]);
    expect(await t.auditCount()).toBe(before);
    const { listVersion } = await ok(ENTRIES, { id: draftId });
    expect(listVersion.entries.map((e: { key: string }) => e.key).sort()).toEqual([
      'GHA-EFFICIENT-LIGHTING',
      'GHA-SOLAR-UTILITY',
    ]);
  });

  it('refuses a real import with any refused row, naming each, and changes nothing', async () => {
    const before = await t.auditCount();
    const res = await importInto(
      draftId,
      csv([positive('GHA-A'), positive('GHA-B', { 'criterion2.operator': 'ABOUT' })]),
    );
    const error = expectError(res, 'BAD_USER_INPUT');
    expect(error.message).toMatch(
      /^1 of 2 rows refused, so nothing was imported: row 3, criterion2.operator: /,
    );
    expect(error.extensions?.fields).toEqual([
      {
        field: 'rows[3].criterion2.operator',
        message: expect.stringMatching(/operator must be one of/),
      },
    ]);
    expect(await t.auditCount()).toBe(before);
  });

  it('imports all rows in one change with one audit event per entry, and a second import duplicates nothing', async () => {
    const before = await t.auditCount();
    const content = csv([positive('GHA-A'), negative('GHA-D'), positive('GHA-E')]);
    const first = (await importInto(draftId, content)).data.importEntries;
    expect(first).toMatchObject({ applied: true, created: 3, updated: 0, unchanged: 0 });
    const events = await t.sql<{
      action: string;
      entity_id: string;
      reason: string;
      request_id: string;
    }>(
      `SELECT action, entity_id, reason, request_id FROM audit_event WHERE seq > $1 ORDER BY seq`,
      [before],
    );
    expect(events.map((e) => e.action)).toEqual(['CREATE', 'CREATE', 'CREATE']);
    expect(new Set(events.map((e) => e.reason))).toEqual(new Set(['Schedule 4 of the framework']));
    expect(new Set(events.map((e) => e.request_id)).size).toBe(1);
    const { listVersion } = await ok(ENTRIES, { id: draftId });
    const imported = listVersion.entries.find((e: { key: string }) => e.key === 'GHA-A');
    expect(imported.criteria).toEqual([
      { parameter: 'capacityMW', operator: 'LTE', threshold: 50, values: null, unit: 'MW' },
      {
        parameter: 'grid',
        operator: 'IN',
        threshold: null,
        values: ['national', 'mini-grid'],
        unit: null,
      },
    ]);

    const again = (await importInto(draftId, content)).data.importEntries;
    expect(again).toMatchObject({ applied: true, created: 0, updated: 0, unchanged: 3, kept: 0 });
    const changed = csv([positive('GHA-A', { name: 'Renamed' }), negative('GHA-D')]);
    const addOnly = (await importInto(draftId, changed)).data.importEntries;
    expect(addOnly).toMatchObject({ created: 0, updated: 0, unchanged: 1, kept: 1 });
    const upsert = (await importInto(draftId, changed, { mode: 'UPSERT' })).data.importEntries;
    expect(upsert).toMatchObject({ created: 0, updated: 1, unchanged: 1, kept: 0 });
    expect(upsert.accepted).toContainEqual({ row: 2, key: 'GHA-A', action: 'UPDATED' });
    const after = (await ok(ENTRIES, { id: draftId })).listVersion;
    expect(after.entryCount).toBe(5);
    expect(after.entries.find((e: { key: string }) => e.key === 'GHA-A')).toMatchObject({
      name: 'Renamed',
      revision: 2,
    });
  });

  it('refuses files that are not CSV or JSON, not UTF-8, or lack columns, saying which', async () => {
    const cases: [string, RegExp][] = [
      ['', /The file is empty/],
      ['key;kind;name\nA;B;C\n', /must be comma-separated/],
      ['key,kind,name\nA,B,C\n', /Missing columns: technologies, sectorCodes, ndcComponent/],
      [csv([negative('GHA-X')], [...HEADER, 'colour']), /Unknown columns: "colour"/],
      [
        'key,kind,name,technologies,sectorCodes,ndcComponent\nGHA-\uFFFD,NEGATIVE,x,y,ENERGY,UNCONDITIONAL',
        /not valid UTF-8/,
      ],
      ['k\u0000e\u0000y\u0000', /NUL character/],
      ['[{"key": ', /not readable as JSON/],
      ['{"key": "GHA-X"}', /an array of entries/],
      ['key,"kind\n', /not readable as CSV/],
    ];
    for (const [content, message] of cases) {
      const error = expectError(
        await importInto(draftId, content, { dryRun: true }),
        'BAD_USER_INPUT',
      );
      expect(error.message).toMatch(message);
    }
  });

  it('takes JSON as an array of EntryFields, naming fields by their path', async () => {
    const res = await importInto(
      draftId,
      JSON.stringify([
        solarEntry({ key: 'GHA-JSON-1' }),
        solarEntry({ key: 'GHA-JSON-2', colour: 'red', baseline: null }),
      ]),
      { dryRun: true },
    );
    const report = res.data.importEntries;
    expect(report.format).toBe('JSON');
    expect(report.accepted).toEqual([{ row: 1, key: 'GHA-JSON-1', action: 'CREATED' }]);
    expect(report.refused).toEqual([
      { row: 2, column: 'colour', message: 'is not a field of EntryFields' },
      { row: 2, column: 'baseline', message: 'a POSITIVE entry needs a baseline rule' },
    ]);
  });

  it('keeps formula-looking cells as text, and exports them escaped', async () => {
    const csvFile = await t.http.get('/countries/GHA/versions/1/entries.csv').expect(200);
    expect(csvFile.headers['content-type']).toBe('text/csv; charset=utf-8');
    // The exported cell cannot run in a spreadsheet: it starts with an apostrophe.
    expect(csvFile.text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    const draft = await emptyDraft();
    const res = await t.gql(
      IMPORT,
      {
        input: {
          listVersionId: draft,
          content: csv([
            { ...negative('KEN-A'), name: '=1+2' },
            { ...negative('KEN-B'), name: "'@SUM(A1)" },
          ]),
          reason: 'formulas',
        },
      },
      kenya.official.key,
    );
    expect(res.errors).toBeUndefined();
    const names = (await ok(ENTRIES, { id: draft }, kenya.official.key)).listVersion.entries.map(
      (e: { name: string }) => e.name,
    );
    expect(names).toEqual(['=1+2', '@SUM(A1)']);
    await ok(DISCARD, { input: { listVersionId: draft, reason: 'test done' } }, kenya.official.key);
  });

  it('round-trips: a published version exported as CSV or JSON and imported into an empty draft differs in nothing', async () => {
    await ok(DISCARD, { input: { listVersionId: draftId, reason: 'the earlier tests are done' } });
    for (const format of ['csv', 'json']) {
      // A draft of GHA copied from v1, emptied, then filled from v1's export.
      const { createDraft } = await ok(CREATE_DRAFT, {
        input: {
          hostCountry: 'GHA',
          title: `round trip ${format}`,
          reason: 'round trip',
          basedOnVersionId: published.versionId,
        },
      });
      for (const entry of (await ok(ENTRIES, { id: createDraft.id })).listVersion.entries)
        await ok(REMOVE, { input: { entryId: entry.id, reason: 'empty it' } });
      const file = await t.http.get(`/countries/GHA/versions/1/entries.${format}`).expect(200);
      const report = (await importInto(createDraft.id, file.text)).data.importEntries;
      expect(report).toMatchObject({ applied: true, created: 2, refused: [] });
      const diff = (await ok(DIFF, { a: published.versionId, b: createDraft.id })).listDiff;
      expect(diff).toEqual({ added: [], removed: [], changed: [] });
      await ok(DISCARD, { input: { listVersionId: createDraft.id, reason: 'round trip done' } });
    }
  });

  it('exports XLSX with typed cells and the same columns', async () => {
    const res = await t.http
      .get('/countries/GHA/versions/1/entries.xlsx')
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body as ArrayBuffer);
    const sheet = workbook.getWorksheet('Entries')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 3)).toEqual(['key', 'kind', 'name']);
    const solar = sheet.getRow(3);
    const cell = (name: string) => solar.getCell(header.indexOf(name) + 1).value;
    expect(cell('key')).toBe('GHA-SOLAR-UTILITY');
    expect(cell('criterion1.threshold')).toBe(50);
    expect(cell('criterion2.values')).toBe('national; mini-grid');
    expect(cell('authorization.correspondingAdjustment')).toBe(true);
    expect(workbook.getWorksheet('Columns')!.rowCount).toBeGreaterThan(header.length);
  });

  it('lets only the drafting officials of the country import', async () => {
    const otherOfficial = (await createPrincipal(t, 'OFFICIAL', 'KEN', 'ken-2')).key;
    const content = csv([negative('GHA-Z')]);
    const input = { listVersionId: published.versionId, content, reason: 'x', dryRun: true };
    expectError(await t.gql(IMPORT, { input }), 'UNAUTHENTICATED');
    // Another country's officials do not learn that the version exists.
    expectError(await t.gql(IMPORT, { input }, otherOfficial), 'NOT_FOUND');
    expectError(await t.gql(IMPORT, { input }, ADMIN_KEY), 'FORBIDDEN');
    // A published version is not a draft.
    expectError(await t.gql(IMPORT, { input }, people.official.key), 'INVALID_STATE');
  });
});
