import type { Translate } from './i18n';

/**
 * A page that cannot be shown for a reason the reader can act on: its status and what to
 * tell them, in their language.
 */
export class PageError extends Error {
  constructor(
    readonly status: 400 | 404,
    readonly explain: (t: Translate) => string,
  ) {
    super(`page error ${status}`);
  }

  static notFound(): PageError {
    return new PageError(404, (t) => t('error.notFound'));
  }

  static unknownCountry(code: string): PageError {
    return new PageError(404, (t) => t('error.unknownCountry', { code }));
  }

  static unknownEntry(country: string, key: string, date: string): PageError {
    return new PageError(404, (t) => t('entry:unknownEntry', { country, key, date }));
  }

  static noListInForce(country: string, date: string): PageError {
    return new PageError(404, (t) => t('entry:noListInForce', { country, date }));
  }

  static badDate(value: string): PageError {
    return new PageError(400, (t) => t('error.badDate', { value }));
  }

  static badNumber(name: string, value: string): PageError {
    return new PageError(400, (t) => t('error.badNumber', { name, value }));
  }
}
