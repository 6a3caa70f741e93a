import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { buildInfo } from './version.js';

/**
 * The service's Prometheus instruments, on a registry of their own (never prom-client's global one),
 * so every Deps, and every test app, counts for itself.
 */
export function createMetrics({ processMetrics = false }: { processMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  let countActiveFamilies: (() => Promise<number>) | null = null;
  let countRevocations: (() => Promise<void>) | null = null;
  new Gauge({
    name: 'tessera_build_info',
    help: 'The running build: its version and the commit it was made from; always 1',
    labelNames: ['version', 'commit'] as const,
    registers,
  }).set(buildInfo(), 1);

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
      help: 'Refresh-token families revoked since this instance started, by any instance or the CLI, by reason (counted from the store)',
      labelNames: ['reason'] as const,
      registers,
      async collect() {
        await countRevocations?.();
      },
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
    /** Where the active-families gauge reads its value at scrape time (services/instrument.ts says how often it counts). */
    countActiveFamiliesWith(count: () => Promise<number>): void {
      countActiveFamilies = count;
    },
    /** What brings the revocations counter up to date at scrape time (services/instrument.ts). */
    countRevocationsWith(count: () => Promise<void>): void {
      countRevocations = count;
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
