import { Hono, type Context } from 'hono';
import type { AuthorizeParams } from '../../domain/authorize.js';
import { InvalidRequest } from '../../errors/oauth.js';
import { parseAuthorizeRequest } from '../../services/authorize.js';
import { currentBrowserSession } from '../../services/browser-sessions.js';
import type { Deps } from '../../services/deps.js';
import { continueSignIn } from '../../services/sign-in/continue.js';
import { readSessionCookie } from '../browser-cookies.js';
import type { AppEnv } from '../env.js';
import { outcomeResponse } from '../pages/outcome.js';
import { pageErrors } from '../pages/page-errors.js';
import { actorFrom, requestHeader } from '../request-info.js';

/** RFC 6749 §3.1: empty values count as absent; a parameter sent twice is noted, to be refused. */
export function readParams(entries: Iterable<[string, string]>): AuthorizeParams {
  const values = new Map<string, string>();
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const [name, value] of entries) {
    if (seen.has(name)) repeated.add(name);
    seen.add(name);
    if (value !== '') values.set(name, value);
  }
  return { values, repeated };
}

async function postedParams(c: Context): Promise<AuthorizeParams> {
  const type = (requestHeader(c, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new InvalidRequest('content type must be application/x-www-form-urlencoded', 415);
  return readParams(new URLSearchParams(await c.req.text()));
}

/**
 * GET|POST /authorize (RFC 6749 §4.1.1, OpenID Connect Core §3.1.2.1): the login page, the consent
 * page, or a redirect back to the client with a code or an error.
 */
export function authorizeRoute(deps: Deps) {
  const handle = async (c: Context<AppEnv>, params: AuthorizeParams) => {
    const parsed = await parseAuthorizeRequest(deps, params);
    if (!('request' in parsed)) return outcomeResponse(c, deps, parsed);
    const live = await currentBrowserSession(deps, readSessionCookie(c));
    const outcome = await continueSignIn(deps, actorFrom(c, `client:${parsed.client.id}`), { pending: parsed, live, done: [] });
    return outcomeResponse(c, deps, outcome);
  };
  return new Hono<AppEnv>()
    .onError(pageErrors(deps, deps.log))
    .get('/authorize', (c) => handle(c, readParams(new URL(c.req.url).searchParams)))
    .post('/authorize', async (c) => handle(c, await postedParams(c)));
}
