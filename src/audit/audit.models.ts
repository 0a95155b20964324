import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsArray, IsEnum, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Trim } from '../common/validation';
import { JsonScalar } from '../graphql/scalars';
import { PageInfo } from '../graphql/pagination';
import { AuditAction } from './audit-action';

registerEnumType(AuditAction, { name: 'AuditAction', description: 'Extra values may be added.' });

@ObjectType('Actor')
export class ActorModel {
  @Field(() => ID, { nullable: true }) principalId!: string | null;
  @Field() name!: string;
  @Field({ description: 'A Role, or SYSTEM / ANONYMOUS.' }) role!: string;
  @Field(() => String, { nullable: true }) hostCountry!: string | null;
}

@ObjectType('FieldChange')
export class FieldChangeModel {
  @Field({ description: 'e.g. "criteria[0].threshold", "name"' }) path!: string;
  @Field(() => JsonScalar, { nullable: true }) before!: unknown;
  @Field(() => JsonScalar, { nullable: true }) after!: unknown;
}

@ObjectType()
export class AuditEvent {
  @Field(() => Int, { description: '1, 2, 3 ... without gaps, in commit order.' }) seq!: number;
  @Field() occurredAt!: Date;
  @Field(() => ActorModel) actor!: ActorModel;
  @Field(() => AuditAction) action!: AuditAction;
  @Field() entityType!: string;
  @Field() entityId!: string;
  @Field(() => String, { nullable: true }) hostCountry!: string | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => String, { nullable: true }) requestId!: string | null;
  @Field(() => [FieldChangeModel]) changes!: FieldChangeModel[];
  @Field(() => JsonScalar, { nullable: true }) before!: unknown;
  @Field(() => JsonScalar, { nullable: true }) after!: unknown;
  @Field({ description: 'Hex; 64 zeros for seq 1.' }) prevHash!: string;
  @Field({ description: 'Hex SHA-256 over the canonical event (docs/domain.md section 6).' })
  hash!: string;
}

@ObjectType()
export class AuditEventEdge {
  @Field() cursor!: string;
  @Field(() => AuditEvent) node!: AuditEvent;
}

@ObjectType()
export class AuditEventConnection {
  @Field(() => [AuditEventEdge]) edges!: AuditEventEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}

@InputType()
export class AuditFilter {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Trim()
  @Matches(/^[A-Z]{3}$/, { message: 'must be an ISO 3166-1 alpha-3 code in upper case' })
  hostCountry?: string | null;

  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(64) entityType?:
    string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(300) entityId?:
    string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(200) actorName?:
    string | null;

  @Field(() => [AuditAction], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(AuditAction, { each: true })
  actions?: AuditAction[] | null;

  @Field(() => Date, { nullable: true }) @IsOptional() from?: Date | null;
  @Field(() => Date, { nullable: true }) @IsOptional() to?: Date | null;
}

@ObjectType('VerificationProblem')
export class VerificationProblemModel {
  @Field(() => Int, { nullable: true, description: 'The event concerned, if any.' })
  seq!: number | null;
  @Field(() => ID, { nullable: true, description: 'The published version concerned, if any.' })
  listVersionId!: string | null;
  @Field() message!: string;
}

@ObjectType()
export class AuditVerification {
  @Field() valid!: boolean;
  @Field(() => Int) eventsChecked!: number;
  @Field(() => Int) headSeq!: number;
  @Field() headHash!: string;
  @Field(() => Int, { nullable: true }) firstInvalidSeq!: number | null;
  @Field() message!: string;
  @Field(() => [VerificationProblemModel], {
    description:
      'Every problem found, not only the first (events, published content, checkpoints).',
  })
  problems!: VerificationProblemModel[];
}

@ObjectType()
export class AuditCheckpoint {
  @Field(() => Int) treeSize!: number;
  @Field({ description: 'Hex RFC 6962 Merkle root over event hashes 1..treeSize.' })
  rootHash!: string;
  @Field() signedAt!: Date;
  @Field() keyId!: string;
  @Field({ description: 'Base64 Ed25519 public key.' }) publicKey!: string;
  @Field({ description: 'Base64 Ed25519 signature over the checkpoint body.' }) signature!: string;
  @Field({ description: 'The exact signed text.' }) body!: string;
}

@ObjectType()
export class AuditCheckpointEdge {
  @Field() cursor!: string;
  @Field(() => AuditCheckpoint) node!: AuditCheckpoint;
}

@ObjectType()
export class AuditCheckpointConnection {
  @Field(() => [AuditCheckpointEdge]) edges!: AuditCheckpointEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}

@ObjectType()
export class InclusionProof {
  @Field(() => Int) seq!: number;
  @Field(() => Int) treeSize!: number;
  @Field({ description: "The event's hash (its RFC 6962 leaf hash), hex." }) leafHash!: string;
  @Field(() => [String], { description: 'Hex, RFC 6962 audit path, leaf first.' })
  hashes!: string[];
}

@ObjectType()
export class ConsistencyProof {
  @Field(() => Int) fromSize!: number;
  @Field(() => Int) toSize!: number;
  @Field(() => [String], { description: 'Hex, RFC 6962 SUBPROOF(fromSize, D[toSize], true).' })
  hashes!: string[];
}
