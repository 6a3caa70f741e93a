import type { JWTPayload } from 'jose';
import { identityScopes } from '../domain/authorize.js';
import { parseScope } from '../domain/scope.js';
import { InsufficientScope, InvalidToken } from '../errors/oauth.js';
import { epochSeconds } from '../lib/clock.js';
import type { Deps } from './deps.js';

export type UserInfo = { sub: string; preferred_username: string; email?: string; email_verified?: boolean };

/**
 * OpenID Connect Core §5.3: the claims about the user an access token with scope `openid` may read.
 * The token must be one of ours, unexpired, and its session still live.
 */
export async function userInfo(deps: Deps, accessToken: string): Promise<UserInfo> {
  let claims: JWTPayload;
  try {
    claims = await deps.keys.verify(accessToken, deps.clock.now());
  } catch {
    throw new InvalidToken('the access token is not valid');
  }
  const scopes = parseScope(typeof claims.scope === 'string' ? claims.scope : '');
  if (typeof claims.sid !== 'string' || typeof claims.client_id !== 'string') throw new InvalidToken('the access token was not issued to a user');
  const user = await liveSessionUser(deps, claims.sid, claims.client_id);
  if (!user) throw new InvalidToken('the session of this access token has ended');
  if (!scopes.includes(identityScopes[0]!)) throw new InsufficientScope('openid');
  return {
    sub: user.id,
    preferred_username: user.username,
    ...(scopes.includes('email') && user.email !== null ? { email: user.email, email_verified: user.emailVerified } : {}),
  };
}

/** The user of a family that is live now, whose client still exists and whose user is enabled; else null. */
async function liveSessionUser(deps: Deps, familyId: string, clientId: string) {
  const family = await deps.store.findFamily(familyId);
  if (!family || family.revokedAt !== null || family.clientId !== clientId || family.expiresAt <= epochSeconds(deps.clock.now())) return null;
  if (!(await deps.store.findClient(clientId))) return null;
  const user = await deps.store.findUserById(family.userId);
  return user && user.disabledAt === null ? user : null;
}
