import type { Clock } from '../lib/clock.js';
import { createMetrics, type Metrics } from '../lib/metrics.js';
import type { Hasher } from '../lib/password-hasher.js';
import type { Store } from '../store/types.js';
import { feedOverlapSeconds } from './revocations.js';

// What observes the store and the hasher for the metrics (the instruments themselves are lib/metrics.ts).

/** Times every argon2 hash and verification. */
export function instrumentHasher(hasher: Hasher, metrics: Metrics): Hasher {
  const timed = async <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    const end = metrics.argon2Duration.startTimer({ operation });
    try {
      return await work();
    } finally {
      end();
    }
  };
  return {
    hash: (password) => timed('hash', () => hasher.hash(password)),
    verify: (stored, password) => timed('verify', () => hasher.verify(stored, password)),
  };
}

const knownReasons = new Set([
  'reuse_detected',
  'max_sessions',
  'password_changed',
  'user_disabled',
  'user_deleted',
  'logout',
  'admin',
  'client_deleted',
  'client_disabled',
  'code_replayed',
]);

/** Counts refresh-token reuse where it is detected: only the server detects it, so counting in process sees every one. */
export function instrumentStore(store: Store, metrics: Metrics): Store {
  const overrides: Partial<Store> = {
    async revokeFamily(id, reason, now) {
      const revoked = await store.revokeFamily(id, reason, now);
      if (revoked && reason === 'reuse_detected') metrics.reuseDetections.inc();
      return revoked;
    },
  };
  // A proxy rather than a spread, so a class-based store keeps its prototype methods and `this`.
  return new Proxy(store, {
    get(target, name, receiver) {
      if (typeof name === 'string' && name in overrides) return overrides[name as keyof Store];
      const value = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * How far behind the present the revocations counter counts: a revocation is stamped before its
 * transaction commits, so one younger than this may not be visible yet (the feed's overlap, for the same reason).
 */
export const revocationsSettleSeconds = feedOverlapSeconds;

/**
 * Brings the revocations counter up to date from the store, at scrape time: the families revoked since
 * the last count, by whoever revoked them (this instance, another, or the CLI, a process of its own whose
 * counters no scrape sees). It counts from when this instance started, so the counter only grows; every
 * instance on one store counts the same revocations (aggregate instances with max, not sum). A failed
 * count is left for the next scrape; concurrent scrapes share one count.
 */
function revocationTally(store: Store, clock: Clock, metrics: Metrics): () => Promise<void> {
  const settledAt = () => clock.now().getTime() - revocationsSettleSeconds * 1000;
  let countedUpTo = clock.now().getTime() - 1; // from the instant this instance starts, that instant included
  let running: Promise<void> | null = null;
  const count = async () => {
    const upTo = settledAt();
    if (upTo <= countedUpTo) return;
    try {
      for (const { reason, count } of await store.countRevokedFamilies(countedUpTo, upTo)) {
        // An operator may type any reason; the label keeps to the known ones so its cardinality stays bounded.
        metrics.revocations.inc({ reason: knownReasons.has(reason) ? reason : 'other' }, count);
      }
      countedUpTo = upTo;
    } catch {
      // counted at the next scrape
    }
  };
  return () => (running ??= count().finally(() => (running = null)));
}

/** How old the active-families count may be when scraped: counting scans the families table, and scrapes come every few seconds. */
export const activeFamiliesMaxAgeMs = 30_000;

/** `count`, run at most once per `maxAgeMs` of `clock`; in between, the last result. */
function atMostEvery(count: () => Promise<number>, clock: Clock, maxAgeMs: number): () => Promise<number> {
  let last: { at: number; value: Promise<number> } | null = null;
  return () => {
    const now = clock.now().getTime();
    if (last === null || now - last.at >= maxAgeMs) {
      const value = count();
      last = { at: now, value };
      // A failed count is not kept: the next scrape counts again.
      value.catch(() => {
        if (last?.value === value) last = null;
      });
    }
    return last.value;
  };
}

/** Gives deps their metrics: an instrumented store and hasher, and the active-families gauge. */
export function instrument<D extends { store: Store; hasher: Hasher; clock: Clock }>(deps: D, metrics: Metrics = createMetrics()): D & { metrics: Metrics } {
  const store = instrumentStore(deps.store, metrics);
  metrics.countActiveFamiliesWith(atMostEvery(() => store.countActiveFamilies(deps.clock.now().getTime()), deps.clock, activeFamiliesMaxAgeMs));
  metrics.countRevocationsWith(revocationTally(deps.store, deps.clock, metrics));
  return { ...deps, store, hasher: instrumentHasher(deps.hasher, metrics), metrics };
}
