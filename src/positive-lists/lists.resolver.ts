import {
  Args,
  Context,
  ID,
  Info,
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
import { Clock } from '../common/clock';
import { fieldError } from '../common/errors';
import { HostCountry, NdcSector } from '../countries/countries.models';
import { HostCountryEntity } from '../countries/host-country.entity';
import { NdcSectorEntity } from '../countries/ndc-sector.entity';
import { BaselineYearError, baselineValue } from './baseline';
import { CountryLoaders } from '../countries/country.loaders';
import { GraphqlContext } from '../graphql/context';
import { Ctx } from '../auth/request-context.decorator';
import { DateScalar } from '../graphql/scalars';
import { selectsField } from '../graphql/selection';
import { GraphQLResolveInfo } from 'graphql';
import { ActivityEntryEntity } from './activity-entry.entity';
import {
  ActivityEntry,
  AddEntryInput,
  BaselineRuleModel,
  CreateDraftInput,
  EntryConnection,
  EntryHistoryStep,
  EntrySearch,
  ListDiff,
  ListTransitionInput,
  PositiveListVersion,
  PublishInput,
  RemoveEntryInput,
  UpdateEntryInput,
} from './lists.models';
import { BaselineRule, EntryKind, ListStatus } from './list-types';
import { ListLoaders } from './list.loaders';
import { DraftingService } from './drafting.service';
import { ListQueriesService } from './list-queries.service';
import { visibleVersions } from './list-visibility';
import { ListWorkflowService } from './list-workflow.service';
import { PositiveListVersionEntity } from './positive-list-version.entity';
import { filterEntries, sectorCodesOf } from './entry-filter';
import { visibleStatus } from './workflow';

/** Who drafts: officials and approvers of the list's own country. */
export const DRAFTING = { anyCountry: [], ownCountry: [Role.OFFICIAL, Role.APPROVER] };
const APPROVING = { anyCountry: [], ownCountry: [Role.APPROVER] };

@Resolver(() => PositiveListVersion)
export class ListVersionResolver {
  constructor(
    private readonly queries: ListQueriesService,
    private readonly drafting: DraftingService,
    private readonly workflow: ListWorkflowService,
    private readonly loaders: ListLoaders,
    private readonly countryLoaders: CountryLoaders,
    private readonly clock: Clock,
  ) {}

  @Query(() => PositiveListVersion, { nullable: true })
  @Public()
  listVersion(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string) {
    return this.queries.findVisible(ctx, id);
  }

  @Query(() => EntryConnection)
  @Public()
  searchEntries(
    @Info() info: GraphQLResolveInfo,
    @Args('filter', { type: () => EntrySearch, nullable: true }) filter?: EntrySearch | null,
    @Args('first', { type: () => Int, nullable: true }) first?: number | null,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ) {
    return this.queries.search(filter, first, after, selectsField(info, 'totalCount'));
  }

  @Query(() => ListDiff)
  @Public()
  listDiff(
    @Ctx() ctx: RequestContext,
    @Args('fromVersionId', { type: () => ID }) fromVersionId: string,
    @Args('toVersionId', { type: () => ID }) toVersionId: string,
  ) {
    return this.queries.diff(ctx, fromVersionId, toVersionId);
  }

  @Query(() => [EntryHistoryStep], {
    description:
      'What the published versions of a country did to one entry, by key, in version order.',
  })
  @Public()
  entryHistory(@Args('hostCountry') hostCountry: string, @Args('key') key: string) {
    return this.queries.entryHistory(hostCountry, key);
  }

  @Mutation(() => PositiveListVersion, { description: 'OFFICIAL of that country: drafting.' })
  @CountryRoles({ ...DRAFTING, country: { arg: 'input.hostCountry', kind: 'hostCountry' } })
  createDraft(@Ctx() ctx: RequestContext, @Args('input') input: CreateDraftInput) {
    return this.drafting.createDraft(ctx, input);
  }

  @Mutation(() => ActivityEntry)
  @CountryRoles({ ...DRAFTING, country: { arg: 'input.listVersionId', kind: 'listVersion' } })
  addEntry(@Ctx() ctx: RequestContext, @Args('input') input: AddEntryInput) {
    return this.drafting.addEntry(ctx, input);
  }

  @Mutation(() => ActivityEntry)
  @CountryRoles({ ...DRAFTING, country: { arg: 'input.entryId', kind: 'entry' } })
  updateEntry(@Ctx() ctx: RequestContext, @Args('input') input: UpdateEntryInput) {
    return this.drafting.updateEntry(ctx, input);
  }

  @Mutation(() => PositiveListVersion)
  @CountryRoles({ ...DRAFTING, country: { arg: 'input.entryId', kind: 'entry' } })
  removeEntry(@Ctx() ctx: RequestContext, @Args('input') input: RemoveEntryInput) {
    return this.drafting.removeEntry(ctx, input);
  }

  @Mutation(() => PositiveListVersion)
  @CountryRoles({ ...DRAFTING, country: { arg: 'input.listVersionId', kind: 'listVersion' } })
  submitDraft(@Ctx() ctx: RequestContext, @Args('input') input: ListTransitionInput) {
    return this.workflow.submit(ctx, input);
  }

  @Mutation(() => PositiveListVersion)
  @CountryRoles({ ...DRAFTING, country: { arg: 'input.listVersionId', kind: 'listVersion' } })
  discardDraft(@Ctx() ctx: RequestContext, @Args('input') input: ListTransitionInput) {
    return this.workflow.discard(ctx, input);
  }

  @Mutation(() => PositiveListVersion, {
    description: 'APPROVER of that country, never the principal who submitted it.',
  })
  @CountryRoles({ ...APPROVING, country: { arg: 'input.listVersionId', kind: 'listVersion' } })
  publish(@Ctx() ctx: RequestContext, @Args('input') input: PublishInput) {
    return this.workflow.publish(ctx, input);
  }

  @Mutation(() => PositiveListVersion)
  @CountryRoles({ ...APPROVING, country: { arg: 'input.listVersionId', kind: 'listVersion' } })
  reject(@Ctx() ctx: RequestContext, @Args('input') input: ListTransitionInput) {
    return this.workflow.reject(ctx, input);
  }

  @Mutation(() => PositiveListVersion)
  @CountryRoles({ ...APPROVING, country: { arg: 'input.listVersionId', kind: 'listVersion' } })
  withdraw(@Ctx() ctx: RequestContext, @Args('input') input: ListTransitionInput) {
    return this.workflow.withdraw(ctx, input);
  }

  @ResolveField(() => HostCountry)
  async hostCountry(@Parent() v: PositiveListVersionEntity, @Context() ctx: GraphqlContext) {
    return this.countryLoaders.of(ctx).countryByCode.load(v.hostCountryCode);
  }

  @ResolveField(() => ListStatus)
  status(@Parent() v: PositiveListVersionEntity): ListStatus {
    return visibleStatus(v.status, v.effectiveUntil, this.clock.today());
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

  @ResolveField(() => PositiveListVersion, {
    nullable: true,
    description:
      'The version this one was drafted from (its entries were copied), if the caller may see it.',
  })
  basedOn(
    @Parent() v: PositiveListVersionEntity,
    @Ctx() ctx: RequestContext,
  ): Promise<PositiveListVersionEntity | null> {
    return v.basedOnVersionId
      ? this.queries.findVisible(ctx, v.basedOnVersionId)
      : Promise.resolve(null);
  }

  @ResolveField(() => Int)
  async entryCount(
    @Parent() v: PositiveListVersionEntity,
    @Context() ctx: GraphqlContext,
  ): Promise<number> {
    return (await this.loaders.of(ctx).entriesByVersion.load(v.id)).length;
  }

  @ResolveField(() => [ActivityEntry])
  async entries(
    @Parent() v: PositiveListVersionEntity,
    @Context() ctx: GraphqlContext,
    @Args('kind', { type: () => EntryKind, nullable: true }) kind?: EntryKind | null,
    @Args('sectorCode', { type: () => String, nullable: true }) sectorCode?: string | null,
    @Args('search', { type: () => String, nullable: true }) search?: string | null,
  ): Promise<ActivityEntryEntity[]> {
    const loaders = this.loaders.of(ctx);
    const entries = await loaders.entriesByVersion.load(v.id);
    const sectors = sectorCode
      ? await loaders.sectorsByEntry.loadMany(entries.map((e) => e.id))
      : undefined;
    return filterEntries(
      entries.map((entry, i) => ({
        entry,
        sectorCodes: sectors ? sectorCodesOf(sectors[i]) : undefined,
      })),
      { kind, sectorCode, search },
    );
  }

  @ResolveField(() => ActivityEntry, { nullable: true })
  async entry(
    @Parent() v: PositiveListVersionEntity,
    @Context() ctx: GraphqlContext,
    @Args('key') key: string,
  ): Promise<ActivityEntryEntity | null> {
    const entries = await this.loaders.of(ctx).entriesByVersion.load(v.id);
    return entries.find((e) => e.key === key) ?? null;
  }
}

@Resolver(() => ActivityEntry)
export class ActivityEntryResolver {
  constructor(private readonly loaders: ListLoaders) {}

  @ResolveField(() => [NdcSector])
  sectors(
    @Parent() entry: ActivityEntryEntity,
    @Context() ctx: GraphqlContext,
  ): Promise<NdcSectorEntity[]> {
    return this.loaders.of(ctx).sectorsByEntry.load(entry.id);
  }
}

@Resolver(() => BaselineRuleModel)
export class BaselineRuleResolver {
  @ResolveField(() => Number, {
    description: 'Baseline value for a year, per the formulas in docs/domain.md section 5.',
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

/** The list fields of a host country. */
@Resolver(() => HostCountry)
export class HostCountryListsResolver {
  constructor(
    private readonly loaders: ListLoaders,
    private readonly clock: Clock,
  ) {}

  /** The version of a country's list in force on a date, through the request's loader. */
  private async inForce(ctx: GraphqlContext, country: string, on: string) {
    return (await this.loaders.of(ctx).listInForce.load({ country, on }))?.version ?? null;
  }

  @ResolveField(() => PositiveListVersion, {
    nullable: true,
    description: 'The published version in force today, if any.',
  })
  currentList(@Parent() country: HostCountryEntity, @Context() ctx: GraphqlContext) {
    return this.inForce(ctx, country.code, this.clock.today());
  }

  @ResolveField(() => PositiveListVersion, {
    nullable: true,
    description: 'The version in force on that date (past or future), if any.',
  })
  listInForce(
    @Parent() country: HostCountryEntity,
    @Context() ctx: GraphqlContext,
    @Args('on', { type: () => DateScalar }) on: string,
  ) {
    return this.inForce(ctx, country.code, on);
  }

  @ResolveField(() => [PositiveListVersion], {
    description:
      'All versions the caller may see, newest first (drafts only for officials, approvers, auditors, admins).',
  })
  async listVersions(@Parent() country: HostCountryEntity, @Context() ctx: GraphqlContext) {
    const versions = await this.loaders.of(ctx).versionsByCountry.load(country.code);
    return visibleVersions(versions, ctx.principal, country.code);
  }
}
