import { Hono, type Context } from 'hono';
import type { Deps } from '../../services/deps.js';
import { userInfo } from '../../services/userinfo.js';
import { liveAccessToken, presentedToken } from '../access-token.js';
import { dpopNonceHeader } from '../dpop.js';
import type { AppEnv } from '../env.js';
import { noStore } from '../middleware/no-store.js';

const refusals = {
  invalid: 'the access token is not valid',
  expired: 'the access token has expired',
  revoked: 'the session of this access token has ended',
} as const;

/** GET|POST /userinfo (OpenID Connect Core §5.3), with a Bearer token or a DPoP-bound one and its proof (RFC 9449 §7). */
export function userinfoRoute(deps: Deps) {
  const handler = async (c: Context<AppEnv>) => {
    const presented = await presentedToken(c, { body: true });
    return c.json(await userInfo(deps, await liveAccessToken(c, deps, presented, refusals), presented.scheme));
  };
  const nonce = dpopNonceHeader(deps);
  return new Hono<AppEnv>().get('/userinfo', noStore(), nonce, handler).post('/userinfo', noStore(), nonce, handler);
}
