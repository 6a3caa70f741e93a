import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from '../env.js';

/**
 * One structured line per request: request id, method, path (never the query string, which could
 * carry a token), status and duration. `timer` is injectable; it measures, it does not tell the time.
 */
export const requestLog =
  ({ log, timer = () => performance.now() }: { log: Logger; timer?: () => number }): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const started = timer();
    await next();
    const status = c.res.status;
    const line = {
      request_id: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status,
      duration_ms: Math.round((timer() - started) * 100) / 100,
    };
    if (status >= 500) log.error(line, 'request');
    else log.info(line, 'request');
  };
