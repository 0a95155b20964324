import type { HostCountryEntity } from '../../countries/host-country.entity';
import type { PositiveListVersionEntity } from '../../positive-lists/positive-list-version.entity';
import type { EntryWithSectors } from '../public-lists';
import { EntriesByKind } from './entries-by-kind';
import { Layout } from './layout';
import { PageContext, href } from './page-context';

/** The version a country has in force on a date, its entries apart by kind and by sector. */
export function CountryPage(props: {
  ctx: PageContext;
  country: HostCountryEntity;
  on: string;
  today: string;
  version: PositiveListVersionEntity | null;
  entries: EntryWithSectors[];
}) {
  const { ctx, country, on, version, entries } = props;
  const { t } = ctx;
  const asOf = on === props.today ? undefined : on;
  return (
    <Layout ctx={ctx} title={t('country:title', { name: country.name })}>
      <form class="inline" method="get" action={`/countries/${country.code}`}>
        <div>
          <label for="on">{t('country:onDate')}</label>
          <input id="on" name="on" type="date" value={on} required />
        </div>
        {ctx.langInUrl ? <input type="hidden" name="lang" value={ctx.lang} /> : null}
        <button type="submit">{t('show')}</button>
      </form>
      {version ? (
        <>
          <h2>{t('country:versionLine', { version: version.version, title: version.title })}</h2>
          <p>
            {version.effectiveUntil
              ? t('effectiveUntil', { from: version.effectiveFrom, until: version.effectiveUntil })
              : t('effective', { from: version.effectiveFrom })}
          </p>
          {version.legalBasis ? (
            <p>
              <strong>{t('country:legalBasis')}:</strong> {version.legalBasis}
            </p>
          ) : null}
          {version.contentDigest ? (
            <p>
              <strong>{t('digest')}:</strong> <span class="digest">{version.contentDigest}</span>
            </p>
          ) : null}
          <p class="no-print">
            <a href={href(ctx, `/countries/${country.code}/versions`)}>{t('country:versions')}</a>
          </p>
          <EntriesByKind ctx={ctx} country={country.code} entries={entries} on={asOf} />
        </>
      ) : (
        <p class="notice">{t('country:noListInForce', { name: country.name, date: on })}</p>
      )}
    </Layout>
  );
}
