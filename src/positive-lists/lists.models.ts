// Long on purpose (~390 lines): the GraphQL types and inputs of lists, declarative and
// one class per contract type; splitting them would scatter the contract.
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { Reason, RequiredText, Trim } from '../common/validation';
import { FieldChangeModel } from '../audit/audit.models';
import { PageInfo } from '../graphql/pagination';
import { DateScalar } from '../graphql/scalars';
import { IpccSector } from '../countries/ipcc';
import {
  AuthorizedUse,
  BaselineApproach,
  ComparisonOperator,
  EntryHistoryChange,
  EntryKind,
  ListStatus,
  NdcComponent,
  ParameterValidation,
} from './list-types';

registerEnumType(ListStatus, { name: 'ListStatus' });
registerEnumType(EntryKind, { name: 'EntryKind' });
registerEnumType(NdcComponent, { name: 'NdcComponent' });
registerEnumType(ComparisonOperator, { name: 'ComparisonOperator' });
registerEnumType(BaselineApproach, { name: 'BaselineApproach' });
registerEnumType(ParameterValidation, { name: 'ParameterValidation' });
registerEnumType(AuthorizedUse, { name: 'AuthorizedUse' });
registerEnumType(EntryHistoryChange, { name: 'EntryHistoryChange' });

const OptionalText = (max: number) => [IsOptional(), Trim(), IsString(), MaxLength(max)];
const apply =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) =>
    decorators.forEach((d) => d(target, key));

// ------------------------------------------------------------------ output types

@ObjectType()
export class PositiveListVersion {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => ListStatus) status!: ListStatus;
  @Field() title!: string;
  @Field(() => String, { nullable: true }) legalBasis!: string | null;
  @Field(() => DateScalar, { nullable: true }) effectiveFrom!: string | null;
  @Field(() => DateScalar, { nullable: true }) effectiveUntil!: string | null;
  @Field(() => DateScalar, { nullable: true }) reviewDue!: string | null;
  @Field() createdBy!: string;
  @Field(() => String, { nullable: true }) submittedBy!: string | null;
  @Field(() => String, { nullable: true }) approvedBy!: string | null;
  @Field(() => Date, { nullable: true }) publishedAt!: Date | null;
  @Field(() => String, {
    nullable: true,
    description:
      'Hex SHA-256 of the published content (docs/domain.md section 6); null for drafts.',
  })
  contentDigest!: string | null;
}

@ObjectType('Criterion')
export class CriterionModel {
  @Field() parameter!: string;
  @Field(() => ComparisonOperator) operator!: ComparisonOperator;
  @Field(() => Float, {
    nullable: true,
    description: 'LT LTE GT GTE EQ NEQ, lower bound of BETWEEN',
  })
  threshold!: number | null;
  @Field(() => Float, { nullable: true, description: 'Upper bound of BETWEEN' })
  upperThreshold!: number | null;
  @Field(() => [String], {
    nullable: true,
    description: 'IN NOT_IN, and EQ/NEQ on text parameters',
  })
  values!: string[] | null;
  @Field(() => String, { nullable: true }) unit!: string | null;
  @Field(() => String, { nullable: true }) description!: string | null;
}

@ObjectType('BaselineRule')
export class BaselineRuleModel {
  @Field(() => BaselineApproach) approach!: BaselineApproach;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => Float) referenceValue!: number;
  @Field() unit!: string;
  @Field(() => Int) referenceYear!: number;
  @Field(() => Float, { nullable: true }) initialAdjustmentPct!: number | null;
  @Field(() => Float, { nullable: true }) annualTighteningPct!: number | null;
  @Field(() => Float, { nullable: true }) targetValue!: number | null;
  @Field(() => Int, { nullable: true }) targetYear!: number | null;
  @Field(() => Int, { nullable: true }) netZeroYear!: number | null;
  @Field(() => ParameterValidation) parameterValidation!: ParameterValidation;
  @Field(() => Int, { nullable: true }) updateIntervalYears!: number | null;
  @Field(() => String, { nullable: true }) methodologyReference!: string | null;
}

@ObjectType('CreditingTerms')
export class CreditingTermsModel {
  @Field(() => Int) periodYears!: number;
  @Field(() => Int) renewals!: number;
}

@ObjectType('AuthorizationTerms')
export class AuthorizationTermsModel {
  @Field(() => [AuthorizedUse]) authorizedUses!: AuthorizedUse[];
  @Field() correspondingAdjustment!: boolean;
  @Field(() => Float, { nullable: true }) shareRetainedForNdcPct!: number | null;
  @Field(() => Float, { nullable: true }) shareOfProceedsPct!: number | null;
  @Field(() => Float, { nullable: true }) omgeCancellationPct!: number | null;
}

@ObjectType()
export class ActivityEntry {
  @Field(() => ID) id!: string;
  @Field() key!: string;
  @Field(() => EntryKind) kind!: EntryKind;
  @Field() name!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => [String]) technologies!: string[];
  @Field(() => NdcComponent) ndcComponent!: NdcComponent;
  @Field(() => String, { nullable: true }) ndcMeasureRef!: string | null;
  @Field(() => String, { nullable: true }) additionalityRationale!: string | null;
  @Field(() => [CriterionModel]) criteria!: CriterionModel[];
  @Field(() => [String]) methodologies!: string[];
  @Field(() => BaselineRuleModel, {
    nullable: true,
    description: 'Required for POSITIVE entries, absent for NEGATIVE.',
  })
  baseline!: BaselineRuleModel | null;
  @Field(() => CreditingTermsModel, { nullable: true }) crediting!: CreditingTermsModel | null;
  @Field(() => AuthorizationTermsModel, { nullable: true })
  authorization!: AuthorizationTermsModel | null;
  @Field(() => DateScalar, { nullable: true }) validFrom!: string | null;
  @Field(() => DateScalar, { nullable: true }) validUntil!: string | null;
  @Field(() => DateScalar, { nullable: true }) reviewDue!: string | null;
  @Field(() => String, { nullable: true }) legalBasis!: string | null;
  @Field(() => Int, {
    description: 'Increments on every change; send it back as expectedRevision when updating.',
  })
  revision!: number;
}

@ObjectType()
export class EntryEdge {
  @Field() cursor!: string;
  @Field(() => ActivityEntry) node!: ActivityEntry;
}

@ObjectType()
export class EntryConnection {
  @Field(() => [EntryEdge]) edges!: EntryEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType()
export class EntryChange {
  @Field() key!: string;
  @Field() name!: string;
  @Field(() => [FieldChangeModel]) changes!: FieldChangeModel[];
}

@ObjectType()
export class ListDiff {
  @Field(() => PositiveListVersion) from!: PositiveListVersion;
  @Field(() => PositiveListVersion) to!: PositiveListVersion;
  @Field(() => [ActivityEntry]) added!: ActivityEntry[];
  @Field(() => [ActivityEntry]) removed!: ActivityEntry[];
  @Field(() => [EntryChange]) changed!: EntryChange[];
}

@ObjectType({ description: 'A published version that added, changed or removed an entry.' })
export class EntryHistoryStep {
  @Field(() => PositiveListVersion) version!: PositiveListVersion;
  @Field(() => EntryHistoryChange) change!: EntryHistoryChange;
  @Field(() => [FieldChangeModel], { description: 'Field by field for CHANGED; else empty.' })
  changes!: FieldChangeModel[];
}

// ------------------------------------------------------------------ inputs

@InputType()
export class EntrySearch {
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(300)
  @Matches(/^[A-Z]{3}$/, {
    each: true,
    message: 'each must be an ISO 3166-1 alpha-3 code in upper case',
  })
  hostCountries?: string[] | null;

  @Field(() => IpccSector, { nullable: true })
  @IsOptional()
  @IsEnum(IpccSector)
  ipccSector?: IpccSector | null;

  @Field(() => String, { nullable: true, description: '"1.A" matches "1.A.1.a"' })
  @IsOptional()
  @Matches(/^[0-9](\.[A-Za-z0-9]+)*$/, {
    message: 'must be an IPCC category code such as 1.A or 4.D.1',
  })
  ipccCategoryPrefix?: string | null;

  @Field(() => String, { nullable: true }) @apply(...OptionalText(200)) methodology?: string | null;
  @Field(() => EntryKind, { nullable: true })
  @IsOptional()
  @IsEnum(EntryKind)
  kind?: EntryKind | null;

  @Field(() => String, { nullable: true, description: 'Matches name, description, technologies' })
  @apply(...OptionalText(200))
  text?: string | null;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'Lists in force on that date; default today',
  })
  @IsOptional()
  on?: string | null;
}

@InputType()
export class CreateDraftInput {
  @Field()
  @Trim()
  @Matches(/^[A-Z]{3}$/, { message: 'must be an ISO 3166-1 alpha-3 code in upper case' })
  hostCountry!: string;
  @Field() @RequiredText(300) title!: string;
  @Field(() => String, { nullable: true }) @apply(...OptionalText(2000)) legalBasis?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Copy the entries of this version (default: the version in force, if any).',
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be a list version id' })
  basedOnVersionId?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Start with no entries, even when a version is in force.',
  })
  @IsOptional()
  @IsBoolean()
  empty?: boolean | null;

  @Field() @Reason() reason!: string;
}

@InputType()
export class CriterionInput {
  @Field() @Trim() @IsString() parameter!: string;
  @Field(() => ComparisonOperator) @IsEnum(ComparisonOperator) operator!: ComparisonOperator;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber() threshold?: number | null;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber() upperThreshold?: number | null;
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  values?: string[] | null;
  @Field(() => String, { nullable: true }) @apply(...OptionalText(50)) unit?: string | null;
  @Field(() => String, { nullable: true }) @apply(...OptionalText(1000)) description?:
    string | null;
}

@InputType()
export class BaselineRuleInput {
  @Field(() => BaselineApproach) @IsEnum(BaselineApproach) approach!: BaselineApproach;
  @Field(() => String, { nullable: true }) @apply(...OptionalText(2000)) description?:
    string | null;
  @Field(() => Float) @IsNumber() referenceValue!: number;
  @Field() @RequiredText(50) unit!: string;
  @Field(() => Int) @IsInt() referenceYear!: number;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber() initialAdjustmentPct?:
    number | null;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber() annualTighteningPct?:
    number | null;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber() targetValue?: number | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() targetYear?: number | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() netZeroYear?: number | null;
  @Field(() => ParameterValidation)
  @IsEnum(ParameterValidation)
  parameterValidation!: ParameterValidation;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() updateIntervalYears?: number | null;
  @Field(() => String, { nullable: true }) @apply(...OptionalText(300)) methodologyReference?:
    string | null;
}

@InputType()
export class CreditingTermsInput {
  @Field(() => Int) @IsInt() periodYears!: number;
  @Field(() => Int) @IsInt() renewals!: number;
}

@InputType()
export class AuthorizationTermsInput {
  @Field(() => [AuthorizedUse])
  @IsArray()
  @IsEnum(AuthorizedUse, { each: true })
  authorizedUses!: AuthorizedUse[];
  @Field() @IsBoolean() correspondingAdjustment!: boolean;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber() shareRetainedForNdcPct?:
    number | null;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber() shareOfProceedsPct?:
    number | null;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber() omgeCancellationPct?:
    number | null;
}

@InputType()
export class EntryFields {
  @Field() @Trim() @IsString() key!: string;
  @Field(() => EntryKind) @IsEnum(EntryKind) kind!: EntryKind;
  @Field() @RequiredText(300) name!: string;
  @Field(() => String, { nullable: true }) @apply(...OptionalText(4000)) description?:
    string | null;
  @Field(() => [String])
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  technologies!: string[];
  @Field(() => [String])
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  sectorCodes!: string[];
  @Field(() => NdcComponent) @IsEnum(NdcComponent) ndcComponent!: NdcComponent;
  @Field(() => String, { nullable: true }) @apply(...OptionalText(1000)) ndcMeasureRef?:
    string | null;
  @Field(() => String, { nullable: true }) @apply(...OptionalText(4000)) additionalityRationale?:
    string | null;

  @Field(() => [CriterionInput])
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CriterionInput)
  criteria!: CriterionInput[];

  @Field(() => [String])
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  methodologies!: string[];

  @Field(() => BaselineRuleInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => BaselineRuleInput)
  baseline?: BaselineRuleInput | null;

  @Field(() => CreditingTermsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => CreditingTermsInput)
  crediting?: CreditingTermsInput | null;

  @Field(() => AuthorizationTermsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AuthorizationTermsInput)
  authorization?: AuthorizationTermsInput | null;

  @Field(() => DateScalar, { nullable: true }) @IsOptional() validFrom?: string | null;
  @Field(() => DateScalar, { nullable: true }) @IsOptional() validUntil?: string | null;
  @Field(() => DateScalar, { nullable: true }) @IsOptional() reviewDue?: string | null;
  @Field(() => String, { nullable: true }) @apply(...OptionalText(2000)) legalBasis?: string | null;
}

@InputType()
export class AddEntryInput {
  @Field(() => ID) @IsUUID('all', { message: 'must be a list version id' }) listVersionId!: string;
  @Field(() => EntryFields) @ValidateNested() @Type(() => EntryFields) entry!: EntryFields;
  @Field() @Reason() reason!: string;
}

@InputType()
export class UpdateEntryInput {
  @Field(() => ID) @IsUUID('all', { message: 'must be an entry id' }) entryId!: string;
  @Field(() => Int) @IsInt() expectedRevision!: number;
  @Field(() => EntryFields) @ValidateNested() @Type(() => EntryFields) entry!: EntryFields;
  @Field() @Reason() reason!: string;
}

@InputType()
export class RemoveEntryInput {
  @Field(() => ID) @IsUUID('all', { message: 'must be an entry id' }) entryId!: string;
  @Field() @Reason() reason!: string;
}

@InputType()
export class ListTransitionInput {
  @Field(() => ID) @IsUUID('all', { message: 'must be a list version id' }) listVersionId!: string;
  @Field() @Reason() reason!: string;
}

@InputType()
export class PublishInput {
  @Field(() => ID) @IsUUID('all', { message: 'must be a list version id' }) listVersionId!: string;
  @Field(() => DateScalar) effectiveFrom!: string;
  @Field(() => DateScalar, { nullable: true }) @IsOptional() reviewDue?: string | null;
  @Field() @Reason() reason!: string;
}
