import { Controller, Get, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PolicyCheck } from '../auth/policy-check';
import { RequestContext } from '../auth/principal';
import { DomainError, ErrorCode } from '../common/errors';
import { CountriesService } from '../countries/countries.service';
import { CountryLoaders } from '../countries/country.loaders';
import { HostCountryEntity } from '../countries/host-country.entity';
import { InputValidationPipe } from '../graphql/input-validation.pipe';
import type { ActivityEntryEntity } from '../positive-lists/activity-entry.entity';
import { DraftingService } from '../positive-lists/drafting.service';
import { ListLoaders } from '../positive-lists/list.loaders';
import { ListQueriesService } from '../positive-lists/list-queries.service';
import { ListStatus } from '../positive-lists/list-types';
import { visibleVersions } from '../positive-lists/list-visibility';
import { ListWorkflowService } from '../positive-lists/list-workflow.service';
import {
  AddEntryInput,
  ListTransitionInput,
  RemoveEntryInput,
  UpdateEntryInput,
} from '../positive-lists/lists.models';
import { ListVersionResolver } from '../positive-lists/lists.resolver';
import { PositiveListVersionEntity } from '../positive-lists/positive-list-version.entity';
import { PageError } from '../portal/page-error';
import { PageContext } from '../portal/views/page-context';
import { ConsoleGuard, ConsoleSession, countryOfPage, keepLanguage } from './console-access';
import { ConsoleExceptionFilter, ConsolePages } from './console-pages';
import { Follows, OperationArgs, followedOperation } from './console-route';
import {
  EntryFormValues,
  changedSince,
  decodeForm,
  emptyEntryForm,
  encodeForm,
  entryFieldsOf,
  formFieldOfProblem,
  formFromBody,
  formFromEntry,
  mergeOnTop,
  previewRule,
} from './entry-form';
import { EntryFormPage, EntryFormState, FormProblem } from './views/entry-form';
import { consoleVersionPath } from './views/versions';

const bodyField = (req: FastifyRequest, name: string): string | undefined => {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
};

/** The mutation's arguments as the form carries them, for the country check of its policy. */
const versionArgs: OperationArgs = (req) => ({
  input: { listVersionId: bodyField(req, 'listVersionId') },
});
const entryArgs: OperationArgs = (req) => ({ input: { entryId: bodyField(req, 'entryId') } });

/** The errors a form shows next to itself rather than as a page of their own. */
const FORM_ERRORS = new Set<string>([ErrorCode.BAD_USER_INPUT, ErrorCode.INVALID_STATE]);

const problemsOf = (error: DomainError): FormProblem[] =>
  error.fields?.length
    ? error.fields.map((p) => ({ field: formFieldOfProblem(p.field), message: p.message }))
    : [{ field: undefined, message: error.message }];

interface Draft {
  country: HostCountryEntity;
  version: PositiveListVersionEntity;
}

/** The edit form's state of an entry as saved: its id, key, revision and the values shown. */
const editingOf = (entry: ActivityEntryEntity, values: EntryFormValues) => ({
  entryId: entry.id,
  key: entry.key,
  revision: entry.revision,
  started: encodeForm(values),
});

/**
 * Adding, editing and removing a draft's entries, and submitting the draft: forms that post
 * to the very services the addEntry, updateEntry, removeEntry and submitDraft mutations call,
 * with the same input classes and checks, so that a problem has the same words and field
 * path in the workspace as in the API. Each post follows its mutation's policy with the ids
 * the form carries; the form pages check the same policy on the draft they show.
 */
@Controller('console/countries/:code/versions/:number')
@UseGuards(ConsoleGuard)
@UseFilters(ConsoleExceptionFilter)
export class EntriesController {
  private readonly validation = new InputValidationPipe();

  constructor(
    private readonly pages: ConsolePages,
    private readonly countries: CountriesService,
    private readonly countryLoaders: CountryLoaders,
    private readonly loaders: ListLoaders,
    private readonly queries: ListQueriesService,
    private readonly drafting: DraftingService,
    private readonly workflow: ListWorkflowService,
    private readonly policies: PolicyCheck,
  ) {}

  @Get('entries/new')
  @Follows(ListVersionResolver, 'listVersion')
  newEntry(
    @Param('code') code: string,
    @Param('number') number: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.pages.send(req, reply, async (ctx) => {
      const draft = await this.pageDraft(req, code, number);
      await this.mayChange(req, draft, 'addEntry', { listVersionId: draft.version.id });
      return this.formPage(ctx, req, draft, {
        values: emptyEntryForm(),
        problems: [],
        extraRows: 0,
      });
    });
  }

  @Post('entries/new')
  @Follows(ListVersionResolver, 'addEntry', versionArgs)
  async addEntry(
    @Param('code') code: string,
    @Param('number') number: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const draft = await this.pageDraft(req, code, number);
    const values = formFromBody(req.body);
    const state = this.stateOf(req, values);
    if (bodyField(req, 'action') !== 'save') {
      // A row more, an approach's fields, a preview: the same form again, nothing saved.
      void reply.code(200);
      return this.sendForm(req, reply, draft, state);
    }
    try {
      const input = (await this.validation.transform(
        { listVersionId: draft.version.id, entry: entryFieldsOf(values), reason: values.reason },
        { type: 'body', metatype: AddEntryInput, data: 'input' },
      )) as AddEntryInput;
      const entry = await this.drafting.addEntry(this.context(req), input);
      return this.backToDraft(req, reply, draft, { added: entry.key });
    } catch (error) {
      if (!(error instanceof DomainError) || !FORM_ERRORS.has(error.code)) throw error;
      void reply.code(error.code === ErrorCode.BAD_USER_INPUT ? 400 : 409);
      return this.sendForm(req, reply, draft, { ...state, problems: problemsOf(error) });
    }
  }

  @Get('entries/:key/edit')
  @Follows(ListVersionResolver, 'listVersion')
  editEntry(
    @Param('code') code: string,
    @Param('number') number: string,
    @Param('key') key: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.pages.send(req, reply, async (ctx) => {
      const draft = await this.pageDraft(req, code, number);
      const entry = await this.entryOf(draft, key);
      await this.mayChange(req, draft, 'updateEntry', { entryId: entry.id });
      const values = await this.valuesOf(entry);
      return this.formPage(ctx, req, draft, {
        values,
        problems: [],
        extraRows: 0,
        editing: editingOf(entry, values),
      });
    });
  }

  @Post('entries/:key/edit')
  @Follows(ListVersionResolver, 'updateEntry', entryArgs)
  async updateEntry(
    @Param('code') code: string,
    @Param('number') number: string,
    @Param('key') key: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const draft = await this.pageDraft(req, code, number);
    const entry = await this.entryOf(draft, key);
    if (bodyField(req, 'entryId') !== entry.id) throw PageError.notFound();
    const values = formFromBody(req.body);
    const revision = Number(bodyField(req, 'expectedRevision'));
    const started = bodyField(req, 'started') ?? '';
    const editing = { entryId: entry.id, key: entry.key, revision, started };
    const state = { ...this.stateOf(req, values), editing };
    if (bodyField(req, 'action') !== 'save') {
      // A row more, an approach's fields, a preview: the same form again, nothing saved.
      void reply.code(200);
      return this.sendForm(req, reply, draft, state);
    }
    try {
      const input = (await this.validation.transform(
        {
          entryId: entry.id,
          expectedRevision: Number.isInteger(revision) ? revision : -1,
          entry: entryFieldsOf(values),
          reason: values.reason,
        },
        { type: 'body', metatype: UpdateEntryInput, data: 'input' },
      )) as UpdateEntryInput;
      const saved = await this.drafting.updateEntry(this.context(req), input);
      return this.backToDraft(req, reply, draft, { updated: saved.key });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === ErrorCode.CONFLICT && error.message.includes('revision')) {
        // Someone saved in between: show their change against the version this person
        // started from, keep the person's input, and let the next save build on theirs.
        const current = await this.entryOf(draft, key);
        const now = await this.valuesOf(current);
        const before = decodeForm(started) ?? emptyEntryForm();
        void reply.code(409);
        return this.sendForm(req, reply, draft, {
          ...state,
          values: mergeOnTop(before, now, values),
          conflict: changedSince(before, now, values),
          editing: {
            ...editing,
            revision: current.revision,
            started: encodeForm(now),
          },
        });
      }
      if (!FORM_ERRORS.has(error.code) && error.code !== ErrorCode.CONFLICT) throw error;
      void reply.code(error.code === ErrorCode.BAD_USER_INPUT ? 400 : 409);
      return this.sendForm(req, reply, draft, { ...state, problems: problemsOf(error) });
    }
  }

  @Post('entries/:key/remove')
  @Follows(ListVersionResolver, 'removeEntry', entryArgs)
  async removeEntry(
    @Param('code') code: string,
    @Param('number') number: string,
    @Param('key') key: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const draft = await this.pageDraft(req, code, number);
    const entry = await this.entryOf(draft, key);
    if (bodyField(req, 'entryId') !== entry.id) throw PageError.notFound();
    const reason = bodyField(req, 'reason') ?? '';
    try {
      const input = (await this.validation.transform(
        { entryId: entry.id, reason },
        { type: 'body', metatype: RemoveEntryInput, data: 'input' },
      )) as RemoveEntryInput;
      await this.drafting.removeEntry(this.context(req), input);
      return this.backToDraft(req, reply, draft, { removed: entry.key });
    } catch (error) {
      if (!(error instanceof DomainError) || !FORM_ERRORS.has(error.code)) throw error;
      void reply.code(error.code === ErrorCode.BAD_USER_INPUT ? 400 : 409);
      const values = await this.valuesOf(entry);
      return this.sendForm(req, reply, draft, {
        values,
        problems: problemsOf(error).map((p) => ({ ...p, field: undefined })),
        extraRows: 0,
        editing: editingOf(entry, values),
      });
    }
  }

  @Post('submit')
  @Follows(ListVersionResolver, 'submitDraft', versionArgs)
  async submitDraft(
    @Param('code') code: string,
    @Param('number') number: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const draft = await this.pageDraft(req, code, number);
    if (bodyField(req, 'listVersionId') !== draft.version.id) throw PageError.notFound();
    const reason = bodyField(req, 'reason') ?? '';
    try {
      const input = (await this.validation.transform(
        { listVersionId: draft.version.id, reason },
        { type: 'body', metatype: ListTransitionInput, data: 'input' },
      )) as ListTransitionInput;
      await this.workflow.submit(this.context(req), input);
      return this.backToDraft(req, reply, draft, { submitted: draft.version.version });
    } catch (error) {
      if (!(error instanceof DomainError) || !FORM_ERRORS.has(error.code)) throw error;
      const message = problemsOf(error)
        .map((p) => p.message)
        .join(' ');
      return this.backToDraft(req, reply, draft, { notSubmitted: message.slice(0, 500) });
    }
  }

  private context(req: FastifyRequest): RequestContext {
    return { principal: req.consoleSession!.principal, requestId: req.id };
  }

  private stateOf(req: FastifyRequest, values: EntryFormValues): EntryFormState {
    const action = bodyField(req, 'action');
    const extra = Math.min(Math.max(Number(bodyField(req, 'extraRows')) || 0, 0), 40);
    return {
      values,
      problems: [],
      extraRows: action === 'addCriterion' ? extra + 1 : extra,
      preview: action === 'preview' ? previewRule(values) : undefined,
    };
  }

  private async sendForm(
    req: FastifyRequest,
    reply: FastifyReply,
    draft: Draft,
    state: EntryFormState,
  ): Promise<void> {
    return this.pages.send(req, reply, (ctx) => this.formPage(ctx, req, draft, state));
  }

  private async formPage(
    ctx: PageContext,
    req: FastifyRequest,
    draft: Draft,
    state: EntryFormState,
  ) {
    const sectors = await this.countryLoaders.of({}).sectorsByCountry.load(draft.country.code);
    return (
      <EntryFormPage
        ctx={ctx}
        session={req.consoleSession!}
        country={draft.country}
        version={draft.version.version}
        listVersionId={draft.version.id}
        sectors={sectors}
        state={state}
      />
    );
  }

  private backToDraft(
    req: FastifyRequest,
    reply: FastifyReply,
    draft: Draft,
    said: Record<string, string | number>,
  ): Promise<void> {
    const query = new URLSearchParams(
      Object.entries(said).map(([k, v]) => [k, String(v)]),
    ).toString();
    return this.pages.redirect(
      reply,
      keepLanguage(
        req,
        `${consoleVersionPath(draft.country.code, draft.version.version)}?${query}`,
      ),
    );
  }

  /**
   * The version of the page's address as the listVersion query finds it for this person (a
   * draft of another country does not exist for them: 404).
   */
  private async pageDraft(req: FastifyRequest, code: string, number: string): Promise<Draft> {
    const session: ConsoleSession = req.consoleSession!;
    const country = await countryOfPage(this.countries, code);
    if (!/^[1-9][0-9]{0,8}$/.test(number)) throw PageError.notFound();
    const versions = await this.loaders.of({}).versionsByCountry.load(country.code);
    const listed = visibleVersions(versions, session.principal, country.code).find(
      (v) => v.version === Number(number),
    );
    const found = listed ? await this.queries.findVisible(this.context(req), listed.id) : null;
    if (!found) throw PageError.notFound();
    return { country, version: found };
  }

  /** Refused (as the mutation would refuse it) unless the person may change this draft. */
  private async mayChange(
    req: FastifyRequest,
    draft: Draft,
    mutation: 'addEntry' | 'updateEntry',
    input: Record<string, string>,
  ): Promise<void> {
    const { policy } = followedOperation({
      kind: 'page',
      resolver: ListVersionResolver,
      handler: mutation,
    });
    await this.policies.authorize(policy, req.consoleSession!.principal, { input });
    if (draft.version.status !== ListStatus.DRAFT) throw PageError.notFound();
  }

  /** The draft's entry of that key, read afresh (each call has loaders of its own). */
  private async entryOf(draft: Draft, key: string): Promise<ActivityEntryEntity> {
    const entries = await this.loaders.of({}).entriesByVersion.load(draft.version.id);
    const entry = entries.find((e) => e.key === key);
    if (!entry) throw PageError.notFound();
    return entry;
  }

  private async valuesOf(entry: ActivityEntryEntity): Promise<EntryFormValues> {
    const sectors = await this.loaders.of({}).sectorsByEntry.load(entry.id);
    return formFromEntry(
      entry,
      sectors.map((s) => s.code),
    );
  }
}
