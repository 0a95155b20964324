import { Translate, Language } from '../i18n';

/** What every view knows about the request it renders for. */
export interface PageContext {
  t: Translate;
  lang: Language;
  /** The language was chosen with ?lang= and links carry it on. */
  langInUrl: boolean;
  /** The request's path, for the language switcher. */
  path: string;
  /** The request's query, without `lang`. */
  query: URLSearchParams;
  /** Versioned URL of the stylesheet. */
  stylesheet: string;
}

/** A link within the portal, keeping the language the reader chose. */
export function href(
  ctx: PageContext,
  path: string,
  params: Record<string, string | number | undefined | null> = {},
): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
  }
  if (ctx.langInUrl) query.set('lang', ctx.lang);
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

/** The current page in another language. */
export function inLanguage(ctx: PageContext, lang: Language): string {
  const query = new URLSearchParams(ctx.query);
  query.set('lang', lang);
  return `${ctx.path}?${query.toString()}`;
}
