import type { Context } from 'hono';
import { locales, negotiateLocale, type Locale } from '../../domain/locale.js';

/** The language of a page: `ui_locales` of the query, then Accept-Language, then English. */
export const pageLocale = (c: Context): Locale =>
  negotiateLocale({ uiLocales: c.req.query('ui_locales'), acceptLanguage: c.req.header('Accept-Language'), offered: locales });
