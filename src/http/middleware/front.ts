import type { Context, ErrorHandler, MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { TrustedNetwork } from '../../config/schema.js';
import type { Metrics } from '../../lib/metrics.js';
import type { AppEnv } from '../env.js';
import { clientAddressResolver, requestIdOf } from '../request-info.js';
import { bodyLimit } from './body-limit.js';
import { httpMetrics } from './metrics.js';
import { addCorsHeaders, corsHeaders, corsPreflight, publicCorsPaths } from './public-cors.js';
import { requestLogger } from './request-log.js';

export type FrontOptions = {
  log: Logger;
  metrics: Metrics;
  trustProxy: readonly TrustedNetwork[];
  maxBodyBytes: number;
  /** The app's error handler: an error of the front's own (a body over the limit) is answered as the app answers any. */
  onError: ErrorHandler<AppEnv>;
};

/**
 * What every request goes through before its route, in one middleware rather than six: each
 * middleware hono composes costs a dispatch, a promise and a closure per request, which for the
 * prebuilt documents was most of their cost. In order:
 * - the request id (X-Request-Id accepted or generated, and echoed);
 * - the client address (request-info.ts);
 * - CORS on the public paths (public-cors.ts): their preflights answered here, their answers given
 *   the CORS headers; elsewhere nothing;
 * - the body limit by Content-Length (body-limit.ts), for methods that carry a body;
 * then, once the response exists, the request metrics (metrics.ts) and the request log line
 * (request-log.ts). An error of the front itself is handled as hono handles one of a middleware:
 * `c.error` and the error handler's response, which is then counted and logged like any other.
 */
export const requestFront = ({ log, metrics, trustProxy, maxBodyBytes, onError }: FrontOptions): MiddlewareHandler<AppEnv> => {
  const logLine = requestLogger(log);
  const record = httpMetrics(metrics);
  const clientAddress = clientAddressResolver(trustProxy);
  const preflight = corsPreflight();
  const limit = bodyLimit(maxBodyBytes);

  const inner = async (c: Context<AppEnv>, next: () => Promise<void>, method: string, cors: boolean): Promise<void> => {
    if (method === 'GET' || method === 'HEAD') return next();
    const res = cors && method === 'OPTIONS' ? await preflight(c, next) : await limit(c, next);
    // As hono's compose does with what a middleware returns.
    if (res && !c.finalized) c.res = res;
  };

  return async (c, next) => {
    const started = performance.now();
    const requestId = requestIdOf(c);
    c.set('requestId', requestId);
    c.set('clientIp', clientAddress(c));
    const method = c.req.method;
    const path = c.req.path;
    const cors = publicCorsPaths.has(path);
    try {
      await inner(c, next, method, cors);
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      c.error = error;
      c.res = await onError(error, c);
    }
    // The id is echoed, and a public path's answer given its CORS headers, once the answer exists:
    // a prebuilt answer (prebuiltAnswer()) carries them already.
    if (c.get('prebuilt') !== true) {
      const res = c.res;
      res.headers.set('X-Request-Id', requestId);
      if (cors && method !== 'OPTIONS') addCorsHeaders(res);
    }
    const durationMs = performance.now() - started;
    record(c, method, path, durationMs);
    logLine(c, requestId, method, path, durationMs);
  };
};

/**
 * A fixed answer (a prebuilt document) with everything the front would add to it (X-Request-Id, and on
 * a public path the CORS headers) in one plain header object: @hono/node-server writes such a response
 * straight out, where a fetch Headers object would be built, filled and read back header by header.
 */
export function prebuiltAnswer(c: Context<AppEnv>, body: string | null, status: 200 | 304, headers: Readonly<Record<string, string>>): Response {
  const requestId = c.get('requestId');
  // Mounted without the front (a route on its own), the answer is what the route gives.
  if (requestId === undefined) return new Response(body, { status, headers });
  c.set('prebuilt', true);
  // Copied key by key: object spread with string keys like these is several times slower here.
  const all: Record<string, string> = {};
  for (const name in headers) all[name] = headers[name]!;
  all['X-Request-Id'] = requestId;
  if (publicCorsPaths.has(c.req.path)) for (const name in corsHeaders) all[name] = corsHeaders[name as keyof typeof corsHeaders];
  return new Response(body, { status, headers: all });
}
