import { Hono, type Context } from 'hono';
import type { AuthorizeParams } from '../../domain/authorize.js';
import { parseAuthorizeRequest } from '../../services/authorize.js';
import { currentBrowserSession } from '../../services/browser-sessions.js';
import type { Deps } from '../../services/deps.js';
import { isPushedRequestUri, takePushedRequest } from '../../services/par.js';
import { continueSignIn } from '../../services/sign-in/continue.js';
import { readSessionCookie, signInBrowser } from '../browser-cookies.js';
import type { AppEnv } from '../env.js';
import { outcomeResponse } from '../pages/outcome.js';
import { pageErrors } from '../pages/page-errors.js';
import { readFormBody, readQuery } from '../params.js';
import { actorFrom } from '../request-info.js';

/**
 * GET|POST /authorize (RFC 6749 §4.1.1, OpenID Connect Core §3.1.2.1): the login page, the consent
 * page, or a redirect back to the client with a code or an error.
 */
export function authorizeRoute(deps: Deps) {
  const handle = async (c: Context<AppEnv>, query: AuthorizeParams) => {
    // A pushed request (RFC 9126 §4) stands in for the query's parameters; any other request_uri is refused as before.
    const pushed = isPushedRequestUri(query.values.get('request_uri')) ? await takePushedRequest(deps, query) : null;
    if (pushed && 'description' in pushed) return outcomeResponse(c, deps, { kind: 'page', description: pushed.description });
    const parsed = await parseAuthorizeRequest(deps, pushed ?? query, { pushed: pushed !== null });
    if (!('request' in parsed)) return outcomeResponse(c, deps, parsed);
    const live = await currentBrowserSession(deps, readSessionCookie(c));
    const outcome = await continueSignIn(deps, actorFrom(c, `client:${parsed.client.id}`), {
      pending: parsed,
      live,
      done: [],
      browser: signInBrowser(c, deps),
    });
    return outcomeResponse(c, deps, outcome);
  };
  return new Hono<AppEnv>()
    .onError(pageErrors(deps, deps.log))
    .get('/authorize', (c) => handle(c, readQuery(c)))
    .post('/authorize', async (c) => handle(c, await readFormBody(c)));
}
