import { jwtVerify } from 'jose';
import { dpopChecker, type DpopOptions, type DpopRequest } from './dpop.js';
import { DpopBindingMismatch, TokenMalformed, TokenRevoked } from './errors.js';
import { fromJoseError } from './jose-errors.js';
import { issuerKeys } from './jwks.js';
import { followRevocations, type RevocationFollower } from './revocation-follower.js';

export type Algorithm = 'RS256' | 'PS256' | 'ES256' | 'EdDSA';

/** The claims of a Tessera access token (RFC 9068). */
export type AccessTokenClaims = {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  jti: string;
  client_id: string;
  /** Space-separated; may be empty. */
  scope: string;
  /** The session (refresh-token family) the token comes from; absent for client_credentials. */
  sid?: string;
  /** RFC 9449 §6.1: the DPoP key the token is bound to; such a token is good only with a proof by that key. */
  cnf?: { jkt: string };
  /** On tokens from a sign-in: when it happened (seconds), how (RFC 8176), and the level that makes. */
  auth_time?: number;
  amr?: string[];
  acr?: string;
};

/** How the request presented the token: as Bearer, or (RFC 9449 §7.1) as DPoP with its proof over the request. */
export type Presentation = { scheme: 'Bearer' } | ({ scheme: 'DPoP' } & DpopRequest);

/** Tessera's authentication levels, weakest first: a password (or an upstream provider) alone, then two factors or a verified passkey. */
export const acrLevels = ['urn:tessera:pwd', 'urn:tessera:mfa'] as const;

/** Whether the token's sign-in reached `acr` (a token without one, such as client_credentials, reaches none). */
export function meetsAcr(claims: Pick<AccessTokenClaims, 'acr'>, acr: string): boolean {
  const needed = acrLevels.indexOf(acr as (typeof acrLevels)[number]);
  const reached = claims.acr === undefined ? -1 : acrLevels.indexOf(claims.acr as (typeof acrLevels)[number]);
  return needed >= 0 && reached >= needed;
}

export type VerifierOptions = {
  /** Tessera's issuer URL, exactly as in its tokens' `iss`. */
  issuer: string;
  /** This service's identifier; the token's `aud` must contain it. */
  audience: string | string[];
  /** Accepted signing algorithms; never `none` or an HMAC. Default: RS256, PS256, ES256, EdDSA. */
  algorithms?: Algorithm[];
  /** Seconds of clock skew tolerated on exp/iat; at most 300. Default 5. */
  clockTolerance?: number;
  /** Follow the revocation feed so revoked sessions' tokens are refused within seconds; an object tunes how. */
  revocations?: boolean | RevocationOptions;
  /** Defaults to `${issuer}/.well-known/jwks.json`. */
  jwksUri?: string;
  /** Minimum time between JWKS refetches triggered by an unknown `kid` (or retried while it is unreachable). Default 30 s. */
  jwksCooldownMs?: number;
  /** The JWKS is refetched before use once this old; while it cannot be reached the last keys stay in use. Default 10 min. */
  jwksCacheMaxAgeMs?: number;
  /**
   * Accept DPoP-bound tokens (RFC 9449) sent with the DPoP scheme: the proof is checked against the request's method
   * and URL and the token's `cnf.jkt`, each proof accepted once (an in-memory cache over the iat window). Without it,
   * a bound token is always refused: it is worthless without the client's key.
   */
  dpop?: boolean | DpopOptions;
  /**
   * RFC 9728: describe this API to clients that know only its URL (MCP clients among them). The
   * verifier then offers `protectedResource` (the metadata route) and `requireToken` names its URL in
   * every refusal (`WWW-Authenticate: Bearer resource_metadata="…"`). `resource` defaults to `audience`.
   */
  protectedResource?: { resource?: string; scopes?: string[]; name?: string; documentation?: string };
  /** For tests and offline use: the current time, and the fetch to reach Tessera with. */
  now?: () => Date;
  fetch?: typeof fetch;
};

export type RevocationOptions = {
  /** Between polls when the feed cannot stream, and before a reconnect. Default 1 s. */
  retryMs?: number;
  /** A stream silent this long (no event, no keep-alive) is presumed dead and reopened. Default 45 s. */
  idleMs?: number;
  /** How long the first verifications wait for the first read of the feed. Default 5 s. */
  readyTimeoutMs?: number;
  /** Hears every failure to read the feed (verification goes on meanwhile); for your logs. */
  onError?: (error: Error) => void;
};

const allowedAlgorithms: readonly Algorithm[] = ['RS256', 'PS256', 'ES256', 'EdDSA'];
const maxClockTolerance = 300;

export type Verifier = {
  /**
   * The token's claims, or a VerifierError with a stable `code`. `presented`: how the request sent it (default Bearer);
   * a DPoP-bound token is good only as DPoP, with a proof by its key.
   */
  verify(token: string, presented?: Presentation): Promise<AccessTokenClaims>;
  /** Whether DPoP tokens are accepted (the `dpop` option). */
  readonly dpop: boolean;
  /** Resolves when the revocation feed has been read once (at once without `revocations`). */
  ready(): Promise<void>;
  /** Stops following the revocation feed. */
  close(): void;
};

export function createTokenVerifier(options: VerifierOptions): Verifier {
  // `iss` must equal the issuer exactly; only the URLs built from it drop a trailing slash.
  const issuer = options.issuer;
  const base = issuer.replace(/\/+$/, '');
  const algorithms = options.algorithms ?? [...allowedAlgorithms];
  const refused = algorithms.filter((a) => !allowedAlgorithms.includes(a));
  if (refused.length > 0) throw new TypeError(`algorithms not allowed: ${refused.join(', ')}`);
  const tolerance = options.clockTolerance ?? 5;
  if (!Number.isFinite(tolerance) || tolerance < 0) throw new TypeError('clockTolerance must be a number of seconds, 0 or more');
  // Capped: a large tolerance would quietly stretch every token's lifetime.
  const clockTolerance = Math.min(tolerance, maxClockTolerance);
  const now = options.now ?? (() => new Date());
  const fetchImpl = options.fetch ?? globalThis.fetch;

  const jwks = issuerKeys({
    url: options.jwksUri ?? `${base}/.well-known/jwks.json`,
    fetch: fetchImpl,
    now,
    cooldownMs: options.jwksCooldownMs ?? 30_000,
    cacheMaxAgeMs: options.jwksCacheMaxAgeMs ?? 600_000,
  });

  const revocations = options.revocations === true ? {} : options.revocations || null;
  const follower: RevocationFollower | null = revocations
    ? followRevocations({ ...revocations, url: `${base}/revocations`, fetch: fetchImpl, now, graceSeconds: clockTolerance })
    : null;

  const dpop = options.dpop ? dpopChecker({ ...(options.dpop === true ? {} : options.dpop), now }) : null;

  return {
    dpop: dpop !== null,
    async verify(token, presented = { scheme: 'Bearer' }) {
      if (typeof token !== 'string' || token.split('.').length !== 3) throw new TokenMalformed('token is not a compact JWS');
      let claims: AccessTokenClaims;
      try {
        const { payload } = await jwtVerify(token, jwks, {
          issuer,
          audience: options.audience,
          algorithms,
          typ: 'at+jwt',
          clockTolerance,
          currentDate: now(),
          requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id'],
        });
        claims = payload as unknown as AccessTokenClaims;
      } catch (error) {
        throw fromJoseError(error, options.audience);
      }
      if (typeof claims.scope !== 'string') claims.scope = '';
      if (follower) {
        await follower.ready;
        if (follower.isRevoked(claims)) throw new TokenRevoked('this token, its session or its client has been revoked');
      }
      const bound = typeof claims.cnf?.jkt === 'string' ? claims.cnf.jkt : null;
      if (presented.scheme === 'Bearer') {
        if (bound !== null) throw new DpopBindingMismatch('this access token is bound to a DPoP key: send it with the DPoP scheme and a proof');
        return claims;
      }
      if (!dpop) throw new DpopBindingMismatch('this service does not accept DPoP tokens');
      const jkt = await dpop.check(presented, token);
      if (bound === null) throw new DpopBindingMismatch('this access token is not bound to a DPoP key: send it as a Bearer token');
      if (jkt !== bound) throw new DpopBindingMismatch('the DPoP proof is by another key than the one the access token is bound to');
      return claims;
    },
    ready: async () => {
      await follower?.ready;
    },
    close: () => follower?.close(),
  };
}

/** Whether the claims grant every scope in `required` (space-separated). */
export function hasScope(claims: Pick<AccessTokenClaims, 'scope'>, required: string): boolean {
  const granted = new Set(claims.scope.split(' '));
  return required
    .split(' ')
    .filter(Boolean)
    .every((s) => granted.has(s));
}
