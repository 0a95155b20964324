import type { HostCountryEntity } from '../../countries/host-country.entity';
import { Role } from '../../auth/role';
import { IpccSector } from '../../countries/ipcc';
import type { NdcSectorEntity } from '../../countries/ndc-sector.entity';
import { PageContext, href } from '../../portal/views/page-context';
import type { ConsoleSession } from '../console-access';
import { FormAlert, FormState, problemsByField } from './admin-form';
import { ConsoleLayout, CsrfField } from './console-layout';

export const CONSOLE_COUNTRIES_PATH = '/console/countries';
export const consoleSectorsPath = (country: string): string =>
  `/console/countries/${country}/sectors`;
export const consoleSectorPath = (country: string, sector: string): string =>
  `${consoleSectorsPath(country)}/${sector}`;

export interface CountryValues {
  code: string;
  name: string;
  ndcTitle: string;
  ndcVersion: string;
  ndcSubmittedOn: string;
  ndcUrl: string;
  ndcNetZero: string;
  reason: string;
}

export const NO_COUNTRY: CountryValues = {
  code: '',
  name: '',
  ndcTitle: '',
  ndcVersion: '',
  ndcSubmittedOn: '',
  ndcUrl: '',
  ndcNetZero: '',
  reason: '',
};

/** Each field of the form by id, with its path in registerHostCountry's input. */
const COUNTRY_FIELDS = {
  code: 'input.code',
  name: 'input.name',
  ndcTitle: 'input.ndc.title',
  ndcVersion: 'input.ndc.version',
  ndcSubmittedOn: 'input.ndc.submittedOn',
  ndcUrl: 'input.ndc.url',
  ndcNetZero: 'input.ndc.netZeroTargetYear',
  reason: 'input.reason',
} as const;

/** The host countries, each linked to its sectors, and (for those who may) the registration form. */
export function ConsoleCountriesPage({
  ctx,
  session,
  countries,
  form,
  registered,
}: {
  ctx: PageContext;
  session: ConsoleSession;
  countries: HostCountryEntity[];
  /** Absent when the person may not register countries. */
  form: FormState<CountryValues> | undefined;
  registered: HostCountryEntity | undefined;
}) {
  const { t } = ctx;
  return (
    <ConsoleLayout
      ctx={ctx}
      title={t('consoleAdmin:countries.title')}
      session={session}
      section="countries"
    >
      {registered ? (
        <p class="notice" role="status">
          {t('consoleAdmin:countries.registered', {
            name: registered.name,
            code: registered.code,
          })}
        </p>
      ) : null}
      <p>{t('consoleAdmin:countries.intro')}</p>
      {countries.length === 0 ? (
        <p>{t('consoleAdmin:countries.none')}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{t('consoleAdmin:countries.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('consoleAdmin:countries.code')}</th>
              <th scope="col">{t('consoleAdmin:countries.name')}</th>
              <th scope="col">{t('consoleAdmin:countries.ndc')}</th>
              <th scope="col">{t('consoleAdmin:countries.sectors')}</th>
            </tr>
          </thead>
          <tbody>
            {countries.map((country) => (
              <tr key={country.code}>
                <th scope="row">{country.code}</th>
                <td>{country.name}</td>
                <td>
                  {country.ndc
                    ? [country.ndc.title, country.ndc.version].filter(Boolean).join(', ')
                    : ''}
                </td>
                <td>
                  <a href={href(ctx, consoleSectorsPath(country.code))}>
                    {t('consoleAdmin:countries.sectorsOf', { name: country.name })}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {form ? <RegisterCountryForm ctx={ctx} session={session} form={form} /> : null}
    </ConsoleLayout>
  );
}

function RegisterCountryForm({
  ctx,
  session,
  form,
}: {
  ctx: PageContext;
  session: ConsoleSession;
  form: FormState<CountryValues>;
}) {
  const { t } = ctx;
  const p = problemsByField(form.problems, COUNTRY_FIELDS);
  const v = form.values;
  const text = (id: keyof CountryValues, label: string, extra: Record<string, unknown> = {}) => (
    <div>
      <label for={id}>{label}</label>
      <input name={id} value={v[id]} {...extra} {...p.attrs(id)} />
      {p.errors(id)}
    </div>
  );
  return (
    <section aria-labelledby="register-country">
      <h2 id="register-country">{t('consoleAdmin:countries.registerTitle')}</h2>
      <form class="stack" method="post" action={href(ctx, CONSOLE_COUNTRIES_PATH)}>
        <FormAlert problems={p.general} any={p.any}>
          {t('consoleAdmin:countries.notRegistered')}
        </FormAlert>
        <div>
          <label for="code">{t('consoleAdmin:countries.code')}</label>
          <input
            name="code"
            required
            maxLength={3}
            autocomplete="off"
            value={v.code}
            {...p.attrs('code', 'code-hint')}
          />
          {p.errors('code')}
          <p id="code-hint" class="muted">
            {t('consoleAdmin:countries.codeHint')}
          </p>
        </div>
        {text('name', t('consoleAdmin:countries.name'), { required: true, maxLength: 200 })}
        <fieldset aria-describedby="ndc-hint">
          <legend>{t('consoleAdmin:countries.ndcLegend')}</legend>
          <p id="ndc-hint" class="muted">
            {t('consoleAdmin:countries.ndcHint')}
          </p>
          {text('ndcTitle', t('consoleAdmin:countries.ndcTitle'), { maxLength: 300 })}
          {text('ndcVersion', t('consoleAdmin:countries.ndcVersion'), { maxLength: 50 })}
          {text('ndcSubmittedOn', t('consoleAdmin:countries.ndcSubmittedOn'), { type: 'date' })}
          {text('ndcUrl', t('consoleAdmin:countries.ndcUrl'), { type: 'url', maxLength: 2000 })}
          {text('ndcNetZero', t('consoleAdmin:countries.ndcNetZero'), {
            type: 'number',
            min: 2020,
            max: 2100,
            step: 1,
          })}
        </fieldset>
        <ReasonField ctx={ctx} value={v.reason} p={p} />
        <CsrfField token={session.csrfToken} />
        <button type="submit">{t('consoleAdmin:countries.button')}</button>
      </form>
    </section>
  );
}

/** The reason every change asks for, with the problems of `input.reason`. */
export function ReasonField({
  ctx,
  value,
  p,
}: {
  ctx: PageContext;
  value: string;
  p: ReturnType<typeof problemsByField<'reason'>>;
}) {
  const { t } = ctx;
  return (
    <div>
      <label for="reason">{t('consoleAdmin:reason')}</label>
      <textarea
        name="reason"
        required
        rows={3}
        maxLength={2000}
        {...p.attrs('reason', 'reason-hint')}
      >
        {value}
      </textarea>
      {p.errors('reason')}
      <p id="reason-hint" class="muted">
        {t('consoleAdmin:reasonHint')}
      </p>
    </div>
  );
}

export interface SectorValues {
  code: string;
  name: string;
  ipccSector: string;
  ipccCategories: string;
  description: string;
  reason: string;
}

export const NO_SECTOR: SectorValues = {
  code: '',
  name: '',
  ipccSector: IpccSector.ENERGY,
  ipccCategories: '',
  description: '',
  reason: '',
};

const SECTOR_FIELDS = {
  code: 'input.code',
  name: 'input.name',
  ipccSector: 'input.ipccSector',
  ipccCategories: 'input.ipccCategories',
  description: 'input.description',
  reason: 'input.reason',
} as const;

/** The navigation's current link: an official's own sectors, or an administrator's countries. */
const sectorsSection = (session: ConsoleSession): string =>
  session.principal.role === Role.ADMIN ? 'countries' : 'sectors';

/** A sector's form: a new one (its code typed in), or an existing one (its code fixed). */
export interface SectorForm extends FormState<SectorValues> {
  editing: NdcSectorEntity | undefined;
}

/** A country's NDC sectors with their IPCC categories, and the form to add one. */
export function ConsoleSectorsPage({
  ctx,
  session,
  country,
  sectors,
  form,
  notice,
}: {
  ctx: PageContext;
  session: ConsoleSession;
  country: HostCountryEntity;
  sectors: NdcSectorEntity[];
  form: SectorForm;
  notice: string | undefined;
}) {
  const { t } = ctx;
  return (
    <ConsoleLayout
      ctx={ctx}
      title={t('consoleAdmin:sectors.title', { name: country.name })}
      session={session}
      section={sectorsSection(session)}
    >
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <p>{t('consoleAdmin:sectors.intro', { name: country.name })}</p>
      {sectors.length === 0 ? (
        <p>{t('consoleAdmin:sectors.none', { name: country.name })}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{t('consoleAdmin:sectors.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('consoleAdmin:sectors.code')}</th>
              <th scope="col">{t('consoleAdmin:sectors.name')}</th>
              <th scope="col">{t('consoleAdmin:sectors.ipccSector')}</th>
              <th scope="col">{t('consoleAdmin:sectors.categories')}</th>
              <th scope="col">{t('consoleAdmin:sectors.description')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('consoleAdmin:sectors.edit')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sectors.map((sector) => (
              <tr key={sector.id}>
                <th scope="row">
                  <code>{sector.code}</code>
                </th>
                <td>{sector.name}</td>
                <td>{t(`consoleAdmin:sectors.sector.${sector.ipccSector as IpccSector}`)}</td>
                <td>{sector.ipccCategories.join(', ')}</td>
                <td>{sector.description ?? ''}</td>
                <td>
                  <a
                    href={href(ctx, consoleSectorPath(country.code, sector.code))}
                    aria-label={t('consoleAdmin:sectors.editLabel', { code: sector.code })}
                  >
                    {t('consoleAdmin:sectors.edit')}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <a href={href(ctx, CONSOLE_COUNTRIES_PATH)}>{t('consoleAdmin:sectors.countriesLink')}</a>
      </p>
      <SectorFormSection ctx={ctx} session={session} country={country} form={form} />
    </ConsoleLayout>
  );
}

/** One sector's edit page: the same form, its code fixed. */
export function ConsoleSectorPage({
  ctx,
  session,
  country,
  form,
}: {
  ctx: PageContext;
  session: ConsoleSession;
  country: HostCountryEntity;
  form: SectorForm;
}) {
  const { t } = ctx;
  return (
    <ConsoleLayout
      ctx={ctx}
      title={t('consoleAdmin:sectors.editTitle', { code: form.values.code })}
      session={session}
      section={sectorsSection(session)}
    >
      <SectorFormSection ctx={ctx} session={session} country={country} form={form} />
      <p>
        <a href={href(ctx, consoleSectorsPath(country.code))}>
          {t('consoleAdmin:sectors.back', { name: country.name })}
        </a>
      </p>
    </ConsoleLayout>
  );
}

function SectorFormSection({
  ctx,
  session,
  country,
  form,
}: {
  ctx: PageContext;
  session: ConsoleSession;
  country: HostCountryEntity;
  form: SectorForm;
}) {
  const { t } = ctx;
  const p = problemsByField(form.problems, SECTOR_FIELDS);
  const v = form.values;
  const editing = form.editing;
  const body = (
    <form
      class="stack"
      method="post"
      action={href(
        ctx,
        editing ? consoleSectorPath(country.code, editing.code) : consoleSectorsPath(country.code),
      )}
    >
      <FormAlert problems={p.general} any={p.any}>
        {t('consoleAdmin:sectors.notSaved')}
      </FormAlert>
      <div>
        <label for="code">{t('consoleAdmin:sectors.code')}</label>
        {editing ? (
          <>
            <input
              id="code"
              name="code"
              value={editing.code}
              readOnly
              aria-describedby="code-hint"
            />
            <p id="code-hint" class="muted">
              {t('consoleAdmin:sectors.codeFixed')}
            </p>
          </>
        ) : (
          <>
            <input
              name="code"
              required
              maxLength={32}
              autocomplete="off"
              value={v.code}
              {...p.attrs('code', 'code-hint')}
            />
            {p.errors('code')}
            <p id="code-hint" class="muted">
              {t('consoleAdmin:sectors.codeHint')}
            </p>
          </>
        )}
      </div>
      <div>
        <label for="name">{t('consoleAdmin:sectors.name')}</label>
        <input name="name" required maxLength={200} value={v.name} {...p.attrs('name')} />
        {p.errors('name')}
      </div>
      <div>
        <label for="ipccSector">{t('consoleAdmin:sectors.ipccSector')}</label>
        <select name="ipccSector" {...p.attrs('ipccSector')}>
          {Object.values(IpccSector).map((sector) => (
            <option key={sector} value={sector} selected={v.ipccSector === String(sector)}>
              {t(`consoleAdmin:sectors.sector.${sector}`)}
            </option>
          ))}
        </select>
        {p.errors('ipccSector')}
      </div>
      <div>
        <label for="ipccCategories">{t('consoleAdmin:sectors.categories')}</label>
        <input
          name="ipccCategories"
          required
          autocomplete="off"
          value={v.ipccCategories}
          {...p.attrs('ipccCategories', 'ipccCategories-hint')}
        />
        {p.errors('ipccCategories')}
        <p id="ipccCategories-hint" class="muted">
          {t('consoleAdmin:sectors.categoriesHint')}
        </p>
      </div>
      <div>
        <label for="description">{t('consoleAdmin:sectors.description')}</label>
        <textarea name="description" rows={3} maxLength={4000} {...p.attrs('description')}>
          {v.description}
        </textarea>
        {p.errors('description')}
      </div>
      <ReasonField ctx={ctx} value={v.reason} p={p} />
      <CsrfField token={session.csrfToken} />
      <button type="submit">
        {editing ? t('consoleAdmin:sectors.saveButton') : t('consoleAdmin:sectors.addButton')}
      </button>
    </form>
  );
  if (editing) return body;
  return (
    <section aria-labelledby="add-sector">
      <h2 id="add-sector">{t('consoleAdmin:sectors.addTitle')}</h2>
      {body}
    </section>
  );
}
