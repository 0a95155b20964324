import type { JSX } from 'preact';
import type { AuditEventView } from '../../audit/audit-event';
import { AuditAction } from '../../audit/audit-action';
import type { HostCountryEntity } from '../../countries/host-country.entity';
import { FieldValue } from '../../portal/views/diff';
import { PageContext, href } from '../../portal/views/page-context';
import type { ConsoleSession } from '../console-access';
import { ConsoleLayout } from './console-layout';
import type { FormProblem } from './entry-form';
import { consoleVersionPath } from './versions';

export const CONSOLE_AUDIT_PATH = '/console/audit';

export const consoleAuditEventPath = (seq: number): string => `${CONSOLE_AUDIT_PATH}/events/${seq}`;

/** The kinds of record the log names, in the order the filter offers them. */
export const ENTITY_TYPES = [
  'PositiveListVersion',
  'ActivityEntry',
  'HostCountry',
  'NdcSector',
  'Principal',
  'WebhookEndpoint',
  'WebhookDelivery',
] as const;
type EntityType = (typeof ENTITY_TYPES)[number];
const isEntityType = (value: string): value is EntityType =>
  (ENTITY_TYPES as readonly string[]).includes(value);

const ACTOR_ROLES = ['ADMIN', 'OFFICIAL', 'APPROVER', 'AUDITOR', 'SYSTEM', 'ANONYMOUS'] as const;
type ActorRole = (typeof ACTOR_ROLES)[number];
const isActorRole = (value: string): value is ActorRole =>
  (ACTOR_ROLES as readonly string[]).includes(value);

const isAction = (value: string): value is AuditAction =>
  (Object.values(AuditAction) as string[]).includes(value);

/** The filters as the form (and so the URL) carries them: text, as typed. */
export interface AuditFilterForm {
  actions: string[];
  entityType: string;
  entityId: string;
  actorName: string;
  hostCountry: string;
  from: string;
  to: string;
}

/** The trail's address with these filters (and a page's cursor), in the reader's language. */
export function consoleAuditPath(
  ctx: PageContext,
  form: Partial<AuditFilterForm>,
  after?: string,
): string {
  const query = new URLSearchParams();
  for (const action of form.actions ?? []) query.append('actions', action);
  for (const name of ['entityType', 'entityId', 'actorName', 'hostCountry', 'from', 'to'] as const)
    if (form[name]) query.set(name, form[name]);
  if (after) query.set('after', after);
  if (ctx.langInUrl) query.set('lang', ctx.lang);
  const search = query.toString();
  return search ? `${CONSOLE_AUDIT_PATH}?${search}` : CONSOLE_AUDIT_PATH;
}

const when = (occurredAt: string): string => occurredAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');

function actionName(ctx: PageContext, action: string): string {
  return isAction(action) ? ctx.t(`consoleAudit:actionNames.${action}`) : action;
}

function entityTypeName(ctx: PageContext, type: string): string {
  return isEntityType(type) ? ctx.t(`consoleAudit:entityTypes.${type}`) : type;
}

function roleName(ctx: PageContext, role: string): string {
  return isActorRole(role) ? ctx.t(`consoleAudit:actorRoles.${role}`) : role;
}

/** A field's label, control and problems, the control described by its hint and its errors. */
function Field(props: {
  name: string;
  label: string;
  problems: FormProblem[];
  hint?: string;
  control: (attrs: {
    id: string;
    name: string;
    'aria-invalid': 'true' | undefined;
    'aria-describedby': string | undefined;
  }) => JSX.Element;
}) {
  const id = `filter-${props.name}`;
  const found = props.problems.filter((p) => p.field === props.name);
  const describedBy =
    [props.hint ? `${id}-hint` : '', found.length ? `${id}-error` : ''].filter(Boolean).join(' ') ||
    undefined;
  return (
    <div>
      <label for={id}>{props.label}</label>
      {props.control({
        id,
        name: props.name,
        'aria-invalid': found.length ? 'true' : undefined,
        'aria-describedby': describedBy,
      })}
      {found.length ? (
        <p id={`${id}-error`} class="field-error">
          {found.map((p) => p.message).join(' ')}
        </p>
      ) : null}
      {props.hint ? (
        <p id={`${id}-hint`} class="muted">
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}

/** The filter form: a GET form, so the filters are the page's address. */
function Filters({
  ctx,
  form,
  problems,
  countries,
}: {
  ctx: PageContext;
  form: AuditFilterForm;
  problems: FormProblem[];
  countries: HostCountryEntity[] | undefined;
}) {
  const { t } = ctx;
  const actionProblems = problems.filter((p) => p.field === 'actions');
  const types: string[] = [...ENTITY_TYPES];
  if (form.entityType && !types.includes(form.entityType)) types.push(form.entityType);
  return (
    <form method="get" action={CONSOLE_AUDIT_PATH} aria-labelledby="filters">
      <h2 id="filters">{t('consoleAudit:filters')}</h2>
      {ctx.langInUrl ? <input type="hidden" name="lang" value={ctx.lang} /> : null}
      <fieldset
        aria-describedby={
          actionProblems.length ? 'filter-actions-hint filter-actions-error' : 'filter-actions-hint'
        }
      >
        <legend>{t('consoleAudit:actions')}</legend>
        <p id="filter-actions-hint" class="muted">
          {t('consoleAudit:actionsHint')}
        </p>
        {actionProblems.length ? (
          <p id="filter-actions-error" class="field-error">
            {actionProblems.map((p) => p.message).join(' ')}
          </p>
        ) : null}
        <div class="row">
          {Object.values(AuditAction).map((action) => (
            <label key={action} class="choice">
              <input
                type="checkbox"
                name="actions"
                value={action}
                checked={form.actions.includes(action)}
              />{' '}
              {actionName(ctx, action)}
            </label>
          ))}
        </div>
      </fieldset>
      <div class="fields">
        <Field
          name="entityType"
          label={t('consoleAudit:entityType')}
          problems={problems}
          control={(attrs) => (
            <select {...attrs}>
              <option value="">{t('consoleAudit:anyEntityType')}</option>
              {types.map((type) => (
                <option key={type} value={type} selected={form.entityType === type}>
                  {entityTypeName(ctx, type)}
                </option>
              ))}
            </select>
          )}
        />
        <Field
          name="entityId"
          label={t('consoleAudit:entityId')}
          problems={problems}
          control={(attrs) => <input {...attrs} type="text" value={form.entityId} />}
        />
        <Field
          name="actorName"
          label={t('consoleAudit:actorName')}
          problems={problems}
          control={(attrs) => <input {...attrs} type="text" value={form.actorName} />}
        />
        {countries ? (
          <Field
            name="hostCountry"
            label={t('consoleAudit:hostCountry')}
            problems={problems}
            control={(attrs) => (
              <select {...attrs}>
                <option value="">{t('consoleAudit:anyCountry')}</option>
                {countries.map((c) => (
                  <option key={c.code} value={c.code} selected={form.hostCountry === c.code}>
                    {`${c.name} (${c.code})`}
                  </option>
                ))}
                {form.hostCountry && !countries.some((c) => c.code === form.hostCountry) ? (
                  <option value={form.hostCountry} selected>
                    {form.hostCountry}
                  </option>
                ) : null}
              </select>
            )}
          />
        ) : null}
        <Field
          name="from"
          label={t('consoleAudit:from')}
          hint={t('consoleAudit:dateHint')}
          problems={problems}
          control={(attrs) => <input {...attrs} type="text" value={form.from} />}
        />
        <Field
          name="to"
          label={t('consoleAudit:to')}
          hint={t('consoleAudit:dateHint')}
          problems={problems}
          control={(attrs) => <input {...attrs} type="text" value={form.to} />}
        />
      </div>
      <p>
        <button type="submit">{t('consoleAudit:apply')}</button>{' '}
        <a href={href(ctx, CONSOLE_AUDIT_PATH)}>{t('consoleAudit:clear')}</a>
      </p>
    </form>
  );
}

/** The trail: filters, then a page of events in seq order, with a link to the next page. */
export function ConsoleAuditPage({
  ctx,
  session,
  countries,
  form,
  problems,
  events,
  after,
  next,
}: {
  ctx: PageContext;
  session: ConsoleSession;
  /** Every host country for those who may see them all; undefined for a country's people. */
  countries: HostCountryEntity[] | undefined;
  form: AuditFilterForm;
  problems: FormProblem[];
  /** Undefined when the filters are not valid: nothing is shown. */
  events: AuditEventView[] | undefined;
  /** The cursor this page started after, if it is not the first. */
  after: string | undefined;
  /** The cursor of the next page, when there is one. */
  next: string | undefined;
}) {
  const { t } = ctx;
  const own = session.principal.hostCountry;
  const general = problems.filter(
    (p) =>
      !['actions', 'entityType', 'entityId', 'actorName', 'from', 'to'].includes(p.field ?? '') &&
      !(countries && p.field === 'hostCountry'),
  );
  return (
    <ConsoleLayout ctx={ctx} title={t('consoleAudit:title')} session={session} section="audit">
      <p>{t('consoleAudit:intro')}</p>
      {countries ? null : <p>{t('consoleAudit:ownCountry', { code: own ?? '' })}</p>}
      {problems.length > 0 ? (
        <div class="notice" role="alert">
          <p>{t('consoleAudit:notShown')}</p>
          {general.map((p, i) => (
            <p key={i}>{p.message}</p>
          ))}
        </div>
      ) : null}
      <Filters ctx={ctx} form={form} problems={problems} countries={countries} />
      {events === undefined ? null : events.length === 0 ? (
        <p>{t('consoleAudit:none')}</p>
      ) : (
        <table>
          <caption>{t('consoleAudit:caption')}</caption>
          <thead>
            <tr>
              <th scope="col" class="num">
                {t('consoleAudit:seq')}
              </th>
              <th scope="col">{t('consoleAudit:when')}</th>
              <th scope="col">{t('consoleAudit:action')}</th>
              <th scope="col">{t('consoleAudit:record')}</th>
              <th scope="col">{t('consoleAudit:country')}</th>
              <th scope="col">{t('consoleAudit:actor')}</th>
              <th scope="col">{t('consoleAudit:reason')}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr key={event.seq}>
                <th scope="row" class="num">
                  <a
                    href={href(ctx, consoleAuditEventPath(event.seq))}
                    aria-label={t('consoleAudit:event', { seq: event.seq })}
                  >
                    {event.seq}
                  </a>
                </th>
                <td>{when(event.occurredAt)}</td>
                <td>{actionName(ctx, event.action)}</td>
                <td>
                  {entityTypeName(ctx, event.entityType)}
                  <div class="digest">{event.entityId}</div>
                </td>
                <td>{event.hostCountry ?? ''}</td>
                <td>
                  {event.actor.name}
                  <div class="muted">{roleName(ctx, event.actor.role)}</div>
                </td>
                <td>{event.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {after || next ? (
        <nav class="pager" aria-label={t('consoleAudit:pages')}>
          {after ? <a href={consoleAuditPath(ctx, form)}>{t('consoleAudit:restart')}</a> : null}
          {next ? (
            <a href={consoleAuditPath(ctx, form, next)} rel="next">
              {t('consoleAudit:next')}
            </a>
          ) : null}
        </nav>
      ) : null}
    </ConsoleLayout>
  );
}

/** Where an event's record is shown in the workspace: a list version of a visible country. */
export interface EventRecordLink {
  country: string;
  version: number;
}

/** One event: what, when, who and why, its place in the hash chain, and its field changes. */
export function ConsoleAuditEventPage({
  ctx,
  session,
  event,
  version,
}: {
  ctx: PageContext;
  session: ConsoleSession;
  event: AuditEventView;
  /** The list version the event is about (or of the entry it is about), when visible. */
  version: EventRecordLink | undefined;
}) {
  const { t } = ctx;
  return (
    <ConsoleLayout
      ctx={ctx}
      title={t('consoleAudit:eventTitle', { seq: event.seq })}
      session={session}
      section="audit"
    >
      <p>
        <a href={href(ctx, CONSOLE_AUDIT_PATH)}>{t('consoleAudit:backToTrail')}</a>
      </p>
      <dl class="facts">
        <dt>{t('consoleAudit:action')}</dt>
        <dd>{actionName(ctx, event.action)}</dd>
        <dt>{t('consoleAudit:when')}</dt>
        <dd>{when(event.occurredAt)}</dd>
        <dt>{t('consoleAudit:actor')}</dt>
        <dd>{event.actor.name}</dd>
        <dt>{t('consoleAudit:role')}</dt>
        <dd>
          {roleName(ctx, event.actor.role)}
          {event.actor.hostCountry ? ` (${event.actor.hostCountry})` : ''}
        </dd>
        <dt>{t('consoleAudit:requestId')}</dt>
        <dd>
          {event.requestId ? (
            <span class="digest" data-field="requestId">
              {event.requestId}
            </span>
          ) : (
            <span class="muted">{t('consoleAudit:noRequest')}</span>
          )}
        </dd>
        <dt>{t('consoleAudit:reason')}</dt>
        <dd>{event.reason ?? <span class="muted">{t('consoleAudit:noReason')}</span>}</dd>
        <dt>{t('consoleAudit:country')}</dt>
        <dd>{event.hostCountry ?? <span class="muted">{t('consoleAudit:noCountry')}</span>}</dd>
        <dt>{t('consoleAudit:record')}</dt>
        <dd>
          {entityTypeName(ctx, event.entityType)}
          <div class="digest">{event.entityId}</div>
          {version ? (
            <div>
              <a href={href(ctx, consoleVersionPath(version.country, version.version))}>
                {t('consoleAudit:version', { version: version.version, code: version.country })}
              </a>
            </div>
          ) : null}
          <div>
            <a href={consoleAuditPath(ctx, { entityId: event.entityId })}>
              {t('consoleAudit:recordHistory')}
            </a>
          </div>
        </dd>
        <dt>{t('consoleAudit:hash')}</dt>
        <dd class="digest">{event.hash}</dd>
        <dt>{t('consoleAudit:prevHash')}</dt>
        <dd class="digest">
          {event.seq > 1 ? (
            <a href={href(ctx, consoleAuditEventPath(event.seq - 1))}>{event.prevHash}</a>
          ) : (
            event.prevHash
          )}
        </dd>
      </dl>
      <p class="muted">{t('consoleAudit:chainHint')}</p>
      <section aria-labelledby="changes">
        <h2 id="changes">{t('consoleAudit:changesTitle')}</h2>
        {event.changes.length === 0 ? (
          <p>{t('consoleAudit:noChanges')}</p>
        ) : (
          <table class="changes">
            <caption>{t('consoleAudit:changesCaption', { seq: event.seq })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('consoleAudit:field')}</th>
                <th scope="col">{t('consoleAudit:before')}</th>
                <th scope="col">{t('consoleAudit:after')}</th>
              </tr>
            </thead>
            <tbody>
              {event.changes.map((change) => (
                <tr key={change.path}>
                  <th scope="row">
                    <code>{change.path}</code>
                  </th>
                  <td class="before">
                    <FieldValue ctx={ctx} path={change.path} value={change.before} />
                  </td>
                  <td class="after">
                    <FieldValue ctx={ctx} path={change.path} value={change.after} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </ConsoleLayout>
  );
}
