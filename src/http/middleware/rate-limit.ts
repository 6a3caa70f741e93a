import type { Context, MiddlewareHandler } from 'hono';
import { normalizeUsername } from '../../domain/username.js';
import { TooManyRequests } from '../../errors/oauth.js';
import { sha256 } from '../../lib/hash.js';
import type { Deps } from '../../services/deps.js';
import type { AppEnv } from '../env.js';
import { clientIp } from '../request-info.js';

/** One limit: at most `limit` hits per key in each fixed window; 0 turns it off. */
export type RateLimitRule = {
  /** Prefixes the stored key, so rules never share counters. */
  name: string;
  limit: number;
  windowSeconds: number;
  /** What is counted for this request; null when the rule does not apply to it. */
  key: (c: Context<AppEnv>) => string | null;
};

/**
 * Counts each request against every rule in the store, so all instances on one database share the
 * counters, and answers 429 with Retry-After (the end of the window) once a rule is over its limit.
 */
export const rateLimit = ({ deps, rules }: { deps: Pick<Deps, 'store' | 'clock'>; rules: RateLimitRule[] }): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const now = deps.clock.now().getTime();
    for (const rule of rules) {
      if (rule.limit <= 0) continue;
      const key = rule.key(c);
      if (key === null) continue;
      const windowMs = rule.windowSeconds * 1000;
      const windowStart = now - (now % windowMs);
      const hits = await deps.store.hitRateLimit(`${rule.name}:${key}`, windowStart);
      if (hits > rule.limit) throw new TooManyRequests((windowStart + windowMs - now) / 1000);
    }
    await next();
  };

const passwordGrant = (c: Context<AppEnv>): boolean => c.get('form').get('grant_type') === 'password';

/**
 * The login limits of POST /token's password grant: per client IP, and per normalised username
 * (hashed, so the counters hold no names and stay small whatever was sent). Runs after formBody().
 */
export const loginRateLimit = (deps: Pick<Deps, 'store' | 'clock' | 'config'>): MiddlewareHandler<AppEnv> =>
  rateLimit({
    deps,
    rules: [
      { name: 'login-ip', limit: deps.config.loginRateLimitPerIp, windowSeconds: 60, key: (c) => (passwordGrant(c) ? (clientIp(c) ?? 'unknown') : null) },
      {
        name: 'login-user',
        limit: deps.config.loginRateLimitPerUser,
        windowSeconds: 60,
        key: (c) => {
          const username = c.get('form').get('username');
          return passwordGrant(c) && username !== undefined ? sha256(normalizeUsername(username)) : null;
        },
      },
    ],
  });
