import { Controller, Get, Param, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditEventView } from '../audit/audit-event';
import { AuditFilter } from '../audit/audit.models';
import { AuditResolver } from '../audit/audit.resolver';
import { AuditService } from '../audit/audit.service';
import { RequestContext } from '../auth/principal';
import { COUNTRY_BOUND_ROLES } from '../auth/role';
import { DomainError, ErrorCode, FieldProblem } from '../common/errors';
import { CountriesService } from '../countries/countries.service';
import { InputValidationPipe } from '../graphql/input-validation.pipe';
import { ListQueriesService } from '../positive-lists/list-queries.service';
import { PageError } from '../portal/page-error';
import { PageContext } from '../portal/views/page-context';
import { ConsoleGuard, ConsoleSession, requestContextOf } from './console-access';
import { ConsoleExceptionFilter, ConsolePages } from './console-pages';
import { Follows } from './console-route';
import {
  AuditFilterForm,
  ConsoleAuditEventPage,
  ConsoleAuditPage,
  EventRecordLink,
} from './views/audit';
import type { FormProblem } from './views/entry-form';

/** Events per page of the trail. */
const PAGE_SIZE = 50;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One value of the query string: the first when repeated, trimmed; '' when absent. */
function one(query: Record<string, unknown>, name: string): string {
  const value = query[name];
  const first = Array.isArray(value) ? (value as unknown[])[0] : value;
  return typeof first === 'string' ? first.trim().slice(0, 1000) : '';
}

/** Every value of a repeated parameter (`actions=CREATE&actions=SUBMIT`), blanks dropped. */
function many(query: Record<string, unknown>, name: string): string[] {
  const value = query[name];
  const values = Array.isArray(value) ? (value as unknown[]) : [value];
  return values
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    .map((v) => v.trim())
    .slice(0, 50);
}

/** The filters the URL carries, as typed. */
function filterForm(req: FastifyRequest): AuditFilterForm {
  const query = (req.query ?? {}) as Record<string, unknown>;
  return {
    actions: many(query, 'actions'),
    entityType: one(query, 'entityType'),
    entityId: one(query, 'entityId'),
    actorName: one(query, 'actorName'),
    hostCountry: one(query, 'hostCountry'),
    from: one(query, 'from'),
    to: one(query, 'to'),
  };
}

/**
 * auditEvents' arguments as the trail's URL gives them, for its policy's country check: an
 * official or approver who names another country is refused as the API refuses them.
 */
const trailArgs = (req: FastifyRequest) => ({
  filter: { hostCountry: filterForm(req).hostCountry || undefined },
});

/** auditEvent's argument: the seq in the URL (its country is loaded from the stored event). */
const eventArgs = (req: FastifyRequest) => ({ seq: (req.params as { seq: string }).seq });

/** A calendar day `YYYY-MM-DD` as the instant it starts (UTC), or undefined if it is none. */
function dayStart(value: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value
    ? undefined
    : date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A problem's field as the form names it: `filter.actions` and `filter.actions[2]` → `actions`. */
const formField = (field: string): string => field.replace(/^filter\./, '').replace(/[.[].*$/, '');

/**
 * The audit trail in the workspace (issue #15): the auditEvents query's page of events with
 * its filters as a GET form, and one event (auditEvent) with its field changes. Both read
 * through AuditService exactly as the resolver does, under the same policies and country rule.
 */
@Controller('console/audit')
@UseGuards(ConsoleGuard)
@UseFilters(ConsoleExceptionFilter)
export class ConsoleAuditController {
  private readonly validation = new InputValidationPipe();

  constructor(
    private readonly pages: ConsolePages,
    private readonly audit: AuditService,
    private readonly countries: CountriesService,
    private readonly queries: ListQueriesService,
  ) {}

  @Get()
  @Follows(AuditResolver, 'auditEvents', trailArgs)
  trail(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = req.consoleSession!;
    return this.pages.send(req, reply, async (page) => {
      const form = filterForm(req);
      const after = one((req.query ?? {}) as Record<string, unknown>, 'after') || undefined;
      const problems: FormProblem[] = [];
      let shown: { events: AuditEventView[]; next: string | undefined } | undefined;
      try {
        const filter = await this.validFilter(form, page);
        const result = await this.audit.events(
          requestContextOf(session, req),
          filter,
          PAGE_SIZE,
          after,
        );
        shown = {
          events: result.edges.map((e) => e.node),
          next: result.pageInfo.hasNextPage ? (result.pageInfo.endCursor ?? undefined) : undefined,
        };
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== ErrorCode.BAD_USER_INPUT) throw error;
        void reply.code(400);
        problems.push(
          ...(error.fields?.length
            ? error.fields.map((p) => ({ field: formField(p.field), message: p.message }))
            : [{ field: undefined, message: error.message }]),
        );
      }
      return this.trailPage(page, session, form, problems, shown, after);
    });
  }

  @Get('events/:seq')
  @Follows(AuditResolver, 'auditEvent', eventArgs)
  event(
    @Param('seq') seq: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const session = req.consoleSession!;
    return this.pages.send(req, reply, async (page) => {
      if (!/^[1-9][0-9]{0,14}$/.test(seq)) throw PageError.notFound();
      const ctx = requestContextOf(session, req);
      const event = await this.audit.event(ctx, Number(seq));
      return (
        <ConsoleAuditEventPage
          ctx={page}
          session={session}
          event={event}
          version={await this.versionOf(ctx, event)}
        />
      );
    });
  }

  /**
   * The filters checked by the very input class of the auditEvents query, and the dates (days,
   * the last one included) turned into the instants the query takes.
   */
  private async validFilter(form: AuditFilterForm, page: PageContext): Promise<AuditFilter> {
    const problems: FieldProblem[] = [];
    const dates: { from?: Date; to?: Date } = {};
    for (const name of ['from', 'to'] as const) {
      if (!form[name]) continue;
      const start = dayStart(form[name]);
      if (!start) problems.push({ field: name, message: page.t('consoleAudit:badDate') });
      else dates[name] = name === 'to' ? new Date(start.getTime() + DAY_MS) : start;
    }
    let filter: AuditFilter | undefined;
    try {
      filter = (await this.validation.transform(
        {
          actions: form.actions.length ? form.actions : undefined,
          entityType: form.entityType || undefined,
          entityId: form.entityId || undefined,
          actorName: form.actorName || undefined,
          hostCountry: form.hostCountry || undefined,
        },
        { type: 'query', metatype: AuditFilter, data: 'filter' },
      )) as AuditFilter;
    } catch (error) {
      if (!(error instanceof DomainError) || !error.fields) throw error;
      problems.push(...error.fields);
    }
    if (problems.length > 0 || !filter)
      throw new DomainError(ErrorCode.BAD_USER_INPUT, 'invalid filters', problems);
    return Object.assign(filter, dates);
  }

  private async trailPage(
    page: PageContext,
    session: ConsoleSession,
    form: AuditFilterForm,
    problems: FormProblem[],
    shown: { events: AuditEventView[]; next: string | undefined } | undefined,
    after: string | undefined,
  ) {
    // A country's people see their country's events only: no choice of country to offer.
    const bound = COUNTRY_BOUND_ROLES.includes(session.principal.role);
    return (
      <ConsoleAuditPage
        ctx={page}
        session={session}
        countries={bound ? undefined : await this.countries.listCountries()}
        form={form}
        problems={problems}
        events={shown?.events}
        after={after}
        next={shown?.next}
      />
    );
  }

  /**
   * The list version an event is about, or the version of the entry it is about (entries'
   * snapshots name it), looked up as the listVersion query does: only when this person may
   * see it.
   */
  private async versionOf(
    ctx: RequestContext,
    event: AuditEventView,
  ): Promise<EventRecordLink | undefined> {
    const snapshot = (event.after ?? event.before) as Record<string, unknown> | null;
    const versionId =
      event.entityType === 'PositiveListVersion'
        ? event.entityId
        : event.entityType === 'ActivityEntry' && typeof snapshot?.listVersionId === 'string'
          ? snapshot.listVersionId
          : undefined;
    if (!versionId || !UUID.test(versionId)) return undefined;
    const version = await this.queries.findVisible(ctx, versionId);
    return version ? { country: version.hostCountryCode, version: version.version } : undefined;
  }
}
