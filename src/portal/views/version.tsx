import { FileLinks } from './file-links';
import type { HostCountryEntity } from '../../countries/host-country.entity';
import type { EntryWithSectors } from '../public-lists';
import type { PublicVersion } from '../public-versions';
import { EntriesByKind } from './entries-by-kind';
import { Layout } from './layout';
import { PageContext, href } from './page-context';
import { diffHref, inForceDates, publishedOn, versionPath } from './versions';

/** One public version: what it is, who approved it, and its entries as the country page lays them out. */
export function VersionPage({
  ctx,
  country,
  shown,
  basedOn,
  previous,
  entries,
}: {
  ctx: PageContext;
  country: HostCountryEntity;
  shown: PublicVersion;
  basedOn: PublicVersion | null;
  previous: PublicVersion | null;
  entries: EntryWithSectors[];
}) {
  const { t } = ctx;
  const { version, status } = shown;
  return (
    <Layout
      ctx={ctx}
      title={t('versions:versionTitle', { name: country.name, version: version.version })}
    >
      <p class="lead">{version.title}</p>
      <dl class="facts">
        <dt>{t('versions:status')}</dt>
        <dd>
          <span class="badge">{t(`status.${status}`)}</span>
        </dd>
        <dt>{t('versions:inForce')}</dt>
        <dd>{inForceDates(ctx, version)}</dd>
        {version.legalBasis ? (
          <>
            <dt>{t('versions:legalBasis')}</dt>
            <dd>{version.legalBasis}</dd>
          </>
        ) : null}
        <dt>{t('versions:published')}</dt>
        <dd>
          <time dateTime={publishedOn(version)}>{publishedOn(version)}</time>
        </dd>
        <dt>{t('versions:approvedBy')}</dt>
        <dd>{version.approvedByName}</dd>
        {basedOn ? (
          <>
            <dt>{t('versions:basedOn')}</dt>
            <dd>
              <a href={href(ctx, versionPath(country.code, basedOn.version.version))}>
                {t('version', { version: basedOn.version.version })}
              </a>
            </dd>
          </>
        ) : null}
        <dt>{t('digest')}</dt>
        <dd>
          <span class="digest">{version.contentDigest}</span>
        </dd>
      </dl>
      <ul class="no-print">
        <li>
          {previous ? (
            <a href={diffHref(ctx, country.code, previous.version.version, version.version)}>
              {t('versions:changesSince', { version: previous.version.version })}
            </a>
          ) : (
            t('versions:firstVersion')
          )}
        </li>
        <li>
          <a href={href(ctx, `/countries/${country.code}/versions`)}>{t('versions:allVersions')}</a>
        </li>
        <li>
          {t('versions:download')}
          <FileLinks
            ctx={ctx}
            base={`/countries/${country.code}/versions/${version.version}/entries`}
          />
        </li>
      </ul>
      <EntriesByKind
        ctx={ctx}
        country={country.code}
        entries={entries}
        on={version.effectiveFrom ?? undefined}
      />
    </Layout>
  );
}
