import type { HostCountryEntity } from '../../countries/host-country.entity';
import { PageContext, href } from '../../portal/views/page-context';
import type { ConsoleSession } from '../console-access';
import { ConsoleLayout } from './console-layout';
import { ConsoleVersion, consoleVersionPath } from './versions';

/** An approver's queue: the country's submitted versions, each linked to its page. */
export function ConsoleReviewQueuePage({
  ctx,
  session,
  country,
  submitted,
}: {
  ctx: PageContext;
  session: ConsoleSession;
  country: HostCountryEntity;
  submitted: ConsoleVersion[];
}) {
  const { t } = ctx;
  return (
    <ConsoleLayout
      ctx={ctx}
      title={t('console:review.title', { name: country.name })}
      session={session}
      section="review"
    >
      {submitted.length === 0 ? (
        <p>{t('console:review.none', { name: country.name })}</p>
      ) : (
        <>
          <p>{t('console:review.intro')}</p>
          <table>
            <caption class="visually-hidden">{t('console:review.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('console:versions.version')}</th>
                <th scope="col">{t('console:versions.listTitle')}</th>
                <th scope="col" class="num">
                  {t('console:versions.entries')}
                </th>
                <th scope="col">{t('console:review.submittedBy')}</th>
              </tr>
            </thead>
            <tbody>
              {submitted.map(({ version, entryCount }) => (
                <tr key={version.id}>
                  <th scope="row">
                    <a href={href(ctx, consoleVersionPath(country.code, version.version))}>
                      {t('version', { version: version.version })}
                    </a>
                  </th>
                  <td>{version.title}</td>
                  <td class="num">{entryCount}</td>
                  <td>{version.submittedByName}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </ConsoleLayout>
  );
}
