/** The interface languages (Senegal, Peru and Chile host Article 6 activities). */
export const LANGUAGES = ['en', 'fr', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The same shape as T with every leaf a string: what each translation must provide. */
export type Translation<T> = { [K in keyof T]: T[K] extends string ? string : Translation<T[K]> };

/**
 * One namespace of interface text, in every language. The compiler checks that French and
 * Spanish have exactly the keys English has; test/unit/portal-i18n.spec.ts checks that their
 * placeholders match and that no view holds text of its own.
 */
export function messages<T extends Record<string, unknown>>(m: {
  en: T;
  fr: Translation<T>;
  es: Translation<T>;
}): { en: T; fr: Translation<T>; es: Translation<T> } {
  return m;
}

/** Each language's name in itself, for the switcher: never translated. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  fr: 'Français',
  es: 'Español',
};
