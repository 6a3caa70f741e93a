import { accessTokenClaims } from '../../domain/claims.js';
import { formatScope, isSubset, isValidScopeToken, parseScope } from '../../domain/scope.js';
import type { Client } from '../../domain/types.js';
import { InvalidRequest, InvalidScope } from '../../errors/oauth.js';
import { epochSeconds } from '../../lib/clock.js';
import { excerpt } from '../../lib/excerpt.js';
import type { Uses } from '../deps.js';

export type TokenResponse = {
  access_token: string;
  /** DPoP when the access token is bound to the key of the request's DPoP proof (RFC 9449 §5). */
  token_type: 'Bearer' | 'DPoP';
  expires_in: number;
  refresh_token?: string;
  scope: string;
  /** OpenID Connect: with scope openid on an authorization code exchange and on a refresh of such a login. */
  id_token?: string;
};

/** The answer to every token request (RFC 6749 §5.1); `refreshToken` and `idToken` when the grant issues them. */
export function tokenResponse(issued: {
  accessToken: string;
  expiresIn: number;
  scope: string;
  refreshToken?: string;
  idToken?: string;
  /** The DPoP key the access token is bound to, if any. */
  jkt?: string | null;
}): TokenResponse {
  return {
    access_token: issued.accessToken,
    token_type: issued.jkt ? 'DPoP' : 'Bearer',
    expires_in: issued.expiresIn,
    ...(issued.refreshToken !== undefined ? { refresh_token: issued.refreshToken } : {}),
    scope: issued.scope,
    ...(issued.idToken !== undefined ? { id_token: issued.idToken } : {}),
  };
}

/**
 * The scope to grant: the requested one when it lies within `allowed`, else invalid_scope.
 * An omitted or empty `scope` asks for everything allowed (RFC 6749 §3.3 lets the server pick the default).
 */
export function grantScope(requested: string | undefined, allowed: readonly string[]): string[] {
  const scopes = parseScope(requested);
  if (scopes.length === 0) return [...allowed];
  const bad = scopes.find((s) => !isValidScopeToken(s));
  if (bad !== undefined) throw new InvalidScope(`"${excerpt(bad)}" is not a valid scope token`);
  if (!isSubset(scopes, allowed))
    throw new InvalidScope(`requested scope exceeds what is allowed: ${excerpt(formatScope(scopes.filter((s) => !allowed.includes(s))))}`);
  return scopes;
}

/** The `aud` of a client's tokens: its configured audience, else the issuer. A request may only name that one. */
export function grantAudience(requested: string | undefined, client: Client, issuer: string): string {
  const audience = client.audience ?? issuer;
  if (requested !== undefined && requested !== '' && requested !== audience) {
    throw new InvalidRequest(`audience "${excerpt(requested)}" is not allowed for this client`);
  }
  return audience;
}

export async function issueAccessToken(
  deps: Uses<'clock' | 'config' | 'ids' | 'keys'>,
  input: {
    subject: string;
    clientId: string;
    scope: string;
    audience: string;
    sid: string | null;
    jkt?: string | null;
    login?: { authTime: number | null; amr: string | null };
  },
): Promise<{ accessToken: string; expiresIn: number; jkt: string | null }> {
  const now = deps.clock.now();
  const claims = accessTokenClaims({
    issuer: deps.config.issuer,
    subject: input.subject,
    audience: input.audience,
    clientId: input.clientId,
    scope: input.scope,
    sid: input.sid,
    jkt: input.jkt ?? null,
    jti: deps.ids.jti(),
    now: epochSeconds(now),
    ttl: deps.config.accessTokenTtl,
    login: input.login ?? null,
  });
  return { accessToken: await deps.keys.sign(claims, now), expiresIn: deps.config.accessTokenTtl, jkt: input.jkt ?? null };
}
