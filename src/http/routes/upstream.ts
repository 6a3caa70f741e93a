import { Hono, type Context } from 'hono';
import { continueAuthorization, recheckRequest } from '../../services/authorize.js';
import { endBrowserSession, startBrowserSession } from '../../services/browser-sessions.js';
import type { Deps } from '../../services/deps.js';
import { openPendingRequest } from '../../services/pending-request.js';
import { finishUpstreamLogin, startUpstreamLogin, upstreamMessages, type UpstreamStep } from '../../services/upstream/sign-in.js';
import { readSessionCookie, readUpstreamBinding, setSessionCookie, upstreamBinding } from '../browser-cookies.js';
import type { AppEnv } from '../env.js';
import { errorPage, respond } from '../pages/outcome.js';
import { pageErrors } from '../pages/page-errors.js';
import { pageHeaders } from '../pages/respond.js';
import { queryParams } from '../params.js';
import { actorFrom } from '../request-info.js';

/**
 * Sign-in with an upstream OpenID provider (README, "Sign in with Google / Kakao / another provider"):
 * GET /upstream/ID/start, the "Continue with NAME" link of the login page, sends the browser to the
 * provider; GET /upstream/ID/callback, where the provider sends it back, signs the user in and carries
 * on with the authorization request as POST /login does. Every failure ends on the login page.
 */
export function upstreamRoutes(deps: Deps) {
  return new Hono<AppEnv>()
    .onError(pageErrors(deps, deps.log))
    .get('/upstream/:provider/start', async (c) => {
      const sealed = await openPendingRequest(deps, queryParams(c).get('request'));
      if (!sealed) return errorPage(c, deps, upstreamMessages.expired);
      const checked = await recheckRequest(deps, sealed.request);
      if (!('request' in checked)) return respond(c, deps, checked);
      const ip = actorFrom(c, 'system').ip ?? null;
      const result = await startUpstreamLogin(deps, { providerId: c.req.param('provider'), pending: checked, browser: upstreamBinding(c, deps), ip });
      return answer(c, result);
    })
    .get('/upstream/:provider/callback', async (c) => {
      const actor = actorFrom(c, 'system');
      const query = new URLSearchParams([...queryParams(c)]);
      const result = await finishUpstreamLogin(deps, actor, { providerId: c.req.param('provider'), query, browser: readUpstreamBinding(c) });
      if (result.kind !== 'signed-in') return answer(c, result);
      const { user, provider, authTime, pending } = result;
      const clientActor = actorFrom(c, `client:${pending.client.id}`);
      // As after a password: a new sign-in replaces the browser's previous one.
      await endBrowserSession(deps, clientActor, readSessionCookie(c));
      const { cookie, session } = await startBrowserSession(deps, clientActor, user, authTime, provider);
      setSessionCookie(c, cookie, deps.config.loginSessionTtl);
      return respond(c, deps, await continueAuthorization(deps, clientActor, { ...pending, live: { session, user }, stage: 'signed-in' }));
    });

  function answer(c: Context, result: UpstreamStep) {
    switch (result.kind) {
      case 'redirect':
        return c.body(null, 303, { ...pageHeaders(), Location: result.location });
      case 'outcome':
        return respond(c, deps, result.outcome);
      case 'failed':
        if (!result.pending) return errorPage(c, deps, result.message);
        if (result.retryAfter !== undefined) {
          const headers = { 'Retry-After': String(Math.max(1, result.retryAfter)) };
          return respond(c, deps, { kind: 'login', ...result.pending }, { error: result.message, status: 429, headers });
        }
        return respond(c, deps, { kind: 'login', ...result.pending }, { error: result.message, status: 400 });
    }
  }
}
