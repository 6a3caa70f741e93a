import { Hono } from 'hono';
import { stylesheet, stylesheetPath } from '../pages/styles.js';

/** The stylesheet of the hosted pages. Its URL carries a version, so caches may keep it a day. */
export function assetRoutes() {
  return new Hono().get(stylesheetPath, (c) =>
    c.body(stylesheet, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=86400', 'X-Content-Type-Options': 'nosniff' }),
  );
}
