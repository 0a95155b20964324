import { Field, Float, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ActivityEntry, CriterionModel, PositiveListVersion } from '../positive-lists/lists.models';
import { DateScalar } from '../graphql/scalars';
import { CriterionOutcome, EligibilityStatus } from './evaluation';

registerEnumType(EligibilityStatus, { name: 'EligibilityStatus' });
registerEnumType(CriterionOutcome, { name: 'CriterionOutcome' });

@InputType()
export class ParameterValue {
  @Field() name!: string;
  @Field(() => Float, { nullable: true }) number?: number | null;
  @Field(() => String, { nullable: true }) text?: string | null;
}

@InputType()
export class EligibilityQuery {
  @Field() hostCountry!: string;
  @Field(() => String, { nullable: true, description: 'Look up one entry by key ...' })
  activityKey?: string | null;
  @Field(() => String, { nullable: true, description: '... or match entries by technology' })
  technology?: string | null;
  @Field(() => String, { nullable: true, description: '... or by NDC sector' }) sectorCode?:
    string | null;
  @Field(() => String, { nullable: true, description: 'Narrows further' }) methodology?:
    string | null;
  @Field(() => DateScalar, { nullable: true, description: 'Default today' }) on?: string | null;
  @Field(() => [ParameterValue], { nullable: true }) parameters?: ParameterValue[] | null;
  @Field(() => Int, {
    nullable: true,
    description: 'When given, each result carries baselineValue for that year',
  })
  baselineYear?: number | null;
}

@ObjectType('CriterionResult')
export class CriterionResultModel {
  @Field(() => CriterionModel) criterion!: CriterionModel;
  @Field(() => CriterionOutcome) outcome!: CriterionOutcome;
  @Field(() => String, { nullable: true, description: 'The supplied value, as text' }) actual!:
    string | null;
}

@ObjectType()
export class EntryEligibility {
  @Field(() => ActivityEntry) entry!: ActivityEntry;
  @Field(() => EligibilityStatus) status!: EligibilityStatus;
  @Field(() => [CriterionResultModel]) criteria!: CriterionResultModel[];
  @Field(() => [String]) missingParameters!: string[];
  @Field(() => Float, { nullable: true }) baselineValue!: number | null;
  @Field({ description: 'One human-readable sentence' }) explanation!: string;
}

@ObjectType('Receipt', {
  description:
    'A signed statement of one answer (docs/domain.md section 6), to keep and prove later.',
})
export class ReceiptModel {
  @Field({ description: 'The exact signed text (RFC 8785 JSON).' }) body!: string;
  @Field() keyId!: string;
  @Field({ description: 'Base64 Ed25519 public key.' }) publicKey!: string;
  @Field({ description: 'Base64 Ed25519 signature over the body.' }) signature!: string;
}

@ObjectType()
export class EligibilityResult {
  @Field(() => EligibilityStatus, {
    description: 'Overall answer, exactly as docs/domain.md section 4',
  })
  status!: EligibilityStatus;
  @Field() hostCountry!: string;
  @Field(() => DateScalar) on!: string;
  @Field(() => PositiveListVersion, { nullable: true }) listVersion!: PositiveListVersion | null;
  @Field(() => [EntryEligibility]) matches!: EntryEligibility[];
  @Field() explanation!: string;
}
