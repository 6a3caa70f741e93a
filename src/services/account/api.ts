import type { User } from '../../domain/types.js';
import { InvalidToken } from '../../errors/oauth.js';
import type { UsersStore } from '../../store/types.js';
import type { Uses } from '../deps.js';
import { requireOwnScope, type LiveToken } from '../sessions/check.js';

/** The scope an application's access token needs for the user's own sessions and identities (GET|DELETE /account/…). */
export const accountScope = 'account';

/** What the account API says of a token that is not good now (http/access-token.ts liveAccessToken). */
export const accountTokenRefusals = {
  invalid: 'the access token is not valid',
  expired: 'the access token has expired',
  revoked: 'the session of this access token has ended',
} as const;

/**
 * The user a good access token of scope `account` speaks for, and its own session (`sid`); it only ever reaches that
 * user's records. The token must be meant for Tessera itself (its audience the issuer), as for the admin API: a token
 * for a registered API is refused even when that API has a scope named `account`.
 */
export async function accountTokenUser(
  deps: Uses<'config', UsersStore>,
  live: LiveToken,
  scheme: 'Bearer' | 'DPoP',
): Promise<{ user: User; familyId: string }> {
  const { family } = live;
  if (family === null) throw new InvalidToken('the access token was not issued to a user', scheme);
  requireOwnScope(live, deps.config.issuer, accountScope, scheme);
  const user = await deps.store.findUserById(family.userId);
  if (!user) throw new InvalidToken(accountTokenRefusals.revoked, scheme);
  return { user, familyId: family.id };
}
