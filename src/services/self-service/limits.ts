import { TooManyRequests } from '../../errors/oauth.js';
import type { LimitsStore } from '../../store/types.js';
import type { Uses } from '../deps.js';

/** Requests that send mail or create accounts are few; an hour's window keeps a mailbox from being flooded. */
export const accountWindowMs = 3_600_000;

/**
 * Counts this request against each counter (every request counts, not only failures: each one may send a mail)
 * and refuses it with TooManyRequests once one is past its limit. Keys are hashed or fixed by the caller.
 */
export async function countRequest(deps: Uses<'clock', LimitsStore>, counters: { key: string; limit: number }[]): Promise<void> {
  const now = deps.clock.now().getTime();
  const windowStart = now - (now % accountWindowMs);
  let over = false;
  for (const { key, limit } of counters) if ((await deps.store.hitRateLimit(key, windowStart)) > limit) over = true;
  if (over) throw new TooManyRequests((windowStart + accountWindowMs - now) / 1000);
}
