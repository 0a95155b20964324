import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Reflector } from '@nestjs/core';
import { AccessGuard } from '../../src/auth/access.guard';
import { CountryScope } from '../../src/auth/country-scope';
import { operationPolicies, renderPolicyTable } from '../../src/auth/policy-table';
import { RESOLVERS } from '../../src/resolvers';
import { ADMIN_KEY, TestApp, createPrincipal, registerCountry } from '../support/test-app';

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
    await registerCountry(t, 'GHA', 'Ghana');
    await registerCountry(t, 'THA', 'Thailand');
    keys.set('anonymous', undefined);
    keys.set('ADMIN', ADMIN_KEY);
    keys.set('AUDITOR', (await createPrincipal(t, 'AUDITOR')).key);
    keys.set('OFFICIAL_OWN', (await createPrincipal(t, 'OFFICIAL', 'GHA')).key);
    keys.set('OFFICIAL_OTHER', (await createPrincipal(t, 'OFFICIAL', 'THA')).key);
    keys.set('APPROVER_OWN', (await createPrincipal(t, 'APPROVER', 'GHA')).key);
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
