import { Hono } from 'hono';
import { InvalidGrant, TooManyRequests } from '../../errors/oauth.js';
import { continueAuthorization, recheckRequest } from '../../services/authorize.js';
import { endBrowserSession, startBrowserSession } from '../../services/browser-sessions.js';
import type { Deps } from '../../services/deps.js';
import { authenticateUser } from '../../services/login.js';
import { openPendingRequest } from '../../services/pending-request.js';
import { readSessionCookie, requireCsrfToken, setSessionCookie } from '../browser-cookies.js';
import type { AppEnv } from '../env.js';
import { formBody } from '../middleware/form-body.js';
import { errorPage, respond } from '../pages/outcome.js';
import { pageErrors } from '../pages/page-errors.js';
import { actorFrom } from '../request-info.js';

/** The one message for every failed sign-in: it never says whether the user exists. */
export const loginFailedMessage = 'The username or password is incorrect.';
export const tooManyAttemptsMessage = 'Too many failed sign-ins. Wait a minute, then try again.';

const expired = 'This sign-in page has expired. Go back to the application and start again.';

/**
 * POST /login: the hosted sign-in form. The password check is the password grant's (services/login.ts:
 * one argon2 verification whoever the user, failed-attempt limits per username and per IP). A good
 * password starts the browser session and the authorization request carries on (consent, or the
 * code); a bad one shows the form again.
 */
export function loginRoute(deps: Deps) {
  return new Hono<AppEnv>().onError(pageErrors(deps, deps.log)).post('/login', formBody(), requireCsrfToken(), async (c) => {
    const form = c.get('form');
    const pending = await openPendingRequest(deps, form.get('request'));
    if (!pending) return errorPage(c, deps, expired);
    const checked = await recheckRequest(deps, pending.request);
    if (!('request' in checked)) return respond(c, deps, checked);
    const { request, client } = checked;

    const username = form.get('username') ?? '';
    const password = form.get('password') ?? '';
    const actor = actorFrom(c, `client:${client.id}`);
    const again = { kind: 'login', request, client } as const;
    let login;
    try {
      login = await authenticateUser(deps, actor, { username, password, clientId: client.id, ip: actor.ip ?? null });
    } catch (error) {
      if (error instanceof TooManyRequests)
        return respond(c, deps, again, { error: tooManyAttemptsMessage, username: username.slice(0, 256), status: 429, headers: error.headers });
      if (error instanceof InvalidGrant) return respond(c, deps, again, { error: loginFailedMessage, username: username.slice(0, 256), status: 400 });
      throw error;
    }

    // A new sign-in replaces the browser's previous one (another user, or prompt=login), which ends.
    await endBrowserSession(deps, actor, readSessionCookie(c));
    const { cookie, session } = await startBrowserSession(deps, actor, login.user, login.authTime);
    setSessionCookie(c, cookie, deps.config.loginSessionTtl);
    return respond(c, deps, await continueAuthorization(deps, actor, { request, client, live: { session, user: login.user }, stage: 'signed-in' }));
  });
}
