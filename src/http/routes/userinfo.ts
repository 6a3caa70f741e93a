import { Hono, type Context } from 'hono';
import { InvalidToken, MissingToken } from '../../errors/oauth.js';
import type { Deps } from '../../services/deps.js';
import { userInfo } from '../../services/userinfo.js';
import type { AppEnv } from '../env.js';
import { noStore } from '../middleware/no-store.js';
import { requestHeader } from '../request-info.js';

/** RFC 6750 §2.1: the access token in the Authorization header. */
function bearerToken(c: Context): string {
  const header = requestHeader(c, 'authorization');
  if (header === undefined || header.trim() === '') throw new MissingToken();
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  if (!match) throw new InvalidToken('the Authorization header must be "Bearer <access token>"');
  return match[1]!;
}

/** GET|POST /userinfo (OpenID Connect Core §5.3). */
export function userinfoRoute(deps: Deps) {
  const handler = async (c: Context<AppEnv>) => c.json(await userInfo(deps, bearerToken(c)));
  return new Hono<AppEnv>().get('/userinfo', noStore(), handler).post('/userinfo', noStore(), handler);
}
