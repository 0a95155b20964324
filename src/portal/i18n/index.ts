import i18next, { TFunction } from 'i18next';
import Negotiator from 'negotiator';
import { common } from './common';
import { home } from './home';
import { country } from './country';
import { lists } from './lists';
import { versions } from './versions';
import { transparency } from './transparency';
import { eligibility } from './eligibility';
import { search } from './search';
import { entry } from './entry';
import { consoleText } from './console';
import { consoleImport } from './console-import';
import { consoleAudit } from './console-audit';
import { consoleOidc } from './console-oidc';
import { consoleAdmin } from './console-admin';
import { entryForm } from './entry-form';
import { LANGUAGES, Language } from './messages';

export { LANGUAGES, type Language };

/**
 * Every namespace of interface text. A page's text lives in its own namespace file, so that
 * pages can be written side by side; add new ones here.
 */
export const NAMESPACES = {
  common,
  home,
  country,
  lists,
  versions,
  transparency,
  eligibility,
  search,
  entry,
  console: consoleText,
  consoleImport,
  consoleAudit,
  consoleOidc,
  consoleAdmin,
  entryForm,
};

type Namespaces = typeof NAMESPACES;
export type Resources = { [N in keyof Namespaces]: Namespaces[N]['en'] };

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: Resources;
  }
}

const instance = i18next.createInstance();
void instance.init({
  resources: Object.fromEntries(
    LANGUAGES.map((lang) => [
      lang,
      Object.fromEntries(Object.entries(NAMESPACES).map(([ns, m]) => [ns, m[lang]])),
    ]),
  ),
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: [...LANGUAGES],
  ns: Object.keys(NAMESPACES),
  defaultNS: 'common',
  // Synchronous: the resources are in memory.
  initAsync: false,
  // The template engine escapes everything it writes; escaping here too would double it.
  interpolation: { escapeValue: false },
  returnNull: false,
});

export type Translate = TFunction<(keyof Resources)[]>;

/** The interface text of one language. */
export function translator(lang: Language): Translate {
  return instance.getFixedT<(keyof Resources)[]>(lang);
}

export const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/**
 * The page's language: `?lang=` when it names one of ours, else the best match of the
 * browser's Accept-Language, else English.
 */
export function negotiateLanguage(
  requested: unknown,
  acceptLanguage: string | undefined,
): Language {
  if (isLanguage(requested)) return requested;
  const best = new Negotiator({ headers: { 'accept-language': acceptLanguage } }).language([
    ...LANGUAGES,
  ]);
  return isLanguage(best) ? best : 'en';
}
