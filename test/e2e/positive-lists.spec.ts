import {
  ADD_ENTRY,
  CREATE_DRAFT,
  PUBLISH,
  SUBMIT,
  UPDATE_ENTRY,
  addDays,
  countryWithPeople,
  redListEntry,
  solarEntry,
  today,
} from '../support/list-fixtures';
import { ADMIN_KEY, GqlResponse, TestApp, createPrincipal, expectError } from '../support/test-app';

const DISCARD = `mutation($input: ListTransitionInput!) { discardDraft(input: $input) { id status } }`;

const VERSION = `query($id: ID!) { listVersion(id: $id) {
  id version status title effectiveFrom effectiveUntil createdBy submittedBy approvedBy publishedAt entryCount
  hostCountry { code }
  entries { key kind name revision sectors { code ipccSector } criteria { parameter operator threshold }
    baseline { approach referenceValue v2025: valueFor(year: 2025) v2030: valueFor(year: 2030) } }
} }`;
const COUNTRY = `query($code: String!, $on: Date!) { hostCountry(code: $code) {
  currentList { version } listInForce(on: $on) { version }
  listVersions { version status }
} }`;

type People = Awaited<ReturnType<typeof countryWithPeople>>;

/**
 * The lifecycle, chapter by chapter. Each test starts from a country of its own (its own
 * code, official and approver) and builds the chapter it starts from with the steps below,
 * the same calls the earlier chapters make; THA is the other country, which no test changes.
 */
describe('positive lists: the whole lifecycle over HTTP, as an official, an approver and a developer', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
    await countryWithPeople(t, 'THA');
  });
  afterAll(() => t.close());

  /** The calls of one country's official and approver. */
  const actors = (people: People) => ({
    asOfficial: (q: string, v: Record<string, unknown>) => t.gql(q, v, people.official.key),
    asApprover: (q: string, v: Record<string, unknown>) => t.gql(q, v, people.approver.key),
  });
  const must = async (res: Promise<GqlResponse>) => {
    const { data, errors } = await res;
    expect(errors).toBeUndefined();
    return data;
  };

  /** Chapter 1: a country of its own, with version 1 drafted with a positive and a negative entry. */
  const draftedV1 = async (code: string) => {
    const people = await countryWithPeople(t, code);
    const { asOfficial } = actors(people);
    const v1 = (
      await must(
        asOfficial(CREATE_DRAFT, {
          input: { hostCountry: code, title: 'Whitelist 2026', reason: 'first list' },
        }),
      )
    ).createDraft.id as string;
    const solar = await must(
      asOfficial(ADD_ENTRY, { input: { listVersionId: v1, entry: solarEntry(), reason: 'solar' } }),
    );
    await must(
      asOfficial(ADD_ENTRY, {
        input: { listVersionId: v1, entry: redListEntry(), reason: 'red list' },
      }),
    );
    return { people, v1, solarId: solar.addEntry.id as string };
  };

  /** Chapters 1-4: version 1, its solar entry renamed (revision 2), published today. */
  const publishedV1 = async (code: string) => {
    const drafted = await draftedV1(code);
    const { asOfficial, asApprover } = actors(drafted.people);
    const { v1, solarId } = drafted;
    await must(
      asOfficial(UPDATE_ENTRY, {
        input: {
          entryId: solarId,
          expectedRevision: 1,
          entry: solarEntry({ name: 'Utility-scale solar PV parks' }),
          reason: 'clearer name',
        },
      }),
    );
    await must(asOfficial(SUBMIT, { input: { listVersionId: v1, reason: 'for review' } }));
    await must(
      asApprover(PUBLISH, {
        input: { listVersionId: v1, effectiveFrom: today(), reason: 'approved by committee' },
      }),
    );
    return drafted;
  };

  /**
   * Chapters 1-7: version 2 drafted from version 1 (solar capped at 20 MW, the red-list entry
   * removed, landfill gas added), submitted and sent back by the approver.
   */
  const rejectedV2 = async (code: string) => {
    const published = await publishedV1(code);
    const { asOfficial, asApprover } = actors(published.people);
    const v2 = (
      await must(
        asOfficial(CREATE_DRAFT, {
          input: { hostCountry: code, title: 'Whitelist 2027', reason: 'annual review' },
        }),
      )
    ).createDraft.id as string;
    const full = await must(
      asOfficial('query($id: ID!) { listVersion(id: $id) { entries { id key } } }', { id: v2 }),
    );
    const ids = Object.fromEntries(full.listVersion.entries.map((e: any) => [e.key, e.id]));
    await must(
      asOfficial(UPDATE_ENTRY, {
        input: {
          entryId: ids['GHA-SOLAR-UTILITY'],
          expectedRevision: 1,
          entry: solarEntry({
            name: 'Utility-scale solar PV parks',
            criteria: [{ parameter: 'capacityMW', operator: 'LTE', threshold: 20, unit: 'MW' }],
          }),
          reason: 'tighter cap',
        },
      }),
    );
    await must(
      asOfficial('mutation($input: RemoveEntryInput!) { removeEntry(input: $input) { id } }', {
        input: { entryId: ids['GHA-EFFICIENT-LIGHTING'], reason: 'now covered by law' },
      }),
    );
    await must(
      asOfficial(ADD_ENTRY, {
        input: {
          listVersionId: v2,
          entry: solarEntry({
            key: 'GHA-LANDFILL-GAS',
            name: 'Landfill gas capture',
            technologies: ['landfill gas'],
            sectorCodes: ['WASTE'],
            criteria: [],
          }),
          reason: 'new programme',
        },
      }),
    );
    await must(asOfficial(SUBMIT, { input: { listVersionId: v2, reason: 'review please' } }));
    await must(
      asApprover('mutation($input: ListTransitionInput!) { reject(input: $input) { status } }', {
        input: { listVersionId: v2, reason: 'add the legal basis' },
      }),
    );
    return { ...published, v2 };
  };

  /** Chapters 1-8: version 2 resubmitted and published to take effect tomorrow. */
  const scheduledV2 = async (code: string) => {
    const rejected = await rejectedV2(code);
    const { asOfficial, asApprover } = actors(rejected.people);
    await must(asOfficial(SUBMIT, { input: { listVersionId: rejected.v2, reason: 'fixed' } }));
    await must(
      asApprover(PUBLISH, {
        input: {
          listVersionId: rejected.v2,
          effectiveFrom: addDays(today(), 1),
          reason: 'approved',
        },
      }),
    );
    return rejected;
  };

  it('an official drafts version 1 with a positive and a negative entry', async () => {
    const { asOfficial } = actors(await countryWithPeople(t, 'GHA'));
    const draft = await asOfficial(CREATE_DRAFT, {
      input: { hostCountry: 'GHA', title: 'Whitelist 2026', reason: 'first list' },
    });
    expect(draft.errors).toBeUndefined();
    expect(draft.data.createDraft).toMatchObject({ version: 1, status: 'DRAFT', entryCount: 0 });
    const v1 = draft.data.createDraft.id;
    const empty = await asOfficial(SUBMIT, { input: { listVersionId: v1, reason: 'too early' } });
    expect(expectError(empty, 'INVALID_STATE').message).toMatch(/no entries/);
    const solar = await asOfficial(ADD_ENTRY, {
      input: { listVersionId: v1, entry: solarEntry(), reason: 'solar' },
    });
    expect(solar.errors).toBeUndefined();
    expect(solar.data.addEntry.revision).toBe(1);
    const red = await asOfficial(ADD_ENTRY, {
      input: { listVersionId: v1, entry: redListEntry(), reason: 'red list' },
    });
    expect(red.errors).toBeUndefined();
  });

  it('keeps drafts away from the public and from other countries', async () => {
    const { v1 } = await draftedV1('CIV');
    expect((await t.gql(VERSION, { id: v1 })).data.listVersion).toBeNull();
    const thaOfficial = await createPrincipal(t, 'OFFICIAL', 'THA', 'tha-reader');
    expect((await t.gql(VERSION, { id: v1 }, thaOfficial.key)).data.listVersion).toBeNull();
    const auditor = await createPrincipal(t, 'AUDITOR');
    expect((await t.gql(VERSION, { id: v1 }, auditor.key)).data.listVersion.status).toBe('DRAFT');
    expect(
      (await t.gql(COUNTRY, { code: 'CIV', on: today() })).data.hostCountry.listVersions,
    ).toEqual([]);
  });

  it('updates an entry against its revision', async () => {
    const { people, solarId } = await draftedV1('SEN');
    const { asOfficial } = actors(people);
    const res = await asOfficial(UPDATE_ENTRY, {
      input: {
        entryId: solarId,
        expectedRevision: 1,
        entry: solarEntry({ name: 'Utility-scale solar PV parks' }),
        reason: 'clearer name',
      },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.updateEntry).toMatchObject({
      name: 'Utility-scale solar PV parks',
      revision: 2,
    });
    const stale = await asOfficial(UPDATE_ENTRY, {
      input: { entryId: solarId, expectedRevision: 1, entry: solarEntry(), reason: 'stale' },
    });
    expect(expectError(stale, 'CONFLICT').message).toMatch(/revision 2, not 1/);
  });

  it('the official submits; only an approver publishes, with an effective date', async () => {
    const { people, v1 } = await draftedV1('NGA');
    const { asOfficial, asApprover } = actors(people);
    const submitted = await asOfficial(SUBMIT, {
      input: { listVersionId: v1, reason: 'for review' },
    });
    expect(submitted.data.submitDraft).toMatchObject({
      status: 'SUBMITTED',
      submittedBy: 'official-NGA',
    });
    expectError(
      await asOfficial(PUBLISH, {
        input: { listVersionId: v1, effectiveFrom: today(), reason: 'self' },
      }),
      'FORBIDDEN',
    );
    expectError(
      await asOfficial(ADD_ENTRY, {
        input: { listVersionId: v1, entry: solarEntry({ key: 'NGA-LATE' }), reason: 'late' },
      }),
      'INVALID_STATE',
    );
    const published = await asApprover(PUBLISH, {
      input: { listVersionId: v1, effectiveFrom: today(), reason: 'approved by committee' },
    });
    expect(published.errors).toBeUndefined();
    expect(published.data.publish).toMatchObject({
      status: 'PUBLISHED',
      effectiveFrom: today(),
      approvedBy: 'approver-NGA',
    });
  });

  it('a developer (anonymous) reads the list in force with entries, sectors and baseline values', async () => {
    const { v1 } = await publishedV1('TGO');
    const res = await t.gql(VERSION, { id: v1 });
    const version = res.data.listVersion;
    expect(version).toMatchObject({
      version: 1,
      status: 'PUBLISHED',
      entryCount: 2,
      createdBy: 'official-TGO',
      hostCountry: { code: 'TGO' },
    });
    const solar = version.entries.find((e: any) => e.key === 'GHA-SOLAR-UTILITY');
    expect(solar.sectors).toEqual([{ code: 'ENERGY', ipccSector: 'ENERGY' }]);
    expect(solar.baseline.v2025).toBeCloseTo(0.72, 12);
    expect(solar.baseline.v2030).toBeCloseTo(0.72 * 0.99 ** 5, 12);
    const country = await t.gql(COUNTRY, { code: 'TGO', on: today() });
    expect(country.data.hostCountry).toMatchObject({
      currentList: { version: 1 },
      listInForce: { version: 1 },
      listVersions: [{ version: 1, status: 'PUBLISHED' }],
    });
    expect(
      (await t.gql(COUNTRY, { code: 'TGO', on: '2020-01-01' })).data.hostCountry.listInForce,
    ).toBeNull();
  });

  it('published versions never change', async () => {
    const { people, solarId } = await publishedV1('BFA');
    const { asOfficial } = actors(people);
    const before = await t.auditCount();
    expect(
      expectError(
        await asOfficial(UPDATE_ENTRY, {
          input: { entryId: solarId, expectedRevision: 2, entry: solarEntry(), reason: 'x' },
        }),
        'INVALID_STATE',
      ).message,
    ).toMatch(/PUBLISHED/);
    expectError(
      await asOfficial(
        'mutation($input: RemoveEntryInput!) { removeEntry(input: $input) { id } }',
        { input: { entryId: solarId, reason: 'x' } },
      ),
      'INVALID_STATE',
    );
    expect(await t.auditCount()).toBe(before);
  });

  it('version 2 starts as a copy of the version in force; rejection sends it back with a reason', async () => {
    const { people } = await publishedV1('MLI');
    const { asOfficial, asApprover } = actors(people);
    const draft = await asOfficial(CREATE_DRAFT, {
      input: { hostCountry: 'MLI', title: 'Whitelist 2027', reason: 'annual review' },
    });
    expect(draft.data.createDraft).toMatchObject({ version: 2, status: 'DRAFT', entryCount: 2 });
    const v2 = draft.data.createDraft.id;
    const second = await asOfficial(CREATE_DRAFT, {
      input: { hostCountry: 'MLI', title: 'another', reason: 'x' },
    });
    expect(expectError(second, 'CONFLICT').message).toMatch(/Version 2 of MLI is already open/);

    const entries = (await asOfficial(VERSION, { id: v2 })).data.listVersion.entries;
    const solar = entries.find((e: any) => e.key === 'GHA-SOLAR-UTILITY');
    const red = entries.find((e: any) => e.key === 'GHA-EFFICIENT-LIGHTING');
    const full = await asOfficial(
      'query($id: ID!) { listVersion(id: $id) { entries { id key revision } } }',
      { id: v2 },
    );
    const ids = Object.fromEntries(full.data.listVersion.entries.map((e: any) => [e.key, e.id]));
    expect(solar.revision).toBe(1);
    const changed = await asOfficial(UPDATE_ENTRY, {
      input: {
        entryId: ids['GHA-SOLAR-UTILITY'],
        expectedRevision: 1,
        entry: solarEntry({
          name: 'Utility-scale solar PV parks',
          criteria: [{ parameter: 'capacityMW', operator: 'LTE', threshold: 20, unit: 'MW' }],
        }),
        reason: 'tighter cap',
      },
    });
    expect(changed.errors).toBeUndefined();
    expect(red).toBeDefined();
    const removed = await asOfficial(
      'mutation($input: RemoveEntryInput!) { removeEntry(input: $input) { id entryCount } }',
      { input: { entryId: ids['GHA-EFFICIENT-LIGHTING'], reason: 'now covered by law' } },
    );
    expect(removed.data.removeEntry.entryCount).toBe(1);
    const added = await asOfficial(ADD_ENTRY, {
      input: {
        listVersionId: v2,
        entry: solarEntry({
          key: 'GHA-LANDFILL-GAS',
          name: 'Landfill gas capture',
          technologies: ['landfill gas'],
          sectorCodes: ['WASTE'],
          criteria: [],
        }),
        reason: 'new programme',
      },
    });
    expect(added.errors).toBeUndefined();

    await asOfficial(SUBMIT, { input: { listVersionId: v2, reason: 'review please' } });
    const rejected = await asApprover(
      'mutation($input: ListTransitionInput!) { reject(input: $input) { status submittedBy } }',
      { input: { listVersionId: v2, reason: 'add the legal basis' } },
    );
    expect(rejected.data.reject).toEqual({ status: 'DRAFT', submittedBy: null });
    const [event] = await t.sql(
      `SELECT action, reason, actor_name FROM audit_event WHERE entity_id = $1 ORDER BY seq DESC LIMIT 1`,
      [v2],
    );
    expect(event).toEqual({
      action: 'REJECT',
      reason: 'add the legal basis',
      actor_name: 'approver-MLI',
    });
  });

  it('version 2 is published to take effect tomorrow: version 1 stays in force until then', async () => {
    const { people, v1, v2 } = await rejectedV2('NER');
    const { asOfficial, asApprover } = actors(people);
    await asOfficial(SUBMIT, { input: { listVersionId: v2, reason: 'fixed' } });
    const pastDate = await asApprover(PUBLISH, {
      input: { listVersionId: v2, effectiveFrom: addDays(today(), -1), reason: 'x' },
    });
    expect(expectError(pastDate, 'BAD_USER_INPUT').extensions!.fields![0].field).toBe(
      'input.effectiveFrom',
    );
    const sameDay = await asApprover(PUBLISH, {
      input: { listVersionId: v2, effectiveFrom: today(), reason: 'x' },
    });
    expect(expectError(sameDay, 'BAD_USER_INPUT').message).toMatch(
      /must be after .* when version 1 takes effect/,
    );
    const tomorrow = addDays(today(), 1);
    const published = await asApprover(PUBLISH, {
      input: { listVersionId: v2, effectiveFrom: tomorrow, reason: 'approved' },
    });
    expect(published.errors).toBeUndefined();

    const now = await t.gql(COUNTRY, { code: 'NER', on: tomorrow });
    expect(now.data.hostCountry).toMatchObject({
      currentList: { version: 1 },
      listInForce: { version: 2 },
    });
    expect(now.data.hostCountry.listVersions.map((v: any) => v.version)).toEqual([2, 1]);
    const first = (await t.gql(VERSION, { id: v1 })).data.listVersion;
    expect(first).toMatchObject({ status: 'PUBLISHED', effectiveUntil: tomorrow });
    const events = await t.sql(`SELECT action FROM audit_event WHERE entity_id = $1 ORDER BY seq`, [
      v1,
    ]);
    expect(events.map((e) => e.action)).toEqual(['CREATE', 'SUBMIT', 'PUBLISH', 'SUPERSEDE']);
  });

  it('anyone compares two versions field by field, entries matched by key', async () => {
    const { v1, v2 } = await scheduledV2('BEN');
    const res = await t.gql(
      `query($a: ID!, $b: ID!) { listDiff(fromVersionId: $a, toVersionId: $b) {
      from { version } to { version } added { key } removed { key } changed { key name changes { path before after } } } }`,
      { a: v1, b: v2 },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.listDiff).toEqual({
      from: { version: 1 },
      to: { version: 2 },
      added: [{ key: 'GHA-LANDFILL-GAS' }],
      removed: [{ key: 'GHA-EFFICIENT-LIGHTING' }],
      changed: [
        {
          key: 'GHA-SOLAR-UTILITY',
          name: 'Utility-scale solar PV parks',
          changes: [{ path: 'criteria[0].threshold', before: 50, after: 20 }],
        },
      ],
    });
  });

  it('withdrawing version 2 before it takes effect keeps version 1 in force', async () => {
    const { people, v1, v2 } = await scheduledV2('CMR');
    const { asApprover } = actors(people);
    const res = await asApprover(
      'mutation($input: ListTransitionInput!) { withdraw(input: $input) { status effectiveUntil } }',
      { input: { listVersionId: v2, reason: 'court order' } },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.withdraw.status).toBe('WITHDRAWN');
    const tomorrow = addDays(today(), 1);
    const country = await t.gql(COUNTRY, { code: 'CMR', on: tomorrow });
    expect(country.data.hostCountry).toMatchObject({
      currentList: { version: 1 },
      listInForce: { version: 1 },
    });
    expect((await t.gql(VERSION, { id: v1 })).data.listVersion.effectiveUntil).toBeNull();
    const again = await asApprover(
      'mutation($input: ListTransitionInput!) { withdraw(input: $input) { status } }',
      { input: { listVersionId: v2, reason: 'twice' } },
    );
    expect(expectError(again, 'INVALID_STATE').message).toMatch(/it is WITHDRAWN/);
  });

  it('withdrawing the version in force suspends the list from the next day; today’s answers stay true', async () => {
    const { people, v1 } = await publishedV1('GAB');
    const { asApprover } = actors(people);
    const res = await asApprover(
      'mutation($input: ListTransitionInput!) { withdraw(input: $input) { status effectiveFrom effectiveUntil } }',
      { input: { listVersionId: v1, reason: 'suspended' } },
    );
    const tomorrow = addDays(today(), 1);
    expect(res.data.withdraw).toEqual({
      status: 'WITHDRAWN',
      effectiveFrom: today(),
      effectiveUntil: tomorrow,
    });
    expect(
      (await t.gql(COUNTRY, { code: 'GAB', on: today() })).data.hostCountry.currentList,
    ).toEqual({ version: 1 });
    expect(
      (await t.gql(COUNTRY, { code: 'GAB', on: tomorrow })).data.hostCountry.listInForce,
    ).toBeNull();
  });

  it('enforces four eyes by identity: an approver who submitted cannot publish, another approver can', async () => {
    const { people, v1 } = await publishedV1('COG');
    const { asApprover } = actors(people);
    await must(
      asApprover('mutation($input: ListTransitionInput!) { withdraw(input: $input) { id } }', {
        input: { listVersionId: v1, reason: 'suspended' },
      }),
    );
    const draft = await asApprover(CREATE_DRAFT, {
      input: { hostCountry: 'COG', title: 'Approver draft', reason: 'drafting rights' },
    });
    const id = draft.data.createDraft.id;
    expect(draft.data.createDraft.entryCount).toBe(2); // version 1 is in force until tonight
    await asApprover(SUBMIT, { input: { listVersionId: id, reason: 'mine' } });
    const own = await asApprover(PUBLISH, {
      input: { listVersionId: id, effectiveFrom: addDays(today(), 2), reason: 'self-approval' },
    });
    expect(expectError(own, 'FORBIDDEN').message).toMatch(/Four eyes/);
    const other = await createPrincipal(t, 'APPROVER', 'COG', 'second-approver');
    const ok = await t.gql(
      PUBLISH,
      { input: { listVersionId: id, effectiveFrom: addDays(today(), 2), reason: 'checked' } },
      other.key,
    );
    expect(ok.data.publish).toMatchObject({ status: 'PUBLISHED', approvedBy: 'second-approver' });
  });

  it('refuses another country’s officials and unknown ids, writing nothing', async () => {
    const { people, v1 } = await publishedV1('RWA');
    const tha = await createPrincipal(t, 'OFFICIAL', 'THA', 'tha-official');
    const before = await t.auditCount();
    expectError(
      await t.gql(
        CREATE_DRAFT,
        { input: { hostCountry: 'RWA', title: 'x', reason: 'x' } },
        tha.key,
      ),
      'FORBIDDEN',
    );
    // Another country's version does not exist for THA's official: the same answer as for
    // an id that names nothing, so an id reveals nothing about its owner.
    const foreign = expectError(
      await t.gql(
        ADD_ENTRY,
        { input: { listVersionId: v1, entry: solarEntry(), reason: 'x' } },
        tha.key,
      ),
      'NOT_FOUND',
    );
    const unknownId = '00000000-0000-4000-8000-000000000000';
    const unknown = expectError(
      await t.gql(
        ADD_ENTRY,
        { input: { listVersionId: unknownId, entry: solarEntry(), reason: 'x' } },
        people.official.key,
      ),
      'NOT_FOUND',
    );
    expect(foreign.message.replace(v1, 'ID')).toBe(unknown.message.replace(unknownId, 'ID'));
    expect(foreign.message).not.toContain('RWA');
    // Above all a draft: not readable, not submittable, not discardable from another country.
    const draft = (
      await t.gql(
        CREATE_DRAFT,
        { input: { hostCountry: 'RWA', title: 'secret draft', reason: 'x' } },
        people.official.key,
      )
    ).data.createDraft;
    const afterDraft = await t.auditCount();
    for (const document of [SUBMIT, DISCARD]) {
      const res = await t.gql(
        document,
        { input: { listVersionId: draft.id, reason: 'x' } },
        tha.key,
      );
      expect(expectError(res, 'NOT_FOUND').message).not.toContain('RWA');
    }
    const read = await t.gql(
      'query($id: ID!) { listVersion(id: $id) { id } }',
      { id: draft.id },
      tha.key,
    );
    expect(read.data.listVersion).toBeNull();
    expect(await t.auditCount()).toBe(afterDraft);
    expectError(
      await t.gql(
        CREATE_DRAFT,
        { input: { hostCountry: 'KEN', title: 'x', reason: 'x' } },
        ADMIN_KEY,
      ),
      'FORBIDDEN',
    );
    // Only RWA's own draft was written (one event); every refusal wrote nothing.
    expect(await t.auditCount()).toBe(before + 1);
  });
});
