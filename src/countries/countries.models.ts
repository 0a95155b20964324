import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Reason, RequiredText, Trim } from '../common/validation';
import { DateScalar } from '../graphql/scalars';
import { IpccSector } from './ipcc';

registerEnumType(IpccSector, { name: 'IpccSector' });

@ObjectType()
export class NdcReference {
  @Field() title!: string;
  @Field(() => String, { nullable: true }) version!: string | null;
  @Field(() => DateScalar, { nullable: true }) submittedOn!: string | null;
  @Field(() => String, { nullable: true }) url!: string | null;
  @Field(() => Int, { nullable: true }) netZeroTargetYear!: number | null;
}

@ObjectType()
export class NdcSector {
  @Field(() => ID) id!: string;
  @Field({ description: 'Unique within the country, e.g. "ENERGY".' }) code!: string;
  @Field() name!: string;
  @Field(() => IpccSector) ipccSector!: IpccSector;
  @Field(() => [String], { description: 'IPCC 2006 codes, e.g. ["1.A.1.a"].' })
  ipccCategories!: string[];
  @Field(() => String, { nullable: true }) description!: string | null;
}

@ObjectType()
export class HostCountry {
  @Field({ description: 'ISO 3166-1 alpha-3, upper case, e.g. "GHA".' }) code!: string;
  @Field() name!: string;
  @Field(() => NdcReference, { nullable: true }) ndc!: NdcReference | null;
}

const COUNTRY_CODE = /^[A-Z]{3}$/;
const COUNTRY_CODE_MESSAGE = 'must be an ISO 3166-1 alpha-3 code in upper case, e.g. GHA';

@InputType()
export class NdcReferenceInput {
  @Field() @RequiredText(300) title!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(50)
  version?: string | null;

  @Field(() => DateScalar, { nullable: true }) @IsOptional() submittedOn?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Trim()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true },
    { message: 'must be an http(s) URL' },
  )
  @MaxLength(2000)
  url?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(2020)
  @Max(2100)
  netZeroTargetYear?: number | null;
}

@InputType()
export class RegisterHostCountryInput {
  @Field() @Trim() @Matches(COUNTRY_CODE, { message: COUNTRY_CODE_MESSAGE }) code!: string;
  @Field() @RequiredText(200) name!: string;

  @Field(() => NdcReferenceInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => NdcReferenceInput)
  ndc?: NdcReferenceInput | null;

  @Field() @Reason() reason!: string;
}

@InputType()
export class UpsertNdcSectorInput {
  @Field() @Trim() @Matches(COUNTRY_CODE, { message: COUNTRY_CODE_MESSAGE }) hostCountry!: string;

  @Field()
  @Trim()
  @Matches(/^[A-Z][A-Z0-9_]{0,31}$/, {
    message: 'must be 1-32 upper-case letters, digits or _, starting with a letter, e.g. ENERGY',
  })
  code!: string;

  @Field() @RequiredText(200) name!: string;
  @Field(() => IpccSector) @IsEnum(IpccSector) ipccSector!: IpccSector;

  @Field(() => [String])
  @IsArray()
  @ArrayMinSize(1, { message: 'must name at least one IPCC 2006 category' })
  @ArrayMaxSize(100)
  @IsString({ each: true })
  ipccCategories!: string[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(4000)
  description?: string | null;

  @Field() @Reason() reason!: string;
}
