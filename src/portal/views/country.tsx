import type { HostCountryEntity } from '../../countries/host-country.entity';
import { EntryKind } from '../../positive-lists/list-types';
import type { PositiveListVersionEntity } from '../../positive-lists/positive-list-version.entity';
import type { EntryWithSectors } from '../public-lists';
import { EntryCard } from './entry-card';
import { Layout } from './layout';
import { PageContext, href } from './page-context';

const KINDS = [EntryKind.POSITIVE, EntryKind.NEGATIVE];

/** Entries under their first NDC sector (by code), sectors in code order. */
function bySector(items: EntryWithSectors[]): [string, string, EntryWithSectors[]][] {
  const groups = new Map<string, [string, string, EntryWithSectors[]]>();
  for (const item of items) {
    const sector = item.sectors[0];
    const code = sector?.code ?? '';
    const group = groups.get(code) ?? [code, sector?.name ?? '', []];
    group[2].push(item);
    groups.set(code, group);
  }
  return [...groups.values()].sort((a, b) => a[0].localeCompare(b[0]));
}

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
          {KINDS.map((kind) => {
            const ofKind = entries.filter((item) => item.entry.kind === kind);
            return (
              <section key={kind} aria-labelledby={`kind-${kind}`}>
                <h2 id={`kind-${kind}`}>
                  {t(`kind.${kind}`)}{' '}
                  <span class="muted">{t('country:entries', { count: ofKind.length })}</span>
                </h2>
                {ofKind.length === 0 ? <p>{t('country:noEntries')}</p> : null}
                {bySector(ofKind).map(([code, name, items]) => (
                  <section key={code}>
                    <h3>{code ? `${code} · ${name}` : t('country:noSector')}</h3>
                    {items.map((item) => (
                      <EntryCard
                        key={item.entry.id}
                        ctx={ctx}
                        country={country.code}
                        item={item}
                        on={asOf}
                      />
                    ))}
                  </section>
                ))}
              </section>
            );
          })}
        </>
      ) : (
        <p class="notice">{t('country:noListInForce', { name: country.name, date: on })}</p>
      )}
    </Layout>
  );
}
