import { Hono } from 'hono';
import type { Deps } from '../../services/deps.js';

/**
 * Liveness, and readiness: the store answers, a signing key is loaded, and the last periodic refresh of
 * the keys from the store succeeded (while it fails, this instance misses rotations made elsewhere).
 */
export function healthRoutes(deps: Deps) {
  return new Hono()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      const checks = { store: false, signing_key: deps.keys.isReady(deps.clock.now()), key_refresh: deps.keys.refreshFailure() === null };
      try {
        await deps.store.ping();
        checks.store = true;
      } catch {
        // reported in the body below
      }
      const ready = checks.store && checks.signing_key && checks.key_refresh;
      return c.json({ status: ready ? 'ready' : 'not_ready', checks }, ready ? 200 : 503);
    });
}
