import { epochSeconds } from '../lib/clock.js';
import type { Deps } from './deps.js';

/**
 * Deletes what nothing can use any more: expired refresh tokens, old rate-limit windows, and audit
 * events older than AUDIT_RETENTION. Returns how many rows went.
 */
export async function pruneExpired(deps: Pick<Deps, 'store' | 'clock' | 'config'>): Promise<number> {
  const now = epochSeconds(deps.clock.now());
  return deps.store.deleteExpired(now, now - deps.config.auditRetention);
}
