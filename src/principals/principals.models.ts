import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { Reason, RequiredText, Trim } from '../common/validation';
import { Role } from '../auth/role';

registerEnumType(Role, { name: 'Role' });

@ObjectType()
export class Principal {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => Role) role!: Role;
  @Field(() => String, { nullable: true, description: 'Required for OFFICIAL and APPROVER.' })
  hostCountry!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'The OpenID Connect `sub` that authenticates as this principal, if any.',
  })
  externalSubject!: string | null;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
}

@ObjectType()
export class IssuedKey {
  @Field(() => Principal) principal!: Principal;
  @Field({ description: 'Shown once; only its hash is stored.' }) apiKey!: string;
}

@InputType()
export class CreatePrincipalInput {
  @Field() @RequiredText(200) name!: string;
  @Field(() => Role) @IsEnum(Role) role!: Role;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Trim()
  @Matches(/^[A-Z]{3}$/, { message: 'must be an ISO 3166-1 alpha-3 code in upper case, e.g. GHA' })
  hostCountry?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'OpenID Connect `sub` claim that may act as this principal (optional).',
  })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(300)
  externalSubject?: string | null;

  @Field() @Reason() reason!: string;
}

@InputType()
export class RevokePrincipalInput {
  @Field(() => ID) @IsUUID('all', { message: 'must be a principal id' }) principalId!: string;
  @Field() @Reason() reason!: string;
}
