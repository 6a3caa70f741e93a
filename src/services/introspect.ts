import { isExchangeable } from '../domain/refresh.js';
import { isPublicClient, type Client } from '../domain/types.js';
import { OAuthError } from '../errors/oauth.js';
import type { Deps } from './deps.js';
import { findTokenFamily, presentedTokenState } from './refresh.js';

export type Introspection =
  | { active: false }
  | {
      active: true;
      token_type: 'access_token' | 'refresh_token';
      scope: string;
      client_id: string;
      sub: string;
      aud?: string | string[];
      iss?: string;
      exp: number;
      iat: number;
      jti?: string;
      sid?: string;
    };

const inactive: Introspection = { active: false };

/** Only confidential clients holding the `introspect` scope may ask (RFC 7662 §2.1 leaves the policy to the server). */
export function assertMayIntrospect(client: Client): void {
  if (isPublicClient(client) || !client.scopes.includes('introspect')) {
    // Not a Bearer-protected resource, so no WWW-Authenticate challenge (unlike InsufficientScope).
    throw new OAuthError('insufficient_scope', 403, 'introspection needs a confidential client with the "introspect" scope');
  }
}

/** RFC 7662 §2.2: the token's state now. Never throws for a bad token; anything not valid now is inactive. */
export async function introspect(deps: Deps, input: { token: string; hint?: string }): Promise<Introspection> {
  const order = input.hint === 'refresh_token' ? [refreshToken, accessToken] : [accessToken, refreshToken];
  for (const lookup of order) {
    const answer = await lookup(deps, input.token);
    if (answer) return answer;
  }
  return inactive;
}

/** null: not an access token at all; `inactive`: one of ours that is no longer valid. */
async function accessToken(deps: Deps, token: string): Promise<Introspection | null> {
  if (token.split('.').length !== 3) return null;
  let claims;
  try {
    claims = await deps.keys.verify(token, deps.clock.now());
  } catch {
    return null;
  }
  if (typeof claims.client_id !== 'string' || typeof claims.sub !== 'string') return inactive;
  if (claims.sid !== undefined) {
    if (typeof claims.sid !== 'string') return inactive;
    const family = await deps.store.findFamily(claims.sid);
    if (!family || family.revokedAt !== null || !(await userActive(deps, family.userId))) return inactive;
  }
  return {
    active: true,
    token_type: 'access_token',
    scope: typeof claims.scope === 'string' ? claims.scope : '',
    client_id: claims.client_id,
    sub: claims.sub,
    aud: claims.aud,
    iss: claims.iss,
    exp: claims.exp!,
    iat: claims.iat!,
    jti: claims.jti,
    ...(claims.sid !== undefined ? { sid: claims.sid } : {}),
  };
}

async function refreshToken(deps: Deps, token: string): Promise<Introspection | null> {
  const found = await findTokenFamily(deps, token);
  if (!found) return null;
  const { token: record, family } = found;
  if (!isExchangeable(await presentedTokenState(deps, record, family)) || !(await userActive(deps, family.userId))) return inactive;
  return {
    active: true,
    token_type: 'refresh_token',
    scope: family.scope,
    client_id: family.clientId,
    sub: family.userId,
    exp: record.expiresAt,
    iat: record.createdAt,
    sid: family.id,
  };
}

async function userActive(deps: Deps, userId: string): Promise<boolean> {
  const user = await deps.store.findUserById(userId);
  return user !== null && user.disabledAt === null;
}
