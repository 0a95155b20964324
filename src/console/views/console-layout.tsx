import type { ComponentChildren } from 'preact';
import { AuditResolver } from '../../audit/audit.resolver';
import { operationOf } from '../../auth/policy-table';
import { Role } from '../../auth/role';
import { Layout, NavLink } from '../../portal/views/layout';
import { PageContext, href } from '../../portal/views/page-context';
import type { ConsoleSession } from '../console-access';

export const consoleVersionsPath = (country: string): string =>
  `/console/countries/${country}/versions`;

const trailPolicy = operationOf(AuditResolver, 'auditEvents')?.policy;

/** Who may read the audit trail: the roles of the auditEvents query's policy, as declared. */
export const AUDIT_READERS: readonly Role[] =
  trailPolicy?.kind === 'roles' ? [...trailPolicy.anyCountry, ...trailPolicy.ownCountry] : [];

export const consoleReviewPath = (country: string): string =>
  `/console/countries/${country}/review`;

/** A hidden field with the session's form token: every workspace form carries one. */
export const CsrfField = ({ token }: { token: string }) => (
  <input type="hidden" name="_csrf" value={token} />
);

/**
 * The portal's frame with the workspace's brand and links, and who is signed in with a
 * sign-out button (a form post: signing out changes something, so it is never a link).
 */
export function ConsoleLayout(props: {
  ctx: PageContext;
  title: string;
  session: ConsoleSession | undefined;
  section?: string;
  children: ComponentChildren;
}) {
  const { ctx, session } = props;
  const { t } = ctx;
  const links: NavLink[] = [['home', href(ctx, '/console'), t('console:nav.home')]];
  const country = session?.principal.hostCountry;
  if (country)
    links.push([
      'versions',
      href(ctx, consoleVersionsPath(country)),
      t('console:nav.versions', { code: country }),
    ]);
  if (country && session.principal.role === Role.APPROVER)
    links.push([
      'review',
      href(ctx, consoleReviewPath(country)),
      t('console:nav.review', { code: country }),
    ]);
  if (session && AUDIT_READERS.includes(session.principal.role))
    links.push(['audit', href(ctx, '/console/audit'), t('consoleAudit:nav')]);
  if (session?.principal.role === Role.ADMIN) {
    links.push(['countries', href(ctx, '/console/countries'), t('consoleAdmin:nav.countries')]);
    links.push(['principals', href(ctx, '/console/principals'), t('consoleAdmin:nav.principals')]);
  }
  // upsertNdcSector lets an official manage their own country's NDC sectors.
  if (country && session.principal.role === Role.OFFICIAL)
    links.push([
      'sectors',
      href(ctx, `/console/countries/${country}/sectors`),
      t('consoleAdmin:nav.sectors', { code: country }),
    ]);
  links.push(['portal', href(ctx, '/'), t('console:nav.portal')]);
  return (
    <Layout
      ctx={ctx}
      title={props.title}
      section={props.section}
      frame={{
        brand: ['console', href(ctx, '/console'), t('console:brand')],
        links,
        account: session ? (
          <form class="account" method="post" action={href(ctx, '/console/sign-out')}>
            <span>{t('console:account', { name: session.principal.name })}</span>
            <CsrfField token={session.csrfToken} />
            <button type="submit">{t('console:signOut')}</button>
          </form>
        ) : undefined,
      }}
    >
      {props.children}
    </Layout>
  );
}

/** A page in place of the one asked for, in the workspace's frame. */
export function ConsoleErrorPage(props: {
  ctx: PageContext;
  session: ConsoleSession | undefined;
  title: string;
  message: string;
}) {
  const { ctx } = props;
  return (
    <ConsoleLayout ctx={ctx} title={props.title} session={props.session}>
      <p>{props.message}</p>
      <p>
        <a href={href(ctx, '/console')}>{ctx.t('console:nav.home')}</a>
      </p>
    </ConsoleLayout>
  );
}
