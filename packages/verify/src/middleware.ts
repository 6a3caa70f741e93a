import type { MiddlewareHandler } from 'hono';
import { VerifierError } from './errors.js';
import { hasScope, type AccessTokenClaims, type Verifier } from './verifier.js';

export type TokenEnv = { Variables: { token: AccessTokenClaims } };

const bearerChallenge = (realm: string, fields: Record<string, string>) =>
  ['Bearer', [`realm="${realm}"`, ...Object.entries(fields).map(([k, v]) => `${k}="${v.replace(/["\\]/g, '')}"`)].join(', ')].join(' ');

export type RequireTokenOptions = {
  verifier: Verifier;
  scope?: string;
  realm?: string;
  /** RFC 9728: the URL of this API's protected resource metadata, named in every challenge so clients find the authorization server. */
  resourceMetadata?: string;
};

/**
 * Hono middleware: the request must carry a valid Tessera access token (RFC 6750), with `scope`
 * when given. The claims are then on `c.get('token')`.
 */
export function requireToken({ verifier, scope, realm = 'api', resourceMetadata }: RequireTokenOptions): MiddlewareHandler<TokenEnv> {
  const discovery: Record<string, string> = resourceMetadata === undefined ? {} : { resource_metadata: resourceMetadata };
  const challenge = (fields: Record<string, string> = {}) => bearerChallenge(realm, { ...fields, ...discovery });
  return async (c, next) => {
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(c.req.header('authorization') ?? '');
    if (!match) {
      // RFC 6750 §3.1: a request without credentials gets a bare challenge.
      return c.json({ error: 'invalid_token', error_description: 'a bearer access token is required' }, 401, {
        'WWW-Authenticate': challenge(),
      });
    }
    let claims: AccessTokenClaims;
    try {
      claims = await verifier.verify(match[1]!);
    } catch (error) {
      const description = error instanceof VerifierError ? error.message : 'token could not be verified';
      const code = error instanceof VerifierError ? error.code : 'ERR_TOKEN_MALFORMED';
      if (code === 'ERR_JWKS_UNAVAILABLE') {
        // Our problem, not the token's: a 401 would send clients to refresh or log in again for nothing.
        return c.json({ error: 'temporarily_unavailable', error_description: description, code }, 503, { 'Retry-After': '5' });
      }
      return c.json({ error: 'invalid_token', error_description: description, code }, 401, {
        'WWW-Authenticate': challenge({ error: 'invalid_token', error_description: description }),
      });
    }
    if (scope && !hasScope(claims, scope)) {
      return c.json({ error: 'insufficient_scope', error_description: `this resource needs the "${scope}" scope` }, 403, {
        'WWW-Authenticate': challenge({ error: 'insufficient_scope', scope }),
      });
    }
    c.set('token', claims);
    await next();
  };
}
