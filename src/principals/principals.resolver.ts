import { Args, Mutation, Query, ResolveField, Resolver, Parent } from '@nestjs/graphql';
import { Authenticated, Roles } from '../auth/access';
import { RequestContext } from '../auth/principal';
import { PrincipalEntity } from './principal.entity';
import {
  CreatePrincipalInput,
  IssuedKey,
  Principal,
  RevokePrincipalInput,
} from './principals.models';
import { PrincipalsService } from './principals.service';
import { Role } from '../auth/role';
import { Ctx } from '../auth/request-context.decorator';

@Resolver(() => Principal)
export class PrincipalsResolver {
  constructor(private readonly service: PrincipalsService) {}

  @Query(() => Principal, { nullable: true, description: 'Any authenticated principal.' })
  @Authenticated()
  me(@Ctx() ctx: RequestContext): Promise<PrincipalEntity | null> {
    return this.service.findById(ctx.principal!.id);
  }

  @Query(() => [Principal], { description: 'ADMIN.' })
  @Roles(Role.ADMIN)
  principals(): Promise<PrincipalEntity[]> {
    return this.service.list();
  }

  @Mutation(() => IssuedKey, { description: 'ADMIN.' })
  @Roles(Role.ADMIN)
  createPrincipal(@Ctx() ctx: RequestContext, @Args('input') input: CreatePrincipalInput) {
    return this.service.create(ctx, input);
  }

  @Mutation(() => Principal, { description: 'ADMIN.' })
  @Roles(Role.ADMIN)
  revokePrincipal(@Ctx() ctx: RequestContext, @Args('input') input: RevokePrincipalInput) {
    return this.service.revoke(ctx, input.principalId, input.reason);
  }

  @ResolveField(() => String, { nullable: true })
  hostCountry(@Parent() principal: PrincipalEntity): string | null {
    return principal.hostCountryCode;
  }
}
