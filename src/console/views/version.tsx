import type { HostCountryEntity } from '../../countries/host-country.entity';
import { ListStatus } from '../../positive-lists/list-types';
import { isPublic } from '../../positive-lists/list-visibility';
import { EntriesByKind } from '../../portal/views/entries-by-kind';
import { PageContext, href } from '../../portal/views/page-context';
import { inForceDates } from '../../portal/views/versions';
import type { EntryWithSectors } from '../../portal/public-lists';
import type { ConsoleSession } from '../console-access';
import { ConsoleLayout, consoleVersionsPath } from './console-layout';
import { ConsoleVersion, consoleVersionPath } from './versions';
import { consoleImportPath } from './import';

/** One version, any status the person may see, with its entries read-only. */
export function ConsoleVersionPage({
  ctx,
  session,
  country,
  shown,
  basedOn,
  entries,
}: {
  ctx: PageContext;
  session: ConsoleSession;
  country: HostCountryEntity;
  shown: ConsoleVersion;
  basedOn: ConsoleVersion | undefined;
  entries: EntryWithSectors[];
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
      {status === ListStatus.DRAFT ? (
        <p>
          <a href={href(ctx, consoleImportPath(version.id))}>{t('consoleImport:link')}</a>
        </p>
      ) : null}
      {entries.length === 0 ? (
        <p>{t('console:version.noEntries')}</p>
      ) : (
        <>
          <p class="muted">{t('console:version.readOnly')}</p>
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
