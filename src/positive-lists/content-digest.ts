import { createHash } from 'node:crypto';
import { JsonValue, canonicalize } from '../audit/canonical-json';
import type { PositiveListVersionEntity } from './positive-list-version.entity';

// The fields of the contract's inputs, in no particular order (JCS sorts keys): the digest
// covers exactly these, absent ones as null (docs/domain.md section 6).
export const ENTRY_FIELDS = [
  'key',
  'kind',
  'name',
  'description',
  'technologies',
  'sectorCodes',
  'ndcComponent',
  'ndcMeasureRef',
  'additionalityRationale',
  'criteria',
  'methodologies',
  'baseline',
  'crediting',
  'authorization',
  'validFrom',
  'validUntil',
  'reviewDue',
  'legalBasis',
] as const;
const CRITERION_FIELDS = [
  'parameter',
  'operator',
  'threshold',
  'upperThreshold',
  'values',
  'unit',
  'description',
] as const;
export const BASELINE_FIELDS = [
  'approach',
  'description',
  'referenceValue',
  'unit',
  'referenceYear',
  'initialAdjustmentPct',
  'annualTighteningPct',
  'targetValue',
  'targetYear',
  'netZeroYear',
  'parameterValidation',
  'updateIntervalYears',
  'methodologyReference',
] as const;
const CREDITING_FIELDS = ['periodYears', 'renewals'] as const;
const AUTHORIZATION_FIELDS = [
  'authorizedUses',
  'correspondingAdjustment',
  'shareRetainedForNdcPct',
  'shareOfProceedsPct',
  'omgeCancellationPct',
] as const;

type Loose = Record<string, unknown> | null | undefined;

function pick(value: Loose, fields: readonly string[]): Record<string, JsonValue> | null {
  if (value === null || value === undefined) return null;
  return Object.fromEntries(fields.map((f) => [f, (value[f] ?? null) as JsonValue]));
}

/** What a published version's digest covers. */
export interface PublishedContent {
  hostCountry: string;
  version: number;
  title: string;
  legalBasis: string | null;
  effectiveFrom: string | null;
  /** Each entry's stored fields, with `sectorCodes`. */
  entries: object[];
}

/** The content object of docs/domain.md section 6, before canonicalisation. */
export function contentObject(content: PublishedContent): JsonValue {
  const entries = (content.entries as Record<string, unknown>[])
    .slice()
    .sort((a, b) => (String(a.key) < String(b.key) ? -1 : String(a.key) > String(b.key) ? 1 : 0))
    .map((e) => {
      const entry = pick(e, ENTRY_FIELDS)!;
      entry.sectorCodes = [...((e.sectorCodes as string[] | undefined) ?? [])].sort();
      entry.criteria = ((e.criteria as Loose[] | undefined) ?? []).map((c) =>
        pick(c, CRITERION_FIELDS),
      );
      entry.baseline = pick(e.baseline as Loose, BASELINE_FIELDS);
      entry.crediting = pick(e.crediting as Loose, CREDITING_FIELDS);
      entry.authorization = pick(e.authorization as Loose, AUTHORIZATION_FIELDS);
      return entry;
    });
  return {
    hostCountry: content.hostCountry,
    version: content.version,
    title: content.title,
    legalBasis: content.legalBasis,
    effectiveFrom: content.effectiveFrom,
    entries,
  };
}

/**
 * `contentDigest = hex(SHA-256(UTF-8(JCS(content))))`: what a published version says, as one
 * value that anyone holding the content can recompute and compare.
 */
export function contentDigest(content: PublishedContent): string {
  return createHash('sha256')
    .update(canonicalize(contentObject(content)), 'utf8')
    .digest('hex');
}

/** The digest of a stored version with its entries (each with its `sectorCodes`). */
export function versionDigest(version: PositiveListVersionEntity, entries: object[]): string {
  return contentDigest({
    hostCountry: version.hostCountryCode,
    version: version.version,
    title: version.title,
    legalBasis: version.legalBasis,
    effectiveFrom: version.effectiveFrom,
    entries,
  });
}
