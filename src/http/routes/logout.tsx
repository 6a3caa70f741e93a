import { Hono, type Context } from 'hono';
import type { Deps } from '../../services/deps.js';
import { logout, type LogoutOutcome } from '../../services/logout.js';
import { checkCsrfToken, clearSessionCookie, csrfToken, readSessionCookie } from '../browser-cookies.js';
import type { AppEnv } from '../env.js';
import { clientName } from '../pages/client-name.js';
import { LogoutConfirmPage, SignedOutPage } from '../pages/logout.js';
import { pageLocale } from '../pages/locale.js';
import { pageErrors } from '../pages/page-errors.js';
import { formActionSource, pageHeaders, renderPage } from '../pages/render-page.js';
import { bodyParams, queryParams } from '../params.js';
import { actorFrom } from '../request-info.js';

/** What the confirmation form carries over from the request. */
const carried = ['client_id', 'post_logout_redirect_uri', 'state', 'ui_locales'] as const;

/**
 * GET|POST /logout (OpenID Connect RP-Initiated Logout 1.0). With an id_token of ours as hint the
 * user is signed out at once; without, a signed-in user is asked first, and only the answer to that
 * page (a POST with `confirm` and the browser's CSRF token) signs them out.
 */
export function logoutRoute(deps: Deps) {
  const handler = async (c: Context<AppEnv>) => {
    const values = c.req.method === 'GET' ? queryParams(c) : await bodyParams(c);
    const confirmed = c.req.method === 'POST' && values.has('confirm');
    if (confirmed) checkCsrfToken(c, values.get('csrf_token'));
    const outcome = await logout(deps, actorFrom(c, 'browser'), {
      cookie: readSessionCookie(c),
      idTokenHint: values.get('id_token_hint'),
      clientId: values.get('client_id'),
      postLogoutRedirectUri: values.get('post_logout_redirect_uri'),
      state: values.get('state'),
      confirmed,
    });
    if (outcome.kind === 'confirm') return confirmPage(c, outcome, values);
    clearSessionCookie(c);
    if (outcome.redirect) return c.body(null, 303, { ...pageHeaders(), Location: outcome.redirect });
    // A way back: the client's own registered post-logout page, when the request named the client.
    const href = outcome.client?.disabledAt === null ? outcome.client.postLogoutRedirectUris[0] : undefined;
    const back = href === undefined ? null : { name: clientName(outcome.client!), href };
    return renderPage(
      c,
      <SignedOutPage brand={deps.config.loginTitle} locale={pageLocale(c, deps, values.get('ui_locales'))} back={back} />,
      200,
      pageHeaders(),
    );
  };

  const confirmPage = (c: Context<AppEnv>, outcome: Extract<LogoutOutcome, { kind: 'confirm' }>, values: ReadonlyMap<string, string>) => {
    const params = Object.fromEntries(carried.flatMap((name) => (values.has(name) ? [[name, values.get(name)!]] : [])));
    // A hint is not carried (the answer signs out this browser only), so its client is named instead.
    if (outcome.client) params.client_id = outcome.client.id;
    const redirect = values.get('post_logout_redirect_uri');
    const page = (
      <LogoutConfirmPage
        brand={deps.config.loginTitle}
        locale={pageLocale(c, deps, values.get('ui_locales'))}
        username={outcome.user.username}
        clientName={outcome.client ? clientName(outcome.client) : null}
        csrfToken={csrfToken(c, deps)}
        params={params}
      />
    );
    // The answer redirects to the registered post-logout URI, and form-action covers that redirect.
    return renderPage(c, page, 200, pageHeaders(["'self'", ...(redirect === undefined ? [] : [formActionSource(redirect)])]));
  };

  return new Hono<AppEnv>().onError(pageErrors(deps, deps.log)).get('/logout', handler).post('/logout', handler);
}
