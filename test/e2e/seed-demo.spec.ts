import { seedDemo } from '../../src/cli/seed-demo';
import { ADMIN_KEY, REGISTER_COUNTRY, TestApp } from '../support/test-app';

const inDays = (days: number) => {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

const COUNTRIES = `query($on: Date!) {
  hostCountries {
    code
    ndc { title netZeroTargetYear }
    sectors { code ipccCategories }
    currentList { id version title entries { key kind } }
    listInForce(on: $on) { id version title entries { key kind } }
  }
}`;

const DIFF = `query($from: ID!, $to: ID!) {
  listDiff(fromVersionId: $from, toVersionId: $to) {
    added { key }
    removed { key }
    changed { key changes { path before after } }
  }
}`;

describe('seed-demo', () => {
  let t: TestApp;
  let keys: Awaited<ReturnType<typeof seedDemo>>['keys'];
  beforeAll(async () => {
    t = await TestApp.start();
    const lines: string[] = [];
    const result = await seedDemo(t.app, (line) => lines.push(line));
    expect(result).toMatchObject({ loaded: ['GHA', 'THA', 'KEN'], skipped: [] });
    keys = result.keys;
  });
  afterAll(() => t.close());

  it('loads at least three host countries with NDC references and sectors', async () => {
    const res = await t.gql(COUNTRIES, { on: inDays(30) });
    expect(res.errors).toBeUndefined();
    const countries = res.data.hostCountries as any[];
    expect(countries.length).toBeGreaterThanOrEqual(3);
    expect(countries.map((c) => c.code)).toEqual(expect.arrayContaining(['GHA', 'THA']));
    for (const country of countries) {
      expect(country.ndc.title).toMatch(/illustrative/i);
      expect(country.ndc.netZeroTargetYear).toEqual(expect.any(Number));
      expect(country.sectors.length).toBeGreaterThanOrEqual(3);
      expect(country.currentList).not.toBeNull();
    }
  });

  it('publishes GHA version 1 today and version 2 in 30 days, with a diff to show', async () => {
    const res = await t.gql(COUNTRIES, { on: inDays(30) });
    const gha = (res.data.hostCountries as any[]).find((c) => c.code === 'GHA');
    expect(gha.currentList.version).toBe(1);
    const kinds = new Set(gha.currentList.entries.map((e: any) => e.kind));
    expect(kinds).toEqual(new Set(['POSITIVE', 'NEGATIVE']));
    expect(gha.listInForce.version).toBe(2);

    const diff = await t.gql(DIFF, { from: gha.currentList.id, to: gha.listInForce.id });
    expect(diff.errors).toBeUndefined();
    const { added, removed, changed } = diff.data.listDiff;
    expect(added.length).toBeGreaterThanOrEqual(1);
    expect(removed.length).toBeGreaterThanOrEqual(1);
    expect(changed.length).toBeGreaterThanOrEqual(1);
    expect(changed.map((c: any) => c.key)).toContain('GHA-SOLAR-UTILITY');
  });

  it('labels every list as illustrative', async () => {
    const res = await t.gql(`{ hostCountries { code listVersions { version title } } }`);
    expect(res.errors).toBeUndefined();
    const versions = (res.data.hostCountries as any[]).flatMap((c) => c.listVersions);
    expect(versions.length).toBeGreaterThanOrEqual(4);
    for (const v of versions) expect(v.title).toContain('Illustrative');
  });

  it('returns working demo keys for an official and an approver per country', async () => {
    const countries = new Set(keys.filter((k) => k.role !== 'AUDITOR').map((k) => k.country));
    expect(countries.size).toBeGreaterThanOrEqual(3);
    for (const country of countries) {
      expect(keys.filter((k) => k.country === country).map((k) => k.role)).toEqual(
        expect.arrayContaining(['OFFICIAL', 'APPROVER']),
      );
    }
    const official = keys.find((k) => k.country === 'GHA' && k.role === 'OFFICIAL')!;
    expect(official.name).toBe('Demo official (GHA)');
    const me = await t.gql(`{ me { name role hostCountry } }`, {}, official.apiKey);
    expect(me.errors).toBeUndefined();
    expect(me.data.me).toEqual({
      name: 'Demo official (GHA)',
      role: 'OFFICIAL',
      hostCountry: 'GHA',
    });
  });

  it('records every demo write in the audit trail, with an illustrative reason', async () => {
    const events: any[] = [];
    let after: string | null = null;
    do {
      const res: any = await t.gql(
        `query($after: String) { auditEvents(first: 100, after: $after) {
          edges { node { action entityType reason requestId actor { name role } } }
          pageInfo { hasNextPage endCursor } } }`,
        { after },
        ADMIN_KEY,
      );
      expect(res.errors).toBeUndefined();
      events.push(...res.data.auditEvents.edges.map((e: any) => e.node));
      after = res.data.auditEvents.pageInfo.hasNextPage
        ? res.data.auditEvents.pageInfo.endCursor
        : null;
    } while (after);
    const demo = events.filter((e) => e.requestId === 'seed-demo');
    expect(demo.length).toBeGreaterThan(50);
    for (const e of demo) expect(e.reason).toMatch(/^Illustrative demo data \(not official\)/);
    for (const e of demo.filter((d) => d.action === 'PUBLISH')) {
      expect(e.actor.role).toBe('APPROVER');
    }
    for (const e of demo.filter((d) => d.action === 'SUBMIT')) {
      expect(e.actor.role).toBe('OFFICIAL');
    }
  });

  it('gives an auditor key that reads and verifies the audit trail', async () => {
    const auditor = keys.find((k) => k.role === 'AUDITOR')!;
    expect(auditor).toBeDefined();
    const res = await t.gql(`{ verifyAuditTrail { valid } }`, {}, auditor.apiKey);
    expect(res.errors).toBeUndefined();
    expect(res.data.verifyAuditTrail.valid).toBe(true);
  });

  it('does nothing when run again, says why for each country, and the audit trail stays valid', async () => {
    const before = await t.auditCount();
    expect(before).toBeGreaterThan(0);
    const lines: string[] = [];
    const again = await seedDemo(t.app, (line) => lines.push(line));
    expect(again).toEqual({
      loaded: [],
      skipped: ['GHA', 'THA', 'KEN'].map((code) => ({
        code,
        why: `host country ${code} is already registered; its data is left as it is`,
      })),
      keys: [],
    });
    expect(lines).toContain(
      'skipped GHA: host country GHA is already registered; its data is left as it is',
    );
    expect(await t.auditCount()).toBe(before);

    const verified = await t.gql(`{ verifyAuditTrail { valid message } }`, {}, ADMIN_KEY);
    expect(verified.errors).toBeUndefined();
    expect(verified.data.verifyAuditTrail.valid).toBe(true);
  });

  it('loads the other demo countries next to one a registry already holds, registered by hand', async () => {
    const fresh = await TestApp.start();
    try {
      const registered = await fresh.gql(
        REGISTER_COUNTRY,
        { input: { code: 'GHA', name: 'Ghana', reason: 'registered by hand first' } },
        ADMIN_KEY,
      );
      expect(registered.errors).toBeUndefined();
      const result = await seedDemo(fresh.app, () => undefined);
      expect(result.loaded).toEqual(['THA', 'KEN']);
      expect(result.skipped.map((c) => c.code)).toEqual(['GHA']);
      expect(result.keys.map((k) => k.role).sort()).toEqual([
        'APPROVER',
        'APPROVER',
        'AUDITOR',
        'OFFICIAL',
        'OFFICIAL',
      ]);
      const gha = await fresh.gql(`{ hostCountry(code: "GHA") { name currentList { version } } }`);
      expect(gha.data.hostCountry).toEqual({ name: 'Ghana', currentList: null });
    } finally {
      await fresh.close();
    }
  });
});
