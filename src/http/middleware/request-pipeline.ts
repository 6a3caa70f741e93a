import type { Context, ErrorHandler, MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { TrustedNetwork } from '../../config/schema.js';
import type { Metrics } from '../../lib/metrics.js';
import type { AppEnv } from '../env.js';
import { clientAddressResolver, requestIdOf } from '../request-info.js';
import { bodyLimit } from './body-limit.js';
import { httpMetrics } from './metrics.js';
import { addCorsHeaders, corsPreflight, publicCorsPaths } from './public-cors.js';
import { requestLogger } from './request-log.js';
import { staticRequestSummary, summarised } from './static-requests.js';

export type PipelineOptions = {
  log: Logger;
  metrics: Metrics;
  trustProxy: readonly TrustedNetwork[];
  maxBodyBytes: number;
  /** The app's error handler: an error of the pipeline's own (a body over the limit) is answered as the app answers any. */
  onError: ErrorHandler<AppEnv>;
  /** How often the answers to the static documents are summed up in one log line (static-requests.ts). */
  summaryEveryMs: number;
  /** Aborted when the process stops: the pending summary is written then. */
  shutdown?: AbortSignal;
};

/**
 * What every request goes through before its route: six concerns, each in its own module, composed
 * here in one middleware rather than six: each
 * middleware hono composes costs a dispatch, a promise and a closure per request, which for the
 * prebuilt documents was most of their cost. In order:
 * - the request id (X-Request-Id accepted or generated, request-info.ts, and echoed);
 * - the client address (request-info.ts);
 * - CORS on the public paths (public-cors.ts): their preflights answered here, their answers given
 *   the CORS headers; elsewhere nothing;
 * - the body limit by Content-Length (body-limit.ts), for methods that carry a body;
 * then, once the response exists, the request metrics (metrics.ts) and the request log line
 * (request-log.ts), or for a static document the periodic summary (static-requests.ts). An error of the pipeline itself is handled as hono handles one of a middleware:
 * `c.error` and the error handler's response, which is then counted and logged like any other.
 */
export const requestPipeline = ({ log, metrics, trustProxy, maxBodyBytes, onError, summaryEveryMs, shutdown }: PipelineOptions): MiddlewareHandler<AppEnv> => {
  const logLine = requestLogger(log);
  const summary = staticRequestSummary(log, summaryEveryMs);
  shutdown?.addEventListener('abort', summary.flush, { once: true });
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
    // a prebuilt answer (prebuilt-answer.ts) carries them already.
    if (c.get('prebuilt') !== true) {
      const res = c.res;
      res.headers.set('X-Request-Id', requestId);
      if (cors && method !== 'OPTIONS') addCorsHeaders(res);
    }
    const durationMs = performance.now() - started;
    record(c, method, path, durationMs);
    const status = c.res.status;
    if (summarised(method, path, status)) summary.count(path, status);
    else logLine(c, requestId, method, path, durationMs);
  };
};
