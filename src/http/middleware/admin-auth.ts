import type { MiddlewareHandler } from 'hono';
import type { Actor, Deps } from '../../services/deps.js';
import { requireOwnScope } from '../../services/sessions/check.js';
import { liveAccessToken, presentedToken } from '../access-token.js';
import type { AppEnv } from '../env.js';
import { actorFrom } from '../request-info.js';

export type AdminEnv = AppEnv & { Variables: { actor: Actor } };

const problems = {
  invalid: 'the access token is not valid',
  expired: 'the access token has expired',
  revoked: 'the access token has been revoked: its session or its client has ended',
} as const;

/**
 * Admits a request carrying one of Tessera's own access tokens that is still good (checkAccessToken), as Bearer or,
 * bound to a DPoP key, with its proof (RFC 9449 §7), meant for Tessera itself (audience = the issuer), with `scope`;
 * its subject becomes the actor `admin:<sub>` of the audit log.
 */
export const adminAuth =
  ({ deps, scope = 'admin' }: { deps: Deps; scope?: string }): MiddlewareHandler<AdminEnv> =>
  async (c, next) => {
    const presented = await presentedToken(c);
    const live = await liveAccessToken(c, deps, presented, problems);
    requireOwnScope(live, deps.config.issuer, scope, presented.scheme);

    c.set('actor', actorFrom(c, `admin:${live.claims.sub}`));
    await next();
  };
