import { and, asc, count, desc, eq, gt, inArray, isNull, lte, ne, or, sql } from 'drizzle-orm';
import { exec, prepare, rows, storable, type Dialect, type Tables } from './dialect.js';
import { familyFromRow, familyToRow, olderThanCursor, toPage } from './mappers.js';
import type { SessionEnds } from './session-ends.js';
import { p, setTo, insertRow } from './statements.js';
import type { SessionsStore } from './types.js';

/** Sessions: refresh-token families and their tokens (start, rotate, revoke), in the transactions section 4 of the contract needs. */
export function sessionsStore(dialect: Dialect, tables: Tables, ends: SessionEnds): SessionsStore {
  const { users, families, refreshTokens } = tables;
  const { run, transaction } = dialect;
  const { append, revokeWhere, liveFamily } = ends;
  const hot = {
    familyById: prepare('tessera_family_by_id', (db) =>
      db
        .select()
        .from(families)
        .where(eq(families.id, p('id'))),
    ),
    tokenById: prepare('tessera_token_by_id', (db) =>
      db
        .select()
        .from(refreshTokens)
        .where(eq(refreshTokens.id, p('id'))),
    ),
    tokenWithFamily: prepare('tessera_token_with_family', (db) =>
      db
        .select({ token: refreshTokens, family: families, userId: users.id, userDisabledAt: users.disabledAt })
        .from(refreshTokens)
        .innerJoin(families, eq(families.id, refreshTokens.familyId))
        .leftJoin(users, eq(users.id, families.userId))
        .where(eq(refreshTokens.hash, p('hash'))),
    ),
    markUsed: prepare(
      'tessera_mark_token_used',
      (db) =>
        db
          .update(refreshTokens)
          .set({ usedAt: setTo('usedAt'), successorId: setTo('successorId'), successorSealed: setTo('successorSealed') })
          .where(and(eq(refreshTokens.id, p('tokenId')), isNull(refreshTokens.usedAt))),
      'changes',
    ),
    insertToken: insertRow('tessera_insert_token', refreshTokens),
    insertFamily: insertRow('tessera_insert_family', families),
    touchFamily: prepare(
      'tessera_touch_family',
      (db) =>
        db
          .update(families)
          .set({ lastUsedAt: setTo('now') })
          .where(eq(families.id, p('id'))),
      'changes',
    ),
  };
  return {
    startFamily: ({ family, firstToken, authTime, maxSessions }, events = [], audited) =>
      transaction(function* (db) {
        // Locking the user's row serialises this login with a password change, a disable and the user's
        // other logins (PostgreSQL; SQLite transactions are serial anyway), so none of them acts on a stale view.
        const [user] = yield* rows(
          db.select({ disabledAt: users.disabledAt, validAfter: users.sessionsValidAfter }).from(users).where(eq(users.id, family.userId)),
          { lock: true },
        );
        // A check in the very millisecond of a password change is refused too: it may have read the old hash.
        if (!user || user.disabledAt !== null || (user.validAfter !== null && authTime <= user.validAfter)) return null;
        yield* exec(hot.insertFamily, familyToRow(family));
        yield* exec(hot.insertToken, firstToken);
        const started = () => append(db, family.createdAt, events, audited);
        if (maxSessions === null) {
          yield* started();
          return { evicted: [] };
        }
        const older = yield* rows(
          db
            .select({ id: families.id })
            .from(families)
            .where(
              and(
                eq(families.userId, family.userId),
                eq(families.clientId, family.clientId),
                liveFamily(family.createdAt),
                sql`${families.id} <> ${family.id}`,
              ),
            )
            .orderBy(asc(families.createdAt), asc(families.id)),
        );
        const evict = older.slice(0, Math.max(0, older.length + 1 - maxSessions)).map((r) => r.id);
        if (evict.length === 0) {
          yield* started();
          return { evicted: [] };
        }
        const revoked = new Set(yield* revokeWhere(db, inArray(families.id, evict), 'max_sessions', family.createdAt, events, audited));
        return { evicted: evict.filter((id) => revoked.has(id)) };
      }),
    findFamily: (id) =>
      run(function* () {
        if (!storable(id)) return null;
        const [row] = yield* exec(hot.familyById, { id });
        return row ? familyFromRow(row) : null;
      }),
    listFamilies: ({ userId, cursor, limit }) =>
      run(function* (db) {
        if (!storable(userId)) return { items: [], nextCursor: null };
        const found = yield* rows(
          db
            .select()
            .from(families)
            .where(and(eq(families.userId, userId), olderThanCursor(families.createdAt, families.id, cursor)))
            .orderBy(desc(families.createdAt), desc(families.id))
            .limit(limit + 1),
        );
        return toPage(found, limit, (r) => r.createdAt, familyFromRow);
      }),
    countActiveFamilies: (now) =>
      run(function* (db) {
        const [row] = yield* rows(db.select({ n: count() }).from(families).where(liveFamily(now)));
        return Number(row?.n ?? 0);
      }),
    countRevokedFamilies: (after, upTo) =>
      run(function* (db) {
        const found = yield* rows(
          db
            .select({ reason: families.revokeReason, n: count() })
            .from(families)
            .where(and(gt(families.revokedAt, after), lte(families.revokedAt, upTo)))
            .groupBy(families.revokeReason),
        );
        return found.map((r) => ({ reason: r.reason ?? 'other', count: Number(r.n) }));
      }),
    touchFamily: (id, now) =>
      run(function* () {
        yield* exec(hot.touchFamily, { id, now });
      }),
    revokeFamily: (id, reason, now, events = [], audited) =>
      transaction(function* (db) {
        if (!storable(id)) return false;
        return (yield* revokeWhere(db, eq(families.id, id), reason, now, events, audited, { onlyIfRevoked: true })).length > 0;
      }),
    revokeUserFamilies: (userId, reason, now, events = [], audited) =>
      transaction(function* (db) {
        if (!storable(userId)) return [];
        return yield* revokeWhere(db, and(eq(families.userId, userId), gt(families.expiresAt, now)), reason, now, events, audited, { onlyIfRevoked: true });
      }),
    listLiveFamilies: (userId, now, limit) =>
      run(function* (db) {
        if (!storable(userId)) return [];
        const found = yield* rows(
          db
            .select()
            .from(families)
            .where(and(eq(families.userId, userId), isNull(families.revokedAt), gt(families.expiresAt, now)))
            .orderBy(desc(families.createdAt), desc(families.id))
            .limit(limit),
        );
        return found.map(familyFromRow);
      }),
    revokeOtherFamilies: (userId, keep, reason, now, events = []) =>
      transaction(function* (db) {
        if (!storable(userId)) return [];
        const others = keep === null ? undefined : or(isNull(families.browserSessionId), ne(families.browserSessionId, keep));
        return yield* revokeWhere(db, and(eq(families.userId, userId), gt(families.expiresAt, now), others), reason, now, events, undefined, {
          onlyIfRevoked: true,
        });
      }),
    findRefreshTokenWithFamily: (hash) =>
      run(function* () {
        if (!storable(hash)) return null;
        const [row] = yield* exec(hot.tokenWithFamily, { hash });
        return row ? { token: row.token, family: familyFromRow(row.family), userActive: row.userId !== null && row.userDisabledAt === null } : null;
      }),
    findRefreshToken: (id) =>
      run(function* () {
        if (!storable(id)) return null;
        const [row] = yield* exec(hot.tokenById, { id });
        return row ?? null;
      }),
    rotateRefreshToken: (input) =>
      dialect.rotateRefreshToken?.(input) ??
      transaction(function* () {
        const { tokenId, usedAt, successor, successorSealed } = input;
        // The transaction holds the write lock from its start, so a second rotation finds the token used.
        const marked = yield* exec(hot.markUsed, { tokenId, usedAt, successorId: successor.id, successorSealed });
        if (marked === 0) return false;
        yield* exec(hot.insertToken, successor);
        yield* exec(hot.touchFamily, { id: successor.familyId, now: usedAt });
        return true;
      }),
  };
}
