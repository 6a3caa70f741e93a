import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { User } from '../domain/types.js';
import type { Identity, Provider, UpstreamLogin } from '../domain/upstream.js';
import { changes, rows, type Dialect, type Tables } from './dialect.js';
import { userFromRow, userToRow } from './mappers.js';

/** What the store keeps for sign-in with upstream providers; part of the Store (./types.ts). Instants are epoch milliseconds. */
export interface UpstreamStore {
  /** Throws Conflict when the id is taken. */
  insertProvider(provider: Provider): Promise<void>;
  findProvider(id: string): Promise<Provider | null>;
  /** By id. */
  listProviders(): Promise<Provider[]>;
  /** Deletes the provider with its identities and its round trips in flight; returns how many identities went, or null when there was no such provider. */
  deleteProvider(id: string): Promise<number | null>;

  findIdentity(providerId: string, subject: string): Promise<Identity | null>;
  /** A user's identities, oldest link first. */
  listIdentities(userId: string): Promise<Identity[]>;
  /** Throws Conflict when the identity is linked already. */
  insertIdentity(identity: Identity): Promise<void>;
  /**
   * Creates the user and links the identity to it in one transaction: throws Conflict, creating
   * nothing, when the username is taken or the identity is linked already (a concurrent first sign-in).
   */
  insertUserWithIdentity(user: User, identity: Identity): Promise<void>;
  /** Returns false when the user had no identity at that provider. */
  deleteIdentity(providerId: string, userId: string): Promise<boolean>;
  /** The users whose verified e-mail address this is, compared without regard to case; oldest first. */
  findUsersByVerifiedEmail(email: string): Promise<User[]>;

  insertUpstreamLogin(login: UpstreamLogin): Promise<void>;
  /**
   * Uses the round trip up, only when it was started by this `browser` towards this provider, is unused
   * and has not expired at `now`; returns it, or null, changing nothing. Of concurrent calls at most one gets it.
   */
  consumeUpstreamLogin(id: string, browser: string, providerId: string, now: number): Promise<UpstreamLogin | null>;
  findUpstreamLogin(id: string): Promise<UpstreamLogin | null>;
}

const storable = (...values: string[]): boolean => values.every((v) => !v.includes('\0'));

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
    insertUserWithIdentity: (user, identity) =>
      transaction(function* (db) {
        yield* changes(db.insert(users).values(userToRow(user)), `user ${user.username}`);
        yield* changes(db.insert(identities).values(identity), `identity ${identity.providerId}`);
      }),
    deleteIdentity: (providerId, userId) =>
      run(function* (db) {
        if (!storable(providerId, userId)) return false;
        return (yield* changes(db.delete(identities).where(and(eq(identities.providerId, providerId), eq(identities.userId, userId))))) > 0;
      }),
    findUsersByVerifiedEmail: (email) =>
      run(function* (db) {
        if (!storable(email)) return [];
        const found = yield* rows(
          db
            .select()
            .from(users)
            .where(and(sql`lower(${users.email}) = ${email.toLowerCase()}`, eq(users.emailVerified, true)))
            .orderBy(asc(users.createdAt), asc(users.id)),
        );
        return found.map(userFromRow);
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
