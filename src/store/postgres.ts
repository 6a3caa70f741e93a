import { fileURLToPath } from 'node:url';
import { and, asc, count, desc, eq, gt, gte, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { Conflict } from '../errors/store.js';
import { auditFilter, auditFromRow, auditToRow, clientFromRow, clientToRow, olderThanCursor, toPage, userFromRow, userToRow } from './mappers.js';
import * as schema from './schema/postgres.js';
import type { Store } from './types.js';

const migrationsFolder = fileURLToPath(new URL('../../drizzle/postgres', import.meta.url));
const { users, clients, families, refreshTokens, signingKeys, auditEvents, rateLimits } = schema;

export type PostgresOptions = {
  /** Keep the tables (and drizzle's migration journal) in this schema instead of `public`. */
  schema?: string;
  /** Largest number of pooled connections. */
  poolSize?: number;
};

// drizzle wraps driver errors in DrizzleQueryError; the SQLSTATE is on the cause.
const isUniqueViolation = (error: unknown): boolean => {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error && 'code' in cause && cause.code === '23505';
};

// PostgreSQL text cannot hold NUL, so no stored value contains one: a lookup by such a value finds nothing
// (SQLite would simply not match; PostgreSQL would fail the query).
const unstorable = (...values: (string | undefined)[]): boolean => values.some((v) => v?.includes('\0'));

const migrateLock = sql`select pg_advisory_lock(hashtext('tessera:migrate'))`;
const migrateUnlock = sql`select pg_advisory_unlock(hashtext('tessera:migrate'))`;

/** A store on PostgreSQL through a connection pool. Same semantics as sqliteStore; only the dialect differs. */
export function postgresStore(url: string, options: PostgresOptions = {}): Store {
  if (options.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) throw new Error(`invalid schema name "${options.schema}"`);
  const searchPath = options.schema ? `-c search_path=${options.schema}` : undefined;
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, ...(searchPath ? { options: searchPath } : {}) });
  // An idle connection dropped by the server emits here; the pool replaces it, and the next query reports real trouble.
  pool.on('error', () => {});
  const db = drizzle(pool, { schema });
  let closed = false;

  const liveFamily = (now: number) => and(isNull(families.revokedAt), gt(families.expiresAt, now));

  async function revokeWhere(where: SQL | undefined, reason: string, now: number): Promise<string[]> {
    const rows = await db
      .update(families)
      .set({ revokedAt: now, revokeReason: reason })
      .where(and(where, isNull(families.revokedAt)))
      .returning({ id: families.id });
    return rows.map((r) => r.id);
  }

  async function insertUnique(what: string, insert: () => Promise<unknown>): Promise<void> {
    try {
      await insert();
    } catch (error) {
      if (isUniqueViolation(error)) throw new Conflict(what);
      throw error;
    }
  }

  return {
    dialect: 'postgres',

    async migrate() {
      // A session-level advisory lock on a dedicated connection: instances starting together migrate one at a time.
      const client = await pool.connect();
      let failure: Error | undefined;
      try {
        const conn = drizzle(client);
        await conn.execute(migrateLock);
        try {
          await migrate(conn, { migrationsFolder, ...(options.schema ? { migrationsSchema: options.schema } : {}) });
        } finally {
          await conn.execute(migrateUnlock);
        }
      } catch (error) {
        failure = error as Error;
        throw error;
      } finally {
        // Destroying the connection on failure also drops a lock we could not release.
        client.release(failure);
      }
    },
    async ping() {
      await pool.query('select 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },

    async insertUser(user) {
      await insertUnique(`user ${user.username}`, () => db.insert(users).values(userToRow(user)));
    },
    async findUserById(id) {
      if (unstorable(id)) return null;
      const [row] = await db.select().from(users).where(eq(users.id, id));
      return row ? userFromRow(row) : null;
    },
    async findUserByUsername(username) {
      if (unstorable(username)) return null;
      const [row] = await db.select().from(users).where(eq(users.username, username));
      return row ? userFromRow(row) : null;
    },
    async updateUserPassword(id, passwordHash) {
      if (unstorable(id)) return false;
      return ((await db.update(users).set({ passwordHash }).where(eq(users.id, id))).rowCount ?? 0) > 0;
    },
    async disableUser(id, now) {
      if (unstorable(id)) return false;
      const result = await db.update(users).set({ disabledAt: now }).where(and(eq(users.id, id), isNull(users.disabledAt)));
      return (result.rowCount ?? 0) > 0;
    },

    async insertClient(record) {
      await insertUnique(`client ${record.id}`, () => db.insert(clients).values(clientToRow(record)));
    },
    async findClient(id) {
      if (unstorable(id)) return null;
      const [row] = await db.select().from(clients).where(eq(clients.id, id));
      return row ? clientFromRow(row) : null;
    },
    async listClients() {
      return (await db.select().from(clients).orderBy(asc(clients.id))).map(clientFromRow);
    },
    async deleteClient(id) {
      if (unstorable(id)) return false;
      return ((await db.delete(clients).where(eq(clients.id, id))).rowCount ?? 0) > 0;
    },

    async insertFamily(family, firstToken) {
      await db.transaction(async (tx) => {
        await tx.insert(families).values(family);
        await tx.insert(refreshTokens).values(firstToken);
      });
    },
    async findFamily(id) {
      if (unstorable(id)) return null;
      const [row] = await db.select().from(families).where(eq(families.id, id));
      return row ?? null;
    },
    async listFamilies({ userId, cursor, limit }) {
      if (unstorable(userId)) return { items: [], nextCursor: null };
      const rows = await db
        .select()
        .from(families)
        .where(and(eq(families.userId, userId), olderThanCursor(families.createdAt, families.id, cursor)))
        .orderBy(desc(families.createdAt), desc(families.id))
        .limit(limit + 1);
      return toPage(rows, limit, (r) => r.createdAt, (r) => r);
    },
    async listActiveFamilies(userId, clientId, now) {
      if (unstorable(userId, clientId)) return [];
      return db
        .select()
        .from(families)
        .where(and(eq(families.userId, userId), eq(families.clientId, clientId), liveFamily(now)))
        .orderBy(asc(families.createdAt), asc(families.id));
    },
    async countActiveFamilies(now) {
      const [row] = await db.select({ n: count() }).from(families).where(liveFamily(now));
      return row?.n ?? 0;
    },
    async touchFamily(id, now) {
      await db.update(families).set({ lastUsedAt: now }).where(eq(families.id, id));
    },
    async revokeFamily(id, reason, now) {
      if (unstorable(id)) return false;
      return (await revokeWhere(eq(families.id, id), reason, now)).length > 0;
    },
    async revokeUserFamilies(userId, reason, now) {
      if (unstorable(userId)) return [];
      return revokeWhere(and(eq(families.userId, userId), gt(families.expiresAt, now)), reason, now);
    },
    async revokeClientFamilies(clientId, reason, now) {
      if (unstorable(clientId)) return [];
      return revokeWhere(and(eq(families.clientId, clientId), gt(families.expiresAt, now)), reason, now);
    },
    async listRevocations(since, notExpiredAt, accessTtl) {
      const rows = await db
        .select({ sid: families.id, revokedAt: families.revokedAt })
        .from(families)
        .where(gte(families.revokedAt, Math.max(since, notExpiredAt - accessTtl)))
        .orderBy(asc(families.revokedAt), asc(families.id));
      return rows.map((r) => ({ sid: r.sid, revokedAt: r.revokedAt!, expiresAt: r.revokedAt! + accessTtl }));
    },

    async findRefreshTokenByHash(hash) {
      if (unstorable(hash)) return null;
      const [row] = await db.select().from(refreshTokens).where(eq(refreshTokens.hash, hash));
      return row ?? null;
    },
    async findRefreshToken(id) {
      if (unstorable(id)) return null;
      const [row] = await db.select().from(refreshTokens).where(eq(refreshTokens.id, id));
      return row ?? null;
    },
    async rotateRefreshToken({ tokenId, usedAt, successor, successorSealed }) {
      // Under READ COMMITTED a concurrent UPDATE of the same row waits for this one to commit,
      // then re-checks used_at and matches nothing: exactly one caller marks the token.
      return db.transaction(async (tx) => {
        const marked = await tx
          .update(refreshTokens)
          .set({ usedAt, successorId: successor.id, successorSealed })
          .where(and(eq(refreshTokens.id, tokenId), isNull(refreshTokens.usedAt)))
          .returning({ id: refreshTokens.id });
        if (marked.length === 0) return false;
        await tx.insert(refreshTokens).values(successor);
        return true;
      });
    },

    async insertSigningKey(key) {
      await insertUnique(`signing key seq ${key.seq}`, () => db.insert(signingKeys).values(key));
    },
    async listSigningKeys() {
      return db.select().from(signingKeys).orderBy(asc(signingKeys.seq));
    },
    async updateSigningKeyPrivate(kid, privateJwk) {
      await db.update(signingKeys).set({ privateJwk }).where(eq(signingKeys.kid, kid));
      // The old row version (a private key in clear before `tessera keys encrypt`) stays in the table
      // file as a dead tuple; VACUUM FULL rewrites the (tiny) table without it. PostgreSQL's own WAL
      // archive, if any, is the operator's to rotate.
      await db.execute(sql`vacuum full signing_keys`);
    },
    async deleteSigningKey(kid) {
      await db.delete(signingKeys).where(eq(signingKeys.kid, kid));
    },

    async insertAuditEvent(event) {
      await db.insert(auditEvents).values(auditToRow(event));
    },
    async listAuditEvents(query) {
      const { userId, type, limit } = query;
      if (unstorable(userId, type)) return { items: [], nextCursor: null };
      const rows = await db
        .select()
        .from(auditEvents)
        .where(auditFilter(auditEvents, query))
        .orderBy(desc(auditEvents.at), desc(auditEvents.id))
        .limit(limit + 1);
      return toPage(rows, limit, (r) => r.at, auditFromRow);
    },

    async hitRateLimit(key, windowStart) {
      const [row] = await db
        .insert(rateLimits)
        .values({ key, windowStart, count: 1 })
        .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { count: sql`${rateLimits.count} + 1` } })
        .returning({ count: rateLimits.count });
      return row!.count;
    },
    async peekRateLimit(key, windowStart) {
      if (unstorable(key)) return 0;
      const [row] = await db
        .select({ count: rateLimits.count })
        .from(rateLimits)
        .where(and(eq(rateLimits.key, key), eq(rateLimits.windowStart, windowStart)));
      return row?.count ?? 0;
    },

    async deleteExpired(now, auditBefore, familiesBefore) {
      return db.transaction(async (tx) => {
        const tokens = await tx.delete(refreshTokens).where(lt(refreshTokens.expiresAt, now));
        const audit = await tx.delete(auditEvents).where(lt(auditEvents.at, auditBefore));
        const ended = await tx.delete(families).where(lt(families.expiresAt, familiesBefore));
        const limits = await tx.delete(rateLimits).where(lt(rateLimits.windowStart, now - 3600));
        return (tokens.rowCount ?? 0) + (audit.rowCount ?? 0) + (ended.rowCount ?? 0) + (limits.rowCount ?? 0);
      });
    },
  };
}
