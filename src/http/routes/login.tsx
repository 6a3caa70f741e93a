import { Hono, type Context } from 'hono';
import { normalizeUsername } from '../../domain/username.js';
import { recheckRequest, continueAuthorization } from '../../services/authorize.js';
import { endBrowserSession, startBrowserSession } from '../../services/browser-sessions.js';
import type { Deps } from '../../services/deps.js';
import { checkPassword } from '../../services/hosted-login.js';
import { openPendingRequest } from '../../services/pending-request.js';
import { sha256 } from '../../lib/hash.js';
import { readSessionCookie, requireCsrfToken, setSessionCookie } from '../browser-cookies.js';
import type { AppEnv } from '../env.js';
import { formBody } from '../middleware/form-body.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { errorPage, respond } from '../pages/outcome.js';
import { pageErrors } from '../pages/page-errors.js';
import { actorFrom, clientIp } from '../request-info.js';

/** The one message for every failed sign-in: it never says whether the user exists. */
export const loginFailedMessage = 'The username or password is incorrect.';

const expired = 'This sign-in page has expired. Go back to the application and start again.';

/** The sign-in limits of the password grant, on the same counters: per client IP and per username. */
const loginLimits = (deps: Deps) => {
  const username = (c: Context<AppEnv>) => c.get('form').get('username');
  return rateLimit({
    deps,
    rules: [
      { name: 'login-ip', limit: deps.config.loginRateLimitPerIp, windowSeconds: 60, key: (c) => clientIp(c) ?? 'unknown' },
      { name: 'login-user', limit: deps.config.loginRateLimitPerUser, windowSeconds: 60, key: (c) => (username(c) === undefined ? null : sha256(normalizeUsername(username(c)!))) },
    ],
  });
};

/**
 * POST /login: the hosted sign-in form. A good password starts the browser session and the
 * authorization request carries on (consent, or the code); a bad one shows the form again.
 */
export function loginRoute(deps: Deps) {
  return new Hono<AppEnv>().onError(pageErrors(deps, deps.log)).post('/login', formBody(), requireCsrfToken(), loginLimits(deps), async (c) => {
    const form = c.get('form');
    const pending = await openPendingRequest(deps, form.get('request'));
    if (!pending) return errorPage(c, deps, expired);
    const checked = await recheckRequest(deps, pending.request);
    if (!('request' in checked)) return respond(c, deps, checked);
    const { request, client } = checked;

    const username = form.get('username');
    const password = form.get('password');
    const actor = actorFrom(c, `client:${client.id}`);
    const authTime = deps.clock.now().getTime();
    const user = username && password ? await checkPassword(deps, actor, { username, password, client }) : null;
    if (!user) {
      return respond(c, deps, { kind: 'login', request, client }, { error: loginFailedMessage, username: username?.slice(0, 256), status: 400 });
    }

    // A new sign-in replaces the browser's previous one (another user, or prompt=login), which ends.
    await endBrowserSession(deps, actor, readSessionCookie(c));
    const { cookie, session } = await startBrowserSession(deps, actor, user, authTime);
    setSessionCookie(c, cookie, deps.config.loginSessionTtl);
    return respond(c, deps, await continueAuthorization(deps, actor, { request, client, live: { session, user }, stage: 'signed-in' }));
  });
}
