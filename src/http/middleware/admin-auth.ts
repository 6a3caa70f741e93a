import type { MiddlewareHandler } from 'hono';
import { parseScope } from '../../domain/scope.js';
import { InsufficientScope, InvalidToken, MissingToken } from '../../errors/oauth.js';
import type { Actor, Deps } from '../../services/deps.js';
import { checkAccessToken, isLive } from '../../services/sessions/check.js';
import type { AppEnv } from '../env.js';
import { actorFrom, requestHeader } from '../request-info.js';

export type AdminEnv = AppEnv & { Variables: { actor: Actor } };

const problems = {
  invalid: 'the access token is not valid',
  expired: 'the access token has expired',
  revoked: 'the access token has been revoked: its session or its client has ended',
} as const;

/**
 * Admits a request carrying one of Tessera's own access tokens that is still good (checkAccessToken),
 * meant for Tessera itself (audience = the issuer), with `scope`; its subject becomes the actor
 * `admin:<sub>` of the audit log.
 */
export const adminAuth =
  ({ deps, scope = 'admin' }: { deps: Deps; scope?: string }): MiddlewareHandler<AdminEnv> =>
  async (c, next) => {
    const header = requestHeader(c, 'authorization');
    if (header === undefined || header.trim() === '') throw new MissingToken();
    const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
    if (!match) throw new InvalidToken('the Authorization header must be "Bearer <access token>"');

    const verdict = await checkAccessToken(deps, match[1]!);
    if (!isLive(verdict)) throw new InvalidToken(problems[verdict]);
    const { claims } = verdict;
    const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audience.includes(deps.config.issuer)) throw new InvalidToken('the access token is meant for another audience');
    if (!parseScope(typeof claims.scope === 'string' ? claims.scope : '').includes(scope)) throw new InsufficientScope(scope);

    c.set('actor', actorFrom(c, `admin:${claims.sub}`));
    await next();
  };
