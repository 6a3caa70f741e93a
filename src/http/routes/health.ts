import { Hono } from 'hono';
import type { Deps } from '../../services/deps.js';
import type { AppEnv } from '../env.js';
import { prebuiltAnswer } from '../prebuilt-answer.js';

const alive = JSON.stringify({ status: 'ok' });
const json = { 'Content-Type': 'application/json' };

/**
 * Liveness, and readiness: the store answers, a signing key is loaded, and the last periodic refresh of
 * the keys from the store succeeded (while it fails, this instance misses rotations made elsewhere).
 */
export function healthRoutes(deps: Deps) {
  return new Hono<AppEnv>()
    .get('/healthz', (c) => prebuiltAnswer(c, alive, 200, json))
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
