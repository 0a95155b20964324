import type { HostCountryEntity } from '../../countries/host-country.entity';
import { ListStatus } from '../../positive-lists/list-types';
import type { PositiveListVersionEntity } from '../../positive-lists/positive-list-version.entity';
import { PageContext, href } from '../../portal/views/page-context';
import { inForceDates } from '../../portal/views/versions';
import type { ConsoleSession } from '../console-access';
import { ConsoleLayout, CsrfField, consoleVersionsPath } from './console-layout';

/** A version as the workspace lists it: with the status the API gives and its entry count. */
export interface ConsoleVersion {
  version: PositiveListVersionEntity;
  status: ListStatus;
  entryCount: number;
}

/** What the "start a draft" form shows: whether it may be used, and what it was sent with. */
export interface DraftForm {
  /** The person's role may start drafts for this country (the createDraft policy). */
  allowed: boolean;
  /** The version open for editing or review, which keeps another from starting. */
  open: ConsoleVersion | undefined;
  inForce: ConsoleVersion | undefined;
  values: { title: string; start: string; reason: string };
  /** Problems by field (`input.title`), and any not about one field. */
  problems: { field: string | undefined; message: string }[];
}

export const consoleVersionPath = (country: string, version: number): string =>
  `${consoleVersionsPath(country)}/${version}`;

const NEW_DRAFT_FIELDS = { title: 'input.title', reason: 'input.reason' } as const;

/** A country's versions, drafts included for those who may see them, and the draft form. */
export function ConsoleVersionsPage({
  ctx,
  session,
  country,
  versions,
  form,
  created,
}: {
  ctx: PageContext;
  session: ConsoleSession;
  country: HostCountryEntity;
  versions: ConsoleVersion[];
  form: DraftForm;
  created: number | undefined;
}) {
  const { t } = ctx;
  const problemsOf = (field: string) => form.problems.filter((p) => p.field === field);
  const general = form.problems.filter(
    (p) => !p.field || !Object.values<string>(NEW_DRAFT_FIELDS).includes(p.field),
  );
  const field = (name: keyof typeof NEW_DRAFT_FIELDS) => {
    const problems = problemsOf(NEW_DRAFT_FIELDS[name]);
    return {
      invalid: problems.length > 0 ? ('true' as const) : undefined,
      errors: problems.map((p, i) => (
        <p key={i} id={`${name}-error`} class="field-error">
          {p.message}
        </p>
      )),
    };
  };
  const title = field('title');
  const reason = field('reason');
  return (
    <ConsoleLayout
      ctx={ctx}
      title={t('console:versions.title', { name: country.name })}
      session={session}
      section="versions"
    >
      {created !== undefined && versions.some((v) => v.version.version === created) ? (
        <p class="notice" role="status">
          {t('console:versions.created', { version: created })}
        </p>
      ) : null}
      {versions.length === 0 ? (
        <p>{t('console:versions.none', { name: country.name })}</p>
      ) : (
        <>
          <p>{t('console:versions.intro')}</p>
          <table>
            <caption class="visually-hidden">{t('console:versions.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('console:versions.version')}</th>
                <th scope="col">{t('console:versions.status')}</th>
                <th scope="col">{t('console:versions.listTitle')}</th>
                <th scope="col" class="num">
                  {t('console:versions.entries')}
                </th>
                <th scope="col">{t('console:versions.createdBy')}</th>
                <th scope="col">{t('console:versions.inForce')}</th>
              </tr>
            </thead>
            <tbody>
              {versions.map(({ version, status, entryCount }) => (
                <tr key={version.id}>
                  <th scope="row">
                    <a href={href(ctx, consoleVersionPath(country.code, version.version))}>
                      {t('version', { version: version.version })}
                    </a>
                  </th>
                  <td>
                    <span class="badge">{t(`status.${status}`)}</span>
                  </td>
                  <td>{version.title}</td>
                  <td class="num">{entryCount}</td>
                  <td>{version.createdByName}</td>
                  <td>{version.effectiveFrom ? inForceDates(ctx, version) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <p>
        <a href={href(ctx, `/countries/${country.code}/versions`)}>
          {t('console:versions.portalLink')}
        </a>
      </p>
      {form.allowed ? (
        <section aria-labelledby="start-draft">
          <h2 id="start-draft">{t('console:versions.startTitle')}</h2>
          {form.open ? (
            <p class="notice" role={form.problems.length > 0 ? 'alert' : undefined}>
              <a href={href(ctx, consoleVersionPath(country.code, form.open.version.version))}>
                {t('console:versions.openVersion', {
                  version: form.open.version.version,
                  status: t(`status.${form.open.status}`),
                })}
              </a>
            </p>
          ) : (
            <form class="stack" method="post" action={href(ctx, consoleVersionsPath(country.code))}>
              {general.length > 0 ? (
                <div class="notice" role="alert">
                  <p>{t('console:versions.notCreated')}</p>
                  <ul>
                    {general.map((p, i) => (
                      <li key={i}>{p.message}</li>
                    ))}
                  </ul>
                </div>
              ) : form.problems.length > 0 ? (
                <p class="notice" role="alert">
                  {t('console:versions.notCreated')}
                </p>
              ) : null}
              <div>
                <label for="title">{t('console:versions.draftTitle')}</label>
                <input
                  id="title"
                  name="title"
                  required
                  maxLength={300}
                  value={form.values.title}
                  aria-invalid={title.invalid}
                  aria-describedby={title.invalid ? 'title-error' : undefined}
                />
                {title.errors}
              </div>
              <fieldset>
                <legend>{t('console:versions.startFrom')}</legend>
                {form.inForce ? (
                  <label class="choice">
                    <input
                      type="radio"
                      name="start"
                      value="copy"
                      checked={form.values.start !== 'empty'}
                    />{' '}
                    {t('console:versions.copyInForce', { version: form.inForce.version.version })}
                  </label>
                ) : null}
                <label class="choice">
                  <input
                    type="radio"
                    name="start"
                    value="empty"
                    checked={!form.inForce || form.values.start === 'empty'}
                  />{' '}
                  {t('console:versions.empty')}
                </label>
              </fieldset>
              <div>
                <label for="reason">{t('console:versions.reason')}</label>
                <textarea
                  id="reason"
                  name="reason"
                  required
                  rows={3}
                  maxLength={2000}
                  aria-invalid={reason.invalid}
                  aria-describedby={reason.invalid ? 'reason-hint reason-error' : 'reason-hint'}
                >
                  {form.values.reason}
                </textarea>
                {reason.errors}
                <p id="reason-hint" class="muted">
                  {t('console:versions.reasonHint')}
                </p>
              </div>
              <CsrfField token={session.csrfToken} />
              <button type="submit">{t('console:versions.startButton')}</button>
            </form>
          )}
        </section>
      ) : null}
    </ConsoleLayout>
  );
}
