/** RFC 6749 §5.2 codes, plus RFC 7009's and RFC 6750's where those endpoints need them. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'unsupported_token_type'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'too_many_requests'
  | 'temporarily_unavailable';

export type OAuthErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503;

export class OAuthError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    readonly status: OAuthErrorStatus,
    readonly description?: string,
    /** Extra response headers, e.g. WWW-Authenticate or Retry-After. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(description ?? code);
    this.name = 'OAuthError';
  }
}

export class InvalidRequest extends OAuthError {
  static readonly code = 'invalid_request';
  constructor(description: string, status: 400 | 403 | 404 | 409 | 413 | 415 = 400) {
    super('invalid_request', status, description);
  }
}

export class InvalidClient extends OAuthError {
  static readonly code = 'invalid_client';
  /** `basic`: the client tried HTTP Basic, so the answer challenges it again (RFC 6749 §5.2). */
  constructor(description = 'client authentication failed', basic = false) {
    super('invalid_client', 401, description, basic ? { 'WWW-Authenticate': 'Basic realm="tessera", charset="UTF-8"' } : {});
  }
}

export class InvalidGrant extends OAuthError {
  static readonly code = 'invalid_grant';
  constructor(description: string) {
    super('invalid_grant', 400, description);
  }
}

export class UnauthorizedClient extends OAuthError {
  static readonly code = 'unauthorized_client';
  constructor(description: string) {
    super('unauthorized_client', 400, description);
  }
}

export class UnsupportedGrantType extends OAuthError {
  static readonly code = 'unsupported_grant_type';
  constructor(description: string) {
    super('unsupported_grant_type', 400, description);
  }
}

export class InvalidScope extends OAuthError {
  static readonly code = 'invalid_scope';
  constructor(description: string) {
    super('invalid_scope', 400, description);
  }
}

/** RFC 6750 §3.1: a bearer token that is missing, expired, revoked or malformed. */
export class InvalidToken extends OAuthError {
  static readonly code = 'invalid_token';
  constructor(description: string) {
    super('invalid_token', 401, description, {
      'WWW-Authenticate': `Bearer realm="tessera", error="invalid_token", error_description="${description}"`,
    });
  }
}

/** RFC 6750 §3.1: a valid bearer token without the scope the resource needs. */
export class InsufficientScope extends OAuthError {
  static readonly code = 'insufficient_scope';
  constructor(scope: string) {
    super('insufficient_scope', 403, `this resource needs the "${scope}" scope`, {
      'WWW-Authenticate': `Bearer realm="tessera", error="insufficient_scope", scope="${scope}"`,
    });
  }
}

export class TooManyRequests extends OAuthError {
  static readonly code = 'too_many_requests';
  constructor(retryAfterSeconds: number) {
    super('too_many_requests', 429, 'too many requests, try again later', { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }
}

/** RFC 6749 §4.1.2.1's code for a server that is busy now and may not be later: 503 with Retry-After. */
export class TemporarilyUnavailable extends OAuthError {
  static readonly code = 'temporarily_unavailable';
  constructor(description: string, retryAfterSeconds: number) {
    super('temporarily_unavailable', 503, description, { 'Retry-After': String(retryAfterSeconds) });
  }
}
