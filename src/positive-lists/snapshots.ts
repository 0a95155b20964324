import { JsonValue } from '../audit/canonical-json';
import { ActivityEntryEntity } from './activity-entry.entity';
import { PositiveListVersionEntity } from './positive-list-version.entity';

/** What the audit trail stores of a list version. */
export function versionSnapshot(v: PositiveListVersionEntity): JsonValue {
  return {
    id: v.id,
    hostCountry: v.hostCountryCode,
    version: v.version,
    status: v.status,
    title: v.title,
    legalBasis: v.legalBasis,
    effectiveFrom: v.effectiveFrom,
    effectiveUntil: v.effectiveUntil,
    reviewDue: v.reviewDue,
    basedOnVersionId: v.basedOnVersionId,
    createdBy: v.createdByName,
    submittedBy: v.submittedByName,
    approvedBy: v.approvedByName,
    publishedAt: v.publishedAt ? v.publishedAt.toISOString() : null,
    withdrawnAt: v.withdrawnAt ? v.withdrawnAt.toISOString() : null,
    contentDigest: v.contentDigest ?? null,
  };
}

/**
 * An entry's content, as compared between versions and shown in diffs: everything an
 * official wrote, sectors as their codes, without ids or revision counters.
 */
export function entryContent(
  e: ActivityEntryEntity,
  sectorCodes: string[],
): Record<string, JsonValue> {
  return JSON.parse(
    JSON.stringify({
      key: e.key,
      kind: e.kind,
      name: e.name,
      description: e.description,
      technologies: e.technologies,
      sectorCodes: [...sectorCodes].sort(),
      ndcComponent: e.ndcComponent,
      ndcMeasureRef: e.ndcMeasureRef,
      additionalityRationale: e.additionalityRationale,
      criteria: e.criteria,
      methodologies: e.methodologies,
      baseline: e.baseline,
      crediting: e.crediting,
      authorization: e.authorization,
      validFrom: e.validFrom,
      validUntil: e.validUntil,
      reviewDue: e.reviewDue,
      legalBasis: e.legalBasis,
    }),
  ) as Record<string, JsonValue>;
}

/** What the audit trail stores of an entry: its content plus identity and revision. */
export function entrySnapshot(e: ActivityEntryEntity, sectorCodes: string[]): JsonValue {
  return {
    id: e.id,
    listVersionId: e.listVersionId,
    revision: e.revision,
    ...entryContent(e, sectorCodes),
  };
}
