import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CountryRoles, Public, Roles } from '../auth/access';
import { RequestContext } from '../auth/principal';
import { Role } from '../auth/role';
import { Ctx } from '../auth/request-context.decorator';
import { GraphqlContext } from '../graphql/context';
import { CountryLoaders } from './country.loaders';
import {
  HostCountry,
  NdcSector,
  RegisterHostCountryInput,
  UpsertNdcSectorInput,
} from './countries.models';
import { CountriesService } from './countries.service';
import { HostCountryEntity } from './host-country.entity';
import { NdcSectorEntity } from './ndc-sector.entity';

@Resolver(() => HostCountry)
export class CountriesResolver {
  constructor(
    private readonly countries: CountriesService,
    private readonly loaders: CountryLoaders,
  ) {}

  @Query(() => [HostCountry], { description: 'Public.' })
  @Public()
  hostCountries(): Promise<HostCountryEntity[]> {
    return this.countries.listCountries();
  }

  @Query(() => HostCountry, { nullable: true })
  @Public()
  hostCountry(@Args('code') code: string): Promise<HostCountryEntity | null> {
    return this.countries.findCountry(code);
  }

  @ResolveField(() => [NdcSector])
  sectors(
    @Parent() country: HostCountryEntity,
    @Context() ctx: GraphqlContext,
  ): Promise<NdcSectorEntity[]> {
    return this.loaders.of(ctx).sectorsByCountry.load(country.code);
  }

  @Mutation(() => HostCountry, { description: 'ADMIN.' })
  @Roles(Role.ADMIN)
  registerHostCountry(
    @Ctx() ctx: RequestContext,
    @Args('input') input: RegisterHostCountryInput,
  ): Promise<HostCountryEntity> {
    return this.countries.registerHostCountry(ctx, input);
  }

  @Mutation(() => NdcSector, { description: 'ADMIN, or OFFICIAL of that country.' })
  @CountryRoles({
    anyCountry: [Role.ADMIN],
    ownCountry: [Role.OFFICIAL],
    country: { arg: 'input.hostCountry', kind: 'hostCountry' },
  })
  upsertNdcSector(
    @Ctx() ctx: RequestContext,
    @Args('input') input: UpsertNdcSectorInput,
  ): Promise<NdcSectorEntity> {
    return this.countries.upsertNdcSector(ctx, input);
  }
}
