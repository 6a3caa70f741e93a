import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

/**
 * The endpoints a browser app calls from its own origin: the token exchange, userinfo, and the
 * documents that describe them. Any origin may call them, without credentials: they act on what the
 * request carries (a code and its verifier, a bearer token), never on a cookie, so a page of another
 * site can do nothing here that it could not do from a server. /refresh and /revoke, which read the
 * refresh cookie, are not among them.
 */
export const publicCorsPaths: ReadonlySet<string> = new Set([
  '/token',
  '/userinfo',
  '/.well-known/openid-configuration',
  '/.well-known/oauth-authorization-server',
  '/.well-known/jwks.json',
]);

const exposed = ['WWW-Authenticate', 'Retry-After'].join(',');

/**
 * Answers CORS preflights and adds `Access-Control-Allow-Origin: *` on those paths; elsewhere it does nothing.
 * Outside preflights the headers go onto the response once it exists: hono/cors sets them on a placeholder
 * response before the handler runs, which then has to be copied, body and all, into the handler's.
 */
export const publicCors = (): MiddlewareHandler => {
  const preflight = cors({
    origin: '*',
    allowMethods: ['GET', 'POST'],
    allowHeaders: ['Authorization', 'Content-Type', 'Accept'],
    exposeHeaders: exposed.split(','),
    maxAge: 600,
  });
  return async (c, next) => {
    if (!publicCorsPaths.has(c.req.path)) return next();
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    await next();
    c.res.headers.set('Access-Control-Allow-Origin', '*');
    c.res.headers.set('Access-Control-Expose-Headers', exposed);
  };
};
