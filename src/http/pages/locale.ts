import type { Context } from 'hono';
import { negotiateLocale, type Locale } from '../../domain/locale.js';
import type { PageMessage } from '../../domain/messages.js';
import type { Deps } from '../../services/deps.js';
import { requestHeader } from '../request-info.js';
import { messageText } from './i18n/messages.js';

/** The language of a page: the request's `ui_locales` when it has one, then Accept-Language, then the first of LOGIN_LOCALES. */
export const pageLocale = (c: Context, deps: Pick<Deps, 'config'>, uiLocales?: string | null): Locale =>
  negotiateLocale({ uiLocales: uiLocales ?? undefined, acceptLanguage: requestHeader(c, 'accept-language')?.slice(0, 512), offered: deps.config.loginLocales });

/** A service's message in the page's language. */
export const messageIn = (locale: Locale, message: PageMessage): string => messageText[locale][message.key].replaceAll('{provider}', message.provider ?? '');
