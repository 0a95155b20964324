import type { HostCountryEntity } from '../../countries/host-country.entity';
import { Role } from '../../auth/role';
import { COPY_KEY_SCRIPT_URL } from '../../portal/assets';
import type { PrincipalEntity } from '../../principals/principal.entity';
import { PageContext, href } from '../../portal/views/page-context';
import type { ConsoleSession } from '../console-access';
import { FormAlert, FormState, problemsByField } from './admin-form';
import { ReasonField } from './admin-countries';
import { ConsoleLayout, CsrfField } from './console-layout';

export const CONSOLE_PRINCIPALS_PATH = '/console/principals';
export const consoleRevokePath = (id: string): string => `${CONSOLE_PRINCIPALS_PATH}/${id}/revoke`;

/** A moment as the workspace writes it: to the minute, in UTC. */
export const utcMinute = (ctx: PageContext, at: Date): string =>
  ctx.t('consoleAdmin:at', { time: at.toISOString().slice(0, 16).replace('T', ' ') });

export interface PrincipalValues {
  name: string;
  role: string;
  hostCountry: string;
  externalSubject: string;
  reason: string;
}

export const NO_PRINCIPAL: PrincipalValues = {
  name: '',
  role: Role.OFFICIAL,
  hostCountry: '',
  externalSubject: '',
  reason: '',
};

const PRINCIPAL_FIELDS = {
  name: 'input.name',
  role: 'input.role',
  hostCountry: 'input.hostCountry',
  externalSubject: 'input.externalSubject',
  reason: 'input.reason',
} as const;

/** Every principal, active or revoked, and the form that creates one. */
export function ConsolePrincipalsPage({
  ctx,
  session,
  principals,
  countries,
  form,
  revoked,
}: {
  ctx: PageContext;
  session: ConsoleSession;
  principals: PrincipalEntity[];
  countries: HostCountryEntity[];
  form: FormState<PrincipalValues>;
  revoked: PrincipalEntity | undefined;
}) {
  const { t } = ctx;
  const p = problemsByField(form.problems, PRINCIPAL_FIELDS);
  const v = form.values;
  return (
    <ConsoleLayout
      ctx={ctx}
      title={t('consoleAdmin:principals.title')}
      session={session}
      section="principals"
    >
      {revoked ? (
        <p class="notice" role="status">
          {t('consoleAdmin:principals.revoked', { name: revoked.name })}
        </p>
      ) : null}
      <p>{t('consoleAdmin:principals.intro')}</p>
      <table>
        <caption class="visually-hidden">{t('consoleAdmin:principals.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('consoleAdmin:principals.name')}</th>
            <th scope="col">{t('consoleAdmin:principals.role')}</th>
            <th scope="col">{t('consoleAdmin:principals.country')}</th>
            <th scope="col">{t('consoleAdmin:principals.externalSubject')}</th>
            <th scope="col">{t('consoleAdmin:principals.created')}</th>
            <th scope="col">{t('consoleAdmin:principals.status')}</th>
          </tr>
        </thead>
        <tbody>
          {principals.map((principal) => (
            <tr key={principal.id} data-principal={principal.id}>
              <th scope="row">{principal.name}</th>
              <td>{t(`console:role.${principal.role as Role}`)}</td>
              <td>{principal.hostCountryCode ?? ''}</td>
              <td>{principal.externalSubject ? <code>{principal.externalSubject}</code> : null}</td>
              <td>{utcMinute(ctx, principal.createdAt)}</td>
              <td>
                {principal.revokedAt ? (
                  utcMinute(ctx, principal.revokedAt)
                ) : (
                  <>
                    <span class="muted">{t('consoleAdmin:principals.active')}</span>{' '}
                    <a
                      href={href(ctx, consoleRevokePath(principal.id))}
                      aria-label={t('consoleAdmin:principals.revokeLabel', {
                        name: principal.name,
                      })}
                    >
                      {t('consoleAdmin:principals.revoke')}
                    </a>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section aria-labelledby="create-principal">
        <h2 id="create-principal">{t('consoleAdmin:principals.createTitle')}</h2>
        <form class="stack" method="post" action={href(ctx, CONSOLE_PRINCIPALS_PATH)}>
          <FormAlert problems={p.general} any={p.any}>
            {t('consoleAdmin:principals.notCreated')}
          </FormAlert>
          <div>
            <label for="name">{t('consoleAdmin:principals.name')}</label>
            <input name="name" required maxLength={200} value={v.name} {...p.attrs('name')} />
            {p.errors('name')}
          </div>
          <div>
            <label for="role">{t('consoleAdmin:principals.role')}</label>
            <select name="role" {...p.attrs('role')}>
              {Object.values(Role).map((role) => (
                <option key={role} value={role} selected={v.role === String(role)}>
                  {t(`console:role.${role}`)}
                </option>
              ))}
            </select>
            {p.errors('role')}
          </div>
          <div>
            <label for="hostCountry">{t('consoleAdmin:principals.country')}</label>
            <select name="hostCountry" {...p.attrs('hostCountry', 'hostCountry-hint')}>
              <option value="" selected={v.hostCountry === ''}>
                {t('consoleAdmin:principals.noCountry')}
              </option>
              {countries.map((country) => (
                <option
                  key={country.code}
                  value={country.code}
                  selected={v.hostCountry === country.code}
                >
                  {`${country.name} (${country.code})`}
                </option>
              ))}
            </select>
            {p.errors('hostCountry')}
            <p id="hostCountry-hint" class="muted">
              {t('consoleAdmin:principals.countryHint')}
            </p>
          </div>
          <div>
            <label for="externalSubject">{t('consoleAdmin:principals.externalSubject')}</label>
            <input
              name="externalSubject"
              maxLength={300}
              autocomplete="off"
              value={v.externalSubject}
              {...p.attrs('externalSubject', 'externalSubject-hint')}
            />
            {p.errors('externalSubject')}
            <p id="externalSubject-hint" class="muted">
              {t('consoleAdmin:principals.externalSubjectHint')}
            </p>
          </div>
          <ReasonField ctx={ctx} value={v.reason} p={p} />
          <CsrfField token={session.csrfToken} />
          <button type="submit">{t('consoleAdmin:principals.createButton')}</button>
        </form>
      </section>
    </ConsoleLayout>
  );
}

/**
 * The new principal's API key, shown this once: in a read-only field the person can select
 * (and, with the page's script, a button that copies it). It is the answer to the creating
 * POST itself, so no URL, session or later page ever holds it.
 */
export function ConsoleIssuedKeyPage({
  ctx,
  session,
  principal,
  apiKey,
}: {
  ctx: PageContext;
  session: ConsoleSession;
  principal: PrincipalEntity;
  apiKey: string;
}) {
  const { t } = ctx;
  const name = principal.name;
  return (
    <ConsoleLayout
      ctx={ctx}
      title={t('consoleAdmin:key.title', { name })}
      session={session}
      section="principals"
    >
      <p class="notice" role="status">
        {t('consoleAdmin:key.created', { name, role: t(`console:role.${principal.role as Role}`) })}
      </p>
      <p>
        <strong>{t('consoleAdmin:key.once', { name })}</strong>
      </p>
      <div class="stack">
        <label for="api-key">{t('consoleAdmin:key.label', { name })}</label>
        <input
          id="api-key"
          class="digest"
          readOnly
          value={apiKey}
          size={Math.min(apiKey.length + 2, 80)}
          autocomplete="off"
          spellcheck={false}
          aria-describedby="api-key-hint"
        />
        <p id="api-key-hint" class="muted">
          {t('consoleAdmin:key.hint')}
        </p>
        <p>
          <button
            type="button"
            id="copy-key"
            hidden
            data-copied={t('consoleAdmin:key.copied')}
            data-failed={t('consoleAdmin:key.copyFailed')}
          >
            {t('consoleAdmin:key.copy')}
          </button>
        </p>
        <p id="copy-status" role="status" aria-live="polite" />
      </div>
      <p>
        <a href={href(ctx, CONSOLE_PRINCIPALS_PATH)}>{t('consoleAdmin:key.back')}</a>
      </p>
      <script src={COPY_KEY_SCRIPT_URL} defer />
    </ConsoleLayout>
  );
}

/** The confirm step of revoking: who, what it does, and the reason it asks for. */
export function ConsoleRevokePage({
  ctx,
  session,
  principal,
  form,
}: {
  ctx: PageContext;
  session: ConsoleSession;
  principal: PrincipalEntity;
  form: FormState<{ reason: string }>;
}) {
  const { t } = ctx;
  const p = problemsByField(form.problems, { reason: 'input.reason' });
  return (
    <ConsoleLayout
      ctx={ctx}
      title={t('consoleAdmin:revoke.title', { name: principal.name })}
      session={session}
      section="principals"
    >
      <dl class="facts">
        <dt>{t('consoleAdmin:principals.name')}</dt>
        <dd>{principal.name}</dd>
        <dt>{t('consoleAdmin:principals.role')}</dt>
        <dd>{t(`console:role.${principal.role as Role}`)}</dd>
        <dt>{t('consoleAdmin:principals.country')}</dt>
        <dd>{principal.hostCountryCode ?? t('consoleAdmin:principals.noCountry')}</dd>
        <dt>{t('consoleAdmin:principals.created')}</dt>
        <dd>{utcMinute(ctx, principal.createdAt)}</dd>
      </dl>
      {principal.revokedAt ? (
        <p class="notice">
          {t('consoleAdmin:revoke.already', {
            name: principal.name,
            time: principal.revokedAt.toISOString().slice(0, 16).replace('T', ' '),
          })}
        </p>
      ) : (
        <form class="stack" method="post" action={href(ctx, consoleRevokePath(principal.id))}>
          <p>{t('consoleAdmin:revoke.intro')}</p>
          <FormAlert problems={p.general} any={p.any}>
            {t('consoleAdmin:revoke.notRevoked')}
          </FormAlert>
          <ReasonField ctx={ctx} value={form.values.reason} p={p} />
          <CsrfField token={session.csrfToken} />
          <button type="submit">{t('consoleAdmin:revoke.button')}</button>
        </form>
      )}
      <p>
        <a href={href(ctx, CONSOLE_PRINCIPALS_PATH)}>{t('consoleAdmin:revoke.back')}</a>
      </p>
    </ConsoleLayout>
  );
}
