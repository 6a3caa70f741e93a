import { Hono, type Context } from 'hono';
import { NotFound } from '../../errors/domain.js';
import { accountTokenRefusals, accountTokenUser } from '../../services/account/api.js';
import { listAccountIdentities } from '../../services/account/profile.js';
import { endAccountSession, listAccountSessions } from '../../services/account/sessions.js';
import type { Deps } from '../../services/deps.js';
import { liveAccessToken, presentedToken } from '../access-token.js';
import type { AppEnv } from '../env.js';
import { noStore } from '../middleware/no-store.js';
import { actorFrom } from '../request-info.js';

/**
 * The account page's sessions and identities as JSON, for applications with their own screens: an access
 * token of scope `account` reaches its own user's records only; another user's session id is unknown here.
 */
export function accountApiRoutes(deps: Deps) {
  // A DPoP-bound token only with its proof (RFC 9449 §7), as at /userinfo and the admin API.
  const tokenUser = async (c: Context) => {
    const presented = await presentedToken(c, { body: true });
    return accountTokenUser(deps, await liveAccessToken(c, deps, presented, accountTokenRefusals), presented.scheme);
  };
  return new Hono<AppEnv>()
    .get('/account/sessions', noStore(), async (c) => {
      const { user, familyId } = await tokenUser(c);
      const own = await deps.store.findFamily(familyId);
      return c.json({ sessions: await listAccountSessions(deps, user.id, own?.browserSessionId ?? null) });
    })
    .delete('/account/sessions/:id', noStore(), async (c) => {
      const { user } = await tokenUser(c);
      const id = c.req.param('id');
      const ended = await endAccountSession(deps, actorFrom(c, `user:${user.id}`), user.id, id, null);
      if (!ended) throw new NotFound('no such live session of this user');
      return c.json({ id, revoked: true });
    })
    .get('/account/identities', noStore(), async (c) => {
      const { user } = await tokenUser(c);
      return c.json({ identities: await listAccountIdentities(deps, user.id) });
    });
}
