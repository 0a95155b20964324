import { SettableClock } from '../support/settable-clock';
import { TestApp } from '../support/test-app';
import { countryWithPeople, publishedVersion, solarEntry } from '../support/list-fixtures';

/**
 * The registry on days the test chooses (the clock is injected): a timeline walked day by day,
 * the turn of a day at midnight UTC, and a version superseded in the past.
 */
describe('the list timeline, day by day, on an injected clock', () => {
  const clock = new SettableClock('2030-03-01T10:00:00.000Z');
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({}, clock);
  });
  afterAll(() => t.close());

  // Each test has a country of its own; later versions copy the version in force.
  const onDay = async (code: string) =>
    (
      await t.gql(
        'query($c: String!) { hostCountry(code: $c) { currentList { version status } listVersions { version status } } }',
        { c: code },
      )
    ).data.hostCountry;

  it('walks a timeline: v1 in force from today, v2 scheduled for the 4th takes over at midnight UTC', async () => {
    clock.set('2030-03-01T10:00:00.000Z');
    const people = await countryWithPeople(t, 'GHA');
    await publishedVersion(t, people, 'GHA', [solarEntry()], '2030-03-01');
    await publishedVersion(t, people, 'GHA', [], '2030-03-04');

    const seen: Record<string, unknown> = {};
    for (const day of ['2030-03-01', '2030-03-02', '2030-03-03', '2030-03-04', '2030-03-05']) {
      clock.set(`${day}T12:00:00.000Z`);
      seen[day] = (await onDay('GHA')).currentList;
    }
    expect(seen).toEqual({
      '2030-03-01': { version: 1, status: 'PUBLISHED' },
      '2030-03-02': { version: 1, status: 'PUBLISHED' },
      '2030-03-03': { version: 1, status: 'PUBLISHED' },
      '2030-03-04': { version: 2, status: 'PUBLISHED' },
      '2030-03-05': { version: 2, status: 'PUBLISHED' },
    });
    expect((await onDay('GHA')).listVersions).toEqual([
      { version: 2, status: 'PUBLISHED' },
      { version: 1, status: 'SUPERSEDED' },
    ]);
  });

  it('turns the day at midnight UTC, to the millisecond', async () => {
    clock.set('2030-03-09T20:00:00.000Z');
    const people = await countryWithPeople(t, 'KEN');
    await publishedVersion(t, people, 'KEN', [solarEntry()], '2030-03-09');
    clock.set('2030-03-09T23:59:59.999Z');
    await publishedVersion(t, people, 'KEN', [], '2030-03-10');
    expect((await onDay('KEN')).currentList).toEqual({ version: 1, status: 'PUBLISHED' });
    const eligibility = () =>
      t.gql(
        '{ checkEligibility(query: { hostCountry: "KEN", activityKey: "GHA-SOLAR-UTILITY", parameters: [{ name: "capacityMW", number: 12 }] }) { on listVersion { version } } }',
      );
    expect((await eligibility()).data.checkEligibility).toEqual({
      on: '2030-03-09',
      listVersion: { version: 1 },
    });
    clock.set('2030-03-10T00:00:00.000Z');
    expect((await onDay('KEN')).currentList).toEqual({ version: 2, status: 'PUBLISHED' });
    expect((await eligibility()).data.checkEligibility).toEqual({
      on: '2030-03-10',
      listVersion: { version: 2 },
    });
  });

  it('records the instants of the change from the same clock (audit event and publication)', async () => {
    clock.set('2030-04-02T08:30:00.000Z');
    const people = await countryWithPeople(t, 'SEN');
    const { versionId } = await publishedVersion(t, people, 'SEN', [solarEntry()], '2030-04-02');
    const res = await t.gql(
      `query($id: ID!) { listVersion(id: $id) { publishedAt } }`,
      { id: versionId },
      people.approver.key,
    );
    expect(res.data.listVersion.publishedAt).toBe('2030-04-02T08:30:00.000Z');
    const rows = await t.sql(
      `SELECT occurred_at FROM audit_event WHERE entity_id = $1 AND action = 'PUBLISH'`,
      [versionId],
    );
    expect(rows.map((r: { occurred_at: Date }) => r.occurred_at.toISOString())).toEqual([
      '2030-04-02T08:30:00.000Z',
    ]);
  });

  it('refuses to publish into the past of its own clock, naming its today', async () => {
    clock.set('2030-05-01T09:00:00.000Z');
    const people = await countryWithPeople(t, 'THA');
    await publishedVersion(t, people, 'THA', [solarEntry()], '2030-05-01');
    const res = await t.gql(
      'mutation($i: CreateDraftInput!) { createDraft(input: $i) { id } }',
      { i: { hostCountry: 'THA', title: 'late', reason: 'late' } },
      people.official.key,
    );
    const id = res.data.createDraft.id;
    await t.gql(
      'mutation($i: ListTransitionInput!) { submitDraft(input: $i) { id } }',
      { i: { listVersionId: id, reason: 'ready' } },
      people.official.key,
    );
    const late = await t.gql(
      'mutation($i: PublishInput!) { publish(input: $i) { id } }',
      { i: { listVersionId: id, effectiveFrom: '2030-04-30', reason: 'go' } },
      people.approver.key,
    );
    expect(late.errors?.[0]?.message).toBe(
      'input.effectiveFrom: must be today (2030-05-01) or later',
    );
  });
});
