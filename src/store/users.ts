import { and, desc, eq, gt, isNotNull, isNull } from 'drizzle-orm';
import { changes, exec, prepare, rows, storable, type Dialect, type Tables } from './dialect.js';
import { olderThanCursor, toPage, userFromRow, userToRow } from './mappers.js';
import type { SessionEnds } from './session-ends.js';
import { p } from './statements.js';
import type { UsersStore } from './types.js';

/** Users: accounts, their passwords, profiles and state. Ending a user ends its sessions in the same transaction. */
export function usersStore(dialect: Dialect, tables: Tables, ends: SessionEnds): UsersStore {
  const { users, families, identities, userRoles, factors, passkeys } = tables;
  const { run, transaction } = dialect;
  const { append, revokeWhere, endUserSessions } = ends;
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
  };
  return {
    insertUser: (user, events = [], audited) =>
      transaction(function* (db) {
        yield* changes(db.insert(users).values(userToRow(user)), `user ${user.username}`);
        yield* append(db, user.createdAt, events, audited);
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
    changePassword: (id, passwordHash, now, events = [], audited) =>
      transaction(function* (db) {
        if (!storable(id)) return null;
        const update = db.update(users).set({ passwordHash, sessionsValidAfter: now, passwordSet: true }).where(eq(users.id, id));
        return yield* endUserSessions(db, id, update, 'password_changed', now, events, audited);
      }),
    disableUser: (id, now, events = [], audited) =>
      transaction(function* (db) {
        if (!storable(id)) return null;
        const update = db
          .update(users)
          .set({ disabledAt: now, sessionsValidAfter: now })
          .where(and(eq(users.id, id), isNull(users.disabledAt)));
        return yield* endUserSessions(db, id, update, 'user_disabled', now, events, audited);
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
    deleteUser: (id, now, events = [], audited) =>
      transaction(function* (db) {
        if (!storable(id)) return null;
        // Its families stay until retention removes them, revoked, so the feed tells verifiers about them.
        if ((yield* changes(db.delete(users).where(eq(users.id, id)))) === 0) return null;
        // Its upstream identities may sign in again later, as a new user.
        yield* changes(db.delete(identities).where(eq(identities.userId, id)));
        yield* changes(db.delete(userRoles).where(eq(userRoles.userId, id)));
        yield* changes(db.delete(factors).where(eq(factors.userId, id)));
        yield* changes(db.delete(passkeys).where(eq(passkeys.userId, id)));
        return yield* revokeWhere(db, and(eq(families.userId, id), gt(families.expiresAt, now)), 'user_deleted', now, events, audited);
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
    updateUser: (id, changes, events = [], audited) =>
      transaction(function* (db) {
        if (!storable(id)) return null;
        const [row] = yield* rows(db.update(users).set(changes).where(eq(users.id, id)).returning());
        if (row) yield* append(db, changes.updatedAt ?? row.createdAt, events, audited);
        return row ? userFromRow(row) : null;
      }),
  };
}
