import { Client } from 'pg';
import { contentDigest } from '../../src/positive-lists/content-digest';
import {
  CREATE_DRAFT,
  PUBLISH,
  SUBMIT,
  addDays,
  countryWithPeople,
  publishedVersion,
  redListEntry,
  solarEntry,
  today,
} from '../support/list-fixtures';
import { ADMIN_KEY, TestApp, expectError } from '../support/test-app';

/**
 * Published lists cannot change behind anyone's back (docs/domain.md sections 2 and 6): their
 * content digest, the triggers that refuse edits whatever the role, the constraint that keeps
 * one version in force per day, and verifyAuditTrail naming a version edited in SQL.
 */
describe('published lists: digest, immutability, one version in force', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  const VERSION = `query($id: ID!) { listVersion(id: $id) { version status title legalBasis effectiveFrom contentDigest
    hostCountry { code }
    entries { key kind name description technologies sectors { code } ndcComponent ndcMeasureRef additionalityRationale
      criteria { parameter operator threshold upperThreshold values unit description } methodologies
      baseline { approach description referenceValue unit referenceYear initialAdjustmentPct annualTighteningPct targetValue targetYear netZeroYear parameterValidation updateIntervalYears methodologyReference }
      crediting { periodYears renewals }
      authorization { authorizedUses correspondingAdjustment shareRetainedForNdcPct shareOfProceedsPct omgeCancellationPct }
      validFrom validUntil reviewDue legalBasis } } }`;

  it('gives a published version a digest anyone can recompute from what the API serves, and records it at publication', async () => {
    const people = await countryWithPeople(t, 'GHA');
    const { versionId } = await publishedVersion(t, people, 'GHA', [solarEntry(), redListEntry()]);
    const v = (await t.gql(VERSION, { id: versionId }, people.official.key)).data.listVersion;
    expect(v.contentDigest).toMatch(/^[0-9a-f]{64}$/);
    const recomputed = contentDigest({
      hostCountry: v.hostCountry.code,
      version: v.version,
      title: v.title,
      legalBasis: v.legalBasis,
      effectiveFrom: v.effectiveFrom,
      entries: v.entries.map((e: { sectors: { code: string }[] }) => ({
        ...e,
        sectorCodes: e.sectors.map((s) => s.code),
      })),
    });
    expect(recomputed).toBe(v.contentDigest);
    const [event] = await t.sql<{ digest: string }>(
      `SELECT after->>'contentDigest' AS digest FROM audit_event WHERE entity_id = $1 AND action = 'PUBLISH'`,
      [versionId],
    );
    expect(event.digest).toBe(v.contentDigest);

    const draft = await t.gql(
      CREATE_DRAFT.replace('entryCount }', 'entryCount contentDigest }'),
      { input: { hostCountry: 'GHA', title: 'next', reason: 'next' } },
      people.official.key,
    );
    expect(draft.data.createDraft).toMatchObject({ status: 'DRAFT', contentDigest: null });
  });

  it("records in the new draft's creation event what it copied: the source version and every new entry in full", async () => {
    const people = await countryWithPeople(t, 'MWI');
    const { versionId } = await publishedVersion(t, people, 'MWI', [
      solarEntry({ key: 'MWI-SOLAR' }),
      redListEntry({ key: 'MWI-LIGHTING' }),
    ]);
    const source = (await t.gql(VERSION, { id: versionId }, people.official.key)).data.listVersion;
    const draft = (
      await t.gql(
        CREATE_DRAFT,
        { input: { hostCountry: 'MWI', title: 'revision', reason: 'annual review' } },
        people.official.key,
      )
    ).data.createDraft;
    const copies = await t.sql<{ id: string; key: string }>(
      'SELECT id, key FROM activity_entry WHERE list_version_id = $1 ORDER BY key',
      [draft.id],
    );
    const [event] = await t.sql<{ after: any }>(
      `SELECT after FROM audit_event WHERE entity_id = $1 AND action = 'CREATE'`,
      [draft.id],
    );
    expect(event.after.copiedFrom).toEqual({
      id: versionId,
      version: source.version,
      status: 'PUBLISHED',
      contentDigest: source.contentDigest,
    });
    expect(event.after.entriesCopied).toBe(2);
    const recorded = [...event.after.copiedEntries].sort((a: any, b: any) =>
      a.key.localeCompare(b.key),
    );
    expect(recorded.map((e: any) => [e.id, e.key, e.listVersionId, e.revision])).toEqual(
      copies.map((c) => [c.id, c.key, draft.id, 1]),
    );
    // Each copy's content as recorded equals the source entry's content as served.
    const solar = recorded.find((e: any) => e.key === 'MWI-SOLAR');
    const served = source.entries.find((e: any) => e.key === 'MWI-SOLAR');
    expect(solar.sectorCodes).toEqual(['ENERGY']);
    expect(solar.criteria).toEqual(
      served.criteria.map((c: Record<string, unknown>) => expect.objectContaining(c)),
    );
    expect(solar.baseline).toMatchObject({ approach: served.baseline.approach });
  });

  it('refuses any change to a published version, its entries and their sectors, even to a role holding ALL privileges', async () => {
    const people = await countryWithPeople(t, 'KEN');
    const { versionId, entryIds } = await publishedVersion(t, people, 'KEN', [solarEntry()]);
    const role = `plr_all_${Date.now()}`;
    await t.sql(`CREATE ROLE ${role}`);
    await t.sql(`GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO ${role}`);
    const as = async (sql: string, params: unknown[] = []) => {
      const client = new Client({ connectionString: t.db.url });
      await client.connect();
      try {
        await client.query(`SET ROLE ${role}`);
        await client.query(sql, params);
        return 'done';
      } catch (error) {
        return (error as Error).message;
      } finally {
        await client.end();
      }
    };
    const refused = /published/;
    expect(
      await as(`UPDATE activity_entry SET name = 'forged' WHERE id = $1`, [entryIds[0]]),
    ).toMatch(refused);
    expect(
      await as(
        `UPDATE activity_entry SET criteria = jsonb_set(criteria, '{0,threshold}', '500') WHERE id = $1`,
        [entryIds[0]],
      ),
    ).toMatch(refused);
    expect(await as(`DELETE FROM activity_entry WHERE id = $1`, [entryIds[0]])).toMatch(refused);
    expect(
      await as(`DELETE FROM activity_entry_sector WHERE entry_id = $1`, [entryIds[0]]),
    ).toMatch(refused);
    expect(
      await as(`UPDATE positive_list_version SET title = 'forged' WHERE id = $1`, [versionId]),
    ).toMatch(refused);
    expect(await as(`DELETE FROM positive_list_version WHERE id = $1`, [versionId])).toMatch(
      refused,
    );
    // Nor can it switch the triggers off: that takes the tables' owner.
    expect(await as(`ALTER TABLE activity_entry DISABLE TRIGGER ALL`)).toMatch(/must be owner/);
    // The timeline fields the workflow sets stay writable (here: ending the version).
    expect(
      await as(`UPDATE positive_list_version SET effective_until = $2 WHERE id = $1`, [
        versionId,
        addDays(today(), 30),
      ]),
    ).toBe('done');
    const [row] = await t.sql(`SELECT title FROM positive_list_version WHERE id = $1`, [versionId]);
    expect(row.title).toBe('KEN list');
    await t.sql(`REASSIGN OWNED BY ${role} TO postgres; DROP OWNED BY ${role}; DROP ROLE ${role}`);
  });

  it('keeps one version in force per day: withdraw today, then publish for today is INVALID_STATE naming the first free day', async () => {
    const people = await countryWithPeople(t, 'SEN');
    const { versionId } = await publishedVersion(t, people, 'SEN', [solarEntry()]);
    const withdrawn = await t.gql(
      'mutation($input: ListTransitionInput!) { withdraw(input: $input) { status effectiveUntil } }',
      { input: { listVersionId: versionId, reason: 'suspended' } },
      people.approver.key,
    );
    expect(withdrawn.data.withdraw).toEqual({
      status: 'WITHDRAWN',
      effectiveUntil: addDays(today(), 1),
    });
    const draft = await t.gql(
      CREATE_DRAFT,
      {
        input: {
          hostCountry: 'SEN',
          title: 'replacement',
          basedOnVersionId: versionId,
          reason: 'replace',
        },
      },
      people.official.key,
    );
    const id = draft.data.createDraft.id;
    await t.gql(SUBMIT, { input: { listVersionId: id, reason: 'ready' } }, people.official.key);
    const before = await t.auditCount();
    const sameDay = await t.gql(
      PUBLISH,
      { input: { listVersionId: id, effectiveFrom: today(), reason: 'at once' } },
      people.approver.key,
    );
    expect(expectError(sameDay, 'INVALID_STATE').message).toBe(
      `Version 1 of SEN is in force until the end of ${today()}: the first day a new version may take effect is ${addDays(today(), 1)}`,
    );
    expect(await t.auditCount()).toBe(before);
    const nextDay = await t.gql(
      PUBLISH,
      { input: { listVersionId: id, effectiveFrom: addDays(today(), 1), reason: 'tomorrow' } },
      people.approver.key,
    );
    expect(nextDay.errors).toBeUndefined();
    // And the database itself refuses an overlapping row, whatever wrote it.
    await expect(
      t.sql(
        `INSERT INTO positive_list_version (id, host_country_code, version, status, title, effective_from, created_by_name)
         VALUES (gen_random_uuid(), 'SEN', 99, 'PUBLISHED', 'overlap', $1, 'sql')`,
        [addDays(today(), 5)],
      ),
    ).rejects.toThrow(/ex_list_version_one_in_force/);
  });

  it('drill: a superuser switches the triggers off and edits a threshold; verifyAuditTrail names the version, and eligibility refuses to answer from it', async () => {
    const people = await countryWithPeople(t, 'THA');
    const { versionId, entryIds } = await publishedVersion(t, people, 'THA', [solarEntry()]);
    const ask = () =>
      t.gql(
        '{ checkEligibility(query: { hostCountry: "THA", activityKey: "GHA-SOLAR-UTILITY", parameters: [{ name: "capacityMW", number: 200 }] }) { status } }',
      );
    expect((await ask()).data.checkEligibility.status).toBe('NOT_ELIGIBLE'); // 200 MW > 50 MW
    await t.sql(`ALTER TABLE activity_entry DISABLE TRIGGER activity_entry_immutable`);
    await t.sql(
      `UPDATE activity_entry SET criteria = jsonb_set(criteria, '{0,threshold}', '500') WHERE id = $1`,
      [entryIds[0]],
    );
    await t.sql(`ALTER TABLE activity_entry ENABLE ALWAYS TRIGGER activity_entry_immutable`);

    const verdict = (
      await t.gql(
        '{ verifyAuditTrail { valid message problems { seq listVersionId message } } }',
        {},
        ADMIN_KEY,
      )
    ).data.verifyAuditTrail;
    expect(verdict.valid).toBe(false);
    expect(verdict.problems).toEqual([
      {
        seq: null,
        listVersionId: versionId,
        message: expect.stringMatching(
          /^version 1 of THA: its stored content no longer matches the digest recorded when it was published \([0-9a-f]{64}\); it now gives [0-9a-f]{64}$/,
        ),
      },
    ]);
    // This instance had the entries cached before the edit: its cache is keyed by digest and
    // was filled only after checking it. A fresh instance reading the forged rows refuses.
    const fresh = await TestApp.start({}, undefined, t.db);
    try {
      const res = await fresh.gql(
        '{ checkEligibility(query: { hostCountry: "THA", activityKey: "GHA-SOLAR-UTILITY", parameters: [{ name: "capacityMW", number: 200 }] }) { status } }',
      );
      expect(res.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(fresh.logLines.join('\n')).toContain(
        'published list content does not match its digest',
      );
    } finally {
      await fresh.app.close();
    }
  });
});
