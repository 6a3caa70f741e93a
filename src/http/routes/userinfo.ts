import { Hono, type Context } from 'hono';
import type { Deps } from '../../services/deps.js';
import { userInfo } from '../../services/userinfo.js';
import type { AppEnv } from '../env.js';
import { noStore } from '../middleware/no-store.js';
import { bearerToken } from '../bearer-token.js';

/** GET|POST /userinfo (OpenID Connect Core §5.3). */
export function userinfoRoute(deps: Deps) {
  const handler = async (c: Context<AppEnv>) => c.json(await userInfo(deps, await bearerToken(c)));
  return new Hono<AppEnv>().get('/userinfo', noStore(), handler).post('/userinfo', noStore(), handler);
}
