import { and, eq, gt, isNull } from 'drizzle-orm';
import { changes, rows, storable, type Dialect, type Tables } from './dialect.js';
import { parFromRow, parToRow } from './mappers.js';
import type { PushedRequestsStore } from './types.js';

/** Pushed authorization requests and used client assertion ids: single use, enforced by conditional writes. */
export function pushedRequestsStore(dialect: Dialect, tables: Tables): PushedRequestsStore {
  const { parRequests, clientAssertionJtis } = tables;
  const { run } = dialect;
  return {
    insertParRequest: (request) =>
      run(function* (db) {
        yield* changes(db.insert(parRequests).values(parToRow(request)));
      }),
    consumeParRequest: (hash, clientId, now) =>
      run(function* (db) {
        if (!storable(hash, clientId)) return null;
        // One conditional UPDATE: of concurrent uses, the database lets exactly one find used_at null.
        const update = db
          .update(parRequests)
          .set({ usedAt: now })
          .where(and(eq(parRequests.hash, hash), eq(parRequests.clientId, clientId), isNull(parRequests.usedAt), gt(parRequests.expiresAt, now)))
          .returning();
        const [row] = yield* rows(update);
        return row ? parFromRow(row) : null;
      }),
    useClientAssertionJti: (clientId, jti, expiresAt) =>
      run(function* (db) {
        if (!storable(clientId, jti)) return false;
        return (yield* changes(db.insert(clientAssertionJtis).values({ clientId, jti, expiresAt }).onConflictDoNothing())) > 0;
      }),
  };
}
