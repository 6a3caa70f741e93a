import { retryAfter } from '../../errors/oauth.js';
import { Hono, type Context } from 'hono';
import { reauthenticate, signInToAccount, type PasswordRefusal } from '../../services/account/sign-in.js';
import { changeOwnEmail, changeOwnPassword, listAccountIdentities, unlinkOwnIdentity, type AccountRefusal } from '../../services/account/profile.js';
import { endAccountSession, endOtherSessions, listAccountSessions } from '../../services/account/sessions.js';
import { isRecent } from '../../services/account/sign-in.js';
import { currentBrowserSession, type LiveBrowserSession } from '../../services/browser-sessions.js';
import type { Deps } from '../../services/deps.js';
import { checkCsrfToken, csrfToken, readSessionCookie, requireCsrfToken, signInBrowser, upstreamBinding } from '../browser-cookies.js';
import { startUpstreamLogin } from '../../services/upstream/sign-in.js';
import { errorPage } from '../pages/outcome.js';
import type { AppEnv } from '../env.js';
import { formBody } from '../middleware/form-body.js';
import { AccountPage, ReauthPage, type AccountSection } from '../pages/account.js';
import { accountNotices, accountText, type AccountNotice, type AccountProblem } from '../pages/i18n/account.js';
import { pageLocale } from '../pages/locale.js';
import { messageIn } from '../pages/locale.js';
import { LoginPage } from '../pages/login.js';
import { pageErrors } from '../pages/page-errors.js';
import { pageHeaders, renderPage, type PageStatus } from '../pages/render-page.js';
import { queryParams } from '../params.js';
import { actorFrom } from '../request-info.js';

/**
 * The account page (README, "The account page"): GET /account and the forms it posts, each answered
 * with a redirect back to it (POST-redirect-GET) or, when refused, the page again with the reason.
 * Without a browser session the user signs in at /account/login first.
 */
export function accountRoutes(deps: Deps) {
  const headers = () => pageHeaders(["'self'"]);
  const see = (c: Context, location: string) => c.body(null, 303, { ...headers(), Location: location });
  const brand = deps.config.loginTitle;
  const actor = (c: Context, live: LiveBrowserSession) => actorFrom(c, `user:${live.user.id}`);

  const accountPage = async (
    c: Context,
    live: LiveBrowserSession,
    status: PageStatus,
    extra: { notice?: AccountNotice; problem?: { section: AccountSection; problem: AccountProblem } } = {},
  ) => {
    const identities = await listAccountIdentities(deps, live.user.id);
    const csrf = csrfToken(c, deps);
    const page = (
      <AccountPage
        brand={brand}
        locale={pageLocale(c, deps)}
        csrfToken={csrf}
        user={live.user}
        recent={isRecent(deps, live)}
        sessions={await listAccountSessions(deps, live.user.id, live.session.id)}
        identities={identities}
        linkable={(await deps.store.listProviders())
          .filter((p) => !identities.some((i) => i.provider_id === p.id))
          .map((p) => ({ name: p.name, href: `/account/link/${encodeURIComponent(p.id)}?${new URLSearchParams({ csrf_token: csrf })}` }))}
        {...extra}
      />
    );
    return renderPage(c, page, status, headers());
  };

  const loginPage = (c: Context, status: PageStatus, refusal?: PasswordRefusal, username?: string) => {
    const locale = pageLocale(c, deps);
    const error = refusal && messageIn(locale, { key: refusal.kind === 'limited' ? 'tooManyAttempts' : 'loginFailed' });
    const page = (
      <LoginPage
        brand={brand}
        locale={locale}
        action="/account/login"
        clientName={accountText[locale].title}
        csrfToken={csrfToken(c, deps)}
        username={username}
        error={error}
      />
    );
    return renderPage(c, page, status, { ...headers(), ...refusalWait(refusal) });
  };

  const reauthPage = (c: Context, live: LiveBrowserSession, status: PageStatus, refusal?: PasswordRefusal) => {
    const failed = refusal && (refusal.kind === 'limited' ? 'too_many' : 'password_failed');
    const page = <ReauthPage brand={brand} locale={pageLocale(c, deps)} csrfToken={csrfToken(c, deps)} username={live.user.username} failed={failed} />;
    return renderPage(c, page, status, { ...headers(), ...refusalWait(refusal) });
  };

  /** The page again with why a change was refused, or the re-authentication form when the sign-in is too old. */
  const refused = (c: Context, live: LiveBrowserSession, section: AccountSection, refusal: AccountRefusal) => {
    if (refusal.kind === 'reauth') return see(c, '/account/reauth');
    const problem: AccountProblem =
      refusal.kind === 'failed' ? 'password_failed' : refusal.kind === 'limited' ? 'too_many' : section === 'profile' ? 'invalid_email' : 'weak_password';
    return accountPage(c, live, refusal.kind === 'limited' ? 429 : 400, { problem: { section, problem } });
  };

  /** A form of the account page: only in a live browser session (else to the sign-in), with this browser's CSRF token. */
  const form = (handle: (c: Context<AppEnv>, live: LiveBrowserSession, body: ReadonlyMap<string, string>) => Promise<Response>) =>
    [
      formBody(),
      requireCsrfToken(),
      async (c: Context<AppEnv>) => {
        const live = await currentBrowserSession(deps, readSessionCookie(c));
        if (!live) return see(c, '/account/login');
        return handle(c, live, c.get('form'));
      },
    ] as const;

  return new Hono<AppEnv>()
    .onError(pageErrors(deps, deps.log))
    .get('/account', async (c) => {
      const live = await currentBrowserSession(deps, readSessionCookie(c));
      if (!live) return see(c, '/account/login');
      const done = queryParams(c).get('done');
      const notice = accountNotices.find((n) => n === done);
      return accountPage(c, live, 200, { notice });
    })
    .get('/account/login', async (c) => {
      if (await currentBrowserSession(deps, readSessionCookie(c))) return see(c, '/account');
      return loginPage(c, 200);
    })
    .post('/account/login', formBody(), requireCsrfToken(), async (c) => {
      const body = c.get('form');
      const username = body.get('username') ?? '';
      const input = { username, password: body.get('password') ?? '', browser: signInBrowser(c, deps) };
      const outcome = await signInToAccount(deps, actorFrom(c, 'browser'), input);
      if (outcome.kind === 'signed_in') return see(c, '/account');
      return loginPage(c, outcome.kind === 'limited' ? 429 : 400, outcome, username.slice(0, 256));
    })
    .get('/account/link/:provider', async (c) => {
      // A link, not a form, as "Continue with NAME" on the login page: the redirect to the provider is not held to form-action.
      checkCsrfToken(c, queryParams(c).get('csrf_token'));
      const live = await currentBrowserSession(deps, readSessionCookie(c));
      if (!live) return see(c, '/account/login');
      const link = { userId: live.user.id, sessionId: live.session.id };
      const ip = actorFrom(c, 'browser').ip ?? null;
      const step = await startUpstreamLogin(deps, { providerId: c.req.param('provider'), pending: null, link, binding: upstreamBinding(c, deps), ip });
      if (step.kind === 'redirect') return c.body(null, 303, { ...pageHeaders(), Location: step.location });
      return errorPage(c, deps, step.kind === 'failed' ? step.message : { key: 'badRequest' });
    })
    .get('/account/reauth', async (c) => {
      const live = await currentBrowserSession(deps, readSessionCookie(c));
      if (!live) return see(c, '/account/login');
      return reauthPage(c, live, 200);
    })
    .post(
      '/account/reauth',
      ...form(async (c, live, body) => {
        const outcome = await reauthenticate(deps, actor(c, live), live, body.get('password') ?? '');
        if (outcome.kind === 'renewed') return see(c, '/account?done=reauthenticated');
        return reauthPage(c, live, outcome.kind === 'limited' ? 429 : 400, outcome);
      }),
    )
    .post(
      '/account/email',
      ...form(async (c, live, body) => {
        const outcome = await changeOwnEmail(deps, actor(c, live), live, body.get('email') ?? '');
        return outcome.kind === 'changed' ? see(c, '/account?done=email_changed') : refused(c, live, 'profile', outcome);
      }),
    )
    .post(
      '/account/password',
      ...form(async (c, live, body) => {
        const input = { current: body.get('current_password') ?? '', next: body.get('new_password') ?? '', browser: signInBrowser(c, deps) };
        const outcome = await changeOwnPassword(deps, actor(c, live), live, input);
        return outcome.kind === 'changed' ? see(c, '/account?done=password_changed') : refused(c, live, 'password', outcome);
      }),
    )
    .post(
      '/account/sessions/end',
      ...form(async (c, live, body) => {
        const ended = await endAccountSession(deps, actor(c, live), live.user.id, body.get('session') ?? '', live.session.id);
        return ended ? see(c, '/account?done=session_ended') : accountPage(c, live, 404, { problem: { section: 'sessions', problem: 'not_found' } });
      }),
    )
    .post(
      '/account/sessions/end-others',
      ...form(async (c, live) => {
        await endOtherSessions(deps, actor(c, live), live);
        return see(c, '/account?done=others_ended');
      }),
    )
    .post(
      '/account/identities/unlink',
      ...form(async (c, live, body) => {
        const outcome = await unlinkOwnIdentity(deps, actor(c, live), live, body.get('provider') ?? '');
        if (outcome === 'unlinked') return see(c, '/account?done=identity_unlinked');
        const problem = outcome === 'last_way_in' ? 'last_way_in' : 'not_found';
        return accountPage(c, live, outcome === 'last_way_in' ? 409 : 404, { problem: { section: 'identities', problem } });
      }),
    );
}

const refusalWait = (refusal: PasswordRefusal | undefined): Record<string, string> => (refusal?.kind === 'limited' ? retryAfter(refusal.retryAfter) : {});
