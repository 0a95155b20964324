import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Caller, exportedEvents, setUpTwoCountries } from '../support/registry-fixture';
import { gqlPost, ServiceProcess, startService } from '../support/service-process';
import { ADMIN_KEY } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * Regression test for the PGlite engine, whose shared session let one request receive
 * another's answer right after a start (an official answered as the admin, `hostCountry(X)`
 * returning another country, requests hanging). Each caller checks that every answer is its
 * own; run on the embedded server and on a PostgreSQL server alike.
 */
const LOAD_MS = 10_000;
const COUNTRIES: Record<string, string> = { GHA: 'Ghana', KEN: 'Kenya' };

interface Outcome {
  requests: number;
  failures: string[];
  /** Sectors whose upsert was acknowledged: code -> country. */
  written: Map<string, string>;
}

async function drive(url: string, caller: Caller, deadline: number, out: Outcome): Promise<void> {
  const fail = (what: string, got: unknown) =>
    out.failures.push(`${caller.label}: ${what}: ${JSON.stringify(got).slice(0, 300)}`);
  const ask = async (query: string, variables: Record<string, unknown> = {}) => {
    out.requests += 1;
    try {
      return await gqlPost(url, query, variables, caller.key, 10_000);
    } catch (error) {
      fail(`${query.slice(0, 60)} did not answer`, String(error));
      return undefined;
    }
  };
  const codeOf = (res: Awaited<ReturnType<typeof ask>>) => res?.errors?.[0]?.extensions?.code;
  const own = caller.hostCountry ?? 'GHA';
  const other = own === 'GHA' ? 'KEN' : 'GHA';
  for (let i = 0; Date.now() < deadline; i++) {
    // Who am I? Always the caller itself.
    const me = await ask('{ me { id name role hostCountry } }');
    if (caller.key) {
      const expected = {
        id: caller.principalId,
        name: caller.name,
        role: caller.role,
        hostCountry: caller.hostCountry ?? null,
      };
      if (JSON.stringify(me?.data?.me) !== JSON.stringify(expected)) fail('me', me);
    } else if (codeOf(me) !== 'UNAUTHENTICATED') fail('anonymous me', me);

    // The admin-only list: only the admin gets it.
    const principals = await ask('{ principals { id } }');
    if (caller.role === 'ADMIN') {
      const ids = (principals?.data?.principals ?? []).map((p: { id: string }) => p.id);
      if (!ids.includes(caller.principalId)) fail('admin principals', principals);
    } else if (codeOf(principals) !== (caller.key ? 'FORBIDDEN' : 'UNAUTHENTICATED')) {
      fail('principals refused', principals);
    }

    // A read returns the entity asked for.
    const code = i % 2 === 0 ? own : other;
    const country = await ask('query($c: String!) { hostCountry(code: $c) { code name } }', {
      c: code,
    });
    if (
      JSON.stringify(country?.data?.hostCountry) !== JSON.stringify({ code, name: COUNTRIES[code] })
    )
      fail(`hostCountry(${code})`, country);

    if (caller.role === 'OFFICIAL' || caller.role === 'ADMIN') {
      // Write, then read it back.
      const sector = `${caller.role === 'ADMIN' ? 'ADM' : 'OFF'}${own}${i}`;
      const target = caller.role === 'ADMIN' ? code : own;
      const written = await ask(
        'mutation($i: UpsertNdcSectorInput!) { upsertNdcSector(input: $i) { code name } }',
        {
          i: {
            hostCountry: target,
            code: sector,
            name: `Sector ${sector}`,
            ipccSector: 'ENERGY',
            ipccCategories: ['1.A.1'],
            reason: 'isolation drill',
          },
        },
      );
      if (
        JSON.stringify(written?.data?.upsertNdcSector) !==
        JSON.stringify({ code: sector, name: `Sector ${sector}` })
      ) {
        fail('upsertNdcSector', written);
      } else {
        out.written.set(sector, target);
        const back = await ask(
          'query($c: String!) { hostCountry(code: $c) { sectors { code } } }',
          {
            c: target,
          },
        );
        const codes = (back?.data?.hostCountry?.sectors ?? []).map((s: { code: string }) => s.code);
        if (!codes.includes(sector)) fail(`read back ${sector}`, back);
      }
    } else if (caller.role === 'APPROVER') {
      // Country-scoped reads: only the own country's events, and the other country refused.
      const mine = await ask(
        'query($c: String!) { auditEvents(filter: { hostCountry: $c }, first: 20) { edges { node { hostCountry } } } }',
        { c: own },
      );
      const countries = mine?.data?.auditEvents?.edges?.map(
        (e: { node: { hostCountry: string } }) => e.node.hostCountry,
      );
      if (!Array.isArray(countries) || countries.some((c: string) => c !== own))
        fail('own audit events', mine);
      const theirs = await ask(
        'query($c: String!) { auditEvents(filter: { hostCountry: $c }, first: 1) { totalCount } }',
        { c: other },
      );
      if (codeOf(theirs) !== 'FORBIDDEN') fail('other country audit events', theirs);
    } else if (caller.role === 'AUDITOR') {
      const events = await ask('{ auditEvents(first: 20) { edges { node { seq } } } }');
      if (!Array.isArray(events?.data?.auditEvents?.edges)) fail('auditEvents', events);
      if (i % 5 === 0) {
        const verdict = await ask('{ verifyAuditTrail { valid message } }');
        if (verdict?.data?.verifyAuditTrail?.valid !== true) fail('verifyAuditTrail', verdict);
      }
    } else {
      // Anonymous project developer: the answer is about the country asked.
      const answer = await ask(
        'query($c: String!) { checkEligibility(query: { hostCountry: $c, sectorCode: "ENERGY" }) { hostCountry status } }',
        { c: code },
      );
      if (
        JSON.stringify(answer?.data?.checkEligibility) !==
        JSON.stringify({ hostCountry: code, status: 'NO_LIST_IN_FORCE' })
      )
        fail(`checkEligibility(${code})`, answer);
    }
  }
}

describe.each(['embedded', 'server'] as const)(
  'every caller gets its own answers under concurrent load right after a restart (%s PostgreSQL)',
  (mode) => {
    let dataDir: string | undefined;
    let db: TestDatabase | undefined;
    let service: ServiceProcess | undefined;

    const env = (): Record<string, string> => ({
      BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
      DB_POOL_SIZE: '10',
      // Nine callers as fast as they go from one address: what is tested is isolation, and
      // the per-address limit would answer most of them 429 (test/e2e/fair-use.spec.ts).
      RATE_LIMIT_ANONYMOUS: '0',
      RATE_LIMIT_AUTHENTICATED: '0',
      ...(mode === 'embedded' ? { DATA_DIR: dataDir! } : { DATABASE_URL: db!.url }),
    });

    beforeAll(async () => {
      if (mode === 'embedded') dataDir = mkdtempSync(join(tmpdir(), 'plr-isolation-'));
      else db = await createTestDatabase();
    });

    afterAll(async () => {
      await service?.stop();
      await db?.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('9 callers with their own keys, writing and reading for 10 s: no foreign answer, no hang, no lost write', async () => {
      service = await startService(env());
      const callers = await setUpTwoCountries(service.url);
      callers.push(
        { label: 'anonymous developer 1' },
        { label: 'anonymous developer 2' },
        { label: 'anonymous developer 3' },
      );
      expect(callers).toHaveLength(9);
      expect(await service.stop()).toBe(0);

      // Restart, and load it the moment it listens.
      service = await startService(env());
      const out: Outcome = { requests: 0, failures: [], written: new Map() };
      const deadline = Date.now() + LOAD_MS;
      await Promise.all(callers.map((c) => drive(service!.url, c, deadline, out)));

      expect(out.failures.slice(0, 20)).toEqual([]);
      expect(out.requests).toBeGreaterThan(9 * 20);
      expect(out.written.size).toBeGreaterThan(10);

      // Every acknowledged write is stored in its own country with exactly one audit event.
      const events = (await exportedEvents(service.url)).filter(
        (e) => e.entityType === 'NdcSector' && e.reason === 'isolation drill',
      );
      expect(events).toHaveLength(out.written.size);
      const sectors = await gqlPost(service.url, '{ hostCountries { code sectors { code } } }');
      const stored = new Map<string, string>();
      for (const c of sectors.data.hostCountries)
        for (const s of c.sectors) stored.set(s.code, c.code);
      for (const [code, country] of out.written)
        expect([code, stored.get(code)]).toEqual([code, country]);
      const verdict = await gqlPost(service.url, '{ verifyAuditTrail { valid } }', {}, ADMIN_KEY);
      expect(verdict.data.verifyAuditTrail.valid).toBe(true);
    });
  },
);
