import { LISTENER_NAME, ListsInForce } from '../../src/positive-lists/lists-in-force';
import { countStatements } from '../support/statement-counter';
import { eventually } from '../support/eventually';
import {
  CREATE_DRAFT,
  addDays,
  countryWithPeople,
  publishedVersion,
  solarEntry,
  today,
} from '../support/list-fixtures';
import { TestApp } from '../support/test-app';

const CHECK = `query($q: EligibilityQuery!) { checkEligibility(query: $q) {
  status listVersion { version } } }`;
const ASK = {
  q: {
    hostCountry: 'GHA',
    technology: 'solar PV',
    parameters: [{ name: 'capacityMW', number: 10 }],
  },
};
const WITHDRAW = `mutation($input: ListTransitionInput!) { withdraw(input: $input) { id status } }`;

/** Asks once, so the instance starts listening, then waits until it does. */
async function listening(t: TestApp): Promise<ListsInForce> {
  const inForce = t.app.get(ListsInForce);
  await t.gql(CHECK, ASK);
  expect(await eventually(() => inForce.active)).toBe(true);
  return inForce;
}

/**
 * Which version is in force is kept in memory on each instance (issue #13: the statement per
 * question was the largest single cost of an answer) and must never outlive a change:
 * the instance that made it, other instances, and SQL outside the service.
 */
describe('lists in force, remembered between changes', () => {
  let a: TestApp;
  let b: TestApp;
  let people: Awaited<ReturnType<typeof countryWithPeople>>;

  beforeAll(async () => {
    a = await TestApp.start();
    b = await TestApp.start({}, undefined, a.db);
    people = await countryWithPeople(a, 'GHA');
  });
  afterAll(async () => {
    await b?.app.close();
    await a?.close();
  });

  it('answers a repeated question without a statement, and reflects its own publish at once', async () => {
    await listening(a);
    const before = await countStatements(() => a.gql(CHECK, ASK));
    expect(before.result.data.checkEligibility.status).toBe('NO_LIST_IN_FORCE');
    const again = await countStatements(() => a.gql(CHECK, ASK));
    expect(again.result.data).toEqual(before.result.data);
    expect(again.statements).toBe(0);

    await publishedVersion(a, people, 'GHA', [solarEntry()]);
    // The very next question on the same instance, with no wait: read your writes.
    const after = await a.gql(CHECK, ASK);
    expect(after.data.checkEligibility).toEqual({
      status: 'ELIGIBLE',
      listVersion: { version: 1 },
    });
  });

  it('learns of a change made on another instance from the database, within moments', async () => {
    await listening(b);
    // A version withdrawn today stays in force to the end of the day: ask about tomorrow.
    const tomorrow = { q: { ...ASK.q, on: addDays(today(), 1) } };
    expect((await b.gql(CHECK, tomorrow)).data.checkEligibility.status).toBe('ELIGIBLE');
    const [version] = await a.sql<{ id: string }>(
      `SELECT id FROM positive_list_version WHERE host_country_code = 'GHA' AND status = 'PUBLISHED'`,
    );
    const withdrawn = await a.gql(
      WITHDRAW,
      { input: { listVersionId: version.id, reason: 'annulled by decree' } },
      people.approver.key,
    );
    expect(withdrawn.errors).toBeUndefined();
    expect(
      await eventually(
        async () =>
          (await b.gql(CHECK, tomorrow)).data.checkEligibility.status === 'NO_LIST_IN_FORCE',
      ),
    ).toBe(true);
  });

  it('learns of SQL run outside the service too (a trigger notifies): a country registered by hand', async () => {
    await listening(b);
    const peru = { q: { hostCountry: 'PER', technology: 'solar PV' } };
    expect((await b.gql(CHECK, peru)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    await a.sql(`INSERT INTO host_country (code, name) VALUES ('PER', 'Peru')`);
    expect(
      await eventually(
        async () =>
          (await b.gql(CHECK, peru)).data?.checkEligibility?.status === 'NO_LIST_IN_FORCE',
      ),
    ).toBe(true);
  });

  it('does not forget on a change that rolls back, and forgets on one that commits', async () => {
    const inForce = await listening(a);
    const first = await a.gql(
      CREATE_DRAFT,
      { input: { hostCountry: 'GHA', title: 'v2', reason: 'next' } },
      people.official.key,
    );
    expect(first.errors).toBeUndefined();
    // Forgotten at the commit: the next question reads the database again.
    expect((await countStatements(() => a.gql(CHECK, ASK))).statements).toBe(1);
    // Let the notification of that commit arrive, then remember again.
    await new Promise((r) => setTimeout(r, 200));
    await a.gql(CHECK, ASK);
    // A second draft for the same country is refused: its transaction rolls back.
    const refused = await a.gql(
      CREATE_DRAFT,
      { input: { hostCountry: 'GHA', title: 'v3', reason: 'again' } },
      people.official.key,
    );
    expect(refused.errors?.[0].extensions?.code).toBe('CONFLICT');
    await new Promise((r) => setTimeout(r, 200));
    expect((await countStatements(() => a.gql(CHECK, ASK))).statements).toBe(0);
    expect(inForce.active).toBe(true);
  });

  it('reads the database for every question while the listening connection is lost, and listens again', async () => {
    const inForce = await listening(a);
    const logged = a.logLines.length;
    await a.sql(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = $1`,
      [LISTENER_NAME],
    );
    // It notices at once (on a busy machine, within seconds); it reconnects only after a
    // pause counted from then, so the question below falls in the window whatever the wait.
    expect(await eventually(() => !inForce.active, 5000)).toBe(true);
    const cold = await countStatements(() => a.gql(CHECK, ASK));
    expect(cold.result.data.checkEligibility.status).toBe('ELIGIBLE');
    expect(cold.statements).toBe(1);
    expect(
      a.logLines.slice(logged).filter((line) => line.includes('not listening for list changes')),
    ).toHaveLength(1);
    // Reconnects by itself within a few seconds, then answers from memory again.
    expect(await eventually(() => inForce.active, 8000)).toBe(true);
    await a.gql(CHECK, ASK);
    expect((await countStatements(() => a.gql(CHECK, ASK))).statements).toBe(0);
  });

  it('with IN_FORCE_CACHE=false, reads the database for every question', async () => {
    const off = await TestApp.start({ IN_FORCE_CACHE: 'false' }, undefined, a.db);
    try {
      await off.gql(CHECK, ASK);
      await new Promise((r) => setTimeout(r, 200));
      expect(off.app.get(ListsInForce).active).toBe(false);
      expect((await countStatements(() => off.gql(CHECK, ASK))).statements).toBe(1);
    } finally {
      await off.app.close();
    }
  });
});
