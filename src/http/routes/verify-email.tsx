import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Locale } from '../../domain/locale.js';
import { confirmEmail, openMailLink } from '../../services/self-service/email-verification.js';
import type { Deps } from '../../services/deps.js';
import { csrfToken, requireCsrfToken } from '../browser-cookies.js';
import type { AppEnv } from '../env.js';
import { formBody } from '../middleware/form-body.js';
import { verifyEmailText } from '../pages/i18n/verify-email.js';
import { NoticePage } from '../pages/notice.js';
import { pageErrors } from '../pages/page-errors.js';
import { pageLocale } from '../pages/locale.js';
import { pageHeaders, renderPage } from '../pages/render-page.js';
import { VerifyEmailPage } from '../pages/verify-email.js';
import { queryParams } from '../params.js';
import { actorFrom } from '../request-info.js';

/**
 * GET /verify-email?token=…: the page of a mailed verification link, whose button (POST /verify-email) confirms
 * the address; a GET alone changes nothing, so a mail scanner following the link does not use it up.
 */
export function verifyEmailRoutes(deps: Deps) {
  const brand = deps.config.loginTitle;
  const invalid = (c: Context, lang: Locale) => {
    const t = verifyEmailText[lang];
    return renderPage(c, <NoticePage brand={brand} lang={lang} title={t.invalidTitle} paragraphs={[t.invalid]} alert />, 400, pageHeaders());
  };
  return new Hono<AppEnv>()
    .onError(pageErrors(deps, deps.log))
    .get('/verify-email', async (c) => {
      const query = queryParams(c);
      const lang = pageLocale(c, deps, query.get('ui_locales'));
      const token = query.get('token');
      const opened = await openMailLink(deps, token, 'verify_email');
      if (opened === null || token === undefined) return invalid(c, lang);
      const page = (
        <VerifyEmailPage brand={brand} lang={lang} csrfToken={csrfToken(c, deps)} token={token} address={opened.link.address} username={opened.user.username} />
      );
      return renderPage(c, page, 200, pageHeaders(["'self'"]));
    })
    .post('/verify-email', formBody(), requireCsrfToken(), async (c) => {
      const form = c.get('form');
      const lang = pageLocale(c, deps, form.get('ui_locales'));
      const outcome = await confirmEmail(deps, actorFrom(c, 'verify-email'), form.get('token'));
      if (outcome.kind === 'invalid') return invalid(c, lang);
      const t = verifyEmailText[lang];
      return renderPage(c, <NoticePage brand={brand} lang={lang} title={t.doneTitle} paragraphs={[t.done(outcome.user.email ?? '')]} />, 200, pageHeaders());
    });
}
