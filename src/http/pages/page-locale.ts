import type { Context } from 'hono';
import { locales, negotiateLocale, type Locale } from '../../domain/locale.js';

/** The language of a page: `ui_locales` (a query parameter, or the form's hidden field), then Accept-Language. */
export const pageLocale = (c: Context, uiLocales: string | undefined): Locale =>
  negotiateLocale({ uiLocales, acceptLanguage: c.req.header('accept-language'), offered: locales });

/** Retry-After for a 429 page. */
export const retryAfter = (seconds: number): Record<string, string> => ({ 'Retry-After': String(Math.max(1, Math.ceil(seconds))) });
