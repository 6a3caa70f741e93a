/** The languages every page and mail is written in (contract section 11). */
export const locales = ['en', 'ko'] as const;
export type Locale = (typeof locales)[number];

export const isLocale = (value: string): value is Locale => (locales as readonly string[]).includes(value);

/** The primary subtags of a space-separated `ui_locales` (OIDC Core §3.1.2.1), in the order asked. */
function uiLocaleTags(uiLocales: string | undefined): string[] {
  return (uiLocales ?? '')
    .split(' ')
    .filter(Boolean)
    .map((tag) => tag.toLowerCase().split('-')[0]!);
}

/** The primary subtags of an Accept-Language header, best first (RFC 9110 §12.5.4); q=0 means "not this one". */
function acceptLanguageTags(header: string | undefined): string[] {
  if (!header) return [];
  const ranked: { tag: string; q: number; index: number }[] = [];
  header.split(',').forEach((part, index) => {
    const [range, ...params] = part.trim().split(';');
    const tag = range?.trim().toLowerCase().split('-')[0];
    if (!tag) return;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0 || q > 1) return;
    ranked.push({ tag, q, index });
  });
  return ranked.sort((a, b) => b.q - a.q || a.index - b.index).map((r) => r.tag);
}

/**
 * The language of a page or mail: the first of `ui_locales` Tessera offers, then the best of Accept-Language,
 * then the first offered (LOGIN_LOCALES, default `en ko`). Pure: the caller reads the request.
 */
export function negotiateLocale(input: { uiLocales?: string; acceptLanguage?: string; offered: readonly Locale[] }): Locale {
  const offered = input.offered.length > 0 ? input.offered : locales;
  for (const tag of [...uiLocaleTags(input.uiLocales), ...acceptLanguageTags(input.acceptLanguage)]) {
    const match = offered.find((locale) => locale === tag);
    if (match) return match;
  }
  return offered[0]!;
}

/**
 * A feature's texts in every language: one catalog per page or mail family (login.ts, signup.ts, mail texts, …), so
 * each feature owns its strings and `satisfies Catalog<T>` makes a missing Korean text a type error.
 */
export type Catalog<T> = Readonly<Record<Locale, T>>;
