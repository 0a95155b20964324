import type { HostCountryEntity } from '../../countries/host-country.entity';
import type { PositiveListVersionEntity } from '../../positive-lists/positive-list-version.entity';
import type { PublicVersion } from '../public-versions';
import { Layout } from './layout';
import { PageContext, href } from './page-context';

/** When a version is (or was) in force, in one phrase; `until` is exclusive, as stored. */
export function inForceDates(ctx: PageContext, version: PositiveListVersionEntity): string {
  const from = version.effectiveFrom ?? '';
  // Withdrawn before it took effect: its span is empty (the end is exclusive).
  if (version.effectiveUntil && version.effectiveUntil === version.effectiveFrom)
    return ctx.t('versions:neverInForce', { from });
  return version.effectiveUntil
    ? ctx.t('versions:fromUntil', { from, until: version.effectiveUntil })
    : ctx.t('versions:fromDate', { from });
}

/** The calendar date (UTC) a version was published, as the API's publishedAt gives it. */
export const publishedOn = (version: PositiveListVersionEntity): string =>
  version.publishedAt ? new Date(version.publishedAt).toISOString().slice(0, 10) : '';

/** The page of one version. */
export const versionPath = (country: string, version: number): string =>
  `/countries/${country}/versions/${version}`;

/** The comparison of two versions. */
export function diffHref(ctx: PageContext, country: string, from: number, to: number): string {
  return href(ctx, `/countries/${country}/diff`, { from, to });
}

/** A country's public versions, newest first, and a form to compare two of them. */
export function VersionsPage({
  ctx,
  country,
  versions,
}: {
  ctx: PageContext;
  country: HostCountryEntity;
  versions: PublicVersion[];
}) {
  const { t } = ctx;
  // The form proposes the newest change: the version before the newest, with the newest.
  const options = (selected: number | undefined) =>
    versions.map(({ version }) => (
      <option key={version.version} value={version.version} selected={version.version === selected}>
        {t('version', { version: version.version })}
      </option>
    ));
  return (
    <Layout ctx={ctx} title={t('versions:title', { name: country.name })}>
      <p class="no-print">
        <a href={href(ctx, `/countries/${country.code}`)}>{t('versions:backToCountry')}</a>
      </p>
      {versions.length === 0 ? (
        <p class="notice">{t('versions:none', { name: country.name })}</p>
      ) : (
        <>
          <p>{t('versions:intro', { name: country.name })}</p>
          <table>
            <caption>{t('versions:caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('versions:version')}</th>
                <th scope="col">{t('versions:status')}</th>
                <th scope="col">{t('versions:listTitle')}</th>
                <th scope="col">{t('versions:inForce')}</th>
                <th scope="col">{t('versions:published')}</th>
                <th scope="col">{t('versions:approvedBy')}</th>
                <th scope="col">{t('digest')}</th>
              </tr>
            </thead>
            <tbody>
              {versions.map(({ version, status }) => (
                <tr key={version.id}>
                  <th scope="row">
                    <a href={href(ctx, versionPath(country.code, version.version))}>
                      {t('version', { version: version.version })}
                    </a>
                  </th>
                  <td>
                    <span class="badge">{t(`status.${status}`)}</span>
                  </td>
                  <td>{version.title}</td>
                  <td>{inForceDates(ctx, version)}</td>
                  <td>
                    <time dateTime={publishedOn(version)}>{publishedOn(version)}</time>
                  </td>
                  <td>{version.approvedByName}</td>
                  <td>
                    <span class="digest">{version.contentDigest}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {versions.length > 1 ? (
            <>
              <h2>{t('versions:compare')}</h2>
              <form class="inline" method="get" action={`/countries/${country.code}/diff`}>
                <div>
                  <label for="from">{t('versions:compareFrom')}</label>
                  <select id="from" name="from">
                    {options(versions[1]?.version.version)}
                  </select>
                </div>
                <div>
                  <label for="to">{t('versions:compareTo')}</label>
                  <select id="to" name="to">
                    {options(versions[0]?.version.version)}
                  </select>
                </div>
                {ctx.langInUrl ? <input type="hidden" name="lang" value={ctx.lang} /> : null}
                <button type="submit">{t('versions:compareButton')}</button>
              </form>
            </>
          ) : null}
        </>
      )}
    </Layout>
  );
}
