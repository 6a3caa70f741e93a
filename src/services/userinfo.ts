import type { ClientsStore, RevocationFeedStore, SessionsStore, UsersStore } from '../store/types.js';
import { parseScope } from '../domain/scope.js';
import { userClaims, type UserClaims } from '../domain/user-claims.js';
import { InsufficientScope, InvalidToken } from '../errors/oauth.js';
import type { Uses } from './deps.js';
import { checkAccessToken, isLive } from './sessions/check.js';

export type UserInfo = { sub: string } & UserClaims;

const refusals = {
  invalid: 'the access token is not valid',
  expired: 'the access token has expired',
  revoked: 'the session of this access token has ended',
} as const;

/**
 * OpenID Connect Core §5.3: the claims about the user an access token with scope `openid` may read.
 * The token must be good now (services/access-token-check.ts): ours, unexpired, its client enabled, its session live.
 */
export async function userInfo(
  deps: Uses<'clock' | 'keys', ClientsStore & RevocationFeedStore & SessionsStore & UsersStore>,
  accessToken: string,
): Promise<UserInfo> {
  const verdict = await checkAccessToken(deps, accessToken);
  if (!isLive(verdict)) throw new InvalidToken(refusals[verdict]);
  if (verdict.family === null) throw new InvalidToken('the access token was not issued to a user');
  const user = await deps.store.findUserById(verdict.family.userId);
  if (!user) throw new InvalidToken(refusals.revoked);
  const scopes = parseScope(typeof verdict.claims.scope === 'string' ? verdict.claims.scope : '');
  if (!scopes.includes('openid')) throw new InsufficientScope('openid');
  return { sub: user.id, ...userClaims(user, scopes) };
}
