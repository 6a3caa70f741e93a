import type { Deps } from './deps.js';
import { revocationPage, type RevocationEntry } from './revocations.js';

export type RevocationListener = (entry: RevocationEntry) => void;

/**
 * One poll of the store shared by every live feed stream of this process: it reads the feed once a
 * second while anyone listens, and hands each new entry to every listener. Revocations made by any
 * instance on the same database show up here, because they are read from the store.
 */
export function createRevocationHub(deps: Pick<Deps, 'store' | 'clock' | 'config' | 'log'>, { intervalMs = 1000 } = {}) {
  const listeners = new Set<RevocationListener>();
  const seen = new Map<string, number>(); // sid → expires_at, so the overlap window is not re-broadcast
  let cursor: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let polling = false;

  async function poll(): Promise<void> {
    if (polling) return;
    polling = true;
    try {
      const page = await revocationPage(deps, cursor);
      cursor = page.cursor;
      for (const entry of page.revocations) {
        if (seen.has(entry.sid)) continue;
        seen.set(entry.sid, entry.expires_at);
        for (const listener of listeners) listener(entry);
      }
      const now = deps.clock.now().getTime() / 1000;
      for (const [sid, expiresAt] of seen) if (expiresAt <= now) seen.delete(sid);
    } catch (error) {
      deps.log.warn({ err: { message: (error as Error).message } }, 'revocation feed poll failed');
    } finally {
      polling = false;
    }
  }

  return {
    async subscribe(listener: RevocationListener): Promise<() => void> {
      if (timer === undefined) {
        timer = setInterval(() => void poll(), intervalMs);
        timer.unref();
        // The baseline, read before anyone listens: what is there now reaches each subscriber through
        // its own catch-up read. If this read fails, the next one hands everything out: repeats, not gaps.
        await poll();
      }
      listeners.add(listener);
      // Everyone else may have left while the baseline was read, stopping the poll: start it again.
      if (timer === undefined) {
        timer = setInterval(() => void poll(), intervalMs);
        timer.unref();
      }
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
    get listenerCount() {
      return listeners.size;
    },
  };
}

export type RevocationHub = ReturnType<typeof createRevocationHub>;
