import {
  ADMIN_KEY,
  REGISTER_COUNTRY,
  TestApp,
  UPSERT_SECTOR,
  createPrincipal,
  expectError,
  registerCountry,
} from '../support/test-app';

describe('host countries and NDC sectors', () => {
  // One service for the file; each test registers the countries it changes (its own codes).
  // KEN is never registered: tests read it as the unregistered country.
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  /** A sector of `hostCountry`, which the test registers first (except to test refusals). */
  const sector = (hostCountry: string, overrides: Record<string, unknown> = {}) => ({
    hostCountry,
    code: 'ENERGY',
    name: 'Energy',
    ipccSector: 'ENERGY',
    ipccCategories: ['1.A.1.a', '1.A.4'],
    reason: 'NDC 2021 sector list',
    ...overrides,
  });

  it('registers a country with its NDC and lets anyone read it', async () => {
    // A service of its own: the list of all countries must hold exactly this one.
    const own = await TestApp.start();
    try {
      const res = await own.gql(
        REGISTER_COUNTRY,
        {
          input: {
            code: 'GHA',
            name: 'Ghana',
            ndc: { title: 'Updated NDC', submittedOn: '2021-11-04', netZeroTargetYear: 2060 },
            reason: 'onboarding',
          },
        },
        ADMIN_KEY,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data.registerHostCountry).toEqual({
        code: 'GHA',
        name: 'Ghana',
        ndc: { title: 'Updated NDC', netZeroTargetYear: 2060 },
      });

      const read = await own.gql(
        `{ hostCountries { code name sectors { code } } hostCountry(code: "gha") { code ndc { submittedOn } } }`,
      );
      expect(read.errors).toBeUndefined();
      expect(read.data.hostCountries).toEqual([{ code: 'GHA', name: 'Ghana', sectors: [] }]);
      expect(read.data.hostCountry).toEqual({ code: 'GHA', ndc: { submittedOn: '2021-11-04' } });
    } finally {
      await own.close();
    }
  });

  it('answers null for a country that is not registered', async () => {
    const res = await t.gql(`{ hostCountry(code: "KEN") { code } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.hostCountry).toBeNull();
  });

  it('refuses a duplicate country with CONFLICT and writes nothing', async () => {
    await registerCountry(t, 'BEN', 'Benin');
    const before = await t.auditCount();
    const res = await t.gql(
      REGISTER_COUNTRY,
      { input: { code: 'BEN', name: 'Benin again', reason: 'dup' } },
      ADMIN_KEY,
    );
    expectError(res, 'CONFLICT');
    expect(await t.auditCount()).toBe(before);
    const [row] = await t.sql(`SELECT name FROM host_country WHERE code = 'BEN'`);
    expect(row.name).toBe('Benin');
  });

  it.each([
    [{ code: 'XKX', name: 'Kosovo' }, 'input.code'], // user-assigned, not ISO 3166-1
    [{ code: 'gha', name: 'Ghana' }, 'input.code'],
    [{ code: 'GHAN', name: 'Ghana' }, 'input.code'],
    [{ code: 'KEN', name: '   ' }, 'input.name'],
    [{ code: 'KEN', name: 'Kenya', reason: '' }, 'input.reason'],
    [{ code: 'KEN', name: 'Kenya', ndc: { title: 'NDC', url: 'ftp://x' } }, 'input.ndc.url'],
    [
      { code: 'KEN', name: 'Kenya', ndc: { title: 'NDC', netZeroTargetYear: 1990 } },
      'input.ndc.netZeroTargetYear',
    ],
  ])('rejects %j naming %s', async (input, field) => {
    const before = await t.auditCount();
    const res = await t.gql(REGISTER_COUNTRY, { input: { reason: 'r', ...input } }, ADMIN_KEY);
    const error = expectError(res, 'BAD_USER_INPUT');
    expect(error.extensions!.fields!.map((f) => f.field)).toContain(field);
    expect(await t.auditCount()).toBe(before);
    expect(await t.sql(`SELECT 1 FROM host_country WHERE code = $1`, [input.code])).toHaveLength(0);
  });

  it('rejects an impossible calendar date before anything runs', async () => {
    const res = await t.gql(
      REGISTER_COUNTRY,
      {
        input: {
          code: 'KEN',
          name: 'Kenya',
          ndc: { title: 'NDC', submittedOn: '2021-02-30' },
          reason: 'r',
        },
      },
      ADMIN_KEY,
    );
    expectError(res, 'BAD_USER_INPUT');
  });

  it('creates and then updates a sector, recording both with field-level changes', async () => {
    await registerCountry(t, 'NPL', 'Nepal');
    const created = await t.gql(UPSERT_SECTOR, { input: sector('NPL') }, ADMIN_KEY);
    expect(created.errors).toBeUndefined();
    expect(created.data.upsertNdcSector).toMatchObject({
      code: 'ENERGY',
      ipccSector: 'ENERGY',
      ipccCategories: ['1.A.1.a', '1.A.4'],
    });

    const updated = await t.gql(
      UPSERT_SECTOR,
      {
        input: sector('NPL', {
          name: 'Energy supply',
          ipccCategories: ['1.A.1'],
          reason: 'narrowed',
        }),
      },
      ADMIN_KEY,
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data.upsertNdcSector.id).toBe(created.data.upsertNdcSector.id);

    const events = await t.sql(
      `SELECT action, reason, changes FROM audit_event WHERE entity_type = 'NdcSector' AND host_country = 'NPL' ORDER BY seq`,
    );
    expect(events.map((e) => e.action)).toEqual(['CREATE', 'UPDATE']);
    expect(events[1].reason).toBe('narrowed');
    expect(events[1].changes).toEqual([
      { path: 'ipccCategories[0]', before: '1.A.1.a', after: '1.A.1' },
      { path: 'ipccCategories[1]', before: '1.A.4', after: null },
      { path: 'name', before: 'Energy', after: 'Energy supply' },
    ]);

    const read = await t.gql(
      `{ hostCountry(code: "NPL") { sectors { code name ipccCategories } } }`,
    );
    expect(read.data.hostCountry.sectors).toEqual([
      { code: 'ENERGY', name: 'Energy supply', ipccCategories: ['1.A.1'] },
    ]);
  });

  it('records nothing when an upsert changes nothing', async () => {
    await registerCountry(t, 'MNG', 'Mongolia');
    const current = { name: 'Energy supply', ipccCategories: ['1.A.1'] };
    expect(
      (
        await t.gql(
          UPSERT_SECTOR,
          { input: sector('MNG', { ...current, reason: 'set-up' }) },
          ADMIN_KEY,
        )
      ).errors,
    ).toBeUndefined();
    const before = await t.auditCount();
    const res = await t.gql(
      UPSERT_SECTOR,
      { input: sector('MNG', { ...current, reason: 'again' }) },
      ADMIN_KEY,
    );
    expect(res.errors).toBeUndefined();
    expect(await t.auditCount()).toBe(before);
  });

  it('validates IPCC categories against the reference data and the sector', async () => {
    await registerCountry(t, 'BOL', 'Bolivia');
    const res = await t.gql(
      UPSERT_SECTOR,
      {
        input: sector('BOL', {
          code: 'WASTE',
          ipccSector: 'WASTE',
          ipccCategories: ['4.A.1', '1.A.1', '9.Z'],
        }),
      },
      ADMIN_KEY,
    );
    const error = expectError(res, 'BAD_USER_INPUT');
    expect(error.extensions!.fields).toEqual([
      { field: 'input.ipccCategories[1]', message: '"1.A.1" is not in the IPCC sector WASTE' },
      { field: 'input.ipccCategories[2]', message: '"9.Z" is not an IPCC 2006 category' },
    ]);
  });

  it('gives NOT_FOUND for a sector of an unregistered country', async () => {
    const res = await t.gql(UPSERT_SECTOR, { input: sector('KEN') }, ADMIN_KEY);
    expectError(res, 'NOT_FOUND');
  });

  it('lets an official maintain sectors of their own country only', async () => {
    await registerCountry(t, 'CRI', 'Costa Rica');
    await registerCountry(t, 'URY', 'Uruguay');
    const official = await createPrincipal(t, 'OFFICIAL', 'CRI');
    const own = await t.gql(
      UPSERT_SECTOR,
      {
        input: sector('CRI', {
          code: 'WASTE',
          ipccSector: 'WASTE',
          ipccCategories: ['4.A'],
        }),
      },
      official.key,
    );
    expect(own.errors).toBeUndefined();
    const other = await t.gql(UPSERT_SECTOR, { input: sector('URY') }, official.key);
    expectError(other, 'FORBIDDEN');
    expect(await t.sql(`SELECT 1 FROM ndc_sector WHERE host_country_code = 'URY'`)).toHaveLength(0);
  });
});
