import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Reflector } from '@nestjs/core';
import { AccessGuard } from '../../src/auth/access.guard';
import { CountryScope } from '../../src/auth/country-scope';
import { operationPolicies, renderPolicyTable } from '../../src/auth/policy-table';
import { RESOLVERS } from '../../src/resolvers';
import { ADMIN_KEY, TestApp, createPrincipal, registerCountry } from '../support/test-app';
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

interface Case {
  allowed: Caller[];
  document: string;
  variables: () => Record<string, unknown>;
}

/** A published GHA version with one entry: the records the country-bound checks load. */
const fixtures = { versionId: '', entryId: '' };

const POLICY: Record<string, Case> = {
  'Query.hostCountries': {
    allowed: CALLERS,
    document: '{ hostCountries { code } }',
    variables: () => ({}),
  },
  'Query.hostCountry': {
    allowed: CALLERS,
    document: '{ hostCountry(code: "GHA") { code } }',
    variables: () => ({}),
  },
  'Query.me': { allowed: AUTHENTICATED, document: '{ me { id } }', variables: () => ({}) },
  'Query.principals': {
    allowed: ['ADMIN'],
    document: '{ principals { id } }',
    variables: () => ({}),
  },
  'Query.auditEvents': {
    allowed: ['ADMIN', 'AUDITOR', 'OFFICIAL_OWN', 'APPROVER_OWN'],
    document: '{ auditEvents(filter: { hostCountry: "GHA" }, first: 1) { totalCount } }',
    variables: () => ({}),
  },
  'Query.verifyAuditTrail': {
    allowed: ['ADMIN', 'AUDITOR'],
    document: '{ verifyAuditTrail { valid } }',
    variables: () => ({}),
  },
  'Query.auditCheckpoint': {
    allowed: CALLERS,
    document: '{ auditCheckpoint { treeSize } }',
    variables: () => ({}),
  },
  'Query.listVersion': {
    allowed: CALLERS,
    document: 'query($id: ID!) { listVersion(id: $id) { id } }',
    variables: () => ({ id: fixtures.versionId }),
  },
  'Query.searchEntries': {
    allowed: CALLERS,
    document: '{ searchEntries(first: 5) { edges { node { key } } } }',
    variables: () => ({}),
  },
  'Query.listDiff': {
    allowed: CALLERS,
    document: 'query($a: ID!) { listDiff(fromVersionId: $a, toVersionId: $a) { added { key } } }',
    variables: () => ({ a: fixtures.versionId }),
  },
  'Query.checkEligibility': {
    allowed: CALLERS,
    document:
      '{ checkEligibility(query: { hostCountry: "GHA", activityKey: "GHA-SOLAR-UTILITY" }) { status } }',
    variables: () => ({}),
  },
  'Query.checkEligibilityBatch': {
    allowed: CALLERS,
    document:
      '{ checkEligibilityBatch(queries: [{ hostCountry: "GHA", technology: "solar PV" }]) { status } }',
    variables: () => ({}),
  },
  'Mutation.createDraft': {
    allowed: ['OFFICIAL_OWN', 'APPROVER_OWN'],
    document: 'mutation($input: CreateDraftInput!) { createDraft(input: $input) { id } }',
    variables: () => ({ input: { hostCountry: 'GHA', title: 'policy', reason: 'policy test' } }),
  },
  'Mutation.addEntry': {
    allowed: ['OFFICIAL_OWN', 'APPROVER_OWN'],
    document: 'mutation($input: AddEntryInput!) { addEntry(input: $input) { id } }',
    variables: () => ({
      input: {
        listVersionId: fixtures.versionId,
        entry: solarEntry({ key: 'GHA-OTHER' }),
        reason: 'policy test',
      },
    }),
  },
  'Mutation.updateEntry': {
    allowed: ['OFFICIAL_OWN', 'APPROVER_OWN'],
    document: 'mutation($input: UpdateEntryInput!) { updateEntry(input: $input) { id } }',
    variables: () => ({
      input: {
        entryId: fixtures.entryId,
        expectedRevision: 1,
        entry: solarEntry(),
        reason: 'policy test',
      },
    }),
  },
  'Mutation.removeEntry': {
    allowed: ['OFFICIAL_OWN', 'APPROVER_OWN'],
    document: 'mutation($input: RemoveEntryInput!) { removeEntry(input: $input) { id } }',
    variables: () => ({ input: { entryId: fixtures.entryId, reason: 'policy test' } }),
  },
  'Mutation.submitDraft': {
    allowed: ['OFFICIAL_OWN', 'APPROVER_OWN'],
    document: 'mutation($input: ListTransitionInput!) { submitDraft(input: $input) { id } }',
    variables: () => ({ input: { listVersionId: fixtures.versionId, reason: 'policy test' } }),
  },
  'Mutation.discardDraft': {
    allowed: ['OFFICIAL_OWN', 'APPROVER_OWN'],
    document: 'mutation($input: ListTransitionInput!) { discardDraft(input: $input) { id } }',
    variables: () => ({ input: { listVersionId: fixtures.versionId, reason: 'policy test' } }),
  },
  'Mutation.publish': {
    allowed: ['APPROVER_OWN'],
    document: 'mutation($input: PublishInput!) { publish(input: $input) { id } }',
    variables: () => ({
      input: {
        listVersionId: fixtures.versionId,
        effectiveFrom: '2099-01-01',
        reason: 'policy test',
      },
    }),
  },
  'Mutation.reject': {
    allowed: ['APPROVER_OWN'],
    document: 'mutation($input: ListTransitionInput!) { reject(input: $input) { id } }',
    variables: () => ({ input: { listVersionId: fixtures.versionId, reason: 'policy test' } }),
  },
  'Mutation.withdraw': {
    allowed: ['APPROVER_OWN'],
    document: 'mutation($input: ListTransitionInput!) { withdraw(input: $input) { id } }',
    variables: () => ({ input: { listVersionId: fixtures.versionId, reason: 'policy test' } }),
  },
  'Mutation.registerHostCountry': {
    allowed: ['ADMIN'],
    document:
      'mutation($input: RegisterHostCountryInput!) { registerHostCountry(input: $input) { code } }',
    variables: () => ({ input: { code: 'KEN', name: 'Kenya', reason: 'policy test' } }),
  },
  'Mutation.upsertNdcSector': {
    allowed: ['ADMIN', 'OFFICIAL_OWN'],
    document: 'mutation($input: UpsertNdcSectorInput!) { upsertNdcSector(input: $input) { id } }',
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
    allowed: ['ADMIN'],
    document:
      'mutation($input: CreatePrincipalInput!) { createPrincipal(input: $input) { apiKey } }',
    variables: () => ({ input: { name: 'someone', role: 'AUDITOR', reason: 'policy test' } }),
  },
  'Mutation.revokePrincipal': {
    allowed: ['ADMIN'],
    document: 'mutation($input: RevokePrincipalInput!) { revokePrincipal(input: $input) { id } }',
    variables: () => ({ input: { principalId: randomUUID(), reason: 'policy test' } }),
  },
};

describe('access policy', () => {
  let t: TestApp;
  const keys = new Map<Caller, string | undefined>();

  beforeAll(async () => {
    t = await TestApp.start();
    const ghana = await countryWithPeople(t, 'GHA');
    await registerCountry(t, 'THA', 'Thailand');
    const published = await publishedVersion(t, ghana, 'GHA', [solarEntry()]);
    fixtures.versionId = published.versionId;
    fixtures.entryId = published.entryIds[0];
    keys.set('anonymous', undefined);
    keys.set('ADMIN', ADMIN_KEY);
    keys.set('AUDITOR', (await createPrincipal(t, 'AUDITOR')).key);
    keys.set('OFFICIAL_OWN', ghana.official.key);
    keys.set('OFFICIAL_OTHER', (await createPrincipal(t, 'OFFICIAL', 'THA')).key);
    keys.set('APPROVER_OWN', ghana.approver.key);
    keys.set('APPROVER_OTHER', (await createPrincipal(t, 'APPROVER', 'THA')).key);
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
    expect(readme).toContain(renderPolicyTable(operationPolicies(RESOLVERS)));
  });

  const matrix = Object.entries(POLICY).flatMap(([operation, c]) =>
    CALLERS.map((caller) => [operation, caller, c.allowed.includes(caller)] as const),
  );

  it.each(matrix)('%s as %s: allowed=%s', async (operation, caller, allowed) => {
    const c = POLICY[operation];
    const before = await t.auditCount();
    const res = await t.gql(c.document, c.variables(), keys.get(caller));
    const codes = (res.errors ?? []).map((e) => e.extensions?.code);
    if (allowed) {
      expect(codes).not.toContain('FORBIDDEN');
      expect(codes).not.toContain('UNAUTHENTICATED');
    } else {
      expect(codes).toEqual([caller === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN']);
      expect(await t.auditCount()).toBe(before);
    }
  });

  it('refuses a handler without a declared policy (fail closed)', async () => {
    const guard = new AccessGuard(new Reflector(), new CountryScope(), null as never);
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
