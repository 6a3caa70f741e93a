import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Client } from '../domain/types.js';
import { InvalidRequest } from '../errors/oauth.js';
import type { TokenResponse } from '../services/sessions/access-token.js';
import type { Deps } from '../services/deps.js';
import type { AppEnv } from './env.js';
import { prebuiltAnswer } from './prebuilt-answer.js';
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

/** RFC 6749 §5.1: a token answer is JSON and must not be cached. */
const tokenAnswerHeaders = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

/**
 * The token response of /token and /refresh. A cookie-mode client never sees its refresh token: it rides in an HttpOnly
 * cookie. Otherwise the answer is prebuilt (one plain header object, prebuilt-answer.ts): a fetch Headers object built,
 * filled and read back per answer was 1.6% of a token request's CPU.
 */
export function sendTokenResponse(c: Context<AppEnv>, deps: Pick<Deps, 'config'>, client: Pick<Client, 'refreshCookie'>, response: TokenResponse): Response {
  if (!client.refreshCookie) return prebuiltAnswer(c, JSON.stringify(response), 200, tokenAnswerHeaders);
  const { refresh_token: refreshToken, ...body } = response;
  if (refreshToken !== undefined) setRefreshCookie(c, refreshToken, deps.config.refreshIdleTtl);
  return c.json(body);
}
