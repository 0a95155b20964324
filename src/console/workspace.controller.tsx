import { Controller, Get, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditAction } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { PolicyCheck } from '../auth/policy-check';
import { RequestContext } from '../auth/principal';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/errors';
import { CountriesResolver } from '../countries/countries.resolver';
import { CountriesService } from '../countries/countries.service';
import { HostCountryEntity } from '../countries/host-country.entity';
import { InputValidationPipe } from '../graphql/input-validation.pipe';
import { DraftingService } from '../positive-lists/drafting.service';
import { ListLoaders } from '../positive-lists/list.loaders';
import { ListQueriesService } from '../positive-lists/list-queries.service';
import { ListStatus } from '../positive-lists/list-types';
import { visibleVersions } from '../positive-lists/list-visibility';
import {
  CreateDraftInput,
  ListTransitionInput,
  PublishInput,
} from '../positive-lists/lists.models';
import { ListWorkflowService } from '../positive-lists/list-workflow.service';
import { ListVersionResolver } from '../positive-lists/lists.resolver';
import { PositiveListVersionEntity } from '../positive-lists/positive-list-version.entity';
import { visibleStatus } from '../positive-lists/workflow';
import { PrincipalsResolver } from '../principals/principals.resolver';
import { PageError } from '../portal/page-error';
import { EntryWithSectors } from '../portal/public-lists';
import { PageContext } from '../portal/views/page-context';
import {
  ConsoleGuard,
  ConsoleSession,
  countryOfPage,
  keepLanguage,
  requestContextOf,
} from './console-access';
import { ConsoleExceptionFilter, ConsolePages } from './console-pages';
import { Follows, followedOperation, policyAllows } from './console-route';
import { consoleVersionsPath } from './views/console-layout';
import { ConsoleHomePage } from './views/home';
import { ConsoleReviewQueuePage } from './views/review';
import { ConsoleVersionPage, Decision, SubmissionReview, Withdrawal } from './views/version';
import {
  ConsoleVersion,
  ConsoleVersionsPage,
  DraftForm,
  consoleVersionPath,
} from './views/versions';

const OPEN: string[] = [ListStatus.DRAFT, ListStatus.SUBMITTED];

const field = (body: unknown, name: string): string => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

/** createDraft's arguments as the form gives them: the country is the page's. */
const draftArgs = (req: FastifyRequest) => ({
  input: { hostCountry: (req.params as { code: string }).code },
});

/** The mutation's arguments as the form carries them, for the country check of its policy. */
const versionArgs = (req: FastifyRequest) => ({
  input: { listVersionId: field(req.body, 'listVersionId') },
});

/**
 * The workspace's pages. Each follows one API operation's policy (see `Follows`) and reads
 * and writes through the same services as its resolver, with the same visibility rules.
 */
@Controller('console')
@UseGuards(ConsoleGuard)
@UseFilters(ConsoleExceptionFilter)
export class WorkspaceController {
  private readonly validation = new InputValidationPipe();

  constructor(
    private readonly pages: ConsolePages,
    private readonly countries: CountriesService,
    private readonly loaders: ListLoaders,
    private readonly queries: ListQueriesService,
    private readonly drafting: DraftingService,
    private readonly policies: PolicyCheck,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly workflow: ListWorkflowService,
  ) {}

  @Get()
  @Follows(PrincipalsResolver, 'me')
  home(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = req.consoleSession!;
    return this.pages.send(req, reply, async (ctx) => {
      const own = session.principal.hostCountry;
      const countries = own
        ? [await this.countries.findCountry(own)].filter((c) => c !== null)
        : await this.countries.listCountries();
      return <ConsoleHomePage ctx={ctx} session={session} countries={countries} />;
    });
  }

  @Get('countries/:code/versions')
  @Follows(CountriesResolver, 'hostCountry')
  versions(
    @Param('code') code: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const session = req.consoleSession!;
    const created = Number((req.query as Record<string, unknown>).created);
    return this.pages.send(req, reply, (ctx) =>
      this.versionsPage(ctx, session, code, {
        values: { title: '', start: 'copy', reason: '' },
        problems: [],
        created: Number.isInteger(created) && created > 0 ? created : undefined,
      }),
    );
  }

  @Post('countries/:code/versions')
  @Follows(ListVersionResolver, 'createDraft', draftArgs)
  async startDraft(
    @Param('code') code: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const session = req.consoleSession!;
    const values = {
      title: field(req.body, 'title'),
      start: field(req.body, 'start') === 'empty' ? 'empty' : 'copy',
      reason: field(req.body, 'reason'),
    };
    const ctx = requestContextOf(session, req);
    try {
      // The same input class and checks as the createDraft mutation, field paths included.
      const input = (await this.validation.transform(
        {
          hostCountry: code,
          title: values.title,
          reason: values.reason,
          ...(values.start === 'empty' ? { empty: true } : {}),
        },
        { type: 'body', metatype: CreateDraftInput, data: 'input' },
      )) as CreateDraftInput;
      const draft = await this.drafting.createDraft(ctx, input);
      return this.pages.redirect(
        reply,
        keepLanguage(req, `${consoleVersionsPath(draft.hostCountryCode)}?created=${draft.version}`),
      );
    } catch (error) {
      if (!(error instanceof DomainError) || !FORM_ERRORS.has(error.code)) throw error;
      void reply.code(error.code === ErrorCode.BAD_USER_INPUT ? 400 : 409);
      const problems = error.fields?.length
        ? error.fields.map((p) => ({ field: p.field, message: p.message }))
        : [{ field: undefined, message: error.message }];
      return this.pages.send(req, reply, (page) =>
        this.versionsPage(page, session, code, { values, problems, created: undefined }),
      );
    }
  }

  @Get('countries/:code/versions/:number')
  @Follows(ListVersionResolver, 'listVersion')
  version(
    @Param('code') code: string,
    @Param('number') number: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.pages.send(req, reply, (ctx) => this.versionPage(ctx, req, code, number));
  }

  @Post('countries/:code/versions/:number/publish')
  @Follows(ListVersionResolver, 'publish', versionArgs)
  publish(
    @Param('code') code: string,
    @Param('number') number: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.decide(req, reply, code, number, 'publish');
  }

  @Post('countries/:code/versions/:number/reject')
  @Follows(ListVersionResolver, 'reject', versionArgs)
  reject(
    @Param('code') code: string,
    @Param('number') number: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.decide(req, reply, code, number, 'reject');
  }

  @Post('countries/:code/versions/:number/withdraw')
  @Follows(ListVersionResolver, 'withdraw', versionArgs)
  withdraw(
    @Param('code') code: string,
    @Param('number') number: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.decide(req, reply, code, number, 'withdraw');
  }

  @Post('countries/:code/versions/:number/discard')
  @Follows(ListVersionResolver, 'discardDraft', versionArgs)
  discard(
    @Param('code') code: string,
    @Param('number') number: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.decide(req, reply, code, number, 'discard');
  }

  /**
   * Publishing, rejecting, withdrawing or discarding through the very service methods and input classes of the publish
   * reject, withdraw and discardDraft mutations. A problem (a date too early, no reason, four eyes, a version
   * no longer submitted or published) comes back on the version's page next to its field, and nothing changes.
   */
  private async decide(
    req: FastifyRequest,
    reply: FastifyReply,
    code: string,
    number: string,
    form: Decision['form'],
  ): Promise<void> {
    const session = req.consoleSession!;
    const ctx = requestContextOf(session, req);
    const shown = await this.shownVersion(ctx, session, code, number);
    if (field(req.body, 'listVersionId') !== shown.found.id) throw PageError.notFound();
    const values = {
      effectiveFrom: field(req.body, 'effectiveFrom'),
      reason: field(req.body, 'reason'),
    };
    try {
      if (form === 'publish') {
        const input = (await this.validation.transform(
          {
            listVersionId: shown.found.id,
            effectiveFrom: values.effectiveFrom,
            reason: values.reason,
          },
          { type: 'body', metatype: PublishInput, data: 'input' },
        )) as PublishInput;
        await this.workflow.publish(ctx, input);
      } else {
        const input = (await this.validation.transform(
          { listVersionId: shown.found.id, reason: values.reason },
          { type: 'body', metatype: ListTransitionInput, data: 'input' },
        )) as ListTransitionInput;
        const transition = {
          reject: () => this.workflow.reject(ctx, input),
          withdraw: () => this.workflow.withdraw(ctx, input),
          discard: () => this.workflow.discard(ctx, input),
        }[form];
        await transition();
      }
      const done = {
        publish: 'published',
        reject: 'rejected',
        withdraw: 'withdrawn',
        discard: 'discarded',
      }[form];
      return this.pages.redirect(
        reply,
        keepLanguage(
          req,
          `${consoleVersionPath(shown.country.code, shown.found.version)}?${done}=${shown.found.version}`,
        ),
      );
    } catch (error) {
      if (!(error instanceof DomainError) || !DECISION_ERRORS.has(error.code)) throw error;
      void reply.code(
        error.code === ErrorCode.BAD_USER_INPUT
          ? 400
          : error.code === ErrorCode.FORBIDDEN
            ? 403
            : 409,
      );
      const problems = error.fields?.length
        ? error.fields.map((p) => ({ field: p.field.replace(/^input\./, ''), message: p.message }))
        : [{ field: undefined, message: error.message }];
      return this.pages.send(req, reply, (page) =>
        this.versionPage(page, req, code, number, { form, values, problems }),
      );
    }
  }

  /** The version of the page's country and number, looked up as the listVersion query does. */
  private async shownVersion(
    ctx: RequestContext,
    session: ConsoleSession,
    code: string,
    number: string,
  ) {
    const country = await countryOfPage(this.countries, code);
    if (!/^[1-9][0-9]{0,8}$/.test(number)) throw PageError.notFound();
    const listed = (await this.visible(session, country)).find((v) => v.version === Number(number));
    // Looked up again as the listVersion query does, with the same visibility rule.
    const found = listed ? await this.queries.findVisible(ctx, listed.id) : null;
    if (!found) throw PageError.notFound();
    return { country, found };
  }

  private async versionPage(
    ctx: PageContext,
    req: FastifyRequest,
    code: string,
    number: string,
    decision?: Decision,
  ) {
    const session = req.consoleSession!;
    const { country, found } = await this.shownVersion(
      requestContextOf(session, req),
      session,
      code,
      number,
    );
    const loaders = this.loaders.of({});
    const basedOn = found.basedOnVersionId
      ? await this.queries.findVisible(requestContextOf(session, req), found.basedOnVersionId)
      : null;
    const query = req.query as Record<string, unknown>;
    const said = (name: string) => {
      const value = query[name];
      return typeof value === 'string' ? value.slice(0, 500) : undefined;
    };
    return (
      <ConsoleVersionPage
        ctx={ctx}
        session={session}
        country={country}
        shown={await this.withStatus(found)}
        basedOn={basedOn ? await this.withStatus(basedOn) : undefined}
        entries={await entriesOf(loaders, found)}
        editable={found.status === ListStatus.DRAFT && (await this.mayDraft(session, found))}
        notices={{
          added: said('added'),
          updated: said('updated'),
          removed: said('removed'),
          submitted: said('submitted'),
          notSubmitted: said('notSubmitted'),
          published: said('published'),
          rejected: said('rejected'),
          withdrawn: said('withdrawn'),
          discarded: said('discarded'),
        }}
        review={
          found.status === ListStatus.SUBMITTED
            ? await this.submissionReview(requestContextOf(session, req), found, decision)
            : undefined
        }
        withdrawal={await this.withdrawal(session, found, decision)}
        discard={decision?.form === 'discard' ? decision : undefined}
        refused={
          // The version moved on meanwhile (published by another approver, withdrawn...): the
          // form it was posted from is gone, so the service's word is shown on its own.
          decision &&
          !(decision.form === 'withdraw'
            ? found.status === ListStatus.PUBLISHED
            : decision.form === 'discard'
              ? found.status === ListStatus.DRAFT
              : found.status === ListStatus.SUBMITTED)
            ? decision
            : undefined
        }
      />
    );
  }

  /**
   * The approver's queue. It is a read of the country's versions, so the route follows that
   * read (hostCountry) and shows them with the same visibility rule; but it is there for those
   * who may act on what it lists, so it also asks the publish mutation's own policy (its roles,
   * with the page's country as the country): anyone else is refused as the API would refuse
   * them publishing.
   */
  @Get('countries/:code/review')
  @Follows(CountriesResolver, 'hostCountry')
  review(
    @Param('code') code: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const session = req.consoleSession!;
    return this.pages.send(req, reply, async (ctx) => {
      const country = await countryOfPage(this.countries, code);
      await this.mayPublishFor(session, country);
      const submitted = (await this.visible(session, country))
        .filter((v) => v.status === ListStatus.SUBMITTED)
        .sort((a, b) => a.version - b.version);
      return (
        <ConsoleReviewQueuePage
          ctx={ctx}
          session={session}
          country={country}
          submitted={await Promise.all(submitted.map((v) => this.withStatus(v)))}
        />
      );
    });
  }

  /** Throws FORBIDDEN unless publish's roles let this principal act for this country. */
  private async mayPublishFor(session: ConsoleSession, country: HostCountryEntity) {
    const { policy } = followedOperation({
      kind: 'page',
      resolver: ListVersionResolver,
      handler: 'publish',
    });
    if (!policy || policy.kind !== 'roles') throw new Error('publish has no role policy');
    await this.policies.authorize(
      { ...policy, country: { arg: 'hostCountry', kind: 'hostCountry' } },
      session.principal,
      { hostCountry: country.code },
    );
  }

  /**
   * What an approver needs to judge a submission: who submitted it and why (the SUBMIT audit
   * event, read through the audit service as auditEvents reads it, with its country rule), and
   * its diff against the version in force today (ListQueriesService.diff, as listDiff).
   */
  private async submissionReview(
    ctx: RequestContext,
    version: PositiveListVersionEntity,
    decision: Decision | undefined,
  ): Promise<SubmissionReview> {
    const decide = {
      mayDecide: await this.mayDecide(ctx, version),
      ownSubmission: version.submittedById === ctx.principal?.id,
      today: this.clock.today(),
      decision,
    };
    const events = await this.audit.events(
      ctx,
      {
        entityType: 'PositiveListVersion',
        entityId: version.id,
        actions: [AuditAction.SUBMIT],
      },
      100,
    );
    const submit = events.edges.at(-1)?.node;
    const loaders = this.loaders.of({});
    const inForce = (
      await loaders.listInForce.load({ country: version.hostCountryCode, on: this.clock.today() })
    )?.version;
    if (!inForce)
      return {
        ...decide,
        submittedBy: version.submittedByName,
        reason: submit?.reason ?? null,
        diff: null,
      };
    const diff = await this.queries.diff(ctx, inForce.id, version.id);
    const [before, after] = await Promise.all([
      loaders.entriesByVersion.load(inForce.id),
      loaders.entriesByVersion.load(version.id),
    ]);
    const byKey = (entries: typeof before) => new Map(entries.map((e) => [e.key, e]));
    const beforeByKey = byKey(before);
    const afterByKey = byKey(after);
    return {
      ...decide,
      submittedBy: version.submittedByName,
      reason: submit?.reason ?? null,
      diff: {
        from: await this.withStatus(inForce),
        to: await this.withStatus(version),
        added: diff.added,
        removed: diff.removed,
        changed: diff.changed.map((c) => ({
          ...c,
          before: beforeByKey.get(c.key)!,
          after: afterByKey.get(c.key)!,
        })),
      },
    };
  }

  /** HostCountry.listVersions for this principal: drafts only for those who may see them. */
  private async visible(
    session: ConsoleSession,
    country: HostCountryEntity,
  ): Promise<PositiveListVersionEntity[]> {
    const versions = await this.loaders.of({}).versionsByCountry.load(country.code);
    return visibleVersions(versions, session.principal, country.code);
  }

  private async withStatus(version: PositiveListVersionEntity): Promise<ConsoleVersion> {
    const entries = await this.loaders.of({}).entriesByVersion.load(version.id);
    return {
      version,
      status: visibleStatus(version.status, version.effectiveUntil, this.clock.today()),
      entryCount: entries.length,
    };
  }

  private async versionsPage(
    ctx: PageContext,
    session: ConsoleSession,
    code: string,
    state: {
      values: DraftForm['values'];
      problems: DraftForm['problems'];
      created: number | undefined;
    },
  ) {
    const country = await countryOfPage(this.countries, code);
    const versions = await Promise.all(
      (await this.visible(session, country)).map((v) => this.withStatus(v)),
    );
    const today = this.clock.today();
    const inForce = await this.loaders
      .of({})
      .listInForce.load({ country: country.code, on: today });
    const form: DraftForm = {
      allowed: await this.mayStartDraft(session, country),
      open: versions.find((v) => OPEN.includes(v.version.status)),
      inForce: versions.find((v) => v.version.id === inForce?.version?.id),
      values: state.values,
      problems: state.problems,
    };
    return (
      <ConsoleVersionsPage
        ctx={ctx}
        session={session}
        country={country}
        versions={versions}
        form={form}
        created={state.created}
      />
    );
  }

  /** Whether publish's policy (reject's is the same) lets this principal decide on it. */
  private mayDecide(ctx: RequestContext, version: PositiveListVersionEntity) {
    return policyAllows(this.policies, ctx.principal, ListVersionResolver, 'publish', {
      input: { listVersionId: version.id },
    });
  }

  /**
   * A version in force or scheduled (published, not yet superseded) that withdraw's policy lets
   * this principal withdraw; superseded versions are history and cannot be.
   */
  private async withdrawal(
    session: ConsoleSession,
    version: PositiveListVersionEntity,
    decision: Decision | undefined,
  ): Promise<Withdrawal | undefined> {
    const today = this.clock.today();
    if (visibleStatus(version.status, version.effectiveUntil, today) !== ListStatus.PUBLISHED)
      return undefined;
    const allowed = await policyAllows(
      this.policies,
      session.principal,
      ListVersionResolver,
      'withdraw',
      { input: { listVersionId: version.id } },
    );
    if (!allowed) return undefined;
    return {
      scheduled: version.effectiveFrom! > today,
      decision: decision?.form === 'withdraw' ? decision : undefined,
    };
  }

  /** Whether addEntry's policy lets this principal change this version's entries. */
  private mayDraft(session: ConsoleSession, version: PositiveListVersionEntity) {
    return policyAllows(this.policies, session.principal, ListVersionResolver, 'addEntry', {
      input: { listVersionId: version.id },
    });
  }

  /** Whether createDraft's own policy lets this principal draft for this country. */
  private mayStartDraft(session: ConsoleSession, country: HostCountryEntity) {
    return policyAllows(this.policies, session.principal, ListVersionResolver, 'createDraft', {
      input: { hostCountry: country.code },
    });
  }
}

/** A decision's problems shown on the version's page: four eyes is the service's FORBIDDEN. */
const DECISION_ERRORS = new Set<string>([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.INVALID_STATE,
  ErrorCode.FORBIDDEN,
]);

/** The errors a form shows next to itself rather than as a page of their own. */
const FORM_ERRORS = new Set<string>([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.CONFLICT,
  ErrorCode.INVALID_STATE,
]);

async function entriesOf(
  loaders: ReturnType<ListLoaders['of']>,
  version: PositiveListVersionEntity,
): Promise<EntryWithSectors[]> {
  const entries = await loaders.entriesByVersion.load(version.id);
  const sectors = await loaders.sectorsByEntry.loadMany(entries.map((e) => e.id));
  return entries.map((entry, i) => {
    const found = sectors[i];
    return { entry, sectors: found instanceof Error ? [] : found };
  });
}
