import { Hono } from 'hono';
import { InvalidRequest, UnsupportedGrantType } from '../../errors/oauth.js';
import { allowedGrant, grants } from '../../grants/index.js';
import { excerpt } from '../../lib/excerpt.js';
import type { Deps } from '../../services/deps.js';
import type { AppEnv } from '../env.js';
import { dpopNonceHeader, tokenRequestProof } from '../dpop.js';
import { clientAuth } from '../middleware/client-auth.js';
import { formBody } from '../middleware/form-body.js';
import { noStore } from '../middleware/no-store.js';
import { sendTokenResponse } from '../refresh-cookie.js';
import { actorFrom } from '../request-info.js';

/** POST /token (RFC 6749 §3.2): validates grant_type, authenticates the client and dispatches to the grant. */
export function tokenRoute(deps: Deps) {
  return new Hono<AppEnv>().post(
    '/token',
    noStore(),
    dpopNonceHeader(deps),
    formBody(),
    async (c, next) => {
      const grantType = c.get('form').get('grant_type');
      if (grantType === undefined) throw new InvalidRequest('grant_type is required');
      if (!grants.has(grantType)) throw new UnsupportedGrantType(`grant_type "${excerpt(grantType)}" is not supported`);
      await next();
    },
    clientAuth({ deps }),
    async (c) => {
      const form = c.get('form');
      const client = c.get('client');
      const grant = allowedGrant(client, grants.get(form.get('grant_type')!)!);
      const dpopJkt = await tokenRequestProof(c, deps, client);
      const response = await grant.handler({ deps, client, params: form, actor: actorFrom(c, `client:${client.id}`), dpopJkt });
      return sendTokenResponse(c, deps, client, response);
    },
  );
}
