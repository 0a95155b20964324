import { Controller, Get, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PolicyCheck } from '../auth/policy-check';
import { DomainError, ErrorCode } from '../common/errors';
import { CountriesResolver } from '../countries/countries.resolver';
import { CountriesService } from '../countries/countries.service';
import { RegisterHostCountryInput, UpsertNdcSectorInput } from '../countries/countries.models';
import { CountryLoaders } from '../countries/country.loaders';
import { HostCountryEntity } from '../countries/host-country.entity';
import { NdcSectorEntity } from '../countries/ndc-sector.entity';
import { InputValidationPipe } from '../graphql/input-validation.pipe';
import { isCalendarDate } from '../graphql/scalars';
import { PageError } from '../portal/page-error';
import { PageContext } from '../portal/views/page-context';
import { CreatePrincipalInput, RevokePrincipalInput } from '../principals/principals.models';
import { PrincipalsResolver } from '../principals/principals.resolver';
import { PrincipalsService } from '../principals/principals.service';
import {
  ConsoleGuard,
  ConsoleSession,
  countryOfPage,
  keepLanguage,
  requestContextOf,
} from './console-access';
import { ConsoleExceptionFilter, ConsolePages } from './console-pages';
import { Follows, policyAllows } from './console-route';
import {
  CONSOLE_COUNTRIES_PATH,
  ConsoleCountriesPage,
  ConsoleSectorPage,
  ConsoleSectorsPage,
  CountryValues,
  NO_COUNTRY,
  NO_SECTOR,
  SectorForm,
  SectorValues,
  consoleSectorsPath,
} from './views/admin-countries';
import { FormProblem, FormState } from './views/admin-form';
import {
  CONSOLE_PRINCIPALS_PATH,
  ConsoleIssuedKeyPage,
  ConsolePrincipalsPage,
  ConsoleRevokePage,
  NO_PRINCIPAL,
  PrincipalValues,
} from './views/admin-principals';

const field = (body: unknown, name: string): string => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

const fields = <V extends object>(body: unknown, empty: V): V =>
  Object.fromEntries(Object.keys(empty).map((name) => [name, field(body, name)])) as V;

const queryValue = (req: FastifyRequest, name: string): string | undefined => {
  const value = (req.query as Record<string, unknown>)[name];
  return typeof value === 'string' ? value.slice(0, 100) : undefined;
};

/** upsertNdcSector's country, as the page's route names it: for its own-country check. */
const sectorArgs = (req: FastifyRequest) => ({
  input: { hostCountry: (req.params as { code: string }).code },
});

/** revokePrincipal's arguments as the route carries them. */
const revokeArgs = (req: FastifyRequest) => ({
  input: { principalId: (req.params as { id: string }).id },
});

/** An optional form field: empty is "not given" (null), as the API's optional arguments. */
const optional = (value: string): string | null => (value.trim() === '' ? null : value);

/** The codes typed in one field, separated by commas, semicolons or spaces. */
export const categoryCodes = (value: string): string[] =>
  value.split(/[\s,;]+/).filter((code) => code !== '');

/** The problems a form shows next to itself (or at its top) rather than as a page of their own. */
const FORM_ERRORS = new Set<string>([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.CONFLICT,
  ErrorCode.INVALID_STATE,
]);

const statusOf = (error: DomainError): number =>
  error.code === ErrorCode.BAD_USER_INPUT ? 400 : 409;

const problemsOf = (error: DomainError): FormProblem[] =>
  error.fields?.length
    ? error.fields.map((p) => ({ field: p.field, message: p.message }))
    : [{ field: undefined, message: error.message }];

const PRINCIPAL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The administrator's pages of the workspace: host countries, their NDC sectors (also for the
 * country's officials, as upsertNdcSector allows), and principals with their one-time keys.
 * Each route follows one API operation's policy and changes things through the very service
 * method and input class of its mutation, so a page and the API cannot disagree.
 */
@Controller('console')
@UseGuards(ConsoleGuard)
@UseFilters(ConsoleExceptionFilter)
export class AdminController {
  private readonly validation = new InputValidationPipe();

  constructor(
    private readonly pages: ConsolePages,
    private readonly countries: CountriesService,
    private readonly countryLoaders: CountryLoaders,
    private readonly principals: PrincipalsService,
    private readonly policies: PolicyCheck,
  ) {}

  @Get('countries')
  @Follows(CountriesResolver, 'hostCountries')
  countryList(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = req.consoleSession!;
    const registered = queryValue(req, 'registered');
    return this.pages.send(req, reply, (ctx) =>
      this.countriesPage(ctx, session, { values: NO_COUNTRY, problems: [] }, registered),
    );
  }

  @Post('countries')
  @Follows(CountriesResolver, 'registerHostCountry')
  async registerCountry(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = req.consoleSession!;
    const values = fields<CountryValues>(req.body, NO_COUNTRY);
    try {
      const ndcGiven = [
        values.ndcTitle,
        values.ndcVersion,
        values.ndcSubmittedOn,
        values.ndcUrl,
        values.ndcNetZero,
      ].some((v) => v.trim() !== '');
      // The GraphQL Date scalar checks this before the input class does; here, the page.
      const submittedOn = optional(values.ndcSubmittedOn);
      if (submittedOn !== null && !isCalendarDate(submittedOn.trim()))
        throw new DomainError(ErrorCode.BAD_USER_INPUT, 'invalid date', [
          { field: 'input.ndc.submittedOn', message: 'must be a calendar date as YYYY-MM-DD' },
        ]);
      const netZero = optional(values.ndcNetZero);
      const input = (await this.validation.transform(
        {
          code: values.code,
          name: values.name,
          reason: values.reason,
          ndc: ndcGiven
            ? {
                title: values.ndcTitle,
                version: optional(values.ndcVersion),
                submittedOn: submittedOn?.trim() ?? null,
                url: optional(values.ndcUrl),
                netZeroTargetYear:
                  netZero !== null && /^\s*\d{1,4}\s*$/.test(netZero) ? Number(netZero) : netZero,
              }
            : null,
        },
        { type: 'body', metatype: RegisterHostCountryInput, data: 'input' },
      )) as RegisterHostCountryInput;
      const country = await this.countries.registerHostCountry(
        requestContextOf(session, req),
        input,
      );
      return this.pages.redirect(
        reply,
        keepLanguage(req, `${CONSOLE_COUNTRIES_PATH}?registered=${country.code}`),
      );
    } catch (error) {
      if (!(error instanceof DomainError) || !FORM_ERRORS.has(error.code)) throw error;
      void reply.code(statusOf(error));
      return this.pages.send(req, reply, (ctx) =>
        this.countriesPage(ctx, session, { values, problems: problemsOf(error) }, undefined),
      );
    }
  }

  @Get('countries/:code/sectors')
  @Follows(CountriesResolver, 'upsertNdcSector', sectorArgs)
  sectorList(
    @Param('code') code: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const session = req.consoleSession!;
    return this.pages.send(req, reply, async (ctx) => {
      const { country, sectors } = await this.sectorsOf(code);
      const shown = (name: string) => {
        const value = queryValue(req, name);
        return sectors.find((s) => s.code === value)?.code;
      };
      const added = shown('added');
      const saved = shown('saved');
      const notice = added
        ? ctx.t('consoleAdmin:sectors.added', { code: added })
        : saved
          ? ctx.t('consoleAdmin:sectors.saved', { code: saved })
          : undefined;
      return (
        <ConsoleSectorsPage
          ctx={ctx}
          session={session}
          country={country}
          sectors={sectors}
          form={{ values: NO_SECTOR, problems: [], editing: undefined }}
          notice={notice}
        />
      );
    });
  }

  @Post('countries/:code/sectors')
  @Follows(CountriesResolver, 'upsertNdcSector', sectorArgs)
  addSector(
    @Param('code') code: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.upsertSector(req, reply, code, undefined);
  }

  @Get('countries/:code/sectors/:sector')
  @Follows(CountriesResolver, 'upsertNdcSector', sectorArgs)
  sector(
    @Param('code') code: string,
    @Param('sector') sectorCode: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const session = req.consoleSession!;
    return this.pages.send(req, reply, async (ctx) => {
      const { country, sectors } = await this.sectorsOf(code);
      const editing = sectors.find((s) => s.code === sectorCode);
      if (!editing) throw PageError.notFound();
      const values: SectorValues = {
        code: editing.code,
        name: editing.name,
        ipccSector: editing.ipccSector,
        ipccCategories: editing.ipccCategories.join(', '),
        description: editing.description ?? '',
        reason: '',
      };
      return (
        <ConsoleSectorPage
          ctx={ctx}
          session={session}
          country={country}
          form={{ values, problems: [], editing }}
        />
      );
    });
  }

  @Post('countries/:code/sectors/:sector')
  @Follows(CountriesResolver, 'upsertNdcSector', sectorArgs)
  editSector(
    @Param('code') code: string,
    @Param('sector') sectorCode: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.upsertSector(req, reply, code, sectorCode);
  }

  /**
   * Adding a sector (its code typed in: a code already in use is refused, never overwritten)
   * or editing one (its code from the route), through upsertNdcSector's service method and
   * input class. Problems come back next to their fields; nothing changes.
   */
  private async upsertSector(
    req: FastifyRequest,
    reply: FastifyReply,
    code: string,
    sectorCode: string | undefined,
  ): Promise<void> {
    const session = req.consoleSession!;
    const { country, sectors } = await this.sectorsOf(code);
    const editing =
      sectorCode === undefined ? undefined : sectors.find((s) => s.code === sectorCode);
    if (sectorCode !== undefined && !editing) throw PageError.notFound();
    const values = fields<SectorValues>(req.body, NO_SECTOR);
    if (editing) values.code = editing.code;
    const refuse = (status: number, problems: (ctx: PageContext) => FormProblem[]) => {
      void reply.code(status);
      return this.pages.send(req, reply, (ctx) => {
        const form: SectorForm = { values, problems: problems(ctx), editing };
        return Promise.resolve(
          editing ? (
            <ConsoleSectorPage ctx={ctx} session={session} country={country} form={form} />
          ) : (
            <ConsoleSectorsPage
              ctx={ctx}
              session={session}
              country={country}
              sectors={sectors}
              form={form}
              notice={undefined}
            />
          ),
        );
      });
    };
    try {
      const input = (await this.validation.transform(
        {
          hostCountry: country.code,
          code: values.code,
          name: values.name,
          ipccSector: values.ipccSector,
          ipccCategories: categoryCodes(values.ipccCategories),
          description: optional(values.description),
          reason: values.reason,
        },
        { type: 'body', metatype: UpsertNdcSectorInput, data: 'input' },
      )) as UpsertNdcSectorInput;
      // The mutation is an upsert by code; the add form must not quietly replace a sector.
      if (!editing && sectors.some((s) => s.code === input.code))
        return refuse(409, (ctx) => [
          { field: 'input.code', message: ctx.t('consoleAdmin:sectors.exists') },
        ]);
      const saved = await this.countries.upsertNdcSector(requestContextOf(session, req), input);
      return this.pages.redirect(
        reply,
        keepLanguage(
          req,
          `${consoleSectorsPath(country.code)}?${editing ? 'saved' : 'added'}=${saved.code}`,
        ),
      );
    } catch (error) {
      if (!(error instanceof DomainError) || !FORM_ERRORS.has(error.code)) throw error;
      return refuse(statusOf(error), () => problemsOf(error));
    }
  }

  @Get('principals')
  @Follows(PrincipalsResolver, 'principals')
  principalList(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = req.consoleSession!;
    const revoked = queryValue(req, 'revoked');
    return this.pages.send(req, reply, (ctx) =>
      this.principalsPage(ctx, session, { values: NO_PRINCIPAL, problems: [] }, revoked),
    );
  }

  /**
   * Creates a principal and answers with its API key on this very response, not by a redirect:
   * the key exists only here (the registry keeps its hash), and a later GET could only show it
   * if it were kept in a URL, the session or the database, each a place it must never be. The
   * page is `no-store` (ConsolePages) so neither the browser nor a proxy keeps a copy.
   */
  @Post('principals')
  @Follows(PrincipalsResolver, 'createPrincipal')
  async createPrincipal(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = req.consoleSession!;
    const values = fields<PrincipalValues>(req.body, NO_PRINCIPAL);
    try {
      const input = (await this.validation.transform(
        {
          name: values.name,
          role: values.role,
          hostCountry: optional(values.hostCountry),
          externalSubject: optional(values.externalSubject),
          reason: values.reason,
        },
        { type: 'body', metatype: CreatePrincipalInput, data: 'input' },
      )) as CreatePrincipalInput;
      const issued = await this.principals.create(requestContextOf(session, req), input);
      void reply.code(201).header('referrer-policy', 'no-referrer');
      return this.pages.send(req, reply, (ctx) =>
        Promise.resolve(
          <ConsoleIssuedKeyPage
            ctx={ctx}
            session={session}
            principal={issued.principal}
            apiKey={issued.apiKey}
          />,
        ),
      );
    } catch (error) {
      if (!(error instanceof DomainError) || !FORM_ERRORS.has(error.code)) throw error;
      void reply.code(statusOf(error));
      return this.pages.send(req, reply, (ctx) =>
        this.principalsPage(ctx, session, { values, problems: problemsOf(error) }, undefined),
      );
    }
  }

  @Get('principals/:id/revoke')
  @Follows(PrincipalsResolver, 'revokePrincipal', revokeArgs)
  revokeForm(
    @Param('id') id: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const session = req.consoleSession!;
    return this.pages.send(req, reply, async (ctx) => (
      <ConsoleRevokePage
        ctx={ctx}
        session={session}
        principal={await this.principal(id)}
        form={{ values: { reason: '' }, problems: [] }}
      />
    ));
  }

  /** Revoking through revokePrincipal's service method: its refusals show next to the form. */
  @Post('principals/:id/revoke')
  @Follows(PrincipalsResolver, 'revokePrincipal', revokeArgs)
  async revoke(
    @Param('id') id: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const session = req.consoleSession!;
    const principal = await this.principal(id);
    const values = { reason: field(req.body, 'reason') };
    try {
      const input = (await this.validation.transform(
        { principalId: principal.id, reason: values.reason },
        { type: 'body', metatype: RevokePrincipalInput, data: 'input' },
      )) as RevokePrincipalInput;
      const revoked = await this.principals.revoke(
        requestContextOf(session, req),
        input.principalId,
        input.reason,
      );
      return this.pages.redirect(
        reply,
        keepLanguage(req, `${CONSOLE_PRINCIPALS_PATH}?revoked=${revoked.id}`),
      );
    } catch (error) {
      if (!(error instanceof DomainError) || !FORM_ERRORS.has(error.code)) throw error;
      void reply.code(statusOf(error));
      return this.pages.send(req, reply, async (ctx) => (
        <ConsoleRevokePage
          ctx={ctx}
          session={session}
          principal={(await this.principals.findById(principal.id)) ?? principal}
          form={{ values, problems: problemsOf(error) }}
        />
      ));
    }
  }

  private async principal(id: string) {
    const found = PRINCIPAL_ID.test(id) ? await this.principals.findById(id) : null;
    if (!found) throw PageError.notFound();
    return found;
  }

  /** The country and its sectors, read as HostCountry.sectors reads them. */
  private async sectorsOf(
    code: string,
  ): Promise<{ country: HostCountryEntity; sectors: NdcSectorEntity[] }> {
    const country = await countryOfPage(this.countries, code);
    const sectors = await this.countryLoaders.of({}).sectorsByCountry.load(country.code);
    return { country, sectors };
  }

  private async countriesPage(
    ctx: PageContext,
    session: ConsoleSession,
    form: FormState<CountryValues>,
    registeredCode: string | undefined,
  ) {
    const countries = await this.countries.listCountries();
    const mayRegister = await this.mayFollow(session, 'registerHostCountry');
    return (
      <ConsoleCountriesPage
        ctx={ctx}
        session={session}
        countries={countries}
        form={mayRegister ? form : undefined}
        registered={countries.find((c) => c.code === registeredCode)}
      />
    );
  }

  private async principalsPage(
    ctx: PageContext,
    session: ConsoleSession,
    form: FormState<PrincipalValues>,
    revokedId: string | undefined,
  ) {
    const [principals, countries] = await Promise.all([
      this.principals.list(),
      this.countries.listCountries(),
    ]);
    return (
      <ConsolePrincipalsPage
        ctx={ctx}
        session={session}
        principals={principals}
        countries={countries}
        form={form}
        revoked={principals.find((p) => p.id === revokedId && p.revokedAt !== null)}
      />
    );
  }

  /** Whether the policy of this CountriesResolver operation lets the person use it. */
  private mayFollow(session: ConsoleSession, handler: 'registerHostCountry') {
    return policyAllows(this.policies, session.principal, CountriesResolver, handler, {});
  }
}
