import { Hono } from 'hono';
import { InvalidClient, InvalidRequest } from '../../errors/oauth.js';
import type { Deps } from '../../services/deps.js';
import { revokeCookieFamily, revokeToken } from '../../services/revoke.js';
import type { AppEnv } from '../env.js';
import { clientAuth } from '../middleware/client-auth.js';
import { formBody } from '../middleware/form-body.js';
import { noStore } from '../middleware/no-store.js';
import { clearRefreshCookie, cookieNeedsRequestedWith, readRefreshCookie } from '../refresh-cookie.js';
import { actorFrom } from '../request-info.js';

/**
 * POST /revoke (RFC 7009). With `token`, the client authenticates as at /token. Without it, the
 * refresh cookie (and X-Requested-With) names the family: cookie-mode logout, which clears the cookie.
 * The answer is 200 with an empty body whether or not anything was revoked (§2.2).
 */
export function revokeRoute(deps: Deps) {
  return new Hono<AppEnv>().post(
    '/revoke',
    noStore(),
    formBody({ allowJson: true }),
    cookieNeedsRequestedWith('token'),
    clientAuth({ deps, optional: true }),
    async (c) => {
      const form = c.get('form');
      const client = c.get('clientAuthMethod') === undefined ? null : c.get('client');
      const actor = actorFrom(c, client ? `client:${client.id}` : 'user');
      const token = form.get('token');
      if (token !== undefined) {
        if (!client) throw new InvalidClient('client authentication is required');
        await revokeToken(deps, actor, { token, client, hint: form.get('token_type_hint') });
        return c.body(null, 200);
      }
      const cookie = readRefreshCookie(c);
      if (cookie === undefined) throw new InvalidRequest('token is required');
      await revokeCookieFamily(deps, actor, { presented: cookie, client });
      clearRefreshCookie(c);
      return c.body(null, 200);
    },
  );
}
