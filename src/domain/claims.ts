import { acrOf, parseAmr } from './amr.js';
import { parseScope } from './scope.js';

/** RFC 9068 access-token claims. Nothing personal beyond these. */
export type AccessTokenClaims = {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  iat: number;
  jti: string;
  client_id: string;
  scope: string;
  /** The family id, on tokens that come from a login. */
  sid?: string;
  /** RFC 9449 §6.1: the DPoP key the token is bound to. */
  cnf?: { jkt: string };
  /** RFC 8693 §4.1: the client acting for the subject (a token exchange), nested when exchanged again. */
  act?: ActClaim;
} & Partial<LoginClaims>;

/** How a login was made, on the tokens that come from it (RFC 9068 §2.2.1, OpenID Connect Core §2, RFC 8176). */
export type LoginClaims = { auth_time: number; amr: string[]; acr: string };

/** The login claims of a family's tokens; none for families from before amr was kept, or without a sign-in time. */
export function loginClaims(login: { authTime: number | null; amr: string | null } | null): Partial<LoginClaims> {
  if (login === null || login.authTime === null || login.amr === null) return {};
  const amr = parseAmr(login.amr);
  return { auth_time: Math.floor(login.authTime / 1000), amr, acr: acrOf(amr) };
}

/** RFC 8693 §4.1 `act`: who acts, and who acted before it. */
export type ActClaim = { sub: string; act?: ActClaim };

export function accessTokenClaims(input: {
  issuer: string;
  subject: string;
  audience: string;
  clientId: string;
  scope: string;
  sid: string | null;
  /** The thumbprint of the DPoP key to bind the token to; null for a bearer token. */
  jkt?: string | null;
  jti: string;
  now: number;
  ttl: number;
  act?: ActClaim | null;
  login?: { authTime: number | null; amr: string | null } | null;
}): AccessTokenClaims {
  return {
    iss: input.issuer,
    sub: input.subject,
    aud: input.audience,
    exp: input.now + input.ttl,
    iat: input.now,
    jti: input.jti,
    client_id: input.clientId,
    scope: input.scope,
    ...(input.sid === null ? {} : { sid: input.sid }),
    ...(input.jkt ? { cnf: { jkt: input.jkt } } : {}),
    ...(input.act ? { act: input.act } : {}),
    ...loginClaims(input.login ?? null),
  };
}

/** The audiences a verified token's `aud` names (RFC 7519 §4.1.3: one string or an array of them). */
export const claimAudiences = (claims: { [claim: string]: unknown }): unknown[] => (Array.isArray(claims.aud) ? claims.aud : [claims.aud]);

/** The scopes a verified token's `scope` claim names; none when it has none. */
export const claimScopes = (claims: { [claim: string]: unknown }): string[] => parseScope(typeof claims.scope === 'string' ? claims.scope : '');
