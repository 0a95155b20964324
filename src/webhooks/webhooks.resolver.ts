import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CountryRoles } from '../auth/access';
import { RequestContext } from '../auth/principal';
import { Ctx } from '../auth/request-context.decorator';
import { Role } from '../auth/role';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';
import { WebhookEventType } from './webhook-events';
import {
  IssuedWebhookSecret,
  RegisterWebhookEndpointInput,
  ReplayWebhookDeliveryInput,
  WebhookDelivery,
  WebhookDeliveryConnection,
  WebhookEndpoint,
  WebhookEndpointChangeInput,
} from './webhooks.models';
import { WebhooksService } from './webhooks.service';

/** Administrators for any country (or all), officials for their own. */
const MANAGING = { anyCountry: [Role.ADMIN], ownCountry: [Role.OFFICIAL] };
const OF_ENDPOINT = {
  ...MANAGING,
  country: { arg: 'input.endpointId', kind: 'webhookEndpoint' as const },
};

@Resolver(() => WebhookEndpoint)
export class WebhooksResolver {
  constructor(private readonly webhooks: WebhooksService) {}

  @Query(() => [WebhookEndpoint], {
    description: "ADMIN: every endpoint (or one country's); OFFICIAL: their country's.",
  })
  @CountryRoles({
    ...MANAGING,
    country: { arg: 'hostCountry', kind: 'hostCountry', optional: true },
  })
  webhookEndpoints(
    @Ctx() ctx: RequestContext,
    @Args('hostCountry', { type: () => String, nullable: true }) hostCountry?: string | null,
  ) {
    return this.webhooks.list(ctx, hostCountry);
  }

  @Query(() => WebhookDeliveryConnection, {
    description: "An endpoint's delivery log, newest first, with every attempt.",
  })
  @CountryRoles({ ...MANAGING, country: { arg: 'endpointId', kind: 'webhookEndpoint' } })
  webhookDeliveries(
    @Args('endpointId', { type: () => ID }) endpointId: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number | null,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ) {
    return this.webhooks.deliveries(endpointId, first, after);
  }

  @Mutation(() => IssuedWebhookSecret, {
    description: 'ADMIN (any country, or every one with hostCountry null); OFFICIAL (own country).',
  })
  @CountryRoles({
    ...MANAGING,
    country: { arg: 'input.hostCountry', kind: 'hostCountry', optional: true },
  })
  registerWebhookEndpoint(
    @Ctx() ctx: RequestContext,
    @Args('input') input: RegisterWebhookEndpointInput,
  ) {
    return this.webhooks.register(ctx, input);
  }

  @Mutation(() => WebhookEndpoint)
  @CountryRoles(OF_ENDPOINT)
  disableWebhookEndpoint(
    @Ctx() ctx: RequestContext,
    @Args('input') input: WebhookEndpointChangeInput,
  ) {
    return this.webhooks.disable(ctx, input.endpointId, input.reason);
  }

  @Mutation(() => WebhookEndpoint)
  @CountryRoles(OF_ENDPOINT)
  enableWebhookEndpoint(
    @Ctx() ctx: RequestContext,
    @Args('input') input: WebhookEndpointChangeInput,
  ) {
    return this.webhooks.enable(ctx, input.endpointId, input.reason);
  }

  @Mutation(() => WebhookEndpoint, {
    description: 'Deletes the endpoint with its delivery log (the audit trail keeps it).',
  })
  @CountryRoles(OF_ENDPOINT)
  deleteWebhookEndpoint(
    @Ctx() ctx: RequestContext,
    @Args('input') input: WebhookEndpointChangeInput,
  ) {
    return this.webhooks.delete(ctx, input.endpointId, input.reason);
  }

  @Mutation(() => IssuedWebhookSecret, {
    description: 'A new signing secret, shown once; the old one stops signing at once.',
  })
  @CountryRoles(OF_ENDPOINT)
  rotateWebhookSecret(
    @Ctx() ctx: RequestContext,
    @Args('input') input: WebhookEndpointChangeInput,
  ) {
    return this.webhooks.rotateSecret(ctx, input.endpointId, input.reason);
  }

  @Mutation(() => WebhookDelivery, {
    description: 'Sends a delivery again, with the same webhook-id.',
  })
  @CountryRoles({ ...MANAGING, country: { arg: 'input.deliveryId', kind: 'webhookDelivery' } })
  replayWebhookDelivery(
    @Ctx() ctx: RequestContext,
    @Args('input') input: ReplayWebhookDeliveryInput,
  ) {
    return this.webhooks.replay(ctx, input.deliveryId, input.reason);
  }

  @ResolveField(() => String, { nullable: true })
  hostCountry(@Parent() endpoint: WebhookEndpointEntity): string | null {
    return endpoint.hostCountryCode;
  }

  @ResolveField(() => [WebhookEventType])
  events(@Parent() endpoint: WebhookEndpointEntity): WebhookEventType[] {
    return endpoint.eventTypes as WebhookEventType[];
  }
}

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  @ResolveField(() => String, { nullable: true })
  hostCountry(@Parent() delivery: { hostCountryCode: string | null }): string | null {
    return delivery.hostCountryCode;
  }
}
