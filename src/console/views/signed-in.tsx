import { PageContext } from '../../portal/views/page-context';
import { ConsoleLayout } from './console-layout';

/**
 * Signed in with the identity provider, on the way to where the person was going. The
 * response carries a `Refresh` header that takes the browser there at once; this page shows
 * only if it does not, with the same link. Not a 303: the callback is reached from the
 * provider's site, and a browser does not send a SameSite=Strict cookie (the session's) on a
 * redirect that such a navigation began. The refresh is a navigation of this site's own page,
 * on which it is sent.
 */
export function SignedInPage({
  ctx,
  name,
  next,
}: {
  ctx: PageContext;
  name: string;
  next: string;
}) {
  const { t } = ctx;
  return (
    <ConsoleLayout ctx={ctx} title={t('consoleOidc:signedIn.title')} session={undefined}>
      <p role="status">{t('consoleOidc:signedIn.text', { name })}</p>
      <p>
        <a class="button" href={next}>
          {t('consoleOidc:signedIn.continue')}
        </a>
      </p>
    </ConsoleLayout>
  );
}
