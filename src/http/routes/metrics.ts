import { Hono } from 'hono';
import type { Deps } from '../../services/deps.js';

/** GET /metrics: this instance's registry in the Prometheus text exposition format. */
export function metricsRoute(deps: Deps) {
  return new Hono().get('/metrics', async (c) => {
    const body = await deps.metrics.registry.metrics();
    return c.body(body, 200, { 'Content-Type': deps.metrics.registry.contentType, 'Cache-Control': 'no-store' });
  });
}
