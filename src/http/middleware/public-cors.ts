import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

/**
 * The endpoints a browser app calls from its own origin: the token exchange, userinfo, dynamic
 * registration (an MCP client in a browser registers itself), and the documents that describe them. Any origin may call them, without credentials: they act on what the
 * request carries (a code and its verifier, a bearer token), never on a cookie, so a page of another
 * site can do nothing here that it could not do from a server. /refresh and /revoke, which read the
 * refresh cookie, are not among them.
 */
export const publicCorsPaths: ReadonlySet<string> = new Set([
  '/token',
  '/userinfo',
  '/register',
  '/.well-known/openid-configuration',
  '/.well-known/oauth-authorization-server',
  '/.well-known/jwks.json',
]);

/** The headers of a public path's answer outside preflights. */
export const corsHeaders = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': ['WWW-Authenticate', 'Retry-After', 'DPoP-Nonce'].join(','),
} as const;

/** Answers the CORS preflight of a public path (the request pipeline sends only those here). */
export const corsPreflight = (): MiddlewareHandler =>
  cors({
    origin: '*',
    allowMethods: ['GET', 'POST'],
    // DPoP: a browser app sends its proofs (RFC 9449) and reads the server's nonces.
    allowHeaders: ['Authorization', 'Content-Type', 'Accept', 'DPoP'],
    exposeHeaders: corsHeaders['Access-Control-Expose-Headers'].split(','),
    maxAge: 600,
  });

/**
 * Outside preflights the headers go onto the response once it exists: hono/cors sets them on a placeholder
 * response before the handler runs, which then has to be copied, body and all, into the handler's.
 */
export function addCorsHeaders(res: Response): void {
  res.headers.set('Access-Control-Allow-Origin', corsHeaders['Access-Control-Allow-Origin']);
  res.headers.set('Access-Control-Expose-Headers', corsHeaders['Access-Control-Expose-Headers']);
}
