import { and, eq, isNull } from 'drizzle-orm';
import { changes, rows, storable, type Dialect, type Tables } from './dialect.js';
import { codeFromRow, codeToRow, consentFromRow, consentToRow } from './mappers.js';
import type { AuthorizationStore } from './types.js';

/** The hosted login: authorization codes, browser sessions and consents. */
export function authorizationStore(dialect: Dialect, tables: Tables): AuthorizationStore {
  const { authorizationCodes, browserSessions, consents } = tables;
  const { run } = dialect;
  return {
    insertAuthorizationCode: (code) =>
      run(function* (db) {
        yield* changes(db.insert(authorizationCodes).values(codeToRow(code)));
      }),
    findAuthorizationCode: (hash) =>
      run(function* (db) {
        if (!storable(hash)) return null;
        const [row] = yield* rows(db.select().from(authorizationCodes).where(eq(authorizationCodes.hash, hash)));
        return row ? codeFromRow(row) : null;
      }),
    consumeAuthorizationCode: (hash, usedAt, familyId) =>
      run(function* (db) {
        if (!storable(hash)) return false;
        // One conditional UPDATE: of concurrent redemptions, the database lets exactly one find used_at null.
        const update = db
          .update(authorizationCodes)
          .set({ usedAt, familyId })
          .where(and(eq(authorizationCodes.hash, hash), isNull(authorizationCodes.usedAt)));
        return (yield* changes(update)) > 0;
      }),
    insertBrowserSession: (session) =>
      run(function* (db) {
        yield* changes(db.insert(browserSessions).values(session));
      }),
    findBrowserSession: (id) =>
      run(function* (db) {
        if (!storable(id)) return null;
        const [row] = yield* rows(db.select().from(browserSessions).where(eq(browserSessions.id, id)));
        return row ?? null;
      }),
    endBrowserSession: (id, now) =>
      run(function* (db) {
        if (!storable(id)) return false;
        return (
          (yield* changes(
            db
              .update(browserSessions)
              .set({ endedAt: now })
              .where(and(eq(browserSessions.id, id), isNull(browserSessions.endedAt))),
          )) > 0
        );
      }),
    renewBrowserSession: (id, authTime) =>
      run(function* (db) {
        if (!storable(id)) return false;
        return (
          (yield* changes(
            db
              .update(browserSessions)
              .set({ authTime })
              .where(and(eq(browserSessions.id, id), isNull(browserSessions.endedAt))),
          )) > 0
        );
      }),
    endUserBrowserSessions: (userId, now) =>
      run(function* (db) {
        if (!storable(userId)) return 0;
        return yield* changes(
          db
            .update(browserSessions)
            .set({ endedAt: now })
            .where(and(eq(browserSessions.userId, userId), isNull(browserSessions.endedAt))),
        );
      }),
    findConsent: (userId, clientId) =>
      run(function* (db) {
        if (!storable(userId, clientId)) return null;
        const [row] = yield* rows(
          db
            .select()
            .from(consents)
            .where(and(eq(consents.userId, userId), eq(consents.clientId, clientId))),
        );
        return row ? consentFromRow(row) : null;
      }),
    saveConsent: (consent) =>
      run(function* (db) {
        const row = consentToRow(consent);
        const upsert = db
          .insert(consents)
          .values(row)
          .onConflictDoUpdate({ target: [consents.userId, consents.clientId], set: { scopes: row.scopes, grantedAt: row.grantedAt } });
        yield* changes(upsert);
      }),
  };
}
