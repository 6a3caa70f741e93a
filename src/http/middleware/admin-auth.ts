import type { MiddlewareHandler } from 'hono';
import { parseScope } from '../../domain/scope.js';
import { InsufficientScope, InvalidToken } from '../../errors/oauth.js';
import type { Actor, Deps } from '../../services/deps.js';
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
    const { claims } = await liveAccessToken(c, deps, presented, problems);
    const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audience.includes(deps.config.issuer)) throw new InvalidToken('the access token is meant for another audience', presented.scheme);
    if (!parseScope(typeof claims.scope === 'string' ? claims.scope : '').includes(scope)) throw new InsufficientScope(scope, { scheme: presented.scheme });

    c.set('actor', actorFrom(c, `admin:${claims.sub}`));
    await next();
  };
