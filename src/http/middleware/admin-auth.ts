import type { MiddlewareHandler } from 'hono';
import { errors } from 'jose';
import { parseScope } from '../../domain/scope.js';
import { InsufficientScope, InvalidToken, OAuthError } from '../../errors/oauth.js';
import type { Actor, Deps } from '../../services/deps.js';
import type { AppEnv } from '../env.js';
import { actorFrom } from '../request-info.js';

export type AdminEnv = AppEnv & { Variables: { actor: Actor } };

/** RFC 6750 §3.1: a request with no credentials gets a bare challenge, without an error code in it. */
const missingToken = () =>
  new OAuthError('invalid_token', 401, 'a Bearer access token is required', { 'WWW-Authenticate': 'Bearer realm="tessera"' });

/**
 * Admits a request carrying one of Tessera's own access tokens (signature, typ, issuer, expiry,
 * audience = the issuer) with `scope`; its subject becomes the actor `admin:<sub>` of the audit log.
 */
export const adminAuth =
  ({ deps, scope = 'admin' }: { deps: Deps; scope?: string }): MiddlewareHandler<AdminEnv> =>
  async (c, next) => {
    const header = c.req.header('authorization');
    if (header === undefined || header.trim() === '') throw missingToken();
    const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
    if (!match) throw new InvalidToken('the Authorization header must be "Bearer <access token>"');

    const now = deps.clock.now();
    let claims;
    try {
      claims = await deps.keys.verify(match[1]!, now);
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new InvalidToken('the access token has expired');
      throw new InvalidToken('the access token is not valid');
    }
    const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audience.includes(deps.config.issuer)) throw new InvalidToken('the access token is meant for another audience');
    if (typeof claims.sid === 'string') {
      const family = await deps.store.findFamily(claims.sid);
      if (!family || family.revokedAt !== null) throw new InvalidToken('the session of this access token has been revoked');
    }
    if (!parseScope(typeof claims.scope === 'string' ? claims.scope : '').includes(scope)) throw new InsufficientScope(scope);

    c.set('actor', actorFrom(c, `admin:${claims.sub}`));
    await next();
  };
