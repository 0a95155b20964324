import type { HostCountryEntity } from '../../countries/host-country.entity';
import { EntryKind } from '../../positive-lists/list-types';
import type { SearchForm, SearchPage } from '../entry-search';
import { Layout } from './layout';
import { PageContext, href } from './page-context';

const KINDS = [EntryKind.POSITIVE, EntryKind.NEGATIVE];

/** The search form and, when it asks something, one page of entries in force. */
export function SearchPageView(props: {
  ctx: PageContext;
  countries: HostCountryEntity[];
  form: SearchForm;
  on: string;
  today: string;
  page: SearchPage | null;
}) {
  const { ctx, form, page } = props;
  const { t } = ctx;
  const on = props.on === props.today ? undefined : props.on;
  return (
    <Layout ctx={ctx} title={t('search:title')} section="search">
      <p>{t('search:intro')}</p>
      <form class="inline" method="get" action="/search" role="search">
        <div>
          <label for="q">{t('search:query')}</label>
          <input id="q" name="q" type="search" size={30} value={form.q} />
        </div>
        <div>
          <label for="country">{t('search:country')}</label>
          <select id="country" name="country">
            <option value="">{t('search:anyCountry')}</option>
            {props.countries.map((c) => (
              <option key={c.code} value={c.code} selected={c.code === form.country}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="kind">{t('search:kind')}</label>
          <select id="kind" name="kind">
            <option value="">{t('search:anyKind')}</option>
            {KINDS.map((kind) => (
              <option key={kind} value={kind} selected={kind === form.kind}>
                {t(`kind.${kind}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="on">{t('search:on')}</label>
          <input id="on" name="on" type="date" value={props.on} />
        </div>
        {form.first ? <input type="hidden" name="first" value={form.first} /> : null}
        {ctx.langInUrl ? <input type="hidden" name="lang" value={ctx.lang} /> : null}
        <button type="submit">{t('search:submit')}</button>
      </form>
      {page ? (
        <section aria-labelledby="results">
          <h2 id="results">{t('search:results', { count: page.total })}</h2>
          {page.hits.length === 0 ? (
            <p>{t('search:none')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('search:entry')}</th>
                  <th scope="col">{t('search:countryColumn')}</th>
                  <th scope="col">{t('search:kindColumn')}</th>
                  <th scope="col">{t('search:technologies')}</th>
                </tr>
              </thead>
              <tbody>
                {page.hits.map(({ entry, country }) => (
                  <tr key={entry.id} class="hit">
                    <th scope="row">
                      <a
                        href={href(
                          ctx,
                          `/countries/${country.code}/entries/${encodeURIComponent(entry.key)}`,
                          { on },
                        )}
                      >
                        {entry.name}
                      </a>{' '}
                      <span class="muted">{entry.key}</span>
                    </th>
                    <td>
                      <a href={href(ctx, `/countries/${country.code}`, { on })}>{country.name}</a>
                    </td>
                    <td>
                      <span class={`badge ${entry.kind === EntryKind.POSITIVE ? 'ok' : 'no'}`}>
                        {t(`kindShort.${entry.kind}`)}
                      </span>
                    </td>
                    <td>{entry.technologies.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <nav class="pager" aria-label={t('search:title')}>
            {form.after ? (
              <a href={href(ctx, '/search', { ...params(form), on })}>{t('search:first')}</a>
            ) : null}
            {page.next ? (
              <a rel="next" href={href(ctx, '/search', { ...params(form), on, after: page.next })}>
                {t('search:next')}
              </a>
            ) : null}
          </nav>
        </section>
      ) : null}
    </Layout>
  );
}

/** The search as asked, for the page links (without the cursor). */
const params = (form: SearchForm) => ({
  q: form.q,
  country: form.country,
  kind: form.kind,
  first: form.first,
});
