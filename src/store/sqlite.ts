import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { and, asc, desc, eq, gte, gt, isNull, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { Conflict } from '../errors/store.js';
import { auditFilter, auditFromRow, auditToRow, clientFromRow, clientToRow, olderThanCursor, toPage, userFromRow, userToRow } from './mappers.js';
import * as schema from './schema/sqlite.js';
import type { Store } from './types.js';

const migrationsFolder = fileURLToPath(new URL('../../drizzle/sqlite', import.meta.url));
const { users, clients, families, refreshTokens, signingKeys, auditEvents, rateLimits } = schema;

/** Opens (creating if needed) a SQLite database file in WAL mode; `:memory:` for a private in-memory one. */
export function openSqlite(path: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  return db;
}

const isUniqueViolation = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_CONSTRAINT');

export function sqliteStore(client: Database.Database): Store {
  const db = drizzle(client, { schema });

  const liveFamily = (now: number) => and(isNull(families.revokedAt), gt(families.expiresAt, now));

  function revokeWhere(where: ReturnType<typeof and>, reason: string, now: number): string[] {
    return db
      .update(families)
      .set({ revokedAt: now, revokeReason: reason })
      .where(and(where, isNull(families.revokedAt)))
      .returning({ id: families.id })
      .all()
      .map((r) => r.id);
  }

  return {
    dialect: 'sqlite',

    async migrate() {
      // Two processes starting on a fresh file may race on the first migration; the loser retries and finds it applied.
      for (let attempt = 1; ; attempt++) {
        try {
          migrate(db, { migrationsFolder });
          return;
        } catch (error) {
          if (attempt >= 3) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
        }
      }
    },
    async ping() {
      client.prepare('select 1').get();
    },
    async close() {
      if (client.open) client.close();
    },

    async insertUser(user) {
      try {
        db.insert(users).values(userToRow(user)).run();
      } catch (error) {
        if (isUniqueViolation(error)) throw new Conflict(`user ${user.username}`);
        throw error;
      }
    },
    async findUserById(id) {
      const row = db.select().from(users).where(eq(users.id, id)).get();
      return row ? userFromRow(row) : null;
    },
    async findUserByUsername(username) {
      const row = db.select().from(users).where(eq(users.username, username)).get();
      return row ? userFromRow(row) : null;
    },
    async updateUserPassword(id, passwordHash) {
      return db.update(users).set({ passwordHash }).where(eq(users.id, id)).run().changes > 0;
    },
    async disableUser(id, now) {
      return db.update(users).set({ disabledAt: now }).where(and(eq(users.id, id), isNull(users.disabledAt))).run().changes > 0;
    },

    async insertClient(record) {
      try {
        db.insert(clients).values(clientToRow(record)).run();
      } catch (error) {
        if (isUniqueViolation(error)) throw new Conflict(`client ${record.id}`);
        throw error;
      }
    },
    async findClient(id) {
      const row = db.select().from(clients).where(eq(clients.id, id)).get();
      return row ? clientFromRow(row) : null;
    },
    async listClients() {
      return db.select().from(clients).orderBy(asc(clients.id)).all().map(clientFromRow);
    },
    async deleteClient(id) {
      return db.delete(clients).where(eq(clients.id, id)).run().changes > 0;
    },

    async insertFamily(family, firstToken) {
      db.transaction((tx) => {
        tx.insert(families).values(family).run();
        tx.insert(refreshTokens).values(firstToken).run();
      });
    },
    async findFamily(id) {
      return db.select().from(families).where(eq(families.id, id)).get() ?? null;
    },
    async listFamilies({ userId, cursor, limit }) {
      const rows = db
        .select()
        .from(families)
        .where(and(eq(families.userId, userId), olderThanCursor(families.createdAt, families.id, cursor)))
        .orderBy(desc(families.createdAt), desc(families.id))
        .limit(limit + 1)
        .all();
      return toPage(rows, limit, (r) => r.createdAt, (r) => r);
    },
    async listActiveFamilies(userId, clientId, now) {
      return db
        .select()
        .from(families)
        .where(and(eq(families.userId, userId), eq(families.clientId, clientId), liveFamily(now)))
        .orderBy(asc(families.createdAt), asc(families.id))
        .all();
    },
    async countActiveFamilies(now) {
      return db.select({ n: sql<number>`count(*)` }).from(families).where(liveFamily(now)).get()?.n ?? 0;
    },
    async touchFamily(id, now) {
      db.update(families).set({ lastUsedAt: now }).where(eq(families.id, id)).run();
    },
    async revokeFamily(id, reason, now) {
      return revokeWhere(eq(families.id, id), reason, now).length > 0;
    },
    async revokeUserFamilies(userId, reason, now) {
      return revokeWhere(and(eq(families.userId, userId), gt(families.expiresAt, now)), reason, now);
    },
    async revokeClientFamilies(clientId, reason, now) {
      return revokeWhere(and(eq(families.clientId, clientId), gt(families.expiresAt, now)), reason, now);
    },
    async listRevocations(since, notExpiredAt, accessTtl) {
      return db
        .select({ sid: families.id, revokedAt: families.revokedAt })
        .from(families)
        .where(and(gte(families.revokedAt, Math.max(since, notExpiredAt - accessTtl))))
        .orderBy(asc(families.revokedAt), asc(families.id))
        .all()
        .map((r) => ({ sid: r.sid, revokedAt: r.revokedAt!, expiresAt: r.revokedAt! + accessTtl }));
    },

    async findRefreshTokenByHash(hash) {
      return db.select().from(refreshTokens).where(eq(refreshTokens.hash, hash)).get() ?? null;
    },
    async findRefreshToken(id) {
      return db.select().from(refreshTokens).where(eq(refreshTokens.id, id)).get() ?? null;
    },
    async rotateRefreshToken({ tokenId, usedAt, successor, successorSealed }) {
      // IMMEDIATE takes the write lock up front, so processes sharing the file serialise here.
      return db.transaction(
        (tx) => {
          const marked = tx
            .update(refreshTokens)
            .set({ usedAt, successorId: successor.id, successorSealed })
            .where(and(eq(refreshTokens.id, tokenId), isNull(refreshTokens.usedAt)))
            .run();
          if (marked.changes === 0) return false;
          tx.insert(refreshTokens).values(successor).run();
          return true;
        },
        { behavior: 'immediate' },
      );
    },

    async insertSigningKey(key) {
      try {
        db.insert(signingKeys).values(key).run();
      } catch (error) {
        if (isUniqueViolation(error)) throw new Conflict(`signing key seq ${key.seq}`);
        throw error;
      }
    },
    async listSigningKeys() {
      return db.select().from(signingKeys).orderBy(asc(signingKeys.seq)).all();
    },
    async updateSigningKeyPrivate(kid, privateJwk) {
      db.update(signingKeys).set({ privateJwk }).where(eq(signingKeys.kid, kid)).run();
      // The old value (a private key in clear before `tessera keys encrypt`) must not linger in unused
      // page space or WAL frames: VACUUM rewrites every page, then the WAL is folded in and truncated.
      client.exec('VACUUM');
      client.pragma('wal_checkpoint(TRUNCATE)');
    },
    async deleteSigningKey(kid) {
      db.delete(signingKeys).where(eq(signingKeys.kid, kid)).run();
    },

    async insertAuditEvent(event) {
      db.insert(auditEvents).values(auditToRow(event)).run();
    },
    async listAuditEvents(query) {
      const { limit } = query;
      const rows = db
        .select()
        .from(auditEvents)
        .where(auditFilter(auditEvents, query))
        .orderBy(desc(auditEvents.at), desc(auditEvents.id))
        .limit(limit + 1)
        .all();
      return toPage(rows, limit, (r) => r.at, auditFromRow);
    },

    async hitRateLimit(key, windowStart) {
      const row = db
        .insert(rateLimits)
        .values({ key, windowStart, count: 1 })
        .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { count: sql`${rateLimits.count} + 1` } })
        .returning({ count: rateLimits.count })
        .get();
      return row.count;
    },
    async peekRateLimit(key, windowStart) {
      const row = db
        .select({ count: rateLimits.count })
        .from(rateLimits)
        .where(and(eq(rateLimits.key, key), eq(rateLimits.windowStart, windowStart)))
        .get();
      return row?.count ?? 0;
    },

    async deleteExpired(now, auditBefore, familiesBefore) {
      // better-sqlite3 is synchronous: in batches, yielding between them, a large cleanup never holds
      // the event loop or the write lock for long, so requests go on meanwhile.
      const batch = 500;
      const targets = [
        ['refresh_tokens', 'expires_at', now],
        ['audit_events', 'at', auditBefore],
        ['families', 'expires_at', familiesBefore],
        ['rate_limits', 'window_start', now - 3600],
      ] as const;
      let deleted = 0;
      for (const [table, column, before] of targets) {
        const remove = client.prepare(`delete from ${table} where rowid in (select rowid from ${table} where ${column} < ? limit ?)`);
        for (;;) {
          const n = remove.run(before, batch).changes;
          deleted += n;
          if (n < batch) break;
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      return deleted;
    },
  };
}
