import { Controller, Get, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequestContext } from '../auth/principal';
import { BulkResolver } from '../bulk/bulk.resolver';
import { EntryFileImport } from '../bulk/entry-file-import';
import { decodeEntryFile } from '../bulk/entry-file';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/errors';
import { CountriesService } from '../countries/countries.service';
import { ImportMode } from '../positive-lists/entry-import.service';
import { ListQueriesService } from '../positive-lists/list-queries.service';
import { visibleStatus } from '../positive-lists/workflow';
import { PageError } from '../portal/page-error';
import { ConsoleGuard, keepLanguage } from './console-access';
import { ConsoleExceptionFilter, ConsolePages } from './console-pages';
import { Follows } from './console-route';
import { ConsoleImportPage, ImportPageState, consoleImportPath } from './views/import';

/** importEntries' arguments as the page gives them: the version is the URL's. */
const importArgs = (req: FastifyRequest) => ({
  input: { listVersionId: (req.params as { id: string }).id },
});

const text = (body: unknown, name: string): string => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

const ROWS_FIELD = /^rows\[(\d+)\]\.(.+)$/;

/**
 * Importing entries from a file into a draft (issue #16, through the workspace): the same
 * EntryFileImport as the importEntries mutation and the CLI, under the mutation's policy.
 * Checking is a dry run; importing what was checked writes it, all or nothing, then
 * redirects (POST/redirect/GET).
 */
@Controller('console/versions/:id/import')
@UseGuards(ConsoleGuard)
@UseFilters(ConsoleExceptionFilter)
export class ConsoleImportController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly files: EntryFileImport,
    private readonly queries: ListQueriesService,
    private readonly countries: CountriesService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Follows(BulkResolver, 'importEntries', importArgs)
  form(@Param('id') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const query = req.query as Record<string, string | undefined>;
    const done = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(query.done ?? '');
    return this.page(req, reply, id, {
      mode: ImportMode.ADD_ONLY,
      reason: '',
      refused: [],
      done: done
        ? {
            created: Number(done[1]),
            updated: Number(done[2]),
            unchanged: Number(done[3]),
            kept: Number(done[4]),
          }
        : undefined,
    });
  }

  @Post()
  @Follows(BulkResolver, 'importEntries', importArgs)
  async upload(@Param('id') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const session = req.consoleSession!;
    const body = req.body as Record<string, unknown> | undefined;
    const state: ImportPageState = {
      mode:
        text(body, 'mode') === String(ImportMode.UPSERT) ? ImportMode.UPSERT : ImportMode.ADD_ONLY,
      reason: text(body, 'reason').trim(),
      refused: [],
    };
    let checking = text(body, 'action') !== 'import';
    const ctx: RequestContext = { principal: session.principal, requestId: req.id };
    try {
      const file = body?.file;
      const content =
        Buffer.isBuffer(file) && file.length > 0 ? decodeEntryFile(file) : text(body, 'content');
      if (content === '') throw new DomainError(ErrorCode.BAD_USER_INPUT, 'The file is empty');
      if (!checking && state.reason === '') {
        // Every change asks for a reason: show the check again, with the problem by the field.
        state.reasonProblem = 'must not be empty';
        checking = true;
        void reply.code(400);
      }
      const report = await this.files.importEntries(ctx, {
        listVersionId: id,
        content,
        mode: state.mode,
        dryRun: checking,
        // A check changes nothing and records nothing: its reason is never stored.
        reason: state.reason || 'checked before import',
      });
      if (!checking) {
        const done = [report.created, report.updated, report.unchanged, report.kept].join('.');
        return this.pages.redirect(
          reply,
          keepLanguage(req, `${consoleImportPath(id)}?done=${done}`),
        );
      }
      state.report = report;
      state.refused = report.refused;
      state.content = content;
      return this.page(req, reply, id, state);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== ErrorCode.BAD_USER_INPUT) throw error;
      // Rows refused by a real import come as `rows[7].criterion1.threshold`; anything else
      // is about the whole file.
      const rows = (error.fields ?? []).flatMap((p) => {
        const match = ROWS_FIELD.exec(p.field);
        return match ? [{ row: Number(match[1]), column: match[2], message: p.message }] : [];
      });
      if (rows.length > 0) state.refused = rows;
      else state.fileProblem = error.message;
      void reply.code(400);
      return this.page(req, reply, id, state);
    }
  }

  private page(req: FastifyRequest, reply: FastifyReply, id: string, state: ImportPageState) {
    const session = req.consoleSession!;
    return this.pages.send(req, reply, async (ctx) => {
      const version = /^[0-9a-f-]{36}$/i.test(id)
        ? await this.queries.findVisible({ principal: session.principal, requestId: req.id }, id)
        : null;
      if (!version) throw PageError.notFound();
      const country = await this.countries.findCountry(version.hostCountryCode);
      if (!country) throw PageError.notFound();
      return (
        <ConsoleImportPage
          ctx={ctx}
          session={session}
          country={country}
          version={version}
          status={visibleStatus(version.status, version.effectiveUntil, this.clock.today())}
          state={state}
        />
      );
    });
  }
}
