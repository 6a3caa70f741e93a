import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { grantTypes } from '../../domain/types.js';
import { OAuthError } from '../../errors/oauth.js';
import type { Metrics } from '../../lib/metrics.js';
import type { AppEnv } from '../env.js';

// The endpoints that issue tokens, and the grant a request to them stands for.
const tokenEndpoints: Record<string, (c: Parameters<MiddlewareHandler<AppEnv>>[0]) => string> = {
  '/token': (c) => {
    const grant = c.get('form')?.get('grant_type');
    return grant !== undefined && (grantTypes as readonly string[]).includes(grant) ? grant : 'unknown';
  },
  '/refresh': () => 'refresh_token',
};

/**
 * Counts and times every request by its route pattern (never the raw path, so ids in paths do not
 * multiply the series), and token requests by grant and outcome.
 */
export const httpMetrics =
  ({ metrics, timer = () => performance.now() }: { metrics: Metrics; timer?: () => number }): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const started = timer();
    await next();
    const status = String(c.res.status);
    // Middleware is registered for ALL methods; the handler that answered is the last route with a method.
    const route = matchedRoutes(c).filter((r) => r.method !== 'ALL').at(-1)?.path ?? 'unmatched';
    const labels = { method: c.req.method, route, status };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, (timer() - started) / 1000);

    const grantOf = c.req.method === 'POST' ? tokenEndpoints[c.req.path] : undefined;
    if (grantOf) {
      const outcome = c.res.ok ? 'issued' : c.error instanceof OAuthError ? c.error.code : `http_${status}`;
      metrics.tokens.inc({ grant: grantOf(c), outcome });
    }
  };
