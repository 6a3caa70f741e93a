/**
 * The status of each error code the OAuth endpoints answer with: RFC 6749 §5.2, RFC 6750 §3.1
 * (`invalid_token`, `insufficient_scope`), RFC 6749 §4.1.2.1 (`temporarily_unavailable`), and
 * `too_many_requests` for the rate limits (README, "Failed-attempt limits").
 */
export const oauthErrorStatus = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
  invalid_target: 400,
  invalid_token: 401,
  insufficient_scope: 403,
  too_many_requests: 429,
  temporarily_unavailable: 503,
} as const;

export type OAuthErrorCode = keyof typeof oauthErrorStatus;

/** An invalid_request may say more precisely what is wrong: a refused origin, a body too large. */
type RequestStatus = 400 | 403 | 413;

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

const retryAfter = (seconds: number) => ({ 'Retry-After': String(Math.max(1, Math.ceil(seconds))) });

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

/** RFC 6750 §3.1: a bearer token that is malformed, expired or revoked. */
export class InvalidToken extends OAuthError {
  constructor(description: string) {
    super('invalid_token', description, bearer({ error: 'invalid_token', error_description: description }));
  }
}

/** RFC 6750 §3.1: a request with no credentials gets a bare challenge, without an error code in it. */
export class MissingToken extends OAuthError {
  constructor() {
    super('invalid_token', 'a Bearer access token is required', bearer());
  }
}

/**
 * RFC 6750 §3.1: a valid token without the scope the resource needs. `challenge: false` where the
 * resource is not Bearer-protected (introspection authenticates the client instead).
 */
export class InsufficientScope extends OAuthError {
  constructor(scope: string, { description = `this resource needs the "${scope}" scope`, challenge = true } = {}) {
    super('insufficient_scope', description, challenge ? bearer({ error: 'insufficient_scope', scope }) : {});
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
