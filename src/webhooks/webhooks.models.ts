import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayNotEmpty, IsEnum, IsOptional, IsUUID, Matches } from 'class-validator';
import { PageInfo } from '../graphql/pagination';
import { Reason, RequiredText, Trim } from '../common/validation';
import { WEBHOOK_EVENT_TYPES, WebhookEventType } from './webhook-events';

/** Where a delivery stands. */
export enum WebhookDeliveryStatus {
  /** Not yet delivered: due now, or waiting for its next retry. */
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  /** Every attempt in its retry window failed; it can be replayed. */
  FAILED = 'FAILED',
}

registerEnumType(WebhookEventType, {
  name: 'WebhookEventType',
  description: 'What a webhook endpoint may subscribe to.',
});
registerEnumType(WebhookDeliveryStatus, { name: 'WebhookDeliveryStatus' });

@ObjectType()
export class WebhookEndpoint {
  @Field(() => ID) id!: string;
  @Field() url!: string;
  @Field(() => String, { nullable: true, description: 'Null: every host country.' })
  hostCountry!: string | null;
  @Field(() => [WebhookEventType]) events!: WebhookEventType[];
  @Field() enabled!: boolean;
  @Field(() => String, { nullable: true }) disabledReason!: string | null;
  @Field(() => Date, {
    nullable: true,
    description: 'Since when every attempt has failed (null after any success).',
  })
  failingSince!: Date | null;
  @Field() createdAt!: Date;
  @Field() createdBy!: string;
  @Field(() => Date, { nullable: true }) secretRotatedAt!: Date | null;
}

@ObjectType()
export class IssuedWebhookSecret {
  @Field(() => WebhookEndpoint) endpoint!: WebhookEndpoint;
  @Field({
    description:
      'The signing secret (Standard Webhooks, whsec_...), shown once: store it with the receiver.',
  })
  secret!: string;
}

@ObjectType()
export class WebhookAttempt {
  @Field() attemptedAt!: Date;
  @Field(() => Int) durationMs!: number;
  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status, if it answered." })
  statusCode!: number | null;
  @Field(() => String, { nullable: true }) error!: string | null;
}

@ObjectType()
export class WebhookDelivery {
  @Field(() => ID, { description: 'The webhook-id header of every attempt and replay.' })
  id!: string;
  @Field(() => WebhookEventType) eventType!: WebhookEventType;
  @Field(() => String, { nullable: true }) hostCountry!: string | null;
  @Field(() => WebhookDeliveryStatus) status!: WebhookDeliveryStatus;
  @Field(() => Int) attempts!: number;
  @Field() createdAt!: Date;
  @Field() nextAttemptAt!: Date;
  @Field(() => Date, { nullable: true }) deliveredAt!: Date | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field({ description: 'The JSON body, exactly as sent.' }) body!: string;
  @Field(() => [WebhookAttempt], { description: 'Every attempt, oldest first.' })
  log!: WebhookAttempt[];
}

@ObjectType()
export class WebhookDeliveryEdge {
  @Field() cursor!: string;
  @Field(() => WebhookDelivery) node!: WebhookDelivery;
}

@ObjectType()
export class WebhookDeliveryConnection {
  @Field(() => [WebhookDeliveryEdge]) edges!: WebhookDeliveryEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@InputType()
export class RegisterWebhookEndpointInput {
  @Field({ description: 'https; plain http only for hosts in WEBHOOK_ALLOWED_HOSTS.' })
  @RequiredText(2000)
  url!: string;

  @Field(() => [WebhookEventType])
  @ArrayNotEmpty({ message: 'must name at least one event type' })
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsEnum(WebhookEventType, { each: true })
  events!: WebhookEventType[];

  @Field(() => String, {
    nullable: true,
    description: 'The country whose lists are watched; null: every country (ADMIN only).',
  })
  @IsOptional()
  @Trim()
  @Matches(/^[A-Z]{3}$/, { message: 'must be an ISO 3166-1 alpha-3 code in upper case, e.g. GHA' })
  hostCountry?: string | null;

  @Field() @Reason() reason!: string;
}

@InputType()
export class WebhookEndpointChangeInput {
  @Field(() => ID) @IsUUID('all', { message: 'must be a webhook endpoint id' }) endpointId!: string;
  @Field() @Reason() reason!: string;
}

@InputType()
export class ReplayWebhookDeliveryInput {
  @Field(() => ID) @IsUUID('all', { message: 'must be a webhook delivery id' }) deliveryId!: string;
  @Field() @Reason() reason!: string;
}
