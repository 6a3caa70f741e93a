import { desc } from 'drizzle-orm';
import { exec, rows, storable, type Dialect, type Tables } from './dialect.js';
import { auditFilter, auditFromRow, auditToRow, toPage } from './mappers.js';
import { insertRow } from './statements.js';
import type { AuditStore } from './types.js';

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
