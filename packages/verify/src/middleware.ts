import type { Context, MiddlewareHandler } from 'hono';
import { dpopAlgorithms } from './dpop.js';
import { InsufficientUserAuthentication, VerifierError } from './errors.js';
import { hasScope, meetsAcr, type AccessTokenClaims, type Presentation, type Verifier } from './verifier.js';

export type TokenEnv = { Variables: { token: AccessTokenClaims } };

type Scheme = 'Bearer' | 'DPoP';

const params = (fields: Record<string, string>) => Object.entries(fields).map(([k, v]) => `${k}="${v.replace(/["\\]/g, '')}"`);

/** RFC 6750 §3 and RFC 9449 §7.1: the challenge of `scheme`; the DPoP one names the proof algorithms accepted. */
const schemeChallenge = (scheme: Scheme, realm: string, fields: Record<string, string>) =>
  scheme === 'DPoP'
    ? `DPoP ${[...params(fields), `algs="${dpopAlgorithms.join(' ')}"`].join(', ')}`
    : `Bearer ${[`realm="${realm}"`, ...params(fields)].join(', ')}`;

export type RequireTokenOptions = {
  verifier: Verifier;
  scope?: string;
  /** RFC 9470: the least authentication level (acr) the token's sign-in must have reached, e.g. `urn:tessera:mfa`. */
  acr?: string;
  realm?: string;
  /** The URL the client addressed, which a DPoP proof's htu names; behind a proxy, give the public one. Default: the request's URL. */
  url?: (c: Context) => string;
  /** RFC 9728: the URL of this API's protected resource metadata, named in every challenge so clients find the authorization server. */
  resourceMetadata?: string;
};

/** Throws InsufficientUserAuthentication when the token's sign-in is below `acr` (e.g. `urn:tessera:mfa`). */
export function requireAcr(claims: Pick<AccessTokenClaims, 'acr'>, acr: string): void {
  if (!meetsAcr(claims, acr)) throw new InsufficientUserAuthentication(`this resource needs a sign-in at ${acr}`, acr);
}

/**
 * Hono middleware: the request must carry a valid Tessera access token, as Bearer (RFC 6750) or, when the verifier
 * accepts DPoP, as a DPoP-bound token with its proof (RFC 9449 §7), with `scope` when given, from a sign-in at least
 * at `acr` when given (else 401 with `error="insufficient_user_authentication", acr_values="…"`, RFC 9470).
 * The claims are then on `c.get('token')`. Refusals carry the challenge of the scheme that applies.
 */
export function requireToken({
  verifier,
  scope,
  acr,
  realm = 'api',
  url = (c) => c.req.url,
  resourceMetadata,
}: RequireTokenOptions): MiddlewareHandler<TokenEnv> {
  const discovery: Record<string, string> = resourceMetadata === undefined ? {} : { resource_metadata: resourceMetadata };
  const challenge = (scheme: Scheme, fields: Record<string, string> = {}) => schemeChallenge(scheme, realm, { ...fields, ...discovery });
  const schemes = verifier.dpop ? 'Bearer|DPoP' : 'Bearer';
  const pattern = new RegExp(`^(${schemes}) ([A-Za-z0-9._~+/-]+=*)$`, 'i');
  return async (c, next) => {
    const match = pattern.exec(c.req.header('authorization') ?? '');
    if (!match) {
      // RFC 6750 §3.1: a request without credentials gets a bare challenge (RFC 9449 §7.2: one per scheme accepted).
      const challenges = verifier.dpop ? `${challenge('Bearer')}, ${challenge('DPoP')}` : challenge('Bearer');
      return c.json({ error: 'invalid_token', error_description: `a ${verifier.dpop ? 'Bearer or DPoP' : 'bearer'} access token is required` }, 401, {
        'WWW-Authenticate': challenges,
      });
    }
    const scheme: Scheme = match[1]!.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer';
    const presented: Presentation = scheme === 'DPoP' ? { scheme, proof: c.req.header('dpop'), method: c.req.method, url: url(c) } : { scheme };
    let claims: AccessTokenClaims;
    try {
      claims = await verifier.verify(match[2]!, presented);
    } catch (error) {
      const description = error instanceof VerifierError ? error.message : 'token could not be verified';
      const code = error instanceof VerifierError ? error.code : 'ERR_TOKEN_MALFORMED';
      if (code === 'ERR_JWKS_UNAVAILABLE') {
        // Our problem, not the token's: a 401 would send clients to refresh or log in again for nothing.
        return c.json({ error: 'temporarily_unavailable', error_description: description, code }, 503, { 'Retry-After': '5' });
      }
      const error_ = code === 'ERR_DPOP_PROOF_INVALID' ? 'invalid_dpop_proof' : 'invalid_token';
      // A DPoP problem, or a bound token sent as Bearer, is answered with the DPoP challenge: that is the scheme to use.
      const answerScheme: Scheme = scheme === 'DPoP' || code === 'ERR_DPOP_BINDING_MISMATCH' ? 'DPoP' : 'Bearer';
      return c.json({ error: error_, error_description: description, code }, 401, {
        'WWW-Authenticate': challenge(answerScheme, { error: error_, error_description: description }),
      });
    }
    if (scope && !hasScope(claims, scope)) {
      return c.json({ error: 'insufficient_scope', error_description: `this resource needs the "${scope}" scope` }, 403, {
        'WWW-Authenticate': challenge(scheme, { error: 'insufficient_scope', scope }),
      });
    }
    if (acr && !meetsAcr(claims, acr)) {
      const description = `this resource needs a sign-in at ${acr}`;
      return c.json({ error: 'insufficient_user_authentication', error_description: description, code: 'ERR_INSUFFICIENT_USER_AUTHENTICATION' }, 401, {
        'WWW-Authenticate': challenge(scheme, { error: 'insufficient_user_authentication', error_description: description, acr_values: acr }),
      });
    }
    c.set('token', claims);
    await next();
  };
}
