import { ADMIN_KEY, TestApp } from '../support/test-app';
import { countryWithPeople, publishedVersion, solarEntry } from '../support/list-fixtures';

const ENTRY_FIELDS = `key kind name description technologies sectors { code ipccSector } ndcComponent
  criteria { parameter operator threshold upperThreshold values unit description } methodologies
  baseline { approach referenceValue unit referenceYear v2030: valueFor(year: 2030) }`;

/** The query cost limit: every list multiplies what is selected under it, checked before running. */
describe('query cost limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The default limit (GRAPHQL_MAX_COST unset).
    t = await TestApp.start();
    const people = await countryWithPeople(t, 'GHA');
    await publishedVersion(t, people, 'GHA', [solarEntry()]);
  });
  afterAll(() => t.close());

  it('refuses the nested every-country, every-version, every-entry read before running it, stating cost and limit', async () => {
    const before = t.logLines.length;
    const res = await t.http
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({
        query: `{ hostCountries { code listVersions { version entries { ${ENTRY_FIELDS} } } } }`,
      });
    expect(res.status).toBe(400);
    const [error] = res.body.errors;
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    const [, cost] =
      /^Query cost (\d+) exceeds the limit of 200000: ask for fewer nested lists, or page them with first$/.exec(
        error.message,
      ) ?? [];
    expect(Number(cost)).toBeGreaterThan(200000);
    expect(res.body.data).toBeUndefined();
    // Refused before execution: no resolver ran, so nothing was read or logged as a fault.
    expect(t.logLines.slice(before).some((l) => l.includes('"level":"error"'))).toBe(false);
  });

  it('counts aliases and page sizes: the same read of one country, paged, passes; 15 copies do not', async () => {
    const one = `gha: hostCountry(code: "GHA") { listVersions { entries { ${ENTRY_FIELDS} } } }`;
    const ok = await t.gql(`{ ${one} }`);
    expect(ok.errors).toBeUndefined();
    expect(ok.data.gha.listVersions[0].entries[0].key).toBe('GHA-SOLAR-UTILITY');
    const search = await t.gql(
      `{ searchEntries(filter: { hostCountries: ["GHA"] }, first: 100) { edges { node { ${ENTRY_FIELDS} } } } }`,
    );
    expect(search.errors).toBeUndefined();
    const many = await t.gql(
      `{ ${Array.from({ length: 15 }, (_, i) => one.replace('gha:', `c${i}:`)).join(' ')} }`,
      {},
      ADMIN_KEY,
    );
    expect(many.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(many.errors?.[0].message).toMatch(/^Query cost \d+ exceeds the limit of 200000/);
  });

  it('is configurable with GRAPHQL_MAX_COST', async () => {
    const strict = await TestApp.start({ GRAPHQL_MAX_COST: '100' });
    try {
      const res = await strict.gql(`{ hostCountries { code sectors { code name } } }`);
      expect(res.errors?.[0].message).toMatch(/^Query cost \d+ exceeds the limit of 100:/);
      expect((await strict.gql(`{ hostCountries { code name } }`)).errors).toBeUndefined();
    } finally {
      await strict.close();
    }
  });

  it('costs a document once per shape of its variables: the same query with a larger page or a longer list is costed again', async () => {
    const strict = await TestApp.start({ GRAPHQL_MAX_COST: '3000' }, undefined, t.db);
    try {
      const paged = `query($n: Int) { searchEntries(first: $n) { edges { node { key name } } } }`;
      // Same document, same shape twice (the second from memory), then a larger page.
      expect((await strict.gql(paged, { n: 10 })).errors).toBeUndefined();
      expect((await strict.gql(paged, { n: 10 })).errors).toBeUndefined();
      const large = await strict.gql(paged, { n: 1000 });
      expect(large.errors?.[0].message).toMatch(/^Query cost \d+ exceeds the limit of 3000:/);
      const batch = `query($qs: [EligibilityQuery!]!) { checkEligibilityBatch(queries: $qs) { status } }`;
      const ask = (n: number) =>
        strict.gql(batch, {
          qs: Array.from({ length: n }, (_, i) => ({
            hostCountry: 'GHA',
            technology: `solar ${i}`,
          })),
        });
      expect((await ask(2)).errors).toBeUndefined();
      // Other text, same shape: still accepted; a longer list: refused.
      expect((await ask(2)).errors).toBeUndefined();
      expect((await ask(20)).errors?.[0].message).toMatch(/exceeds the limit of 3000/);
    } finally {
      await strict.app.close();
    }
  });

  it('lets the standard introspection query through, as GraphiQL and code generators send it', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const res = await t.gql(getIntrospectionQuery());
    expect(res.errors).toBeUndefined();
    expect(res.data.__schema.queryType.name).toBe('Query');
    // Data next to it is costed as before.
    const mixed = await t.gql(
      `{ __schema { queryType { name } } hostCountries { code listVersions { version entries { ${ENTRY_FIELDS} } } } }`,
    );
    expect(mixed.errors?.[0].message).toMatch(/^Query cost \d+ exceeds the limit/);
  });
});
