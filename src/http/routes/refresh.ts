import { Hono } from 'hono';
import { InvalidGrant, InvalidRequest } from '../../errors/oauth.js';
import { allowedGrant } from '../../grants/index.js';
import { clientOfRefreshToken, refreshToken } from '../../grants/refresh-token.js';
import type { Deps } from '../../services/deps.js';
import { readRefreshToken } from '../../services/sessions/rotate.js';
import type { AppEnv } from '../env.js';
import { dpopNonceHeader, tokenRequestProof } from '../dpop.js';
import { clientAuth } from '../middleware/client-auth.js';
import { formBody } from '../middleware/form-body.js';
import { noStore } from '../middleware/no-store.js';
import { clearRefreshCookie, cookieNeedsRequestedWith, readRefreshCookie, sendTokenResponse } from '../refresh-cookie.js';
import { actorFrom } from '../request-info.js';

/**
 * POST /refresh: the refresh_token rotation for first-party clients, with the token in a form
 * field, a JSON body or (cookie mode) the refresh cookie. A request without client credentials
 * speaks for the token's own client, which must then be public. The exchange is /token's refresh_token grant.
 */
export function refreshRoute(deps: Deps) {
  return new Hono<AppEnv>().post(
    '/refresh',
    noStore(),
    dpopNonceHeader(deps),
    formBody({ allowJson: true }),
    cookieNeedsRequestedWith('refresh_token'),
    clientAuth({ deps, optional: true }),
    async (c) => {
      const form = c.get('form');
      const fromBody = form.get('refresh_token');
      const secret = fromBody ?? readRefreshCookie(c);
      if (secret === undefined) throw new InvalidRequest('refresh_token is required, in the body or the refresh cookie');

      // Read once: without client credentials the token names its client, and the exchange needs the same rows.
      const presented = await readRefreshToken(deps, secret);
      const client = c.get('clientAuthMethod') === undefined ? await clientOfRefreshToken(deps, presented) : c.get('client');
      const grant = allowedGrant(client, refreshToken);
      if (client.refreshCookie && fromBody !== undefined) {
        throw new InvalidRequest("this client's refresh token travels only in the refresh cookie, never in the body");
      }
      if (!client.refreshCookie && fromBody === undefined) throw new InvalidRequest('refresh_token is required');

      const dpopJkt = await tokenRequestProof(c, deps, client);
      try {
        const actor = actorFrom(c, `client:${client.id}`);
        const response = await grant.handler({ deps, client, params: form, actor, refreshToken: presented, dpopJkt });
        return sendTokenResponse(c, deps, client, response);
      } catch (error) {
        // A cookie holding a dead token would only be sent again and again: the session is over, drop it.
        if (client.refreshCookie && error instanceof InvalidGrant) clearRefreshCookie(c);
        throw error;
      }
    },
  );
}
