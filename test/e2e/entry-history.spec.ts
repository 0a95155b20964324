import {
  ADD_ENTRY,
  CREATE_DRAFT,
  PUBLISH,
  SUBMIT,
  UPDATE_ENTRY,
  addDays,
  countryWithPeople,
  publishedVersion,
  redListEntry,
  solarEntry,
  today,
} from '../support/list-fixtures';
import { ADMIN_KEY, TestApp } from '../support/test-app';

const HISTORY = `query($c: String!, $k: String!) { entryHistory(hostCountry: $c, key: $k) {
  change version { version status } changes { path before after } } }`;
const ENTRIES = `query($id: ID!) { listVersion(id: $id) { entries { id key revision } } }`;
const REMOVE_ENTRY = `mutation($input: RemoveEntryInput!) { removeEntry(input: $input) { id } }`;

/**
 * An entry's history: what each published version of its country did to it, the same for
 * every caller. Drafts never count, whoever asks.
 */
describe('entryHistory', () => {
  let t: TestApp;
  let people: Awaited<ReturnType<typeof countryWithPeople>>;

  const ok = async (query: string, variables: Record<string, unknown>, key?: string) => {
    const res = await t.gql(query, variables, key);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data;
  };
  /** A draft copied from the version in force, changed by `edit`, then left as a draft. */
  /** A draft copied from `basedOn` (default: the version in force), changed by `edit`. */
  const draft = async (
    edit: (entries: { id: string; key: string; revision: number }[], id: string) => Promise<void>,
    basedOn?: string,
  ) => {
    const { createDraft } = await ok(
      CREATE_DRAFT,
      {
        input: {
          hostCountry: 'GHA',
          title: 'next',
          reason: 'revise',
          basedOnVersionId: basedOn ?? null,
        },
      },
      people.official.key,
    );
    const { listVersion } = await ok(ENTRIES, { id: createDraft.id }, people.official.key);
    await edit(listVersion.entries, createDraft.id);
    return createDraft.id as string;
  };
  const publish = async (id: string, effectiveFrom: string) => {
    await ok(SUBMIT, { input: { listVersionId: id, reason: 'ready' } }, people.official.key);
    await ok(
      PUBLISH,
      { input: { listVersionId: id, effectiveFrom, reason: 'approved' } },
      people.approver.key,
    );
  };
  const updateSolar =
    (threshold: number) => async (entries: { id: string; key: string; revision: number }[]) => {
      const solar = entries.find((e) => e.key === 'GHA-SOLAR-UTILITY')!;
      await ok(
        UPDATE_ENTRY,
        {
          input: {
            entryId: solar.id,
            expectedRevision: solar.revision,
            entry: solarEntry({
              criteria: [{ parameter: 'capacityMW', operator: 'LTE', threshold, unit: 'MW' }],
            }),
            reason: `capacity limit ${threshold} MW`,
          },
        },
        people.official.key,
      );
    };

  beforeAll(async () => {
    t = await TestApp.start();
    people = await countryWithPeople(t, 'GHA');
    // v1: solar and the red-list entry; v2: solar's limit lowered; v3: the red-list entry
    // removed, solar unchanged; v4: a draft that changes solar again and adds a key.
    await publishedVersion(t, people, 'GHA', [solarEntry(), redListEntry()]);
    // Each next version is drafted from the one before (not from the one in force today).
    const v2 = await draft(updateSolar(30));
    await publish(v2, addDays(today(), 10));
    const v3 = await draft(async (entries) => {
      const red = entries.find((e) => e.key === 'GHA-EFFICIENT-LIGHTING')!;
      await ok(
        REMOVE_ENTRY,
        { input: { entryId: red.id, reason: 'now in the unconditional NDC' } },
        people.official.key,
      );
    }, v2);
    await publish(v3, addDays(today(), 20));
    await draft(async (entries, id) => {
      await updateSolar(20)(entries);
      await ok(
        ADD_ENTRY,
        {
          input: {
            listVersionId: id,
            entry: solarEntry({ key: 'GHA-DRAFT-ONLY' }),
            reason: 'add',
          },
        },
        people.official.key,
      );
    }, v3);
  });
  afterAll(() => t?.close());

  it('gives the versions that added and changed an entry, field by field, and skips the rest', async () => {
    const expected = [
      { change: 'ADDED', version: { version: 1, status: 'PUBLISHED' }, changes: [] },
      {
        change: 'CHANGED',
        version: { version: 2, status: 'PUBLISHED' },
        changes: [{ path: 'criteria[0].threshold', before: 50, after: 30 }],
      },
    ];
    // Anyone, and the same for an administrator who may see the v4 draft.
    expect((await ok(HISTORY, { c: 'GHA', k: 'GHA-SOLAR-UTILITY' })).entryHistory).toEqual(
      expected,
    );
    expect(
      (await ok(HISTORY, { c: 'GHA', k: 'GHA-SOLAR-UTILITY' }, ADMIN_KEY)).entryHistory,
    ).toEqual(expected);
  });

  it('gives the version that removed an entry', async () => {
    expect((await ok(HISTORY, { c: 'GHA', k: 'GHA-EFFICIENT-LIGHTING' })).entryHistory).toEqual([
      { change: 'ADDED', version: { version: 1, status: 'PUBLISHED' }, changes: [] },
      { change: 'REMOVED', version: { version: 3, status: 'PUBLISHED' }, changes: [] },
    ]);
  });

  it('is empty for a key or a country that never had it, and for a key only in a draft', async () => {
    for (const [c, k] of [
      ['GHA', 'GHA-NOT-THERE'],
      ['THA', 'GHA-SOLAR-UTILITY'],
      ['gha', 'GHA-SOLAR-UTILITY'],
      ['GHA', 'GHA-DRAFT-ONLY'],
    ])
      expect((await ok(HISTORY, { c, k }, ADMIN_KEY)).entryHistory).toEqual([]);
  });
});
