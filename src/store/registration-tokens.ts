import { and, asc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { changes, rows, storable, type Dialect, type Tables } from './dialect.js';
import type { RegistrationTokensStore } from './types.js';

/** Initial access tokens for dynamic client registration: only their hashes, and how often each was used. */
export function registrationTokensStore(dialect: Dialect, tables: Tables): RegistrationTokensStore {
  const { registrationTokens: t } = tables;
  const { run } = dialect;
  return {
    insertRegistrationToken: (token) =>
      run(function* (db) {
        yield* changes(db.insert(t).values(token), `registration token ${token.id}`);
      }),
    listRegistrationTokens: () =>
      run(function* (db) {
        return yield* rows(db.select().from(t).orderBy(asc(t.createdAt), asc(t.id)));
      }),
    revokeRegistrationToken: (id, now) =>
      run(function* (db) {
        if (!storable(id)) return false;
        return (
          (yield* changes(
            db
              .update(t)
              .set({ revokedAt: now })
              .where(and(eq(t.id, id), isNull(t.revokedAt))),
          )) > 0
        );
      }),
    useRegistrationToken: (hash, now) =>
      run(function* (db) {
        if (!storable(hash)) return null;
        // One conditional update: of concurrent uses, only those within max_uses find the row still usable.
        const usable = and(eq(t.hash, hash), isNull(t.revokedAt), or(isNull(t.expiresAt), gt(t.expiresAt, now)), or(isNull(t.maxUses), lt(t.uses, t.maxUses)));
        const [row] = yield* rows(
          db
            .update(t)
            .set({ uses: sql`${t.uses} + 1` })
            .where(usable)
            .returning(),
        );
        return row ?? null;
      }),
  };
}
