import { dpopAlgorithms } from '../domain/dpop.js';

/**
 * The status of each error code the OAuth endpoints answer with: RFC 6749 §5.2, RFC 6750 §3.1
 * (`invalid_token`, `insufficient_scope`), RFC 6749 §4.1.2.1 (`temporarily_unavailable`), and
 * `too_many_requests` for the rate limits (README, "Failed-attempt limits"), RFC 9449's DPoP codes (§5, §8),
 * which a protected resource answers with 401 instead (§7.1, §9), and RFC 7591 §3.2.2's `invalid_redirect_uri`
 * and `invalid_client_metadata` (POST /register).
 */
export const oauthErrorStatus = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
  /** RFC 9126 §2.3: /par answers the errors /authorize would redirect with, as JSON. */
  unsupported_response_type: 400,
  request_not_supported: 400,
  request_uri_not_supported: 400,
  invalid_target: 400,
  invalid_token: 401,
  insufficient_scope: 403,
  too_many_requests: 429,
  temporarily_unavailable: 503,
  invalid_dpop_proof: 400,
  use_dpop_nonce: 400,
  // RFC 7591 §3.2.2, dynamic client registration.
  invalid_redirect_uri: 400,
  invalid_client_metadata: 400,
} as const;

export type OAuthErrorCode = keyof typeof oauthErrorStatus;

/** An invalid_request may say more precisely what is wrong: a refused origin, a body too large; a DPoP error at a resource is 401. */
type RequestStatus = 400 | 401 | 403 | 413;

export type OAuthErrorStatus = (typeof oauthErrorStatus)[OAuthErrorCode] | RequestStatus;

export class OAuthError extends Error {
  readonly status: OAuthErrorStatus;
  constructor(
    readonly code: OAuthErrorCode,
    readonly description?: string,
    /** Extra response headers, e.g. WWW-Authenticate or Retry-After. */
    readonly headers: Readonly<Record<string, string>> = {},
    status?: RequestStatus,
  ) {
    super(description ?? code);
    this.name = new.target.name;
    this.status = status ?? oauthErrorStatus[code];
  }
}

/** RFC 6750 §3: the challenge of a Bearer-protected resource. */
const bearer = (params: Record<string, string> = {}) => ({
  'WWW-Authenticate': ['Bearer realm="tessera"', ...Object.entries(params).map(([k, v]) => `${k}="${v}"`)].join(', '),
});

/** Where a DPoP error is answered: the token endpoint (400, RFC 9449 §5) or a protected resource (401 with a DPoP challenge, §7.1). */
export type DpopErrorSite = 'token' | 'resource';

/** RFC 9449 §7.1 and §12: the DPoP challenge, naming the proof algorithms accepted. */
const dpopChallenge = (params: Record<string, string> = {}) =>
  ['DPoP', [...Object.entries(params).map(([k, v]) => `${k}="${v}"`), `algs="${dpopAlgorithms.join(' ')}"`].join(', ')].join(' ');

const challenge = (scheme: 'Bearer' | 'DPoP', params: Record<string, string>) =>
  scheme === 'DPoP' ? { 'WWW-Authenticate': dpopChallenge(params) } : bearer(params);

/** The Retry-After header of a refusal for `seconds` (RFC 9110 §10.2.3), at least one second. */
export const retryAfter = (seconds: number): Record<string, string> => ({ 'Retry-After': String(Math.max(1, Math.ceil(seconds))) });

export class InvalidRequest extends OAuthError {
  constructor(description: string, status: RequestStatus = 400) {
    super('invalid_request', description, {}, status);
  }
}

export class InvalidClient extends OAuthError {
  /** `basic`: the client tried HTTP Basic, so the answer challenges it again (RFC 6749 §5.2). */
  constructor(description = 'client authentication failed', basic = false) {
    super('invalid_client', description, basic ? { 'WWW-Authenticate': 'Basic realm="tessera", charset="UTF-8"' } : {});
  }
}

export class InvalidGrant extends OAuthError {
  constructor(description: string) {
    super('invalid_grant', description);
  }
}

export class UnauthorizedClient extends OAuthError {
  constructor(description: string) {
    super('unauthorized_client', description);
  }
}

export class UnsupportedGrantType extends OAuthError {
  constructor(description: string) {
    super('unsupported_grant_type', description);
  }
}

export class InvalidScope extends OAuthError {
  constructor(description: string) {
    super('invalid_scope', description);
  }
}

/** RFC 8707 §2: a `resource` (or RFC 8693 `audience`) that is unknown, not allowed to the client, or not granted. */
export class InvalidTarget extends OAuthError {
  constructor(description: string) {
    super('invalid_target', description);
  }
}

/** RFC 6750 §3.1: a token that is malformed, expired or revoked; `scheme` DPoP when it came as a DPoP token (RFC 9449 §7.1). */
export class InvalidToken extends OAuthError {
  constructor(description: string, scheme: 'Bearer' | 'DPoP' = 'Bearer') {
    super('invalid_token', description, challenge(scheme, { error: 'invalid_token', error_description: description }));
  }
}

/** RFC 6750 §3.1: a request with no credentials gets bare challenges, without an error code, for both schemes (RFC 9449 §7.2). */
export class MissingToken extends OAuthError {
  /** `bearerOnly` where a DPoP-bound token has no place (the initial access token of /register, RFC 7591 §3). */
  constructor({ bearerOnly = false } = {}) {
    super(
      'invalid_token',
      bearerOnly ? 'an access token is required' : 'an access token is required (Bearer, or DPoP with its proof)',
      bearerOnly ? bearer() : { 'WWW-Authenticate': `${bearer()['WWW-Authenticate']}, ${dpopChallenge()}` },
    );
  }
}

/** RFC 9449 §5 and §7.1: a DPoP proof missing where it is needed, malformed, or not matching the request or the token. */
export class InvalidDpopProof extends OAuthError {
  constructor(description: string, site: DpopErrorSite = 'token') {
    const resource = site === 'resource';
    super(
      'invalid_dpop_proof',
      description,
      resource ? { 'WWW-Authenticate': dpopChallenge({ error: 'invalid_dpop_proof', error_description: description }) } : {},
      resource ? 401 : 400,
    );
  }
}

/** RFC 9449 §8 and §9: the proof must carry the server's nonce, which `nonce` is (also in the DPoP-Nonce header). */
export class UseDpopNonce extends OAuthError {
  constructor(nonce: string, site: DpopErrorSite = 'token') {
    const description = 'the DPoP proof must carry the nonce in the DPoP-Nonce header';
    const resource = site === 'resource';
    const headers = {
      'DPoP-Nonce': nonce,
      ...(resource ? { 'WWW-Authenticate': dpopChallenge({ error: 'use_dpop_nonce', error_description: description }) } : {}),
    };
    super('use_dpop_nonce', description, headers, resource ? 401 : 400);
  }
}

/**
 * RFC 6750 §3.1: a valid token without the scope the resource needs. `challenge: false` where the
 * resource is not Bearer-protected (introspection authenticates the client instead).
 */
export class InsufficientScope extends OAuthError {
  /** `scheme`: how the token came (RFC 9449 §7.1: a DPoP token's refusal is a DPoP challenge); `challenge: false` for a client, not a token. */
  constructor(
    scope: string,
    { description = `this resource needs the "${scope}" scope`, challenge: withChallenge = true, scheme = 'Bearer' as 'Bearer' | 'DPoP' } = {},
  ) {
    super('insufficient_scope', description, withChallenge ? challenge(scheme, { error: 'insufficient_scope', scope }) : {});
  }
}

export class TooManyRequests extends OAuthError {
  /** Seconds until another attempt may succeed (the Retry-After; a sign-in page answers with it too). */
  constructor(readonly retryAfterSeconds: number) {
    super('too_many_requests', 'too many requests, try again later', retryAfter(retryAfterSeconds));
  }
}

/** RFC 6749 §4.1.2.1's code for a server that is busy now and may not be later: 503 with Retry-After. */
export class TemporarilyUnavailable extends OAuthError {
  constructor(description: string, retryAfterSeconds: number) {
    super('temporarily_unavailable', description, retryAfter(retryAfterSeconds));
  }
}

/** RFC 7591 §3.2.2: a redirect URI that may not be registered (or none where one is needed). */
export class InvalidRedirectUri extends OAuthError {
  constructor(description: string) {
    super('invalid_redirect_uri', description);
  }
}

/** RFC 7591 §3.2.2: a metadata field with a value this server does not accept. */
export class InvalidClientMetadata extends OAuthError {
  constructor(description: string) {
    super('invalid_client_metadata', description);
  }
}
