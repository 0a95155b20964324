import type { HostCountryEntity } from '../../countries/host-country.entity';
import { PageContext, href } from '../../portal/views/page-context';
import type { ConsoleSession } from '../console-access';
import { Role } from '../../auth/role';
import {
  AUDIT_READERS,
  ConsoleLayout,
  consoleReviewPath,
  consoleVersionsPath,
} from './console-layout';
import { CONSOLE_AUDIT_PATH } from './audit';

/** The workspace's home: who is signed in, and where their role can go from here. */
export function ConsoleHomePage({
  ctx,
  session,
  countries,
}: {
  ctx: PageContext;
  session: ConsoleSession;
  /** The person's own country when they have one, else every host country. */
  countries: HostCountryEntity[];
}) {
  const { t } = ctx;
  const { principal } = session;
  const own = principal.hostCountry ? countries[0] : undefined;
  return (
    <ConsoleLayout ctx={ctx} title={t('console:home.title')} session={session} section="home">
      <h2>{t('console:home.who')}</h2>
      <dl class="facts">
        <dt>{t('console:home.name')}</dt>
        <dd>{principal.name}</dd>
        <dt>{t('console:home.role')}</dt>
        <dd>{t(`console:role.${principal.role}`)}</dd>
        <dt>{t('console:home.country')}</dt>
        <dd>
          {own
            ? `${own.name} (${own.code})`
            : (principal.hostCountry ?? t('console:home.allCountries'))}
        </dd>
      </dl>
      <h2>{t('console:home.whatNext')}</h2>
      {principal.role === Role.ADMIN ? (
        <ul>
          <li>
            <a href={href(ctx, '/console/countries')}>{t('consoleAdmin:home.countries')}</a>
          </li>
          <li>
            <a href={href(ctx, '/console/principals')}>{t('consoleAdmin:home.principals')}</a>
          </li>
        </ul>
      ) : null}
      {own ? (
        <>
          <p>
            <a href={href(ctx, consoleVersionsPath(own.code))}>
              {t('console:home.countryVersions', { name: own.name })}
            </a>
          </p>
          {principal.role === Role.APPROVER ? (
            <p>
              <a href={href(ctx, consoleReviewPath(own.code))}>
                {t('console:review.homeLink', { name: own.name })}
              </a>
            </p>
          ) : null}
          {principal.role === Role.OFFICIAL ? (
            <p>
              <a href={href(ctx, `/console/countries/${own.code}/sectors`)}>
                {t('consoleAdmin:home.sectors', { name: own.name })}
              </a>
            </p>
          ) : null}
        </>
      ) : countries.length === 0 ? (
        <p>{t('console:home.noCountries')}</p>
      ) : (
        <>
          <p>{t('console:home.everyCountry')}</p>
          <ul>
            {countries.map((country) => (
              <li key={country.code}>
                <a href={href(ctx, consoleVersionsPath(country.code))}>
                  {`${country.name} (${country.code})`}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      {AUDIT_READERS.includes(principal.role) ? (
        <p>
          <a href={href(ctx, CONSOLE_AUDIT_PATH)}>{t('consoleAudit:homeLink')}</a>
        </p>
      ) : null}
    </ConsoleLayout>
  );
}
