import { negotiateLocale } from '@civicblocks/core';
import type { FormLocale } from '../definition/form-definition.js';
import type { parseCookies } from './cookies.js';

/** The cookie that remembers a language chosen with `?lang=`. */
export const languageCookieName = 'forms-lang';

/**
 * The page's language, in this order: `?lang=vi|en` (remembered in the
 * `forms-lang` cookie for a year), the `forms-lang` cookie,
 * `Accept-Language` (with quality values), `defaultLocale`, the form's
 * first language. Only the form's languages are ever chosen.
 */
export function chooseLanguage(
  url: URL,
  cookies: ReturnType<typeof parseCookies>,
  acceptLanguage: string | null,
  languages: readonly FormLocale[],
  defaultLocale: FormLocale | undefined,
): { readonly locale: FormLocale; readonly remember: boolean } {
  const asked = url.searchParams.get('lang');
  if ((asked === 'vi' || asked === 'en') && languages.includes(asked))
    return { locale: asked, remember: true };
  const stored = cookies.get(languageCookieName);
  if ((stored === 'vi' || stored === 'en') && languages.includes(stored))
    return { locale: stored, remember: false };
  const fallback =
    defaultLocale !== undefined && languages.includes(defaultLocale)
      ? defaultLocale
      : (languages[0] ?? 'vi');
  if (acceptLanguage === null || acceptLanguage.trim() === '')
    return { locale: fallback, remember: false };
  const supported = languages.length > 0 ? languages : (['vi'] as const);
  return { locale: negotiateLocale(acceptLanguage, supported, fallback), remember: false };
}
