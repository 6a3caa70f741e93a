import type { Clock } from '../lib/clock.js';
import { createMetrics, type Metrics } from '../lib/metrics.js';
import type { Hasher } from '../lib/password-hasher.js';
import type { Store } from '../store/types.js';

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
  'logout',
  'admin',
  'client_deleted',
  'client_disabled',
  'code_replayed',
]);

/**
 * Counts revocations where they happen, in the store, so every path that revokes (logout, reuse,
 * max_sessions, password change, admin) is counted once per family actually revoked.
 */
export function instrumentStore(store: Store, metrics: Metrics): Store {
  const counted = (reason: string, n: number) => {
    if (n === 0) return;
    // An operator may type any reason; the label keeps to the known ones so its cardinality stays bounded.
    metrics.revocations.inc({ reason: knownReasons.has(reason) ? reason : 'other' }, n);
    if (reason === 'reuse_detected') metrics.reuseDetections.inc(n);
  };
  /** A store method that answers the families it revoked (null: nothing to act on), counted under `reason`. */
  const countingRevoked =
    <A extends unknown[]>(revoke: (...args: A) => Promise<string[] | null>, reason: string) =>
    async (...args: A) => {
      const ids = await revoke(...args);
      counted(reason, ids?.length ?? 0);
      return ids;
    };
  const overrides: Partial<Store> = {
    async revokeFamily(id, reason, now) {
      const revoked = await store.revokeFamily(id, reason, now);
      counted(reason, revoked ? 1 : 0);
      return revoked;
    },
    async revokeUserFamilies(userId, reason, now) {
      const ids = await store.revokeUserFamilies(userId, reason, now);
      counted(reason, ids.length);
      return ids;
    },
    async startFamily(input) {
      const started = await store.startFamily(input);
      counted('max_sessions', started?.evicted.length ?? 0);
      return started;
    },
    changePassword: countingRevoked((id, passwordHash, now) => store.changePassword(id, passwordHash, now), 'password_changed'),
    disableUser: countingRevoked((id, now) => store.disableUser(id, now), 'user_disabled'),
    disableClient: countingRevoked((id, now) => store.disableClient(id, now), 'client_disabled'),
    deleteClient: countingRevoked((id, now) => store.deleteClient(id, now), 'client_deleted'),
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
  return { ...deps, store, hasher: instrumentHasher(deps.hasher, metrics), metrics };
}
