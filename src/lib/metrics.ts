import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Store } from '../store/types.js';
import type { Clock } from './clock.js';
import type { Hasher } from './password-hasher.js';

/**
 * The service's Prometheus instruments, on a registry of their own (never prom-client's global one),
 * so every Deps, and every test app, counts for itself.
 */
export function createMetrics({ processMetrics = false }: { processMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  let countActiveFamilies: (() => Promise<number>) | null = null;

  return {
    registry,
    httpRequests: new Counter({
      name: 'tessera_http_requests_total',
      help: 'HTTP requests by method, route and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: 'tessera_http_request_duration_seconds',
      help: 'HTTP request latency by method, route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    tokens: new Counter({
      name: 'tessera_token_requests_total',
      help: 'Token requests by grant and outcome (issued, or the error code)',
      labelNames: ['grant', 'outcome'] as const,
      registers,
    }),
    reuseDetections: new Counter({
      name: 'tessera_refresh_reuse_detected_total',
      help: 'Refresh tokens presented again outside the grace window; each revokes its family',
      registers,
    }),
    revocations: new Counter({
      name: 'tessera_families_revoked_total',
      help: 'Refresh-token families revoked, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
    activeFamilies: new Gauge({
      name: 'tessera_active_families',
      help: 'Refresh-token families neither revoked nor expired',
      registers,
      async collect() {
        if (countActiveFamilies) this.set(await countActiveFamilies());
      },
    }),
    argon2Duration: new Histogram({
      name: 'tessera_argon2_duration_seconds',
      help: 'Time spent in argon2 by operation',
      labelNames: ['operation'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
    /** Where the active-families gauge reads its value at scrape time. */
    countActiveFamiliesWith(count: () => Promise<number>): void {
      countActiveFamilies = count;
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

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

const knownReasons = new Set(['reuse_detected', 'max_sessions', 'password_changed', 'user_disabled', 'logout', 'admin', 'client_deleted', 'client_disabled', 'code_replayed']);

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
    async changePassword(id, passwordHash, now) {
      const ids = await store.changePassword(id, passwordHash, now);
      counted('password_changed', ids?.length ?? 0);
      return ids;
    },
    async disableUser(id, now) {
      const ids = await store.disableUser(id, now);
      counted('user_disabled', ids?.length ?? 0);
      return ids;
    },
    async disableClient(id, now) {
      const ids = await store.disableClient(id, now);
      counted('client_disabled', ids?.length ?? 0);
      return ids;
    },
    async deleteClient(id, now) {
      const ids = await store.deleteClient(id, now);
      counted('client_deleted', ids?.length ?? 0);
      return ids;
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

/** Gives deps their metrics: an instrumented store and hasher, and the active-families gauge. */
export function instrument<D extends { store: Store; hasher: Hasher; clock: Clock }>(deps: D, metrics: Metrics = createMetrics()): D & { metrics: Metrics } {
  const store = instrumentStore(deps.store, metrics);
  metrics.countActiveFamiliesWith(() => store.countActiveFamilies(deps.clock.now().getTime()));
  return { ...deps, store, hasher: instrumentHasher(deps.hasher, metrics), metrics };
}
