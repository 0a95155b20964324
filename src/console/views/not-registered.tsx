import { PageContext, href } from '../../portal/views/page-context';
import { ConsoleLayout } from './console-layout';

/**
 * The identity provider vouched for the person, but no registered, unrevoked principal has
 * that subject: no session, and what to ask the administrator for (the subject is what an
 * administrator registers as the principal's externalSubject; it is no secret).
 */
export function NotRegisteredPage({
  ctx,
  provider,
  subject,
}: {
  ctx: PageContext;
  provider: string;
  subject: string;
}) {
  const { t } = ctx;
  return (
    <ConsoleLayout ctx={ctx} title={t('consoleOidc:notRegistered.title')} session={undefined}>
      <p role="alert">{t('consoleOidc:notRegistered.body', { provider })}</p>
      <dl>
        <dt>{t('consoleOidc:notRegistered.subject', { provider })}</dt>
        <dd>
          <code>{subject}</code>
        </dd>
      </dl>
      <p>{t('consoleOidc:notRegistered.ask')}</p>
      <p>
        <a href={href(ctx, '/console/sign-in')}>{t('consoleOidc:notRegistered.back')}</a>
      </p>
    </ConsoleLayout>
  );
}
