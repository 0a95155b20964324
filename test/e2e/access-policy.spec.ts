import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Reflector } from '@nestjs/core';
import { AccessGuard } from '../../src/auth/access.guard';
import { CountryScope } from '../../src/auth/country-scope';
import { PolicyCheck } from '../../src/auth/policy-check';
import { operationPolicies, renderPolicyTable } from '../../src/auth/policy-table';
import { ISO_3166_ALPHA3 } from '../../src/countries/iso3166';
import { RESOLVERS } from '../../src/resolvers';
import { CONSOLE_CONTROLLERS } from '../../src/console/console.module';
import { consoleRoutes, pagesByOperation } from '../../src/console/console-route';
import {
  ADMIN_KEY,
  TestApp,
  createPrincipal,
  expectError,
  registerCountry,
} from '../support/test-app';
import { countryWithPeople, publishedVersion, solarEntry } from '../support/list-fixtures';

/**
 * The access policy, written down independently of the decorators: for every operation,
 * which callers may use it. "own" and "other" are officials/approvers of the country the
 * operation targets (GHA) and of another one (THA).
 */
type Caller =
  | 'anonymous'
  | 'ADMIN'
  | 'AUDITOR'
  | 'OFFICIAL_OWN'
  | 'OFFICIAL_OTHER'
  | 'APPROVER_OWN'
  | 'APPROVER_OTHER';
const CALLERS: Caller[] = [
  'anonymous',
  'ADMIN',
  'AUDITOR',
  'OFFICIAL_OWN',
  'OFFICIAL_OTHER',
  'APPROVER_OWN',
  'APPROVER_OTHER',
];
const AUTHENTICATED: Caller[] = CALLERS.filter((c) => c !== 'anonymous');

/**
 * The records the country-bound checks load: a published version 1 with one entry, of the
 * country whose officials and approvers are "own".
 */
interface Fixture {
  code: string;
  versionId: string;
  entryId: string;
}

/**
 * What an allowed caller gets on the row's fixture: the data (a function of the fixture,
 * which may answer with a promise, e.g. of a count read from the database), or the
 * domain error this operation meets on it, with its message. Never "anything but an auth
 * error": an INTERNAL_SERVER_ERROR, or a different error, fails the row.
 */
type Outcome =
  | { data: (fixture: Fixture) => unknown }
  | { error: 'NOT_FOUND' | 'INVALID_STATE' | 'CONFLICT' | 'BAD_USER_INPUT'; message: RegExp };
const ok = (data: (fixture: Fixture) => unknown): Outcome => ({ data });
const fails = (error: Extract<Outcome, { error: string }>['error'], message: RegExp): Outcome => ({
  error,
  message,
});
/** The same outcome for each of `callers`. */
const each = (callers: Caller[], outcome: Outcome): Partial<Record<Caller, Outcome>> =>
  Object.fromEntries(callers.map((c) => [c, outcome]));

interface Case {
  /** Every caller listed here may use the operation, with this outcome; all others are refused. */
  allowed: Partial<Record<Caller, Outcome>>;
  document: string;
  variables: (fixture: Fixture) => Record<string, unknown>;
  /**
   * A successful call changes the fixture (opens a draft, withdraws the version): each row
   * then gets a country of its own, with its own official, approver and published version,
   * instead of GHA's, so that no row depends on what another row did.
   */
  ownCountry?: true;
  /**
   * The operation names a record (a version or an entry) by id: to officials and approvers of
   * another country that record does not exist, so they get NOT_FOUND, not FORBIDDEN, and an
   * id reveals nothing about its owner.
   */
  recordOf?: true;
}

/** The error a refused caller gets. */
const refusal = (c: Case, caller: Caller) =>
  caller === 'anonymous'
    ? 'UNAUTHENTICATED'
    : c.recordOf &&
        caller.endsWith('_OTHER') &&
        c.allowed[caller.replace('_OTHER', '_OWN') as Caller]
      ? 'NOT_FOUND'
      : 'FORBIDDEN';

/** Each caller's principal id, and the test app (for counts). */
const ids = new Map<Caller, string>();
let app: TestApp;

const ghaEventCount = async () =>
  (
    await app.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_event WHERE host_country = 'GHA'`,
    )
  )[0].n;

/** The latest event of GHA, the country the rows without a country of their own read. */
let ghaEventSeq = 0;

/** The refusal a domain check gives for any edit of the published fixture version. */
const publishedIs = (verb: string, allowedState = 'DRAFT') =>
  fails(
    'INVALID_STATE',
    new RegExp(`^Cannot ${verb} version 1: it is PUBLISHED; only a ${allowedState} version can be`),
  );

/** A well-formed id of no webhook endpoint: the caller gets past the policy to the lookup. */
const noEndpoint = fails('NOT_FOUND', /^Webhook endpoint "[0-9a-f-]{36}" does not exist$/);

const POLICY: Record<string, Case> = {
  'Query.hostCountries': {
    allowed: each(
      CALLERS,
      ok(() => ({ hostCountries: expect.arrayContaining([{ code: 'GHA' }, { code: 'THA' }]) })),
    ),
    document: '{ hostCountries { code } }',
    variables: () => ({}),
  },
  'Query.hostCountry': {
    allowed: each(
      CALLERS,
      ok(() => ({ hostCountry: { code: 'GHA' } })),
    ),
    document: '{ hostCountry(code: "GHA") { code } }',
    variables: () => ({}),
  },
  'Query.me': {
    // Each caller is told who they are: their own principal, not someone else's.
    allowed: Object.fromEntries(
      AUTHENTICATED.map((c) => [c, ok(() => ({ me: { id: ids.get(c) } }))]),
    ),
    document: '{ me { id } }',
    variables: () => ({}),
  },
  'Query.principals': {
    allowed: {
      ADMIN: ok(() => ({
        principals: expect.arrayContaining([...ids.values()].map((id) => ({ id }))),
      })),
    },
    document: '{ principals { id } }',
    variables: () => ({}),
  },
  'Query.auditEvents': {
    allowed: each(
      ['ADMIN', 'AUDITOR', 'OFFICIAL_OWN', 'APPROVER_OWN'],
      ok(async () => ({ auditEvents: { totalCount: await ghaEventCount() } })),
    ),
    document: '{ auditEvents(filter: { hostCountry: "GHA" }, first: 1) { totalCount } }',
    variables: () => ({}),
  },
  'Query.auditEvent': {
    // The event's country is loaded from the stored event: another country's is NOT_FOUND.
    allowed: each(
      ['ADMIN', 'AUDITOR', 'OFFICIAL_OWN', 'APPROVER_OWN'],
      ok(() => ({ auditEvent: { seq: ghaEventSeq, hostCountry: 'GHA' } })),
    ),
    document: 'query($seq: Int!) { auditEvent(seq: $seq) { seq hostCountry } }',
    variables: () => ({ seq: ghaEventSeq }),
    recordOf: true,
  },
  'Query.verifyAuditTrail': {
    allowed: each(
      ['ADMIN', 'AUDITOR'],
      ok(() => ({ verifyAuditTrail: { valid: true } })),
    ),
    document: '{ verifyAuditTrail { valid } }',
    variables: () => ({}),
  },
  'Query.auditCheckpoint': {
    // This service has no signing key, so there is no checkpoint: null, not an error.
    allowed: each(
      CALLERS,
      ok(() => ({ auditCheckpoint: null })),
    ),
    document: '{ auditCheckpoint { treeSize } }',
    variables: () => ({}),
  },
  'Query.auditCheckpoints': {
    allowed: each(
      CALLERS,
      ok(() => ({ auditCheckpoints: { totalCount: 0 } })),
    ),
    document: '{ auditCheckpoints { totalCount } }',
    variables: () => ({}),
  },
  'Query.auditInclusionProof': {
    // Event 1 alone is a tree whose root is its own hash: an empty path.
    allowed: each(
      CALLERS,
      ok(() => ({ auditInclusionProof: { treeSize: 1, hashes: [] } })),
    ),
    document: '{ auditInclusionProof(seq: 1, treeSize: 1) { treeSize hashes } }',
    variables: () => ({}),
  },
  'Query.auditConsistencyProof': {
    allowed: each(
      CALLERS,
      ok(() => ({
        auditConsistencyProof: { fromSize: 1, toSize: 2, hashes: [expect.any(String)] },
      })),
    ),
    document: '{ auditConsistencyProof(fromSize: 1, toSize: 2) { fromSize toSize hashes } }',
    variables: () => ({}),
  },
  'Query.listVersion': {
    allowed: each(
      CALLERS,
      ok((f) => ({ listVersion: { id: f.versionId } })),
    ),
    document: 'query($id: ID!) { listVersion(id: $id) { id } }',
    variables: (f) => ({ id: f.versionId }),
  },
  'Query.searchEntries': {
    allowed: each(
      CALLERS,
      ok(() => ({ searchEntries: { edges: [{ node: { key: 'GHA-SOLAR-UTILITY' } }] } })),
    ),
    // Within GHA: the rows with a country of their own publish entries with the same key.
    document:
      '{ searchEntries(filter: { hostCountries: ["GHA"] }, first: 5) { edges { node { key } } } }',
    variables: () => ({}),
  },
  'Query.listDiff': {
    allowed: each(
      CALLERS,
      ok(() => ({ listDiff: { added: [] } })),
    ),
    document: 'query($a: ID!) { listDiff(fromVersionId: $a, toVersionId: $a) { added { key } } }',
    variables: (f) => ({ a: f.versionId }),
  },
  'Query.entryHistory': {
    allowed: each(
      CALLERS,
      ok(() => ({ entryHistory: [{ change: 'ADDED', version: { version: 1 }, changes: [] }] })),
    ),
    document:
      '{ entryHistory(hostCountry: "GHA", key: "GHA-SOLAR-UTILITY") { change version { version } changes { path } } }',
    variables: () => ({}),
  },
  'Query.checkEligibility': {
    // The entry's capacity criterion cannot be evaluated without a capacity: INDETERMINATE.
    allowed: each(
      CALLERS,
      ok(() => ({ checkEligibility: { status: 'INDETERMINATE' } })),
    ),
    document:
      '{ checkEligibility(query: { hostCountry: "GHA", activityKey: "GHA-SOLAR-UTILITY" }) { status } }',
    variables: () => ({}),
  },
  'Query.checkEligibilityBatch': {
    allowed: each(
      CALLERS,
      ok(() => ({ checkEligibilityBatch: [{ status: 'INDETERMINATE' }] })),
    ),
    document:
      '{ checkEligibilityBatch(queries: [{ hostCountry: "GHA", technology: "solar PV" }]) { status } }',
    variables: () => ({}),
  },
  'Mutation.createDraft': {
    // Only one draft may be open: each row opens it in a country of its own.
    ownCountry: true,
    allowed: each(
      ['OFFICIAL_OWN', 'APPROVER_OWN'],
      // Each caller drafts in a country of its own whose version 1 is published.
      ok(() => ({ createDraft: { id: expect.any(String), version: 2, status: 'DRAFT' } })),
    ),
    document:
      'mutation($input: CreateDraftInput!) { createDraft(input: $input) { id version status } }',
    variables: (f) => ({ input: { hostCountry: f.code, title: 'policy', reason: 'policy test' } }),
  },
  'Mutation.addEntry': {
    recordOf: true,
    allowed: each(['OFFICIAL_OWN', 'APPROVER_OWN'], publishedIs('edit')),
    document: 'mutation($input: AddEntryInput!) { addEntry(input: $input) { id } }',
    variables: (f) => ({
      input: {
        listVersionId: f.versionId,
        entry: solarEntry({ key: 'GHA-OTHER' }),
        reason: 'policy test',
      },
    }),
  },
  'Mutation.importEntries': {
    recordOf: true,
    allowed: each(['OFFICIAL_OWN', 'APPROVER_OWN'], publishedIs('edit')),
    document: 'mutation($input: ImportEntriesInput!) { importEntries(input: $input) { applied } }',
    variables: (f) => ({
      input: {
        listVersionId: f.versionId,
        content: JSON.stringify([solarEntry({ key: 'GHA-OTHER' })]),
        dryRun: true,
        reason: 'policy test',
      },
    }),
  },
  'Mutation.updateEntry': {
    recordOf: true,
    allowed: each(['OFFICIAL_OWN', 'APPROVER_OWN'], publishedIs('edit')),
    document: 'mutation($input: UpdateEntryInput!) { updateEntry(input: $input) { id } }',
    variables: (f) => ({
      input: {
        entryId: f.entryId,
        expectedRevision: 1,
        entry: solarEntry(),
        reason: 'policy test',
      },
    }),
  },
  'Mutation.removeEntry': {
    recordOf: true,
    allowed: each(['OFFICIAL_OWN', 'APPROVER_OWN'], publishedIs('edit')),
    document: 'mutation($input: RemoveEntryInput!) { removeEntry(input: $input) { id } }',
    variables: (f) => ({ input: { entryId: f.entryId, reason: 'policy test' } }),
  },
  'Mutation.submitDraft': {
    recordOf: true,
    allowed: each(['OFFICIAL_OWN', 'APPROVER_OWN'], publishedIs('submit')),
    document: 'mutation($input: ListTransitionInput!) { submitDraft(input: $input) { id } }',
    variables: (f) => ({ input: { listVersionId: f.versionId, reason: 'policy test' } }),
  },
  'Mutation.discardDraft': {
    recordOf: true,
    allowed: each(['OFFICIAL_OWN', 'APPROVER_OWN'], publishedIs('discard')),
    document: 'mutation($input: ListTransitionInput!) { discardDraft(input: $input) { id } }',
    variables: (f) => ({ input: { listVersionId: f.versionId, reason: 'policy test' } }),
  },
  'Mutation.publish': {
    recordOf: true,
    allowed: { APPROVER_OWN: publishedIs('publish', 'SUBMITTED') },
    document: 'mutation($input: PublishInput!) { publish(input: $input) { id } }',
    variables: (f) => ({
      input: {
        listVersionId: f.versionId,
        effectiveFrom: '2099-01-01',
        reason: 'policy test',
      },
    }),
  },
  'Mutation.reject': {
    recordOf: true,
    allowed: { APPROVER_OWN: publishedIs('reject', 'SUBMITTED') },
    document: 'mutation($input: ListTransitionInput!) { reject(input: $input) { id } }',
    variables: (f) => ({ input: { listVersionId: f.versionId, reason: 'policy test' } }),
  },
  'Mutation.withdraw': {
    recordOf: true,
    // Withdrawing changes the version for good: each row withdraws one of its own.
    ownCountry: true,
    allowed: {
      APPROVER_OWN: ok((f) => ({ withdraw: { id: f.versionId, status: 'WITHDRAWN' } })),
    },
    document: 'mutation($input: ListTransitionInput!) { withdraw(input: $input) { id status } }',
    variables: (f) => ({ input: { listVersionId: f.versionId, reason: 'policy test' } }),
  },
  'Mutation.registerHostCountry': {
    allowed: { ADMIN: ok(() => ({ registerHostCountry: { code: 'KEN' } })) },
    document:
      'mutation($input: RegisterHostCountryInput!) { registerHostCountry(input: $input) { code } }',
    variables: () => ({ input: { code: 'KEN', name: 'Kenya', reason: 'policy test' } }),
  },
  'Mutation.upsertNdcSector': {
    allowed: each(
      ['ADMIN', 'OFFICIAL_OWN'],
      ok(() => ({
        upsertNdcSector: { id: expect.any(String), code: expect.stringMatching(/^S[0-9A-F]{8}$/) },
      })),
    ),
    document:
      'mutation($input: UpsertNdcSectorInput!) { upsertNdcSector(input: $input) { id code } }',
    variables: () => ({
      input: {
        hostCountry: 'GHA',
        code: `S${randomUUID().slice(0, 8).toUpperCase().replace(/-/g, '')}`,
        name: 'Energy',
        ipccSector: 'ENERGY',
        ipccCategories: ['1.A.1'],
        reason: 'policy test',
      },
    }),
  },
  'Mutation.createPrincipal': {
    allowed: {
      ADMIN: ok(() => ({ createPrincipal: { apiKey: expect.stringMatching(/^plr_/) } })),
    },
    document:
      'mutation($input: CreatePrincipalInput!) { createPrincipal(input: $input) { apiKey } }',
    variables: () => ({ input: { name: 'someone', role: 'AUDITOR', reason: 'policy test' } }),
  },
  'Mutation.revokePrincipal': {
    // A well-formed id of nobody: the caller gets past the policy to the lookup.
    allowed: { ADMIN: fails('NOT_FOUND', /^Principal "[0-9a-f-]{36}" does not exist$/) },
    document: 'mutation($input: RevokePrincipalInput!) { revokePrincipal(input: $input) { id } }',
    variables: () => ({ input: { principalId: randomUUID(), reason: 'policy test' } }),
  },
  'Query.webhookEndpoints': {
    allowed: each(
      ['ADMIN', 'OFFICIAL_OWN'],
      ok(() => ({ webhookEndpoints: expect.any(Array) })),
    ),
    document: 'query($c: String) { webhookEndpoints(hostCountry: $c) { id } }',
    variables: (f) => ({ c: f.code }),
  },
  'Query.webhookDeliveries': {
    recordOf: true,
    allowed: each(['ADMIN', 'OFFICIAL_OWN'], noEndpoint),
    document: 'query($id: ID!) { webhookDeliveries(endpointId: $id) { edges { cursor } } }',
    variables: () => ({ id: randomUUID() }),
  },
  'Mutation.registerWebhookEndpoint': {
    allowed: each(
      ['ADMIN', 'OFFICIAL_OWN'],
      ok(() => ({ registerWebhookEndpoint: { secret: expect.stringMatching(/^whsec_/) } })),
    ),
    document:
      'mutation($input: RegisterWebhookEndpointInput!) { registerWebhookEndpoint(input: $input) { secret } }',
    // A public address, so that no name has to be resolved; nothing in the matrix rejects a list.
    variables: (f) => ({
      input: {
        url: 'https://8.8.8.8/hooks',
        events: ['LIST_REJECTED'],
        hostCountry: f.code,
        reason: 'policy test',
      },
    }),
  },
  ...Object.fromEntries(
    [
      'disableWebhookEndpoint',
      'enableWebhookEndpoint',
      'deleteWebhookEndpoint',
      'rotateWebhookSecret',
    ].map((name) => [
      `Mutation.${name}`,
      {
        recordOf: true,
        allowed: each(['ADMIN', 'OFFICIAL_OWN'], noEndpoint),
        document: `mutation($input: WebhookEndpointChangeInput!) { ${name}(input: $input) { __typename } }`,
        variables: () => ({ input: { endpointId: randomUUID(), reason: 'policy test' } }),
      } satisfies Case,
    ]),
  ),
  'Mutation.replayWebhookDelivery': {
    recordOf: true,
    allowed: each(
      ['ADMIN', 'OFFICIAL_OWN'],
      fails('NOT_FOUND', /^Webhook delivery "[0-9a-f-]{36}" does not exist$/),
    ),
    document:
      'mutation($input: ReplayWebhookDeliveryInput!) { replayWebhookDelivery(input: $input) { id } }',
    variables: () => ({ input: { deliveryId: randomUUID(), reason: 'policy test' } }),
  },
};

describe('access policy', () => {
  let t: TestApp;
  const keys = new Map<Caller, string | undefined>();
  /** GHA's published version, which the rows without a country of their own only read. */
  const shared: Fixture = { code: 'GHA', versionId: '', entryId: '' };

  beforeAll(async () => {
    t = await TestApp.start();
    app = t;
    const ghana = await countryWithPeople(t, 'GHA');
    await registerCountry(t, 'THA', 'Thailand');
    const published = await publishedVersion(t, ghana, 'GHA', [solarEntry()]);
    shared.versionId = published.versionId;
    shared.entryId = published.entryIds[0];
    const [latest] = await t.sql<{ seq: number }>(
      `SELECT max(seq)::int AS seq FROM audit_event WHERE host_country = 'GHA'`,
    );
    ghaEventSeq = latest.seq;
    const [admin] = await t.sql<{ id: string }>(`SELECT id FROM principal WHERE role = 'ADMIN'`);
    const people: [Caller, { id: string; key: string }][] = [
      ['AUDITOR', await createPrincipal(t, 'AUDITOR')],
      ['OFFICIAL_OWN', ghana.official],
      ['OFFICIAL_OTHER', await createPrincipal(t, 'OFFICIAL', 'THA')],
      ['APPROVER_OWN', ghana.approver],
      ['APPROVER_OTHER', await createPrincipal(t, 'APPROVER', 'THA')],
    ];
    keys.set('anonymous', undefined);
    keys.set('ADMIN', ADMIN_KEY);
    ids.set('ADMIN', admin.id);
    for (const [caller, principal] of people) {
      keys.set(caller, principal.key);
      ids.set(caller, principal.id);
    }
  });
  afterAll(() => t.close());

  it('declares a policy on every Query and Mutation handler', () => {
    const undeclared = operationPolicies(RESOLVERS).filter((op) => !op.policy);
    expect(undeclared.map((op) => `${op.type}.${op.name}`)).toEqual([]);
  });

  it('covers every root field of the schema in the policy table above', async () => {
    const res = await t.gql(
      `{ __schema { queryType { fields { name } } mutationType { fields { name } } } }`,
    );
    const fields = [
      ...res.data.__schema.queryType.fields.map((f: { name: string }) => `Query.${f.name}`),
      ...res.data.__schema.mutationType.fields.map((f: { name: string }) => `Mutation.${f.name}`),
    ].sort();
    expect(fields).toEqual(Object.keys(POLICY).sort());
  });

  it('shows the same table in the README as the code enforces', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain(
      renderPolicyTable(
        operationPolicies(RESOLVERS),
        pagesByOperation(consoleRoutes(CONSOLE_CONTROLLERS)),
      ),
    );
  });

  const describeOutcome = (c: Case, outcome: Outcome | undefined, caller: Caller) =>
    !outcome
      ? `refused (${refusal(c, caller)})`
      : 'data' in outcome
        ? 'allowed, succeeds'
        : `allowed, ${outcome.error}`;
  const matrix = Object.entries(POLICY).flatMap(([operation, c]) =>
    CALLERS.map(
      (caller) => [operation, caller, describeOutcome(c, c.allowed[caller], caller)] as const,
    ),
  );

  /** A distinct country code for each row with a country of its own (never GHA, THA or KEN). */
  const spareCodes = [...ISO_3166_ALPHA3.keys()].filter((c) => !['GHA', 'THA', 'KEN'].includes(c));
  const ownCodes = new Map(
    matrix
      .filter(([operation]) => POLICY[operation].ownCountry)
      .map(([operation, caller], i) => [`${operation} ${caller}`, spareCodes[i]]),
  );

  /** The row's fixture, and the key its caller uses: "own" callers are of that country. */
  const setUpRow = async (operation: string, caller: Caller) => {
    const code = ownCodes.get(`${operation} ${caller}`);
    if (!code) return { fixture: shared, key: keys.get(caller) };
    const people = await countryWithPeople(t, code);
    const { versionId, entryIds } = await publishedVersion(t, people, code, [solarEntry()]);
    const own: Partial<Record<Caller, string>> = {
      OFFICIAL_OWN: people.official.key,
      APPROVER_OWN: people.approver.key,
    };
    return {
      fixture: { code, versionId, entryId: entryIds[0] },
      key: caller in own ? own[caller] : keys.get(caller),
    };
  };

  it('lists only callers the matrix knows', () => {
    for (const c of Object.values(POLICY))
      expect(CALLERS).toEqual(expect.arrayContaining(Object.keys(c.allowed)));
  });

  it.each(matrix)('%s as %s: %s', async (operation, caller) => {
    const c = POLICY[operation];
    const outcome = c.allowed[caller];
    const { fixture, key } = await setUpRow(operation, caller);
    const before = await t.auditCount();
    const res = await t.gql(c.document, c.variables(fixture), key);
    if (!outcome) {
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual([refusal(c, caller)]);
      expect(res.data?.[operation.split('.')[1]] ?? null).toBeNull();
      expect(await t.auditCount()).toBe(before);
    } else if ('data' in outcome) {
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual(await outcome.data(fixture));
      // A mutation that succeeds records exactly one audit event; a query records none.
      expect(await t.auditCount()).toBe(before + (operation.startsWith('Mutation.') ? 1 : 0));
    } else {
      const error = expectError(res, outcome.error);
      expect(error.message).toMatch(outcome.message);
      expect(await t.auditCount()).toBe(before);
    }
  });

  it('refuses a handler without a declared policy (fail closed)', async () => {
    const guard = new AccessGuard(
      new Reflector(),
      new PolicyCheck(new CountryScope()),
      null as never,
    );
    const gqlArgs = [
      {},
      {},
      { principal: { id: 'x', name: 'a', role: 'ADMIN', hostCountry: null } },
      {},
    ];
    const context = {
      getType: () => 'graphql',
      getHandler: () => function undeclared() {},
      getClass: () => Object,
      getArgs: () => gqlArgs,
      getArgByIndex: (i: number) => gqlArgs[i],
    };
    await expect(guard.canActivate(context as never)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
