import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Client } from '../domain/types.js';
import { InvalidRequest } from '../errors/oauth.js';
import type { TokenResponse } from '../services/sessions/access-token.js';
import type { Deps } from '../services/deps.js';
import type { AppEnv } from './env.js';
import { jsonAnswer } from './prebuilt-answer.js';
import { requestHeader } from './request-info.js';

export const refreshCookieName = '__Host-tessera-rt';

const attributes = { httpOnly: true, secure: true, sameSite: 'Strict', path: '/' } as const;

export const readRefreshCookie = (c: Context): string | undefined => getCookie(c, refreshCookieName) || undefined;

export function setRefreshCookie(c: Context, token: string, maxAgeSeconds: number): void {
  setCookie(c, refreshCookieName, token, { ...attributes, maxAge: Math.max(0, maxAgeSeconds) });
}

export function clearRefreshCookie(c: Context): void {
  deleteCookie(c, refreshCookieName, attributes);
}

/**
 * CSRF defence: a request whose token would come from the refresh cookie alone (no `field` in the
 * body) must carry X-Requested-With, which a cross-site form cannot set. Runs after formBody().
 */
export const cookieNeedsRequestedWith =
  (field: string): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const cookieOnly = !c.get('form').has(field) && readRefreshCookie(c) !== undefined;
    if (cookieOnly && requestHeader(c, 'x-requested-with') === undefined) {
      throw new InvalidRequest('a request that sends the refresh cookie must also send the X-Requested-With header', 403);
    }
    await next();
  };

/** The token response of /token and /refresh. A cookie-mode client never sees its refresh token: it rides in an HttpOnly cookie. */
export function sendTokenResponse(c: Context<AppEnv>, deps: Pick<Deps, 'config'>, client: Pick<Client, 'refreshCookie'>, response: TokenResponse): Response {
  if (!client.refreshCookie) return jsonAnswer(c, response);
  const { refresh_token: refreshToken, ...body } = response;
  if (refreshToken !== undefined) setRefreshCookie(c, refreshToken, deps.config.refreshIdleTtl);
  return c.json(body);
}
