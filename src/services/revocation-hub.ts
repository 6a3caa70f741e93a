import type { RevocationFeedStore } from '../store/types.js';
import type { Revocation } from '../domain/types.js';
import type { Uses } from './deps.js';
import { positionOf, revocationPage } from './revocations.js';

export type RevocationListener = (entry: Revocation) => void;

const keyOf = (r: Revocation): string => `${r.kind}:${positionOf(r).id}:${r.revokedAt}`;

/**
 * One poll of the store shared by every live feed stream of this process: it reads the feed once a
 * second while anyone listens (page after page while pages come full), and hands each new entry to
 * every listener. Revocations made by any instance on the same database show up here, because they
 * are read from the store.
 */
export function createRevocationHub(deps: Uses<'clock' | 'config' | 'log', RevocationFeedStore>, { intervalMs = 1000 } = {}) {
  const listeners = new Set<RevocationListener>();
  const seen = new Map<string, number>(); // entry → when it leaves the feed, so the overlap window is not re-broadcast
  let cursor: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let polling = false;

  async function poll(): Promise<void> {
    if (polling) return;
    polling = true;
    try {
      for (let more = true; more; ) {
        const page = await revocationPage(deps, cursor);
        cursor = page.cursor;
        more = page.more;
        for (const entry of page.entries) {
          const key = keyOf(entry);
          if (seen.has(key)) continue;
          seen.set(key, entry.revokedAt + deps.config.accessTokenTtl * 1000);
          for (const listener of listeners) listener(entry);
        }
      }
      const now = deps.clock.now().getTime();
      for (const [key, leavesAt] of seen) if (leavesAt <= now) seen.delete(key);
    } catch (error) {
      deps.log.warn({ err: { message: (error as Error).message } }, 'revocation feed poll failed');
    } finally {
      polling = false;
    }
  }

  const start = () => {
    timer = setInterval(() => void poll(), intervalMs);
    timer.unref();
  };

  return {
    /** Reads the feed now rather than at the next tick, while anyone listens (a revocation this process just committed). */
    nudge(): void {
      if (timer !== undefined) void poll();
    },
    async subscribe(listener: RevocationListener): Promise<() => void> {
      if (timer === undefined) {
        start();
        // The baseline, read before anyone listens: what is there now reaches each subscriber through
        // its own catch-up read. If this read fails, the next one hands everything out: repeats, not gaps.
        await poll();
      }
      listeners.add(listener);
      // Everyone else may have left while the baseline was read, stopping the poll: start it again.
      if (timer === undefined) start();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer !== undefined) {
          clearInterval(timer);
          timer = undefined;
          cursor = undefined;
          seen.clear();
        }
      };
    },
  };
}

export type RevocationHub = ReturnType<typeof createRevocationHub>;

/**
 * The hub of this process, built in composition: it subscribes to the domain events, so a session this process
 * revokes reaches live streams at once; revocations by other instances and the CLI arrive with the next poll.
 */
export function revocationHub(deps: Uses<'clock' | 'config' | 'events' | 'log', RevocationFeedStore>, options: { intervalMs?: number } = {}): RevocationHub {
  const hub = createRevocationHub(deps, options);
  deps.events.subscribe((event) => {
    if (event.type === 'session.revoked') hub.nudge();
  });
  return hub;
}
