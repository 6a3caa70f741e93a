import type { UsersStore } from '../store/types.js';
import { claimScopes } from '../domain/claims.js';
import { userClaims, type UserClaims } from '../domain/user-claims.js';
import { InsufficientScope, InvalidToken } from '../errors/oauth.js';
import type { Uses } from './deps.js';
import type { LiveToken } from './sessions/check.js';

export type UserInfo = { sub: string } & UserClaims;

/**
 * OpenID Connect Core §5.3: the claims about the user an access token with scope `openid` may read. The token is
 * good now (services/sessions/check.ts: ours, unexpired, its client enabled, its session live), checked by the route.
 */
export async function userInfo(deps: Uses<never, UsersStore>, { claims, family }: LiveToken, scheme: 'Bearer' | 'DPoP'): Promise<UserInfo> {
  if (family === null) throw new InvalidToken('the access token was not issued to a user', scheme);
  const user = await deps.store.findUserById(family.userId);
  if (!user) throw new InvalidToken('the session of this access token has ended', scheme);
  const scopes = claimScopes(claims);
  if (!scopes.includes('openid')) throw new InsufficientScope('openid', { scheme });
  return { sub: user.id, ...userClaims(user, scopes) };
}
