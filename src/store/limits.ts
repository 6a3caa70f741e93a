import { and, eq, sql } from 'drizzle-orm';
import { rows, storable, type Dialect, type Tables } from './dialect.js';
import type { LimitsStore } from './types.js';

/** Failed-attempt counters in fixed windows, shared by every instance on the store. */
export function limitsStore(dialect: Dialect, tables: Tables): LimitsStore {
  const { rateLimits } = tables;
  const { run } = dialect;
  return {
    hitRateLimit: (key, windowStart) =>
      run(function* (db) {
        const [row] = yield* rows(
          db
            .insert(rateLimits)
            .values({ key, windowStart, count: 1 })
            .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { count: sql`${rateLimits.count} + 1` } })
            .returning({ count: rateLimits.count }),
        );
        return row!.count;
      }),
    peekRateLimit: (key, windowStart) =>
      run(function* (db) {
        if (!storable(key)) return 0;
        const [row] = yield* rows(
          db
            .select({ count: rateLimits.count })
            .from(rateLimits)
            .where(and(eq(rateLimits.key, key), eq(rateLimits.windowStart, windowStart))),
        );
        return row?.count ?? 0;
      }),
  };
}
