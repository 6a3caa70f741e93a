import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { emailKey } from '../domain/email.js';
import { changes, rows, storable, type Dialect, type Tables } from './dialect.js';
import { userFromRow, userToRow } from './mappers.js';
import { recordChange } from './session-ends.js';
import type { UpstreamStore } from './types.js';

export function upstreamStore(dialect: Dialect, tables: Tables): UpstreamStore {
  const { providers, identities, upstreamLogins, users } = tables;
  const { run, transaction } = dialect;
  return {
    insertProvider: (provider) =>
      run(function* (db) {
        yield* changes(db.insert(providers).values(provider), `provider ${provider.id}`);
      }),
    findProvider: (id) =>
      run(function* (db) {
        if (!storable(id)) return null;
        const [row] = yield* rows(db.select().from(providers).where(eq(providers.id, id)));
        return row ?? null;
      }),
    listProviders: () =>
      run(function* (db) {
        return yield* rows(db.select().from(providers).orderBy(asc(providers.id)));
      }),
    deleteProvider: (id) =>
      transaction(function* (db) {
        if (!storable(id)) return null;
        if ((yield* changes(db.delete(providers).where(eq(providers.id, id)))) === 0) return null;
        yield* changes(db.delete(upstreamLogins).where(eq(upstreamLogins.providerId, id)));
        return yield* changes(db.delete(identities).where(eq(identities.providerId, id)));
      }),

    findIdentity: (providerId, subject) =>
      run(function* (db) {
        if (!storable(providerId, subject)) return null;
        const [row] = yield* rows(
          db
            .select()
            .from(identities)
            .where(and(eq(identities.providerId, providerId), eq(identities.subject, subject))),
        );
        return row ?? null;
      }),
    listIdentities: (userId) =>
      run(function* (db) {
        if (!storable(userId)) return [];
        return yield* rows(db.select().from(identities).where(eq(identities.userId, userId)).orderBy(asc(identities.linkedAt), asc(identities.providerId)));
      }),
    insertIdentity: (identity) =>
      run(function* (db) {
        yield* changes(db.insert(identities).values(identity), `identity ${identity.providerId}`);
      }),
    insertUserWithIdentity: (user, identity, events = [], audited) =>
      transaction(function* (db) {
        yield* changes(db.insert(users).values(userToRow(user)), `user ${user.username}`);
        yield* changes(db.insert(identities).values(identity), `identity ${identity.providerId}`);
        yield* recordChange(dialect, db, tables, user.createdAt, events, audited);
      }),
    deleteIdentity: (providerId, userId, now, events = []) =>
      transaction(function* (db) {
        if (!storable(providerId, userId)) return false;
        const deleted = (yield* changes(db.delete(identities).where(and(eq(identities.providerId, providerId), eq(identities.userId, userId))))) > 0;
        if (deleted) yield* recordChange(dialect, db, tables, now, events);
        return deleted;
      }),
    findUsersByVerifiedEmail: (email) =>
      run(function* (db) {
        if (!storable(email)) return [];
        const found = yield* rows(
          db
            .select()
            .from(users)
            .where(and(sql`lower(${users.email}) = lower(${email})`, eq(users.emailVerified, true)))
            .orderBy(asc(users.createdAt), asc(users.id)),
        );
        // lower() on both sides narrows the rows down (PostgreSQL's folds more than ASCII, SQLite's only ASCII); the key decides.
        return found.filter((row) => row.email !== null && emailKey(row.email) === emailKey(email)).map(userFromRow);
      }),

    insertUpstreamLogin: (login) =>
      run(function* (db) {
        yield* changes(db.insert(upstreamLogins).values(login));
      }),
    consumeUpstreamLogin: (id, browser, providerId, now) =>
      run(function* (db) {
        if (!storable(id, browser, providerId)) return null;
        // One conditional UPDATE: of concurrent callbacks with the same state, the database lets one find used_at null.
        const [row] = yield* rows(
          db
            .update(upstreamLogins)
            .set({ usedAt: now })
            .where(
              and(
                eq(upstreamLogins.id, id),
                eq(upstreamLogins.browser, browser),
                eq(upstreamLogins.providerId, providerId),
                isNull(upstreamLogins.usedAt),
                gt(upstreamLogins.expiresAt, now),
              ),
            )
            .returning(),
        );
        return row ?? null;
      }),
    findUpstreamLogin: (id) =>
      run(function* (db) {
        if (!storable(id)) return null;
        const [row] = yield* rows(db.select().from(upstreamLogins).where(eq(upstreamLogins.id, id)));
        return row ?? null;
      }),
  };
}
