import type { MiddlewareHandler } from 'hono';

/** RFC 6749 §5.1: token responses, errors included, must not be cached. */
export const noStore = (): MiddlewareHandler => async (c, next) => {
  await next();
  c.res.headers.set('Cache-Control', 'no-store');
  c.res.headers.set('Pragma', 'no-cache');
};
