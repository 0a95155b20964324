import { FileLinks } from './file-links';
import type { CountryInForce } from '../public-lists';
import { Layout } from './layout';
import { PageContext, href } from './page-context';

export function HomePage({ ctx, countries }: { ctx: PageContext; countries: CountryInForce[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('home:title')} section="home">
      <p>{t('home:intro')}</p>
      <form class="inline" method="get" action="/search" role="search">
        <div>
          <label for="q">{t('home:searchLabel')}</label>
          <input id="q" name="q" type="search" size={40} />
        </div>
        {ctx.langInUrl ? <input type="hidden" name="lang" value={ctx.lang} /> : null}
        <button type="submit">{t('home:searchButton')}</button>
      </form>
      <h2>{t('home:countries')}</h2>
      {countries.length === 0 ? (
        <p>{t('home:noCountries')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('home:country')}</th>
              <th scope="col">{t('home:listInForce')}</th>
              <th scope="col">{t('home:since')}</th>
            </tr>
          </thead>
          <tbody>
            {countries.map(({ country, version }) => (
              <tr key={country.code}>
                <th scope="row">
                  <a href={href(ctx, `/countries/${country.code}`)}>{country.name}</a>{' '}
                  <span class="muted">{country.code}</span>
                </th>
                {version ? (
                  <>
                    <td>{t('version', { version: version.version })}</td>
                    <td>
                      <time dateTime={version.effectiveFrom ?? ''}>{version.effectiveFrom}</time>
                    </td>
                  </>
                ) : (
                  <td colSpan={2} class="muted">
                    {t('home:noList')}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('home:developers')}</h2>
      <p>{t('home:developersText')}</p>
      <p>
        <a href={href(ctx, '/eligibility')}>{t('home:askEligibility')}</a>
      </p>
      <p>
        {t('home:apiText')} <a href="/graphql">{t('home:explorer')}</a>
      </p>
      <p>
        {t('home:files')}
        <FileLinks ctx={ctx} base="/lists-in-force" />
      </p>
      <p>
        <a href="/templates/entries.csv" download>
          {t('home:template')}
        </a>
      </p>
      <h2>{t('home:auditors')}</h2>
      <p>{t('home:auditorsText')}</p>
      <p>
        <a href={href(ctx, '/transparency')}>{t('home:transparency')}</a>
      </p>
    </Layout>
  );
}
