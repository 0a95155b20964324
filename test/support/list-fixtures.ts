import { ADMIN_KEY, TestApp, UPSERT_SECTOR, createPrincipal, registerCountry } from './test-app';

/** A complete, valid POSITIVE entry (a Ghana-like utility-scale solar whitelist line). */
export function solarEntry(overrides: Record<string, unknown> = {}) {
  return {
    key: 'GHA-SOLAR-UTILITY',
    kind: 'POSITIVE',
    name: 'Utility-scale solar PV',
    description: 'Grid-connected solar parks',
    technologies: ['solar PV'],
    sectorCodes: ['ENERGY'],
    ndcComponent: 'CONDITIONAL',
    ndcMeasureRef: 'Conditional PoA 1: utility-scale solar',
    additionalityRationale: 'Beyond the unconditional NDC; needs carbon finance',
    criteria: [{ parameter: 'capacityMW', operator: 'LTE', threshold: 50, unit: 'MW' }],
    methodologies: ['CDM ACM0002'],
    baseline: {
      approach: 'BAU_DOWNWARD_ADJUSTED',
      referenceValue: 0.8,
      unit: 'tCO2e/MWh',
      referenceYear: 2025,
      initialAdjustmentPct: 10,
      annualTighteningPct: 1,
      parameterValidation: 'EX_ANTE',
    },
    crediting: { periodYears: 5, renewals: 2 },
    authorization: {
      authorizedUses: ['NDC', 'OIMP'],
      correspondingAdjustment: true,
      shareRetainedForNdcPct: 20,
    },
    validFrom: null,
    validUntil: null,
    legalBasis: 'Framework on International Carbon Markets, Schedule 4',
    ...overrides,
  };
}

/** A NEGATIVE (red-list) entry. */
export function redListEntry(overrides: Record<string, unknown> = {}) {
  return {
    key: 'GHA-EFFICIENT-LIGHTING',
    kind: 'NEGATIVE',
    name: 'Efficient lighting',
    technologies: ['LED lighting'],
    sectorCodes: ['ENERGY'],
    ndcComponent: 'UNCONDITIONAL',
    criteria: [],
    methodologies: [],
    ...overrides,
  };
}

export const CREATE_DRAFT = `mutation($input: CreateDraftInput!) { createDraft(input: $input) { id version status title entryCount } }`;
export const ADD_ENTRY = `mutation($input: AddEntryInput!) { addEntry(input: $input) { id key revision } }`;
export const UPDATE_ENTRY = `mutation($input: UpdateEntryInput!) { updateEntry(input: $input) { id key name revision } }`;
export const SUBMIT = `mutation($input: ListTransitionInput!) { submitDraft(input: $input) { id status submittedBy } }`;
export const PUBLISH = `mutation($input: PublishInput!) { publish(input: $input) { id status effectiveFrom approvedBy publishedAt } }`;

export const today = () => new Date().toISOString().slice(0, 10);
export const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** A country with an ENERGY and a WASTE sector, an official and an approver. */
export async function countryWithPeople(t: TestApp, code = 'GHA') {
  await registerCountry(t, code, code);
  for (const [sector, ipccSector, category] of [
    ['ENERGY', 'ENERGY', '1.A.1'],
    ['WASTE', 'WASTE', '4.A'],
  ]) {
    const res = await t.gql(
      UPSERT_SECTOR,
      {
        input: {
          hostCountry: code,
          code: sector,
          name: sector,
          ipccSector,
          ipccCategories: [category],
          reason: 'set-up',
        },
      },
      ADMIN_KEY,
    );
    if (res.errors) throw new Error(JSON.stringify(res.errors));
  }
  const official = await createPrincipal(t, 'OFFICIAL', code, `official-${code}`);
  const approver = await createPrincipal(t, 'APPROVER', code, `approver-${code}`);
  return { official, approver };
}

async function ok(promise: Promise<{ data?: any; errors?: unknown[] }>): Promise<any> {
  const res = await promise;
  if (res.errors || res.data === undefined) throw new Error(JSON.stringify(res.errors));
  return res.data;
}

/** Drafts, fills, submits and publishes a version; returns its id and its entries' ids. */
export async function publishedVersion(
  t: TestApp,
  people: { official: { key: string }; approver: { key: string } },
  code: string,
  entries: Record<string, unknown>[],
  effectiveFrom = today(),
) {
  const draft = (
    await ok(
      t.gql(
        CREATE_DRAFT,
        { input: { hostCountry: code, title: `${code} list`, reason: 'new version' } },
        people.official.key,
      ),
    )
  ).createDraft;
  const entryIds: string[] = [];
  for (const entry of entries) {
    entryIds.push(
      (
        await ok(
          t.gql(
            ADD_ENTRY,
            { input: { listVersionId: draft.id, entry, reason: 'add' } },
            people.official.key,
          ),
        )
      ).addEntry.id,
    );
  }
  await ok(
    t.gql(SUBMIT, { input: { listVersionId: draft.id, reason: 'ready' } }, people.official.key),
  );
  await ok(
    t.gql(
      PUBLISH,
      { input: { listVersionId: draft.id, effectiveFrom, reason: 'approved' } },
      people.approver.key,
    ),
  );
  return { versionId: draft.id as string, entryIds };
}
