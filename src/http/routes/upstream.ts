import { Hono, type Context } from 'hono';
import type { Deps } from '../../services/deps.js';
import { resumeSignIn } from '../../services/sign-in/resume.js';
import { finishUpstreamLogin, startUpstreamLogin, type UpstreamStep } from '../../services/upstream/sign-in.js';
import { readUpstreamBinding, signInBrowser, upstreamBinding } from '../browser-cookies.js';
import type { AppEnv } from '../env.js';
import { errorPage, outcomeResponse } from '../pages/outcome.js';
import { pageErrors } from '../pages/page-errors.js';
import { pageHeaders } from '../pages/render-page.js';
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
      const resumed = await resumeSignIn(deps, queryParams(c).get('request'));
      if (resumed.kind === 'expired') return errorPage(c, deps, { key: 'upstreamExpired' });
      if (resumed.kind === 'outcome') return outcomeResponse(c, deps, resumed.outcome);
      const ip = actorFrom(c, 'system').ip ?? null;
      const step = await startUpstreamLogin(deps, { providerId: c.req.param('provider'), pending: resumed.pending, binding: upstreamBinding(c, deps), ip });
      return answer(c, step);
    })
    .get('/upstream/:provider/callback', async (c) => {
      const query = new URLSearchParams([...queryParams(c)]);
      const input = { providerId: c.req.param('provider'), query, binding: readUpstreamBinding(c), browser: signInBrowser(c, deps) };
      return answer(c, await finishUpstreamLogin(deps, actorFrom(c, 'system'), input));
    });

  function answer(c: Context, step: UpstreamStep) {
    switch (step.kind) {
      case 'redirect':
        // To the provider, or back to the client or the account page.
        return c.body(null, 303, { ...pageHeaders(), Location: step.location });
      case 'outcome':
        return outcomeResponse(c, deps, step.outcome);
      case 'failed':
        return errorPage(c, deps, step.message);
    }
  }
}
