import type { ComponentChildren } from 'preact';
import { LANGUAGES, LANGUAGE_NAMES } from '../i18n/messages';
import { PageContext, href, inLanguage } from './page-context';

type Section = 'home' | 'search' | 'eligibility' | 'transparency' | 'countries' | 'api';

/** A navigation link: its name (for `aria-current`), URL and label. */
export type NavLink = [name: string, url: string, label: string];

/**
 * The frame of every page: language, title, skip link, navigation, switcher, footer. The
 * officials' workspace uses the same frame with its own brand, links and account controls.
 */
export function Layout(props: {
  ctx: PageContext;
  title: string;
  section?: string;
  /** Instead of the portal's: the workspace's brand, links and account (who, sign out). */
  frame?: { brand: NavLink; links: NavLink[]; account?: ComponentChildren };
  children: ComponentChildren;
}) {
  const { ctx, title, section, frame } = props;
  const { t } = ctx;
  const portalLinks: [Section, string, string][] = [
    ['home', href(ctx, '/'), t('nav.home')],
    ['search', href(ctx, '/search'), t('nav.search')],
    ['eligibility', href(ctx, '/eligibility'), t('nav.eligibility')],
    ['transparency', href(ctx, '/transparency'), t('nav.transparency')],
    ['api', '/graphql', t('nav.api')],
  ];
  const links: NavLink[] = frame?.links ?? portalLinks;
  const [, brandUrl, brandLabel] = frame?.brand ?? ['home', href(ctx, '/'), t('registry')];
  return (
    <html lang={ctx.lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${t('registry')}`}</title>
        <meta name="description" content={t('tagline')} />
        <link rel="stylesheet" href={ctx.stylesheet} />
      </head>
      <body>
        <a class="skip" href="#main">
          {t('skipToContent')}
        </a>
        <header class="site">
          <a class="brand" href={brandUrl}>
            {brandLabel}
          </a>
          <nav aria-label={t('nav.label')}>
            <ul>
              {links.map(([name, url, label]) => (
                <li key={name}>
                  <a href={url} aria-current={name === section ? 'page' : undefined}>
                    {label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <ul class="languages" aria-label={t('language')}>
            {LANGUAGES.map((lang) => (
              <li key={lang}>
                <a
                  href={inLanguage(ctx, lang)}
                  hrefLang={lang}
                  lang={lang}
                  aria-current={lang === ctx.lang ? 'true' : undefined}
                >
                  {LANGUAGE_NAMES[lang]}
                </a>
              </li>
            ))}
          </ul>
          {frame?.account}
        </header>
        <main id="main">
          <h1>{title}</h1>
          {props.children}
        </main>
        <footer class="site">
          <p>{t('footer')}</p>
        </footer>
      </body>
    </html>
  );
}
