/** Domain vocabulary of positive lists (docs/domain.md sections 2 to 5), shared by the layers. */

export enum ListStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  PUBLISHED = 'PUBLISHED',
  SUPERSEDED = 'SUPERSEDED',
  WITHDRAWN = 'WITHDRAWN',
  /** A draft its officials gave up: kept on record so its number is never given again. */
  DISCARDED = 'DISCARDED',
}

export enum EntryKind {
  POSITIVE = 'POSITIVE',
  NEGATIVE = 'NEGATIVE',
}

export enum NdcComponent {
  UNCONDITIONAL = 'UNCONDITIONAL',
  CONDITIONAL = 'CONDITIONAL',
  OUTSIDE_NDC = 'OUTSIDE_NDC',
}

export enum ComparisonOperator {
  LT = 'LT',
  LTE = 'LTE',
  GT = 'GT',
  GTE = 'GTE',
  EQ = 'EQ',
  NEQ = 'NEQ',
  BETWEEN = 'BETWEEN',
  IN = 'IN',
  NOT_IN = 'NOT_IN',
}

export enum BaselineApproach {
  BENCHMARK = 'BENCHMARK',
  BEST_AVAILABLE_TECHNOLOGY = 'BEST_AVAILABLE_TECHNOLOGY',
  HISTORICAL_DOWNWARD_ADJUSTED = 'HISTORICAL_DOWNWARD_ADJUSTED',
  BAU_DOWNWARD_ADJUSTED = 'BAU_DOWNWARD_ADJUSTED',
  NDC_TRAJECTORY = 'NDC_TRAJECTORY',
  NET_ZERO_PATHWAY = 'NET_ZERO_PATHWAY',
}

/** What a published version did to one entry, as its history tells it. */
export enum EntryHistoryChange {
  ADDED = 'ADDED',
  CHANGED = 'CHANGED',
  REMOVED = 'REMOVED',
}

export enum ParameterValidation {
  EX_ANTE = 'EX_ANTE',
  EX_POST = 'EX_POST',
}

export enum AuthorizedUse {
  NDC = 'NDC',
  OIMP = 'OIMP',
  A6_4ER = 'A6_4ER',
}

export interface Criterion {
  parameter: string;
  operator: ComparisonOperator;
  threshold: number | null;
  upperThreshold: number | null;
  values: string[] | null;
  unit: string | null;
  description: string | null;
}

export interface BaselineRule {
  approach: BaselineApproach;
  description: string | null;
  referenceValue: number;
  unit: string;
  referenceYear: number;
  initialAdjustmentPct: number | null;
  annualTighteningPct: number | null;
  targetValue: number | null;
  targetYear: number | null;
  netZeroYear: number | null;
  parameterValidation: ParameterValidation;
  updateIntervalYears: number | null;
  methodologyReference: string | null;
}

export interface CreditingTerms {
  periodYears: number;
  renewals: number;
}

export interface AuthorizationTerms {
  authorizedUses: AuthorizedUse[];
  correspondingAdjustment: boolean;
  shareRetainedForNdcPct: number | null;
  shareOfProceedsPct: number | null;
  omgeCancellationPct: number | null;
}

/** Everything an official writes about an entry (the contract's EntryFields, normalised). */
export interface EntryData {
  key: string;
  kind: EntryKind;
  name: string;
  description: string | null;
  technologies: string[];
  sectorCodes: string[];
  ndcComponent: NdcComponent;
  ndcMeasureRef: string | null;
  additionalityRationale: string | null;
  criteria: Criterion[];
  methodologies: string[];
  baseline: BaselineRule | null;
  crediting: CreditingTerms | null;
  authorization: AuthorizationTerms | null;
  validFrom: string | null;
  validUntil: string | null;
  reviewDue: string | null;
  legalBasis: string | null;
}
