import type { MaintenanceStore } from '../store/types.js';
import type { Uses } from './deps.js';

/**
 * Deletes what nothing can use any more: expired refresh tokens, old rate-limit windows, audit
 * events older than AUDIT_RETENTION, and sessions that ended longer ago than that (kept at least
 * until their last access token has expired, so the revocation feed still has them). Returns how
 * many rows went.
 */
export async function pruneExpired(deps: Uses<'clock' | 'config', MaintenanceStore>): Promise<number> {
  const now = deps.clock.now().getTime();
  const { auditRetention, accessTokenTtl } = deps.config;
  return deps.store.deleteExpired(now, now - auditRetention * 1000, now - Math.max(auditRetention, accessTokenTtl) * 1000);
}
