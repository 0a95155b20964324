import type { HostCountryEntity } from '../../countries/host-country.entity';
import { isPublic } from '../../positive-lists/list-visibility';
import { EntriesByKind } from '../../portal/views/entries-by-kind';
import { PageContext, href } from '../../portal/views/page-context';
import { inForceDates } from '../../portal/views/versions';
import type { EntryWithSectors } from '../../portal/public-lists';
import type { ConsoleSession } from '../console-access';
import { AUDIT_READERS, ConsoleLayout, CsrfField, consoleVersionsPath } from './console-layout';
import { entriesPath } from './entry-form';
import { ConsoleVersion, consoleVersionPath } from './versions';
import { DiffSections } from '../../portal/views/diff';
import type { ChangedEntry } from '../../portal/public-versions';
import type { ActivityEntryEntity } from '../../positive-lists/activity-entry.entity';
import { consoleImportPath } from './import';
import { consoleAuditPath } from './audit';

/** One version, any status the person may see, with its entries read-only. */
export function ConsoleVersionPage({
  ctx,
  session,
  country,
  shown,
  basedOn,
  entries,
  editable,
  notices,
  review,
  withdrawal,
  discard,
  refused,
}: {
  ctx: PageContext;
  session: ConsoleSession;
  country: HostCountryEntity;
  shown: ConsoleVersion;
  basedOn: ConsoleVersion | undefined;
  entries: EntryWithSectors[];
  /** A draft this person may change: its entries can be added, edited, removed; submitted. */
  editable: boolean;
  /** What the last form did, as its redirect said (`?added=SOLAR-PV`). */
  notices: Partial<
    Record<
      | 'added'
      | 'updated'
      | 'removed'
      | 'submitted'
      | 'notSubmitted'
      | 'published'
      | 'rejected'
      | 'withdrawn'
      | 'discarded',
      string
    >
  >;
  /** A submitted version: who submitted it and why, and what it changes. */
  review?: SubmissionReview;
  /** A published version this person may withdraw. */
  withdrawal?: Withdrawal;
  /** The discard form last posted on this draft, with what the service said of it. */
  discard?: Decision;
  /** A decision refused on a version no longer submitted: the service's words, on their own. */
  refused?: Decision;
}) {
  const { t } = ctx;
  const { version, status } = shown;
  return (
    <ConsoleLayout
      ctx={ctx}
      title={t('console:version.title', { version: version.version, name: country.name })}
      session={session}
      section="versions"
    >
      {notices.added || notices.updated || notices.removed || notices.submitted ? (
        <p class="notice" role="status">
          {notices.added
            ? t('entryForm:added', { key: notices.added })
            : notices.updated
              ? t('entryForm:updated', { key: notices.updated })
              : notices.removed
                ? t('entryForm:removed', { key: notices.removed })
                : t('entryForm:submitted', { version: notices.submitted })}
        </p>
      ) : null}
      {notices.published || notices.rejected || notices.withdrawn || notices.discarded ? (
        <p class="notice" role="status">
          {notices.published
            ? t('console:decide.published', { version: notices.published })
            : notices.rejected
              ? t('console:decide.rejected', { version: notices.rejected })
              : notices.withdrawn
                ? t('console:decide.withdrawn', { version: notices.withdrawn })
                : t('console:decide.discarded', { version: notices.discarded })}
        </p>
      ) : null}
      {refused ? (
        <div class="notice" role="alert">
          {refused.problems.map((p, i) => (
            <p key={i}>{p.message}</p>
          ))}
        </div>
      ) : null}
      {notices.notSubmitted ? (
        <div class="notice" role="alert">
          <p>{t('entryForm:notSubmitted')}</p>
          <p>{notices.notSubmitted}</p>
        </div>
      ) : null}
      <p class="lead">{version.title}</p>
      <dl class="facts">
        <dt>{t('console:versions.status')}</dt>
        <dd>
          <span class="badge">{t(`status.${status}`)}</span>
        </dd>
        <dt>{t('console:version.createdBy')}</dt>
        <dd>{version.createdByName}</dd>
        {version.submittedByName ? (
          <>
            <dt>{t('console:version.submittedBy')}</dt>
            <dd>{version.submittedByName}</dd>
          </>
        ) : null}
        {version.approvedByName ? (
          <>
            <dt>{t('console:version.approvedBy')}</dt>
            <dd>{version.approvedByName}</dd>
          </>
        ) : null}
        {version.effectiveFrom ? (
          <>
            <dt>{t('console:versions.inForce')}</dt>
            <dd>{inForceDates(ctx, version)}</dd>
          </>
        ) : null}
        {basedOn ? (
          <>
            <dt>{t('console:version.basedOn')}</dt>
            <dd>
              <a href={href(ctx, consoleVersionPath(country.code, basedOn.version.version))}>
                {t('version', { version: basedOn.version.version })}
              </a>
            </dd>
          </>
        ) : null}
      </dl>
      <p>
        <a href={href(ctx, consoleVersionsPath(country.code))}>
          {t('console:version.backToVersions', { name: country.name })}
        </a>
      </p>
      {AUDIT_READERS.includes(session.principal.role) ? (
        <p>
          <a href={consoleAuditPath(ctx, { entityId: version.id })}>
            {t('consoleAudit:versionHistory')}
          </a>
        </p>
      ) : null}
      {editable ? (
        <>
          <p>
            <a href={href(ctx, consoleImportPath(version.id))}>{t('consoleImport:link')}</a>
          </p>
          <DraftEntries
            ctx={ctx}
            session={session}
            shown={shown}
            country={country}
            entries={entries}
          />
          <DiscardDraft
            ctx={ctx}
            session={session}
            country={country}
            version={version}
            decision={discard}
          />
        </>
      ) : null}
      {review ? (
        <Review ctx={ctx} session={session} country={country} version={version} review={review} />
      ) : null}
      {withdrawal ? (
        <WithdrawVersion
          ctx={ctx}
          session={session}
          country={country}
          version={version}
          withdrawal={withdrawal}
        />
      ) : null}
      {entries.length === 0 ? (
        <p>{t('console:version.noEntries')}</p>
      ) : (
        <>
          {editable ? null : <p class="muted">{t('console:version.readOnly')}</p>}
          <EntriesByKind
            ctx={ctx}
            country={country.code}
            entries={entries}
            on={version.effectiveFrom ?? undefined}
            linked={isPublic(version)}
          />
        </>
      )}
    </ConsoleLayout>
  );
}

/** A draft's entries with the ways to change them, and the form to submit the draft. */
function DraftEntries({
  ctx,
  session,
  shown,
  country,
  entries,
}: {
  ctx: PageContext;
  session: ConsoleSession;
  shown: ConsoleVersion;
  country: HostCountryEntity;
  entries: EntryWithSectors[];
}) {
  const { t } = ctx;
  const { version } = shown;
  const base = entriesPath(country.code, version.version);
  return (
    <>
      <section aria-labelledby="draft-entries">
        <h2 id="draft-entries">{t('entryForm:entries')}</h2>
        {entries.length > 0 ? (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('entry:key')}</th>
                <th scope="col">{t('entryForm:name')}</th>
                <th scope="col">{t('entryForm:kind')}</th>
                <th scope="col">{t('entryForm:edit')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map(({ entry }) => (
                <tr key={entry.id}>
                  <th scope="row">
                    <code>{entry.key}</code>
                  </th>
                  <td>{entry.name}</td>
                  <td>{t(`kind.${entry.kind}`)}</td>
                  <td>
                    <a
                      href={href(ctx, `${base}/${entry.key}/edit`)}
                      aria-label={t('entryForm:editEntry', { key: entry.key })}
                    >
                      {t('entryForm:edit')}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <p>
          <a class="button" href={href(ctx, `${base}/new`)}>
            {t('entryForm:addEntry')}
          </a>
        </p>
      </section>
      <section aria-labelledby="submit-draft">
        <h2 id="submit-draft">{t('entryForm:submit')}</h2>
        <form
          class="stack"
          method="post"
          action={href(ctx, `${consoleVersionPath(country.code, version.version)}/submit`)}
        >
          <p class="muted">{t('entryForm:submitHint', { name: country.name })}</p>
          <CsrfField token={session.csrfToken} />
          <input type="hidden" name="listVersionId" value={version.id} />
          <div>
            <label for="submit-reason">{t('entryForm:submitReason')}</label>
            <textarea id="submit-reason" name="reason" rows={2} required />
          </div>
          <button type="submit">{t('entryForm:submitButton')}</button>
        </form>
      </section>
    </>
  );
}

export interface SubmissionReview {
  submittedBy: string | null;
  /** Whether publish's and reject's policy lets this person decide on this version. */
  mayDecide: boolean;
  /** This person submitted it: maker-checker forbids them publishing it too. */
  ownSubmission: boolean;
  today: string;
  /** The form last posted, with what the service said of it. */
  decision?: Decision;
  /** The SUBMIT audit event's reason. */
  reason: string | null;
  /** Against the version in force today; null when none is. */
  diff: {
    from: ConsoleVersion;
    to: ConsoleVersion;
    added: ActivityEntryEntity[];
    removed: ActivityEntryEntity[];
    changed: ChangedEntry[];
  } | null;
}

/** Who submitted the version and why, and its diff against the version in force. */
function Review({
  ctx,
  session,
  country,
  version,
  review,
}: {
  ctx: PageContext;
  session: ConsoleSession;
  country: HostCountryEntity;
  version: ConsoleVersion['version'];
  review: SubmissionReview;
}) {
  const { t } = ctx;
  return (
    <>
      <section aria-labelledby="submission">
        <h2 id="submission">{t('console:review.submission')}</h2>
        <dl class="facts">
          <dt>{t('console:review.submittedBy')}</dt>
          <dd>{review.submittedBy}</dd>
          <dt>{t('console:review.reason')}</dt>
          <dd class="submit-reason">{review.reason}</dd>
        </dl>
      </section>
      {review.mayDecide ? (
        <Decisions
          ctx={ctx}
          session={session}
          country={country}
          version={version}
          review={review}
        />
      ) : null}
      {review.diff ? (
        <section aria-labelledby="review-diff" class="review-diff">
          <h2 id="review-diff">
            {t('console:review.diffTitle', { version: review.diff.from.version.version })}
          </h2>
          <DiffSections
            ctx={ctx}
            country={country.code}
            diff={review.diff}
            linked={false}
            level={3}
          />
        </section>
      ) : (
        <p>{t('console:review.noneInForce')}</p>
      )}
    </>
  );
}

export interface Decision {
  form: 'publish' | 'reject' | 'withdraw' | 'discard';
  values: { effectiveFrom: string; reason: string };
  /** `effectiveFrom`, `reason`, or undefined for the service's word on the whole. */
  problems: { field: string | undefined; message: string }[];
}

/** Publishing (with its effective date) and rejecting (back to draft), each with a reason. */
function Decisions({
  ctx,
  session,
  country,
  version,
  review,
}: {
  ctx: PageContext;
  session: ConsoleSession;
  country: HostCountryEntity;
  version: ConsoleVersion['version'];
  review: SubmissionReview;
}) {
  const { t } = ctx;
  const action = (name: string) =>
    href(ctx, `${consoleVersionPath(country.code, version.version)}/${name}`);
  const posted = (form: Decision['form']) =>
    review.decision?.form === form ? review.decision : undefined;
  const problems = (form: Decision['form'], field: string | undefined) =>
    (posted(form)?.problems ?? []).filter((p) => p.field === field);
  const invalid = (form: Decision['form'], field: string) =>
    problems(form, field).length > 0 ? ('true' as const) : undefined;
  return (
    <>
      <section aria-labelledby="publish">
        <h2 id="publish">{t('console:decide.publish')}</h2>
        {review.ownSubmission ? (
          <>
            <p class="notice four-eyes">{t('console:decide.fourEyes')}</p>
            <DecisionProblems decision={posted('publish')} />
          </>
        ) : (
          <form class="stack" method="post" action={action('publish')}>
            <DecisionProblems decision={posted('publish')} />
            <CsrfField token={session.csrfToken} />
            <input type="hidden" name="listVersionId" value={version.id} />
            <div>
              <label for="publish-effectiveFrom">{t('console:decide.effectiveFrom')}</label>
              <input
                id="publish-effectiveFrom"
                name="effectiveFrom"
                type="date"
                required
                value={posted('publish')?.values.effectiveFrom ?? review.today}
                aria-invalid={invalid('publish', 'effectiveFrom')}
                aria-describedby={
                  invalid('publish', 'effectiveFrom') ? 'publish-effectiveFrom-error' : undefined
                }
              />
              <FieldErrors form="publish" field="effectiveFrom" decision={posted('publish')} />
            </div>
            <DecisionReason ctx={ctx} form="publish" decision={posted('publish')} />
            <button type="submit">{t('console:decide.publishButton')}</button>
          </form>
        )}
      </section>
      <section aria-labelledby="reject">
        <h2 id="reject">{t('console:decide.reject')}</h2>
        <form class="stack" method="post" action={action('reject')}>
          <p class="muted">{t('console:decide.rejectHint')}</p>
          <DecisionProblems decision={posted('reject')} />
          <CsrfField token={session.csrfToken} />
          <input type="hidden" name="listVersionId" value={version.id} />
          <DecisionReason ctx={ctx} form="reject" decision={posted('reject')} />
          <button type="submit">{t('console:decide.rejectButton')}</button>
        </form>
      </section>
    </>
  );
}

/** A decision's problems that concern no one field: the service's word on the whole. */
function DecisionProblems({ decision }: { decision: Decision | undefined }) {
  const general = (decision?.problems ?? []).filter((p) => p.field === undefined);
  return general.length > 0 ? (
    <div class="notice" role="alert">
      {general.map((p, i) => (
        <p key={i}>{p.message}</p>
      ))}
    </div>
  ) : null;
}

/** The problems of one field of a decision's form, next to it. */
function FieldErrors({
  form,
  field,
  decision,
}: {
  form: Decision['form'];
  field: string;
  decision: Decision | undefined;
}) {
  return (
    <>
      {(decision?.problems ?? [])
        .filter((p) => p.field === field)
        .map((p, i) => (
          <p key={i} id={`${form}-${field}-error`} class="field-error">
            {p.message}
          </p>
        ))}
    </>
  );
}

/** The reason every decision asks for, with its problems next to it. */
function DecisionReason({
  ctx,
  form,
  decision,
}: {
  ctx: PageContext;
  form: Decision['form'];
  decision: Decision | undefined;
}) {
  const invalid = (decision?.problems ?? []).some((p) => p.field === 'reason');
  return (
    <div>
      <label for={`${form}-reason`}>{ctx.t('console:decide.reason')}</label>
      <textarea
        id={`${form}-reason`}
        name="reason"
        rows={2}
        required
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={invalid ? `${form}-reason-error` : undefined}
      >
        {decision?.values.reason ?? ''}
      </textarea>
      <FieldErrors form={form} field="reason" decision={decision} />
    </div>
  );
}

/** What withdrawing a published version does, and the form to do it (approvers). */
export interface Withdrawal {
  /** Not in force yet: withdrawn, it never takes effect. */
  scheduled: boolean;
  decision?: Decision;
}

function WithdrawVersion({
  ctx,
  session,
  country,
  version,
  withdrawal,
}: {
  ctx: PageContext;
  session: ConsoleSession;
  country: HostCountryEntity;
  version: ConsoleVersion['version'];
  withdrawal: Withdrawal;
}) {
  const { t } = ctx;
  return (
    <section aria-labelledby="withdraw">
      <h2 id="withdraw">{t('console:decide.withdraw')}</h2>
      <form
        class="stack"
        method="post"
        action={href(ctx, `${consoleVersionPath(country.code, version.version)}/withdraw`)}
      >
        <p class="muted">
          {withdrawal.scheduled
            ? t('console:decide.withdrawScheduledHint')
            : t('console:decide.withdrawInForceHint')}
        </p>
        <DecisionProblems decision={withdrawal.decision} />
        <CsrfField token={session.csrfToken} />
        <input type="hidden" name="listVersionId" value={version.id} />
        <DecisionReason ctx={ctx} form="withdraw" decision={withdrawal.decision} />
        <button type="submit">{t('console:decide.withdrawButton')}</button>
      </form>
    </section>
  );
}

/** Giving a draft up, with a reason: it keeps its number and its history (DISCARDED). */
function DiscardDraft({
  ctx,
  session,
  country,
  version,
  decision,
}: {
  ctx: PageContext;
  session: ConsoleSession;
  country: HostCountryEntity;
  version: ConsoleVersion['version'];
  decision: Decision | undefined;
}) {
  const { t } = ctx;
  return (
    <section aria-labelledby="discard">
      <h2 id="discard">{t('console:decide.discard')}</h2>
      <form
        class="stack"
        method="post"
        action={href(ctx, `${consoleVersionPath(country.code, version.version)}/discard`)}
      >
        <p class="muted">{t('console:decide.discardHint')}</p>
        <DecisionProblems decision={decision} />
        <CsrfField token={session.csrfToken} />
        <input type="hidden" name="listVersionId" value={version.id} />
        <DecisionReason ctx={ctx} form="discard" decision={decision} />
        <button type="submit">{t('console:decide.discardButton')}</button>
      </form>
    </section>
  );
}
