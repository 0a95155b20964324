import { gqlPost } from './service-process';
import { ADMIN_KEY } from './test-app';

export interface Caller {
  label: string;
  key?: string;
  principalId?: string;
  name?: string;
  role?: 'ADMIN' | 'OFFICIAL' | 'APPROVER' | 'AUDITOR';
  hostCountry?: string | null;
}

const CREATE_PRINCIPAL =
  'mutation($i: CreatePrincipalInput!) { createPrincipal(input: $i) { apiKey principal { id name role hostCountry } } }';

/** Registers GHA and KEN, and an official and an approver of each, and an auditor. */
export async function setUpTwoCountries(url: string): Promise<Caller[]> {
  const must = async (query: string, variables: Record<string, unknown>) => {
    const res = await gqlPost(url, query, variables, ADMIN_KEY);
    if (res.errors) throw new Error(`set-up failed: ${JSON.stringify(res.errors)}`);
    return res.data;
  };
  const me = await must('{ me { id name } }', {});
  const callers: Caller[] = [
    { label: 'admin', key: ADMIN_KEY, principalId: me.me.id, name: me.me.name, role: 'ADMIN' },
  ];
  for (const [code, name] of [
    ['GHA', 'Ghana'],
    ['KEN', 'Kenya'],
  ]) {
    await must(
      'mutation($i: RegisterHostCountryInput!) { registerHostCountry(input: $i) { code } }',
      { i: { code, name, reason: 'set-up' } },
    );
  }
  const people: [Caller['role'], string | null][] = [
    ['OFFICIAL', 'GHA'],
    ['APPROVER', 'GHA'],
    ['OFFICIAL', 'KEN'],
    ['APPROVER', 'KEN'],
    ['AUDITOR', null],
  ];
  for (const [role, hostCountry] of people) {
    const name = `${role} ${hostCountry ?? 'all'}`;
    const data = await must(CREATE_PRINCIPAL, {
      i: { name, role, hostCountry, reason: 'set-up' },
    });
    callers.push({
      label: name,
      key: data.createPrincipal.apiKey,
      principalId: data.createPrincipal.principal.id,
      name,
      role,
      hostCountry,
    });
  }
  return callers;
}

export interface AuditLine {
  seq: number;
  action: string;
  entityType: string;
  entityId: string;
  hostCountry: string | null;
  reason: string;
}

/** The whole log through `GET /audit/export`, parsed. */
export async function exportedEvents(graphqlUrl: string): Promise<AuditLine[]> {
  const res = await fetch(graphqlUrl.replace(/\/graphql$/, '/audit/export'), {
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  if (!res.ok) throw new Error(`export failed with ${res.status}`);
  return (await res.text())
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as AuditLine);
}
