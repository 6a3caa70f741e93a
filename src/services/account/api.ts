import { parseScope } from '../../domain/scope.js';
import type { User } from '../../domain/types.js';
import { InsufficientScope, InvalidToken } from '../../errors/oauth.js';
import type { ClientsStore, RevocationFeedStore, SessionsStore, UsersStore } from '../../store/types.js';
import type { Uses } from '../deps.js';
import { checkAccessToken, isLive } from '../sessions/check.js';

/** The scope an application's access token needs for the user's own sessions and identities (GET|DELETE /account/…). */
export const accountScope = 'account';

const refusals = {
  invalid: 'the access token is not valid',
  expired: 'the access token has expired',
  revoked: 'the session of this access token has ended',
} as const;

/** The user an access token of scope `account` speaks for, and its own session (`sid`); it only ever reaches that user's records. */
export async function accountTokenUser(
  deps: Uses<'clock' | 'keys', ClientsStore & RevocationFeedStore & SessionsStore & UsersStore>,
  accessToken: string,
): Promise<{ user: User; familyId: string }> {
  const verdict = await checkAccessToken(deps, accessToken);
  if (!isLive(verdict)) throw new InvalidToken(refusals[verdict]);
  if (verdict.family === null) throw new InvalidToken('the access token was not issued to a user');
  if (!parseScope(typeof verdict.claims.scope === 'string' ? verdict.claims.scope : '').includes(accountScope)) throw new InsufficientScope(accountScope);
  const user = await deps.store.findUserById(verdict.family.userId);
  if (!user) throw new InvalidToken(refusals.revoked);
  return { user, familyId: verdict.family.id };
}
