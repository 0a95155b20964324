import { PageContext, href } from '../../portal/views/page-context';
import { ConsoleLayout } from './console-layout';

/** Why the sign-in page is shown again, if it is. */
export type SignInNotice =
  | { kind: 'expired' }
  | { kind: 'signedOut' }
  | { kind: 'refused' }
  | { kind: 'missingKey' }
  | { kind: 'formExpired' }
  | { kind: 'tooMany'; seconds: number }
  /** Signing in with the identity provider did not work out; shown next to its button. */
  | { kind: 'oidc'; problem: OidcProblem; error?: string };

export type OidcProblem = 'refused' | 'failed' | 'unavailable' | 'flowMissing';

/** The identity provider's button, when OpenID Connect sign-in is configured. */
function ProviderSignIn({
  ctx,
  next,
  provider,
  notice,
}: {
  ctx: PageContext;
  next: string | undefined;
  provider: string;
  notice: SignInNotice | undefined;
}) {
  const { t } = ctx;
  const problem = notice?.kind === 'oidc' ? notice : undefined;
  const message = !problem
    ? undefined
    : problem.problem === 'refused' && problem.error
      ? t('consoleOidc:refusedCode', { provider, error: problem.error })
      : t(`consoleOidc:${problem.problem}`, { provider });
  // A link, not a form: it goes to another site in the end, which the pages' CSP
  // (form-action 'self') would stop a form's redirect from doing. Starting a flow changes
  // nothing a forger could use: only the person, at the provider, can finish it.
  return (
    <section aria-labelledby="with-provider" class="stack">
      <h2 id="with-provider">{t('consoleOidc:withProvider', { provider })}</h2>
      <p id="oidc-hint" class="muted">
        {t('consoleOidc:hint', { provider })}
      </p>
      {message ? (
        <p id="oidc-error" class="field-error" role="alert">
          {message}
        </p>
      ) : null}
      <p>
        <a
          class="button"
          id="oidc-sign-in"
          href={href(ctx, '/console/sign-in/oidc', { next })}
          aria-describedby={message ? 'oidc-hint oidc-error' : 'oidc-hint'}
        >
          {t('consoleOidc:button', { provider })}
        </a>
      </p>
    </section>
  );
}

/** The sign-in form: an API key, exchanged for a session. */
export function SignInPage({
  ctx,
  next,
  token,
  notice,
  idleMinutes,
  provider,
}: {
  ctx: PageContext;
  next: string | undefined;
  token: string;
  notice: SignInNotice | undefined;
  idleMinutes: number;
  /** The identity provider's name, when people may sign in with it (OpenID Connect). */
  provider?: string;
}) {
  const { t } = ctx;
  const problem =
    notice && ['refused', 'missingKey', 'tooMany', 'formExpired'].includes(notice.kind);
  const message =
    !notice || notice.kind === 'oidc'
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
      <p>{provider ? t('consoleOidc:intro', { provider }) : t('console:signIn.intro')}</p>
      {provider ? (
        <ProviderSignIn ctx={ctx} next={next} provider={provider} notice={notice} />
      ) : null}
      {provider ? <h2 id="with-key">{t('consoleOidc:withKey')}</h2> : null}
      <form
        class="stack"
        method="post"
        action={href(ctx, '/console/sign-in')}
        aria-labelledby={provider ? 'with-key' : undefined}
      >
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
