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
};

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
  };
}
