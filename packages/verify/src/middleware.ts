import type { MiddlewareHandler } from 'hono';
import { InsufficientUserAuthentication, VerifierError } from './errors.js';
import { hasScope, meetsAcr, type AccessTokenClaims, type Verifier } from './verifier.js';

export type TokenEnv = { Variables: { token: AccessTokenClaims } };

const challenge = (realm: string, fields: Record<string, string> = {}) =>
  ['Bearer', [`realm="${realm}"`, ...Object.entries(fields).map(([k, v]) => `${k}="${v.replace(/["\\]/g, '')}"`)].join(', ')].join(' ');

/** Throws InsufficientUserAuthentication when the token's sign-in is below `acr` (e.g. `urn:tessera:mfa`). */
export function requireAcr(claims: Pick<AccessTokenClaims, 'acr'>, acr: string): void {
  if (!meetsAcr(claims, acr)) throw new InsufficientUserAuthentication(`this resource needs a sign-in at ${acr}`, acr);
}

/**
 * Hono middleware: the request must carry a valid Tessera access token (RFC 6750), with `scope`
 * when given, from a sign-in at least at `acr` when given (else 401 with
 * `WWW-Authenticate: Bearer error="insufficient_user_authentication", acr_values="…"`, RFC 9470).
 * The claims are then on `c.get('token')`.
 */
export function requireToken({
  verifier,
  scope,
  acr,
  realm = 'api',
}: {
  verifier: Verifier;
  scope?: string;
  acr?: string;
  realm?: string;
}): MiddlewareHandler<TokenEnv> {
  return async (c, next) => {
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(c.req.header('authorization') ?? '');
    if (!match) {
      // RFC 6750 §3.1: a request without credentials gets a bare challenge.
      return c.json({ error: 'invalid_token', error_description: 'a bearer access token is required' }, 401, {
        'WWW-Authenticate': challenge(realm),
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
        'WWW-Authenticate': challenge(realm, { error: 'invalid_token', error_description: description }),
      });
    }
    if (scope && !hasScope(claims, scope)) {
      return c.json({ error: 'insufficient_scope', error_description: `this resource needs the "${scope}" scope` }, 403, {
        'WWW-Authenticate': challenge(realm, { error: 'insufficient_scope', scope }),
      });
    }
    if (acr && !meetsAcr(claims, acr)) {
      const description = `this resource needs a sign-in at ${acr}`;
      return c.json({ error: 'insufficient_user_authentication', error_description: description, code: 'ERR_INSUFFICIENT_USER_AUTHENTICATION' }, 401, {
        'WWW-Authenticate': challenge(realm, { error: 'insufficient_user_authentication', error_description: description, acr_values: acr }),
      });
    }
    c.set('token', claims);
    await next();
  };
}
