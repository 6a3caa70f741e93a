import { accessTokenClaims } from '../../domain/claims.js';
import { formatScope, isSubset, isValidScopeToken, parseScope } from '../../domain/scope.js';
import type { Client } from '../../domain/types.js';
import { InvalidRequest, InvalidScope } from '../../errors/oauth.js';
import { epochSeconds } from '../../lib/clock.js';
import { excerpt } from '../../lib/excerpt.js';
import { implicitResource, type Resource } from '../../domain/apis.js';
import type { ActClaim } from '../../domain/claims.js';
import type { ApisStore } from '../../store/types.js';
import type { Uses } from '../deps.js';
import { pickResource, resourcesOf } from '../resources.js';

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

/**
 * The resource a token request is for (RFC 8707 `resource`), the client's default without one. The older
 * `audience` parameter may still name the client's own audience, and nothing else, as before APIs.
 */
export async function requestedResource(deps: Uses<'config', ApisStore>, client: Client, params: ReadonlyMap<string, string>): Promise<Resource> {
  const resources = await resourcesOf(deps, client);
  const resource = params.get('resource');
  const audience = params.get('audience');
  if (resource === undefined && audience !== undefined) {
    const own = implicitResource(client, deps.config.issuer);
    if (audience !== own.identifier) throw new InvalidRequest(`audience "${excerpt(audience)}" is not allowed for this client`);
    return resources.find((r) => r.identifier === audience) ?? own;
  }
  return pickResource(resources, client, resource);
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
    ttl?: number;
    act?: ActClaim;
    login?: { authTime: number | null; amr: string | null };
  },
): Promise<{ accessToken: string; expiresIn: number; jkt: string | null }> {
  const now = deps.clock.now();
  const ttl = input.ttl ?? deps.config.accessTokenTtl;
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
    ttl,
    act: input.act ?? null,
    login: input.login ?? null,
  });
  return { accessToken: await deps.keys.sign(claims, now), expiresIn: ttl, jkt: input.jkt ?? null };
}
