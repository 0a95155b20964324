import { PageContext, href } from '../../portal/views/page-context';
import { ConsoleLayout } from './console-layout';

/** Why the sign-in page is shown again, if it is. */
export type SignInNotice =
  | { kind: 'expired' }
  | { kind: 'signedOut' }
  | { kind: 'refused' }
  | { kind: 'missingKey' }
  | { kind: 'formExpired' }
  | { kind: 'tooMany'; seconds: number };

/** The sign-in form: an API key, exchanged for a session. */
export function SignInPage({
  ctx,
  next,
  token,
  notice,
  idleMinutes,
}: {
  ctx: PageContext;
  next: string | undefined;
  token: string;
  notice: SignInNotice | undefined;
  idleMinutes: number;
}) {
  const { t } = ctx;
  const problem =
    notice && ['refused', 'missingKey', 'tooMany', 'formExpired'].includes(notice.kind);
  const message = !notice
    ? undefined
    : notice.kind === 'tooMany'
      ? t('console:signIn.tooMany', { seconds: notice.seconds })
      : t(`console:signIn.${notice.kind}`);
  return (
    <ConsoleLayout ctx={ctx} title={t('console:signIn.title')} session={undefined}>
      {message && !problem ? (
        <p class="notice" role="status">
          {message}
        </p>
      ) : null}
      <p>{t('console:signIn.intro')}</p>
      <form class="stack" method="post" action={href(ctx, '/console/sign-in')}>
        <div>
          <label for="key">{t('console:signIn.key')}</label>
          <input
            id="key"
            name="key"
            type="password"
            autoComplete="off"
            spellcheck={false}
            required
            aria-describedby={problem ? 'key-hint key-error' : 'key-hint'}
            aria-invalid={problem ? 'true' : undefined}
          />
          <p id="key-hint" class="muted">
            {t('console:signIn.keyHint', { minutes: idleMinutes })}
          </p>
          {problem ? (
            <p id="key-error" class="field-error" role="alert">
              {message}
            </p>
          ) : null}
        </div>
        <input type="hidden" name="_csrf" value={token} />
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <button type="submit">{t('console:signIn.button')}</button>
      </form>
    </ConsoleLayout>
  );
}
