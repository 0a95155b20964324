import {
  Args,
  Context,
  ID,
  Int,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { CountryRoles, Public } from '../auth/access';
import { RequestContext } from '../auth/principal';
import { Role } from '../auth/role';
import { fieldError } from '../common/errors';
import { HostCountry, NdcSector } from '../countries/countries.models';
import { HostCountryEntity } from '../countries/host-country.entity';
import { NdcSectorEntity } from '../countries/ndc-sector.entity';
import { BaselineYearError, baselineValue } from '../eligibility/baseline';
import { GraphqlContext } from '../graphql/context';
import { Loaders } from '../graphql/loaders';
import { Ctx, RequestLoaders } from '../graphql/request-context.decorator';
import { DateScalar } from '../graphql/scalars';
import { ActivityEntryEntity } from './activity-entry.entity';
import {
  ActivityEntry,
  AddEntryInput,
  BaselineRuleModel,
  CreateDraftInput,
  EntryConnection,
  EntrySearch,
  ListDiff,
  ListTransitionInput,
  PositiveListVersion,
  PublishInput,
  RemoveEntryInput,
  UpdateEntryInput,
} from './lists.models';
import { BaselineRule, EntryKind, ListStatus } from './list-types';
import { ListsService, isPublic, maySeeDrafts } from './lists.service';
import { PositiveListVersionEntity } from './positive-list-version.entity';
import { todayUtc, visibleStatus } from './workflow';

const DRAFTING = { anyCountry: [], ownCountry: [Role.OFFICIAL, Role.APPROVER] };
const APPROVING = { anyCountry: [], ownCountry: [Role.APPROVER] };

@Resolver(() => PositiveListVersion)
export class ListVersionResolver {
  constructor(private readonly lists: ListsService) {}

  @Query(() => PositiveListVersion, { nullable: true })
  @Public()
  listVersion(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string) {
    return this.lists.findVisible(ctx, id);
  }

  @Query(() => EntryConnection)
  @Public()
  searchEntries(
    @Args('filter', { type: () => EntrySearch, nullable: true }) filter?: EntrySearch | null,
    @Args('first', { type: () => Int, nullable: true }) first?: number | null,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ) {
    return this.lists.search(filter, first, after);
  }

  @Query(() => ListDiff)
  @Public()
  listDiff(
    @Ctx() ctx: RequestContext,
    @Args('fromVersionId', { type: () => ID }) fromVersionId: string,
    @Args('toVersionId', { type: () => ID }) toVersionId: string,
  ) {
    return this.lists.diff(ctx, fromVersionId, toVersionId);
  }

  @Mutation(() => PositiveListVersion, { description: 'OFFICIAL of that country: drafting.' })
  @CountryRoles({ ...DRAFTING, country: { arg: 'input.hostCountry', kind: 'hostCountry' } })
  createDraft(@Ctx() ctx: RequestContext, @Args('input') input: CreateDraftInput) {
    return this.lists.createDraft(ctx, input);
  }

  @Mutation(() => ActivityEntry)
  @CountryRoles({ ...DRAFTING, country: { arg: 'input.listVersionId', kind: 'listVersion' } })
  addEntry(@Ctx() ctx: RequestContext, @Args('input') input: AddEntryInput) {
    return this.lists.addEntry(ctx, input);
  }

  @Mutation(() => ActivityEntry)
  @CountryRoles({ ...DRAFTING, country: { arg: 'input.entryId', kind: 'entry' } })
  updateEntry(@Ctx() ctx: RequestContext, @Args('input') input: UpdateEntryInput) {
    return this.lists.updateEntry(ctx, input);
  }

  @Mutation(() => PositiveListVersion)
  @CountryRoles({ ...DRAFTING, country: { arg: 'input.entryId', kind: 'entry' } })
  removeEntry(@Ctx() ctx: RequestContext, @Args('input') input: RemoveEntryInput) {
    return this.lists.removeEntry(ctx, input);
  }

  @Mutation(() => PositiveListVersion)
  @CountryRoles({ ...DRAFTING, country: { arg: 'input.listVersionId', kind: 'listVersion' } })
  submitDraft(@Ctx() ctx: RequestContext, @Args('input') input: ListTransitionInput) {
    return this.lists.submit(ctx, input);
  }

  @Mutation(() => PositiveListVersion)
  @CountryRoles({ ...DRAFTING, country: { arg: 'input.listVersionId', kind: 'listVersion' } })
  discardDraft(@Ctx() ctx: RequestContext, @Args('input') input: ListTransitionInput) {
    return this.lists.discard(ctx, input);
  }

  @Mutation(() => PositiveListVersion, {
    description: 'APPROVER of that country, never the principal who submitted it.',
  })
  @CountryRoles({ ...APPROVING, country: { arg: 'input.listVersionId', kind: 'listVersion' } })
  publish(@Ctx() ctx: RequestContext, @Args('input') input: PublishInput) {
    return this.lists.publish(ctx, input);
  }

  @Mutation(() => PositiveListVersion)
  @CountryRoles({ ...APPROVING, country: { arg: 'input.listVersionId', kind: 'listVersion' } })
  reject(@Ctx() ctx: RequestContext, @Args('input') input: ListTransitionInput) {
    return this.lists.reject(ctx, input);
  }

  @Mutation(() => PositiveListVersion)
  @CountryRoles({ ...APPROVING, country: { arg: 'input.listVersionId', kind: 'listVersion' } })
  withdraw(@Ctx() ctx: RequestContext, @Args('input') input: ListTransitionInput) {
    return this.lists.withdraw(ctx, input);
  }

  @ResolveField(() => HostCountry)
  async hostCountry(@Parent() v: PositiveListVersionEntity, @RequestLoaders() loaders: Loaders) {
    return loaders.countryByCode.load(v.hostCountryCode);
  }

  @ResolveField(() => ListStatus)
  status(@Parent() v: PositiveListVersionEntity): ListStatus {
    return visibleStatus(v.status, v.effectiveUntil, todayUtc());
  }

  @ResolveField(() => String)
  createdBy(@Parent() v: PositiveListVersionEntity): string {
    return v.createdByName;
  }

  @ResolveField(() => String, { nullable: true })
  submittedBy(@Parent() v: PositiveListVersionEntity): string | null {
    return v.submittedByName;
  }

  @ResolveField(() => String, { nullable: true })
  approvedBy(@Parent() v: PositiveListVersionEntity): string | null {
    return v.approvedByName;
  }

  @ResolveField(() => Int)
  async entryCount(
    @Parent() v: PositiveListVersionEntity,
    @RequestLoaders() loaders: Loaders,
  ): Promise<number> {
    return (await loaders.entriesByVersion.load(v.id)).length;
  }

  @ResolveField(() => [ActivityEntry])
  async entries(
    @Parent() v: PositiveListVersionEntity,
    @RequestLoaders() loaders: Loaders,
    @Args('kind', { type: () => EntryKind, nullable: true }) kind?: EntryKind | null,
    @Args('sectorCode', { type: () => String, nullable: true }) sectorCode?: string | null,
    @Args('search', { type: () => String, nullable: true }) search?: string | null,
  ): Promise<ActivityEntryEntity[]> {
    let entries = await loaders.entriesByVersion.load(v.id);
    if (kind) entries = entries.filter((e) => e.kind === (kind as string));
    if (search) {
      const needle = search.trim().toLowerCase();
      entries = entries.filter((e) =>
        [e.name, e.description ?? '', ...e.technologies].some((text) =>
          text.toLowerCase().includes(needle),
        ),
      );
    }
    if (sectorCode) {
      const sectors = await loaders.sectorsByEntry.loadMany(entries.map((e) => e.id));
      entries = entries.filter((_, i) => {
        const list = sectors[i];
        return Array.isArray(list) && list.some((s) => s.code === sectorCode);
      });
    }
    return entries;
  }

  @ResolveField(() => ActivityEntry, { nullable: true })
  async entry(
    @Parent() v: PositiveListVersionEntity,
    @RequestLoaders() loaders: Loaders,
    @Args('key') key: string,
  ): Promise<ActivityEntryEntity | null> {
    return (await loaders.entriesByVersion.load(v.id)).find((e) => e.key === key) ?? null;
  }
}

@Resolver(() => ActivityEntry)
export class ActivityEntryResolver {
  @ResolveField(() => [NdcSector])
  sectors(
    @Parent() entry: ActivityEntryEntity,
    @RequestLoaders() loaders: Loaders,
  ): Promise<NdcSectorEntity[]> {
    return loaders.sectorsByEntry.load(entry.id);
  }
}

@Resolver(() => BaselineRuleModel)
export class BaselineRuleResolver {
  @ResolveField(() => Number, {
    description: 'Baseline value for a year, per the formulas in the domain primer.',
  })
  valueFor(@Parent() rule: BaselineRule, @Args('year', { type: () => Int }) year: number): number {
    try {
      return baselineValue(rule, year);
    } catch (error) {
      if (error instanceof BaselineYearError) throw fieldError('year', error.message);
      throw error;
    }
  }
}

@Resolver(() => EntryConnection)
export class EntryConnectionResolver {
  @ResolveField(() => Int)
  totalCount(@Parent() page: { countTotal: () => Promise<number> }): Promise<number> {
    return page.countTotal();
  }
}

/** The version of a country's list in force on a date, through the request's loader. */
async function inForce(loaders: Loaders, country: string, on: string) {
  return (await loaders.countryListInForce.load(`${country}|${on}`))?.version ?? null;
}

/** The list fields of a host country. */
@Resolver(() => HostCountry)
export class HostCountryListsResolver {
  @ResolveField(() => PositiveListVersion, {
    nullable: true,
    description: 'The published version in force today, if any.',
  })
  currentList(@Parent() country: HostCountryEntity, @RequestLoaders() loaders: Loaders) {
    return inForce(loaders, country.code, todayUtc());
  }

  @ResolveField(() => PositiveListVersion, {
    nullable: true,
    description: 'The version in force on that date (past or future), if any.',
  })
  listInForce(
    @Parent() country: HostCountryEntity,
    @RequestLoaders() loaders: Loaders,
    @Args('on', { type: () => DateScalar }) on: string,
  ) {
    return inForce(loaders, country.code, on);
  }

  @ResolveField(() => [PositiveListVersion], {
    description:
      'All versions the caller may see, newest first (drafts only for officials, approvers, auditors, admins).',
  })
  async listVersions(@Parent() country: HostCountryEntity, @Context() ctx: GraphqlContext) {
    const versions = await ctx.loaders.versionsByCountry.load(country.code);
    return versions.filter((v) => isPublic(v) || maySeeDrafts(ctx.principal, country.code));
  }
}
