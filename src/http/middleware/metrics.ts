import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';
import { grantTypes } from '../../domain/types.js';
import { OAuthError } from '../../errors/oauth.js';
import type { Metrics } from '../../lib/metrics.js';
import type { AppEnv } from '../env.js';

// The endpoints that issue tokens, and the grant a request to them stands for.
const tokenEndpoints: Record<string, (c: Context<AppEnv>) => string> = {
  '/token': (c) => {
    const grant = c.get('form')?.get('grant_type');
    return grant !== undefined && (grantTypes as readonly string[]).includes(grant) ? grant : 'unknown';
  },
  '/refresh': () => 'refresh_token',
};

/** The last route with a method among those that matched: the handler that answered (middleware is registered for ALL methods). */
function answeringRoute(c: Context<AppEnv>): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) if (routes[i]!.method !== 'ALL') return routes[i]!.path;
  return 'unmatched';
}

type Series = { requests: { inc(): void }; duration: { observe(seconds: number): void } };

/**
 * Counts and times every request by its route pattern (never the raw path, so ids in paths do not
 * multiply the series), and token requests by grant and outcome. The labelled children are looked up
 * once per label set (their number is bounded by the routes and statuses) rather than per request.
 * The request pipeline (middleware/request-pipeline.ts) calls it once the response exists.
 */
export const httpMetrics = (metrics: Metrics) => {
  const series = new Map<string, Series>();
  const seriesOf = (method: string, route: string, status: string): Series => {
    const key = `${method} ${status} ${route}`;
    let found = series.get(key);
    if (!found) {
      const labels = { method, route, status };
      found = { requests: metrics.httpRequests.labels(labels), duration: metrics.httpDuration.labels(labels) };
      series.set(key, found);
    }
    return found;
  };
  // The token counter's children likewise, by grant and outcome (both from closed sets: the grants, the error codes).
  const tokenSeries = new Map<string, { inc(): void }>();
  const tokensOf = (grant: string, outcome: string) => {
    const key = `${grant} ${outcome}`;
    let found = tokenSeries.get(key);
    if (!found) {
      found = metrics.tokens.labels(grant, outcome);
      tokenSeries.set(key, found);
    }
    return found;
  };
  return (c: Context<AppEnv>, method: string, path: string, durationMs: number): void => {
    const status = String(c.res.status);
    const { requests, duration } = seriesOf(method, answeringRoute(c), status);
    requests.inc();
    duration.observe(durationMs / 1000);

    const grantOf = method === 'POST' ? tokenEndpoints[path] : undefined;
    if (grantOf) {
      const outcome = c.res.ok ? 'issued' : c.error instanceof OAuthError ? c.error.code : `http_${status}`;
      tokensOf(grantOf(c), outcome).inc();
    }
  };
};
