import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import { changes, exec, prepare, rows, storable, type Dialect, type Tables } from './dialect.js';
import { clientFromRow, clientToRow } from './mappers.js';
import type { SessionEnds } from './session-ends.js';
import { p } from './statements.js';
import type { ClientsStore } from './types.js';

/** Clients: registrations, their settings and secrets. Ending a client ends its sessions and puts it on the revocation feed, in one transaction. */
export function clientsStore(dialect: Dialect, tables: Tables, ends: SessionEnds): ClientsStore {
  const { clients, consents } = tables;
  const { run, transaction } = dialect;
  const { append, endClient } = ends;
  const hot = {
    clientById: prepare('tessera_client_by_id', (db) =>
      db
        .select()
        .from(clients)
        .where(eq(clients.id, p('id'))),
    ),
  };
  return {
    insertClient: (client, events = [], audited) =>
      transaction(function* (db) {
        yield* changes(db.insert(clients).values(clientToRow(client)), `client ${client.id}`);
        yield* append(db, client.createdAt, events, audited);
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
        const { grants, scopes, redirectUris, postLogoutRedirectUris, apis, ...plain } = changes;
        const lists = Object.entries({ grants, scopes, redirectUris, postLogoutRedirectUris, apis }).filter(([, v]) => v !== undefined);
        const set = { ...plain, ...Object.fromEntries(lists.map(([k, v]) => [k, JSON.stringify(v)])) };
        const query =
          Object.keys(set).length > 0 ? db.update(clients).set(set).where(eq(clients.id, id)).returning() : db.select().from(clients).where(eq(clients.id, id));
        const [row] = yield* rows(query);
        return row ? clientFromRow(row) : null;
      }),
    disableClient: (id, now, events = [], audited) =>
      transaction(function* (db) {
        if (!storable(id)) return null;
        const update = db
          .update(clients)
          .set({ disabledAt: now, tokensRevokedAt: now })
          .where(and(eq(clients.id, id), isNull(clients.disabledAt)));
        const disabled = yield* changes(update);
        return disabled === 0 ? null : yield* endClient(db, id, 'client_disabled', now, events, audited);
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
    deleteClient: (id, now, events = [], audited) =>
      transaction(function* (db) {
        if (!storable(id)) return null;
        const deleted = yield* changes(db.delete(clients).where(eq(clients.id, id)));
        if (deleted === 0) return null;
        // A client registered again under this id is another application: it asks for consent anew.
        yield* changes(db.delete(consents).where(eq(consents.clientId, id)));
        return yield* endClient(db, id, 'client_deleted', now, events, audited);
      }),
  };
}
