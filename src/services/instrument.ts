import type { Clock } from '../lib/clock.js';
import { createMetrics, type Metrics } from '../lib/metrics.js';
import type { Hasher } from '../lib/password-hasher.js';
import type { Store } from '../store/types.js';
import { feedOverlapSeconds } from './revocations.js';
import { createEmitter, type Emitter } from './events.js';
import { operatorDefaultReason, revocationOf } from '../domain/events.js';

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

/** The revocations counter's label for a stored reason: an operator's own text is `other`, so the label's values stay few. */
function reasonLabel(stored: string): string {
  const { reason, note } = revocationOf(stored);
  if (reason !== 'operator') return reason;
  return note === undefined ? operatorDefaultReason : 'other';
}

/** The metrics that follow domain events: reuse is counted where it is detected (only the server detects it, so this process sees every one). */
function countEvents(events: Emitter, metrics: Metrics): void {
  events.subscribe((event) => {
    if (event.type === 'session.reuse_detected') metrics.reuseDetections.inc();
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
        metrics.revocations.inc({ reason: reasonLabel(reason) }, count);
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

/** Gives deps their metrics: an instrumented hasher, the subscribers to domain events, and the counts read from the store. */
export function instrument<D extends { store: Store; hasher: Hasher; clock: Clock }>(
  deps: D,
  metrics: Metrics = createMetrics(),
): D & { metrics: Metrics; events: Emitter } {
  const events = createEmitter();
  countEvents(events, metrics);
  metrics.countActiveFamiliesWith(atMostEvery(() => deps.store.countActiveFamilies(deps.clock.now().getTime()), deps.clock, activeFamiliesMaxAgeMs));
  metrics.countRevocationsWith(revocationTally(deps.store, deps.clock, metrics));
  return { ...deps, hasher: instrumentHasher(deps.hasher, metrics), metrics, events };
}
