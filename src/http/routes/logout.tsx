import { Hono, type Context } from 'hono';
import { InvalidRequest } from '../../errors/oauth.js';
import type { Deps } from '../../services/deps.js';
import { logout } from '../../services/logout.js';
import { clearSessionCookie, readSessionCookie } from '../browser-cookies.js';
import type { AppEnv } from '../env.js';
import { MessagePage } from '../pages/message.js';
import { pageErrors } from '../pages/page-errors.js';
import { pageHeaders, renderPage } from '../pages/respond.js';
import { actorFrom, requestHeader } from '../request-info.js';
import { readParams } from './authorize.js';

const fields = ['id_token_hint', 'client_id', 'post_logout_redirect_uri', 'state'] as const;

async function logoutParams(c: Context): Promise<URLSearchParams> {
  if (c.req.method === 'GET') return new URL(c.req.url).searchParams;
  const type = (requestHeader(c, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const text = await c.req.text();
  if (text === '') return new URLSearchParams();
  if (type !== 'application/x-www-form-urlencoded') throw new InvalidRequest('content type must be application/x-www-form-urlencoded', 415);
  return new URLSearchParams(text);
}

/** GET|POST /logout (OpenID Connect RP-Initiated Logout 1.0). */
export function logoutRoute(deps: Deps) {
  const handler = async (c: Context<AppEnv>) => {
    const { values, repeated } = readParams(await logoutParams(c));
    const twice = fields.find((f) => repeated.has(f));
    if (twice) throw new InvalidRequest(`parameter "${twice}" must not be repeated`);
    const { redirect } = await logout(deps, actorFrom(c, 'browser'), {
      cookie: readSessionCookie(c),
      idTokenHint: values.get('id_token_hint'),
      clientId: values.get('client_id'),
      postLogoutRedirectUri: values.get('post_logout_redirect_uri'),
      state: values.get('state'),
    });
    clearSessionCookie(c);
    if (redirect) return c.body(null, 303, { ...pageHeaders(), Location: redirect });
    const page = <MessagePage brand={deps.config.loginTitle} title="You are signed out" lines={['You can close this window now.']} />;
    return renderPage(c, page, 200, pageHeaders());
  };
  return new Hono<AppEnv>().onError(pageErrors(deps, deps.log)).get('/logout', handler).post('/logout', handler);
}
