import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Locale } from '../../domain/locale.js';
import { TooManyRequests } from '../../errors/oauth.js';
import { openMailLink } from '../../services/self-service/email-verification.js';
import { completePasswordReset, requestPasswordReset } from '../../services/self-service/password-reset.js';
import type { Deps } from '../../services/deps.js';
import { mailEnabled } from '../../services/mail/queue.js';
import { csrfToken, requireCsrfToken } from '../browser-cookies.js';
import type { AppEnv } from '../env.js';
import { formBody } from '../middleware/form-body.js';
import { passwordResetText } from '../pages/i18n/password-reset.js';
import { passwordText } from '../pages/i18n/password.js';
import { NoticePage, type NoticeProps } from '../pages/notice.js';
import { pageErrors } from '../pages/page-errors.js';
import { pageLocale } from '../pages/locale.js';
import { retryAfter } from '../../errors/oauth.js';
import { ResetPasswordPage, ResetRequestPage } from '../pages/password-reset.js';
import { pageHeaders, renderPage, type PageStatus } from '../pages/render-page.js';
import { queryParams } from '../params.js';
import { actorFrom } from '../request-info.js';
import type { MailKick } from './mail-kick.js';

/** Our pages post only to ourselves. */
const headers = (extra: Record<string, string> = {}) => ({ ...pageHeaders(["'self'"]), ...extra });

/**
 * GET|POST /password-reset. Without a token: the "Forgot your password?" form and its one answer, whatever
 * matched. With the token of a mailed link: the new-password form, and setting it.
 */
export function passwordResetRoutes(deps: Deps, mail: MailKick) {
  const brand = deps.config.loginTitle;
  const notice = (c: Context, props: Omit<NoticeProps, 'brand'>, status: PageStatus = 200) =>
    renderPage(c, <NoticePage brand={brand} {...props} />, status, headers());
  const invalid = (c: Context, lang: Locale) => {
    const t = passwordResetText[lang];
    return notice(
      c,
      { lang, title: t.invalidTitle, paragraphs: [t.invalid], alert: true, link: { href: `/password-reset?ui_locales=${lang}`, text: t.again } },
      400,
    );
  };
  const mailOff = (c: Context, lang: Locale) => {
    const t = passwordResetText[lang];
    return notice(c, { lang, title: t.mailOffTitle, paragraphs: [t.mailOff] });
  };

  return new Hono<AppEnv>()
    .onError(pageErrors(deps, deps.log))
    .get('/password-reset', async (c) => {
      const query = queryParams(c);
      const lang = pageLocale(c, deps, query.get('ui_locales'));
      const token = query.get('token');
      if (token !== undefined) {
        const opened = await openMailLink(deps, token, 'password_reset');
        if (opened === null) return invalid(c, lang);
        const page = <ResetPasswordPage brand={brand} lang={lang} csrfToken={csrfToken(c, deps)} token={token} username={opened.user.username} />;
        return renderPage(c, page, 200, headers());
      }
      if (!mailEnabled(deps)) return mailOff(c, lang);
      return renderPage(c, <ResetRequestPage brand={brand} lang={lang} csrfToken={csrfToken(c, deps)} />, 200, headers());
    })
    .post('/password-reset', formBody(), requireCsrfToken(), async (c) => {
      const form = c.get('form');
      const lang = pageLocale(c, deps, form.get('ui_locales'));
      const t = passwordResetText[lang];
      const actor = actorFrom(c, 'password-reset');
      const token = form.get('token');
      if (token !== undefined) {
        const outcome = await completePasswordReset(deps, actor, { token, password: form.get('password') ?? '', locale: lang });
        if (outcome.kind === 'invalid') return invalid(c, lang);
        if (outcome.kind === 'weak') {
          const opened = await openMailLink(deps, token, 'password_reset');
          if (opened === null) return invalid(c, lang);
          const error = passwordText[lang].problems[outcome.problem];
          const page = (
            <ResetPasswordPage brand={brand} lang={lang} csrfToken={csrfToken(c, deps)} token={token} username={opened.user.username} error={error} />
          );
          return renderPage(c, page, 400, headers());
        }
        mail.kick();
        return notice(c, { lang, title: t.doneTitle, paragraphs: [t.done] });
      }
      if (!mailEnabled(deps)) return mailOff(c, lang);
      const identifier = (form.get('identifier') ?? '').slice(0, 256);
      try {
        await requestPasswordReset(deps, actor, { identifier, locale: lang });
      } catch (error) {
        if (!(error instanceof TooManyRequests)) throw error;
        const page = <ResetRequestPage brand={brand} lang={lang} csrfToken={csrfToken(c, deps)} identifier={identifier} error={t.tooMany} />;
        return renderPage(c, page, 429, headers(retryAfter(error.retryAfterSeconds)));
      }
      // No kick here: sending at once would make a known account's answer slower than an unknown one's (the
      // sender's work shares this process); the sender's own round (every second) sends it.
      return notice(c, { lang, title: t.sentTitle, paragraphs: [t.sent(Math.round(deps.config.passwordResetTtl / 60))] });
    });
}
