import { desc } from 'drizzle-orm';
import type { AuditEvent } from '../domain/types.js';
import { changes, exec, rows, storable, type Db, type Dialect, type Step, type Tables } from './dialect.js';
import { auditFilter, auditFromRow, auditToRow, toPage } from './mappers.js';
import { insertRow } from './statements.js';
import type { AuditStore } from './types.js';

/** Writes audit records inside the caller's transaction (the change they record commits with them, or neither does). */
export function* insertAuditRecords(db: Db, tables: Tables, records: readonly AuditEvent[]): Generator<Step, void, unknown> {
  if (records.length > 0) yield* changes(db.insert(tables.auditEvents).values(records.map(auditToRow)));
}

/** The audit log. */
export function auditStore(dialect: Dialect, tables: Tables): AuditStore {
  const { auditEvents } = tables;
  const { run } = dialect;
  const hot = {
    insertAuditEvent: insertRow('tessera_insert_audit_event', auditEvents),
  };
  return {
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
  };
}
