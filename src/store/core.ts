import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  gt,
  gte,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  notInArray,
  sql,
  type Column,
  type SQL,
  type Table,
} from 'drizzle-orm';
import { revocationOf, type DomainEvent } from '../domain/events.js';
import type { Revocation } from '../domain/types.js';
import { changes, exec, prepare, rows, statement, storable, type Db, type Dialect, type Tables } from './dialect.js';
import {
  auditFilter,
  auditFromRow,
  auditToRow,
  clientFromRow,
  clientToRow,
  consentFromRow,
  consentToRow,
  olderThanCursor,
  toPage,
  userFromRow,
  userToRow,
} from './mappers.js';
import { appendEvents, outboxStore } from './outbox.js';
import type { Events, FeedPosition, Store } from './types.js';
import { upstreamStore } from './upstream.js';
import { webhookStore } from './webhooks.js';

/** Family revocations that the ended client's own feed entry covers. */
const clientReasons = ['client_deleted', 'client_disabled'];

/**
 * No stored text holds a NUL (PostgreSQL text cannot, and the services refuse it), so a lookup by
 * such a value finds nothing without asking the database, on either dialect.
 */

const cleanupBatch = 500;

/** The one implementation of the Store, over either dialect's tables. */
export function createStore(dialect: Dialect, tables: Tables): Store {
  const {
    users,
    clients,
    families,
    refreshTokens,
    signingKeys,
    auditEvents,
    rateLimits,
    clientRevocations,
    tokenRevocations,
    authorizationCodes,
    browserSessions,
    consents,
    identities,
    upstreamLogins,
    outbox,
    webhookDeliveries,
  } = tables;
  const { run, transaction } = dialect;
  /** Writes a change's events as its transaction's last step (store/outbox.ts). */
  const append = (db: Db, at: number, events: Events) => appendEvents(dialect.name, db, tables, at, events);

  // The statements of the token endpoints' hot path, prepared once per store (see Prepared).
  const p = sql.placeholder;
  // `set()` takes no bare placeholder (a typing gap in drizzle); wrapped, it is the same parameter.
  const setTo = (name: string) => sql`${p(name)}`;
  /** An insert of one row with a placeholder per column, named as the row object's property for it. */
  const insertRow = (name: string, table: Table) =>
    prepare(
      name,
      (db) => db.insert(table as never).values(Object.fromEntries(Object.keys(getTableColumns(table)).map((key) => [key, p(key)])) as never),
      'changes',
    );
  const hot = {
    userById: prepare('tessera_user_by_id', (db) =>
      db
        .select()
        .from(users)
        .where(eq(users.id, p('id'))),
    ),
    userByUsername: prepare('tessera_user_by_username', (db) =>
      db
        .select()
        .from(users)
        .where(eq(users.username, p('username'))),
    ),
    clientById: prepare('tessera_client_by_id', (db) =>
      db
        .select()
        .from(clients)
        .where(eq(clients.id, p('id'))),
    ),
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
    insertAuditEvent: insertRow('tessera_insert_audit_event', auditEvents),
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

  const liveFamily = (now: number) => and(isNull(families.revokedAt), gt(families.expiresAt, now));

  /**
   * Revokes the live families `where` selects, then writes `events` and a `session.revoked` event for each, ending the
   * transaction. `events` only when it revoked one: where the revocation is the whole change.
   */
  function* revokeWhere(db: Db, where: SQL | undefined, reason: string, now: number, events: Events = [], { onlyIfRevoked = false } = {}) {
    const revoked = yield* rows(
      db
        .update(families)
        .set({ revokedAt: now, revokeReason: reason })
        .where(and(where, isNull(families.revokedAt)))
        .returning({ id: families.id, userId: families.userId, clientId: families.clientId }),
    );
    const how = revocationOf(reason);
    const ended = revoked.map((f): DomainEvent => ({ type: 'session.revoked', data: { sessionId: f.id, userId: f.userId, clientId: f.clientId, ...how } }));
    yield* append(db, now, onlyIfRevoked && revoked.length === 0 ? [] : [...events, ...ended]);
    return revoked.map((r) => r.id);
  }

  /** Publishes the client on the revocation feed and ends its sessions. */
  function* endClient(db: Db, id: string, reason: string, now: number, events: Events) {
    yield* changes(db.insert(clientRevocations).values({ clientId: id, revokedAt: now }).onConflictDoNothing());
    return yield* revokeWhere(db, and(eq(families.clientId, id), gt(families.expiresAt, now)), reason, now, events);
  }

  /** Ends every session of a user whose row `update` changed (password or disable). */
  function* endUserSessions(db: Db, id: string, update: { run(): unknown }, reason: string, now: number, events: Events) {
    if ((yield* changes(update)) === 0) return null;
    return yield* revokeWhere(db, and(eq(families.userId, id), gt(families.expiresAt, now)), reason, now, events);
  }

  return {
    ...upstreamStore(dialect, tables),
    ...outboxStore(dialect, tables),
    ...webhookStore(dialect, tables),
    dialect: dialect.name,
    migrate: () => dialect.migrate(),
    ping: () => dialect.ping(),
    close: () => dialect.close(),
    backup: (destination) => dialect.backup(destination),

    insertUser: (user, events = []) =>
      transaction(function* (db) {
        yield* changes(db.insert(users).values(userToRow(user)), `user ${user.username}`);
        yield* append(db, user.createdAt, events);
      }),
    findUserById: (id) =>
      run(function* () {
        if (!storable(id)) return null;
        const [row] = yield* exec(hot.userById, { id });
        return row ? userFromRow(row) : null;
      }),
    findUserByUsername: (username) =>
      run(function* () {
        if (!storable(username)) return null;
        const [row] = yield* exec(hot.userByUsername, { username });
        return row ? userFromRow(row) : null;
      }),
    changePassword: (id, passwordHash, now, events = []) =>
      transaction(function* (db) {
        if (!storable(id)) return null;
        const update = db.update(users).set({ passwordHash, sessionsValidAfter: now }).where(eq(users.id, id));
        return yield* endUserSessions(db, id, update, 'password_changed', now, events);
      }),
    disableUser: (id, now, events = []) =>
      transaction(function* (db) {
        if (!storable(id)) return null;
        const update = db
          .update(users)
          .set({ disabledAt: now, sessionsValidAfter: now })
          .where(and(eq(users.id, id), isNull(users.disabledAt)));
        return yield* endUserSessions(db, id, update, 'user_disabled', now, events);
      }),
    enableUser: (id) =>
      run(function* (db) {
        if (!storable(id)) return false;
        return (
          (yield* changes(
            db
              .update(users)
              .set({ disabledAt: null })
              .where(and(eq(users.id, id), isNotNull(users.disabledAt))),
          )) > 0
        );
      }),
    deleteUser: (id, now, events = []) =>
      transaction(function* (db) {
        if (!storable(id)) return null;
        // Its families stay until retention removes them, revoked, so the feed tells verifiers about them.
        if ((yield* changes(db.delete(users).where(eq(users.id, id)))) === 0) return null;
        // Its upstream identities may sign in again later, as a new user.
        yield* changes(db.delete(identities).where(eq(identities.userId, id)));
        return yield* revokeWhere(db, and(eq(families.userId, id), gt(families.expiresAt, now)), 'user_deleted', now, events);
      }),
    listUsers: ({ cursor, limit }) =>
      run(function* (db) {
        const found = yield* rows(
          db
            .select()
            .from(users)
            .where(olderThanCursor(users.createdAt, users.id, cursor))
            .orderBy(desc(users.createdAt), desc(users.id))
            .limit(limit + 1),
        );
        return toPage(found, limit, (r) => r.createdAt, userFromRow);
      }),
    updateUser: (id, changes, events = []) =>
      transaction(function* (db) {
        if (!storable(id)) return null;
        const [row] = yield* rows(db.update(users).set(changes).where(eq(users.id, id)).returning());
        if (row) yield* append(db, changes.updatedAt ?? row.createdAt, events);
        return row ? userFromRow(row) : null;
      }),

    insertClient: (client, events = []) =>
      transaction(function* (db) {
        yield* changes(db.insert(clients).values(clientToRow(client)), `client ${client.id}`);
        yield* append(db, client.createdAt, events);
      }),
    findClient: (id) =>
      run(function* () {
        if (!storable(id)) return null;
        const [row] = yield* exec(hot.clientById, { id });
        return row ? clientFromRow(row) : null;
      }),
    listClients: () =>
      run(function* (db) {
        return (yield* rows(db.select().from(clients).orderBy(asc(clients.id)))).map(clientFromRow);
      }),
    updateClient: (id, changes) =>
      run(function* (db) {
        if (!storable(id)) return null;
        // The list columns are JSON text, as clientToRow writes them.
        const { grants, scopes, redirectUris, postLogoutRedirectUris, ...plain } = changes;
        const lists = Object.entries({ grants, scopes, redirectUris, postLogoutRedirectUris }).filter(([, v]) => v !== undefined);
        const set = { ...plain, ...Object.fromEntries(lists.map(([k, v]) => [k, JSON.stringify(v)])) };
        const query =
          Object.keys(set).length > 0 ? db.update(clients).set(set).where(eq(clients.id, id)).returning() : db.select().from(clients).where(eq(clients.id, id));
        const [row] = yield* rows(query);
        return row ? clientFromRow(row) : null;
      }),
    disableClient: (id, now, events = []) =>
      transaction(function* (db) {
        if (!storable(id)) return null;
        const update = db
          .update(clients)
          .set({ disabledAt: now, tokensRevokedAt: now })
          .where(and(eq(clients.id, id), isNull(clients.disabledAt)));
        const disabled = yield* changes(update);
        return disabled === 0 ? null : yield* endClient(db, id, 'client_disabled', now, events);
      }),
    enableClient: (id) =>
      run(function* (db) {
        if (!storable(id)) return false;
        return (
          (yield* changes(
            db
              .update(clients)
              .set({ disabledAt: null })
              .where(and(eq(clients.id, id), isNotNull(clients.disabledAt))),
          )) > 0
        );
      }),
    deleteClient: (id, now, events = []) =>
      transaction(function* (db) {
        if (!storable(id)) return null;
        const deleted = yield* changes(db.delete(clients).where(eq(clients.id, id)));
        if (deleted === 0) return null;
        // A client registered again under this id is another application: it asks for consent anew.
        yield* changes(db.delete(consents).where(eq(consents.clientId, id)));
        return yield* endClient(db, id, 'client_deleted', now, events);
      }),

    startFamily: ({ family, firstToken, authTime, maxSessions }, events = []) =>
      transaction(function* (db) {
        // Locking the user's row serialises this login with a password change, a disable and the user's
        // other logins (PostgreSQL; SQLite transactions are serial anyway), so none of them acts on a stale view.
        const [user] = yield* rows(
          db.select({ disabledAt: users.disabledAt, validAfter: users.sessionsValidAfter }).from(users).where(eq(users.id, family.userId)),
          { lock: true },
        );
        // A check in the very millisecond of a password change is refused too: it may have read the old hash.
        if (!user || user.disabledAt !== null || (user.validAfter !== null && authTime <= user.validAfter)) return null;
        yield* exec(hot.insertFamily, family);
        yield* exec(hot.insertToken, firstToken);
        const started = () => append(db, family.createdAt, events);
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
        const revoked = new Set(yield* revokeWhere(db, inArray(families.id, evict), 'max_sessions', family.createdAt, events));
        return { evicted: evict.filter((id) => revoked.has(id)) };
      }),
    findFamily: (id) =>
      run(function* () {
        if (!storable(id)) return null;
        const [row] = yield* exec(hot.familyById, { id });
        return row ?? null;
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
        return toPage(
          found,
          limit,
          (r) => r.createdAt,
          (r) => r,
        );
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
    revokeFamily: (id, reason, now, events = []) =>
      transaction(function* (db) {
        if (!storable(id)) return false;
        return (yield* revokeWhere(db, eq(families.id, id), reason, now, events, { onlyIfRevoked: true })).length > 0;
      }),
    revokeUserFamilies: (userId, reason, now, events = []) =>
      transaction(function* (db) {
        if (!storable(userId)) return [];
        return yield* revokeWhere(db, and(eq(families.userId, userId), gt(families.expiresAt, now)), reason, now, events, { onlyIfRevoked: true });
      }),
    listRevocations: ({ after, from, upTo = null, aliveAt, limit }) =>
      run(function* (db) {
        const revokedFamilies = yield* rows(
          db
            .select({ id: families.id, at: families.revokedAt })
            .from(families)
            .where(and(notInArray(families.revokeReason, clientReasons), feedBounds(families.revokedAt, families.id, 'family', from, after, upTo)))
            .orderBy(asc(families.revokedAt), asc(families.id))
            .limit(limit),
        );
        const endedClients = yield* rows(
          db
            .select({ id: clientRevocations.clientId, at: clientRevocations.revokedAt })
            .from(clientRevocations)
            .where(feedBounds(clientRevocations.revokedAt, clientRevocations.clientId, 'client', from, after, upTo))
            .orderBy(asc(clientRevocations.revokedAt), asc(clientRevocations.clientId))
            .limit(limit),
        );
        const revokedTokens = yield* rows(
          db
            .select()
            .from(tokenRevocations)
            .where(
              and(
                feedBounds(tokenRevocations.revokedAt, tokenRevocations.jti, 'token', from, after, upTo),
                aliveAt === undefined ? undefined : gt(tokenRevocations.expiresAt, aliveAt),
              ),
            )
            .orderBy(asc(tokenRevocations.revokedAt), asc(tokenRevocations.jti))
            .limit(limit),
        );
        return mergeFeed(
          mergeFeed(
            revokedFamilies.map((r): Revocation => ({ kind: 'family', sid: r.id, revokedAt: r.at! })),
            endedClients.map((r): Revocation => ({ kind: 'client', clientId: r.id, revokedAt: r.at })),
          ),
          revokedTokens.map((r): Revocation => ({ kind: 'token', jti: r.jti, revokedAt: r.revokedAt, expiresAt: r.expiresAt })),
        ).slice(0, limit);
      }),
    revokeAccessToken: (revocation) =>
      run(function* (db) {
        return (yield* changes(db.insert(tokenRevocations).values(revocation).onConflictDoNothing())) > 0;
      }),
    isAccessTokenRevoked: (jti) =>
      run(function* (db) {
        if (!storable(jti)) return false;
        const [row] = yield* rows(db.select({ jti: tokenRevocations.jti }).from(tokenRevocations).where(eq(tokenRevocations.jti, jti)));
        return row !== undefined;
      }),

    findRefreshTokenWithFamily: (hash) =>
      run(function* () {
        if (!storable(hash)) return null;
        const [row] = yield* exec(hot.tokenWithFamily, { hash });
        return row ? { token: row.token, family: row.family, userActive: row.userId !== null && row.userDisabledAt === null } : null;
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

    insertAuthorizationCode: (code) =>
      run(function* (db) {
        yield* changes(db.insert(authorizationCodes).values(code));
      }),
    findAuthorizationCode: (hash) =>
      run(function* (db) {
        if (!storable(hash)) return null;
        const [row] = yield* rows(db.select().from(authorizationCodes).where(eq(authorizationCodes.hash, hash)));
        return row ?? null;
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

    insertSigningKey: (key, events = []) =>
      transaction(function* (db) {
        yield* changes(db.insert(signingKeys).values(key), `signing key seq ${key.seq}`);
        yield* append(db, key.createdAt, events);
      }),
    listSigningKeys: () =>
      run(function* (db) {
        return yield* rows(db.select().from(signingKeys).orderBy(asc(signingKeys.seq)));
      }),
    async updateSigningKeyPrivate(kid, privateJwk) {
      await run(function* (db) {
        yield* changes(db.update(signingKeys).set({ privateJwk }).where(eq(signingKeys.kid, kid)));
      });
      await dialect.scrubSigningKeys();
    },
    deleteSigningKey: (kid) =>
      run(function* (db) {
        yield* changes(db.delete(signingKeys).where(eq(signingKeys.kid, kid)));
      }),

    insertAuditEvent: (event) =>
      run(function* () {
        yield* exec(hot.insertAuditEvent, auditToRow(event));
      }),
    listAuditEvents: (query) =>
      run(function* (db) {
        if (!storable(query.userId, query.type)) return { items: [], nextCursor: null };
        const found = yield* rows(
          db
            .select()
            .from(auditEvents)
            .where(auditFilter(auditEvents, query))
            .orderBy(desc(auditEvents.at), desc(auditEvents.id))
            .limit(query.limit + 1),
        );
        return toPage(found, query.limit, (r) => r.at, auditFromRow);
      }),

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

    async deleteExpired(now, auditBefore, familiesBefore) {
      const targets: [Tables[keyof Tables], Column, number][] = [
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
        [outbox, outbox.at, auditBefore],
        [webhookDeliveries, webhookDeliveries.at, auditBefore],
      ];
      let deleted = 0;
      // In batches, pausing between them: a large cleanup never holds the write lock (or, on SQLite, the
      // event loop) for long, so requests go on meanwhile.
      for (const [table, column, before] of targets) {
        const address = dialect.rowAddress;
        const batch = sql`delete from ${table} where ${address} in (select ${address} from ${table} where ${column} < ${before} limit ${cleanupBatch})`;
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

const kindOrder: Record<Revocation['kind'], number> = { family: 0, client: 1, token: 2 };

/** Rows of one kind revoked at or after `from`, strictly after `after` and at or before `upTo`, in feed order (revokedAt, kind, id). */
function feedBounds(at: Column, id: Column, kind: Revocation['kind'], from: number, after: FeedPosition | null, upTo: FeedPosition | null): SQL | undefined {
  // Within the kind, a row-value comparison, which both databases answer with one range scan of the (revoked_at, id)
  // index; `at > x or (at = x and id > y)`, or `at >= from` beside the row value, made them scan every row of the
  // instant x again for each page. When `after` is older than `from`, `from` alone is the lower bound.
  const lower =
    after && after.at >= from ? bound(after, { earlierKind: gt, laterKind: gte }, () => sql`(${at}, ${id}) > (${after.at}, ${after.id})`) : gte(at, from);
  const upper = upTo && bound(upTo, { earlierKind: lte, laterKind: lt }, () => sql`(${at}, ${id}) <= (${upTo.at}, ${upTo.id})`);
  return and(lower, upper ?? undefined);

  function bound(pos: FeedPosition, ops: { earlierKind: typeof gt; laterKind: typeof gt }, sameKind: () => SQL) {
    // At the position's instant, entries of an earlier kind sort before it and those of a later kind after it.
    if (kindOrder[kind] < kindOrder[pos.kind]) return ops.earlierKind(at, pos.at);
    if (kindOrder[kind] > kindOrder[pos.kind]) return ops.laterKind(at, pos.at);
    return sameKind();
  }
}

/** Merges two lists already in feed order (each sorted by the database, each of other kinds) without comparing ids across kinds. */
function mergeFeed(a: Revocation[], b: Revocation[]): Revocation[] {
  const merged: Revocation[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const takeA =
      j >= b.length ||
      (i < a.length && (a[i]!.revokedAt < b[j]!.revokedAt || (a[i]!.revokedAt === b[j]!.revokedAt && kindOrder[a[i]!.kind] <= kindOrder[b[j]!.kind])));
    merged.push(takeA ? a[i++]! : b[j++]!);
  }
  return merged;
}
