import { and, asc, gt, inArray, max, sql } from 'drizzle-orm';
import type { DomainEvent, StoredEvent } from '../domain/events.js';
import { rows, statement, type Db, type Dialect, type Step, type Tables } from './dialect.js';
import type { OutboxStore } from './types.js';

/**
 * Writes events into the outbox inside the caller's transaction, so they commit, or roll back, with the
 * change they report: an event counts as happened when its transaction commits. Each gets the next `seq`
 * under the table's lock (PostgreSQL; SQLite transactions are serial anyway), so seq order is commit
 * order and a reader never sees a later event before an earlier one commits. Call it as the last step of
 * a transaction: the lock is then held only until the commit.
 */
export function* appendEvents(dialect: Dialect['name'], db: Db, tables: Tables, at: number, events: readonly DomainEvent[]): Generator<Step, void, unknown> {
  if (events.length === 0) return;
  const { outbox } = tables;
  if (dialect === 'postgres') yield* statement(sql`lock table ${outbox} in exclusive mode`);
  const [last] = yield* rows(db.select({ seq: max(outbox.seq) }).from(outbox));
  const first = (last?.seq ?? 0) + 1;
  const values = events.map((event, i) => ({ seq: first + i, at, type: event.type, event: JSON.stringify(event) }));
  yield* rows(db.insert(outbox).values(values).returning({ seq: outbox.seq }));
}

export function outboxStore(dialect: Dialect, tables: Tables): OutboxStore {
  const { outbox } = tables;
  return {
    listEvents: ({ after, limit, types }) =>
      dialect.run(function* (db) {
        const found = yield* rows(
          db
            .select()
            .from(outbox)
            .where(and(gt(outbox.seq, after), types ? inArray(outbox.type, types) : undefined))
            .orderBy(asc(outbox.seq))
            .limit(limit),
        );
        return found.map((r): StoredEvent => ({ seq: r.seq, at: r.at, event: JSON.parse(r.event) as DomainEvent }));
      }),
    lastEventSeq: () =>
      dialect.run(function* (db) {
        const [last] = yield* rows(db.select({ seq: max(outbox.seq) }).from(outbox));
        return last?.seq ?? 0;
      }),
  };
}
