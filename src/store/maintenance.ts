import { sql, type Column, type SQL } from 'drizzle-orm';
import { statement, type Dialect, type Tables } from './dialect.js';
import type { MaintenanceStore } from './types.js';

export type MaintenanceOptions = {
  /** Rows the retention job deletes per statement, pausing between batches (tests set a small one). */
  cleanupBatch?: number;
};

/** The database itself: migrations, reachability, backup, and the retention job. */
export function maintenanceStore(dialect: Dialect, tables: Tables, options: MaintenanceOptions = {}): MaintenanceStore {
  const {
    families,
    refreshTokens,
    auditEvents,
    rateLimits,
    clientRevocations,
    tokenRevocations,
    authorizationCodes,
    browserSessions,
    upstreamLogins,
    outbox,
    webhookDeliveries,
    dpopProofs,
    parRequests,
    clientAssertionJtis,
    mailLinks,
    mails,
    webauthnChallenges,
  } = tables;
  const { run } = dialect;
  const cleanupBatch = options.cleanupBatch ?? 500;
  return {
    migrate: () => dialect.migrate(),
    ping: () => dialect.ping(),
    close: () => dialect.close(),
    backup: (destination) => dialect.backup(destination),
    async deleteExpired(now, auditBefore, familiesBefore) {
      // The newest event stays whatever its age: the next seq follows it, and webhook positions count on seq never going back.
      const notNewestEvent = sql`${outbox.seq} < (select max(newest.seq) from ${outbox} newest)`;
      const targets: [Tables[keyof Tables], Column, number, SQL?][] = [
        [refreshTokens, refreshTokens.expiresAt, now],
        [auditEvents, auditEvents.at, auditBefore],
        [families, families.expiresAt, familiesBefore],
        [clientRevocations, clientRevocations.revokedAt, familiesBefore],
        [tokenRevocations, tokenRevocations.expiresAt, now],
        [rateLimits, rateLimits.windowStart, now - 3_600_000],
        [browserSessions, browserSessions.expiresAt, now],
        // A day after expiry: a replay arriving late still finds the family its code started, and ends it.
        [authorizationCodes, authorizationCodes.expiresAt, now - 86_400_000],
        [upstreamLogins, upstreamLogins.expiresAt, now],
        [parRequests, parRequests.expiresAt, now],
        [clientAssertionJtis, clientAssertionJtis.expiresAt, now],
        [outbox, outbox.at, auditBefore, notNewestEvent],
        [webhookDeliveries, webhookDeliveries.at, auditBefore],
        [dpopProofs, dpopProofs.expiresAt, now],
        [mailLinks, mailLinks.expiresAt, now],
        // A day after it was sent (or given up); one still waiting has no done_at and stays.
        [mails, mails.doneAt, now - 86_400_000],
        [webauthnChallenges, webauthnChallenges.expiresAt, now],
      ];
      let deleted = 0;
      // In batches, pausing between them: a large cleanup never holds the write lock (or, on SQLite, the
      // event loop) for long, so requests go on meanwhile.
      for (const [table, column, before, also] of targets) {
        const address = dialect.rowAddress;
        const expired = also ? sql`${column} < ${before} and ${also}` : sql`${column} < ${before}`;
        const batch = sql`delete from ${table} where ${address} in (select ${address} from ${table} where ${expired} limit ${cleanupBatch})`;
        for (;;) {
          const n = await run(() => statement(batch));
          deleted += n;
          if (n < cleanupBatch) break;
          await dialect.pause();
        }
      }
      return deleted;
    },
  };
}
