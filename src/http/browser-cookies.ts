import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { InvalidRequest } from '../errors/oauth.js';
import { constantTimeEqual } from '../lib/hash.js';
import type { Deps } from '../services/deps.js';
import type { SignInBrowser } from '../services/sign-in/complete.js';
import type { AppEnv } from './env.js';

// The cookies of the hosted pages. `__Host-` binds each to this origin (Secure, Path=/, no Domain);
// Lax lets the session ride along when a client sends the browser to /authorize.

export const sessionCookieName = '__Host-tessera-session';
export const csrfCookieName = '__Host-tessera-csrf';

const attributes = { httpOnly: true, secure: true, sameSite: 'Lax', path: '/' } as const;
const tokenShape = /^[A-Za-z0-9_-]{43}$/;

export const readSessionCookie = (c: Context): string | undefined => getCookie(c, sessionCookieName) || undefined;

export function setSessionCookie(c: Context, value: string, maxAgeSeconds: number): void {
  setCookie(c, sessionCookieName, value, { ...attributes, maxAge: maxAgeSeconds });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, sessionCookieName, attributes);
}

/**
 * The CSRF token for a form (double-submit: the same random value in a cookie and in the form). The
 * browser's token is reused while it has one, so two open tabs do not invalidate each other.
 */
export const csrfToken = (c: Context, deps: Pick<Deps, 'ids'>): string => browserSecret(c, deps, csrfCookieName);

/** The cookie that binds a sign-in at an upstream provider to the browser that started it (no login CSRF). */
export const upstreamCookieName = '__Host-tessera-upstream';

export const upstreamBinding = (c: Context, deps: Pick<Deps, 'ids'>): string => browserSecret(c, deps, upstreamCookieName);

export function readUpstreamBinding(c: Context): string | undefined {
  const value = getCookie(c, upstreamCookieName);
  return value !== undefined && tokenShape.test(value) ? value : undefined;
}

/** A random value kept in a cookie of this browser, made when it has none yet. */
function browserSecret(c: Context, deps: Pick<Deps, 'ids'>, name: string): string {
  const current = getCookie(c, name);
  if (current !== undefined && tokenShape.test(current)) return current;
  const fresh = deps.ids.secret();
  setCookie(c, name, fresh, attributes);
  return fresh;
}

/** Refuses a form whose `csrf_token` is missing or differs from the cookie (a page of another site posting here). */
export function checkCsrfToken(c: Context, sent: string | undefined): void {
  const expected = getCookie(c, csrfCookieName);
  if (sent === undefined || expected === undefined || !tokenShape.test(expected) || !constantTimeEqual(sent, expected)) {
    throw new InvalidRequest('this form expired or did not come from this site; go back to the application and try again', 403);
  }
}

/** checkCsrfToken() on a form post. Runs after formBody(). */
export const requireCsrfToken = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  checkCsrfToken(c, c.get('form').get('csrf_token'));
  await next();
};

/** The browser a sign-in completes in: the session cookie it sent, and the new one to set. */
export const signInBrowser = (c: Context, deps: Pick<Deps, 'config' | 'ids'>): SignInBrowser => ({
  sessionCookie: readSessionCookie(c),
  csrfToken: csrfToken(c, deps),
  setSessionCookie: (value) => setSessionCookie(c, value, deps.config.loginSessionTtl),
});
