import { Hono } from 'hono';
import { InvalidGrant, InvalidRequest, UnauthorizedClient } from '../../errors/oauth.js';
import type { Deps } from '../../services/deps.js';
import { clientOfToken, findTokenFamily, rotate } from '../../services/refresh.js';
import type { AppEnv } from '../env.js';
import { clientAuth } from '../middleware/client-auth.js';
import { formBody } from '../middleware/form-body.js';
import { noStore } from '../middleware/no-store.js';
import { clearRefreshCookie, cookieNeedsRequestedWith, moveRefreshTokenToCookie, readRefreshCookie } from '../refresh-cookie.js';
import { actorFrom } from '../request-info.js';

/**
 * POST /refresh: the refresh_token rotation for first-party clients, with the token in a form
 * field, a JSON body or (cookie mode) the refresh cookie. A request without client credentials
 * speaks for the token's own client, which must then be public.
 */
export function refreshRoute(deps: Deps) {
  return new Hono<AppEnv>().post(
    '/refresh',
    noStore(),
    formBody({ allowJson: true }),
    cookieNeedsRequestedWith('refresh_token'),
    clientAuth({ deps, optional: true }),
    async (c) => {
      const form = c.get('form');
      const fromBody = form.get('refresh_token');
      const presented = fromBody ?? readRefreshCookie(c);
      if (presented === undefined) throw new InvalidRequest('refresh_token is required, in the body or the refresh cookie');

      // Read once here: without client credentials the token names its client, and rotate() needs the same rows.
      const found = c.get('clientAuthMethod') === undefined ? await findTokenFamily(deps, presented) : undefined;
      const client = found !== undefined ? await clientOfToken(deps, found) : c.get('client');
      if (!client.grants.includes('refresh_token')) throw new UnauthorizedClient('this client may not use the refresh_token grant');
      if (client.refreshCookie && fromBody !== undefined) {
        throw new InvalidRequest("this client's refresh token travels only in the refresh cookie, never in the body");
      }
      if (!client.refreshCookie && fromBody === undefined) throw new InvalidRequest('refresh_token is required');

      try {
        const { response } = await rotate(deps, actorFrom(c, `client:${client.id}`), { presented, client, scope: form.get('scope'), found });
        return c.json(client.refreshCookie ? moveRefreshTokenToCookie(c, deps, response) : response);
      } catch (error) {
        // A cookie holding a dead token would only be sent again and again: the session is over, drop it.
        if (client.refreshCookie && error instanceof InvalidGrant) clearRefreshCookie(c);
        throw error;
      }
    },
  );
}
