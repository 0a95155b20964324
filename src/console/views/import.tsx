import type { HostCountryEntity } from '../../countries/host-country.entity';
import type { EntryImportReport } from '../../bulk/entry-file-import';
import { ImportMode } from '../../positive-lists/entry-import.service';
import { ListStatus } from '../../positive-lists/list-types';
import type { PositiveListVersionEntity } from '../../positive-lists/positive-list-version.entity';
import { PageContext, href } from '../../portal/views/page-context';
import type { ConsoleSession } from '../console-access';
import { ConsoleLayout, CsrfField } from './console-layout';
import { consoleVersionPath } from './versions';

export const consoleImportPath = (versionId: string): string =>
  `/console/versions/${versionId}/import`;

/** What the import page shows: the form as sent, a report, problems, or what was imported. */
export interface ImportPageState {
  mode: ImportMode;
  reason: string;
  /** The checked file's text, carried to the confirming form so it need not be sent again. */
  content?: string;
  report?: EntryImportReport;
  /** Refused rows of a real import, or of the check. */
  refused: { row: number; column: string; message: string }[];
  /** A problem with the whole file or with the reason. */
  fileProblem?: string;
  reasonProblem?: string;
  done?: { created: number; updated: number; unchanged: number; kept: number };
}

function ModeChoice({ ctx, mode }: { ctx: PageContext; mode: ImportMode }) {
  const { t } = ctx;
  return (
    <fieldset>
      <legend>{t('consoleImport:mode')}</legend>
      <label class="choice">
        <input
          type="radio"
          name="mode"
          value={ImportMode.ADD_ONLY}
          checked={mode !== ImportMode.UPSERT}
        />{' '}
        {t('consoleImport:addOnly')}
      </label>
      <label class="choice">
        <input
          type="radio"
          name="mode"
          value={ImportMode.UPSERT}
          checked={mode === ImportMode.UPSERT}
        />{' '}
        {t('consoleImport:upsert')}
      </label>
    </fieldset>
  );
}

function ReasonField({ ctx, state, id }: { ctx: PageContext; state: ImportPageState; id: string }) {
  const { t } = ctx;
  return (
    <div>
      <label for={id}>{t('consoleImport:reason')}</label>
      <textarea
        id={id}
        name="reason"
        rows={3}
        maxLength={2000}
        aria-invalid={state.reasonProblem ? true : undefined}
        aria-describedby={state.reasonProblem ? `${id}-hint ${id}-error` : `${id}-hint`}
      >
        {state.reason}
      </textarea>
      {state.reasonProblem ? (
        <p id={`${id}-error`} class="field-error">
          {state.reasonProblem}
        </p>
      ) : null}
      <p id={`${id}-hint`} class="muted">
        {t('consoleImport:reasonHint')}
      </p>
    </div>
  );
}

function Report({ ctx, report }: { ctx: PageContext; report: EntryImportReport }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="report">
      <h2 id="report">{t('consoleImport:reportTitle')}</h2>
      <ul>
        <li>{t('consoleImport:rows', { count: report.rows })}</li>
        <li>{t('consoleImport:created', { count: report.created })}</li>
        <li>{t('consoleImport:updated', { count: report.updated })}</li>
        <li>{t('consoleImport:unchanged', { count: report.unchanged })}</li>
        <li>{t('consoleImport:kept', { count: report.kept })}</li>
      </ul>
      {report.accepted.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('consoleImport:row')}</th>
              <th scope="col">{t('consoleImport:key')}</th>
              <th scope="col">{t('consoleImport:action')}</th>
            </tr>
          </thead>
          <tbody>
            {report.accepted.map((a) => (
              <tr key={a.row}>
                <td class="num">{a.row}</td>
                <td>{a.key}</td>
                <td>{t(`consoleImport:actions.${a.action}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function Refused({ ctx, refused }: { ctx: PageContext; refused: ImportPageState['refused'] }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="refused" role="alert">
      <h2 id="refused">{t('consoleImport:refusedTitle')}</h2>
      <p>{t('consoleImport:refusedIntro')}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('consoleImport:row')}</th>
            <th scope="col">{t('consoleImport:column')}</th>
            <th scope="col">{t('consoleImport:problem')}</th>
          </tr>
        </thead>
        <tbody>
          {refused.map((p, i) => (
            <tr key={i}>
              <td class="num">{p.row}</td>
              <td>
                <code>{p.column}</code>
              </td>
              <td>{p.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * Importing entries from a file into a draft: choose a file and check it (a dry run: the
 * report says what importing would do, row by row), then import what was checked, with a
 * reason. Without JavaScript: each step is a form post that answers with the next page.
 */
export function ConsoleImportPage({
  ctx,
  session,
  country,
  version,
  status,
  state,
}: {
  ctx: PageContext;
  session: ConsoleSession;
  country: HostCountryEntity;
  version: PositiveListVersionEntity;
  status: ListStatus;
  state: ImportPageState;
}) {
  const { t } = ctx;
  const action = href(ctx, consoleImportPath(version.id));
  const ready = state.report && state.refused.length === 0 && state.content !== undefined;
  const writes = state.report ? state.report.created + state.report.updated : 0;
  return (
    <ConsoleLayout
      ctx={ctx}
      title={t('consoleImport:title', { version: version.version })}
      session={session}
      section="versions"
    >
      <p class="lead">{version.title}</p>
      <p>
        <a href={href(ctx, consoleVersionPath(country.code, version.version))}>
          {t('consoleImport:backToVersion', { version: version.version })}
        </a>
      </p>
      {state.done ? (
        <p class="notice" role="status">
          {t('consoleImport:done', state.done)}
        </p>
      ) : null}
      {status !== ListStatus.DRAFT ? (
        <p class="notice">{t('consoleImport:notDraft', { status: t(`status.${status}`) })}</p>
      ) : (
        <>
          <p>{t('consoleImport:intro')}</p>
          <p>
            <a href="/templates/entries.csv" download>
              {t('consoleImport:template')}
            </a>{' '}
            <span class="muted">{t('consoleImport:exportHint')}</span>
          </p>
          {state.fileProblem ? (
            <div class="notice" role="alert">
              <p>{t('consoleImport:notImported')}</p>
              <p>{state.fileProblem}</p>
            </div>
          ) : null}
          {state.report ? <Report ctx={ctx} report={state.report} /> : null}
          {state.refused.length > 0 ? <Refused ctx={ctx} refused={state.refused} /> : null}
          {ready ? (
            <form class="stack" method="post" action={action} enctype="multipart/form-data">
              <input type="hidden" name="content" value={state.content} />
              <input type="hidden" name="mode" value={state.mode} />
              <ReasonField ctx={ctx} state={state} id="confirm-reason" />
              <CsrfField token={session.csrfToken} />
              <button type="submit" name="action" value="import">
                {t('consoleImport:import', { count: writes })}
              </button>
            </form>
          ) : null}
          <form class="stack" method="post" action={action} enctype="multipart/form-data">
            <div>
              <label for="file">{t('consoleImport:file')}</label>
              <input
                id="file"
                name="file"
                type="file"
                accept=".csv,.json,text/csv,application/json"
                required
              />
            </div>
            <ModeChoice ctx={ctx} mode={state.mode} />
            {ready ? null : <ReasonField ctx={ctx} state={state} id="reason" />}
            <CsrfField token={session.csrfToken} />
            <button type="submit" name="action" value="check">
              {t('consoleImport:check')}
            </button>
          </form>
        </>
      )}
    </ConsoleLayout>
  );
}
