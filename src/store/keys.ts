import { asc, eq } from 'drizzle-orm';
import { changes, rows, type Dialect, type Tables } from './dialect.js';
import type { SessionEnds } from './session-ends.js';
import type { KeysStore } from './types.js';

/** Signing keys. */
export function keysStore(dialect: Dialect, tables: Tables, ends: SessionEnds): KeysStore {
  const { signingKeys } = tables;
  const { run, transaction } = dialect;
  const { append } = ends;
  return {
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
  };
}
