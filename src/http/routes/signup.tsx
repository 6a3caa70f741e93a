import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import type { Locale } from '../../domain/locale.js';
import { TooManyRequests } from '../../errors/oauth.js';
import { signUp } from '../../services/self-service/signup.js';
import type { Deps } from '../../services/deps.js';
import { completeSignIn } from '../../services/sign-in/complete.js';
import { resumeSignIn } from '../../services/sign-in/resume.js';
import { csrfToken, requireCsrfToken, signInBrowser } from '../browser-cookies.js';
import type { AppEnv } from '../env.js';
import { formBody } from '../middleware/form-body.js';
import { passwordText } from '../pages/i18n/password.js';
import { signupText } from '../pages/i18n/signup.js';
import { NoticePage } from '../pages/notice.js';
import { outcomeResponse } from '../pages/outcome.js';
import { pageErrors } from '../pages/page-errors.js';
import { pageLocale } from '../pages/locale.js';
import { retryAfter } from '../../errors/oauth.js';
import { formActionSource, pageHeaders, renderPage, type PageStatus } from '../pages/render-page.js';
import { SignupPage, type SignupPageProps } from '../pages/signup.js';
import { queryParams } from '../params.js';
import { actorFrom } from '../request-info.js';
import type { MailKick } from './mail-kick.js';

type FormProps = Omit<SignupPageProps, 'brand' | 'csrfToken'>;

/**
 * GET|POST /signup (SIGNUP=open; otherwise there is no such page): the form, and the account it makes. A sign-up
 * that started on the login page of an authorization request carries that sign-in on (services/sign-in), so the
 * person lands back in the application signed in; one that did not ends on a page saying what comes next.
 */
export function signupRoutes(deps: Deps, mail: MailKick) {
  const form = async (c: Context, props: FormProps, status: PageStatus, headers: Record<string, string> = {}) => {
    const page = <SignupPage brand={deps.config.loginTitle} csrfToken={csrfToken(c, deps)} {...props} />;
    return renderPage(c, page, status, { ...pageHeaders(await formActions(deps, props.request)), ...headers });
  };

  // Off, the page is not there: the same 404 as a path that does not exist.
  const open: MiddlewareHandler<AppEnv> = async (c, next) =>
    deps.config.signup ? next() : c.json({ error: 'not_found', error_description: 'sign-up is off' }, 404);

  return new Hono<AppEnv>()
    .onError(pageErrors(deps, deps.log))
    .get('/signup', open, (c) => {
      const query = queryParams(c);
      return form(c, { lang: pageLocale(c, deps, query.get('ui_locales')), request: query.get('request') ?? '' }, 200);
    })
    .post('/signup', open, formBody(), requireCsrfToken(), async (c) => {
      const fields = c.get('form');
      const lang = pageLocale(c, deps, fields.get('ui_locales'));
      const t = signupText[lang];
      const request = fields.get('request') ?? '';
      const typed = { username: (fields.get('username') ?? '').slice(0, 64), email: (fields.get('email') ?? '').slice(0, 254) };
      const actor = actorFrom(c, 'signup');
      let outcome;
      try {
        outcome = await signUp(deps, actor, { ...typed, password: fields.get('password') ?? '', locale: lang });
      } catch (error) {
        if (!(error instanceof TooManyRequests)) throw error;
        return form(c, { lang, request, ...typed, error: { field: null, message: t.problems.too_many } }, 429, retryAfter(error.retryAfterSeconds));
      }
      if (outcome.kind === 'refused') {
        const message =
          outcome.field === 'password'
            ? passwordText[lang].problems[outcome.problem as keyof typeof passwordText.en.problems]
            : t.problems[outcome.problem as keyof typeof t.problems];
        return form(c, { lang, request, ...typed, error: { field: outcome.field, message } }, 400);
      }
      mail.kick();
      const { user } = outcome;
      const resumed = request === '' ? null : await resumeSignIn(deps, request);
      if (resumed?.kind === 'resumed') {
        const signedIn = await completeSignIn(
          deps,
          { ...actor, name: `user:${user.id}` },
          {
            pending: resumed.pending,
            proof: { user, authTime: deps.clock.now().getTime(), amr: ['pwd'] },
            browser: signInBrowser(c, deps),
          },
        );
        return outcomeResponse(c, deps, signedIn);
      }
      return done(c, deps, lang, user.email ?? '');
    });
}

/**
 * Where the form may post, and so where the redirects after it may go: here, and the application's redirect URI
 * when the sign-up continues its authorization request.
 */
async function formActions(deps: Deps, request: string): Promise<string[]> {
  const resumed = request === '' ? null : await resumeSignIn(deps, request);
  return resumed?.kind === 'resumed' ? [formActionSource(resumed.pending.request.redirectUri)] : ["'self'"];
}

function done(c: Context, deps: Deps, lang: Locale, address: string) {
  const t = signupText[lang];
  const paragraphs = [deps.config.mail === null ? t.doneNoMail : t.done(address), t.doneNext];
  return renderPage(c, <NoticePage brand={deps.config.loginTitle} lang={lang} title={t.doneTitle} paragraphs={paragraphs} />, 200, pageHeaders());
}
