import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';

/** RFC 6749 §5.1: token responses, errors included, must not be cached. A prebuilt token answer carries the headers already. */
export const noStore = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  await next();
  if (c.get('prebuilt') === true) return;
  c.res.headers.set('Cache-Control', 'no-store');
  c.res.headers.set('Pragma', 'no-cache');
};
